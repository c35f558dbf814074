"""Attribute stage: who said each count (speaker, organisation, side, relay) and when.

Speakers come from the dependency parse: the reporting verb that governs the number
("X said", "said X", "X told reporters", "X confirmed that"), "according to X", a colon
headline ("USA: 8000 ..."), a quote attributed in the next sentence, and pronouns
resolved to the last named speaker. Names are completed from elsewhere in the article
("Smith" -> "Jane Smith"). Sides come from the actor aliases in ``data/domain/actors.yaml``.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator

import numpy
from spacy.attrs import DEP, ENT_TYPE, LOWER, POS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Span, Token

from .dates import MONTH_NAME, date_at, find_dates
from .domain import Domain, alias_matches
from .nlp import (
    ParsedArticle,
    doc_text,
    entities_in,
    entity_of,
    kept_per_token,
    lemma,
    sentence_of,
    span_text,
    subtree_text,
)
from .skim import BODY_NOUNS, quote_opening
from .types import Claim, with_fields

REPORTING_VERBS = {
    "say", "tell", "announce", "confirm", "estimate", "believe", "report", "state", "add", "claim",
    "warn", "assess", "disclose", "note", "declare", "reveal", "write", "expect", "put", "peg", "record",
    "show", "brief", "insist", "allege", "predict", "forecast", "explain", "acknowledge", "argue", "tweet",
    "indicate", "suggest", "assert", "admit", "deny", "testify", "caution", "publish", "release", "post",
    "update", "count", "list", "register", "think", "elevate", "revise", "raise", "lower", "quote", "cite",
    "point", "stress", "calculate", "tally",
}  # fmt: skip
_IRREGULAR_FORMS = {"say": "said", "tell": "told", "write": "wrote written", "think": "thought"}


@functools.cache
def reporting_verb_forms() -> frozenset[str]:
    """The inflected forms of the reporting verbs, for telling without a parse that a sentence may report."""
    forms = set()
    for verb in REPORTING_VERBS:
        stem = verb[:-1] if verb.endswith("e") else verb
        forms |= {verb, verb + "s", stem + "ed", stem + "ing", *_IRREGULAR_FORMS.get(verb, "").split()}
        if verb.endswith("y"):
            forms |= {verb[:-1] + "ied", verb[:-1] + "ies"}
    return frozenset(forms)


PRONOUNS = {"he", "she", "they", "we", "i", "it"}
TITLES = re.compile(
    r"^(?:(?:mr|mrs|ms|dr|prof|gen|maj|col|lt|sgt|capt|gov|sen|rep|pres|president|prime minister|minister"
    r"|secretary|spokesman|spokeswoman|spokesperson|chief|head|director|general|governor|mayor|senator"
    r"|ambassador|commander|deputy|press secretary|lt\. governor)\.?\s+)+",
    re.IGNORECASE,
)
# a title that, alone as a subject, stands for the one person the article gives it to
_BARE_TITLE = re.compile(
    r"minister|commissioner|governor|mayor|president|premier|spokesman|spokeswoman|spokesperson|chief|director"
    r"|secretary|ambassador|commander|sheriff|coroner|chairman|chairwoman|chancellor",
    re.IGNORECASE,
)
_TITLE_ABBREVIATIONS = {"governor": "Gov.", "president": "Pres.", "senator": "Sen.", "secretary": "Sec."}
GENERIC_SOURCES = {
    "estimate", "estimates", "official", "officials", "authority", "authorities", "government", "intelligence",
    "source", "sources", "data", "figures", "figure", "statement", "assessment", "assessments", "report",
    "reports", "media", "agencies", "diplomats", "administration", "leaders",
}  # fmt: skip
_HEADLINE_SOURCE = re.compile(r"^\s*([A-Z][\w.\- ]{1,40}?)\s*:\s+\S")
# the capitalised words before a name ("Westshire County Mayor Jane Smith") and an apposition after it
_DESCRIPTION_BEFORE = re.compile(
    r"((?:(?:[A-Z][\w'’&-]*|[A-Z](?:\.[A-Z])+\.?|(?:Gov|Lt|Sen|Rep|Dr|Gen|Maj|Col|Capt|Adm|Sgt|Prof|Pres)\."
    r"|of|for|and|the)[ \t]+)+)$"
)
_DESCRIPTION_AFTER = re.compile(
    r",[ \t]+((?!(?:who|whom|whose|which|that|where|when|while|and|but|as|in|on|at)\b|\w+ing\b)"
    r"[^,.;:“”\"\n]{3,80}?)[,.;]"
)
_STATE_OFFICE = re.compile(r"\b(?:minister|ministry)\b", re.IGNORECASE)
# a body's capitalised name, "Westshire Area Transit Authority", "Observatory for Human Rights"
_BODY_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:[ \t]+(?:(?:of|for|and|the|on)[ \t]+)?[A-Z][\w'’-]*)+")
_GOVERNOR = re.compile(r"\b(?:Gov\.|Governor)\s+(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w'’-]*$")


def _initials(name: str) -> tuple[str, ...]:
    """ "The Westshire Area Transit Authority" -> TWATA, WATA, ATA, TA, A: the initials of each ending of the name."""
    letters = "".join(w[0] for w in name.split() if w not in {"of", "for", "and", "the", "on"}).upper()
    return tuple(letters[start:] for start in range(len(letters)))


def _entity_phrase(token: Token) -> Span | None:
    entity = entity_of(token)
    if entity is None or entity.label_ not in {"ORG", "PERSON"}:
        return None
    return _proper_part(entity) if entity.label_ == "PERSON" else entity


def _proper_part(entity: Span) -> Span:
    """A name without the words a title-case headline runs into it: "Jane Roe Is Very" -> "Jane Roe"."""
    end = entity.end
    while end - entity.start > 1 and entity.doc[end - 1].pos_ != "PROPN":
        end -= 1
    return entity if end == entity.end else entity.doc[entity.start : end]


@kept_per_token
def _phrase(token: Token) -> Span:
    """The noun phrase headed by a token, without trailing clauses; an apposition naming a person wins."""
    doc = token.doc
    for child in token.rights:
        if child.dep_ == "appos" and any(
            e.label_ == "PERSON" for e in entities_in(doc[child.left_edge.i : child.right_edge.i + 1])
        ):
            return doc[token.left_edge.i : child.right_edge.i + 1]
    start = token.i
    for child in token.lefts:
        if child.dep_ in {"compound", "amod", "poss", "nmod", "det", "nummod", "case", "punct"}:
            start = min(start, child.left_edge.i)
    end = token.i + 1
    for child in token.rights:
        if child.dep_ in {"compound", "flat"} or _continues_name(token, child):
            end = max(end, child.right_edge.i + 1)
    entity = _entity_phrase(token)
    if entity is not None:
        start, end = min(start, entity.start), max(end, entity.end)
    return doc[start:end]


def _continues_name(token: Token, child: Token) -> bool:
    """ "Medics Without Borders", "Ministry of Health": a capitalised preposition phrase is part of a body's name."""
    if child.dep_ != "prep" or not token.text[:1].isupper() or token.ent_type_ == "PERSON":
        return False
    if child.lower_ in {"in", "at", "from", "near", "across", "inside"}:
        return False  # "Police in Westshire" are the police of a place, not a name
    words = list(child.subtree)[1:]
    return bool(words) and all(
        w.text[:1].isupper()
        or w.lower_ in {"of", "for", "and", "the"}
        or w.text in {"-", ".", "&"}
        or w.ent_type_ == "PERSON"
        for w in words
    )


