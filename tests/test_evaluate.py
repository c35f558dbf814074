"""Scoring against gold: hand-built claims on the seed articles and the seed gold lines."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from discrepancy.config import Config
from discrepancy.errors import ConfigError, GoldError
from discrepancy.evaluate import (
    METRICS,
    GoldClaim,
    Scores,
    check_floors,
    dates_match,
    evaluate,
    format_scores,
    load_floors,
    load_gold,
    parse_number,
    score,
    sides_match,
    speakers_match,
)
from discrepancy.types import Claim, GroupStatus, Kind, Qualifier

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
SEEDS_GOLD = ROOT / "data" / "gold" / "seeds.jsonl"
GOLD = load_gold(SEEDS_GOLD)
TEXTS = {path.name: path.read_text(encoding="utf-8") for path in ARTICLES.glob("*.txt")}

A000 = "000_03983a0091c47d69.txt"
A003 = "003_635a981262af1d4e.txt"
A004 = "004_b86a5de73d64b46a.txt"


def gold_line(quote: str) -> GoldClaim:
    (found,) = [g for g in GOLD if g.quote == quote]
    return found


def replay(gold: GoldClaim, text: str) -> Claim:
    """A system claim on the gold surface that agrees with the gold in every field."""
    quote_at = text.index(gold.quote)
    start = quote_at + gold.quote.index(gold.surface)
    return Claim(
        article=gold.article,
        start=start,
        end=start + len(gold.surface),
        surface=gold.surface,
        value=gold.value,
        low=gold.low,
        high=gold.high,
        qualifier=gold.qualifier,
        kind=Kind.COUNT,
        sentence=gold.quote,
        sentence_start=quote_at,
        speaker=gold.speaker,
        speaker_org=gold.speaker_org,
        side=gold.side,
        claim_date=gold.claim_date,
        referent=gold.referent,
        referent_status=GroupStatus.DIVERGES,
    )


def claim_like(gold: GoldClaim, **changes: object) -> Claim:
    """The replayed gold claim of a seed article, with some fields changed."""
    return dataclasses.replace(replay(gold, TEXTS[gold.article]), **changes)


def claim_on(article: str, phrase: str, surface: str, value: float) -> Claim:
    """A system claim on `surface` inside `phrase`, anywhere in the article."""
    text = TEXTS[article]
    start = text.index(phrase) + phrase.index(surface)
    return Claim(
        article=article,
        start=start,
        end=start + len(surface),
        surface=surface,
        value=value,
        low=value,
        high=value,
        qualifier=Qualifier.EXACT,
        kind=Kind.COUNT,
        sentence=phrase,
        sentence_start=text.index(phrase),
    )


BLINKEN_TOTAL = gold_line("there are approximately 10,000 North Korean troops in Russia")
BRIGADES = gold_line("Two North Korean brigades of up to 6,000 personnel each")
KIRBY = gold_line("moved at least 3000 soldiers into eastern Russia")
FIRST_GROUP = gold_line("the first group would consist of 2,600 soldiers")
US_TOTAL_000 = gold_line("North Korea has sent approximately 10,000 troops to Russia")


# --- load_gold ---------------------------------------------------------------


def test_load_gold_reads_every_seed_line_with_types() -> None:
    assert len(GOLD) == 15
    expected = GoldClaim(
        article=A003,
        quote="Two North Korean brigades of up to 6,000 personnel each",
        surface="6,000",
        value=12000.0,
        low=None,
        high=12000.0,
        qualifier=Qualifier.UP_TO,
        speaker="Volodymyr Zelensky",
        speaker_org=None,
        side="Ukraine",
        claim_date="2024-10-24",
        referent="total-in-russia",
    )
    assert expected == BRIGADES


def _seed_record() -> dict[str, object]:
    return json.loads(SEEDS_GOLD.read_text(encoding="utf-8").splitlines()[0])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"quote": None}, "line 2: field 'quote' must be a non-empty string"),
        ({"value": "10,000"}, "line 2: field 'value' must be a number or null"),
        ({"qualifier": "about"}, "line 2: qualifier 'about' is not one of exact, approx"),
        ({"claim_date": "17 October"}, "line 2: claim_date '17 October' is not YYYY-MM-DD or YYYY-MM"),
        ({"surface": "11,000"}, "line 2: surface '11,000' is not inside the quote"),
        ({"note": "extra"}, "line 2: unknown field 'note'"),
    ],
)
def test_load_gold_names_the_line_and_the_problem(tmp_path: Path, change: dict[str, object], message: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(_seed_record()) + "\n" + json.dumps({**_seed_record(), **change}) + "\n")
    with pytest.raises(GoldError, match="^" + str(path) + " " + message.replace("(", r"\(")):
        load_gold(path)


def test_load_gold_missing_field(tmp_path: Path) -> None:
    record = _seed_record()
    del record["quote"]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join([json.dumps(_seed_record())] * 6 + [json.dumps(record)]) + "\n")
    with pytest.raises(GoldError) as caught:
        load_gold(path)
    assert str(caught.value) == f"{path} line 7: missing field 'quote'"


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "no such gold file"), ("\n\n", "gold file has no claims"), ("{", "not valid JSON")],
)
def test_load_gold_bad_files(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "gold.jsonl"
    if content is not None:
        path.write_text(content)
    with pytest.raises(GoldError, match=message):
        load_gold(path)


# --- numbers as written ------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "value"),
    [
        ("3000", 3000),
        ("10,000", 10000),
        ("10k", 10000),
        ("193k", 193000),
        ("1.5 million", 1_500_000),
        ("four thousand", 4000),
        ("five", 5),
        ("twenty-five", 25),
        ("a million and a half", 1_500_000),
        ("A Million And A Half", 1_500_000),
        ("a half-million", 500_000),
        ("several thousand", None),
        ("tens of thousands", None),
        ("between 1,000 and 1,100", None),
        ("a million, a million and a half", None),
    ],
)
def test_parse_number(surface: str, value: float | None) -> None:
    assert parse_number(surface) == value


# --- matching ----------------------------------------------------------------


def test_exact_match_scores_everything_perfectly() -> None:
    scores = score([claim_like(BLINKEN_TOTAL)], TEXTS, [BLINKEN_TOTAL])
    assert (scores.gold, scores.system, scores.matched) == (1, 1, 1)
    assert [getattr(scores, name) for name in METRICS] == [1.0] * len(METRICS)
    assert scores.errors == ()


@pytest.mark.parametrize(
    ("values", "matched"),
    [
        ((12000, None, 12000), True),  # the gold's own interval
        ((6000, None, 6000), True),  # the number as written, "6,000"
        ((6000, 6000, 6000), True),
        ((8000, None, 12000), True),  # a bound equals the gold high
        ((2, 2, 2), False),  # "Two" brigades is in the quote but is another number
    ],
)
def test_value_may_match_by_bound_or_by_the_number_written(values: tuple[float | None, ...], matched: bool) -> None:
    value, low, high = values
    claim = claim_like(BRIGADES, value=value, low=low, high=high)
    assert score([claim], TEXTS, [BRIGADES]).matched == int(matched)


def test_low_bound_match_counts_the_claim_but_not_its_value() -> None:
    claim = claim_like(KIRBY, value=9000, low=3000, high=None)
    scores = score([claim], TEXTS, [KIRBY])
    assert scores.matched == 1
    assert scores.value_accuracy == 0.0
    assert scores.errors == (f"value      {A003}: '3000' in {KIRBY.quote!r}: gold 3,000, system 9,000",)


def test_same_number_outside_the_quote_does_not_match() -> None:
    # 000 repeats 10,000: the US estimate (gold) and Zelensky's recruitment figure (not this gold line)
    elsewhere = claim_on(A000, "Russia intended to recruit about 10,000 soldiers", "10,000", 10000)
    scores = score([elsewhere], TEXTS, [US_TOTAL_000])
    assert (scores.matched, scores.claim_precision, scores.claim_recall, scores.claim_f1) == (
        0,
        0.0,
        0.0,
        0.0,
    )
    assert scores.errors[0].startswith(f"missed     {A000}: '10,000' (10,000) in 'North Korea has sent")
    assert scores.errors[1].startswith(f"spurious   {A000}:{elsewhere.start}: '10,000'")


def test_wrong_value_inside_the_quote_does_not_match() -> None:
    claim = claim_like(FIRST_GROUP, value=2000, low=2000, high=2000)
    assert score([claim], TEXTS, [FIRST_GROUP]).matched == 0


def test_matching_is_one_to_one_and_prefers_exact_agreement() -> None:
    loose = claim_like(BRIGADES, value=6000, low=6000, high=6000)
    exact = claim_like(BRIGADES)
    scores = score([loose, exact], TEXTS, [BRIGADES])
    assert (scores.system, scores.matched) == (2, 1)
    assert scores.value_accuracy == 1.0  # the exact claim won the gold line
    assert scores.claim_precision == 0.5
    assert scores.claim_recall == 1.0
    assert scores.claim_f1 == pytest.approx(2 / 3)


def test_precision_and_recall_over_several_articles() -> None:
    gold = [BLINKEN_TOTAL, KIRBY, FIRST_GROUP, US_TOTAL_000]
    spurious = claim_on(A004, "first time in 100 years", "100", 100)
    claims = [claim_like(BLINKEN_TOTAL), claim_like(KIRBY), spurious]
    scores = score(claims, TEXTS, gold)
    assert (scores.gold, scores.system, scores.matched) == (4, 3, 2)
    assert scores.claim_precision == pytest.approx(2 / 3)
    assert scores.claim_recall == 0.5
    assert scores.claim_f1 == pytest.approx(4 / 7)
    missed = [line for line in scores.errors if line.startswith("missed")]
    assert len(missed) == 2


def test_gold_quote_absent_from_the_text_is_an_error() -> None:
    texts = {**TEXTS, A004: "An article that was edited since the gold was made."}
    with pytest.raises(GoldError, match="gold quote not found"):
        score([], texts, [BLINKEN_TOTAL])


def test_gold_article_not_analysed_is_an_error() -> None:
    with pytest.raises(GoldError, match=f"{A004}: article named in the gold file was not analysed"):
        score([], {}, [BLINKEN_TOTAL])


# --- speakers, sides, dates --------------------------------------------------


@pytest.mark.parametrize(
    ("gold", "system", "expected"),
    [
        ("Pat Ryder", "Maj Gen Pat Ryder", True),
        ("Pat Ryder", "Ryder", True),
        ("Antony Blinken", "US Secretary of State Antony Blinken", True),
        ("Kyrylo Budanov", "Budanov", True),
        ("Pentagon", "the Pentagon", True),
        ("US government", "U.S. government", True),
        ("US Department of Defense", "Department of Defense", True),
        ("South Korea Ministry of Defense", "South Korea's defense ministry", True),
        ("Jeon Ha-kyou", "Jeon Ha-kyou", True),
        ("Antony Blinken", "Pat Ryder", False),
        ("Pentagon", "US government", False),
        ("Volodymyr Zelensky", "Kyrylo Budanov", False),
        ("Volodymyr Zelensky", None, False),
        (None, "Volodymyr Zelensky", False),
        (None, None, True),
    ],
)
def test_speakers_match(gold: str | None, system: str | None, expected: bool) -> None:
    assert speakers_match(gold, system) is expected


def test_speaker_accuracy_in_score() -> None:
    claims = [claim_like(BLINKEN_TOTAL, speaker="Blinken"), claim_like(KIRBY, speaker="White House")]
    scores = score(claims, TEXTS, [BLINKEN_TOTAL, KIRBY])
    assert scores.speaker_accuracy == 0.5
    assert f"speaker    {A003}: '3000' in {KIRBY.quote!r}: gold 'John Kirby', system 'White House'" in scores.errors


@pytest.mark.parametrize(
    ("gold", "system", "expected"),
    [
        ("US", "U.S.", True),
        ("South Korea", "south korea", True),
        ("Ukraine", "Russia", False),
        (None, "US", False),
    ],
)
def test_sides_match(gold: str | None, system: str | None, expected: bool) -> None:
    assert sides_match(gold, system) is expected


@pytest.mark.parametrize(
    ("gold", "system", "expected"),
    [
        ("2024-10-24", "2024-10-24", True),
        ("2024-10-24", "2024-10-23", False),
        ("2024-10", "2024-10-15", True),  # a gold month matches any day of it
        ("2024-10", "2024-10", True),
        ("2024-10", "2024-11-01", False),
        ("2024-10-24", "2024-10", False),  # but a system month is not a gold day
        (None, None, True),
        (None, "2024-10-24", False),
    ],
)
def test_dates_match(gold: str | None, system: str | None, expected: bool) -> None:
    assert dates_match(gold, system) is expected


@pytest.mark.parametrize(("system_date", "accuracy"), [("2024-10-15", 1.0), ("2024-11-01", 0.0), (None, 0.0)])
def test_month_precision_gold_date_in_score(system_date: str | None, accuracy: float) -> None:
    assert FIRST_GROUP.claim_date == "2024-10"
    scores = score([claim_like(FIRST_GROUP, claim_date=system_date)], TEXTS, [FIRST_GROUP])
    assert scores.date_accuracy == accuracy


# --- referent and discrepancy pairs ------------------------------------------

# The four gold claims of 004: g1 "8000" (headline), g2 "up to 8,000" (lede) and g4 "up to 8,000 ... Kursk"
# share in-or-near-kursk; g3 "approximately 10,000" is total-in-russia.
G004 = [g for g in GOLD if g.article == A004]


def test_referent_and_discrepancy_pairs_by_hand() -> None:
    g1, g2, g3, g4 = G004
    assert [g.referent for g in G004] == [
        "in-or-near-kursk",
        "in-or-near-kursk",
        "total-in-russia",
        "in-or-near-kursk",
    ]
    # Gold pairs: (1,2) (1,4) (2,4). Diverging: (1,2) and (1,4), 8000 exact vs up to 8,000;
    # (2,4) have identical intervals.
    # The system puts 1, 2, 3 in one diverging group and 4 alone:
    # system pairs (1,2) (1,3) (2,3), all diverging; shared with gold: (1,2) only.
    claims = [
        claim_like(g1, referent="r-a"),
        claim_like(g2, referent="r-a"),
        claim_like(g3, referent="r-a"),
        claim_like(g4, referent="r-b", referent_status=GroupStatus.SINGLE),
    ]
    scores = score(claims, TEXTS, G004)
    assert scores.matched == 4
    assert (scores.referent_precision, scores.referent_recall, scores.referent_f1) == pytest.approx(
        (1 / 3, 1 / 3, 1 / 3)
    )
    assert (scores.discrepancy_precision, scores.discrepancy_recall) == pytest.approx((1 / 3, 1 / 2))
    assert scores.discrepancy_f1 == pytest.approx(0.4)


def test_system_discrepancy_pairs_need_a_diverging_status() -> None:
    claims = [claim_like(g, referent="r-a", referent_status=GroupStatus.AGREES) for g in G004]
    scores = score(claims, TEXTS, G004)
    # One system group of four: 6 pairs, 3 of them gold pairs.
    assert (scores.referent_precision, scores.referent_recall) == (0.5, 1.0)
    # No system discrepancy pair against 2 gold ones.
    assert (scores.discrepancy_precision, scores.discrepancy_recall, scores.discrepancy_f1) == (0.0, 0.0, 0.0)


def test_no_pairs_on_either_side_scores_one() -> None:
    scores = score([claim_like(BLINKEN_TOTAL), claim_like(KIRBY)], TEXTS, [BLINKEN_TOTAL, KIRBY][:1])
    assert scores.matched == 1
    assert (scores.referent_precision, scores.referent_recall, scores.referent_f1) == (1.0, 1.0, 1.0)


def test_claims_without_referent_form_no_pairs() -> None:
    g1, g2, _, _ = G004
    scores = score([claim_like(g1, referent=None), claim_like(g2, referent=None)], TEXTS, [g1, g2])
    assert (scores.referent_precision, scores.referent_recall) == (0.0, 0.0)


# --- output and floors -------------------------------------------------------


def _scores(value: float) -> Scores:
    return Scores(gold=15, system=14, matched=12, **dict.fromkeys(METRICS, value))


def test_format_scores_is_an_aligned_table() -> None:
    lines = format_scores(_scores(2 / 3)).splitlines()
    assert lines[0] == "gold 15  system 14  matched 12"
    assert [line.split()[0] for line in lines[1:]] == list(METRICS)
    assert {line.split()[1] for line in lines[1:]} == {"0.667"}
    assert len({line.index("0.667") for line in lines[1:]}) == 1


def test_check_floors() -> None:
    floors = {"claim_recall": 0.7, "claim_precision": 0.5, "speaker_accuracy": 0.6}
    assert check_floors(_scores(0.6), floors) == ["claim_recall 0.600 is under its floor 0.700"]
    assert check_floors(_scores(0.7), floors) == []
    assert check_floors(_scores(0.7), {"recall": 0.1}) == [f"recall: not a metric (allowed: {', '.join(METRICS)})"]


@pytest.mark.parametrize("key", ["seeds", "dev"])
def test_pinned_floors_file_names_every_metric(key: str) -> None:
    assert set(load_floors(ROOT / "eval_floors.json", key=key)) == set(METRICS)


@pytest.mark.parametrize(
    ("content", "key", "message"),
    [
        ('{"seeds": {"claim_recall": 0.5}}', "dev", "no floors for 'dev'"),
        ('{"claim_recall": 1.5}', None, "floor for claim_recall is 1.5"),
        ('{"recall": 0.5}', None, "unknown metric 'recall'"),
        ("[0.5]", None, "must be a JSON object"),
        ("{", None, "not a JSON floors file"),
    ],
)
def test_load_floors_rejects_bad_files(tmp_path: Path, content: str, key: str | None, message: str) -> None:
    path = tmp_path / "floors.json"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_floors(path, key=key)


# --- evaluate (runs the pipeline) --------------------------------------------


def test_evaluate_refuses_a_folder_missing_gold_articles(tmp_path: Path) -> None:
    (tmp_path / A000).write_text(TEXTS[A000], encoding="utf-8")
    with pytest.raises(GoldError, match="4 gold article\\(s\\) missing"):
        evaluate(tmp_path, SEEDS_GOLD, config=Config())


def test_evaluate_on_the_bundled_seeds() -> None:
    scores = evaluate(ARTICLES, SEEDS_GOLD, config=Config())
    assert scores.gold == 15
    assert scores.system > 0
    assert 0 < scores.matched <= min(scores.gold, scores.system)
    assert scores.claim_recall == scores.matched / 15
    assert all(0.0 <= getattr(scores, name) <= 1.0 for name in METRICS)


DEV = ROOT.parent / "shared" / "dev"


@pytest.mark.parametrize(
    "articles_dir",
    [
        ARTICLES,
        pytest.param(
            DEV / "articles",
            marks=pytest.mark.skipif(not DEV.is_dir(), reason="the development set is not beside the repository"),
        ),
    ],
)
def test_gold_replayed_as_system_output_scores_one(articles_dir: Path) -> None:
    gold_path = SEEDS_GOLD if articles_dir == ARTICLES else DEV / "gold.jsonl"
    gold = load_gold(gold_path)
    texts = {path.name: path.read_text(encoding="utf-8") for path in articles_dir.glob("*.txt")}
    claims = [replay(g, texts[g.article]) for g in gold]
    scores = score(claims, texts, gold)
    assert scores.matched == len(gold)
    assert {name: getattr(scores, name) for name in METRICS} == dict.fromkeys(METRICS, 1.0)
