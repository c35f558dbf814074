"""Review commands: review, claim, merge, move, split, serve. Thin: parse, call review.py or web.py, print.

Register them with ``add_review_commands(subparsers, parents=[verbosity])``; each subparser sets
``handler`` so ``main`` can call ``args.handler(args)``.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from .config import Config

DEFAULT_DB = Config().db_path
Clock = Callable[[], str]


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def add_review_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    *,
    parents: Sequence[argparse.ArgumentParser] = (),
    now: Clock = utc_now,
) -> None:
    def command(name: str, handler: Callable[..., int], **kwargs: str) -> argparse.ArgumentParser:
        parser = subparsers.add_parser(name, parents=list(parents), **kwargs)
        parser.add_argument(
            "--db", type=Path, default=DEFAULT_DB, metavar="FILE", help="SQLite store (default: %(default)s)"
        )
        parser.set_defaults(
            handler=functools.partial(handler, now=now), usage_error=parser.error, quiet=False, verbose=False
        )
        return parser

    def reviewer(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--by",
            metavar="NAME",
            help="who decides (default: $DISCREPANCY_REVIEWER, else $USER)",
        )

    review = command(
        "review",
        _review,
        help="list open review items, or record a verdict on a referent",
        description="Without REFERENT: list the referents to review, open ones first. "
        "With REFERENT: record its review status.",
    )
    review.add_argument("referent", nargs="?", metavar="REFERENT", help="referent id, as listed")
    review.add_argument(
        "--status",
        metavar="STATUS",
        help="unreviewed, 'in progress', confirmed, explained (needs --note) or 'wrong extraction'",
    )
    review.add_argument("--note", default="", help="why: for 'explained', the different scope or date")
    review.add_argument("--all", action="store_true", help="list settled referents too")
    reviewer(review)

    claim = command(
        "claim",
        _claim,
        help="mark a claim wrong (or right again)",
        description="Mark a claim wrong: it leaves its referent on every later run.",
    )
    claim.add_argument("claim", metavar="ID", help="claim id: ARTICLE:OFFSET")
    wrongness = claim.add_mutually_exclusive_group(required=True)
    wrongness.add_argument("--wrong", action="store_true", help="not a count, wrong value, speaker or date")
    wrongness.add_argument("--restore", action="store_true", help="undo --wrong")
    claim.add_argument("--note", default="", help="what is wrong")
    claim.add_argument("--correction", default="", help="the right value, speaker or date")
    reviewer(claim)

    merge = command(
        "merge",
        _merge,
        help="merge referent B into referent A",
        description="Merge referent B into A: B's claims join A, now and after every rerun.",
    )
    merge.add_argument("into", metavar="A", help="referent that stays")
    merge.add_argument("absorbed", metavar="B", help="referent merged into A")
    reviewer(merge)

    move = command(
        "move",
        _move,
        help="move a claim to another referent",
        description="Move a claim to another referent, now and after every rerun.",
    )
    move.add_argument("claim", metavar="CLAIM", help="claim id: ARTICLE:OFFSET")
    move.add_argument("referent", metavar="REFERENT", help="referent id")
    reviewer(move)

    split = command(
        "split",
        _split,
        help="split claims off a referent into a new one",
        description="Move some claims of a referent into a new referent of their own.",
    )
    split.add_argument("referent", metavar="REFERENT", help="referent id")
    split.add_argument("claims", nargs="+", metavar="CLAIM", help="claim ids to split off")
    split.add_argument("--label", required=True, help="label of the new referent")
    reviewer(split)

    serve = command(
        "serve",
        _serve,
        help="serve the review page on this computer",
        description="Serve the review page; decisions made there are the same as the review commands'.",
    )
    serve.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s, this computer only)")


def _by(args: argparse.Namespace) -> str:
    name = args.by or os.environ.get("DISCREPANCY_REVIEWER") or os.environ.get("USER") or ""
    if not name.strip():
        args.usage_error("say who decides with --by NAME")
    return name


def _review(args: argparse.Namespace, *, now: Clock) -> int:
    from .review import ReviewStatus, ReviewStore, format_items, load_view

    config = Config(db_path=args.db)
    view = load_view(config)
    if args.referent is None:
        if args.status or args.note:
            args.usage_error("--status and --note need a REFERENT")
        items = view.items if args.all else [item for item in view.items if item.is_open]
        print(format_items(items) if items else "Nothing to review.")
        for orphan in view.orphans:
            print(
                f"discrepancy: {orphan.referent} ({orphan.status.value}) is no longer grouped;"
                " merge or move its claims again",
                file=sys.stderr,
            )
        return 0
    if not args.status:
        args.usage_error("give the referent a --status")
    status = ReviewStatus.parse(args.status)
    with ReviewStore(config.db_path) as store:
        review = store.set_status(view, args.referent, status, note=args.note, by=_by(args), at=now())
    if not args.quiet:
        print(f"{review.referent}: {review.status.value}")
    return 0


def _claim(args: argparse.Namespace, *, now: Clock) -> int:
    from .review import ReviewStore, load_view

    config = Config(db_path=args.db)
    view = load_view(config)
    with ReviewStore(config.db_path) as store:
        mark = store.mark_claim(
            view, args.claim, wrong=args.wrong, note=args.note, correction=args.correction,
            by=_by(args), at=now(),
        )  # fmt: skip
    if not args.quiet:
        print(f"{mark.claim}: {'wrong' if mark.wrong else 'restored'}")
    return 0


def _merge(args: argparse.Namespace, *, now: Clock) -> int:
    from .review import ReviewStore, load_view

    config = Config(db_path=args.db)
    view = load_view(config)
    with ReviewStore(config.db_path) as store:
        merge = store.merge(view, args.into, args.absorbed, by=_by(args), at=now())
    if not args.quiet:
        print(f"{merge.into} <- {merge.absorbed}")
    return 0


def _move(args: argparse.Namespace, *, now: Clock) -> int:
    from .review import ReviewStore, load_view

    config = Config(db_path=args.db)
    view = load_view(config)
    with ReviewStore(config.db_path) as store:
        move = store.move_claim(view, args.claim, args.referent, by=_by(args), at=now())
    if not args.quiet:
        print(f"{move.claim} -> {move.referent}")
    return 0


def _split(args: argparse.Namespace, *, now: Clock) -> int:
    from .review import ReviewStore, load_view

    config = Config(db_path=args.db)
    view = load_view(config)
    with ReviewStore(config.db_path) as store:
        split = store.split(view, args.referent, args.claims, label=args.label, by=_by(args), at=now())
    if not args.quiet:
        print(f"{split.referent} -> {split.new_referent} ({len(split.claims)} claims)")
    return 0


def _serve(args: argparse.Namespace, *, now: Clock) -> int:
    from .review import load_view
    from .web import make_review_server

    config = Config(db_path=args.db)
    load_view(config)  # fail now, with the store's message, rather than on the first page view
    server = make_review_server(config, host=args.host, port=args.port, now=now)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"discrepancy: warning: {args.host} lets other computers change the review", file=sys.stderr)
    print(f"Review page on http://{args.host}:{server.server_port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
