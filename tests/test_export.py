from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas
import pytest
from fixtures.store.seed_records import ALL_CLAIMS, COMPARISONS, COUNT_CLAIMS, seed_article

from discrepancy.errors import ConfigError
from discrepancy.export import EXPORT_FIELDS, export_claims
from discrepancy.store import Store


@pytest.fixture
def frame(tmp_path: Path) -> pandas.DataFrame:
    with Store(tmp_path / "store.sqlite") as store:
        run_id = store.begin_run(pipeline_version="0.1.0", started="2024-11-01T10:00:00")
        for name in sorted({claim.article for claim in ALL_CLAIMS}):
            claims = [claim for claim in ALL_CLAIMS if claim.article == name]
            store.save_article(seed_article(name), claims, pipeline_version="0.1.0", run_id=run_id)
        store.save_comparisons(COMPARISONS)
        return store.claims_frame()


def _export(frame: pandas.DataFrame, fmt: str) -> str:
    out = io.StringIO()
    export_claims(frame, fmt=fmt, out=out)
    return out.getvalue()


def _by_surface(records: list[dict[str, object]], quote_part: str) -> dict[str, object]:
    return next(r for r in records if quote_part in str(r["sentence"]))


def test_export_fields_are_exactly_these() -> None:
    assert EXPORT_FIELDS == (
        "article", "start", "end", "sentence", "surface", "value", "low", "high", "qualifier", "kind",
        "counted", "speaker", "speaker_org", "side", "via", "claim_date", "published", "outlet",
        "referent", "referent_label", "referent_status",
    )  # fmt: skip


def test_jsonl_has_one_object_per_count_claim_with_nulls_and_integers(frame: pandas.DataFrame) -> None:
    text = _export(frame, "jsonl")
    lines = text.splitlines()
    records = [json.loads(line) for line in lines]

    assert len(records) == len(COUNT_CLAIMS)
    assert all(list(record) == list(EXPORT_FIELDS) for record in records)
    brigades = _by_surface(records, "Two North Korean brigades of up to 6,000 personnel each")
    assert (brigades["surface"], brigades["value"], brigades["low"], brigades["high"]) == (
        "6,000",
        12000,
        None,
        12000,
    )
    assert brigades["speaker"] == "Volodymyr Zelensky"
    assert brigades["referent"] == "nk-troops-russia"
    assert '"value": 12000,' in lines[records.index(brigades)]  # not 12000.0
    thousands = _by_surface(records, "planning to involve thousands")
    assert (thousands["value"], thousands["low"], thousands["qualifier"]) == (None, 2000, "vague")
    jeon = _by_surface(records, "More than 10,000 North Korean soldiers")
    assert (jeon["claim_date"], jeon["speaker_org"], jeon["published"]) == (
        None,
        "South Korea Ministry of Defense",
        None,
    )
    assert all(isinstance(record["start"], int) for record in records)
    assert "“More than 10,000" in text  # typographic quotes kept as they are, not \u escapes


def test_csv_reads_back_with_pandas(frame: pandas.DataFrame) -> None:
    text = _export(frame, "csv")
    back = pandas.read_csv(io.StringIO(text))

    assert tuple(back.columns) == EXPORT_FIELDS
    assert len(back) == len(COUNT_CLAIMS)
    assert back["start"].tolist() == frame["start"].tolist()
    assert back["sentence"].tolist() == frame["sentence"].tolist()
    rows = list(csv.DictReader(io.StringIO(text)))
    kirby = next(row for row in rows if "moved at least 3000" in row["sentence"])
    assert (kirby["value"], kirby["low"], kirby["high"], kirby["qualifier"]) == (
        "3000",
        "3000",
        "",
        "at_least",
    )
    assert text.startswith(",".join(EXPORT_FIELDS) + "\n")


def test_fractional_values_stay_fractional(frame: pandas.DataFrame) -> None:
    frame.loc[0, "value"] = 1250.5
    record = json.loads(_export(frame, "jsonl").splitlines()[0])
    assert record["value"] == 1250.5
    assert next(csv.DictReader(io.StringIO(_export(frame, "csv"))))["value"] == "1250.5"


@pytest.mark.parametrize(("fmt", "expected"), [("jsonl", ""), ("csv", ",".join(EXPORT_FIELDS) + "\n")])
def test_an_empty_store_exports_nothing_but_the_header(tmp_path: Path, fmt: str, expected: str) -> None:
    with Store(tmp_path / "empty.sqlite") as store:
        assert _export(store.claims_frame(), fmt) == expected


@pytest.mark.parametrize("fmt", ["json", "xlsx", "JSONL", ""])
def test_an_unknown_format_names_the_allowed_ones(frame: pandas.DataFrame, fmt: str) -> None:
    with pytest.raises(ConfigError, match=r"not an export format \(allowed: jsonl, csv\)"):
        _export(frame, fmt)
