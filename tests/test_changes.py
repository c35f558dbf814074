"""What changed since the last run: the diff of two groupings, the page and `discrepancy changes`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from discrepancy.changes import FAILED, NEW_DIVERGING, NEW_VALUE, STATUS_CHANGED, Change, diff, render_changes
from discrepancy.cli import main
from discrepancy.config import Config
from discrepancy.pipeline import run
from discrepancy.store import value_key
from discrepancy.types import (
    ArticleFailure,
    Claim,
    Comparison,
    GroupStatus,
    Kind,
    Qualifier,
    Referent,
    ReferentKey,
)

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
SEEDS = sorted(ARTICLES.glob("*.txt"))

KIRBY = 'Kirby also revealed details of U.S. intelligence assessments, saying Washington believes North Korea "moved at least 3000 soldiers into eastern Russia."'  # noqa: E501
BLINKEN = '"We now believe that there are approximately 10,000 North Korean troops in Russia,"'


def _claim(sentence: str, surface: str, value: float, qualifier: Qualifier, **fields: object) -> Claim:
    start = sentence.index(surface)
    low, high = (value, None) if qualifier is Qualifier.AT_LEAST else (value, value)
    fields = {"article": "a.txt", **fields}
    return Claim(
        start=start, end=start + len(surface), surface=surface, value=value, low=low,
        high=high, qualifier=qualifier, kind=Kind.COUNT, sentence=sentence, sentence_start=0,
        **fields,  # type: ignore[arg-type]
    )  # fmt: skip


KIRBY_3000 = _claim(KIRBY, "3000", 3000, Qualifier.AT_LEAST, speaker="John Kirby", side="US", claim_date="2024-10-23")
BLINKEN_10000 = _claim(
    BLINKEN, "10,000", 10000, Qualifier.APPROX, article="004.txt", speaker="Antony Blinken", side="US",
    claim_date="2024-10-31",
)  # fmt: skip
KEY = ReferentKey("korea", "troops", "North Korea", "Russia")


def _comparison(status: GroupStatus, *claims: Claim) -> Comparison:
    referent = Referent("korea-troops-russia", "North Korean troops in Russia", KEY, claims)
    return Comparison(referent, status, None, 3000, 10000, ("US",))


@pytest.mark.parametrize(
    ("previous", "now", "expected"),
    [
        (  # a referent first seen diverging
            {},
            _comparison(GroupStatus.DIVERGES, KIRBY_3000, BLINKEN_10000),
            [(NEW_DIVERGING, "3,000 – 10,000 from US; 2 claims")],
        ),
        (  # a new referent that does not diverge is not news
            {},
            _comparison(GroupStatus.SINGLE, KIRBY_3000),
            [],
        ),
        (  # a known referent gets a new value, with who gave it and when, and now diverges
            {"korea-troops-russia": ("North Korean troops in Russia", GroupStatus.SINGLE,
                                     frozenset({value_key(KIRBY_3000)}))},
            _comparison(GroupStatus.DIVERGES, KIRBY_3000, BLINKEN_10000),
            [
                (STATUS_CHANGED, "single → diverges"),
                (NEW_VALUE, "about 10,000: Antony Blinken (US), 2024-10-31, in 004.txt"),
            ],
        ),
        (  # nothing new
            {"korea-troops-russia": ("North Korean troops in Russia", GroupStatus.DIVERGES,
                                     frozenset({value_key(KIRBY_3000), value_key(BLINKEN_10000)}))},
            _comparison(GroupStatus.DIVERGES, KIRBY_3000, BLINKEN_10000),
            [],
        ),
    ],
)  # fmt: skip
def test_diff_names_what_a_desk_editor_needs(
    previous: dict[str, tuple[str, GroupStatus, frozenset[str]]],
    now: Comparison,
    expected: list[tuple[str, str]],
) -> None:
    assert [(c.kind, c.detail) for c in diff(previous, [now])] == expected


def test_a_failure_is_listed_once_not_at_every_run() -> None:
    failure = ArticleFailure("a/empty.txt", "a/empty.txt: empty file")
    assert diff({}, [], [failure]) == [Change(FAILED, "a/empty.txt", "a/empty.txt: empty file")]
    assert diff({}, [], [failure], previous_failures=[failure.message]) == []


def test_runs_without_changes_are_left_out_and_the_newest_comes_first() -> None:
    runs = [
        {"id": 3, "started": "2024-11-01T10:20:00", "articles_added": 0, "changes": []},
        {"id": 2, "started": "2024-11-01T10:10:00", "articles_added": 1, "changes": [
            {"kind": NEW_VALUE, "label": "Troops in Russia", "detail": "about 10,000: Antony Blinken"}]},
        {"id": 1, "started": "2024-11-01T10:00:00", "articles_added": 2, "changes": [
            {"kind": FAILED, "label": "a/empty.txt", "detail": "a/empty.txt: empty file"}]},
    ]  # fmt: skip
    assert render_changes(runs) == (
        "# What changed\n\n"
        "## Run 2, 2024-11-01T10:10:00: 1 new article\n\n"
        "### New values in known referents\n\n"
        "- **Troops in Russia**: about 10,000: Antony Blinken\n\n"
        "## Run 1, 2024-11-01T10:00:00: 2 new articles\n\n"
        "### Articles that failed\n\n"
        "- a/empty.txt: empty file\n"
    )


def test_changes_command_prints_the_page_since_a_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    config = Config(db_path=tmp_path / "store.sqlite", report_path=tmp_path / "reports" / "discrepancies.md")
    for batch in (SEEDS[:2], SEEDS[2:]):
        for path in batch:
            shutil.copy(path, articles)
        run([articles], config=config)
    page = (tmp_path / "reports" / "changes.md").read_text(encoding="utf-8")

    assert main(["changes", "--db", str(config.db_path)]) == 0
    assert capsys.readouterr().out == page
    assert main(["changes", "--db", str(config.db_path), "--since", "1"]) == 0
    since = capsys.readouterr().out
    assert "## Run 2," in since and "## Run 1," not in since
    assert since.startswith("# What changed\n\n## Run 2,")
    assert main(["changes", "--db", str(config.db_path), "--since", "2"]) == 0
    assert capsys.readouterr().out == "# What changed\n\nNothing has changed.\n"


def test_changes_without_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["changes", "--db", str(tmp_path / "none.sqlite")]) == 1
    assert "no store at" in capsys.readouterr().err