def _strip_phrase(text: str) -> str:
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE)
    text = re.sub(r"^(?:most\s+recent|latest|new|recent)\s+", "", text, flags=re.IGNORECASE)
    return text.strip(" ,.'’\"“”")


class _ArticleSpeakers:
    """What the article says about people: full names and the actor each is linked to."""

    def __init__(self, parsed: ParsedArticle, domain: Domain) -> None:
        self.domain = domain
        self.text = parsed.text
        self.doc = parsed.doc
        self.full_names: dict[str, str] = {}
        self.person_side: dict[str, str | None] = {}
        self.state_officers: set[str] = set()  # last names described as ministers of no named country
        self.found_full_names: dict[str, str | None] = {}  # last name -> find_full_name's answer
        self.speakers: dict[tuple[int, int], tuple[str, str | None, str | None]] = {}  # phrase -> its speaker
        doc = parsed.doc
        persons = [_proper_part(e) for e in entities_in(doc) if e.label_ == "PERSON"]
        last_names = {span_text(e).split()[-1].lower() for e in persons if span_text(e).split()}
        # "quoting Jan Kowal, Ruritania's head of ...": a person the tagger took for a body once
        persons += [e for e in entities_in(doc) if e.label_ == "ORG" and span_text(e).split()[-1].lower() in last_names]
        text = doc_text(doc)
        for ent in sorted(persons, key=lambda e: e.start):
            name = TITLES.sub("", span_text(ent).strip()).strip(" ,.'’")
            name = re.sub(r"['’]s$", "", name)
            words = name.split()
            if not words:
                continue
            last = words[-1].lower()
            if len(words) > len(self.full_names.get(last, "").split()):
                self.full_names[last] = name
            root = ent.root
            head = root.head if root.dep_ in {"appos", "compound"} else root
            description = span_text(doc[head.left_edge.i : head.right_edge.i + 1])
            side = self.side_of(description) or self.place_of(description)  # "Westshire Gov. Jane Smith"
            if side is None and _GOVERNOR.search(text[max(0, ent.start_char - 12) : ent.end_char]):
                side = self.home_region  # "Gov. Jane Smith" in a story set in Westshire governs Westshire
            if side and last not in self.person_side:
                self.person_side[last] = side

    def side_of_person(self, last: str) -> str | None:
        """The side a person's description gives anywhere in the article, parsed or not.

        "Ruritanian President Jane Smith visited ..." and "Jane Smith, Westshire's fire chief, ..." hold no
        count, so the parser may not have read them: their words before or after the name say."""
        last = last.lower()
        if last not in self.person_side:
            name = self.full_names.get(last) or self.find_full_name(last[:1].upper() + last[1:]) or last
            side = None
            for match in re.finditer(rf"\b{re.escape(name)}\b", self.text):
                before = _DESCRIPTION_BEFORE.search(self.text, max(0, match.start() - 80), match.start())
                after = _DESCRIPTION_AFTER.match(self.text, match.end())
                for words in (before, after):
                    text = words.group(1) if words else ""
                    side = side or self.side_of(text) or self.place_of(text)
                if side is None and before and _GOVERNOR.search(before.group(1) + name):
                    side = self.home_region
                if side:
                    break
                if any(w and _STATE_OFFICE.search(w.group(1)) for w in (before, after)):
                    self.state_officers.add(last)
            self.person_side[last] = side
        return self.person_side[last]

    def holds_state_office(self, name: str) -> bool:
        """ "Jane Smith, Assistant Minister of Health": a minister of no named country (the article's, then)."""
        last = name.split()[-1].lower() if name.split() else ""
        return self.side_of_person(last) is None and last in self.state_officers

    def side_of_account(self, author: str) -> str | None:
        """The side of a post's author, "City Transit (@wctr)": the account's name, else the body whose initials
        are its handle when the article names that body ("Westshire City Transit Region") or writes them."""
        name, _, handle = author.partition(" (@")
        handle = handle.rstrip(")").upper()
        side = self.side_of(name)
        if side or len(handle) < 3:
            return side
        written = re.search(rf"\b{re.escape(handle)}\b", self.text) is not None
        if written or any(handle in _initials(m.group()) for m in _BODY_NAME.finditer(self.text)):
            return self.side_of(handle) or handle
        return None

    @functools.cached_property
    def home_region(self) -> str | None:
        """The first-level region (state, province) the article's places lie in, if one clearly leads."""
        domain = self.domain
        places = [domain.place_aliases[m.group("alias")] for m in alias_matches(self.text, domain.place_aliases)]
        places += [
            domain.gazetteer[name]
            for e in entities_in(self.doc)
            if e.label_ in {"GPE", "LOC"}
            and (name := _strip_phrase(e.text).lower()) in domain.gazetteer
            and name not in domain.place_aliases
        ]
        named = Counter(
            next((p for p in [place, *domain.place_ancestors(place)] if p in domain.regions), None) for place in places
        )
        named.pop(None, None)
        ranked = named.most_common(2)
        if not ranked or (len(ranked) == 2 and ranked[1][1] * 2 > ranked[0][1]):
            return None
        return ranked[0][0]

    def find_full_name(self, last: str) -> str | None:
        """A person named by last name only: the fullest capitalised name ending in it."""
        if last not in self.found_full_names:  # asked again and again: each search reads the whole text
            self.found_full_names[last] = self._find_full_name(last)
        return self.found_full_names[last]

    def _find_full_name(self, last: str) -> str | None:
        if last.lower() in self.full_names:
            return self.full_names[last.lower()]
        pattern = rf"\b((?:[A-Z][\w'’-]+ ){{1,2}}){re.escape(last)}\b"
        for match in re.finditer(pattern, self.text):
            first_names = [w for w in match.group(1).split() if not TITLES.match(w + " ")]
            if first_names and first_names[-1].lower() not in self.domain.actor_aliases:
                return f"{first_names[-1]} {last}"
        return None

    def person_titled(self, title: str, position: int) -> str | None:
        """ "the commissioner said": the person the article names with that title, "Police Commissioner Jan Kowal"
        or "Jan Kowal, the police commissioner"; of several, the last named before ``position``."""
        words = rf"(?i:{re.escape(title)})"
        if title.lower() in _TITLE_ABBREVIATIONS:  # "Gov. Jane Roe" is the governor
            words = rf"(?:{words}|{re.escape(_TITLE_ABBREVIATIONS[title.lower()])})"
        name = r"([A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){0,2})"
        named: list[tuple[bool, int, str]] = []  # (after the position, nearness to it, last name)
        for pattern in (
            rf"\b{words}[ \t]+{name}",
            rf"\b{words}[ \t]+of[ \t]+(?:the[ \t]+)?[A-Z][\w'’-]+[ \t]+{name}",  # "Commissioner of Police Jan Kowal"
            rf"{name},[ \t]+(?:(?i:the)[ \t]+)?(?:[\w'’-]+[ \t]+){{0,3}}{words}\b",
        ):
            for match in re.finditer(pattern, self.text):
                last = match.group(1).split()[-1].lower()
                before = match.start() < position
                if last in self.full_names:  # a person the tagger found
                    named.append((not before, -match.start() if before else match.start(), last))
        return self.full_names[min(named)[2]] if named else None

    def full_name(self, name: str) -> str:
        name = TITLES.sub("", name).strip()
        words = name.split()
        if not words:
            return name
        return self.full_names.get(words[-1].lower(), name) if len(words) == 1 else name

    def names_a_place(self, text: str) -> bool:
        """A country, region or town of the domain's files or the gazetteer: "Westport", "Ruritania's"."""
        name = re.sub(r"['’]s$", "", _strip_phrase(text)).lower()
        domain = self.domain
        return name in domain.actor_aliases or name in domain.place_aliases or name in domain.gazetteer

    def place_of(self, text: str) -> str | None:
        matches = alias_matches(text, self.domain.place_aliases)
        return self.domain.place_aliases[matches[0].group("alias")] if matches else None

    def side_of(self, text: str) -> str | None:
        """The actor named first in the text (an alias followed by a space or punctuation)."""
        for match in alias_matches(text, self.domain.actor_aliases):
            if re.match(r"[\s'’,.:;)]|$", text[match.end() : match.end() + 1]):
                return self.domain.actor_aliases[match.group("alias")]
        return None


