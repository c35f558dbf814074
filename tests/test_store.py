from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures.store.seed_records import (
    A003,
    A004,
    ALL_CLAIMS,
    BLINKEN_KURSK,
    COMPARISONS,
    COUNT_CLAIMS,
    DETAINED,
    FIRST_GROUP,
    HEADLINE_8000,
    KURSK,
    RUSSIA,
    YEARS_100,
    ZELENSKY_BRIGADES,
    seed_article,
)

from discrepancy.errors import StoreError
from discrepancy.export import EXPORT_FIELDS
from discrepancy.store import Store
from discrepancy.types import (
    Article,
    ArticleFailure,
    Claim,
    GroupStatus,
    Kind,
    Qualifier,
)

VERSION = "0.1.0"
NAMES = sorted({claim.article for claim in ALL_CLAIMS})


def _key(claim: Claim) -> tuple[str, int, int]:
    return (claim.article, claim.start, claim.end)


def _claims_of(name: str) -> list[Claim]:
    return [claim for claim in ALL_CLAIMS if claim.article == name]


def _fill(store: Store, claims: tuple[Claim, ...] = ALL_CLAIMS) -> int:
    run_id = store.begin_run(pipeline_version=VERSION, started="2024-11-01T10:00:00")
    for name in sorted({claim.article for claim in claims}):
        article_claims = [claim for claim in claims if claim.article == name]
        store.save_article(seed_article(name), article_claims, pipeline_version=VERSION, run_id=run_id)
    return run_id


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "store.sqlite") as opened:
        yield opened


