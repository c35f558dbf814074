"""Find date expressions in text and resolve them against the publication date.

Candidate spans come from regexes over month names, weekdays and relative
phrases; each span is resolved directly from its groups. Running a general date
parser over running text would read counts such as "3000 troops" as years.
Nothing here reads the clock: without a publication date, anything that needs
one (a weekday, "yesterday", "18 October") has ``value`` None.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import dateparser

log = logging.getLogger(__name__)

DAY, MONTH, YEAR = "day", "month", "year"
# a month named in words: tells "February 24" (only its year is missing) from a bare weekday
MONTH_NAME = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE)


@dataclass(frozen=True)
class DateMention:
    start: int  # offsets within the text given to find_dates
    end: int
    text: str
    value: str | None  # "YYYY-MM-DD", "YYYY-MM" or "YYYY"; None when it needs an absent publication date
    precision: str  # "day" | "month" | "year"
    relative: bool  # True if resolving it needed the publication date


_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

# Month and weekday names are matched case-sensitively: "march" and "may" are words too.
_MONTH = (
    r"(?P<month>(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)"
)
_WEEKDAY_PREFIX = (
    r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|Mon|Tues|Tue|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\b\.?,?\s+)?"
)
_YEAR4 = r"(?P<year>(?:19|20)\d\d)(?![\d%])"
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_NUM = r"(?P<n>\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"

# Each pattern that starts at a word or after a look-behind first looks ahead for a character it can start
# with: the engine then skips most positions at once instead of trying every alternative or look-behind there.
_MONTH_DAY = re.compile(rf"\b(?=[JFMASONDTW]){_WEEKDAY_PREFIX}{_MONTH}\s*{_DAY}(?![\d:]|,\d{{3}})(?:,?\s+{_YEAR4})?")
_DAY_MONTH = re.compile(rf"(?=[MTWFS\d])(?<![\d,.$£€])\b{_WEEKDAY_PREFIX}{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR4})?")
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR4}")
# A month alone is a date only after a word that introduces a time: "in October", "since August".
_MONTH_ALONE = re.compile(
    r"\b(?:in|since|until|till|by|during|through|throughout|from|before|after)\s+"
    rf"(?:(?:early|mid|late)[\s-]+)?{_MONTH}(?!\s*\d)"
)
_NUMERIC = re.compile(r"(?=\d)(?<![\d/.,])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])")
_ISO = re.compile(r"(?=[12])(?<![\d-])(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)(?![\d-])")
_WEEKDAY = re.compile(
    r"\b(?:(?P<mod>last|next|this|past)\s+)?"
    r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"(?:(?:['’]s)?\s+(?:morning|afternoon|evening|night)\b)?"
)
_RELATIVE_DAY = re.compile(
    r"\b(?=[tylaofsen\d])(?:(?P<today>today|tonight|this (?:morning|afternoon|evening))"
    r"|(?P<yesterday>(?:the day before )?yesterday|last night)"
    r"|(?P<tomorrow>tomorrow)"
    rf"|{_NUM}\s+days?\s+(?:ago|earlier))\b",
    re.IGNORECASE,
)
_RELATIVE_PERIOD = re.compile(
    r"\b(?=[tlaofsen\d])(?:(?P<last_week>last week)"
    r"|(?P<this_month>(?:earlier )?this month)|(?P<last_month>last month)"
    r"|(?P<this_year>(?:earlier )?this year)|(?P<last_year>last year)"
    rf"|{_NUM}\s+(?P<unit>week|month|year)s?\s+ago)\b",
    re.IGNORECASE,
)
# A bare year: "in 2009", "since 1939", "the 1960 tsunami", "... in 2005." but not "3000 soldiers".
_BARE_YEAR = re.compile(r"(?=[12])(?<![\d,.$£€/:-])(?P<year>(?:19|20)\d\d)(?![\d%]|[.,]\d|['’]?s\b|-)")
_YEAR_CUE_BEFORE = re.compile(
    r"(?:\b(?:in|since|of|year|until|till|by|from|before|after|during|through|between|and|to|the|"
    r"this|that|early|late|mid)|['’]s)[\s-]*$",
    re.IGNORECASE,
)
# Most sentences name no date, and a pattern is slow to fail at every word: each finder first checks for
# words its patterns need. Every month name _MONTH matches starts with one of these (case-sensitively).
_MONTH_STEM = re.compile("Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
# every phrase _RELATIVE_DAY or _RELATIVE_PERIOD matches holds one of these words, in any case
_RELATIVE_WORDS = ("day", "night", "tomorrow", "this", "last", "ago")
# the characters besides ASCII letters that match an ASCII letter when ignoring case: İ ı ſ K (Kelvin)
_FOLDING_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")
_UNIT = re.compile(r"(?:km|kg|mph|ft|mi|m|cm|mm|lb|lbs|h|hrs|gmt|utc|bst|est|edt|pst|cet)\b", re.IGNORECASE)
_IRREGULAR_PLURALS = frozenset({"people", "men", "women", "children", "personnel", "police", "staff", "feet"})
_NOT_PLURALS = frozenset({"this", "thus", "does", "goes", "plus", "always", "perhaps", "across", "unless", "whereas"})


def find_dates(text: str, *, published: str | None) -> list[DateMention]:
    """Every date expression in ``text``, resolved against ``published`` (YYYY-MM-DD) and sorted."""
    return list(_find_dates(text, published))


def date_at(text: str, offset: int, *, published: str | None) -> DateMention | None:
    """The date expression of ``text`` that covers ``offset``, if one does ("in March 2022" at "March")."""
    return next((m for m in _find_dates(text, published) if m.start <= offset < m.end), None)


@lru_cache(maxsize=4096)  # a sentence is searched for the claim, for its speaker and for its scope
def _find_dates(text: str, published: str | None) -> tuple[DateMention, ...]:
    base = date.fromisoformat(published) if published else None
    candidates: list[DateMention] = []
    for finder in (_month_day, _numeric, _month_year, _month_alone, _weekdays, _relative, _years):
        candidates.extend(finder(text, base))
    # Keep the longest span where candidates overlap: "Monday, February 6, 2023" beats "Monday".
    candidates.sort(key=lambda m: (m.start, -m.end))
    mentions: list[DateMention] = []
    for mention in candidates:
        if mentions and mention.start < mentions[-1].end:
            continue
        mentions.append(mention)
    return tuple(mentions)


def parse_published(value: str) -> str | None:
    """A date or datetime string in any common form as YYYY-MM-DD; None if it names no full date."""
    return _parse_published(value.strip())


@lru_cache(maxsize=1024)
def _parse_published(value: str) -> str | None:
    if not value:
        return None
    if match := _ISO.match(value):
        return _iso(_safe_date(int(match["y"]), int(match["m"]), int(match["d"])))
    # Only absolute parsers: a relative phrase such as "yesterday" would read the clock.
    parsed = dateparser.parse(
        value,
        languages=["en"],
        settings={
            "REQUIRE_PARTS": ["day", "month", "year"],
            "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
        },
    )
    if parsed is None:
        log.debug("no date in published value %r", value)
        return None
    return parsed.date().isoformat()


def _may_name_month(text: str) -> bool:
    return _MONTH_STEM.search(text) is not None


def _may_be_relative(text: str) -> bool:
    if any(char in text for char in _FOLDING_TO_ASCII):
        return True
    lowered = text.lower()
    return any(word in lowered for word in _RELATIVE_WORDS)


def _month_day(text: str, base: date | None) -> list[DateMention]:
    found: list[DateMention] = []
    if not _may_name_month(text):
        return found
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        for match in pattern.finditer(text):
            month, day = _month_number(match["month"]), int(match["day"])
            if match["year"]:
                if (resolved := _safe_date(int(match["year"]), month, day)) is not None:
                    found.append(_mention(match, _iso(resolved), DAY, relative=False))
            elif _safe_date(2000, month, day) is not None:  # 2000 is a leap year: 29 February is valid
                found.append(_mention(match, _iso(_past_day(month, day, base)), DAY, relative=True))
    return found


def _numeric(text: str, base: date | None) -> list[DateMention]:
    found: list[DateMention] = []
    if "/" not in text and "-" not in text:
        return found
    for match in _NUMERIC.finditer(text):
        first, second, year = int(match["a"]), int(match["b"]), int(match["y"])
        if year < 100:
            year += 2000 if year < 70 else 1900
        month, day = (second, first) if first > 12 else (first, second)  # US order unless impossible
        if (resolved := _safe_date(year, month, day)) is not None:
            found.append(_mention(match, resolved.isoformat(), DAY, relative=False))
    for match in _ISO.finditer(text):
        if (resolved := _safe_date(int(match["y"]), int(match["m"]), int(match["d"]))) is not None:
            found.append(_mention(match, resolved.isoformat(), DAY, relative=False))
    return found


def _month_year(text: str, base: date | None) -> list[DateMention]:
    if not _may_name_month(text):
        return []
    return [
        _mention(match, f"{match['year']}-{_month_number(match['month']):02d}", MONTH, relative=False)
        for match in _MONTH_YEAR.finditer(text)
        if not count_follows(text, match.end())
    ]


def _month_alone(text: str, base: date | None) -> list[DateMention]:
    found: list[DateMention] = []
    if not _may_name_month(text):
        return found
    for match in _MONTH_ALONE.finditer(text):
        if count_follows(text, match.end()):  # "from March organizers"
            continue
        month = _month_number(match["month"])
        value = None
        if base is not None:
            year = base.year if month <= base.month else base.year - 1
            value = f"{year}-{month:02d}"
        found.append(_mention(match, value, MONTH, relative=True, group="month"))
    return found


def _weekdays(text: str, base: date | None) -> list[DateMention]:
    found: list[DateMention] = []
    if "day" not in text:  # in every weekday's name
        return found
    for match in _WEEKDAY.finditer(text):
        value = None
        if base is not None:
            weekday = _WEEKDAYS[match["weekday"].lower()]
            modifier = (match["mod"] or "").lower()
            if modifier == "next":
                resolved = base + timedelta(days=(weekday - base.weekday()) % 7 or 7)
            else:
                back = (base.weekday() - weekday) % 7
                if modifier in ("last", "past") and back == 0:
                    back = 7
                resolved = base - timedelta(days=back)
            value = resolved.isoformat()
        found.append(_mention(match, value, DAY, relative=True))
    return found


def _relative(text: str, base: date | None) -> list[DateMention]:
    found: list[DateMention] = []
    if not _may_be_relative(text):
        return found
    for match in _RELATIVE_DAY.finditer(text):
        if match["today"]:
            offset = 0
        elif match["yesterday"]:
            offset = -2 if match["yesterday"].lower().startswith("the day before") else -1
        elif match["tomorrow"]:
            offset = 1
        else:
            offset = -_number(match["n"])
        value = (base + timedelta(days=offset)).isoformat() if base else None
        found.append(_mention(match, value, DAY, relative=True))
    for match in _RELATIVE_PERIOD.finditer(text):
        precision, value = _period(match, base)
        found.append(_mention(match, value, precision, relative=True))
    return found


def _period(match: re.Match[str], base: date | None) -> tuple[str, str | None]:
    unit = (match["unit"] or "").lower()
    if match["this_year"] or match["last_year"] or unit == "year":
        back = 0 if match["this_year"] else 1 if match["last_year"] else _number(match["n"])
        return YEAR, str(base.year - back) if base else None
    if base is None:
        return MONTH, None
    if match["last_week"] or unit == "week":
        weeks = 1 if match["last_week"] else _number(match["n"])
        return MONTH, (base - timedelta(weeks=weeks)).isoformat()[:7]
    back = 0 if match["this_month"] else 1 if match["last_month"] else _number(match["n"])
    index = base.year * 12 + base.month - 1 - back
    return MONTH, f"{index // 12}-{index % 12 + 1:02d}"


def _years(text: str, base: date | None) -> list[DateMention]:
    found: list[DateMention] = []
    if "19" not in text and "20" not in text:
        return found
    for match in _BARE_YEAR.finditer(text):
        after = text[match.end() : match.end() + 2]
        ends_clause = not after.strip() or after.lstrip()[:1] in ".,;:!?)]\"'”’—–"
        cued = _YEAR_CUE_BEFORE.search(text, max(0, match.start() - 12), match.start()) is not None
        if (cued or ends_clause) and not count_follows(text, match.end()):
            found.append(_mention(match, match["year"], YEAR, relative=False))
    return found


def count_follows(text: str, end: int) -> bool:
    """True when the next word makes a preceding number a count or a measure: "3000 soldiers", "1900 km"."""
    word = re.match(r"\s*([A-Za-z]+)", text[end : end + 40])
    if word is None:
        return False
    token = word[1]
    if _UNIT.fullmatch(token) or token.lower() in _IRREGULAR_PLURALS:
        return True
    plural = len(token) > 3 and token.endswith("s") and not token.endswith("ss")
    return token.islower() and plural and token not in _NOT_PLURALS


def _mention(
    match: re.Match[str], value: str | None, precision: str, *, relative: bool, group: str | int = 0
) -> DateMention:
    start, end = match.span(group)
    return DateMention(start, end, match.string[start:end], value, precision, relative)


def _past_day(month: int, day: int, base: date | None) -> date | None:
    """The day in the publication year, or the year before if that would be after publication."""
    if base is None:
        return None
    for year in (base.year, base.year - 1, base.year - 2, base.year - 3, base.year - 4):
        resolved = _safe_date(year, month, day)
        if resolved is not None and resolved <= base:
            return resolved
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _month_number(name: str) -> int:
    return _MONTHS[name.rstrip(".").lower()]


def _number(token: str) -> int:
    return int(token) if token.isdigit() else _NUMBER_WORDS[token.lower()]