@dataclasses.dataclass(frozen=True)
class Attribution:
    speaker: str | None
    speaker_org: str | None
    side: str | None
    via: str | None
    anchor: int | None  # char offset of the reporting verb, for dating


def _speaker_from_tokens(tokens: Span, people: _ArticleSpeakers) -> tuple[str, str | None, str | None]:
    """(speaker, speaker_org, side) from a subject phrase like "ministry spokesman Col Jane Smith"."""
    key = (tokens.start, tokens.end)  # the speakers' pass and the claims read the same subjects
    if key not in people.speakers:
        people.speakers[key] = _read_speaker(tokens, people)
    return people.speakers[key]


def _read_speaker(tokens: Span, people: _ArticleSpeakers) -> tuple[str, str | None, str | None]:
    dated = next((t for t in tokens if t.lower_ in {"'s", "’s"} and t.i > tokens.start), None)
    if (
        dated is not None
        and all(t.ent_type_ == "DATE" for t in tokens.doc[tokens.start : dated.i])
        and dated.i + 1 < tokens.end
    ):
        tokens = tokens.doc[dated.i + 1 : tokens.end]  # "Monday's ministry figures" are the ministry's
    # the tagger may take a place for a person: "Ruritania's health ministry"
    persons = [e for e in entities_in(tokens) if e.label_ == "PERSON" and not people.names_a_place(e.text)]
    orgs = [e for e in entities_in(tokens) if e.label_ in {"ORG", "GPE", "NORP"}]
    phrase = span_text(tokens)
    side = people.side_of(phrase)
    title = _strip_phrase(phrase)
    if not persons and len(title.split()) <= 3 and title.split()[-1:] and _BARE_TITLE.fullmatch(title.split()[-1]):
        position = tokens.start_char
        named = people.person_titled(title, position) or (
            people.person_titled(title.split()[-1], position) if " " in title else None
        )
        if named:  # "the commissioner said": the commissioner the article names
            return named, None, side or people.side_of_person(named.split()[-1])
    if not persons:
        last_word = phrase.split()[-1] if phrase.split() else ""
        is_name = last_word[:1].isupper() and last_word.lower() not in people.domain.actor_aliases
        is_person_like = tokens.root.pos_ == "PROPN" and (
            tokens.root.ent_type_ in {"PERSON", ""} or last_word.lower() in people.full_names
        )
        named = people.find_full_name(last_word) if is_name and is_person_like else None
        if named:
            return named, None, side or people.side_of_person(last_word)
    if persons:
        person = persons[-1]
        name = people.full_name(TITLES.sub("", span_text(person)).strip(" ,.'’"))
        name = re.sub(r"['’]s$", "", name)
        organisations = [e for e in entities_in(tokens) if e.label_ == "ORG" and e.end <= person.start]
        org_text = _strip_phrase(re.sub(r"['’]s\b", "", organisations[0].text)) if organisations else None
        last = name.split()[-1].lower() if name.split() else ""
        return name, org_text, side or people.side_of_person(last)
    text = _strip_phrase(phrase)
    after = span_text(tokens.doc[tokens.end : tokens.end + 5])
    acronym = re.match(r"\s*\(([A-Z][A-Z&]{1,9}|[A-Z][a-z]+(?: [A-Z][a-z]+){0,2})\)", after)
    if acronym and not persons:  # "the National Disaster Management Authority (NDMA)": desks know the acronym
        if side and not _is_state_body(text):  # "Ruritanian Observatory for Human Rights (ROHR)" speaks for itself
            side = None
        return acronym.group(1), text, side or people.side_of(acronym.group(1)) or acronym.group(1)
    root = tokens.root
    agent = _named_agent(root)
    if agent is not None:  # "an independent count by the Ruritanian Statistics Office put ...": the office
        name = _strip_phrase(subtree_text(agent))
        state_side = people.side_of(name) if _is_state_body(name) else None
        return name, None, state_side or name  # a university or a rights group speaks for itself
    owners = [c for c in root.children if c.dep_ == "poss" and c.pos_ == "PROPN" and c.ent_type_ != "DATE"]
    places = [
        o
        for p in root.children
        if p.dep_ == "prep" and p.lower_ in {"in", "of", "from"}
        for o in p.children
        if o.dep_ == "pobj" and o.ent_type_ in {"GPE", "ORG", "LOC"}
    ]
    if root.lower_ in GENERIC_SOURCES | INANIMATE_SUBJECTS and (owners or places):
        owner = (owners or places)[0]
        name = tokens.doc[owner.left_edge.i : owner.i + 1].text
        name = _strip_phrase(re.sub(r"['’]s$", "", re.sub(r"^.*['’]s\s+", "", name)))
        return name, None, side or name  # "officials in Ruritania's Westshire County" speak for the county
    words = text.split()
    if words and words[-1].lower() in GENERIC_SOURCES and len(words) >= 2:
        # "US estimates", "Turkish authorities": only when the rest of the phrase names the country
        owner = " ".join(words[:-1])
        actor = people.domain.actor_aliases.get(owner.lower())
        if actor:
            # "Ruritanian officials" speak for Ruritania; "World Health Organization officials" keep their body's name
            body = owner if len(owner.split()) > 1 and owner.lower() not in people.domain.place_aliases else actor
            return (
                f"{body} government" if words[-1].lower() != "officials" else f"{body} officials",
                None,
                actor,
            )
    if len(words) == 1 and words[0].lower() in PRONOUNS:
        return text, None, None
    if len(words) == 1 and people.full_names.get(words[0].lower()):
        name = people.full_names[words[0].lower()]
        return name, None, side or people.side_of_person(words[0])
    bare = re.sub(r"['’]s$", "", text)
    actor = people.domain.actor_aliases.get(bare.lower())
    is_country = any(e.label_ == "GPE" and _strip_phrase(e.text) == bare for e in entities_in(tokens)) or bare == actor
    if actor and is_country:
        return f"{actor} government", None, actor
    body = _body_name(text, tokens, people)
    if side and body and not _is_state_body(text) and people.domain.actor_aliases.get(text.lower()) != side:
        side = None  # "the Ruritanian Observatory for Human Rights" is no part of Ruritania's state
    return text, (orgs[0].text if orgs and orgs[0].text != text else None), side or body


