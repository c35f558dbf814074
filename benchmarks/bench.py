"""Throughput benchmark: the full pipeline against a quantulum3-only baseline, on a synthetic corpus.

    python benchmarks/bench.py [--articles N] [--jobs J] [--out benchmarks/results.md] [--quick]

It builds N articles from the bundled data/articles/*.txt (and ../shared/dev/articles/*.txt when
present) by recombining sentences and varying numbers, person names and dates, then measures side
by side in one run: quantulum3 over every full text; the pipeline cold with jobs 1 and jobs J; a
rerun with nothing new; a rerun with 10 new articles. Each measurement runs in a fresh Python
process, so "cold" includes loading spaCy and every step's peak memory is its own.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = (ROOT / "data" / "articles", ROOT.parent / "shared" / "dev" / "articles")
DEFAULT_ARTICLES = 2000
QUICK_ARTICLES = 200
NEW_ARTICLES = 10
SEED = 20240611

# Fictional names swapped in for the people the source articles quote.
NAMES = (
    "Maria Okafor", "Daniel Reyes", "Aiko Tanaka", "Samuel Mensah", "Elena Petrova", "Tomas Lindqvist",
    "Priya Raman", "Jonas Weber", "Fatima Haddad", "Lucas Moreau", "Grace Odhiambo", "Ivan Kovac",
)  # fmt: skip
_TITLES = (
    "President|Prime Minister|Minister|Secretary|Governor|Mayor|Senator|Spokesman|Spokeswoman|Spokesperson"
    "|Director|Commissioner|Chief|General|Head|Ambassador|Mr\\.?|Ms\\.?|Dr\\.?"
)
_NAME = r"[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){1,2}"
_PERSON = re.compile(
    rf"(?i:{_TITLES})\s+(?P<a>{_NAME})"  # "Secretary General Mark Rutte"
    rf"|(?P<b>{_NAME})(?=,?\s+(?:said|says|told|added|stated|announced|confirmed|wrote|continued)\b)"
)
_TITLE_WORDS = {w.strip("\\.?").lower() for w in _TITLES.replace("Prime Minister", "Prime|Minister").split("|")}
_TITLE_WORDS |= {"of", "state", "defence", "defense", "foreign", "us", "the"}

_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December")  # fmt: skip
_MONTH = r"(?P<{g}>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?)"
_TOKEN = re.compile(
    r"(?P<iso>\b\d{4}-\d{2}-\d{2}\b)"
    rf"|(?P<md>\b{_MONTH.format(g='m1')}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:(?P<s1>,?\s+)(?P<y1>\d{{4}}))?\b)"
    rf"|(?P<dm>\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH.format(g='m2')}(?:(?P<s2>,?\s+)(?P<y2>\d{{4}}))?)"
    r"|(?P<keep>\b\d{1,2}[:.]\d{2}\b|\b(?:19|20)\d{2}\b)"  # times and years stay as they are
    r"|(?<![\w.,/])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w/])"
)
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“‘(]?[A-Z0-9])")
_FRONT = re.compile(r"\A---[ \t]*\n(?P<meta>.*?)\n---[ \t]*\n", re.DOTALL)
_MARKER = re.compile(r"\s*date (\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Source:
    """A bundled article taken apart: its metadata, first line (headline or dateline) and sentences."""

    folder: str
    name: str
    outlet: str | None
    published: date | None
    front_matter: bool
    head: str
    sentences: tuple[str, ...]


def read_sources(folders: Iterable[Path] = SOURCE_DIRS) -> list[Source]:
    """Every *.txt under the folders that exist, sorted by folder then name."""
    sources = [parse_source(path) for folder in folders if folder.is_dir() for path in sorted(folder.glob("*.txt"))]
    if not sources:
        raise SystemExit(f"no source articles in {', '.join(map(str, folders))}")
    return sources


def parse_source(path: Path) -> Source:
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    meta: dict[str, str] = {}
    front = _FRONT.match(text)
    if front:
        for line in front["meta"].splitlines():
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()
        text = text[front.end() :]
    lines = [line for line in text.split("\n") if line.strip()]
    head, body = (lines[0], lines[1:]) if len(lines) > 1 else ("", lines)
    published = meta.get("published") or ((m := _MARKER.match(head)) and m[1]) or None
    sentences = tuple(s.strip() for line in body for s in _SENTENCE_END.split(line) if len(s.split()) >= 3)
    return Source(
        folder=str(path.parent),
        name=path.name,
        outlet=meta.get("outlet"),
        published=date.fromisoformat(published) if published else None,
        front_matter=bool(front),
        head=head,
        sentences=sentences or (head,),
    )


def normalised_hash(text: str) -> str:
    """The identity the pipeline's ingest uses: whitespace-insensitive text."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def build_corpus(sources: Sequence[Source], count: int, *, seed: int, into: Path, start: int = 0) -> list[Path]:
    """Write ``count`` distinct synthetic articles bench_<start>.txt ... into ``into``; same seed, same bytes."""
    into.mkdir(parents=True, exist_ok=True)
    # sentences are borrowed within a story (bundled sets name one story's files with one letter or digit)
    pools: dict[str, list[str]] = {}
    for source in sources:
        pools.setdefault(_story(source), []).extend(source.sentences)
    seen: set[str] = set()
    paths = []
    for index in range(start, start + count):
        for attempt in range(100):
            rng = Random(f"{seed}:{index}:{attempt}")
            source = sources[rng.randrange(len(sources))]
            text = synthesise(source, pools[_story(source)], rng)
            if (key := normalised_hash(text)) not in seen:
                break
        else:
            raise RuntimeError(f"could not make article {index} distinct from the others")
        seen.add(key)
        path = into / f"bench_{index:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    assert len(seen) == count, "two synthetic articles are identical"
    return paths


