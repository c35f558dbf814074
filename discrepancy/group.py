"""Group stage: what exactly each claim counts, and which claims count the same thing.

``describe_scope`` reads the parse around a number for its class (soldiers, dead,
injured), actor (whose), place (where) and event (which gathering, which year, first
group). ``group_claims`` clusters articles into stories and builds referents from
(story, class, actor, place, event), with aliases and containment from data/domain.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Container, Iterable, Iterator, Mapping, Sequence
from typing import Protocol

import numpy
from spacy.attrs import DEP, HEAD, POS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Span, Token

from .dates import MONTH_NAME, date_at, find_dates
from .domain import Domain, alias_matches
from .extract import counted_token
from .nlp import ParsedArticle, doc_text, entities_in, lemma, sentence_of, subtree_text
from .types import Article, Claim, Kind, Referent, ReferentKey, with_fields

_PLACE_PREPOSITIONS = {"in", "near", "into", "inside", "to", "across", "at", "within", "throughout", "on", "around"}
_ACTOR_PREPOSITIONS = {"from", "of"}
_DIRECTIONS = re.compile(
    r"^(?:(?:north|south|east|west|central|northern|southern|eastern|western|north-?west(?:ern)?"
    r"|north-?east(?:ern)?|south-?west(?:ern)?|south-?east(?:ern)?)\s+)+|['’]s\s+(?:east|west|north|south)$",
    re.IGNORECASE,
)
_SUBSET_WORDS = {"first", "initial", "second", "third"}
_CLAUSE_BREAKS = {"ccomp", "advcl", "conj", "parataxis"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_STOP_CAPITALS = {
    "the", "a", "an", "and", "but", "in", "on", "at", "of", "for", "to", "with", "by", "from", "as", "he", "she",
    "it", "they", "we", "i", "this", "that", "these", "those", "there", "his", "her", "their", "our", "its",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "news", "mr", "mrs", "ms", "president", "minister", "according", "after", "while", "also", "if", "when",
}  # fmt: skip


def _clause(number: Token) -> list[Token]:
    """Tokens of the smallest clause around a number, plus the counted noun's own relative clause."""
    node = number
    while node.head.i != node.i and node.pos_ not in {"VERB", "AUX"}:
        node = node.head
    heads, breaks = _heads_and_breaks(number.doc)
    holding_number = {number.i} | {a.i for a in number.ancestors}  # the tokens whose subtree holds the number
    tokens = []
    for token in node.subtree:
        path = token.i
        while path != node.i and not (breaks[path] and path not in holding_number):
            path = heads[path]
        if path == node.i:  # no other clause's verb between the token and the clause's own
            tokens.append(token)
    return tokens or list(sentence_of(number))


def _heads_and_breaks(doc: Doc) -> tuple[list[int], list[bool]]:
    """Each token's head, and whether it is a verb that heads a clause of its own, from columns of numbers
    (walking up from every word of a clause token by token was most of ``_clause``'s time)."""
    found = doc.user_data.get("heads_and_breaks")
    if found is None:
        columns = doc.to_array([HEAD, DEP, POS])
        heads = numpy.arange(len(doc)) + columns[:, 0].astype(numpy.int64)  # HEAD is an offset, negative ones wrapped
        breaks = numpy.zeros(len(doc), dtype=bool)
        for dep in _CLAUSE_BREAKS:
            breaks |= columns[:, 1] == numpy.uint64(doc.vocab.strings[dep])
        breaks &= (columns[:, 2] == POS_IDS["VERB"]) | (columns[:, 2] == POS_IDS["AUX"])
        found = doc.user_data["heads_and_breaks"] = (heads.tolist(), breaks.tolist())
    return found  # type: ignore[no-any-return]


def _canonical_place(text: str, domain: Domain) -> str | None:
    text = re.sub(r"^(?:the)\s+", "", text.strip(), flags=re.IGNORECASE)
    lowered = text.lower()
    if lowered in domain.place_aliases:
        return domain.place_aliases[lowered]
    stripped = _DIRECTIONS.sub("", text).strip()
    stripped = re.sub(r"['’]s$", "", stripped)
    if stripped.lower() in domain.place_aliases:
        return domain.place_aliases[stripped.lower()]
    if stripped.lower() in domain.gazetteer:  # "Westport" is a town, though its government speaks for the country
        return domain.gazetteer[stripped.lower()]
    if stripped.lower() in domain.actor_aliases:
        return domain.actor_aliases[stripped.lower()]
    stripped = re.sub(r"\s+(?:oblast|region|province|county|state|district|governorate)$", "", stripped, flags=re.I)
    return domain.gazetteer.get(stripped.lower(), stripped) or None


def _actor_of(noun: Token | None, clause: list[Token], domain: Domain) -> str | None:
    if noun is None:
        return None
    candidates: list[str] = []
    phrase = noun.doc[noun.left_edge.i : noun.i + 1].text
    candidates.append(phrase)
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in _ACTOR_PREPOSITIONS:
            candidates.extend(c.text for c in child.children if c.dep_ == "pobj")
    verb = noun.head
    if verb.pos_ == "VERB" and lemma(verb) in {"send", "deploy", "dispatch", "move", "transfer", "supply"}:
        candidates.extend(subtree_text(c) for c in verb.children if c.dep_ == "nsubj")
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ == "from":
                candidates.extend(subtree_text(c) for c in prep.children if c.dep_ == "pobj")
    for text in candidates:
        actors = _aliases_in(text, domain.actor_aliases)
        if actors:
            return actors[0]
    return None


def _aliases_in(text: str, aliases: dict[str, str]) -> list[str]:
    """Every canonical name whose alias appears in the text, longest aliases first."""
    matches = sorted(alias_matches(text, aliases), key=lambda m: (-len(m.group("alias")), m.start()))
    found: list[str] = []
    for match in matches:
        if aliases[match.group("alias")] not in found:
            found.append(aliases[match.group("alias")])
    return found


def _town_taken_for_organisation(ent: Span, domain: Domain) -> bool:
    """ "Protests in Westport drew ...": an organisation by the tagger, a town by its own name.

    Only a town's own name counts: its other spellings may be a body's name (a "Westfront" party,
    a town "Westfrondt")."""
    return ent.label_ == "ORG" and domain.gazetteer.get(ent.text.lower(), "").lower() == ent.text.lower()