# words that make a body part of a state: its side is the country ("Ruritanian Ministry of Health")
_STATE_WORDS = re.compile(
    r"\b(?:ministry|minister|government|department|agency|authority|army|military|forces|police|intelligence"
    r"|defen[cs]e|council|parliament|president|presidency|office|embassy|navy|command|service|bureau|state"
    r"|survey|commission|directorate|administration)\b",
    re.IGNORECASE,
)


def _is_state_body(name: str) -> bool:
    return _STATE_WORDS.search(name) is not None


def _body_name(text: str, tokens: Span, people: _ArticleSpeakers) -> str | None:
    """A named body that is no country speaks for itself ("Westshire County"); people and common nouns do not."""
    words = [w for w in text.split() if w.lower() not in {"of", "for", "and", "the", "on", "in"}]
    is_proper = words and all(w[:1].isupper() for w in words) and tokens.root.pos_ == "PROPN"
    is_organisation = tokens.root.ent_type_ in {"ORG", "GPE", "FAC"} or text.isupper()
    is_person = len(words) == 1 and people.find_full_name(text) is not None
    return text if is_proper and is_organisation and not is_person else None


INANIMATE_SUBJECTS = {
    "information", "data", "indications", "indication", "figures", "figure",
    "evidence", "intelligence", "numbers", "number", "list", "count", "toll", "footage", "it", "this",
}  # fmt: skip


def _is_reporting(token: Token) -> bool:
    return token.pos_ in {"VERB", "AUX"} and lemma(token).lower() in REPORTING_VERBS


def _described_source(number: Token) -> Token | None:
    """The speaker a relative clause around the number describes: the organisers who sought space for N."""
    node = number
    while node.head.i != node.i:
        if node.dep_ == "relcl" and node.head.dep_ in {"nsubj", "nsubjpass"} and _is_speaker(node.head):
            return node.head
        node = node.head
    return None


AUDIENCE_VERBS = {"tell", "address", "brief"}


def _is_audience(number: Token, verb: Token) -> bool:
    node = number
    while node.head.i != node.i and node.i != verb.i:
        if node.head.i == verb.i:
            return node.dep_ in {"dobj", "dative", "iobj"}
        node = node.head
    return False


FRAME_DEPS = {"prep", "npadvmod"}
CONTRASTIVE = {"while", "whereas", "although", "though"}


FRAME_OPENERS = {"following", "after", "before", "since", "amid", "despite", "during", "as", "when", "with", "in"}


def _is_frame(child: Token) -> bool:
    """A fronted phrase that sets the scene ("Following the quakes that left 4,000 dead, ...")."""
    first = child.left_edge
    return first.i == sentence_of(child).start and first.lower_ in FRAME_OPENERS


def _reporting_verbs(token: Token) -> list[Token]:
    """Reporting verbs above a number, nearest first; "..., could top 500, warns UNICEF" adds the coordinated verb."""
    verbs = []
    node = token
    while node.head.i != node.i:
        child, node = node, node.head
        if child.dep_ in FRAME_DEPS | {"advcl"} and child.i < node.i and _is_frame(child):
            break  # "After the floods that left 400 dead, the agency warned ...": a fronted frame, not the content
        contrast = child.dep_ == "advcl" and any(m.lower_ in CONTRASTIVE for m in child.children if m.dep_ == "mark")
        if contrast and _is_reporting(child):
            break  # "..., while independent estimates put the crowd at 250,000": an aside with its own source
        if _is_reporting(node):
            verbs.append(node)
        verbs.extend(c for c in node.children if c.dep_ in {"conj", "parataxis"} and c.i > token.i and _is_reporting(c))
    return verbs


def _governing_verb(token: Token) -> Token | None:
    """The verb whose subject speaks: "the latest information indicates" defers to "the minister said"."""
    verbs = _reporting_verbs(token)
    for verb in verbs:  # a named person wins: "Smith said the government believes ..."
        subject = _subject(verb)
        if subject is not None and any(e.label_ == "PERSON" for e in entities_in(_phrase(subject))):
            return verb
    for verb in verbs:
        subject = _subject(verb)
        if subject is not None and (subject.lower_ not in INANIMATE_SUBJECTS | {"we", "i"} or _named_agent(subject)):
            return verb
    return None


_RECENT_CHARACTERS = 400  # about two sentences

SPEAKER_NOUNS = {
    "official", "authority", "police", "spokesperson", "spokesman", "spokeswoman", "ministry", "government",
    "agency", "department", "council", "team", "organiser", "organizer", "scientist", "analyst", "expert",
    "researcher", "medium", "source", "administration", "military", "army", "office", "president", "minister",
    "governor", "mayor", "chief", "secretary", "director", "head", "commander", "service", "committee",
    "observatory", "group", "organisation", "organization", "county", "state", "city", "country", "survey",
    "diplomat", "leader", "officer", "representative", "prosecutor", "coroner", "hospital", "union", "bureau",
    "estimate", "report", "study", "analysis", "statistic", "tally",
}  # fmt: skip


_FIGURE_NOUNS = {"figure", "count", "toll", "estimate", "tally", "number", "total"}
_AUTHORED_FIGURES = {"figure", "count", "estimate", "tally"}  # "the Ruritanian toll" is the toll in Ruritania
_OWNER_WORDS = {"police", "government", "military", "army", "ministry", "authorities", "officials", "organisers",
                "organizers"}  # fmt: skip


def _figure_owner(number: Token, people: _ArticleSpeakers) -> tuple[str, str | None, str | None] | None:
    """Whose figure a number is, when the text says: "the police figure of 240,000", "the official Ruritanian
    count of 769 deaths", "the government's toll of 64"."""
    noun = number if number.dep_ == "pobj" else number.head if number.dep_ == "nummod" else None
    if noun is None or noun.dep_ != "pobj" or noun.head.lower_ != "of":
        return None
    figure = noun.head.head
    if lemma(figure).lower() not in _FIGURE_NOUNS:
        return None
    for owner in figure.children:
        if owner.dep_ not in {"poss", "compound", "amod"} or owner.i > noun.i:
            continue
        text = _strip_phrase(re.sub(r"['’]s$", "", subtree_text(owner)))
        actor = people.domain.actor_aliases.get(text.lower())
        if actor and lemma(figure).lower() in _AUTHORED_FIGURES:
            return f"{actor} government", None, actor
        if owner.lower_ in _OWNER_WORDS or owner.ent_type_ == "ORG":
            return _speaker_from_tokens(owner.doc[owner.left_edge.i : owner.i + 1], people)
    return None