def _sql(path: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(query).fetchall()


def test_opening_creates_folders_tables_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "folder" / "store.sqlite"
    with Store(path):
        pass
    tables = {name for (name,) in _sql(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {
        "schema_version", "articles", "claims", "referents", "claim_pairs", "runs", "run_failures",
    } <= tables  # fmt: skip
    assert _sql(path, "SELECT version FROM schema_version") == [(Store.SCHEMA_VERSION,)]
    assert _sql(path, "PRAGMA journal_mode") == [("wal",)]


def test_every_dataclass_field_has_a_column(store: Store) -> None:
    claim_columns = {row[1] for row in _sql(store.path, "PRAGMA table_info(claims)")}
    article_columns = {row[1] for row in _sql(store.path, "PRAGMA table_info(articles)")}
    assert {field.name for field in dataclasses.fields(Claim)} <= claim_columns
    assert {field.name for field in dataclasses.fields(Article)} | {"pipeline_version", "run_id"} <= (article_columns)


def test_articles_and_claims_round_trip_exactly(store: Store) -> None:
    blinken = dataclasses.replace(
        BLINKEN_KURSK,
        counted_class="troops",
        actor="North Korea",
        place="Kursk",
        via="Reuters",
        referent="nk-troops-kursk",
        referent_label="North Korean troops in or near Kursk",
        referent_status=GroupStatus.DIVERGES,
    )
    article = dataclasses.replace(
        seed_article(A004),
        title="USA: 8000 North Koreans on the Ukrainian border",
        url="https://example.org/usa-8000",
        author="dpa",
        via="AFP",
        excluded=((0, 17), (40, 41)),
    )
    run_id = store.begin_run(pipeline_version=VERSION, started="2024-11-01T10:00:00")
    claims = [HEADLINE_8000, blinken, YEARS_100]
    store.save_article(article, claims, pipeline_version=VERSION, run_id=run_id)

    assert store.load_articles() == [article]
    loaded = store.load_claims()
    assert loaded == sorted(claims, key=_key)
    assert [type(claim.qualifier) for claim in loaded] == [Qualifier] * 3
    assert loaded[1].referent_status is GroupStatus.DIVERGES
    assert loaded[2].kind is Kind.DURATION
    assert store.processed() == {A004: (article.content_hash, VERSION)}


def test_all_seed_claims_round_trip_sorted(store: Store) -> None:
    _fill(store)
    assert store.load_claims() == sorted(ALL_CLAIMS, key=_key)
    assert [article.name for article in store.load_articles()] == NAMES
    assert store.load_articles()[0] == seed_article(NAMES[0])


def test_resaving_an_unchanged_article_keeps_exactly_the_new_claims(store: Store) -> None:
    run_id = _fill(store)
    revised = dataclasses.replace(FIRST_GROUP, speaker="Budanov")
    store.save_article(seed_article(A003), [revised, DETAINED], pipeline_version="0.2.0", run_id=run_id)

    assert [claim for claim in store.load_claims() if claim.article == A003] == [revised, DETAINED]
    assert store.processed()[A003] == (seed_article(A003).content_hash, "0.2.0")


def test_changed_content_replaces_the_earlier_claims(store: Store) -> None:
    run_id = _fill(store)
    old = seed_article(A004)
    edited_text = old.text.replace("up to 8,000 of these", "up to 9,000 of these")
    edited = dataclasses.replace(old, text=edited_text, content_hash="edited")
    nine = dataclasses.replace(BLINKEN_KURSK, surface="9,000", value=9000, high=9000)
    store.save_article(edited, [nine], pipeline_version=VERSION, run_id=run_id)

    assert [claim for claim in store.load_claims() if claim.article == A004] == [nine]
    assert store.processed()[A004] == ("edited", VERSION)
    assert [a.text for a in store.load_articles() if a.name == A004] == [edited_text]


def test_a_save_that_fails_halfway_leaves_the_earlier_state(store: Store) -> None:
    run_id = _fill(store)
    before_claims, before_articles = store.load_claims(), store.load_articles()
    edited = dataclasses.replace(seed_article(A004), text="changed", content_hash="changed")
    bad = dataclasses.replace(BLINKEN_KURSK, value="several")  # not a number: the CHECK refuses it

    with pytest.raises(StoreError, match=rf"store\.sqlite: could not save article {A004}"):
        store.save_article(edited, [HEADLINE_8000, bad], pipeline_version="0.2.0", run_id=run_id)

    assert store.load_claims() == before_claims
    assert store.load_articles() == before_articles
    assert store.processed()[A004] == (seed_article(A004).content_hash, VERSION)


def test_a_new_article_that_fails_is_not_stored(store: Store) -> None:
    run_id = _fill(store, claims=tuple(_claims_of(A004)))
    bad = dataclasses.replace(DETAINED, qualifier="roughly")

    with pytest.raises(StoreError, match="roughly"):
        store.save_article(seed_article(A003), [FIRST_GROUP, bad], pipeline_version=VERSION, run_id=run_id)
    assert list(store.processed()) == [A004]


def test_claims_of_another_article_are_refused(store: Store) -> None:
    run_id = _fill(store, claims=())
    with pytest.raises(StoreError, match="do not belong"):
        store.save_article(seed_article(A004), [DETAINED], pipeline_version=VERSION, run_id=run_id)


def test_save_comparisons_fills_referents_pairs_and_claims(store: Store) -> None:
    _fill(store)
    store.save_comparisons(COMPARISONS)

    by_key = {_key(claim): claim for claim in store.load_claims()}
    for comparison in COMPARISONS:
        for claim in comparison.referent.claims:
            stored = by_key[_key(claim)]
            assert (stored.referent, stored.referent_label, stored.referent_status) == (
                comparison.referent.id,
                comparison.referent.label,
                comparison.status,
            )
    assert by_key[_key(YEARS_100)].referent is None

    rows = _sql(store.path, "SELECT id, story, place, group_status, spread, low, high, sides, notes FROM referents")
    russia = next(row for row in rows if row[0] == RUSSIA.referent.id)
    assert russia[1:7] == ("nk-russia", "Russia", "diverges", 4.0, 2000.0, 12000.0)
    assert json.loads(russia[7]) == ["South Korea", "US", "Ukraine"]
    assert json.loads(russia[8]) == list(RUSSIA.notes)
    assert len(rows) == len(COMPARISONS)
    pairs = _sql(store.path, "SELECT referent, first_start, second_start, relation FROM claim_pairs")
    assert len(pairs) == sum(len(c.pairs) for c in COMPARISONS)
    assert ("nk-troops-russia", ZELENSKY_BRIGADES.start, RUSSIA.pairs[0].second.start, "update") in pairs


def test_save_comparisons_replaces_the_previous_grouping(store: Store) -> None:
    _fill(store)
    store.save_comparisons(COMPARISONS)
    store.save_comparisons([KURSK])

    assert _sql(store.path, "SELECT id FROM referents") == [(KURSK.referent.id,)]
    assert len(_sql(store.path, "SELECT * FROM claim_pairs")) == len(KURSK.pairs)
    referents = {claim.referent for claim in store.load_claims()}
    assert referents == {KURSK.referent.id, None}


def test_save_comparisons_with_an_unstored_claim_changes_nothing(store: Store) -> None:
    _fill(store, claims=tuple(claim for claim in ALL_CLAIMS if claim in KURSK.referent.claims))
    store.save_comparisons([KURSK])

    with pytest.raises(StoreError, match="is not stored; save its article"):
        store.save_comparisons([KURSK, RUSSIA])  # Russia's claims come from articles never saved
    assert _sql(store.path, "SELECT id FROM referents") == [(KURSK.referent.id,)]
    assert {c.referent for c in store.load_claims()} == {KURSK.referent.id}


def test_runs_record_counts_outcome_and_failures(store: Store) -> None:
    first = _fill(store)
    failure = ArticleFailure(path="articles/bad.txt", message="articles/bad.txt: not UTF-8; try --encoding latin-1")
    store.finish_run(
        first,
        ended="2024-11-01T10:01:00",
        articles_added=5,
        claims_added=13,
        failures=[failure],
        outcome="partial",
    )
    second = store.begin_run(pipeline_version=VERSION, started="2024-11-02T10:00:00")

    assert second == first + 1
    assert store.runs() == [
        {
            "id": first, "started": "2024-11-01T10:00:00", "ended": "2024-11-01T10:01:00",
            "pipeline_version": VERSION, "articles_added": 5, "claims_added": 13, "outcome": "partial",
            "failures": [{"path": "articles/bad.txt", "message": failure.message}],
        },
        {
            "id": second, "started": "2024-11-02T10:00:00", "ended": None, "pipeline_version": VERSION,
            "articles_added": None, "claims_added": None, "outcome": None, "failures": [],
        },
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("run_id", "outcome", "message"),
    [(99, "ok", "no run 99 to finish"), (1, "finished", "could not finish run 1")],
)
def test_finish_run_refuses_unknown_runs_and_outcomes(store: Store, run_id: int, outcome: str, message: str) -> None:
    store.begin_run(pipeline_version=VERSION, started="2024-11-01T10:00:00")
    with pytest.raises(StoreError, match=message):
        store.finish_run(run_id, ended="x", articles_added=0, claims_added=0, failures=[], outcome=outcome)
    assert store.runs()[0]["outcome"] is None


def test_claims_frame_holds_count_claims_only_in_export_order(store: Store) -> None:
    _fill(store)
    store.save_comparisons(COMPARISONS)
    frame = store.claims_frame()

    assert tuple(frame.columns) == EXPORT_FIELDS
    assert len(frame) == len(COUNT_CLAIMS)
    assert list(zip(frame["article"], frame["start"], strict=True)) == sorted(
        (claim.article, claim.start) for claim in COUNT_CLAIMS
    )
    blinken = frame[(frame["article"] == A004) & (frame["start"] == BLINKEN_KURSK.start)].iloc[0]
    assert (blinken["surface"], blinken["high"], blinken["qualifier"], blinken["speaker"]) == (
        "8,000", 8000.0, "up_to", "Antony Blinken",
    )  # fmt: skip
    assert (blinken["referent"], blinken["referent_status"]) == ("nk-troops-kursk", "diverges")


def test_reopening_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    with Store(path) as store:
        _fill(store)
    with Store(path) as store:
        assert store.load_claims() == sorted(ALL_CLAIMS, key=_key)
    assert _sql(path, "SELECT version FROM schema_version") == [(Store.SCHEMA_VERSION,)]


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    with Store(path):
        pass
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = ?", (Store.SCHEMA_VERSION + 1,))
    conn.close()
    expected = (
        f"{path}: store schema version {Store.SCHEMA_VERSION + 1} is newer than this discrepancy "
        f"({Store.SCHEMA_VERSION}); upgrade discrepancy"
    )
    with pytest.raises(StoreError) as caught:
        Store(path)
    assert str(caught.value) == expected


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text(seed_article(A004).text, encoding="utf-8")
    with pytest.raises(StoreError, match=rf"^{path}: not a usable SQLite store"):
        Store(path)


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE things (id INTEGER)")
    conn.close()
    with pytest.raises(StoreError, match="not a discrepancy store"):
        Store(path)


def test_a_locked_store_says_so(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    with Store(path):
        pass
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with Store(path, timeout=0.05) as store, pytest.raises(StoreError, match="locked by another process"):
            store.begin_run(pipeline_version=VERSION, started="2024-11-01T10:00:00")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