def _place_in(phrase: Span, domain: Domain) -> list[str]:
    """Places a phrase names, from data/domain aliases or place entities ("eastern Ruritania" -> Ruritania)."""
    found: list[str] = []
    for ent in entities_in(phrase):
        if ent.label_ in _PLACE_LABELS or _town_taken_for_organisation(ent, domain):
            text = phrase.doc[ent.start : phrase.end].text if ent.end == phrase.end else ent.text
            place = _canonical_place(text, domain)
            if place and place not in found:
                found.append(place)
    for alias in _aliases_in(phrase.text, domain.place_aliases):  # "Northern region" when the tagger missed it
        if alias not in found:
            found.append(alias)
    if not found:
        found.extend(_unlabelled_places(phrase, domain))
    # "Ruritania's Northern province" names one place: the larger one only locates the smaller
    return [p for p in found if not any(p in domain.place_ancestors(other) for other in found)]


_DIVISIONS = {"province", "region", "state", "county", "district", "governorate", "oblast", "prefecture",
              "city", "town", "village", "municipality"}  # fmt: skip


def _unlabelled_places(phrase: Span, domain: Domain) -> list[str]:
    """A division the tagger did not take for a place, even for a person: "Al Qadr province"."""
    found: list[str] = []
    for division in phrase:
        names = [t for t in division.children if t.dep_ == "compound" and t.pos_ == "PROPN" and t.i < division.i]
        if division.lower_ in _DIVISIONS and names and names[-1].i == division.i - 1:
            name = phrase.doc[names[0].left_edge.i : division.i].text
            place = _canonical_place(name, domain)
            if place and place not in found:
                found.append(place)
    return found


_PARTIAL = {"mostly", "mainly", "largely", "primarily", "partly", "chiefly"}


