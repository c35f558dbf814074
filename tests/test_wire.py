"""Wire copies: a sentence relayed by several articles is one claim with "also carried by"."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from discrepancy.config import Config
from discrepancy.ingest import content_hash
from discrepancy.pipeline import analyse, run
from discrepancy.types import Article, Claim, Comparison, GroupStatus, Kind, Qualifier
from discrepancy.wire import independent, mark_carriers, shingles

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
BLINKEN = sorted(ARTICLES.glob("*.txt"))[4]  # 004: "USA: 8000 North Koreans on the Ukrainian border"
SEEDS = sorted(ARTICLES.glob("*.txt"))

SENTENCE = (
    '"We now believe that there are approximately 10,000 North Korean troops in Russia, and the latest '
    "information indicates that up to 8,000 of these North Korean forces have been deployed in the Kursk "
    'region," said US Secretary of State Antony Blinken.'
)


def _article(name: str, text: str, published: str | None = None) -> Article:
    return Article(name=name, path=name, text=text, body_start=0, content_hash=content_hash(text), published=published)


def _claim(article: str, sentence: str, surface: str, value: float, **fields: object) -> Claim:
    start = sentence.index(surface)
    return Claim(
        article=article, start=start, end=start + len(surface), surface=surface, value=value, low=value,
        high=value, qualifier=Qualifier.APPROX, kind=Kind.COUNT, sentence=sentence, sentence_start=0,
        **fields,  # type: ignore[arg-type]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("other_text", "carried"),
    [
        # the paragraph relayed verbatim inside another story, with other line breaks and quotes
        ("Washington, Oct 31 (Wire) - " + SENTENCE.replace('"', "“", 1).replace(", and", ",\nand"), True),
        # the same figure in other words is an independent statement
        (
            "Blinken said about 10,000 North Korean troops were now in Russia, up to 8,000 of them in Kursk.",
            False,
        ),
        # half of the sentence is not the sentence
        ("We now believe that there are approximately 10,000 North Korean troops in Russia.", False),
    ],
)
def test_a_claim_is_carried_by_the_articles_holding_its_whole_sentence(other_text: str, carried: bool) -> None:
    articles = [_article("a.txt", SENTENCE), _article("b.txt", other_text)]
    (marked,) = mark_carriers([_claim("a.txt", SENTENCE, "10,000", 10000)], articles)
    assert marked.carried_by == (("b.txt",) if carried else ())


def test_shingle_hashes_stay_those_the_store_kept() -> None:
    # stores keep each article's shingles between runs: a new way of hashing must give the same values
    assert sorted(shingles("The Ministry said 1,200 people had left, the “agency” reported on Tuesday.")) == [
        -8091773703789069156, -6398365666593706116, -5965005970475841473,
        -2571840665026495342, -1606099708635067480, 112200168265130317,
    ]  # fmt: skip


def test_short_sentences_are_too_common_to_call_a_copy() -> None:
    sentence = "At least 36 people died."
    articles = [_article("a.txt", sentence), _article("b.txt", "Officials said: " + sentence)]
    (marked,) = mark_carriers([_claim("a.txt", sentence, "36", 36)], articles)
    assert marked.carried_by == ()


def test_of_each_copy_set_the_earliest_published_stays() -> None:
    first = _claim("z_wire.txt", SENTENCE, "10,000", 10000, carried_by=("a_relay.txt",), published="2024-10-31")
    copy = _claim("a_relay.txt", SENTENCE, "10,000", 10000, carried_by=("z_wire.txt",), published="2024-11-01")
    other = dataclasses.replace(copy, value=11000.0, low=11000.0, high=11000.0)  # same sentence, other figure
    assert independent([copy, first]) == [first]
    assert independent([first, copy]) == [first]
    assert independent([first, other]) == [first, other]


def _relay(folder: Path) -> Path:
    text = BLINKEN.read_text(encoding="utf-8")
    relay = folder / "zz_relay.txt"
    relay.write_text("Posted by the regional desk from wire reports\n\n" + text, encoding="utf-8")
    return relay


def test_a_relayed_story_does_not_change_agreement_or_disagreement(tmp_path: Path) -> None:
    config = Config()
    alone = analyse(SEEDS, config=config)
    relayed = analyse([*SEEDS, _relay(tmp_path)], config=config)

    def summary(comparisons: tuple[Comparison, ...]) -> list[tuple[object, ...]]:
        return sorted((len(c.referent.claims), c.status.value, c.low, c.high, len(c.pairs)) for c in comparisons)

    assert summary(relayed.comparisons) == summary(alone.comparisons)
    copies = [c for c in relayed.claims if c.kind is Kind.COUNT and c.article == "zz_relay.txt"]
    assert copies and all(c.carried_by == (BLINKEN.name,) and c.referent for c in copies)
    compared = {c.id for comparison in relayed.comparisons for c in comparison.referent.claims}
    assert not any(c.id in compared for c in copies)
    assert any(c.status is GroupStatus.DIVERGES for c in relayed.comparisons)


def test_the_report_shows_a_relayed_claim_once_with_also_carried_by(tmp_path: Path) -> None:
    config = Config(db_path=tmp_path / "store.sqlite", report_path=tmp_path / "report.md")
    run([*SEEDS, _relay(tmp_path)], config=config)
    report = config.report_path.read_text(encoding="utf-8")
    rows = [line for line in report.splitlines() if "approximately **10,000** North Korean troops" in line]
    assert len(rows) == 1
    assert f"{BLINKEN.name} (also carried by zz_relay.txt)" in rows[0]
