"""Review wired in end to end: decisions made with the CLI show in the report and survive reruns."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from discrepancy import pipeline
from discrepancy.cli import main
from discrepancy.config import Config
from discrepancy.review import ReviewStatus, ReviewStore, load_view
from discrepancy.types import GroupStatus

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
LATE_ARTICLE = "004_b86a5de73d64b46a.txt"  # the US figures of 31 October: new values for earlier referents


def _seed_store(folder: Path, *, late: bool) -> Path:
    """The seeds (without the last article unless ``late``) run once through the CLI."""
    articles = folder / "articles"
    articles.mkdir()
    for path in ARTICLES.iterdir():
        if late or path.name != LATE_ARTICLE:
            shutil.copy(path, articles / path.name)
    assert rerun(folder) == 0
    return folder


@pytest.fixture(scope="module")
def early_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _seed_store(tmp_path_factory.mktemp("early"), late=False)


@pytest.fixture(scope="module")
def full_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _seed_store(tmp_path_factory.mktemp("full"), late=True)


def _copy(store: Path, tmp_path: Path) -> Path:
    shutil.copytree(store / "articles", tmp_path / "articles")
    for name in ("store.sqlite", "r.md"):
        shutil.copy(store / name, tmp_path / name)
    assert rerun(tmp_path) == 0  # the store now knows the report's new path: reruns take the fast path
    return tmp_path


@pytest.fixture
def early(early_store: Path, tmp_path: Path) -> Path:
    """A copy of the store of the seeds without the last article."""
    return _copy(early_store, tmp_path)


@pytest.fixture
def full(full_store: Path, tmp_path: Path) -> Path:
    """A copy of the store of all the seeds."""
    return _copy(full_store, tmp_path)


def config(folder: Path) -> Config:
    return Config(db_path=folder / "store.sqlite", report_path=folder / "r.md")


def cli(folder: Path, *argv: str) -> int:
    return main([*argv, "--db", str(folder / "store.sqlite")])


def rerun(folder: Path, *, late: bool = False) -> int:
    if late:
        shutil.copy(ARTICLES / LATE_ARTICLE, folder / "articles" / LATE_ARTICLE)
    return cli(folder, "run", str(folder / "articles"), "--report", str(folder / "r.md"), "-q")


def referents(folder: Path, *, only_diverging: bool = True) -> list[str]:
    """Referent ids, most claims first."""
    view = load_view(config(folder))
    ranked = sorted(view.comparisons, key=lambda c: (-len(c.referent.claims), c.referent.id))
    return [c.referent.id for c in ranked if c.status is GroupStatus.DIVERGES or not only_diverging]


def section(report: str, label: str) -> str:
    start = report.index(f"## {label}\n")
    end = report.find("\n## ", start + 1)
    return report[start : end if end > 0 else len(report)]


def label_of(folder: Path, referent: str) -> str:
    return load_view(config(folder)).comparison(referent).referent.label


def test_a_verdict_given_on_the_command_line_is_in_the_next_report(
    full: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    referent, other = referents(full)[:2]
    before = (full / "r.md").read_text(encoding="utf-8")
    assert "2 open for review." in before and "- Review: unreviewed" in section(before, label_of(full, referent))

    note = "Different dates | <script>alert(1)</script> *not* a gap"
    assert cli(full, "review", referent, "--status", "explained", "--note", note, "--by", "ana") == 0
    assert capsys.readouterr().out == f"{referent}: explained\n"
    assert rerun(full) == 0  # nothing new but a decision: the report must not stay stale

    report = (full / "r.md").read_text(encoding="utf-8")
    assert "1 open for review." in report
    reviewed = section(report, label_of(full, referent))
    assert "- Review: explained by ana at " in reviewed
    assert reviewed.count("\n- Review: ") == 1
    assert r": Different dates \| &lt;script>alert(1)&lt;/script> \*not\* a gap" in reviewed
    assert "<script>" not in report
    # the open referent comes first, the settled one after it, in the table and the sections
    header, _, *rows = [line for line in report.splitlines() if line.startswith("|")][:4]
    assert header.split("|")[-2].strip() == "Review"
    assert [row.split("|")[-2].strip() for row in rows] == ["unreviewed", "explained"]
    assert report.index(f"## {label_of(full, other)}\n") < report.index(f"## {label_of(full, referent)}\n")

    # the decision survived the rerun, and the next rerun is the fast path again, byte for byte
    with ReviewStore(full / "store.sqlite") as review:
        kept = review.decisions().referents[referent]
    assert (kept.status, kept.note, kept.by) == (ReviewStatus.EXPLAINED, note, "ana")

    def no_regrouping(*args: object, **kwargs: object) -> None:
        raise AssertionError("a rerun with nothing new regrouped the claims")

    monkeypatch.setattr(pipeline, "compare_all", no_regrouping)
    assert rerun(full) == 0
    assert (full / "r.md").read_text(encoding="utf-8") == report


def test_a_confirmed_referent_with_new_values_goes_back_to_the_top(early: Path) -> None:
    referent = referents(early)[0]
    assert cli(early, "review", referent, "--status", "confirmed", "--by", "ana") == 0
    assert rerun(early, late=True) == 0
    report = (early / "r.md").read_text(encoding="utf-8")
    first = report.index("\n## ")
    assert report[first:].startswith(f"\n## {label_of(early, referent)}\n")
    lines = section(report, label_of(early, referent)).splitlines()
    assert lines[2].startswith("- Review: confirmed, updated since review by ana at ")
    assert lines[3].startswith("- New since review: ")


def test_claimreview_export_covers_only_reviewed_referents(full: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(full, "export", "--format", "claimreview") == 0
    assert json.loads(capsys.readouterr().out) == []

    confirmed, in_progress = referents(full)[:2]
    assert cli(full, "review", confirmed, "--status", "confirmed", "--note", "a real gap", "--by", "ana") == 0
    assert cli(full, "review", in_progress, "--status", "in progress", "--by", "bo") == 0
    out = full / "claimreview.json"
    assert cli(full, "export", "--format", "claimreview", "--output", str(out)) == 0
    documents = json.loads(out.read_text(encoding="utf-8"))
    assert [(d["@type"], d["identifier"]) for d in documents] == [("ClaimReview", confirmed)]
    (document,) = documents
    assert document["reviewRating"]["alternateName"] == "Sources disagree: confirmed discrepancy"
    assert document["author"] == {"@type": "Person", "name": "ana"}
    assert document["itemReviewed"]["appearance"]


def test_a_merge_and_a_dismissal_persist_across_a_rerun_that_adds_an_article(early: Path) -> None:
    view = load_view(config(early))
    into, absorbed = referents(early, only_diverging=False)[:2]
    absorbed_claims = {c.id for c in view.comparison(absorbed).referent.claims}
    dismissed = sorted(c.id for c in view.comparison(into).referent.claims)[0]
    assert cli(early, "merge", into, absorbed, "--by", "cy") == 0
    assert cli(early, "claim", dismissed, "--wrong", "--note", "not a count of troops", "--by", "cy") == 0

    assert rerun(early, late=True) == 0
    with closing(sqlite3.connect(early / "store.sqlite")) as db:
        stored = {row[0] for row in db.execute("SELECT id FROM referents")}
        where = dict(db.execute("SELECT article || ':' || start, referent FROM claims WHERE kind = 'count'"))
        runs = db.execute("SELECT articles_added FROM runs ORDER BY id").fetchall()
    assert runs[-1] == (1,)
    assert into in stored and absorbed not in stored
    assert {where[claim] for claim in absorbed_claims} == {into}
    assert where[dismissed] is None
    assert any(claim.startswith(LATE_ARTICLE) and referent == into for claim, referent in where.items())
    report = (early / "r.md").read_text(encoding="utf-8")
    assert f"## {label_of(early, into)}\n" in report


def test_a_merge_alone_makes_the_next_run_regroup(full: Path) -> None:
    into, absorbed = referents(full)[:2]
    absorbed_label = label_of(full, absorbed)
    assert f"## {absorbed_label}\n" in (full / "r.md").read_text(encoding="utf-8")
    assert cli(full, "merge", into, absorbed, "--by", "cy") == 0
    assert rerun(full) == 0  # no new article: only the decision says the stored grouping is stale
    assert f"## {absorbed_label}\n" not in (full / "r.md").read_text(encoding="utf-8")
    with closing(sqlite3.connect(full / "store.sqlite")) as db:
        assert db.execute("SELECT count(*) FROM referents WHERE id = ?", (absorbed,)).fetchone() == (0,)


def test_review_commands_report_library_errors_as_exit_1(early: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(early, "review", "no-such-referent", "--status", "confirmed", "--by", "ana") == 1
    assert "no referent 'no-such-referent'" in capsys.readouterr().err
    assert main(["export", "--format", "claimreview", "--db", str(early / "missing.sqlite")]) == 1