def _prep_places(holder: Token, domain: Domain) -> list[list[str]]:
    """Places in the prepositions hanging off a token, coordinated places included ("in France and Spain")."""
    places: list[list[str]] = []
    for prep in holder.children:
        if prep.dep_ != "prep" or prep.lower_ not in _PLACE_PREPOSITIONS:
            continue
        if any(c.lower_ in _PARTIAL for c in prep.children):
            continue  # "killing hundreds, mostly in the south of France" is not a count for France
        for pobj in prep.children:
            if pobj.dep_ != "pobj":
                continue
            places.append(_place_in(pobj.doc[pobj.left_edge.i : pobj.i + 1], domain))
            if pobj.lower_ in _DIVISIONS:  # "in the eastern city of Westport"
                named = [o for p in pobj.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
                places.extend(_place_in(o.doc[o.left_edge.i : o.i + 1], domain) for o in named)
            places.extend(_place_in(c.doc[c.i : c.i + 1], domain) for c in pobj.children if c.dep_ == "conj")
    return places


def _places(number: Token, noun: Token | None, clause: list[Token], domain: Domain, actor: str | None) -> list[str]:
    verb = number
    while verb.head.i != verb.i and verb.pos_ not in {"VERB", "AUX"}:
        verb = verb.head
    own = [p for group in _prep_places(number, domain) for p in group if p != actor]
    if own:  # "24,617 in Ruritania and 3,574 in Freedonia": a count's own place outranks its verb's
        return list(dict.fromkeys(own))
    anchors = [number, number.head, verb] + ([noun] if noun is not None else [])
    if number.head.dep_ == "prep" and number.head.lower_ == "of":
        anchors.append(number.head.head)  # "the country's latest announced death toll of 5,914"
    anchors += [c for c in verb.children if c.dep_ in {"acomp", "advmod", "xcomp", "attr"}]
    # "are said to be close to the border": the predicate of the infinitive
    anchors += [g for c in anchors if c.dep_ == "xcomp" for g in c.children if g.dep_ in {"acomp", "attr"}]
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    groups: list[list[str]] = []
    for holder in anchors + subjects:  # "640 in France", "the death toll in France rose to ..."
        groups.extend(_prep_places(holder, domain))
    for holder in anchors + subjects:  # "France's toll", "Spain's latest announced death toll"
        for child in holder.children:
            if child.dep_ == "poss":
                groups.append(_place_in(child.doc[child.left_edge.i : child.i + 1], domain))
    for subject in subjects:  # "France, Spain flood death toll passes 1,000": both, so neither
        named = {
            e.text for e in entities_in(subject.doc[subject.left_edge.i : subject.i + 1]) if e.label_ in _PLACE_LABELS
        }
        if len(named) > 1:
            groups.append(sorted(named))
    if verb.dep_ == "relcl" and any(c.lower_ == "where" for c in verb.children):  # "Westshire, where 93 died"
        groups.append(_place_in(verb.doc[verb.head.left_edge.i : verb.head.i + 1], domain))
    places = [p for group in groups for p in group]
    if not places:  # "trapped after a mine collapsed in the state of Westshire": where what it follows happened
        holders = [verb] + ([verb.head] if verb.dep_ == "xcomp" else [])  # "worked to reach 10 miners"
        holders += [c for c in (noun.children if noun is not None else ()) if c.dep_ == "acl"]  # "miners trapped"
        events = [
            c for h in holders for c in h.children if c.dep_ == "advcl" and any(m.dep_ == "mark" for m in c.children)
        ]
        places = [p for event in events for group in _prep_places(event, domain) for p in group]
    sentence = sentence_of(number)
    first = sentence[0] if sentence[0].lower_ == "in" else None
    if not places and first is not None and first.dep_ == "prep" and first.head.i != first.i:
        fronted = _prep_places(first.head, domain)  # "In France alone, the agency announced ..."
        places.extend(fronted[0] if fronted else [])
    # "would march worldwide": a place named by an adverb, listed among the place aliases
    places += [domain.place_aliases[t.lower_] for t in clause if t.pos_ == "ADV" and t.lower_ in domain.place_aliases]
    found: list[str] = []
    for place in places:
        if place and place != actor and place not in found:
            found.append(place)
    return found


HEADLINE_BLOCK_LINES = 12  # a headline and its standfirst sit among the first lines of an article


def _is_headline(line: str) -> bool:
    return bool(line.strip()) and line.rstrip()[-1:] not in '.!?"”’:;'


def _headline_place(parsed: ParsedArticle, claim: Claim, domain: Domain, actor: str | None) -> str | None:
    """A standfirst ("Ministry says about 2,000 workers are on their way") is about its headline's place."""
    text = parsed.text
    body = text[parsed.article.body_start :]
    lines = [line for line in body.split("\n") if line.strip()][:HEADLINE_BLOCK_LINES]
    line_start = text.rfind("\n", 0, claim.start) + 1
    line = text[line_start : text.find("\n", claim.start) if "\n" in text[claim.start :] else len(text)]
    if line not in lines or not _is_headline(line):
        return None
    index = lines.index(line)
    previous = lines[index - 1] if index > 0 else None
    if previous is None or not _is_headline(previous):
        return None
    start = text.find(previous, parsed.article.body_start)
    span = parsed.doc.char_span(start, start + len(previous), alignment_mode="expand")
    if span is None:
        return None
    speakers = {_canonical_place(e.text, domain) for e in entities_in(span) if e.root.dep_ == "nsubj"}
    places = [p for p in _place_in(span, domain) if p != actor and p not in speakers]  # "..., US says"
    return places[0] if len(places) == 1 else None


def _reporter_place(number: Token, domain: Domain) -> str | None:
    """A country that reports its own toll counts within itself: "France has so far reported 432 deaths"."""
    node = number
    while node.head.i != node.i:
        node = node.head
        if node.pos_ != "VERB":
            continue
        for child in node.children:
            if child.dep_ != "nsubj" or child.left_edge.i <= number.i <= child.right_edge.i:
                continue  # "Ruritania declared 44,000 people died": the people are not who reports
            phrase = child.doc[child.left_edge.i : child.i + 1]
            countries = {_canonical_place(e.text, domain) for e in entities_in(phrase) if e.label_ in {"GPE", "NORP"}}
            countries |= {  # "The French Ministry of Health": a demonym inside an organisation's name
                domain.actor_aliases[t.lower_]
                for t in phrase
                if not t.text.isupper()  # an agency's acronym is no country ("the NIA estimated ...")
                and t.lower_ in domain.actor_aliases
                and domain.actor_aliases[t.lower_].lower() in domain.place_aliases
            }
            is_toll = domain.classes.get(lemma(child).lower(), ("", ""))[1] == "outcome"
            if len(countries) == 1 and not is_toll:
                return countries.pop()
            return None
    return None


def _outcome(tokens: Iterable[Token], number: Token, domain: Domain, *, counted: Token | None = None) -> str | None:
    """The outcome word nearest the number; with ``counted``, not one that describes another noun ("people
    evacuated from the [affected] areas")."""
    found = []
    for token in tokens:
        if counted is not None and token.dep_ == "amod" and token.head.i != counted.i:
            continue
        for word in (token.lower_, lemma(token).lower()):
            entry = domain.classes.get(word)
            if entry and entry[1] == "outcome":
                found.append((abs(token.i - number.i), entry[0]))
                break
    return min(found)[1] if found else None


def _attached(noun: Token) -> list[Token]:
    """Words that say what happened to the counted noun: its verb, predicates and relative clauses."""
    tokens = [noun.head] if noun.head.i != noun.i else []
    tokens += [c for c in noun.head.children if c.dep_ in {"acomp", "oprd", "xcomp", "attr", "advcl"}]
    for among in (c for c in noun.head.children if c.dep_ == "prep" and c.lower_ == "among"):
        tokens.extend(among.subtree)  # "131 pilgrims were among the dead"
    for child in noun.children:
        if child.dep_ in {"amod", "relcl", "acl", "compound"}:
            tokens.extend(child.subtree)
    return tokens


GENERIC_CLASSES = {"people"}
_EARLIER_STATE = {"originally", "initially", "previously", "formerly", "once"}
_COUNTING_VERBS = {"count", "tally", "estimate"}  # "police counted 8,000 people": what is counted, no deed
_MEASURE_NOUNS = {"count", "number", "figure", "total", "tally", "estimate"}
LIGHT_VERBS = {
    "be", "look", "seem", "appear", "have", "include", "become", "remain", "stand", "reach", "number", "total",
}  # fmt: skip


def _current_state(window: list[Token], domain: Domain) -> str | None:
    """ "1,732 people originally reported as missing have been found safe": the outcome after the one an adverb
    marks as earlier, if the sentence gives one."""
    adverb = next((t for t in window if t.lower_ in _EARLIER_STATE), None)
    if adverb is None:
        return None
    rest = [t for t in sentence_of(adverb) if t.i > adverb.i]
    earlier = next((t for t in rest if _outcome([t], t, domain)), None)
    if earlier is None:
        return None
    return _outcome([t for t in rest if t.i > earlier.i], earlier, domain)


def _right_window(token: Token, size: int = 6) -> list[Token]:
    """The words right after a count up to the clause's end: "over 15,000 [have reportedly been injured]".

    A guard against parses that hang the predicate on another clause."""
    words = []
    for following in token.doc[token.i + 1 : min(sentence_of(token).end, token.i + 1 + size)]:
        if following.is_punct or following.dep_ in {"cc", "mark"} or following.like_num:
            break
        words.append(following)
    return words


def _class_of(number: Token, noun: Token | None, clause: list[Token], domain: Domain) -> str | None:
    thing = None
    if noun is not None:
        before = noun.doc[noun.i - 1] if noun.i > 0 else None
        compound = f"{before.lower_} {noun.lower_}" if before is not None and before.dep_ == "compound" else None
        for word in (compound, noun.lower_, lemma(noun).lower()):  # "police officers" before "officers"
            if word is None:
                continue
            if word in domain.classes:
                name, role = domain.classes[word]
                thing = None if role == "outcome" else name
                if role == "outcome":
                    # "74 of the 97 victims have been identified": what then happened to them
                    attached = _attached(noun)
                    if noun.head.head.i == number.i:  # a part of the whole: "74 of the 97 victims"
                        attached += _attached(number)
                    verbs = [t for t in attached if t.pos_ in {"VERB", "ADJ"}]
                    after = _outcome(verbs, number, domain)
                    return f"{name} {after}" if after and after != name else name
                break
        else:
            if noun.lower_ not in domain.actor_aliases and noun.pos_ == "NOUN":
                thing = lemma(noun).lower()
    if thing is None or thing in GENERIC_CLASSES:
        window = _right_window(noun or number)
        outcome = _outcome(window, number, domain)
        if outcome:
            outcome = _current_state(window, domain) or outcome
        outcome = outcome or _outcome(clause, number, domain, counted=noun)
        if outcome or thing is None:
            return outcome
        counted = noun or number
        verb = counted.head
        if verb.pos_ == "VERB" and any(lemma(c) in _MEASURE_NOUNS for c in verb.children if c.dep_ == "nsubj"):
            # "..., saying the final count could exceed 20,000 people": the count the sentence is about
            return _outcome(sentence_of(number), number, domain) or thing
        if verb.pos_ == "VERB" and (
            domain.classes.get(lemma(verb), ("", ""))[1] == "event" or _names_occasion(verb, domain)
        ):
            # "3 million people would march", "30,000 people joined the parade": those who take part in the occasion
            return "attending"
        if verb.pos_ == "VERB" and lemma(verb) not in LIGHT_VERBS | _COUNTING_VERBS:
            return f"{thing} {lemma(verb)}"  # "scores of others left", "245 people were removed": what they did
        return thing
    attached = _attached(noun) if noun is not None else []
    if noun is not None and number.is_ancestor(noun):  # "hundreds of soldiers were killed": the number's verb
        attached += _attached(number)
    outcome = _outcome(attached, number, domain)
    return f"{thing} {outcome}" if outcome else thing


def _names_occasion(verb: Token, domain: Domain) -> bool:
    """Whether a verb's object is an occasion: "joined the parade", "took part in the festival"."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    objects += [o for c in verb.children if c.dep_ == "prep" for o in c.children if o.dep_ == "pobj"]
    return any(domain.classes.get(lemma(o).lower(), ("", ""))[1] == "event" for o in objects)


_YEAR = re.compile(r"(?:19|20)\d\d")


def _host_years(number: Token) -> list[str]:
    """The year of the event a count's clause describes: "the 1960 tsunami that hit the island, killing 61"."""
    verb = number
    while verb.head.i != verb.i and verb.pos_ not in {"VERB", "AUX"}:
        verb = verb.head
    if verb.dep_ == "relcl":  # "the 2010 earthquake that killed 300"
        hosts = [verb.head]
    elif verb.dep_ == "advcl" and verb.tag_ == "VBG":  # "..., killing 61": its subject is the main clause's
        hosts = [c for c in verb.head.children if c.dep_ in {"nsubj", "nsubjpass", "dobj"}]
    else:
        return []
    return [c.text for h in hosts for c in h.children if c.dep_ in {"nummod", "compound"} and _YEAR.fullmatch(c.text)]


VALUING_VERBS = {"put", "estimate", "place", "peg", "set", "fix", "assess", "gauge", "reckon", "calculate"}


def _valued_object(number: Token) -> Token | None:
    """ "put the number of suspected cases at 3,100", "put the crowd at 250,000": what the verb's object counts.

    Only the verb-object form: in "the toll stands at 115" the subject is the counted thing, found as usual."""
    preposition = number.head
    verb = preposition.head
    if number.dep_ != "pobj" or preposition.lower_ != "at" or preposition.dep_ != "prep":
        return None
    if verb.pos_ != "VERB" or lemma(verb).lower() not in VALUING_VERBS:
        return None
    objects = [c for c in verb.children if c.dep_ == "dobj" and c.i < number.i]
    if not objects:
        return None
    measured = objects[0]
    if lemma(measured).lower() in _MEASURE_NOUNS | {"size"}:
        # "the number of suspected cases", "the crowd size": the cases, the crowd
        counted = [o for c in measured.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children]
        counted = [o for o in counted if o.dep_ == "pobj"] + [c for c in measured.children if c.dep_ == "compound"]
        return counted[0] if counted else None
    return measured


def _measure_subject(number: Token) -> Token | None:
    """ "The number of people missing stood at 385", "the number would fall below 100": the measure counted."""
    verb = number
    while verb.head.i != verb.i and verb.pos_ not in {"VERB", "AUX"}:
        verb = verb.head
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and lemma(c) in _MEASURE_NOUNS]
    return subjects[0] if subjects else None


