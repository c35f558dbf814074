"""Command line: parse options, build a Config, call one library function, map errors to exit codes.

Exit codes: 0 ok, 1 some articles failed or a library error, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .config import Config
from .errors import ConfigError, DiscrepancyError
from .review_cli import add_review_commands
from .types import ArticleFailure

DEFAULT_ARTICLES = Path("data/articles")
DEFAULTS = Config()


def build_parser() -> argparse.ArgumentParser:
    verbosity = argparse.ArgumentParser(add_help=False)
    loudness = verbosity.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    loudness.add_argument("-v", "--verbose", action="store_true", help="log each stage's progress")

    parser = argparse.ArgumentParser(
        prog="discrepancy",
        description="Find where news articles disagree on counted quantities.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        parents=[verbosity],
        help="analyse articles, store the claims and write the report",
        description="Analyse articles, store every count claim in SQLite and write the markdown report.",
    )
    run.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help=f"article files or folders (default: {DEFAULT_ARTICLES})",
    )
    run.add_argument(
        "--db",
        type=Path,
        default=DEFAULTS.db_path,
        metavar="FILE",
        help="SQLite store (default: %(default)s)",
    )
    run.add_argument(
        "--report",
        type=Path,
        default=DEFAULTS.report_path,
        metavar="FILE",
        help="markdown report (default: %(default)s)",
    )
    run.add_argument(
        "--encoding",
        metavar="NAME",
        help="encoding for articles that are not valid UTF-8, e.g. latin-1 (default: refuse them)",
    )
    run.add_argument(
        "--fetch",
        action="append",
        default=[],
        metavar="FEED",
        help="first fetch the new entries of this RSS or Atom feed (URL or file) into the first PATH "
        f"folder (default {DEFAULT_ARTICLES}); may be repeated",
    )
    run.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="analyse new articles in N worker processes (default: %(default)s)",
    )
    run.add_argument(
        "--wait",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="how long to wait for another run on the same store before giving up (default: %(default)s)",
    )

    fetch = commands.add_parser(
        "fetch",
        parents=[verbosity],
        help="save the new entries of an RSS or Atom feed as articles",
        description="Download each new entry of a feed, extract its article text and save it as a .md file.",
    )
    fetch.add_argument("feed", metavar="FEED", help="feed URL (http or https) or feed file")
    fetch.add_argument(
        "--into",
        type=Path,
        default=DEFAULT_ARTICLES,
        metavar="DIR",
        help="folder to save the articles in (default: %(default)s)",
    )
    fetch.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="give up on a download after this long (default: %(default)s)",
    )
    fetch.add_argument(
        "--max-bytes",
        type=int,
        default=DEFAULTS.max_file_bytes,
        metavar="N",
        help="refuse a feed or page larger than this (default: %(default)s)",
    )

    changes = commands.add_parser(
        "changes",
        parents=[verbosity],
        help="print what changed in the recent runs",
        description="Print what changed, run by run, newest first: the text of reports/changes.md.",
    )
    changes.add_argument(
        "--db",
        type=Path,
        default=DEFAULTS.db_path,
        metavar="FILE",
        help="SQLite store (default: %(default)s)",
    )
    changes.add_argument(
        "--since",
        type=int,
        metavar="RUN",
        help="only the runs after run number RUN (default: every run)",
    )

    export = commands.add_parser(
        "export",
        parents=[verbosity],
        help="write the stored count claims as JSON Lines or CSV, or the verdicts as ClaimReview",
        description="Write the count claims of the store as JSON Lines or CSV, or the desk's verdicts on "
        "reviewed referents as schema.org ClaimReview JSON-LD.",
    )
    export.add_argument(
        "--db",
        type=Path,
        default=DEFAULTS.db_path,
        metavar="FILE",
        help="SQLite store (default: %(default)s)",
    )
    export.add_argument(
        "--format",
        choices=("jsonl", "csv", "claimreview"),
        default="jsonl",
        help="output format: claims as jsonl or csv, or claimreview for reviewed referents (default: %(default)s)",
    )
    export.add_argument("--output", type=Path, metavar="FILE", help="write to FILE instead of standard output")

    evaluate = commands.add_parser(
        "eval",
        parents=[verbosity],
        help="score the analysis against a gold file",
        description="Analyse a folder of articles and score the count claims against a gold JSON Lines file.",
    )
    evaluate.add_argument("--articles", type=Path, required=True, metavar="DIR", help="folder of articles")
    evaluate.add_argument("--gold", type=Path, required=True, metavar="FILE", help="gold claims (JSON Lines)")
    evaluate.add_argument("--errors", action="store_true", help="also list missed, spurious and mismatched claims")
    evaluate.add_argument(
        "--floors",
        type=Path,
        metavar="FILE",
        help="JSON file of score floors; exit 1 if a score is under its floor",
    )
    evaluate.add_argument(
        "--floors-key",
        metavar="NAME",
        help="which set of floors in the --floors file to use, e.g. seeds or dev",
    )

    add_review_commands(commands, parents=[verbosity])  # review, claim, merge, move, split, serve
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "eval" and args.floors_key and not args.floors:
        parser.error("--floors-key needs --floors FILE")
    _configure_logging(logging.ERROR if args.quiet else logging.INFO if args.verbose else logging.WARNING)
    command = getattr(args, "handler", None) or {
        "run": _run, "export": _export, "eval": _eval, "fetch": _fetch, "changes": _changes,
    }[args.command]  # fmt: skip
    try:
        return command(args)
    except ConfigError as exc:
        print(f"discrepancy: {exc}", file=sys.stderr)
        return 2
    except (DiscrepancyError, OSError) as exc:
        print(f"discrepancy: {exc}", file=sys.stderr)
        return 1


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a record comes, not the one at setup (tests swap it)."""

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


