"""Read article files: decode them, split off front matter, infer metadata, mark page furniture.

``Article.text`` is the file as written, with line endings unified to ``\\n`` and
nothing else changed, so quotes and offsets from other tools still line up.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import yaml

from .config import Config, load_yaml
from .errors import ArticleError, ConfigError
from .types import Article, ArticleFailure

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
ARTICLE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
HEAD_LINES = 40  # publication dates and bylines are looked for this near the top
TITLE_LINES = 12  # non-empty lines searched for a headline
MB = 1_000_000
MIN_HTML_WORDS = 10  # fewer words extracted from a page is navigation, not an article

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE = (
    rf"(?i:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})"
)
_WEEKDAY = r"(?i:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_TIME = r"(?i:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[a-z]{2,5}(?:[+-]\d{1,2}(?::?\d{2})?)?)?)?"
# what may follow a date line: "· 4 min read", "Updated 2 hours ago"
_AFTER_DATE = r"(?i:[\s|·•,-]*(?:\d{1,3}\s*min(?:ute)?s?\.?\s+read|(?:last\s+)?updated\b[^\n]*))*"
_WHEN = rf"{_WEEKDAY}(?P<date>{_DATE}){_TIME}"

_MARKER = re.compile(r"[ \t]*date (\d{4}-\d{2}-\d{2})\b")  # scraper artefact: " date 2024-10-29 Headline"
_STANDALONE_DATE = re.compile(rf"{_WHEN}{_AFTER_DATE}")
_STAMP = re.compile(rf"(?i:(?:last\s+)?(?:updated|published|posted|modified)(?:\s+on|\s+at)?:?)\s+{_WHEN}{_AFTER_DATE}")
_BYLINE = re.compile(rf"[Bb]y\s+(?P<who>[^\d|]+?)[\s,|]+{_WHEN}(?i:[\s|]*\d{{1,3}}\s*min(?:ute)?s?\.?\s+read)?")
_BYLINE_NAME = re.compile(r"[Bb]y\s+(?P<who>[A-Z][\w.’'-]+(?:\s+(?:and\s+)?[A-Z][\w.’'-]+){0,4})")
_DATELINE = re.compile(rf"[A-Z][A-Z .'-]{{2,}}(?:,\s*[A-Z][\w.]*)*,?\s+(?P<date>{_DATE})\s*(?:\([^)]*\))?\s*[-–—−]")
# "WESTPORT, Ruritania (AP) — ": where the story was filed, kept out of the parse so it is no one's subject
_PLACE_DATELINE = re.compile(
    r"[A-Z][A-Z.'-]{2,}(?: [A-Z][A-Z.'-]+)*(?:,\s*[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*)*\s*(?:\([^)]*\))?\s*[-–—−]+\s"
)
_DESK = re.compile(r"(?P<outlet>.+?)\s+(?i:news\s+desk|desk|staff|newsroom|editorial\s+(?:team|board|staff))")
_VIA_ALONE = re.compile(r"\(\s*(?P<via>[A-Za-z][\w .&'-]{0,40}?)\s*\)")
_VIA_LEAD = re.compile(
    r"(?:[A-Z][A-Z.'-]+(?:[ ,]+[A-Z][\w.'-]*)*(?:\s+\d{1,2}(?:,\s*\d{4})?)?\s+)?"  # "WESTPORT, June 10"
    r"\((?P<via>[A-Za-z][\w .&'-]{0,40}?)\)\s*[-–—−]\s"
)
_SOURCE = re.compile(r"(?i:sources?):\s*(?P<source>.+?)\.?")
_SOURCE_VIA = re.compile(r"\s+(?:with reference to|citing)\s+", re.IGNORECASE)
_NOT_HEADLINE = re.compile(
    r"[a-z]{2}[.!?]\s+[A-Z]"  # two sentences: a caption or body text
    r"|[#@=|]|https?:"  # tweets, tables, breadcrumbs, links
    r"|[a-z][A-Z]\w*[a-z][A-Z]"  # breadcrumb words glued together: "NewsWorldEarthquake"
)
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_WHITESPACE = re.compile(r"\s+")
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july",
                "august", "september", "october", "november", "december")  # fmt: skip


def normalise_for_hash(text: str) -> str:
    """The text with Unicode, line endings and whitespace made uniform, for duplicate detection."""
    text = unicodedata.normalize("NFC", _unify_newlines(text))
    return _WHITESPACE.sub(" ", text).strip()


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()


def iter_article_paths(paths: Iterable[Path]) -> tuple[list[Path], list[ArticleFailure]]:
    """Expand files and folders (recursively, sorted, hidden entries skipped) into article files."""
    found: list[Path] = []
    failures: list[ArticleFailure] = []
    seen: set[Path] = set()
    kinds = ", ".join(ARTICLE_SUFFIXES)
    for path in map(Path, paths):
        if path.is_dir():
            inside = _walk(path)
            if not inside:
                failures.append(ArticleFailure(str(path), f"{path}: no article files ({kinds}) in this folder"))
        elif path.is_file():
            inside = [path]
            if path.suffix.lower() not in ARTICLE_SUFFIXES:
                failures.append(ArticleFailure(str(path), f"{path}: not an article file (expected {kinds})"))
                inside = []
        else:
            failures.append(ArticleFailure(str(path), f"{path}: no such file or folder"))
            inside = []
        for file in inside:
            if (key := file.resolve()) not in seen:
                seen.add(key)
                found.append(file)
    return found, failures


def _walk(root: Path) -> list[Path]:
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        files.extend(
            Path(folder, name)
            for name in names
            if not name.startswith(".") and Path(name).suffix.lower() in ARTICLE_SUFFIXES
        )
    return sorted(files, key=lambda file: file.relative_to(root).parts)


def load_articles(paths: Iterable[Path], *, config: Config) -> tuple[list[Article], list[ArticleFailure]]:
    """Read every article under ``paths``; a bad or duplicate file is logged and skipped."""
    scan = scan_articles(paths, config=config)
    return scan.articles, scan.failures


@dataclass(frozen=True)
class Scan:
    articles: list[Article]  # read and decoded: new, changed or not known
    raw_hashes: dict[str, str]  # article name -> sha256 of its file's bytes
    unchanged: list[str]  # names of known articles whose file bytes did not change: not decoded
    failures: list[ArticleFailure]


def raw_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def scan_articles(
    paths: Iterable[Path],
    *,
    config: Config,
    known: Mapping[str, tuple[str | None, str]] | None = None,
    outputs: Iterable[Path] = (),
) -> Scan:
    """Read the articles under ``paths``, skipping those ``known`` already (name -> (raw hash, content hash)).

    ``outputs`` are the run's own reports: a report written into the articles folder is not an article.

    A file whose bytes hash as the known raw hash of its name is not decoded again: reruns over a
    few hundred unchanged files stay fast. A bad or duplicate file is logged and skipped.
    """
    known = known or {}
    files, failures = iter_article_paths(paths)
    own = {output.resolve() for output in outputs}
    files = [file for file in files if file.resolve() not in own]
    for failure in failures:
        logger.warning("%s", failure.message)
    articles: list[Article] = []
    raw_hashes: dict[str, str] = {}
    unchanged: list[str] = []
    by_hash: dict[str, str] = {}
    names: set[str] = set()
    stored_names = {content: name for name, (_, content) in known.items()}
    for path in files:
        name = path.as_posix() if path.name in names else path.name  # same file name in two folders
        try:
            data = _read_bytes(path, config=config)
            digest = raw_hash(data)
            if name in known and known[name][0] == digest:
                names.add(name)
                by_hash.setdefault(known[name][1], name)
                unchanged.append(name)
                continue
            article = read_article(path, config=config, data=data)
        except ArticleError as exc:
            failures.append(ArticleFailure(str(path), str(exc)))
            logger.warning("%s", exc)
            continue
        if (first := by_hash.get(article.content_hash)) is not None:
            failures.append(ArticleFailure(str(path), f"{path}: duplicate of {first}"))
            logger.warning("%s", failures[-1].message)
            continue
        stored = stored_names.get(article.content_hash)
        if stored is not None and stored != name:
            logger.info("%s: same text as the stored article %s; skipped", path, stored)
            continue
        article = replace(article, name=name)
        names.add(name)
        by_hash[article.content_hash] = name
        raw_hashes[name] = digest
        articles.append(article)
    return Scan(articles, raw_hashes, unchanged, failures)


@dataclass(frozen=True)
class HtmlPage:
    """The main text of a web page and what its markup says about it."""

    text: str
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD
    outlet: str | None = None
    url: str | None = None
    author: str | None = None


def extract_html(html: str, *, source: str) -> HtmlPage:
    """The article text and metadata of an HTML page; raises ArticleError when there is no article text."""
    import trafilatura  # a quarter of a second to import: only HTML needs it

    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    text = _unify_newlines(getattr(document, "text", None) or "").strip()
    if len(text.split()) < MIN_HTML_WORDS:  # what is left of a page of links: "Home | World"
        raise ArticleError(source, "no article text found in this HTML page")

    def meta(name: str) -> str | None:
        value = getattr(document, name, None)
        if not value:
            return None
        return _WHITESPACE.sub(" ", str(value)).strip() or None

    date_text = meta("date")
    published = _iso_date(date_text[:10]) if date_text and re.match(r"\d{4}-\d{2}-\d{2}", date_text) else None
    return HtmlPage(
        text=text + "\n",
        title=meta("title"),
        published=published,
        outlet=meta("sitename") or meta("hostname"),
        url=meta("url"),
        author=meta("author"),
    )


def read_article(path: Path, *, config: Config, data: bytes | None = None) -> Article:
    """Read one article file (or its bytes, already read); raises ArticleError with a one-line problem."""
    path = Path(path)
    if data is None:
        data = _read_bytes(path, config=config)
    text = _unify_newlines(_decode(data, path=path, config=config))
    page = HtmlPage(text)
    if path.suffix.lower() in HTML_SUFFIXES:
        page = extract_html(text, source=str(path))
        text = page.text
    if not text.strip():
        raise _error(path, "empty file")
    meta, body_start = _front_matter(text, path=path)
    meta = {**{k: v for k, v in vars(page).items() if k != "text" and v}, **meta}
    found = _scan(text, body_start, furniture=_load_furniture(config.domain_dir))
    excluded = [(0, body_start), *found.excluded] if body_start else found.excluded
    return Article(
        name=path.name,
        path=str(path),
        text=text,
        body_start=body_start,
        content_hash=content_hash(text),
        title=meta.get("title") or found.title,
        outlet=meta.get("outlet") or found.outlet,
        url=meta.get("url"),
        published=meta.get("published") or found.published,
        author=meta.get("author") or found.author,
        via=found.via,
        excluded=_merge(excluded),
    )


def _error(path: Path, problem: str) -> ArticleError:
    return ArticleError(str(path), _WHITESPACE.sub(" ", problem).strip())


def _read_bytes(path: Path, *, config: Config) -> bytes:
    limit = config.max_file_bytes
    data = b""
    try:
        size = path.stat().st_size
        if size <= limit:
            with path.open("rb") as handle:
                data = handle.read(limit + 1)
            size = len(data)
    except OSError as exc:
        raise _error(path, f"cannot read the file ({exc.strerror or exc})") from None
    if size > limit:
        raise _error(path, f"file is {_megabytes(size)}, over the {_megabytes(limit)} limit")
    return data


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB // 10 else f"{size / 1000:.1f} kB"


_CONTROL_BYTES = bytes(byte for byte in range(32) if byte not in b"\t\n\r\f")


def _decode(data: bytes, *, path: Path, config: Config) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if not data.strip():
        raise _error(path, "empty file")
    sample = data[:4096]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if b"\x00" in sample or controls > len(sample) // 10:
        raise _error(path, "binary file, not an article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
        if config.encoding is None:
            raise _error(path, f"not valid UTF-8 ({bad}); re-save as UTF-8 or pass --encoding latin-1") from None
    try:
        return data.decode(config.encoding)
    except UnicodeDecodeError as exc:
        bad = f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
        raise _error(path, f"not valid UTF-8 nor {config.encoding} ({bad})") from None


def _unify_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _front_matter(text: str, *, path: Path) -> tuple[dict[str, str], int]:
    """The front matter keys we use, and the offset where the body starts."""
    first_line = text.split("\n", 1)[0]
    if first_line.rstrip() != "---":
        return {}, 0
    end = _FRONT_MATTER_END.search(text, len(first_line) + 1)
    if end is None:
        raise _error(path, "malformed front matter: no closing '---' line after the opening one on line 1")
    block = text[len(first_line) + 1 : end.start()]
    try:
        raw = load_yaml(block)
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: an impossible date such as 2023-02-30
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""  # +1 for 1-based, +1 for the '---'
        problem = f"malformed front matter: {getattr(exc, 'problem', None) or str(exc)}{where}"
        raw = _plain_lines(block)
        if raw is None:
            raise _error(path, problem) from None
        # "title: Floods: the toll rises" is no valid YAML, but a desk means what it wrote
        logger.warning("%s: %s; read each 'key: value' line as plain text", path, problem)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise _error(path, "malformed front matter: expected 'key: value' lines")
    meta: dict[str, str] = {}
    for key in ("url", "outlet", "title", "author"):
        value = raw.get(key)
        if value is not None and str(value).strip():
            meta[key] = str(value).strip()
    if raw.get("published") is not None:
        meta["published"] = _published(raw["published"], path=path)
    body_start = min(end.end() + 1, len(text))
    return meta, body_start


def _plain_lines(block: str) -> dict[str, str] | None:
    """Front matter read line by line, the value being everything after the first colon; None if not such lines."""
    lines = [line for line in block.split("\n") if line.strip() and not line.lstrip().startswith("#")]
    matches = [re.fullmatch(r"([A-Za-z_][\w-]*):\s*(.*?)\s*", line) for line in lines]
    if not matches or None in matches:
        return None
    return {m[1]: m[2].strip("'\"") for m in matches if m is not None}


def _published(value: object, *, path: Path) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    match = re.match(rf"{_WEEKDAY}(?P<date>{_DATE})(?:[T ][\d:.+-]+Z?|{_TIME})$", text)
    parsed = _iso_date(match["date"]) if match else None
    if parsed is None:
        raise _error(path, f"front matter published: {text!r} is not a date; write it as YYYY-MM-DD")
    return parsed


def _iso_date(span: str) -> str | None:
    """'October 29, 2024', '29 Oct. 2024' or '2024-10-29' as '2024-10-29'; None if no such day."""
    if iso := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", span):
        year, month, day = map(int, iso.groups())
    else:
        word = re.search(r"[a-z]{3,}", span.lower())
        name = word[0] if word else "?"
        month = next((number for number, full in enumerate(_MONTH_NAMES, 1) if full.startswith(name)), 0)
        day, year = (int(digits) for digits in re.findall(r"\d+", span)[:2])
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


@dataclass(frozen=True)
class _Furniture:
    lines: re.Pattern[str] | None
    spans: re.Pattern[str] | None


@lru_cache(maxsize=8)
def _load_furniture(domain_dir: Path) -> _Furniture:
    path = domain_dir / "furniture.yaml"
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ConfigError(f"domain_dir={str(domain_dir)!r}: cannot read furniture.yaml ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({_WHITESPACE.sub(' ', str(exc))})") from None
    compiled = []
    for section in ("lines", "spans"):
        patterns = []
        for number, entry in enumerate(data.get(section) or [], 1):
            pattern = entry.get("pattern") if isinstance(entry, dict) else None
            if not isinstance(pattern, str):
                raise ConfigError(f"{path}: {section} entry {number} needs a 'pattern' (and a 'why')")
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"{path}: {section} entry {number}: bad regex {pattern!r} ({exc})") from None
            patterns.append(f"(?:{pattern})")
        compiled.append(re.compile("|".join(patterns), re.IGNORECASE) if patterns else None)
    return _Furniture(*compiled)


@dataclass
class _Found:
    excluded: list[tuple[int, int]] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    published: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    via: str | None = None


def _scan(text: str, body_start: int, *, furniture: _Furniture) -> _Found:
    """One pass over the body's lines: furniture spans, dates, byline, credited source, headline."""
    found = _Found()
    skip_to = body_start
    if marker := _MARKER.match(text, body_start):
        found.published = _iso_date(marker[1])
        found.excluded.append((body_start, marker.end()))
        skip_to = marker.end()
    titles_seen = 0
    for number, (start, end) in enumerate(_lines(text, body_start)):
        line = text[max(start, skip_to) : end].strip()
        if not line:
            continue
        if _metadata_line(line, found, head=number < HEAD_LINES) or (
            furniture.lines is not None and furniture.lines.fullmatch(line)
        ):
            found.excluded.append((start, end))
            continue
        if furniture.spans is not None:
            found.excluded.extend(m.span() for m in furniture.spans.finditer(text, start, end))
        if number < HEAD_LINES and (dateline := _DATELINE.match(line)):
            found.dates.append(_iso_date(dateline["date"]) or "")
        first = text.find(line[:1], max(start, skip_to), end)  # where the line's text begins
        if number < HEAD_LINES and (filed := _PLACE_DATELINE.match(text, first, end)):
            found.excluded.append(filed.span())
        if found.via is None and (lead := _VIA_LEAD.match(line)):
            found.via = _agency(lead["via"])
        if found.title is None and titles_seen < TITLE_LINES:
            titles_seen += 1
            found.title = line if _looks_like_headline(line) and not _SOURCE.fullmatch(line) else None
    dates = sorted(d for d in found.dates if d)
    found.published = found.published or (dates[0] if dates else None)
    return found


