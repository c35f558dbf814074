"""Extract stage: every number in an article, its interval, kind and counted noun.

Candidate spans come from regular expressions (digits, number words, vague counts);
quantulum3 normalises spelled-out numbers; the spaCy parse of the article supplies the
counted noun and the context that tells a count from a date, a time or a measure.
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

with warnings.catch_warnings():
    # quantulum3 warns that its optional unit classifier is absent: counts need no unit classifier
    warnings.simplefilter("ignore")
    from quantulum3 import parser as quantulum

from .dates import count_follows
from .domain import Domain, trie_alternation
from .nlp import ParsedArticle, lemma, sentence_of, span_text
from .types import Claim, Kind, Qualifier

_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
]
_SCALES = {"dozen": 12, "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SCALE_ABBREVIATIONS = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9}
# as a trie: the engine tries the words at every word of a sentence, and a plain list of them was most of
# the time spent finding numbers. Their order does not matter: a number word is followed by no letter, so
# of two words where one begins the other, at most one fits.
_WORD = f"(?:{trie_alternation([*_UNITS, *_SCALES])})"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_AFTER_DIGITS = rf"(?:\s*-?\s*(?:{'|'.join(_SCALES)})\b|(?:k|bn|mln|mn)\b)"
# each branch first looks ahead for a character it can start with (a digit; "a" or a number word's first
# letter), so that the engine skips most positions at once instead of trying the branch there
_SCALE_WORDS = "|".join(_SCALES)
_FIRST_LETTERS = "".join(sorted({word[0] for word in [*_UNITS, *_SCALES, "a"]}))
_ONE_NUMBER = (
    rf"(?:(?=\d)(?<![\w$€£#./:,-])(?:{_DIGITS}){_SCALE_AFTER_DIGITS}?(?![\w/:]|[.,]\d|-(?!year)\w)"
    rf"|\b(?=[{_FIRST_LETTERS}h])(?:(?:an?\s+(?:half[\s-])?|half(?:\s+an?\s+|[\s-]))(?=(?:{_SCALE_WORDS})\b))?"
    rf"{_WORD}(?:(?:\s+|-)(?:and\s+)?{_WORD})*"
    rf"(?:\s+and\s+a\s+half(?:\s+(?:{_SCALE_WORDS})\b)?)?\b(?!-(?:fold|thirds?|quarters?|halves)))"
)
NUMBER_RE = re.compile(_ONE_NUMBER, re.IGNORECASE)
# "11,000-12,000", "10–12 million": a range written with a dash (a phone number's three parts are not)
HYPHEN_RANGE_RE = re.compile(
    rf"(?=\d)(?<![\w$€£#./:,-])({_DIGITS})\s*[-–—]\s*({_DIGITS})({_SCALE_AFTER_DIGITS}?)(?![\w/:-]|[.,]\d)",
    re.IGNORECASE,
)
_MILLIONS_M = re.compile(r"(?<![\w$€£#./:,-])(\d{1,3}(?:\.\d+)?m)\s+(?:[A-Z][\w-]*\s+)?([a-z]+)\b")
_RANGE_JOINERS = re.compile(r"^(?:\s*[-–—]\s*|\s+to\s+|\s*,\s+(?:a\s+)?|\s+or\s+|\s+and\s+)$", re.IGNORECASE)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s*$|\b(?:{_MONTHS})\.?\s+\d{{1,2}},\s*$", re.IGNORECASE)
_DATE_AFTER = re.compile(rf"^\s*(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{_MONTHS})\b", re.IGNORECASE)
_TIME_AFTER = re.compile(r"^\s*(?:a\.?m\b\.?|p\.?m\b\.?|gmt\b|utc\b|o'clock|hrs\b|h\b)", re.IGNORECASE)
_MONEY_BEFORE = re.compile(r"(?:[$€£¥₹]|\b(?:usd|eur|gbp|us\$|rs\.?))\s*$", re.IGNORECASE)
_YEAR_BEFORE = re.compile(r"\b(?:in|since|of|year|by|until|from|before|after|during|early|late|mid)\s*$", re.I)
_MULTIPLIER_AFTER = re.compile(r"^\s*(?:-\s*)?(?:times|fold|to-\d|per\b|x\b)", re.IGNORECASE)
_AGE_AFTER = re.compile(r"^(?:-|\s)(?:years?|months?)(?:-|\s)old\b|^\s*years?\s+of\s+age", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\baged\s*$", re.IGNORECASE)
_NAME_BEFORE = re.compile(r"\b[A-Z][\w'’-]+,\s*$")
_LABEL_BEFORE = re.compile(
    r"\b(?:Category|Level|Phase|Grade|Stage|Channel|Flight|Route|Highway|Interstate|No\.|Room|Gate|Platform"
    r"|Terminal|Article|Section|Chapter|Season|Episode|Round|Day|Week|Tier|Ward|Zone|Sector|Pier|Runway)\s+#?$"
)
_CALL_SIGN = re.compile(r"(?<![\w.])[A-Z]{3,}\s+$")  # "WKPN 7 News", with a name after the number
_RATIO_BEFORE = re.compile(r"(?:^|\s)(?P<part>\d[\d,]*|[a-z]+)\s+(?:in|out\s+of)\s+$", re.IGNORECASE)
_BACK_REFERENCE = re.compile(r"\bthe\s+(?:other\s+|previous\s+|last\s+|first\s+)?$", re.IGNORECASE)
_EACH = re.compile(r"\beach\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class NumberSpan:
    start: int  # offsets within the sentence text
    end: int
    surface: str
    value: float | None
    low: float | None
    high: float | None
    vague: bool = False


def _digits_value(surface: str) -> float | None:
    match = re.match(r"([\d,]+(?:\.\d+)?)\s*-?\s*([a-z]*)", surface, re.IGNORECASE)
    if not match:
        return None
    number = float(match.group(1).replace(",", ""))
    scale = match.group(2).lower()
    return number * _SCALES.get(scale, _SCALE_ABBREVIATIONS.get(scale, 1.0))


@functools.lru_cache(maxsize=4096)
def _words_value(surface: str) -> float | None:
    text = surface.lower().replace("-", " ")
    half_of = re.fullmatch(r"half (?:an? )?(\w+)", text)  # "half a million"
    if half_of:
        return _SCALES[half_of[1]] / 2 if half_of[1] in _SCALES else None
    whole_and_half = re.fullmatch(r"(.+) and a half (\w+)", text)  # "one and a half million"
    if whole_and_half and whole_and_half[2] in _SCALES:
        whole = _words_value(whole_and_half[1])
        return (whole + 0.5) * _SCALES[whole_and_half[2]] if whole else None
    half = text.endswith(" and a half")
    text = text.removesuffix(" and a half")
    if text.startswith(("a half ", "an half ")):
        return _words_value("a " + text.split(" ", 2)[2]) * 0.5 if _words_value("a " + text.split(" ", 2)[2]) else None
    value = _spelled_value(text)
    if value is None and not _NUMBER_WORD.search(text):
        return None  # "state" in "state in 3": no number, and no reason to load quantulum3's reader
    if value is None:  # a form the simple reading does not cover: quantulum3 decides
        values = quantulum.extract_spellout_values(text)
        if len(values) != 1:
            return None
        value = float(values[0]["new_surface"])
    if half:
        scale = next((s for word, s in _SCALES.items() if text.endswith(word)), 1.0)
        value += scale / 2
    return value


_WORD_VALUES = {word: float(i if i < 20 else (i - 18) * 10) for i, word in enumerate(_UNITS)}
_NUMBER_WORD = re.compile(r"\b(?:" + "|".join([*_WORD_VALUES, *_SCALES, "dozen", "score"]) + r")\b")


def _spelled_value(text: str) -> float | None:
    """ "two", "twenty-five", "a hundred and ten", "eleven thousand", "1.5 million" as a number; None if unsure.

    The usual forms are read here: quantulum3's reader takes seconds to load (it builds an
    inflection engine), which a rerun of ten articles would otherwise pay."""
    total, current, previous = 0.0, 0.0, ""
    for word in text.replace("-", " ").split():
        if word == "and":
            continue
        if word in {"a", "an"} and not previous:
            current, previous = 1.0, "a"
        elif word in _WORD_VALUES:
            value = _WORD_VALUES[word]
            after_tens = previous in _WORD_VALUES and _WORD_VALUES[previous] >= 20 and value < 10
            if previous and previous not in _SCALES and previous != "a" and not after_tens:
                return None  # "five two": two numbers, not one
            current += value
        elif word in _SCALES:
            if previous in _SCALES and _SCALES[previous] >= _SCALES[word]:
                return None
            if word == "hundred":
                current = (current or 1.0) * 100
            else:
                total += (current or 1.0) * _SCALES[word]
                current = 0.0
        else:
            return None
        previous = word
    return total + current if previous else None


def number_value(surface: str) -> float | None:
    if surface[:1].isdigit():
        return _digits_value(surface)
    return _words_value(surface)


def _vague_re(domain: Domain) -> re.Pattern[str]:
    first = "".join(sorted({re.escape(phrase[:1]) for phrase in domain.vague}))
    starts = f"(?=[{first}])" if all(domain.vague) else ""  # as in _ONE_NUMBER
    return re.compile(rf"\b{starts}(?:{trie_alternation(domain.vague)})\b", re.IGNORECASE)  # the longest that fits


_VAGUE_CACHE: dict[str, re.Pattern[str]] = {}  # domain fingerprint -> its vague phrases as one pattern
# (domain fingerprint, sentence) -> numbers: a sentence is searched when skimming and again when extracting
_NUMBERS_CACHE: dict[tuple[str, str], tuple[NumberSpan, ...]] = {}


def find_numbers(text: str, *, domain: Domain) -> list[NumberSpan]:
    """Numbers in a sentence, with ranges ("between 11,000 and 12,000") merged."""
    key = (domain.fingerprint, text)
    found = _NUMBERS_CACHE.get(key)
    if found is None:
        if len(_NUMBERS_CACHE) >= 4096:
            _NUMBERS_CACHE.clear()
        found = _NUMBERS_CACHE[key] = tuple(_find_numbers(text, domain))
    return list(found)


def _find_numbers(text: str, domain: Domain) -> list[NumberSpan]:
    vague_re = _VAGUE_CACHE.get(domain.fingerprint)
    if vague_re is None:
        vague_re = _VAGUE_CACHE[domain.fingerprint] = _vague_re(domain)
    spans: list[NumberSpan] = []
    taken: list[tuple[int, int]] = []
    for match in vague_re.finditer(text):
        low, high = domain.vague[match.group().lower()]
        spans.append(NumberSpan(match.start(), match.end(), match.group(), None, low, high, vague=True))
        taken.append(match.span())
    for match in HYPHEN_RANGE_RE.finditer(text) if _DIGIT.search(text) else ():
        scale = match.group(3)  # "10–12 million": the scale word counts for both ends
        low, high = number_value(match.group(1) + scale), number_value(match.group(2) + scale)
        if low and high and low < high <= low * 10:
            spans.append(NumberSpan(match.start(), match.end(), match.group(), (low + high) / 2, low, high))
            taken.append(match.span())
    for match in NUMBER_RE.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        surface = match.group().strip()
        if surface.lower() in {"a", "an", "and"}:
            continue
        if not surface[:1].isdigit() and re.search(r"\d\s*$", text[: match.start()]):
            continue  # "$42.8 million": the scale word belongs to a number already refused
        value = number_value(surface)
        if value is None:
            continue
        spans.append(NumberSpan(match.start(), match.start() + len(surface), surface, value, value, value))
    for match in _MILLIONS_M.finditer(text) if "m " in text else ():
        # "1.2m people": millions, as British papers write them; "a 100m wall" is a measure
        if match.group(2).lower() in domain.classes and not any(
            s < match.end(1) and match.start() < e for s, e in taken
        ):
            surface = match.group(1)
            spans.append(NumberSpan(match.start(), match.end(1), surface, *(number_value(surface),) * 3))
    spans.sort(key=lambda s: s.start)
    return _merge_ranges(text, spans)


def has_count_candidate(sentence: str, *, domain: Domain) -> bool:
    """Whether a sentence holds a number that may count something, judged from its words alone.

    ``_kind`` without the parse settles dates, times, money, percentages, ages, measures and
    back-references; what it cannot settle without the counted noun stays a candidate: a small
    number ("two brigades") and a year-shaped one before a plural or a name ("3000 Ruritanian troops").
    """
    for span in find_numbers(sentence, domain=domain):
        before, after = sentence[: span.start], sentence[span.end :]
        kind = _kind(span, before, after, None, domain)
        if kind is Kind.COUNT:
            return True
        if kind is Kind.YEAR and not _YEAR_BEFORE.search(before) and not _DATE_BEFORE.search(before):
            word = re.match(r"\s+([A-Za-z]+)", after)
            if word and (word[1][0].isupper() or word[1].lower() in domain.classes or count_follows(after, 0)):
                return True
        may_count_a_noun = (  # "two brigades": a small number whose noun only the parse finds
            kind is Kind.OTHER
            and 0 < (span.value or 0) < 10
            and span.surface.lower() != "one"
            and not _BACK_REFERENCE.search(before)
            and not _MULTIPLIER_AFTER.match(after)
        )
        if may_count_a_noun:
            return True
    return False


def _merge_ranges(text: str, spans: list[NumberSpan]) -> list[NumberSpan]:
    merged: list[NumberSpan] = []
    for span in spans:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and not previous.vague
            and not span.vague
            and previous.value
            and span.value
            and _RANGE_JOINERS.match(text[previous.end : span.start])
            and previous.value < span.value
        ):
            joiner = text[previous.end : span.start].strip().lower()
            before = text[: previous.start].rstrip().lower()
            is_between = joiner == "and" and before.endswith("between")
            if span.value > previous.value * 10 and not is_between:
                merged.append(span)  # "between 793 and 8,498" is a range however wide; "5 or 60" two numbers
                continue
            is_change = before.endswith("from")
            if (joiner != "and" or is_between) and not is_change:
                start = previous.start - len("between ") if is_between else previous.start
                low, high = previous.value, span.value
                merged[-1] = NumberSpan(start, span.end, text[start : span.end], (low + high) / 2, low, high)
                continue
        merged.append(span)
    return merged


_QUALIFIER_ORDER = ("up_to", "at_least", "more_than", "less_than", "approx")
_QUOTES = set("\"'“”‘’«»")


def counted_token(doc, first, last, *, domain: Domain):  # type: ignore[no-untyped-def]
    """The noun a number counts: "2,000 [soldiers]", "hundreds of [families]", "8,000 of these [forces]".

    Never a place's name: in a headline such as "Thousands Flood Westport" the parse may hang the
    number on the town, which is where they are, not what is counted."""
    noun = _counted_word(doc, last)
    if noun is not None and noun.tag_ == "NNP" and _names_a_place(noun, domain):
        return None
    return noun


def _names_a_place(token, domain: Domain) -> bool:  # type: ignore[no-untyped-def]
    """A place of the domain's files, or of the gazetteer unless it is also a word for what is counted (a town
    may be called "Police")."""
    name = token.lower_
    return name in domain.place_aliases or (name in domain.gazetteer and name not in domain.classes)


def _counted_word(doc, last):  # type: ignore[no-untyped-def]
    sent_end = sentence_of(last).end
    if last.i + 1 < sent_end and doc[last.i + 1].lower_ == "of":
        objects = [c for c in doc[last.i + 1].children if c.dep_ == "pobj"]
        return objects[0] if objects else None
    modifies_noun = last.dep_ in {"nummod", "quantmod", "amod", "compound", "nmod", "npadvmod"}
    if modifies_noun and last.head.pos_ in {"NOUN", "PROPN"} and 0 < last.head.i - last.i <= 6:
        noun = last.head
        # "20 beanbag rounds" hung on the modifier: what is counted is the noun it modifies
        while noun.dep_ == "compound" and noun.head.pos_ == "NOUN" and noun.head.i == noun.i + 1:
            noun = noun.head
        return noun
    for token in doc[last.i + 1 : min(sent_end, last.i + 5)]:
        if token.text in _QUOTES or (token.pos_ in {"ADJ", "PUNCT"} and token.text not in ",;:."):
            continue
        if token.pos_ in {"NOUN", "PROPN"} and token.tag_ in {"NNS", "NNPS", "NN", "NNP"}:
            # a compound noun: take the last noun of the run
            while token.i + 1 < sent_end and doc[token.i + 1].pos_ == "NOUN" and token.dep_ == "compound":
                token = doc[token.i + 1]
            return token
        break
    return None


def _noun_phrase(doc, last, noun) -> str:  # type: ignore[no-untyped-def]
    if noun is None:
        return ""
    start = last.i + 1 if noun.i > last.i else noun.left_edge.i
    words = [t for t in doc[start : noun.i + 1] if t.text not in _QUOTES]
    while words and (
        words[0].lower_ in {"of", "the", "these", "those", "their", "its", "more", "other"}
        or words[0].pos_ in {"DET", "PUNCT"}
    ):
        words = words[1:]
    return " ".join(t.text for t in words)


def _kind(span: NumberSpan, before: str, after: str, noun, domain: Domain) -> Kind:  # type: ignore[no-untyped-def]
    if _MONEY_BEFORE.search(before):
        return Kind.MONEY
    if after.lstrip().startswith("%"):
        return Kind.PERCENT
    if _TIME_AFTER.match(after):
        return Kind.TIME
    if _AGE_AFTER.match(after) or _AGE_BEFORE.search(before):
        return Kind.AGE
    if _NAME_BEFORE.search(before) and after.startswith(",") and span.value and span.value < 120 and not span.vague:
        return Kind.AGE  # "Jane Roe, 58, said"
    is_call_sign = _CALL_SIGN.search(before) and re.match(r"\s+[A-Z][a-z]", after)
    if (_LABEL_BEFORE.search(before) or is_call_sign) and not span.vague:
        return Kind.OTHER  # "a Category 4 storm", "Flight 370", "WKPN 7 News": a name, not a count
    if _MULTIPLIER_AFTER.match(after):
        return Kind.OTHER
    value = span.value
    ratio = _RATIO_BEFORE.search(before)
    if ratio and value is not None and (number_value(ratio["part"]) or value) < value:
        return Kind.PERCENT  # "one in five trains", "three out of 10 voters": a share, not a count
    small_integer = value is not None and value == int(value) and value <= 31 and not span.vague
    if small_integer and (_DATE_BEFORE.search(before) or _DATE_AFTER.match(after)):
        return Kind.DATE
    next_words = re.match(r"^[\s-]*([^\s,.;:()]+)(?:\s+([^\s,.;:()]+))?", after)
    if next_words:
        first = next_words.group(1).lower().strip("”\"'’")
        pair = f"{first} {(next_words.group(2) or '').lower()}"
        for word in (pair, first):
            if word in domain.unit_kinds:
                return Kind(domain.unit_kinds[word])
    if noun is not None and noun.lower_ in domain.unit_kinds:
        return Kind(domain.unit_kinds[noun.lower_])
    is_year_shaped = re.fullmatch(r"\d{4}", span.surface) is not None and 1000 <= (value or 0) <= 2100
    if is_year_shaped and (noun is None or noun.tag_ not in {"NNS", "NNPS"} or _YEAR_BEFORE.search(before)):
        return Kind.YEAR if not _DATE_BEFORE.search(before) else Kind.DATE
    if value is not None and value != int(value) and not re.search(r"[a-z]", span.surface, re.I):
        return Kind.MEASURE  # "7.8", "17.9": counts are whole numbers
    if _BACK_REFERENCE.search(before) and not span.surface[:1].isdigit() and not span.vague:
        return Kind.OTHER  # "the two countries": a back-reference, not a new count
    if (noun is None and not span.vague and (value or 0) < 10) or span.surface.lower() == "one":
        return Kind.OTHER  # "one of the largest", "the other two", "one splash of colour"
    if value == 0:
        return Kind.OTHER
    return Kind.COUNT


def _qualifier(span: NumberSpan, before: str, after: str, domain: Domain) -> Qualifier:
    if span.vague:
        return Qualifier.VAGUE
    if span.low != span.high:
        return Qualifier.RANGE
    for name in _QUALIFIER_ORDER:
        if domain.qualifier_before[name].search(before):
            return Qualifier(name)
    for name, pattern in domain.qualifier_after.items():
        if pattern.match(after):
            return Qualifier(name)
    return Qualifier.EXACT


def _interval(span: NumberSpan, qualifier: Qualifier) -> tuple[float | None, float | None]:
    if qualifier in {Qualifier.AT_LEAST, Qualifier.MORE_THAN}:
        return span.value, None
    if qualifier in {Qualifier.UP_TO, Qualifier.LESS_THAN}:
        return None, span.value
    return span.low, span.high


def _times(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


def extract_claims(parsed: ParsedArticle, *, domain: Domain) -> Iterator[Claim]:
    """Every number in the article as a Claim; ``kind`` says which of them are counts."""
    doc = parsed.doc
    article = parsed.article
    seen_sentences: list[str] = []
    for sent in doc.sents:
        text = span_text(sent)
        normalised = " ".join(text.split())
        if len(normalised) >= 20 and any(normalised in earlier for earlier in seen_sentences):
            continue  # a paragraph or headline printed twice is one claim, not two
        seen_sentences.append(normalised)
        spans = find_numbers(text, domain=domain)
        found = []
        for span in spans:
            start = sent.start_char + span.start
            end = sent.start_char + span.end
            tokens = doc.char_span(start, end, alignment_mode="expand")
            if tokens is None or len(tokens) == 0:
                continue
            noun = counted_token(doc, tokens[0], tokens[-1], domain=domain)
            before, after = text[: span.start], text[span.end :]
            if not before.strip():  # "... on Sept. | 20 as a storm": the sentence split after an abbreviated month
                before = parsed.text[max(0, start - 12) : start]
            kind = _kind(span, before, after, noun, domain)
            found.append((span, start, end, tokens, noun, kind))
        multipliers = {
            index: _distributive_multiplier(found, index, text, item[4])
            for index, item in enumerate(found)
            if item[5] is Kind.COUNT and not item[0].vague
        }
        consumed = {m for m in multipliers.values() if m is not None}
        for index, (span, start, end, tokens, noun, kind) in enumerate(found):
            if index in consumed:
                continue
            before, after = text[: span.start], text[span.end :]
            qualifier = _qualifier(span, before, after, domain)
            low, high = _interval(span, qualifier)
            value, arithmetic = span.value, None
            multiplier = multipliers.get(index)
            if multiplier is not None:
                factor = found[multiplier][0].value or 1.0
                arithmetic = f"{_fmt(factor)} × {span.surface}"
                value, low, high = _times(value, factor), _times(low, factor), _times(high, factor)
            yield Claim(
                article=article.name,
                start=start,
                end=end,
                surface=span.surface,
                value=value,
                low=low,
                high=high,
                qualifier=qualifier,
                kind=kind,
                sentence=text.strip(),
                sentence_start=sent.start_char + (len(text) - len(text.lstrip())),
                counted=_noun_phrase(doc, tokens[-1], noun),
                arithmetic=arithmetic,
                published=article.published,
                outlet=article.outlet,
            )


def _distributive_multiplier(found, index: int, text: str, noun) -> int | None:  # type: ignore[no-untyped-def]
    """ "Two brigades of up to 6,000 personnel each": the index of "Two", if this number is distributed."""
    span = found[index][0]
    sentence_start = sentence_of(found[index][3][0]).start_char
    noun_end = noun.idx - sentence_start + len(noun.text) if noun is not None else span.end
    window_end = max(noun_end, span.end) + 12
    for candidate in range(index - 1, -1, -1):
        other, _, _, _, other_noun, _kind = found[candidate]
        if other.vague or not other.value or other.value > 100 or other_noun is None:
            continue
        if noun is not None and lemma(other_noun) == lemma(noun):
            continue
        if other_noun.tag_ not in {"NNS", "NNPS"}:
            continue
        between = text[other.end : window_end]
        if _EACH.search(between):
            return candidate
        return None
    return None