def _configure_logging(level: int) -> None:
    """Send the package's log records to stderr; main() may run more than once in one process."""
    package = logging.getLogger("discrepancy")
    for handler in [h for h in package.handlers if getattr(h, "_discrepancy_cli", False)]:
        package.removeHandler(handler)
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler._discrepancy_cli = True  # type: ignore[attr-defined]
    package.addHandler(handler)
    package.setLevel(level)


# The stage modules load spaCy and pandas; importing them per command keeps --help instant.
def _run(args: argparse.Namespace) -> int:
    from .pipeline import run

    config = Config(db_path=args.db, report_path=args.report, encoding=args.encoding, jobs=args.jobs)
    paths = args.paths or [DEFAULT_ARTICLES]
    progress = _ProgressBar(sys.stderr) if sys.stderr.isatty() and not args.quiet else None
    result = run(
        paths,
        config=config,
        feeds=args.fetch,
        fetch_into=paths[0] if paths[0].is_dir() or not paths[0].exists() else DEFAULT_ARTICLES,
        lock_timeout=args.wait,
        progress=progress,
    )
    analysis = result.analysis
    _print_failures(analysis.failures, quiet=args.quiet)
    if not args.quiet:
        print(
            f"{result.articles} articles, {result.claims} count claims, {result.diverging} diverging referents;"
            f" report: {result.report_path}"
        )
    return 1 if analysis.failures else 0


class _ProgressBar:
    """A one-line bar on a terminal: 'analysing [#####-----] 12/40'."""

    WIDTH = 30

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def __call__(self, done: int, total: int) -> None:
        filled = self.WIDTH * done // max(total, 1)
        self.out.write(f"\ranalysing [{'#' * filled}{'-' * (self.WIDTH - filled)}] {done}/{total}")
        if done >= total:
            self.out.write("\n")
        self.out.flush()


def _print_failures(failures: Sequence[ArticleFailure], *, quiet: bool) -> None:
    """One line per failure: the library already logged it unless logging is down to errors only."""
    if quiet:
        for failure in failures:
            print(failure.message, file=sys.stderr)


def _fetch(args: argparse.Namespace) -> int:
    from .fetch import fetch_feed

    result = fetch_feed(args.feed, into=args.into, timeout=args.timeout, max_bytes=args.max_bytes)
    _print_failures(result.failures, quiet=args.quiet)
    if not args.quiet:
        print(
            f"{len(result.saved)} new articles saved in {args.into}, {result.skipped} fetched before, "
            f"{len(result.failures)} failed"
        )
    return 1 if result.failures else 0


def _changes(args: argparse.Namespace) -> int:
    from .changes import changes_text

    if not args.db.is_file():
        print(f"discrepancy: no store at {args.db}; run `discrepancy run` first", file=sys.stderr)
        return 1
    print(changes_text(args.db, since=args.since), end="")
    return 0


def _export(args: argparse.Namespace) -> int:
    if not args.db.is_file():
        print(f"discrepancy: no store at {args.db}; run `discrepancy run` first", file=sys.stderr)
        return 1
    write = _claimreview_writer(args.db) if args.format == "claimreview" else _claims_writer(args.db, args.format)
    if args.output is None:
        write(sys.stdout)
    else:
        with args.output.open("w", encoding="utf-8", newline="") as out:
            write(out)
    return 0


def _claims_writer(db: Path, fmt: str) -> Callable[[TextIO], None]:
    from .export import export_claims
    from .store import Store

    with Store(db) as store:
        frame = store.claims_frame()
    return lambda out: export_claims(frame, fmt=fmt, out=out)


def _claimreview_writer(db: Path) -> Callable[[TextIO], None]:
    from .claimreview import claimreview_jsonld, write_claimreview
    from .review import load_view

    view = load_view(Config(db_path=db))
    documents = claimreview_jsonld(view.comparisons, view.decisions, articles=view.articles)
    return lambda out: write_claimreview(documents, out)


def _eval(args: argparse.Namespace) -> int:
    from .evaluate import check_floors, evaluate, format_scores, load_floors

    floors = load_floors(args.floors, key=args.floors_key) if args.floors else {}
    scores = evaluate(args.articles, args.gold, config=Config())
    print(format_scores(scores))
    if args.errors:
        print("\n".join(scores.errors))
    problems = check_floors(scores, floors)
    for problem in problems:
        print(f"discrepancy: {problem}", file=sys.stderr)
    return 1 if problems else 0