def _event(clause: list[Token], number: Token, domain: Domain, *, cumulative: bool = False) -> str | None:
    """Which occasion or subset a count is about: "ceremony", "march", "first", a year.

    A ``cumulative`` count (a toll) stands at any hour, so "as of 11 am" is no part of the day."""
    parts = []
    occasions = []
    for token in clause:
        if _in_a_date(token):
            continue  # "in March 2022" names a month, not a march
        if token.lower_ in _SUBSET_WORDS and token.dep_ == "amod" and token.head.i != number.i:
            parts.append(token.lower_)
        entry = domain.classes.get(token.lower_) or domain.classes.get(lemma(token).lower())
        entry = entry or domain.classes.get(_hyphenated(token), ("", ""))
        if entry and entry[1] == "event":
            # an occasion that only dates the count ("a day after the parade") yields to one it is about
            occasions.append((_only_dates(token, number), abs(token.i - number.i), entry[0]))
        if (
            _YEAR.fullmatch(token.text)
            and not (token.ent_type_ == "DATE" and token.ent_iob_ == "I")  # in a full date: "February 6, 2023"
            and token.i != number.i
            and token.dep_ in {"pobj", "npadvmod", "nummod", "compound"}
        ):
            parts.append(token.text)
    parts += _host_years(number)
    if occasions:
        parts.insert(0, min(occasions)[2])
    window = " ".join(t.text for t in clause)
    numeric = _NUMERIC_DATE.search(window)
    if numeric:  # "11am 1/20/13 = 317k, 11am 1/20/09 = 513k": the day the table row counts, the last before it
        sentence = sentence_of(number)
        before = doc_text(number.doc)[sentence.start_char : number.idx]
        numeric = ([*_NUMERIC_DATE.finditer(before)] or [numeric])[-1]
        year = numeric.group(1)
        parts.append(year if len(year) == 4 else f"20{year}")
    if _PART_OF_DAY.search(window) and not cumulative:
        parts.append("so far")  # "as of 11 a.m.": a count part-way through the day, not the day's total
    held = _HELD_AREAS.search(window) if _may_name_held_areas(window) else None
    if held:  # "in rebel-controlled areas", "(areas controlled by opposition groups)": a part apart from the whole
        holder = (held.group("holder") or held.group("by")).lower()
        parts.append(f"{_HOLDERS.get(holder, holder)}-held")
    return " ".join(dict.fromkeys(parts)) or None