def _story(source: Source) -> str:
    return f"{source.folder}/{source.name[0]}"


def synthesise(source: Source, pool: Sequence[str], rng: Random) -> str:
    """One article shaped like ``source``: its sentences, some dropped, some borrowed, numbers/names/dates varied."""
    chosen = [s for s in source.sentences if rng.random() < 0.85]
    for _ in range(max(1, len(source.sentences) // 4)):
        chosen.insert(rng.randrange(len(chosen) + 1), pool[rng.randrange(len(pool))])
    paragraphs, i = [], 0
    while i < len(chosen):
        size = rng.randint(1, 3)
        paragraphs.append(" ".join(chosen[i : i + size]))
        i += size
    shift = timedelta(days=rng.randint(-400, 400))
    factor = rng.uniform(0.55, 1.8)
    names = _name_swaps(chosen, rng)  # headlines capitalise every word: names are looked for in the body
    year = (source.published or date(2024, 1, 1)).year

    def vary(text: str) -> str:
        return vary_numbers_and_dates(swap_names(text, names), factor=factor, shift=shift, year=year)

    lines = []
    if source.front_matter:
        lines += ["---", f"outlet: {source.outlet or 'Synthetic News'}"]
        if source.published:
            lines.append(f"published: {(source.published + shift).isoformat()}")
        lines.append("---")
    lines.append(vary(source.head))
    for paragraph in paragraphs:
        lines += ["", vary(paragraph)]
    return "\n".join(lines) + "\n"


def _name_swaps(texts: Iterable[str], rng: Random) -> dict[str, str]:
    found: dict[str, None] = {}
    for text in texts:
        for match in _PERSON.finditer(text):
            words = (match["a"] or match["b"]).split()
            while words and words[0].lower() in _TITLE_WORDS:
                words.pop(0)
            if len(words) >= 2:
                found[" ".join(words)] = None
    swaps: dict[str, str] = {}
    for name in found:
        new = rng.choice(NAMES)
        swaps[name] = new
        swaps.setdefault(name.split()[-1], new.split()[-1])  # "Blinken continued" after "Antony Blinken"
    return swaps


def swap_names(text: str, swaps: dict[str, str]) -> str:
    if not swaps:
        return text
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(swaps, key=len, reverse=True))) + r")\b")
    return pattern.sub(lambda m: swaps[m[0]], text)