def _lines(text: str, start: int) -> Iterator[tuple[int, int]]:
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        yield start, end
        start = end + 1


def _metadata_line(line: str, found: _Found, *, head: bool) -> bool:
    """Record what a byline, date line or credit line tells; True if the line is only that."""
    if head and (byline := _BYLINE.fullmatch(line)):
        found.dates.append(_iso_date(byline["date"]) or "")
        who = byline["who"].strip(" ,|")
        if desk := _DESK.fullmatch(who):
            found.outlet = found.outlet or desk["outlet"]
        else:
            found.author = found.author or who
        return True
    if head and (dated := _STAMP.fullmatch(line) or _STANDALONE_DATE.fullmatch(line)):
        found.dates.append(_iso_date(dated["date"]) or "")
        return True
    if byline := _BYLINE_NAME.fullmatch(line):
        found.author = found.author or byline["who"]
        return True
    if alone := _VIA_ALONE.fullmatch(line):
        found.via = found.via or _agency(alone["via"])
        return True
    if source := _SOURCE.fullmatch(line):
        outlet, _, via = _SOURCE_VIA.sub("\0", source["source"], count=1).partition("\0")
        if via:
            found.outlet = found.outlet or outlet.strip()
        found.via = found.via or _agency(via or outlet)
    return False


def _agency(name: str) -> str:
    name = name.strip()
    # "(REUTERS)" -> "Reuters"; short all-caps names are acronyms ("AP", "AFP", "SANA")
    return name.title() if name.isupper() and name.isalpha() and len(name) >= 6 else name


def _looks_like_headline(line: str) -> bool:
    words = line.split()
    return (
        3 <= len(words) <= 25
        and len(line) <= 200
        and not line.rstrip("\"'”’ ").endswith((".", ":", ";", ","))
        and not _NOT_HEADLINE.search(line)
        and not line.startswith(("(", "*"))
    )


def _merge(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(span for span in spans if span[0] < span[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)
