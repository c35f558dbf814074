"""Review decisions: stored beside the analysis, laid over fresh results, kept across reruns."""

from __future__ import annotations

import argparse
import shutil
import sqlite3
from pathlib import Path

import pytest

from discrepancy.config import Config
from discrepancy.pipeline import run
from discrepancy.review import (
    REVIEW_SCHEMA_VERSION,
    ReviewError,
    ReviewStatus,
    ReviewStore,
    ReviewView,
    apply_decisions,
    format_items,
    load_view,
    open_items,
)
from discrepancy.review_cli import add_review_commands
from discrepancy.store import Store
from discrepancy.types import GroupStatus

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
LATE_ARTICLE = "004_b86a5de73d64b46a.txt"  # the US figures of 31 October: new values for earlier referents
CLOCK = "2025-01-02T10:00:00+00:00"


@pytest.fixture(scope="module")
def early_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds without the last article, run once; each test works on a copy."""
    folder = tmp_path_factory.mktemp("early")
    articles = folder / "articles"
    articles.mkdir()
    for path in ARTICLES.iterdir():
        if path.name != LATE_ARTICLE:
            shutil.copy(path, articles / path.name)
    run([articles], config=Config(db_path=folder / "store.sqlite", report_path=folder / "report.md"))
    return folder


@pytest.fixture
def config(early_store: Path, tmp_path: Path) -> Config:
    shutil.copytree(early_store / "articles", tmp_path / "articles")
    shutil.copy(early_store / "store.sqlite", tmp_path / "store.sqlite")
    return Config(db_path=tmp_path / "store.sqlite", report_path=tmp_path / "report.md")


def rerun_with_late_article(config: Config) -> None:
    articles = config.db_path.parent / "articles"
    shutil.copy(ARTICLES / LATE_ARTICLE, articles / LATE_ARTICLE)
    run([articles], config=config)


def diverging(view: ReviewView) -> list[str]:
    return [c.referent.id for c in view.comparisons if c.status is GroupStatus.DIVERGES]


def largest(view: ReviewView) -> str:
    return max(view.comparisons, key=lambda c: (len(c.referent.claims), c.referent.id)).referent.id


def claim_of(view: ReviewView, referent: str, value: float) -> str:
    return next(c.id for c in view.comparison(referent).referent.claims if c.value == value)


# --- statuses and schema -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("in progress", ReviewStatus.IN_PROGRESS),
        ("in-progress", ReviewStatus.IN_PROGRESS),
        ("In_Progress", ReviewStatus.IN_PROGRESS),
        ("wrong-extraction", ReviewStatus.WRONG_EXTRACTION),
        ("Explained", ReviewStatus.EXPLAINED),
    ],
)
def test_status_names_are_read_leniently(text: str, status: ReviewStatus) -> None:
    assert ReviewStatus.parse(text) is status


def test_unknown_status_names_the_allowed_ones() -> None:
    with pytest.raises(ReviewError, match="'wrong extraction'"):
        ReviewStatus.parse("dubious")


def test_review_tables_live_beside_the_store_with_their_own_version(config: Config) -> None:
    with ReviewStore(config.db_path), ReviewStore(config.db_path):
        pass  # opening twice migrates once
    with sqlite3.connect(config.db_path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        versions = conn.execute("SELECT version FROM review_schema_version").fetchall()
    assert {"review_referents", "review_claims", "review_moves", "review_merges", "review_history"} <= tables
    assert versions == [(REVIEW_SCHEMA_VERSION,)]
    with Store(config.db_path) as store:  # the main store still accepts the file
        assert store.load_articles()


def test_a_fresh_file_gets_the_main_tables_first(tmp_path: Path) -> None:
    with ReviewStore(tmp_path / "new.sqlite") as review:
        assert not review.decisions().referents
    with Store(tmp_path / "new.sqlite") as store:
        assert store.load_claims() == []


def test_no_store_yet_says_run_first(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="run `discrepancy run` first"):
        load_view(Config(db_path=tmp_path / "missing.sqlite"))


# --- decisions -----------------------------------------------------------------


def test_status_is_stored_with_who_when_and_the_claims_seen(config: Config) -> None:
    view = load_view(config)
    referent = diverging(view)[0]
    with ReviewStore(config.db_path) as review:
        review.set_status(view, referent, ReviewStatus.CONFIRMED, note="real gap", by="ana", at=CLOCK)
        history = review.history(referent)
    stored = load_view(config).decisions.referents[referent]
    assert (stored.status, stored.note, stored.by, stored.at) == (
        ReviewStatus.CONFIRMED,
        "real gap",
        "ana",
        CLOCK,
    )
    assert set(stored.seen_claims) == {c.id for c in view.comparison(referent).referent.claims}
    assert [(h.action, h.by, h.detail["status"]) for h in history] == [("status", "ana", "confirmed")]


@pytest.mark.parametrize(
    ("status", "note", "by", "problem"),
    [
        (ReviewStatus.EXPLAINED, "", "ana", "needs a note"),
        (ReviewStatus.CONFIRMED, "", " ", "by: must not be empty"),
    ],
)
def test_refused_statuses(config: Config, status: ReviewStatus, note: str, by: str, problem: str) -> None:
    view = load_view(config)
    with ReviewStore(config.db_path) as review, pytest.raises(ReviewError, match=problem):
        review.set_status(view, diverging(view)[0], status, note=note, by=by, at=CLOCK)


def test_unknown_referents_and_claims_are_refused(config: Config) -> None:
    view = load_view(config)
    with ReviewStore(config.db_path) as review:
        with pytest.raises(ReviewError, match="no referent 'nope'"):
            review.set_status(view, "nope", ReviewStatus.CONFIRMED, by="ana", at=CLOCK)
        with pytest.raises(ReviewError, match="no count claim"):
            review.mark_claim(view, "000_03983a0091c47d69.txt:1", note="x", by="ana", at=CLOCK)
        with pytest.raises(ReviewError, match="into itself"):
            review.merge(view, largest(view), largest(view), by="ana", at=CLOCK)


def test_dismissed_claim_leaves_its_referent_and_can_come_back(config: Config) -> None:
    view = load_view(config)
    referent = largest(view)
    victim = claim_of(view, referent, 3000)  # "moved at least 3000 soldiers"
    with ReviewStore(config.db_path) as review:
        review.mark_claim(view, victim, note="wrong speaker", correction="US intelligence", by="bo", at=CLOCK)
    after = load_view(config)
    assert victim not in {c.id for c in after.comparison(referent).referent.claims}
    assert next(c for c in after.claims if c.id == victim).referent is None
    assert after.decisions.marks[victim].correction == "US intelligence"
    with ReviewStore(config.db_path) as review:
        review.mark_claim(after, victim, wrong=False, by="bo", at=CLOCK)
    assert victim in {c.id for c in load_view(config).comparison(referent).referent.claims}


def test_merge_move_and_split_regroup_and_recompare(config: Config) -> None:
    view = load_view(config)
    into = largest(view)
    absorbed = next(c.referent.id for c in view.comparisons if c.referent.id != into)
    moved = {c.id for c in view.comparison(absorbed).referent.claims}
    with ReviewStore(config.db_path) as review:
        review.merge(view, into, absorbed, by="ana", at=CLOCK)
    view = load_view(config)
    assert absorbed not in {c.referent.id for c in view.comparisons}
    assert moved <= {c.id for c in view.comparison(into).referent.claims}
    assert all(c.referent == into for c in view.claims if c.id in moved)

    budanov = claim_of(view, into, 11000)
    with ReviewStore(config.db_path) as review:
        split = review.split(view, into, [budanov], label="Infantry training in the east", by="ana", at=CLOCK)
    view = load_view(config)
    new = view.comparison(split.new_referent)
    assert (new.referent.label, [c.id for c in new.referent.claims]) == (
        "Infantry training in the east",
        [budanov],
    )
    assert new.status is GroupStatus.SINGLE
    assert budanov not in {c.id for c in view.comparison(into).referent.claims}

    with ReviewStore(config.db_path) as review:
        review.move_claim(view, budanov, into, by="ana", at=CLOCK)
        actions = [h.action for h in review.history()]
    view = load_view(config)
    assert budanov in {c.id for c in view.comparison(into).referent.claims}
    assert split.new_referent not in {c.referent.id for c in view.comparisons}  # emptied referents go
    assert actions == ["merge", "split", "move"]


def test_a_merged_away_referent_cannot_absorb_its_absorber(config: Config) -> None:
    view = load_view(config)
    a = largest(view)
    b = next(c.referent.id for c in view.comparisons if c.referent.id != a)
    with ReviewStore(config.db_path) as review:
        review.merge(view, a, b, by="ana", at=CLOCK)
        with pytest.raises(ReviewError, match=f"no referent '{b}'"):
            review.merge(load_view(config), b, a, by="ana", at=CLOCK)


def test_apply_decisions_leaves_untouched_comparisons_alone(config: Config) -> None:
    view = load_view(config)
    empty = type(view.decisions)()
    claims, comparisons = apply_decisions(view.claims, view.comparisons, empty)
    assert claims == list(view.claims)
    assert comparisons == sorted(view.comparisons, key=lambda c: c.referent.id)


# --- reruns ---------------------------------------------------------------------


def test_decisions_survive_a_rerun_and_new_values_reopen_a_verdict(config: Config) -> None:
    view = load_view(config)
    referent = largest(view)
    others = [c.referent.id for c in view.comparisons if c.referent.id != referent]
    dismissed = claim_of(view, referent, 3000)
    with ReviewStore(config.db_path) as review:
        review.set_status(view, referent, ReviewStatus.CONFIRMED, by="ana", at=CLOCK)
        review.mark_claim(view, dismissed, note="not a count of troops in Russia", by="ana", at=CLOCK)
        review.merge(view, others[0], others[1], by="ana", at=CLOCK)
    assert all(
        item.comparison.referent.id != referent for item in open_items(view.comparisons, load_view(config).decisions)
    )

    rerun_with_late_article(config)
    view = load_view(config)
    assert view.decisions.dismissed(dismissed)
    assert dismissed not in {c.id for c in view.comparison(referent).referent.claims}
    assert others[1] not in {c.referent.id for c in view.comparisons}
    first = open_items(view.comparisons, view.decisions)[0]
    assert first.comparison.referent.id == referent
    assert first.status_text == "confirmed, updated since review"
    assert first.new_claims and all(claim.startswith(LATE_ARTICLE) for claim in first.new_claims)
    assert "[confirmed, updated since review]" in format_items([first])


def test_settled_items_come_after_open_ones(config: Config) -> None:
    view = load_view(config)
    settled = diverging(view)[0]
    with ReviewStore(config.db_path) as review:
        review.set_status(view, settled, ReviewStatus.EXPLAINED, note="dates differ", by="ana", at=CLOCK)
    view = load_view(config)
    items = view.items
    assert items[-1].comparison.referent.id == settled and not items[-1].is_open
    assert settled not in [i.comparison.referent.id for i in open_items(view.comparisons, view.decisions)]


# --- the commands ---------------------------------------------------------------


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="discrepancy")
    add_review_commands(parser.add_subparsers(dest="command", required=True), now=lambda: CLOCK)
    args = parser.parse_args(list(argv))
    code = args.handler(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_commands_write_the_same_decisions(config: Config, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(config.db_path)
    view = load_view(config)
    referent, claim = largest(view), claim_of(view, largest(view), 3000)
    other = next(c.referent.id for c in view.comparisons if c.referent.id != referent)

    code, out, _ = cli(capsys, "review", "--db", db)
    assert code == 0 and f"[unreviewed] {referent}" in out
    assert (
        cli(
            capsys,
            "review",
            referent,
            "--status",
            "explained",
            "--note",
            "scopes differ",
            "--by",
            "ana",
            "--db",
            db,
        )[0]
        == 0
    )
    assert cli(capsys, "claim", claim, "--wrong", "--note", "not a count", "--by", "bo", "--db", db)[0] == 0
    assert cli(capsys, "merge", referent, other, "--by", "cy", "--db", db)[0] == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT status, note, by, at FROM review_referents").fetchall() == [
            ("explained", "scopes differ", "ana", CLOCK)
        ]
        assert conn.execute("SELECT claim, wrong, note, by FROM review_claims").fetchall() == [
            (claim, 1, "not a count", "bo")
        ]
        assert conn.execute("SELECT absorbed, into_referent, by FROM review_merges").fetchall() == [
            (other, referent, "cy")
        ]
        assert [r[0] for r in conn.execute("SELECT action FROM review_history ORDER BY id")] == [
            "status",
            "claim",
            "merge",
        ]
    code, out, _ = cli(capsys, "review", "--all", "--db", db)
    assert "explained by ana" in out and "'scopes differ'" in out


def test_status_without_referent_is_a_usage_error(config: Config, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli(capsys, "review", "--status", "confirmed", "--db", str(config.db_path))
    assert exited.value.code == 2
    assert "need a REFERENT" in capsys.readouterr().err