def vary_numbers_and_dates(text: str, *, factor: float, shift: timedelta, year: int) -> str:
    """Scale every counted number by ``factor`` (separators and roundness kept) and move dates by ``shift``."""

    def replace(m: re.Match[str]) -> str:
        if m["iso"]:
            try:
                return (date.fromisoformat(m["iso"]) + shift).isoformat()
            except ValueError:
                return m[0]
        if m["md"] or m["dm"]:
            g = "1" if m["md"] else "2"
            month, day, sep, yr = m["m" + g], m["d" + g], m["s" + g], m["y" + g]
            moved = _shift_day(month, int(day), int(yr) if yr else year, shift)
            if moved is None:
                return m[0]
            name = _MONTHS[moved.month - 1]
            tail = f"{sep}{moved.year}" if yr else ""
            return f"{name} {moved.day}{tail}" if m["md"] else f"{moved.day} {name}{tail}"
        if m["num"]:
            return scale_number(m["num"], factor)
        return m[0]

    return _TOKEN.sub(replace, text)


def _shift_day(month: str, day: int, year: int, shift: timedelta) -> date | None:
    number = next((i for i, name in enumerate(_MONTHS, 1) if name.lower().startswith(month[:3].lower())), None)
    try:
        return date(year, number, day) + shift if number else None
    except ValueError:
        return None


def scale_number(number: str, factor: float) -> str:
    """``number`` times ``factor``, written the same way: "10,000" x 1.37 -> "14,000", "2.5" -> "3.4"."""
    whole, _, decimals = number.replace(",", "").partition(".")
    value = float(number.replace(",", "")) * factor
    if decimals:
        return f"{value:{',' if ',' in number else ''}.{len(decimals)}f}"
    zeros = len(whole) - len(whole.rstrip("0")) if whole.strip("0") else 0
    places = min(zeros, max(len(whole) - 2, 0))  # stay as round as the original, with two figures at least
    scaled = max(1, round(value, -places)) if int(whole) else 0
    return f"{int(scaled):,}" if "," in number else str(int(scaled))


def word_count(paths: Iterable[Path]) -> int:
    return sum(len(path.read_text(encoding="utf-8").split()) for path in paths)


# -- measuring: every step runs in a fresh process (python bench.py --step ...) ----------------------------


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def step_baseline(corpus: Path) -> dict[str, object]:
    """quantulum3 over every article's full text: the naive approach."""
    import warnings

    warnings.filterwarnings("ignore", message="Classifier dependencies not installed")  # counts need none
    from quantulum3 import parser

    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus.glob("*.txt"))]
    parser.parse("about 10,000 people")  # load its tables outside the timing
    started = time.perf_counter()
    quantities = sum(len(parser.parse(text)) for text in texts)
    return {"seconds": time.perf_counter() - started, "found": quantities}