_TIME_PREPOSITIONS = {"after", "before", "since", "following", "ahead", "until", "prior"}


def _only_dates(token: Token, number: Token) -> bool:
    """Whether ``token`` lies in a phrase of time that does not hold the number: "one day after the parade"."""
    for ancestor in token.ancestors:
        if ancestor.dep_ == "prep" and ancestor.lower_ in _TIME_PREPOSITIONS:
            return not ancestor.is_ancestor(number)
    return False


def _hyphenated(token: Token) -> str:
    """ "swearing-in" when ``token`` starts it: spaCy splits words at their hyphens."""
    doc = token.doc
    if token.i + 2 >= len(doc) or token.whitespace_ or doc[token.i + 1].text != "-" or doc[token.i + 1].whitespace_:
        return ""
    return f"{token.lower_}-{doc[token.i + 2].lower_}"


# areas a side holds: "rebel-held", "government-controlled areas", "territory controlled by the opposition"
_HELD_AREAS = re.compile(
    r"\b(?P<holder>[A-Za-z]+)(?:\s*-\s*|\s+)(?:held|controlled|run|occupied)\s+(?:areas?|territor(?:y|ies)|regions?|parts?)\b"
    r"|\b(?:areas?|territor(?:y|ies)|regions?|parts?)\s+(?:held|controlled|run|occupied)\s+by\s+(?:the\s+)?"
    r"(?P<by>[A-Za-z]+)",
    re.IGNORECASE,
)
# _HELD_AREAS backtracks through every word: it is tried only on windows with one of its verbs (ignoring case;
# of the letters of these, only "i" matches another character, İ or ı)
_HOLDING_VERBS = ("held", "controlled", "run", "occupied")


def _may_name_held_areas(window: str) -> bool:
    lowered = window.lower()
    return any(verb in lowered for verb in _HOLDING_VERBS) or "\u0130" in window or "\u0131" in window


_HOLDERS = {"rebel": "opposition", "rebels": "opposition", "insurgent": "opposition", "insurgents": "opposition"}


_NUMERIC_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/(\d{2}|\d{4})\b")
_PART_OF_DAY = re.compile(
    r"\b(?:as of|by|until|up to)\s+(?:\d{1,2}(?::\d\d)?\s*(?:a\.?m\.?|p\.?m\.?)|noon|midday|the same hour)"
    r"|\bso far today\b|^\s*\d{1,2}(?::\d\d)?\s*(?:am|pm)\b",
    re.IGNORECASE,
)


def _in_a_date(token: Token) -> bool:
    sentence = sentence_of(token)
    return _names_a_month(doc_text(token.doc)[sentence.start_char : sentence.end_char], token.idx - sentence.start_char)


def _names_a_month(text: str, offset: int) -> bool:
    """ "in March 2022": the word at ``offset`` is a month's name in a date, not a march."""
    word = re.match(r"\w+", text[offset:])
    if word is None or not word[0][:1].isupper() or not MONTH_NAME.fullmatch(word[0]):
        return False
    return date_at(text, offset, published=None) is not None


def main_occasion(article: Article, domain: Domain) -> str | None:
    """The occasion an article is mostly about ("march" when it names the march more than the inauguration)."""
    found: Counter[str] = Counter()
    for line in re.finditer(r"[^\n]+", article.text[article.body_start :]):
        for word in re.finditer(r"[A-Za-z][A-Za-z-]+", line[0]):
            entry = domain.classes.get(word[0].lower(), ("", ""))
            if entry[1] == "event" and not _names_a_month(line[0], word.start()):
                found[entry[0]] += 1
    ranked = found.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[1][1] * 2 > ranked[0][1]):
        return None
    return ranked[0][0]


def describe_scope(parsed: ParsedArticle, claims: Iterable[Claim], *, domain: Domain) -> Iterator[Claim]:
    """Fill counted_class, actor, place and event on count claims of one article."""
    doc = parsed.doc
    previous_class: str | None = None
    previous_event: str | None = None
    measured_class: str | None = None  # what "the number of ..." last counted, for a later bare "the number"
    occasion: tuple[str | None] | None = None  # the article's main occasion, once a count needs it
    for claim in claims:
        if claim.kind is not Kind.COUNT:
            yield claim
            continue
        tokens = doc.char_span(claim.start, claim.end, alignment_mode="expand")
        if tokens is None:
            yield claim
            continue
        number = tokens[-1]
        noun = _valued_object(number) or counted_token(doc, tokens[0], tokens[-1], domain=domain)
        clause = _clause(number)
        counted_class = _class_of(number, noun, clause, domain)
        measure = _measure_subject(number)
        if counted_class is None:
            earlier = measured_class if measure is not None else previous_class
            counted_class = _class_of(number, noun, list(sentence_of(number)), domain) or earlier
        # "X drew 800,000 people to his first parade. Y drew about 300,000.": a count with no noun of its own
        # continues the previous one
        follows_previous = noun is None and measure is None and counted_class == previous_class
        if measure is not None and any(c.dep_ == "prep" and c.lower_ == "of" for c in measure.children):
            measured_class = counted_class
        previous_class = counted_class
        actor = _actor_of(noun, clause, domain)
        places = _places(number, noun, clause, domain, actor)
        place = _most_specific(places, domain)
        if not places and _is_outcome(counted_class, domain):
            place = _reporter_place(number, domain)
        if not places and place is None:
            place = _headline_place(parsed, claim, domain, actor)
        if place is not None and _listed_with_others(place, clause, domain):
            place = None
        event = _event(clause, number, domain, cumulative=_is_outcome(counted_class, domain))
        if event is None and follows_previous:
            event = previous_event
        previous_event = event
        if _counts_population(number, noun) and (counted_class in GENERIC_CLASSES or not noun):
            counted_class, event = "people", POPULATION  # "a city of 7.5 million people": who live there, not a crowd
        if event is None and (counted_class in domain.occasion_classes or _bare_people(noun, counted_class)):
            # a crowd counted in a sentence naming an occasion ("said of the parade's crowd, ..."), else in an
            # article about one occasion
            event = _occasion_in(list(sentence_of(number)), number, domain)
            if event is None:
                if occasion is None:
                    occasion = (main_occasion(parsed.article, domain),)
                event = occasion[0]
        if _called_false(number):  # a denied figure is not one more estimate of the same count
            event = f"{event} denied" if event else "denied"
        yield with_fields(claim, counted_class=counted_class, actor=actor, place=place, event=event)