def _named_agent(subject: Token) -> Token | None:
    """Who made an estimate or count the subject names: "a count by [the University of Westport's data lab]"."""
    if lemma(subject).lower() not in INANIMATE_SUBJECTS | GENERIC_SOURCES:
        return None
    for prep in subject.children:
        if prep.dep_ == "prep" and prep.lower_ == "by":
            for agent in prep.children:
                named = entities_in(agent.doc[agent.left_edge.i : agent.right_edge.i + 1])
                if agent.dep_ == "pobj" and any(e.label_ in {"PERSON", "ORG", "GPE", "NORP"} for e in named):
                    return agent
    return None


def _appositive_body(subject: Token) -> Span | None:
    """ "Aid group Help the Young estimated ...": the body a common noun's apposition names."""
    if subject.pos_ != "NOUN":
        return None
    for child in subject.children:
        if child.dep_ == "appos":
            apposition = child.doc[child.left_edge.i : child.right_edge.i + 1]
            bodies = [e for e in entities_in(apposition) if e.label_ == "ORG"]
            if bodies:
                return bodies[0]
    return None


@kept_per_token
def _is_speaker(subject: Token) -> bool:
    """A subject that can make a statement: a name, an institution or a pronoun; not "9,057 deaths"."""
    phrase = _phrase(subject)
    if any(t.like_num for t in phrase):
        return False
    if _named_agent(subject) is not None:
        return True
    if subject.lower_ in {"he", "she", "they", "it"}:
        return True
    if subject.text.isupper() and len(subject.text) >= 2 and subject.text.isalpha():
        return True  # an acronym: "warns UNICEF"
    if any(e.label_ in {"PERSON", "ORG", "GPE", "NORP"} for e in entities_in(phrase)):
        return True
    if subject.text[:1].isupper() and subject.is_alpha and not subject.is_sent_start:
        return True  # a name the tagger took for an adjective: '"...," Okonkwo told reporters'
    return lemma(subject).lower() in SPEAKER_NOUNS or subject.pos_ == "PROPN"


def _says(verb: Token, subject: Token) -> bool:
    """Whoever says or tells is a speaker: "the coastguard said", "survivors told the agency"."""
    is_noun = subject.pos_ == "NOUN" and lemma(subject).lower() not in INANIMATE_SUBJECTS
    return is_noun and lemma(verb).lower() in {"say", "tell"} and not any(t.like_num for t in _phrase(subject))


@kept_per_token
def _subject(verb: Token) -> Token | None:
    for child in verb.children:  # "reports said quoting Jan Kowal": the quoted person speaks
        if lemma(child) in {"quote", "cite"} and child.dep_ in {"xcomp", "advcl"}:
            quoted = [c for c in child.children if c.dep_ == "dobj" and _is_speaker(c)]
            if quoted:
                return quoted[0]
    for child in verb.children:
        if child.dep_ == "agent":  # "have been reported by officials"
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects and _is_speaker(objects[0]):
                return objects[0]
    # "..., warns UNICEF": an acronym after the verb is its speaker, whatever the parser made of it
    after = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    inverted = after is not None and after.head == verb and after.dep_ not in {"dobj", "dative"}
    if inverted and after.text.isupper() and not after.like_num and _is_speaker(after):
        return after
    for child in verb.children:
        if child.dep_ == "nsubj":  # a passive subject ("Clinton was estimated to ...") is not the speaker
            return child if _is_speaker(child) or _says(verb, child) else None
    if verb.dep_ == "acl":  # "reports by the Associated Press stating ..."
        for prep in verb.head.children:
            if prep.dep_ == "prep" and prep.lower_ == "by":
                agents = [c for c in prep.children if c.dep_ == "pobj" and _is_speaker(c)]
                if agents:
                    return agents[0]
    # "... and he added", "Smallwood expressed pessimism, saying ...": the subject of the verb they hang off
    if verb.dep_ in {"conj", "advcl", "xcomp"} and verb.head.pos_ in {"VERB", "AUX"}:
        return _subject(verb.head)
    return None