def step_pipeline(corpus: Path, *, workdir: Path, jobs: int) -> dict[str, object]:
    """``pipeline.run`` over the corpus into the store and report in ``workdir``."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # a checkout run without an install
    from discrepancy.config import Config
    from discrepancy.pipeline import run
    from discrepancy.types import Kind

    config = Config(db_path=workdir / "bench.sqlite", report_path=workdir / "report.md", jobs=jobs)
    started = time.perf_counter()
    result = run([corpus], config=config)
    seconds = time.perf_counter() - started
    claims = sum(1 for claim in result.analysis.claims if claim.kind is Kind.COUNT)
    return {"seconds": seconds, "new": result.new, "skipped": result.skipped, "found": claims}


def _in_subprocess(step: str, corpus: Path, *, workdir: Path | None = None, jobs: int = 1) -> dict[str, object]:
    command = [sys.executable, str(Path(__file__).resolve()), "--step", step, "--corpus", str(corpus)]
    command += ["--jobs", str(jobs)] + (["--workdir", str(workdir)] if workdir else [])
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    measured: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    measured["process_seconds"] = time.perf_counter() - started
    return measured


@dataclass(frozen=True)
class Row:
    step: str
    articles: int
    words: int
    jobs: int | None
    measured: dict[str, object]

    @property
    def seconds(self) -> float:
        return float(self.measured["seconds"])  # type: ignore[arg-type]

    @property
    def total_mb(self) -> float:
        """The step's peak memory, all processes together: its own peak plus each worker at the largest's."""
        own, worker = float(self.measured["rss_self_mb"]), float(self.measured["rss_children_mb"])  # type: ignore[arg-type]
        return own + (self.jobs or 1) * worker if worker else own


def _table(rows: Sequence[Row], baseline: Row) -> tuple[list[str], list[list[object]]]:
    headers = ["step", "articles", "jobs", "analysed", "found", "seconds", "process s", "articles/s", "words/s",
               "vs baseline", "peak RSS MB", "worker RSS MB", "total RSS MB"]  # fmt: skip
    body = []
    for row in rows:
        m = row.measured
        full = row.step.startswith(("baseline", "cold"))  # a rerun's cost is in seconds, not a rate
        ratio = baseline.seconds / row.seconds if full else None
        body.append([
            row.step, row.articles, row.jobs or "", m.get("new", ""), m.get("found", ""),
            f"{row.seconds:.2f}", f"{float(m['process_seconds']):.2f}",  # type: ignore[arg-type]
            f"{row.articles / row.seconds:.1f}" if full else "", f"{row.words / row.seconds:,.0f}" if full else "",
            f"{ratio:.2f}x" if ratio else "",
            f"{float(m['rss_self_mb']):.0f}", f"{float(m['rss_children_mb']):.0f}" if m["rss_children_mb"] else "",  # type: ignore[arg-type]
            f"{row.total_mb:.0f}",
        ])  # fmt: skip
    return headers, body


def _verdicts(rows: dict[str, Row], *, articles: int, jobs: int) -> list[str]:
    def check(ok: bool) -> str:
        return "met" if ok else "MISSED"

    cold1, cold_j = rows["cold jobs 1"], rows[f"cold jobs {jobs}"]
    ratio = rows["baseline"].seconds / cold1.seconds
    speedup = cold1.seconds / cold_j.seconds
    peak = max(row.total_mb for row in rows.values())
    nothing, ten = rows["rerun, nothing new"], rows[f"rerun, {NEW_ARTICLES} new"]
    lines = [
        f"- jobs 1 throughput vs the quantulum3 baseline: {ratio:.2f}x (target >= 2x at N=2,000: {check(ratio >= 2)})",
        f"- jobs {jobs} vs jobs 1: {speedup:.2f}x faster (target >= 1.6x with jobs 2: {check(speedup >= 1.6)})",
        f"- rerun with nothing new: {nothing.seconds:.2f} s in run(), {nothing.measured['process_seconds']:.2f} s "
        f"as a process (target < 2 s at N=10,000: {check(float(nothing.measured['process_seconds']) < 2)})",  # type: ignore[arg-type]
        f"- rerun with {NEW_ARTICLES} new: {ten.seconds:.2f} s in run(), {ten.measured['process_seconds']:.2f} s "
        f"as a process (target < 10 s at N=10,000: {check(float(ten.measured['process_seconds']) < 10)})",  # type: ignore[arg-type]
        f"- peak resident memory of a step, its workers included: {peak:,.0f} MB (target < 1,536 MB at N=10,000: "
        f"{check(peak < 1536)})",
    ]
    if articles != 10_000:
        lines.append(f"- this run has N={articles:,}: the N=10,000 targets are only indicative here")
    if jobs == 1:
        lines.append("- only one core: the parallel row repeats jobs 1")
    return lines


def benchmark(*, articles: int, jobs: int, out: Path, seed: int, keep: bool) -> None:
    from tabulate import tabulate

    tmp = Path(tempfile.mkdtemp(prefix="discrepancy-bench-"))
    try:
        sources = read_sources()
        corpus, extra = tmp / "corpus", tmp / "extra"
        started = time.perf_counter()
        paths = build_corpus(sources, articles, seed=seed, into=corpus)
        extras = build_corpus(sources, NEW_ARTICLES, seed=seed, into=extra, start=articles)
        hashes = {normalised_hash(p.read_text(encoding="utf-8")) for p in [*paths, *extras]}
        assert len(hashes) == articles + NEW_ARTICLES, "two synthetic articles are identical"
        words = word_count(paths)
        print(f"corpus: {articles:,} articles, {words:,} words from {len(sources)} sources "
              f"in {time.perf_counter() - started:.1f} s ({tmp})", flush=True)  # fmt: skip

        rows: dict[str, Row] = {}

        def measure(step: str, n: int, w: int, run_jobs: int | None, measured: dict[str, object]) -> None:
            rows[step] = Row(step, n, w, run_jobs, measured)
            print(f"{step}: {float(measured['seconds']):.2f} s", flush=True)  # type: ignore[arg-type]

        measure("baseline", articles, words, None, _in_subprocess("baseline", corpus))
        store_1, store_j = tmp / "jobs1", tmp / f"jobs{jobs}"
        measure("cold jobs 1", articles, words, 1, _in_subprocess("pipeline", corpus, workdir=store_1, jobs=1))
        if jobs != 1:
            measured = _in_subprocess("pipeline", corpus, workdir=store_j, jobs=jobs)
            measure(f"cold jobs {jobs}", articles, words, jobs, measured)
        else:
            store_j = store_1
        measure("rerun, nothing new", articles, words, jobs,
                _in_subprocess("pipeline", corpus, workdir=store_j, jobs=jobs))  # fmt: skip
        for path in extras:
            shutil.copy2(path, corpus / path.name)
        measure(f"rerun, {NEW_ARTICLES} new", articles + NEW_ARTICLES, words + word_count(extras), jobs,
                _in_subprocess("pipeline", corpus, workdir=store_j, jobs=jobs))  # fmt: skip
        _check_reruns(rows)

        headers, body = _table(list(rows.values()), rows["baseline"])
        print(tabulate(body, headers=headers))
        verdicts = _verdicts(rows, articles=articles, jobs=jobs)
        print("\n".join(verdicts))
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(_results_md(tabulate(body, headers=headers, tablefmt="github"), verdicts,
                                   articles=articles, words=words, jobs=jobs, seed=seed, sources=len(sources)),
                       encoding="utf-8")  # fmt: skip
        print(f"wrote {out}")
    finally:
        if keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _check_reruns(rows: dict[str, Row]) -> None:
    """A benchmark of reruns that did the wrong amount of work would be meaningless: say so."""
    nothing = rows["rerun, nothing new"].measured.get("new")
    ten = rows[f"rerun, {NEW_ARTICLES} new"].measured.get("new")
    if nothing != 0 or ten != NEW_ARTICLES:
        print(f"warning: reruns analysed {nothing} and {ten} articles (expected 0 and {NEW_ARTICLES})", flush=True)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _results_md(table: str, verdicts: Sequence[str], *, articles: int, words: int, jobs: int, seed: int,
                sources: int) -> str:  # fmt: skip
    return "\n".join([
        "# Benchmark results",
        "",
        f"Measured {datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')} by `python benchmarks/bench.py "
        f"--articles {articles} --jobs {jobs} --seed {seed}`.",
        "",
        f"- machine: {os.cpu_count()} cores ({_cpu_model()}), {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}",
        f"- corpus: {articles:,} synthetic articles ({words:,} words) recombined from {sources} bundled articles,"
        f" plus {NEW_ARTICLES} more for the last rerun",
        "",
        table,
        "",
        "`seconds` is the time inside `quantulum3.parser.parse` over every text (baseline) or inside"
        " `pipeline.run`; `process s` adds starting Python and importing, as a user of the command waits."
        " `vs baseline` is the pipeline's throughput over the baseline's on the same files in the same run."
        " `analysed` is the articles the run analysed; `found` is quantities (baseline) or count claims (pipeline)."
        " Peak RSS is `ru_maxrss` of the step's own process, worker RSS the largest of its worker processes,"
        " total RSS the first plus jobs times the second (an upper bound of the step's memory).",
        "",
        "## Targets",
        "",
        *verdicts,
        "",
    ])  # fmt: skip


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES, help="synthetic articles (default 2000)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="jobs of the parallel run (cores)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.md", help="results file")
    parser.add_argument("--quick", action="store_true", help=f"a smoke run on {QUICK_ARTICLES} articles")
    parser.add_argument("--seed", type=int, default=SEED, help="corpus seed")
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpus and stores")
    parser.add_argument("--step", choices=("baseline", "pipeline"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        import logging

        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
        if args.step == "baseline":
            measured = step_baseline(args.corpus)
        else:
            measured = step_pipeline(args.corpus, workdir=args.workdir, jobs=args.jobs)
        measured["rss_self_mb"] = _peak_mb(resource.RUSAGE_SELF)
        measured["rss_children_mb"] = _peak_mb(resource.RUSAGE_CHILDREN)
        print(json.dumps(measured))
        return
    if args.articles < 1 or args.jobs < 1:
        parser.error("--articles and --jobs must be 1 or more")
    articles = QUICK_ARTICLES if args.quick else args.articles
    benchmark(articles=articles, jobs=args.jobs, out=args.out, seed=args.seed, keep=args.keep)


if __name__ == "__main__":
    main()