_DENYING_VERBS = {"deny", "dismiss", "refute", "reject", "debunk", "rebut", "disprove", "discredit"}
_FALSE_WORDS = {
    "false", "untrue", "baseless", "unfounded", "fake", "rumor", "rumour", "misinformation", "disinformation",
    "hoax", "fabricated", "incorrect", "inaccurate",
}  # fmt: skip


def _called_false(number: Token) -> bool:
    """Whether the sentence denies the report a count comes from: "reports that hundreds died are false rumours",
    "officials dismissed claims that 300 were killed"."""
    for ancestor in number.ancestors:
        if ancestor.pos_ == "VERB" and lemma(ancestor).lower() in _DENYING_VERBS:
            return True
        if ancestor.pos_ == "NOUN" and ancestor.dep_ in {"nsubj", "nsubjpass"}:
            predicate = ancestor.head
            said = [c for c in predicate.children if c.dep_ in {"attr", "acomp"}]
            said += [m for c in said for m in c.children if c.dep_ == "amod"]
            if any(lemma(word).lower() in _FALSE_WORDS for word in said):
                return True
    return False


def _occasion_in(tokens: list[Token], number: Token, domain: Domain) -> str | None:
    event = _event(tokens, number, domain)
    return event.split()[0] if event and _is_occasion(event, domain) else None


POPULATION = "population"  # the status of those who live in a place
_POPULATION_NOUNS = {"population", "inhabitants"}
_SETTLEMENT_NOUNS = {
    "city", "country", "nation", "town", "island", "state", "territory", "region", "province", "village",
    "county", "district", "metropolis", "capital",
}  # fmt: skip


def _counts_population(number: Token, noun: Token | None) -> bool:
    """ "a city of 7.5 million people", "the island's population of 3.3 million", "Westport's 90,000 residents"."""
    if noun is None:
        holder = number.head if number.dep_ == "pobj" else None  # "population of about 3.3 million"
        holder = holder.head if holder is not None and holder.lower_ == "of" else None
        return holder is not None and lemma(holder).lower() in _POPULATION_NOUNS
    if lemma(noun).lower() in _POPULATION_NOUNS:
        return True
    owners = [c for c in noun.children if c.dep_ == "poss"]
    if noun.lower_ in {"residents", "people"} and any(_is_settlement(o) for o in owners):
        return True
    if noun.dep_ == "dobj" and lemma(noun.head).lower() in {"have", "house"}:  # "Westport has 90,000 people"
        return any(_is_settlement(s) for s in noun.head.children if s.dep_ == "nsubj")
    if noun.dep_ == "pobj" and noun.head.lower_ == "to" and noun.head.head.lower_ == "home":  # "home to 5 million"
        return True
    holder = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else None
    return holder is not None and (_is_settlement(holder) or lemma(holder).lower() in _POPULATION_NOUNS)


