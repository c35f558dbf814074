"""Date mentions in real sentences from /work/shared, resolved against each article's publication date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from itertools import pairwise

import dateparser
import pytest

from discrepancy.dates import DateMention, find_dates, parse_published

# (sentence, published, expected [(text, value, precision)])
CASES = [
    # explicit day and month, year from publication (seed 000 with the seed-001 date; seed 003)
    (
        "On 18 October, Kyrylo Budanov, Head of Defence Intelligence of Ukraine, confirmed that about "
        "11,000 North Korean infantrymen were currently undergoing training",
        "2024-10-29",
        [("18 October", "2024-10-18", "day")],
    ),
    (
        'North Korean troops deployed to fight for Russia against Ukraine are "fair game," U.S. National '
        "Security Council spokesperson John Kirby said on Oct. 23.",
        "2024-10-24",
        [("Oct. 23", "2024-10-23", "day")],
    ),
    (
        "said that the first North Korean units were expected to arrive in Kursk Oblast on Oct. 23 . "
        "Ukraine began a cross-border incursion in August",
        "2024-10-24",
        [("Oct. 23", "2024-10-23", "day"), ("August", "2024-08", "month")],
    ),
    (
        "A military intelligence source told the Kyiv Independent on Oct. 21 that Russian authorities "
        "detained 18 North Korean soldiers",
        "2024-10-24",
        [("Oct. 21", "2024-10-21", "day")],
    ),
    (
        "Earlier in October, Budanov said that the first group would consist of 2,600 soldiers.",
        "2024-10-24",
        [("October", "2024-10", "month")],
    ),
    # a month-day later in the year than publication belongs to the previous year
    (
        "The wildfires started on August 8, when Hawaii was under a red flag warning",
        "2024-01-27",
        [("August 8", "2023-08-08", "day")],
    ),
    (
        "Lahaina, a town in Maui, was nearly destroyed by the fast-moving fires that occurred in August.",
        "2024-01-27",
        [("August", "2023-08", "month")],
    ),
    (
        "A wind-whipped wildfire on Aug. 8 devastated the town of Lahaina in West Maui.",
        "2023-08-23",
        [("Aug. 8", "2023-08-08", "day")],
    ),
    # explicit with year; weekday prefix is part of one mention
    (
        "the two devastating earthquakes that hit their land on Monday, February 6, 2023, it has risen",
        "2023-02-25",
        [("Monday, February 6, 2023", "2023-02-06", "day")],
    ),
    (
        "the Turkish Disaster and Emergency Management Authority (AFAD) on Friday, February 24, announced "
        "that the death toll from the earthquake had risen to 44,218.",
        "2023-02-25",
        [("Friday, February 24", "2023-02-24", "day")],
    ),
    (
        "On February 14, United Nations said 8.8 million people would be affected in Syria.",
        "2023-02-25",
        [("February 14", "2023-02-14", "day")],
    ),
    (
        "Maui Chief of Police John Pelletier speaks at a briefing, in Maui, Hawaii, on Aug. 22, 2023.",
        "2023-08-23",
        [("Aug. 22, 2023", "2023-08-22", "day")],
    ),
    (
        "Thomas Watkins\nWashington\n\nOctober 29, 2024\n\nA small number of North Korean troops",
        "2024-10-29",
        [("October 29, 2024", "2024-10-29", "day")],
    ),
    ("Updated: October 29, 2024, 7:56 PM", "2024-10-29", [("October 29, 2024", "2024-10-29", "day")]),
    (
        "Metrorail ridership for Sat, Jan 21 = 1,001,616 #wmata",
        "2017-01-22",
        [("Sat, Jan 21", "2017-01-21", "day")],
    ),
    (
        "As of 11am, 193k trips taken so far today. (11am 1/20/13 = 317k, 11am 1/20/09 = 513k)",
        "2017-01-20",
        [("today", "2017-01-20", "day"), ("1/20/13", "2013-01-20", "day"), ("1/20/09", "2009-01-20", "day")],
    ),
    # weekdays: the latest such day on or before publication, the same day included
    (
        "A small number of North Korean troops have arrived in Russia's Kursk region and thousands more are "
        "on their way, the Pentagon said on Tuesday.",
        "2024-10-29",
        [("Tuesday", "2024-10-29", "day")],
    ),
    (
        "Officials in Hawaii's Maui County said Thursday at least 36 lives have been claimed",
        "2023-08-10",
        [("Thursday", "2023-08-10", "day")],
    ),
    (
        "At least 1,846 people had been rescued in Hatay as of Tuesday evening, Koca added.",
        "2023-02-09",
        [("Tuesday evening", "2023-02-07", "day")],
    ),
    (
        "The Disaster and Emergency Management Authority (AFAD) said the death toll in Turkey due to "
        "earthquakes rose to 44,218 on Friday night.",
        "2023-02-25",
        [("Friday night", "2023-02-24", "day")],
    ),
    (
        "March organizers, who originally sought space for 200,000 protesters, revised their own "
        "estimation Saturday morning to north of 500,000.",
        "2017-01-22",
        [("Saturday morning", "2017-01-21", "day")],
    ),
    (
        "Friday’s Metro ridership was lower than for the previous two presidential inaugurations",
        "2017-01-23",
        [("Friday", "2017-01-20", "day")],
    ),
    (
        "fatalities from the catastrophic fires in Maui, officially at 53 by Thursday afternoon",
        "2023-08-11",
        [("Thursday afternoon", "2023-08-10", "day")],
    ),
    (
        "Turkey’s toll rose to 2,921 as of Tuesday morning, reports said",
        "2023-02-07",
        [("Tuesday morning", "2023-02-07", "day")],
    ),
    # relative phrases
    (
        "“We know that 420,000 people used the D.C. Metro public transit yesterday,",
        "2017-01-22",
        [("yesterday", "2017-01-21", "day")],
    ),
    (
        '"As the firefighting efforts continue, 36 total fatalities have been discovered today amid the '
        'active Lahaina fire,"',
        "2023-08-10",
        [("today", "2023-08-10", "day")],
    ),
    (
        "Two days ago, Bissen said the number was 850 after the FBI had reconciled various lists",
        "2023-08-23",
        [("Two days ago", "2023-08-21", "day")],
    ),
    (
        "The updated total was a startling departure from what had been expected — a day earlier Gov. "
        "Josh Green said he believed the number would fall below 100.",
        "2023-09-01",
        [("a day earlier", "2023-08-31", "day")],
    ),
    (
        "In a news conference last week, authorities said it was likely more than 1,000",
        "2023-08-23",
        [("last week", "2023-08", "month")],
    ),
    (
        "In a news conference last week, authorities said it was likely more than 1,000",
        "2023-09-03",
        [("last week", "2023-08", "month")],
    ),
    (
        "have revised the number of deaths from last month's wildfire disaster on Maui Island to 97",
        "2023-09-17",
        [("last month", "2023-08", "month")],
    ),
    (
        "have revised the number of deaths from last month's wildfire disaster on Maui Island to 97",
        "2024-01-27",
        [("last month", "2023-12", "month")],
    ),
    (
        "The wildfire that started in early August devastated the town of Lahaina.",
        "2023-09-17",
        [("August", "2023-08", "month")],
    ),
    # years only where a year is meant
    (
        "The first quake was one of the largest ever recorded in Turkey since 1939.",
        "2023-02-07",
        [("1939", "1939", "year")],
    ),
    (
        "He referenced the 1960 tsunami that hit the Big Island, killing 61 people",
        "2023-08-11",
        [("1960", "1960", "year")],
    ),
    (
        "According to Metro’s actual ridership numbers, crowds for Obama’s 2013 inaugural were",
        "2017-01-23",
        [("2013", "2013", "year")],
    ),
    (
        "far fewer than the 513,000 who’d ridden by the same hour in 2009. The ridership ahead of George "
        "Bush’s inauguration in 2005 was 197,000.",
        "2017-01-20",
        [("2009", "2009", "year"), ("2005", "2005", "year")],
    ),
]

NOT_DATES = [
    "Kirby also revealed details of U.S. intelligence assessments, saying Washington believes North Korea "
    '"moved at least 3000 soldiers into eastern Russia."',
    "USA: 8000 North Koreans on the Ukrainian border",
    "The first earthquake struck at 4:17am (01:17 GMT) and was centred in the Pazarcik district",
    "the 7.8 magnitude quake struck at a depth of about 18 kilometres (11 miles) near the Turkish city of "
    "Gaziantep at 04:17 am (0117 GMT)",
    "As of 11 am IST, the toll in Turkey and Syria earthquake stands at over 4,300",
    "It was the first time in 100 years that Russia had invited foreign troops into its country.",
    "In less than two days, neighborhoods from a community that dates to the 1700s turned into smoky rubble",
    "Entire blocks of homes, businesses and a 200-year-old church were destroyed or damaged in Lahaina Town.",
    "Lydia Coloma, a 70-year-old resident of Lahaina, has been identified as the last victim",
    "President Obama’s 2009 inauguration was the system’s busiest day ever, with 1.1 million rail trips.",
    "Two North Korean brigades of up to 6,000 personnel each are currently undergoing training in Russia",
    "Altenburg and Still’s findings are similar to reports by the Associated Press stating approximately "
    "500,000 people attended the Women’s March on Washington.",
    "the scientists chose a period of time, 1:30-2:15 p.m., when the crowd was moving the least.",
    "Wind gusts topping 60 mph ripped through the town",
    "Hundreds of thousands took to the streets of Washington one day after President Trump's inauguration",
    "a platform of hate and division assumed power over the next four years",
    "Officials said they may release names in the coming days.",
    "a statement from March organizers, who originally sought space for 200,000 protesters",
]


def _observed(mentions: list[DateMention]) -> list[tuple[str, str | None, str]]:
    return [(m.text, m.value, m.precision) for m in mentions]


@pytest.mark.parametrize(("sentence", "published", "expected"), CASES)
def test_find_dates_resolves_real_sentences(sentence: str, published: str, expected: list) -> None:
    mentions = find_dates(sentence, published=published)
    assert _observed(mentions) == expected
    for mention in mentions:
        assert sentence[mention.start : mention.end] == mention.text


@pytest.mark.parametrize("sentence", NOT_DATES)
def test_counts_times_durations_and_ages_are_not_dates(sentence: str) -> None:
    # 2009 in the inauguration sentence is an adjective year and is reported; nothing else is
    found = [m.text for m in find_dates(sentence, published="2024-10-29")]
    assert found == (["2009"] if "Obama’s 2009" in sentence else [])


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("the Pentagon said on Tuesday.", [("Tuesday", None, True)]),
        ("which so far have 115 confirmed dead, officials said yesterday", [("yesterday", None, True)]),
        ("On 18 October, Kyrylo Budanov confirmed", [("18 October", None, True)]),
        ("Earlier in October, Budanov said", [("October", None, True)]),
        ("In a news conference last week, authorities said", [("last week", None, True)]),
        (
            "on Monday, February 6, 2023, it has risen to 50,978.",
            [("Monday, February 6, 2023", "2023-02-06", False)],
        ),
        ("(11am 1/20/13 = 317k", [("1/20/13", "2013-01-20", False)]),
        ("one of the largest ever recorded in Turkey since 1939.", [("1939", "1939", False)]),
    ],
)
def test_without_publication_date_relative_mentions_have_no_value(sentence: str, expected: list) -> None:
    mentions = find_dates(sentence, published=None)
    assert [(m.text, m.value, m.relative) for m in mentions] == expected


def test_mentions_are_sorted_and_do_not_overlap() -> None:
    text = (
        "In Turkey alone, the Turkish Disaster and Emergency Management Authority (AFAD) on Friday, "
        "February 24, announced that the death toll from the earthquake had risen to 44,218.\n\n"
        "The death toll has not stopped spinning in Turkey and Syria ever since the two devastating "
        "earthquakes that hit their land on Monday, February 6, 2023, it has risen to 50,978."
    )
    mentions = find_dates(text, published="2023-02-25")
    assert [m.text for m in mentions] == ["Friday, February 24", "Monday, February 6, 2023"]
    assert all(a.end <= b.start for a, b in pairwise(mentions))


@pytest.mark.parametrize("published", ["2023-02-06", "2023-02-09", "2023-02-12", "2024-01-01"])
@pytest.mark.parametrize("weekday", ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
def test_weekday_agrees_with_dateparser_except_on_the_same_day(published: str, weekday: str) -> None:
    base = date.fromisoformat(published)
    (mention,) = find_dates(f"officials said {weekday}", published=published)
    # dateparser with PREFER_DATES_FROM past returns the week before on the publication weekday
    expected = dateparser.parse(
        weekday,
        languages=["en"],
        settings={"RELATIVE_BASE": datetime(base.year, base.month, base.day), "PREFER_DATES_FROM": "past"},
    ).date()
    if expected == base - timedelta(days=7):
        expected = base
    assert mention.value == expected.isoformat()


@pytest.mark.parametrize(
    ("sentence", "published", "value"),
    [
        ("officials said last Tuesday", "2024-10-29", "2024-10-22"),
        ("officials said last Monday", "2024-10-29", "2024-10-28"),
        ("the briefing resumes next Tuesday", "2024-10-29", "2024-11-05"),
        ("a spokesman said earlier this month", "2024-10-29", "2024-10"),
        ("the count rose earlier this year", "2024-10-29", "2024"),
        ("figures released last year", "2024-01-27", "2023"),
        ("three weeks ago", "2024-01-10", "2023-12"),
        ("the day before yesterday", "2017-01-22", "2017-01-20"),
        ("It was 29 February in Ankara", "2023-02-25", "2020-02-29"),
    ],
)
def test_relative_variants(sentence: str, published: str, value: str) -> None:
    (mention,) = find_dates(sentence, published=published)
    assert mention.value == value


def test_invalid_calendar_dates_are_skipped() -> None:
    assert find_dates("on February 30, 2023 and 2/30/23", published="2023-03-01") == []


def test_bad_publication_date_is_rejected() -> None:
    with pytest.raises(ValueError):
        find_dates("on Tuesday", published="29 October 2024")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-02-09", "2023-02-09"),
        (" 2023-02-09T10:00:00Z", "2023-02-09"),
        ("October 24, 2024 8:57 AM", "2024-10-24"),
        ("Thursday, 24 August 2023", "2023-08-24"),
        ("Aug. 22, 2023", "2023-08-22"),
        ("2017/01/23", "2017-01-23"),
        ("2017-01", None),  # a month is not a publication day
        ("yesterday", None),  # would need the clock
        ("3 min read", None),
        ("", None),
    ],
)
def test_parse_published(value: str, expected: str | None) -> None:
    assert parse_published(value) == expected
