"""ClaimReview JSON-LD: only referents with a verdict, with who said what where."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from discrepancy.claimreview import claimreview_jsonld, write_claimreview
from discrepancy.config import Config
from discrepancy.pipeline import run
from discrepancy.review import ReviewStatus, ReviewStore, ReviewView, load_view

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "review" / "hostile"
CLOCK = "2025-03-05T09:30:00+00:00"


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    run([HOSTILE], config=Config(db_path=folder / "store.sqlite", report_path=folder / "report.md"))
    return folder / "store.sqlite"


@pytest.fixture
def config(hostile_store: Path, tmp_path: Path) -> Config:
    shutil.copy(hostile_store, tmp_path / "store.sqlite")
    return Config(db_path=tmp_path / "store.sqlite")


def reviewed(config: Config, status: ReviewStatus, note: str = "") -> ReviewView:
    view = load_view(config)
    (item,) = view.items
    with ReviewStore(config.db_path) as review:
        review.set_status(view, item.comparison.referent.id, status, note=note, by="Ana Editor", at=CLOCK)
    return load_view(config)


def export(view: ReviewView) -> list[dict[str, object]]:
    return claimreview_jsonld(view.comparisons, view.decisions, articles=view.articles, publisher="Desk")


@pytest.mark.parametrize("status", [ReviewStatus.UNREVIEWED, ReviewStatus.IN_PROGRESS, ReviewStatus.WRONG_EXTRACTION])
def test_no_verdict_no_claimreview(config: Config, status: ReviewStatus) -> None:
    assert export(load_view(config)) == []
    assert export(reviewed(config, status)) == []


@pytest.mark.parametrize(
    ("status", "note", "verdict", "rating"),
    [
        (ReviewStatus.CONFIRMED, "", "Sources disagree: confirmed discrepancy", 1),
        (ReviewStatus.EXPLAINED, "The union counts every port", "Explained: not a real discrepancy", 5),
    ],
)
def test_verdict_is_a_claimreview(config: Config, status: ReviewStatus, note: str, verdict: str, rating: int) -> None:
    (document,) = export(reviewed(config, status, note))
    assert document["@context"] == "https://schema.org" and document["@type"] == "ClaimReview"
    assert document["reviewRating"]["alternateName"] == verdict
    assert document["reviewRating"]["ratingValue"] == rating
    assert document["author"] == {"@type": "Person", "name": "Ana Editor"}
    assert document["datePublished"] == "2025-03-05"
    assert document.get("reviewBody", "") == note
    assert "4,000" in document["claimReviewed"] and "900" in document["claimReviewed"]
    item = document["itemReviewed"]
    assert item["@type"] == "Claim" and item["datePublished"] == "2025-03-03"
    assert {"@type": "Organization", "name": "union"} in item["author"]
    appearances = {a["url"]: a for a in item["appearance"]}
    assert set(appearances) == {"https://example.org/a?x=<script>", "https://example.org/b"}
    assert appearances["https://example.org/b"]["publisher"] == {
        "@type": "Organization",
        "name": "Coast Post",
    }
    assert appearances["https://example.org/b"]["datePublished"] == "2025-03-04"


def test_output_is_json_and_stable(config: Config) -> None:
    view = reviewed(config, ReviewStatus.CONFIRMED)
    first, second = io.StringIO(), io.StringIO()
    write_claimreview(export(view), first)
    write_claimreview(export(load_view(config)), second)
    assert first.getvalue() == second.getvalue()
    assert json.loads(first.getvalue())[0]["identifier"] == view.items[0].comparison.referent.id


@pytest.mark.parametrize(
    ("speaker", "org", "expected"),
    [
        ("Kyrylo Budanov", None, {"@type": "Person", "name": "Kyrylo Budanov"}),
        ("Pentagon", None, {"@type": "Organization", "name": "Pentagon"}),
        ("US government", None, {"@type": "Organization", "name": "US government"}),
        (
            "Pat Ryder",
            "Pentagon press secretary",
            {
                "@type": "Person",
                "name": "Pat Ryder",
                "affiliation": {"@type": "Organization", "name": "Pentagon press secretary"},
            },
        ),
    ],
)
def test_speakers_become_people_or_organisations(speaker: str, org: str | None, expected: dict) -> None:
    from discrepancy.claimreview import _author

    assert _author(speaker, org) == expected