def _is_settlement(token: Token) -> bool:
    """A place people live in: "the city", "Ruritania", a name the tagger did not take for a person or a body."""
    if token.pos_ == "PROPN":
        return token.ent_type_ not in {"PERSON", "ORG", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART"}
    return token.pos_ == "NOUN" and lemma(token).lower() in _SETTLEMENT_NOUNS


def _bare_people(noun: Token | None, counted_class: str | None) -> bool:
    """ "It looked like a million people": people with nothing said of them, in an article about an occasion, are
    its crowd."""
    return counted_class in GENERIC_CLASSES and noun is not None and noun.lower_ in GENERIC_NOUNS


def _is_outcome(counted_class: str | None, domain: Domain) -> bool:
    return domain.classes.get(counted_class or "", ("", ""))[1] == "outcome"


def _most_specific(places: list[str], domain: Domain) -> str | None:
    """The one place, or the innermost of places that lie in one another ("in Ruritania, ... in Westshire state")."""
    for place in places:
        ancestors = domain.place_ancestors(place)
        if all(other == place or other in ancestors for other in places):
            return place
    return None


def _listed_with_others(place: str, clause: list[Token], domain: Domain) -> bool:
    """ "the toll in Ruritania and Freedonia", "Ruritania, Freedonia quake toll": the place is one of a list."""
    if not clause:
        return False
    doc = clause[0].doc
    span = doc[min(t.i for t in clause) : max(t.i for t in clause) + 1]
    entities = [e for e in entities_in(span) if e.label_ in _PLACE_LABELS]
    for first, second in itertools.pairwise(entities):
        joiner = doc[first.end : second.start].text.strip().lower()
        names = {_canonical_place(first.text, domain), _canonical_place(second.text, domain)}
        if joiner in {",", "and", "&", "-", "–"} and place in names and None not in names and len(names) == 2:
            other = (names - {place}).pop()
            if place not in domain.place_ancestors(other) and other not in domain.place_ancestors(place):
                return True
    return False


# ---------------------------------------------------------------- grouping across articles


def story_terms(article: Article) -> Counter[str]:
    """The capitalised words an article's story is recognised by, with their counts."""
    body = article.text[article.body_start :]
    words = re.findall(r"(?=[A-Z])(?<![.!?]\s)(?<!^)\b([A-Z][a-zA-Z]{2,})\b", body, re.MULTILINE)  # capitals first
    return Counter(w.lower() for w in words if w.lower() not in _STOP_CAPITALS)


# a few notional articles that share no term with these: in a folder holding one story, the words all its
# articles share still weigh, as they would among other stories
BACKGROUND_ARTICLES = 20


def stories(
    articles: Sequence[Article], *, threshold: float = 0.12, places: Container[str] = frozenset()
) -> dict[str, str]:
    """Cluster articles about one event (shared names), article name -> story label.

    One pass in name order: each article joins the story whose summed term vector it is
    most similar to, or starts a new one. The cost grows with articles times stories, not
    with pairs of articles, and the result depends only on the set of articles. Terms in
    ``places`` are place names: two articles that each name places but none in common are
    about two events, however many bodies they share ("World Health Organization").
    """
    return stories_from_terms({a.name: story_terms(a) for a in articles}, threshold=threshold, places=places)


def stories_from_terms(
    terms: Mapping[str, Mapping[str, int]], *, threshold: float = 0.12, places: Container[str] = frozenset()
) -> dict[str, str]:
    """``stories`` from each article's ``story_terms`` (as the store keeps them)."""
    terms = {name: Counter(counts) for name, counts in terms.items()}
    document_frequency: Counter[str] = Counter()
    for counter in terms.values():
        document_frequency.update(counter.keys())
    total = len(terms)

    def vector(counter: Counter[str]) -> dict[str, float]:
        return {
            t: (1 + math.log(c)) * math.log(1 + (total + BACKGROUND_ARTICLES) / document_frequency[t])
            for t, c in counter.items()
        }

    centroids: list[dict[str, float]] = []
    centroid_norms: list[float] = []  # kept: only the centroid an article joins changes
    members: list[list[str]] = []
    for name in sorted(terms):
        weights = vector(terms[name])
        norm = _norm(weights)
        named_places = {t for t in weights if t in places}
        best, best_similarity = -1, threshold
        for index, centroid in enumerate(centroids):
            if named_places and not any(t in centroid for t in named_places) and any(t in places for t in centroid):
                continue
            dot = sum(w * centroid.get(t, 0.0) for t, w in weights.items())
            similarity = dot / (norm * centroid_norms[index])
            if similarity >= best_similarity:
                best, best_similarity = index, similarity
        if best < 0:
            centroids.append(dict(weights))
            centroid_norms.append(_norm(weights))
            members.append([name])
            continue
        for t, w in weights.items():
            centroids[best][t] = centroids[best].get(t, 0.0) + w
        centroid_norms[best] = _norm(centroids[best])
        members[best].append(name)
    labels: dict[str, str] = {}
    for group in members:
        shared: Counter[str] = Counter()
        for name in group:
            shared.update(set(terms[name]))
        top = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
        label = "-".join(t for t, _ in top) or "story"
        for name in group:
            labels[name] = label
    return labels


def _norm(vector: Mapping[str, float]) -> float:
    return math.sqrt(sum(w * w for w in vector.values())) or 1.0


def _date_from_story(claims: Sequence[Claim], articles: Sequence[Article], story_of: Mapping[str, str]) -> list[Claim]:
    latest = latest_published({a.name: a.published for a in articles}, story_of)
    return date_from_story(claims, latest, {a.name for a in articles if is_undated(a)}, story_of)


def is_undated(article: Article) -> bool:
    """No publication date and no year anywhere in the text."""
    return not article.published and is_undated_text(article.text)


def is_undated_text(text: str) -> bool:
    return not re.search(r"\b(?:19|20)\d\d\b", text)


def latest_published(published: Mapping[str, str | None], story_of: Mapping[str, str]) -> dict[str, str]:
    """Story -> the latest publication date among its articles (article name -> publication date)."""
    latest: dict[str, str] = {}
    for name, date in published.items():
        story = story_of.get(name, "")
        if date and date > latest.get(story, ""):
            latest[story] = date
    return latest


def date_from_story(
    claims: Sequence[Claim], latest: Mapping[str, str], undated: Collection[str], story_of: Mapping[str, str]
) -> list[Claim]:
    """An article with no date at all ("On 17 October, ..." and no year anywhere) takes its year from its story.

    Only explicit month-and-day dates in the claim's own sentence are resolved, against the
    latest publication date among the story's dated articles (``latest``, by story)."""
    resolved = []
    for claim in claims:
        reference = latest.get(story_of.get(claim.article, ""))
        if claim.claim_date is None and claim.article in undated and reference and claim.kind is Kind.COUNT:
            mentions = [
                m
                for m in find_dates(claim.sentence, published=reference)
                if m.value and m.precision == "day" and MONTH_NAME.search(m.text)
            ]
            if mentions:
                claim = with_fields(claim, claim_date=mentions[0].value)
        resolved.append(claim)
    return resolved


def mention_pattern(place: str, domain: Domain) -> str:
    """A pattern for the place under any of its names (counted case-insensitively, as every text pattern here)."""
    names = domain.place_names.get(place, (place,))
    return r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b"


def together_pattern(first: str, second: str) -> str:
    """ "France and Spain", "Spain, France": two places named together."""
    return (
        rf"\b{re.escape(first)}\s*(?:and|,|&)\s*{re.escape(second)}\b"
        rf"|\b{re.escape(second)}\s*(?:and|,|&)\s*{re.escape(first)}\b"
    )


def text_count(pattern: str, text: str) -> int:
    """How often ``pattern`` occurs in ``text``, ignoring case."""
    return len(re.findall(pattern, text, re.IGNORECASE))


def home_place(places: set[str], texts: Sequence[str], domain: Domain) -> str | None:
    """The place a story is about ("the island"): claims there count the story's whole scope.

    None when the two most mentioned places are named together ("France and Spain"):
    then each is a part of the story's scope, not the whole of it.
    """
    return home_from_counts(places, domain, count=lambda pattern: sum(text_count(pattern, t) for t in texts))


def home_from_counts(places: set[str], domain: Domain, *, count: Callable[[str], int]) -> str | None:
    """``home_place`` from ``count``: how often a pattern occurs over the story's texts."""
    if not places:
        return None
    # "in Lyon" and "in Nantes" in a story about France: the country is a candidate too
    places = set(places) | {a for p in places for a in domain.place_ancestors(p)}
    mentions = {p: count(mention_pattern(p, domain)) for p in places}
    # most named first; then a place the domain knows before one it does not, and the larger before the smaller
    known = domain.place_names
    ranked = sorted(places, key=lambda p: (-mentions[p], p not in known, len(domain.place_ancestors(p)), p))
    ranked = [p for p in ranked if p not in domain.place_ancestors(ranked[0])]
    inside = len(ranked) > 1 and ranked[0] in domain.place_ancestors(ranked[1])  # "WESTPORT, Ruritania —"
    if len(ranked) > 1 and not inside and count(together_pattern(ranked[0], ranked[1])):
        return None
    return ranked[0]


GENERIC_NOUNS = {"", "people", "persons"}


def _is_occasion(event: str, domain: Domain) -> bool:
    return domain.classes.get(event.split()[0], ("", ""))[1] == "event"


class ScopedClaim(Protocol):
    """What grouping reads of a count claim: a Claim, or a row of the store with these fields."""

    @property
    def id(self) -> str: ...

    article: str
    counted: str
    counted_class: str | None
    actor: str | None
    place: str | None
    event: str | None


def group_claims(
    claims: Sequence[Claim],
    articles: Sequence[Article],
    *,
    domain: Domain,
    story_of: Mapping[str, str] | None = None,
) -> tuple[list[Claim], list[Referent]]:
    """Assign a referent to every count claim; returns the updated claims and the referents.

    ``story_of`` gives the stories when they were clustered over more articles than these.
    """
    story_of = stories(articles, places=domain.place_words) if story_of is None else story_of
    claims = _date_from_story(claims, articles, story_of)
    counts = [c for c in claims if c.kind is Kind.COUNT]
    by_story: dict[str, list[Claim]] = defaultdict(list)
    for claim in counts:
        by_story[story_of.get(claim.article, "story")].append(claim)
    texts_of: dict[str, list[str]] = defaultdict(list)
    for article in articles:
        texts_of[story_of.get(article.name, "story")].append(article.text[article.body_start :])
    keys: dict[str, ReferentKey] = {}
    for story, members in by_story.items():
        home = home_place({c.place for c in members if c.place}, texts_of[story], domain)
        keys.update(story_keys(story, members, home=home, domain=domain))
    referent_claims: dict[ReferentKey, list[Claim]] = defaultdict(list)
    for claim in counts:
        referent_claims[keys[claim.id]].append(claim)
    ids = referent_ids(referent_claims)
    labels = {key: referent_label(key, members) for key, members in referent_claims.items()}
    updated = []
    members_of: dict[ReferentKey, list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.kind is Kind.COUNT:
            key = keys[claim.id]
            claim = with_fields(claim, referent=ids[key], referent_label=labels[key])
            members_of[key].append(claim)
        updated.append(claim)
    referents = [
        Referent(id=ids[key], label=labels[key], key=key, claims=tuple(members_of[key])) for key in referent_claims
    ]
    return updated, sorted(referents, key=lambda r: r.id)


def story_keys(
    story: str, members: Sequence[ScopedClaim], *, home: str | None, domain: Domain
) -> dict[str, ReferentKey]:
    """Claim id -> referent key for the count claims of one story, ``home`` being the story's place."""
    story_scope = {home, *domain.place_ancestors(home)} if home else set()
    generic_outcomes = Counter(
        c.counted_class for c in members if c.counted.lower() in GENERIC_NOUNS and _is_outcome(c.counted_class, domain)
    )
    actor_classes: dict[str, Counter[str]] = defaultdict(Counter)
    for claim in members:
        if claim.actor and claim.counted_class and claim.counted_class not in GENERIC_CLASSES:
            actor_classes[claim.actor][claim.counted_class] += 1
    by_class: dict[str, list[ScopedClaim]] = defaultdict(list)
    for claim in members:
        counted_class = claim.counted_class
        if (counted_class is None or counted_class in GENERIC_CLASSES) and claim.event != POPULATION:
            # "8000 Ruritanians", "a million and a half people": the class the story counts them in
            if claim.actor and claim.actor in actor_classes:
                counted_class = actor_classes[claim.actor].most_common(1)[0][0]
            elif claim.event and _is_occasion(claim.event, domain):
                counted_class = "attending"  # people counted at an occasion are its attendance
            elif len(generic_outcomes) == 1 and claim.counted.lower() in GENERIC_NOUNS:
                counted_class = next(iter(generic_outcomes))
        by_class[counted_class or "unknown"].append(claim)
    keys: dict[str, ReferentKey] = {}
    for counted_class, group in by_class.items():
        actors = Counter(c.actor for c in group if c.actor)
        # the one actor of most of the class's counts is whose the others are too; a few "Ruritanian pilgrims"
        # among many pilgrims are a part of the whole
        main_actor = actors.most_common(1)[0][0] if len(actors) == 1 and 2 * actors.total() > len(group) else None
        occasions = Counter(c.event for c in group if c.event and _is_occasion(c.event, domain))
        main_event = occasions.most_common(1)[0][0] if len(occasions) == 1 else None
        for claim in group:
            actor = claim.actor or main_actor
            place = claim.place if claim.place not in story_scope else None
            place = place or home  # unplaced counts cover the story's own place
            event = claim.event or main_event
            keys[claim.id] = ReferentKey(story, counted_class, actor, place, event)
    return keys


def referent_ids(keys: Iterable[ReferentKey]) -> dict[ReferentKey, str]:
    """Each key's id; the story joins the id of keys that two stories share."""
    keys = list(keys)
    stories_of_id: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        stories_of_id[referent_id(key)].add(key.story)
    return {key: referent_id(key, with_story=len(stories_of_id[referent_id(key)]) > 1) for key in keys}


def referent_id(key: ReferentKey, *, with_story: bool = False) -> str:
    """A readable id from what is counted: "troops-ruritania-north-3f2a1c".

    The story label joins only when two stories count the same thing, so ids stay put
    while a story grows (its label may change as articles arrive)."""
    parts = [key.counted_class, key.actor or "", key.place or "", key.status or ""]
    if with_story:
        parts.insert(0, key.story)
    slug = "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts if p)
    digest = hashlib.sha1("|".join(parts).encode()).hexdigest()[:6]
    return f"{slug}-{digest}"


def referent_label(key: ReferentKey, members: Sequence[ScopedClaim]) -> str:
    nouns = Counter(c.counted for c in members if c.counted)
    noun = nouns.most_common(1)[0][0] if nouns else key.counted_class
    what = key.counted_class if key.counted_class and key.counted_class not in noun.lower() else ""
    label = f"{noun} ({what})" if what else noun
    if key.actor and key.actor.lower() not in label.lower():
        label = f"{key.actor}: {label}"
    if key.place:
        label += f" in {key.place}"
    if key.status:
        label += f", {key.status}"
    return label[:1].upper() + label[1:]
