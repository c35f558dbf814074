"""Fetch a feed: read an RSS or Atom feed, download each new entry's page, save its article text.

Each entry becomes ``<site>_<hash of its url>.md`` with front matter (url, outlet, title,
published) in the articles folder; an entry whose file exists was fetched before and is
skipped. A page that cannot be downloaded or holds no article text is one failure line and
the other entries go on. Files are written atomically, so a killed fetch leaves no half file.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .errors import ArticleError, DiscrepancyError
from .ingest import extract_html
from .report import write_atomically
from .types import ArticleFailure

log = logging.getLogger(__name__)

TIMEOUT = 10.0  # seconds per download
MAX_BYTES = 5_000_000  # a larger feed or page is refused
USER_AGENT = "discrepancy-fetch/0.1 (+https://github.com/)"


class FetchError(DiscrepancyError):
    """The feed itself cannot be read: unreachable, too big or not RSS/Atom."""


@dataclass(frozen=True)
class FetchResult:
    saved: tuple[Path, ...]
    skipped: int  # entries fetched before
    failures: tuple[ArticleFailure, ...]


def _download(url: str, *, timeout: float, max_bytes: int) -> tuple[bytes, str]:
    """The body at ``url`` and its declared charset; raises OSError or ValueError with a one-line reason."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the open connection
        raise
    with response:
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise ValueError(f"{int(declared):,} bytes, over the {max_bytes:,} byte limit")
        data: bytes = response.read(max_bytes + 1)
        charset = response.headers.get_content_charset() or "utf-8"
    if len(data) > max_bytes:
        raise ValueError(f"over the {max_bytes:,} byte limit")
    return data, charset


def _decode(data: bytes, charset: str) -> str:
    try:
        return data.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name in the header
        return data.decode("utf-8", errors="replace")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        return f"unreachable ({exc.reason})"
    if isinstance(exc, TimeoutError):
        return "timed out"
    return str(exc) or type(exc).__name__


def _is_url(text: str) -> bool:
    return urlsplit(text).scheme in {"http", "https"}


def _read_feed(feed: str, *, timeout: float, max_bytes: int) -> bytes:
    if _is_url(feed):
        try:
            return _download(feed, timeout=timeout, max_bytes=max_bytes)[0]
        except (OSError, ValueError) as exc:
            raise FetchError(f"{feed}: cannot read the feed: {_reason(exc)}") from None
    path = Path(feed)
    try:
        if path.stat().st_size > max_bytes:
            raise FetchError(f"{feed}: feed file over the {max_bytes:,} byte limit")
        return path.read_bytes()
    except OSError as exc:
        raise FetchError(f"{feed}: cannot read the feed file ({exc.strerror or exc})") from None


def entry_file(url: str) -> str:
    """The file name of an entry: the site, then a hash of the url (so a refetch finds it)."""
    site = re.sub(r"[^a-z0-9]+", "-", (urlsplit(url).hostname or "page").lower()).strip("-")
    return f"{site}_{hashlib.sha256(url.encode('utf-8')).hexdigest()[:16]}.md"


def _published(entry: dict[str, object]) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if isinstance(parsed, time.struct_time):
            return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
    return None


def _front_matter(meta: dict[str, str | None]) -> str:
    kept = {key: value for key, value in meta.items() if value}
    return "---\n" + yaml.safe_dump(kept, allow_unicode=True, sort_keys=False, width=1000) + "---\n"


def fetch_feed(feed: str, *, into: Path, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> FetchResult:
    """Fetch the new entries of ``feed`` (an RSS or Atom URL or file) into the folder ``into``."""
    import feedparser  # only fetching needs it

    parsed = feedparser.parse(_read_feed(feed, timeout=timeout, max_bytes=max_bytes))
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f" ({str(problem).splitlines()[0]})" if problem else ""
        raise FetchError(f"{feed}: not an RSS or Atom feed{detail}")
    outlet = parsed.feed.get("title")
    saved: list[Path] = []
    skipped = 0
    failures: list[ArticleFailure] = []
    for number, entry in enumerate(parsed.entries, 1):
        url = str(entry.get("link") or "").strip()
        if not _is_url(url):
            failures.append(ArticleFailure(feed, f"{feed}: entry {number} has no http(s) link; skipped"))
            log.warning("%s", failures[-1].message)
            continue
        target = into / entry_file(url)
        if target.exists():
            skipped += 1
            continue
        try:
            page = extract_html(_decode(*_download(url, timeout=timeout, max_bytes=max_bytes)), source=url)
        except ArticleError as exc:
            failures.append(ArticleFailure(url, str(exc)))
        except (OSError, ValueError) as exc:
            failures.append(ArticleFailure(url, f"{url}: cannot download the page: {_reason(exc)}"))
        else:
            meta = {
                "url": url,
                "outlet": page.outlet or outlet,
                "title": str(entry.get("title") or "") or page.title,
                "published": _published(entry) or page.published,
            }
            try:
                write_atomically(_front_matter(meta) + page.text, target)
            except OSError as exc:
                raise FetchError(f"{target}: cannot save the article ({exc.strerror or exc})") from None
            saved.append(target)
            continue
        log.warning("%s", failures[-1].message)
    log.info("%s: %d entries saved, %d fetched before, %d failed", feed, len(saved), skipped, len(failures))
    return FetchResult(tuple(saved), skipped, tuple(failures))