def _according_to(sent: Span) -> Token | None:
    doc = sent.doc
    found = doc.user_data.get("according")
    if found is None:  # most sentences have none: found in a column of numbers, not token by token
        according = numpy.uint64(doc.vocab.strings["according"])
        found = doc.user_data["according"] = numpy.flatnonzero(doc.to_array(LOWER) == according).tolist()
    first, last = bisect.bisect_left(found, sent.start), bisect.bisect_left(found, sent.end)
    for token in (doc[i] for i in found[first:last]):
        if token.i + 1 < sent.end and token.doc[token.i + 1].lower_ == "to":
            objects = [c for c in token.doc[token.i + 1].children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    return None


def _verbs_and_people_subjects(doc: Doc) -> list[int]:
    """Indices of the tokens ``speakers_before`` reads, from columns of numbers: reading every token is slow."""
    found = doc.user_data.get("verbs_and_people_subjects")
    if found is None:
        verb, nsubj, person = POS_IDS["VERB"], doc.vocab.strings["nsubj"], doc.vocab.strings["PERSON"]
        columns = doc.to_array([POS, DEP, ENT_TYPE])
        is_verb = columns[:, 0] == verb
        is_person_subject = (columns[:, 1] == numpy.uint64(nsubj)) & (columns[:, 2] == numpy.uint64(person))
        found = doc.user_data["verbs_and_people_subjects"] = numpy.flatnonzero(is_verb | is_person_subject).tolist()
    return found


class _Attributor:
    def __init__(self, parsed: ParsedArticle, domain: Domain) -> None:
        self.parsed = parsed
        self.people = _ArticleSpeakers(parsed, domain)
        self.last_person: tuple[str, str | None, str | None] | None = None
        self.speaker_dates: dict[str, str] = {}
        self.last_source: tuple[str, str | None, str | None] | None = (
            None  # dates the article gave to a speaker's statements so far
        )
        # (subject phrase, speaker, where) of each named body so far
        self.named_bodies: list[tuple[str, str, int]] = []
        self.sentences = list(parsed.doc.sents)
        self.next_sentence = 0  # sentences before this index have been read for speakers
        self.attributed: dict[int, Attribution] = {}  # sentence start -> attribution of its last count

    @functools.cached_property
    def home_country(self) -> str | None:
        """The country the article names most, towns and peoples included, if it clearly leads."""
        domain = self.people.domain
        named = Counter(
            domain.country_of(_strip_phrase(e.text))
            for e in entities_in(self.parsed.doc)
            if e.label_ in {"GPE", "NORP", "LOC"}
        )
        named.pop(None, None)
        ranked = named.most_common(2)
        if not ranked or (len(ranked) == 2 and ranked[1][1] * 2 > ranked[0][1]):
            return None
        return ranked[0][0]

    def _resolve(self, subject: Token, verb: Token | None) -> tuple[str, str | None, str | None] | None:
        """A subject as a speaker; "he"/"she" is the last named person, "it"/"they" the last named source."""
        if subject.lower_ in PRONOUNS:
            if subject.lower_ in {"he", "she"}:
                return self.last_person
            return self.last_source if subject.lower_ in {"it", "they"} else None
        phrase = _appositive_body(subject) or _phrase(subject)
        result = _speaker_from_tokens(phrase, self.people)
        named = result[0] in self.people.full_names.values()  # "the commissioner": the one the article names
        earlier = None if named else self._earlier_description(subject)
        if earlier:
            result = (earlier, result[1], result[2] or self.people.side_of(earlier))
        if result[2] in {None, result[0]}:  # "Jane Smith, head of Ruritania's civil defence": the apposition says
            described = " ".join(subtree_text(c) for c in subject.children if c.dep_ == "appos")
            result = (result[0], result[1], (self.people.side_of(described) if described else None) or result[2])
        if named or any(e.label_ == "PERSON" for e in entities_in(phrase)):
            self.last_person = result
        else:
            self.named_bodies.append((span_text(phrase), result[0], subject.idx))
        self.last_source = result
        return result

    def _earlier_description(self, subject: Token) -> str | None:
        """ "The official told the AP" after "a D.C. official told the AP": the fuller earlier description."""
        determiners = [c for c in subject.children if c.dep_ == "det"]
        if subject.pos_ != "NOUN" or len(list(subject.lefts)) != 1 or not determiners or determiners[0].lower_ != "the":
            return None
        before = self.parsed.text[: subject.idx]
        noun = re.escape(subject.text)
        # within one sentence: words joined by spaces, a word being "D.C." or a word without a full stop
        patterns = (
            rf"\b(?:[Aa]n?|[Tt]he)[ ]+((?:(?:(?:[A-Z]\.)+|[\w'’-]+)[ ]+){{1,3}}{noun})\b",  # "a D.C. official"
            rf"\b[Aa]n?[ ]+({noun}[ ]+of[ ]+(?:[\w'’-]+[ ]+){{0,3}}[\w'’-]+)",  # "a team of British crowd scientists"
        )
        found = [m for pattern in patterns for m in re.finditer(pattern, before)]
        if not found:
            # "The group said" after "Rights group Westwatch said": that body
            word = subject.lower_
            named = [
                name for text, name, _ in self.named_bodies if word in text.lower().split() and name.lower() != word
            ]
            if named:
                return named[-1]
            # "Westaid said ... . Some 6,000 children ..., the agency said": a body named by its bare name just before
            recent = [
                name
                for text, name, where in self.named_bodies
                if subject.idx - where < _RECENT_CHARACTERS and text == name and " " not in name and name[:1].isupper()
            ]
            return recent[-1] if recent and word in BODY_NOUNS else None
        return max(found, key=lambda m: m.start()).group(1)

    def speakers_before(self, position: int) -> None:
        """Track named speakers in sentences up to ``position`` so pronouns resolve."""
        while self.next_sentence < len(self.sentences) and self.sentences[self.next_sentence].start_char < position:
            sent = self.sentences[self.next_sentence]
            self.next_sentence += 1
            candidates = _verbs_and_people_subjects(sent.doc)
            first, last = bisect.bisect_left(candidates, sent.start), bisect.bisect_left(candidates, sent.end)
            for token in (sent.doc[i] for i in candidates[first:last]):
                if (
                    token.dep_ == "nsubj"
                    and token.head.pos_ in {"VERB", "AUX"}
                    and token.ent_type_ == "PERSON"
                    and not self._names_a_town(token)
                ):
                    self.last_person = _speaker_from_tokens(_phrase(token), self.people)  # "Smith used ..."
                if token.pos_ == "VERB" and lemma(token).lower() in REPORTING_VERBS:
                    subject = _subject(token)
                    if subject is None or self._where_counted(subject, token):
                        continue
                    if subject.lower_ not in PRONOUNS:
                        phrase = _phrase(subject)
                        self.last_source = source = _speaker_from_tokens(phrase, self.people)
                        is_person = any(e.label_ == "PERSON" for e in entities_in(phrase)) or (
                            subject.pos_ == "PROPN"
                            and subject.ent_type_ in {"PERSON", ""}
                            and self.people.find_full_name(subject.text) is not None
                        )
                        if is_person:
                            self.last_person = source
                        else:
                            self.named_bodies.append((span_text(phrase), source[0], subject.idx))
                        speaker = source[0]
                    else:
                        speaker = self.last_person[0] if self.last_person and subject.lower_ in {"he", "she"} else None
                    when = _date_attached(self.parsed, span_text(sent), sent.start_char, {token.i})
                    if speaker and when:
                        self.speaker_dates.setdefault(speaker, when)

    def attribute(self, claim: Claim) -> Attribution:
        attribution = self._attribute(claim)
        self.attributed[sentence_of(self._number(claim)).start_char] = attribution
        return attribution

    def _number(self, claim: Claim) -> Token:
        tokens = self.parsed.doc.char_span(claim.start, claim.end, alignment_mode="expand")
        return tokens.root if tokens is not None else self.parsed.doc[0]

    def _compared_with_previous(self, sent: Span) -> Attribution | None:
        """ "By comparison, 160,000 were ...": the source of the sentence before goes on comparing."""
        if not _COMPARISON.match(span_text(sent)) or sent.start == 0:
            return None
        previous = sentence_of(sent.doc[sent.start - 1])
        return self.attributed.get(previous.start_char)

    def _attribute(self, claim: Claim) -> Attribution:
        article = self.parsed.article
        self.speakers_before(claim.start)
        tweeted = _tweet_author(self.parsed.text, claim.start)
        if tweeted is not None:
            return Attribution(tweeted, None, self.people.side_of_account(tweeted), article.via, None)
        number = self._number(claim)
        owner = _figure_owner(number, self.people)
        if owner is not None:  # "four times the police figure of 240,000": the police's, whoever cites it
            return Attribution(*owner, via=article.via, anchor=None)
        sent = sentence_of(number)
        verb = _governing_verb(number)
        if verb is not None and lemma(verb) in AUDIENCE_VERBS and _is_audience(number, verb):
            verb = None  # "Warren told thousands of people ...": the number is who listened, not what was said
        according = _according_to(sent)
        if according is not None and verb is not None:
            # "Organizers expected 500,000, according to Deputy Mayor Kevin Donahue": the named person is the source
            subject = _subject(verb)
            subject_is_person = subject is not None and any(e.label_ == "PERSON" for e in entities_in(_phrase(subject)))
            if not subject_is_person and any(e.label_ == "PERSON" for e in entities_in(_phrase(according))):
                verb = None
        if verb is not None:
            verb = self._past_the_place(verb)
            subject = _subject(verb)
            if (
                subject is not None
                and subject.i != number.i
                and not subject.is_ancestor(number)  # "9,000 deaths reported": the number is no speaker
                and not self._where_counted(subject, verb)
            ):
                resolved = self._resolve(subject, verb)
                if resolved:
                    return Attribution(*resolved, via=article.via, anchor=verb.idx)
        if according is not None:
            resolved = _speaker_from_tokens(_phrase(according), self.people)
            return Attribution(*resolved, via=article.via, anchor=according.idx)
        headline = _HEADLINE_SOURCE.match(span_text(sent))
        if headline and self.people.side_of(headline.group(1)):
            side = self.people.side_of(headline.group(1))
            return Attribution(f"{side} government", None, side, article.via, None)
        quoted = self._quote_attribution(sent)
        if quoted is not None:
            return quoted
        described = _described_source(number)
        if described is not None:  # "March organizers, who originally sought space for 200,000 protesters, ..."
            resolved = self._resolve(described, None)
            if resolved:
                return Attribution(*resolved, via=article.via, anchor=None)
        if verb is not None:
            subject = _subject(verb)
            if subject is not None and subject.lower_ in PRONOUNS and self.last_person:
                return Attribution(*self.last_person, via=article.via, anchor=verb.idx)
        spoken_by_it = [v for v in _reporting_verbs(number) if (s := _subject(v)) is not None and s.lower_ == "it"]
        if spoken_by_it and self.last_source and self.last_source != self.last_person:
            # "The ministry said 1.2 million marched. On Monday it had counted 1.1 million.": the body named before
            return Attribution(*self.last_source, via=article.via, anchor=spoken_by_it[0].idx)
        opened = self._open_quote(claim.start)
        if opened is not None:
            return opened
        compared = self._compared_with_previous(sent)
        if compared is not None:
            return compared
        voice = self._own_voice(claim)
        url = article.url if voice == article.outlet else None
        return Attribution(voice, None, self.people.domain.country_of_outlet(voice, url), article.via, None)

    def _past_the_place(self, verb: Token) -> Token:
        """ "Westport has recorded 4,600 cases, she said": she says what was recorded there."""
        subject = _subject(verb)
        if subject is None or not self._where_counted(subject, verb):
            return verb
        saying = [c for c in verb.children if c.dep_ == "parataxis" and lemma(c) in {"say", "tell"}]
        if verb.dep_ in {"ccomp", "conj"} and _is_reporting(verb.head):
            saying.append(verb.head)
        return saying[0] if saying else verb

    def _where_counted(self, subject: Token, verb: Token) -> bool:
        """ "Westport has recorded 4,600 cases": a town or region that records them is where they were counted; a
        country may speak for itself, and "Westshire County" or "Westport council" is a body."""
        return lemma(verb).lower() in {"record", "register", "see"} and self._names_a_town(subject)

    def _names_a_town(self, subject: Token) -> bool:
        """A place below a country, whatever the tagger took it for (it may take a town for a person)."""
        if subject.ent_type_ in {"ORG", "FAC"}:  # "Metro recorded ...": a body, though a town somewhere has its name
            return False
        name = span_text(_phrase(subject))
        return self.people.names_a_place(name) and _strip_phrase(name).lower() not in self.people.domain.actor_aliases

    def _open_quote(self, position: int) -> Attribution | None:
        """A number inside a quotation opened in an earlier sentence: the speaker who opened it."""
        text = self.parsed.text
        opening = quote_opening(text, position)
        if opening is None:
            return None
        paragraph = text.rfind("\n", 0, opening) + 1
        for index, sent in enumerate(self.sentences):
            if sent.start_char <= opening < sent.end_char:
                # the attribution before the quote, or ending the sentence before it (“...,” Smith said. “...)
                candidates = [t for t in sent if t.idx < opening]
                if index > 0 and self.sentences[index - 1].start_char >= paragraph:
                    candidates += list(self.sentences[index - 1])
                for token in candidates:
                    if _is_reporting(token):
                        subject = _subject(token)
                        resolved = self._resolve(subject, token) if subject is not None else None
                        if resolved:
                            return Attribution(*resolved, via=self.parsed.article.via, anchor=token.idx)
        return None

    def _own_voice(self, claim: Claim) -> str | None:
        """Unattributed text speaks for the outlet, or for the source it credits from the credit line on."""
        article = self.parsed.article
        if article.via:
            credit = article.text.find(article.via)
            if credit < 0:
                credit = article.text.lower().find(article.via.lower())
            if article.outlet is None or 0 <= credit <= claim.start:
                return article.via
        return article.outlet

    def _quote_attribution(self, sent: Span) -> Attribution | None:
        """A quoted sentence with no speaker: the attribution that closes the quote nearby."""
        text = span_text(sent).lstrip()
        if text[:1] not in "\"“‘'":
            return None
        following = [s for s in self.sentences if s.start >= sent.end][:2]
        for other in following:
            for token in other:
                if token.pos_ == "VERB" and lemma(token).lower() in REPORTING_VERBS:
                    subject = _subject(token)
                    if subject is not None:
                        resolved = self._resolve(subject, token)
                        if resolved:
                            return Attribution(*resolved, via=self.parsed.article.via, anchor=token.idx)
        return None


UNDATED_PAST = {"earlier", "previously", "initially", "later", "previous", "former", "originally", "original"}
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/(?:(0[1-9]|[12]\d|3[01])/)?")


def url_date(url: str | None) -> str | None:
    """The date a URL carries ("/2017/01/23/" -> 2017-01-23, "/2017/01/" -> 2017-01)."""
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    year, month, day = match.groups()
    return f"{year}-{month}-{day}" if day else f"{year}-{month}"


def _reference_day(parsed: ParsedArticle) -> str | None:
    """The day relative dates resolve against: the publication date, else the latest full date in the text."""
    article = parsed.article
    if article.published:
        return article.published
    from_url = url_date(article.url)
    if from_url and len(from_url) == 10:
        return from_url
    days = [m.value for m in find_dates(parsed.text, published=None) if m.value and m.precision == "day"]
    # Only a lower bound of the publication date: year-less dates take its year, weekdays stay unresolved.
    return f"{max(days)[:4]}-12-31" if days else None


def attribute_claims(parsed: ParsedArticle, claims: Iterable[Claim], *, domain: Domain) -> Iterator[Claim]:
    """Fill speaker, speaker_org, side, via and claim_date on each claim of one article."""
    attributor = _Attributor(parsed, domain)
    article = parsed.article
    base = _reference_day(parsed)
    fallback = article.published or url_date(article.url)
    for claim in sorted(claims, key=lambda c: c.start):
        attribution = attributor.attribute(claim)
        claim_date = _claim_date(parsed, claim, attribution, base)
        named = attribution.anchor is not None and attribution.speaker
        if claim_date and claim_date != UNDATED and named:
            attributor.speaker_dates.setdefault(attribution.speaker, claim_date)
        claim_date = _tweet_date(parsed.text, claim.start) or claim_date  # a post is dated by its signature
        if claim_date is None and named and attribution.speaker in attributor.speaker_dates:
            claim_date = attributor.speaker_dates[attribution.speaker]  # the article already dated this speaker
        # "the previous toll of 115" was said at an earlier, undated time: no fallback to publication
        claim_date = None if claim_date == UNDATED else claim_date or fallback
        relay = _relay(claim.sentence)
        side = attribution.side
        if (
            side is None
            and attribution.speaker
            and (
                _UNNAMED_STATE.fullmatch(attribution.speaker)
                or attributor.people.holds_state_office(attribution.speaker)
            )
        ):
            side = attributor.home_country  # "the interior ministry said": the ministry of where this happens
        yield with_fields(
            claim,
            speaker=attribution.speaker,
            speaker_org=attribution.speaker_org,
            side=side,
            via=relay if relay and relay != attribution.speaker else attribution.via,
            claim_date=claim_date,
            published=article.published,
            outlet=article.outlet,
        )


UNDATED = "undated"
# a national body that the text does not say whose it is ("officials" and "police" may be local ones)
_UNNAMED_STATE = re.compile(
    r"(?:the\s+)?(?:[a-z-]+\s+){0,3}(?:ministry|government|coastguard|coast guard|army|military|armed forces)"
)
_COMPARISON = re.compile(r"\s*(?:by|in) comparison\b", re.IGNORECASE)
# an embedded post's signature: "— City Transit (@citytransit) March 3, 2024"
_SIGNATURE = re.compile(r"[—–-]?\s*([A-Z][\w .'’&-]{0,40}?)\s*\(@(\w{1,30})\)\s+((?:[A-Z][a-z]+)\.? \d{1,2}, \d{4})")


def _signature(text: str, position: int) -> re.Match[str] | None:
    """The signature of an embedded post on the number's line or the line after it."""
    if "(@" not in text:  # no post at all: most articles
        return None
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    line_end = len(text) if line_end < 0 else line_end
    next_end = text.find("\n", line_end + 1)
    next_end = len(text) if next_end < 0 else next_end
    match = _SIGNATURE.search(text, position, line_end)
    if match is None and not text[line_start:line_end].rstrip().endswith((".", "”", '"')):
        match = _SIGNATURE.match(text[line_end + 1 : next_end].strip())
    return match


def _tweet_author(text: str, position: int) -> str | None:
    match = _signature(text, position)
    return f"{match.group(1).strip()} (@{match.group(2)})" if match else None


def _tweet_date(text: str, position: int) -> str | None:
    match = _signature(text, position)
    if match is None:
        return None
    mentions = find_dates(match.group(3), published=None)
    return mentions[0].value if mentions and mentions[0].precision == "day" else None


_NAME = r"(?:the\s+)?([A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})"
_RELAYS = (
    # "citing Radio Liberty", "quoting the BBC"
    re.compile(rf"\b(?:citing|quoting|cited by|according to reports? (?:by|from|in))\s+{_NAME}"),
    re.compile(rf"\btold\s+{_NAME}"),  # "... told Sky News": the outlet carried the words
    re.compile(rf"(?:^|[,”\"]\s*){_NAME}\s+(?:writes|wrote|reports|reported)\b"),  # "..., FT writes"
)


_RELAY_WORDS = ("citing", "quoting", "cited by", "according to report", "told", "writes", "wrote", "report")


def _relay(sentence: str) -> str | None:
    """The outlet or agency a statement reached the article through, when the sentence names one."""
    if not any(word in sentence for word in _RELAY_WORDS):
        return None
    for pattern in _RELAYS:
        match = pattern.search(sentence)
        if match:
            return match.group(1).strip(" .,;:")
    return None


def _claim_date(parsed: ParsedArticle, claim: Claim, attribution: Attribution, base: str | None) -> str | None:
    """A date the sentence gives for the statement (preferred) or the counted event; UNDATED for past states."""
    doc = parsed.doc
    tokens = doc.char_span(claim.start, claim.end, alignment_mode="expand")
    if tokens is None:
        return None
    chain = _ancestors(tokens.root)
    dated_source = _dated_source(parsed, claim, attribution, base)
    if dated_source:
        return dated_source
    # "down from the 1,900 it counted last Thursday": when the number itself was reported
    holders = (tokens.root, tokens.root.head)
    reported = [c for holder in holders for c in holder.children if c.dep_ == "relcl" and _is_reporting(c)]
    if reported:
        said = _date_attached(parsed, claim.sentence, claim.sentence_start, {reported[0].i}, base, direct=True)
        if said:
            return said
    verb = next((t for t in chain if t.idx == attribution.anchor), None)
    if verb is not None:
        said = _date_attached(parsed, claim.sentence, claim.sentence_start, {verb.i}, base, direct=True)
        if said:
            return said
    found = _date_attached(parsed, claim.sentence, claim.sentence_start, {t.i for t in chain}, base)
    if found:
        return found
    if _undated_past(chain):
        return UNDATED
    return None


def _dated_source(parsed: ParsedArticle, claim: Claim, attribution: Attribution, base: str | None) -> str | None:
    """ "according to Monday's ministry figures": the day that owns the source is when it spoke."""
    if attribution.anchor is None:
        return None
    anchor = parsed.doc.char_span(attribution.anchor, attribution.anchor + 1, alignment_mode="expand")
    source = anchor.root if anchor is not None else None
    if source is None or source.head.lower_ != "to" or source.head.head.lower_ != "according":
        return None
    days = [c for c in source.children if c.dep_ == "poss" and c.ent_type_ == "DATE"]
    if not days:
        return None
    mention = date_at(claim.sentence, days[0].idx - claim.sentence_start, published=parsed.article.published or base)
    return mention.value if mention is not None and mention.precision in {"day", "month"} else None


def _undated_past(chain: list[Token]) -> bool:
    """ "down from their previous toll", "when the toll stood at 2,600", "initially missing"."""
    for token in chain[:4]:
        if token.dep_ == "advcl" and any(c.lower_ == "when" and c.dep_ == "advmod" for c in token.children):
            return True
        for child in token.children:
            if child.lower_ in UNDATED_PAST and child.dep_ in {"advmod", "amod"} and not list(child.children):
                return True
    return False


def _date_attached(
    parsed: ParsedArticle,
    sentence: str,
    sentence_start: int,
    anchors: set[int],
    base: str | None = None,
    *,
    direct: bool = False,
) -> str | None:
    """The first date in a sentence that hangs off one of the anchor tokens (with ``direct``, with no verb between)."""
    doc = parsed.doc
    published = parsed.article.published
    for mention in find_dates(sentence, published=published or base):
        if mention.relative and not published and not MONTH_NAME.search(mention.text):
            continue  # a weekday needs the real publication date; "February 24" only its year
        if not mention.value or mention.precision not in {"day", "month"} or "/" in mention.text:
            continue  # "1/20/13 = 317k" dates the thing counted in a table, not the claim
        span = doc.char_span(sentence_start + mention.start, sentence_start + mention.end, alignment_mode="expand")
        if span is None or span.root.dep_ == "poss" or mention.text.lower().endswith(("'s", "’s")):
            continue  # "last month's wildfire" dates the event, not the statement
        if _attaches_to(span.root, anchors, direct=direct):
            return mention.value
    return None


def _ancestors(token: Token) -> list[Token]:
    chain = [token]
    while token.head.i != token.i:
        token = token.head
        chain.append(token)
    return chain


def _attaches_to(token: Token, anchors: set[int], *, direct: bool = False) -> bool:
    """True when a date hangs off the claim's own clause, not off a relative clause ("that struck on February 6").

    With ``direct``, no other verb may stand between the date and the anchor ("used ... yesterday, Smith claimed")."""
    node = token
    while node.head.i != node.i:
        if node.dep_ in {"relcl", "acl"}:
            return False
        if node.dep_ == "advcl" and any(c.dep_ == "mark" for c in node.children):
            return False  # "after a boat capsized on Wednesday" dates the capsizing
        node = node.head
        if node.i in anchors:
            return True
        if direct and node.pos_ in {"VERB", "AUX"}:
            return False
    return node.i in anchors
