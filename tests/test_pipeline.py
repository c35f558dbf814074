"""End to end: the bundled seed articles through `pipeline.run`, read back from the report and the store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from discrepancy.config import Config
from discrepancy.pipeline import run
from discrepancy.store import Store
from discrepancy.types import GroupStatus, Kind

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("seeds")
    config = Config(db_path=folder / "store.sqlite", report_path=folder / "report.md")
    result = run([ARTICLES], config=config)
    return config, result


def _diverging(result):
    return [c for c in result.analysis.comparisons if c.status is GroupStatus.DIVERGES]


def test_seeds_show_two_diverging_referents_russia_and_kursk(seeds_run):
    _, result = seeds_run
    diverging = {c.referent.key.place: c for c in _diverging(result)}
    assert set(diverging) == {"Russia", "Kursk"}
    russia_values = {(c.qualifier.value, c.value) for c in diverging["Russia"].referent.claims}
    assert {
        ("at_least", 3000),
        ("approx", 10000),
        ("more_than", 10000),
        ("approx", 11000),
        ("up_to", 12000),
    } <= (russia_values)
    assert {"US", "South Korea"} <= set(diverging["Russia"].sides)
    kursk_values = {(c.qualifier.value, c.value, c.claim_date) for c in diverging["Kursk"].referent.claims}
    assert ("approx", 2000, "2024-10-29") in kursk_values
    assert ("up_to", 8000, "2024-10-31") in kursk_values


def test_first_group_and_deserters_stay_apart_from_the_totals(seeds_run):
    _, result = seeds_run
    by_value = {c.value: c for c in result.analysis.claims if c.kind is Kind.COUNT}
    totals = {c.referent for c in result.analysis.claims if c.value == 11000}
    assert by_value[2600].referent not in totals
    assert by_value[18].referent not in totals
    assert by_value[2600].referent != by_value[18].referent


def test_report_names_values_and_leaves_out_dates_and_furniture(seeds_run):
    config, _ = seeds_run
    report = config.report_path.read_text(encoding="utf-8")
    assert "5 articles" in report
    assert "up to 12,000 (2 × 6,000)" in report
    assert "Antony Blinken" in report
    assert "100 years" not in report
    assert "$0.00" not in report
    assert "2024-10-31" in report


def test_store_holds_the_claims_with_their_referents(seeds_run):
    config, result = seeds_run
    with Store(config.db_path) as store:
        frame = store.claims_frame()
    assert len(frame) == sum(1 for c in result.analysis.claims if c.kind is Kind.COUNT)
    assert frame["referent"].notna().all()
    assert set(frame.loc[frame["value"] == 12000, "speaker"]) == {"Volodymyr Zelensky"}


def test_rerun_is_byte_identical_and_processes_nothing_new(tmp_path):
    config = Config(db_path=tmp_path / "store.sqlite", report_path=tmp_path / "report.md")
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    run([folder], config=config)
    first = config.report_path.read_bytes()
    second_run = run([folder], config=config)
    assert config.report_path.read_bytes() == first
    with Store(config.db_path) as store:
        runs = store.runs()
    assert runs[-1]["articles_added"] == 0
    assert (second_run.articles, second_run.claims, second_run.diverging) == (5, 20, 2)


def test_a_report_written_into_the_articles_folder_is_not_read_as_an_article(tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    config = Config(db_path=tmp_path / "store.sqlite", report_path=folder / "report.md")
    run([folder], config=config)
    second_run = run([folder], config=config)
    assert (folder / "report.md").exists() and (folder / "changes.md").exists()
    assert (second_run.articles, second_run.claims) == (5, 20)


def test_bad_files_fail_alone_and_keep_what_was_stored(tmp_path):
    config = Config(db_path=tmp_path / "store.sqlite", report_path=tmp_path / "report.md")
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    run([folder], config=config)
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "latin1.txt").write_bytes("Caf\xe9 owners said 300 people came.".encode("latin-1"))
    result = run([folder], config=config)
    messages = [f.message for f in result.analysis.failures]
    assert len(messages) == 3
    assert all("\n" not in m for m in messages)
    assert any("empty.txt" in m and "empty" in m for m in messages)
    assert any("latin1.txt" in m and "UTF-8" in m for m in messages)
    assert (result.articles, result.claims, result.diverging) == (5, 20, 2)
