"""Score the pipeline's count claims against a gold file (see gold/FORMAT.md).

A system claim matches a gold claim of the same article when its number lies
inside an occurrence of the gold quote and one of its values (value, low,
high) equals one of the gold's (value, low, high, the number as written).
Matching is one-to-one and greedy, best pairs first: exact (value, low, high)
agreement, then an equal central value, then the number sitting on the gold
surface itself.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from itertools import combinations
from pathlib import Path

from .config import DEFAULT_DOMAIN_DIR, Config
from .domain import load_domain
from .errors import ConfigError, GoldError
from .types import Claim, GroupStatus, Kind, Qualifier

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GoldClaim:
    article: str
    quote: str
    surface: str
    value: float | None
    low: float | None
    high: float | None
    qualifier: Qualifier
    speaker: str | None
    speaker_org: str | None
    side: str | None
    claim_date: str | None
    referent: str


@dataclass(frozen=True)
class Scores:
    gold: int
    system: int
    matched: int
    claim_precision: float
    claim_recall: float
    claim_f1: float
    value_accuracy: float
    qualifier_accuracy: float
    speaker_accuracy: float
    side_accuracy: float
    date_accuracy: float
    referent_precision: float
    referent_recall: float
    referent_f1: float
    discrepancy_precision: float
    discrepancy_recall: float
    discrepancy_f1: float
    errors: tuple[str, ...] = ()


METRICS: tuple[str, ...] = tuple(f.name for f in fields(Scores) if f.type == "float")

_GOLD_FIELDS = tuple(f.name for f in fields(GoldClaim))
_TEXT_FIELDS = ("article", "quote", "surface", "referent")
_OPTIONAL_TEXT_FIELDS = ("speaker", "speaker_org", "side", "claim_date")
_NUMBER_FIELDS = ("value", "low", "high")
_DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?")


# --- gold file ---------------------------------------------------------------


def load_gold(path: Path) -> list[GoldClaim]:
    """Read a JSON Lines gold file; any malformed line raises GoldError naming the line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise GoldError(f"{path}: no such gold file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read gold file ({exc})") from None
    gold = [_gold_claim(line, where=f"{path} line {n}") for n, line in enumerate(lines, 1) if line.strip()]
    if not gold:
        raise GoldError(f"{path}: gold file has no claims")
    return gold


def _gold_claim(line: str, *, where: str) -> GoldClaim:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise GoldError(f"{where}: not valid JSON ({exc.msg})") from None
    if not isinstance(record, dict):
        raise GoldError(f"{where}: expected a JSON object")
    for name in _GOLD_FIELDS:
        if name not in record:
            raise GoldError(f"{where}: missing field {name!r}")
    unknown = sorted(set(record) - set(_GOLD_FIELDS))
    if unknown:
        raise GoldError(f"{where}: unknown field {unknown[0]!r}")
    for name in _TEXT_FIELDS:
        if not isinstance(record[name], str) or not record[name]:
            raise GoldError(f"{where}: field {name!r} must be a non-empty string")
    for name in _OPTIONAL_TEXT_FIELDS:
        if record[name] is not None and not isinstance(record[name], str):
            raise GoldError(f"{where}: field {name!r} must be a string or null")
    for name in _NUMBER_FIELDS:
        value = record[name]
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise GoldError(f"{where}: field {name!r} must be a number or null")
    if record["claim_date"] is not None and not _DATE.fullmatch(record["claim_date"]):
        raise GoldError(f"{where}: claim_date {record['claim_date']!r} is not YYYY-MM-DD or YYYY-MM")
    try:
        qualifier = Qualifier(record["qualifier"])
    except ValueError:
        allowed = ", ".join(q.value for q in Qualifier)
        raise GoldError(f"{where}: qualifier {record['qualifier']!r} is not one of {allowed}") from None
    if record["surface"] not in record["quote"]:
        raise GoldError(f"{where}: surface {record['surface']!r} is not inside the quote")
    numbers = {name: None if record[name] is None else float(record[name]) for name in _NUMBER_FIELDS}
    return GoldClaim(**{**record, **numbers, "qualifier": qualifier})


# --- numbers as written ------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


_UNITS = {
    word: n
    for n, word in enumerate(
        _words(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
            "fifteen sixteen seventeen eighteen nineteen"
        )
    )
}
_TENS = {word: 10 * n for n, word in enumerate(_words("twenty thirty forty fifty sixty seventy eighty ninety"), 2)}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_SUFFIXES = {"k": 1e3, "m": 1e6, "bn": 1e9}
_DIGITS = re.compile(r"(\d[\d,]*(?:\.\d+)?)(k|m|bn)?")


def parse_number(surface: str) -> float | None:
    """The number a surface spells: "3000", "10,000", "10k", "1.5 million", "four thousand",
    "a million and a half". None for vague or ranged wording ("thousands", "1,000 to 1,100")."""
    tokens = [t for t in re.split(r"[\s\-]+|,(?!\d)", surface.lower()) if t and t != "and"]
    total = current = 0.0
    last_scale = math.inf
    seen = False
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        digits = _DIGITS.fullmatch(token)
        if digits:
            current += float(digits[1].replace(",", "")) * _SUFFIXES.get(digits[2] or "", 1)
        elif token in _UNITS or token in _TENS:
            current += _UNITS.get(token, 0) + _TENS.get(token, 0)
        elif token in ("a", "an"):
            if following != "half":
                current += 1
        elif token == "half":
            if following in _SCALES:
                current += 0.5
            elif last_scale < math.inf:
                total += last_scale / 2
            else:
                current += 0.5
        elif token == "hundred":
            current = (current or 1) * 100
        elif token in _SCALES:
            if _SCALES[token] >= last_scale:
                return None  # "a million, a million and a half" is a range, not one number
            total += (current or 1) * _SCALES[token]
            current, last_scale = 0.0, _SCALES[token]
        else:
            return None
        seen = True
    return total + current if seen else None


# --- comparing fields --------------------------------------------------------

_TITLES = frozenset(
    _words(
        "mr mrs ms dr sir president vice prime minister secretary general gen maj major lt col "
        "colonel press spokesperson spokesman spokeswoman chief head governor gov mayor sen senator "
        "rep"
    )
)
_GENERIC = frozenset(
    _words(
        "the of a an and for to in on at us ministry department government officials official "
        "authority authorities agency office source sources"
    )
)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", text.lower()).split())


@functools.lru_cache(maxsize=1)
def _actor_words() -> dict[str, str]:
    """One-word actor aliases from data/domain ("french" -> "france").

    So "French government" matches "France government"."""
    domain = load_domain(DEFAULT_DOMAIN_DIR)
    return {
        _norm(alias): _norm(actor)
        for alias, actor in domain.actor_aliases.items()
        if len(_norm(alias).split()) == 1 and len(_norm(actor).split()) == 1
    }


def speakers_match(gold: str | None, system: str | None) -> bool:
    """Speakers match on a person's last name or on an organisation's main words."""
    if gold is None or system is None:
        return gold is system
    if _norm(gold) == _norm(system):
        return True
    aliases = _actor_words()
    gold_words = [aliases.get(w, w) for w in _norm(gold).split() if w not in _TITLES | _GENERIC]
    system_words = [aliases.get(w, w) for w in _norm(system).split() if w not in _TITLES | _GENERIC]
    if not gold_words or not system_words:
        return False
    if gold_words[-1] == system_words[-1] or set(gold_words) & set(system_words):
        return True
    # an acronym matches the name it abbreviates: "NDMA" = National Disaster Management Authority
    return _initials(gold) == _norm(system) or _initials(system) == _norm(gold)


def _initials(name: str) -> str:
    words = [w for w in _norm(name).split() if w not in {"of", "the", "and", "for"}]
    return "".join(w[0] for w in words) if len(words) > 1 else ""


def sides_match(gold: str | None, system: str | None) -> bool:
    if gold is None or system is None:
        return gold is system
    return _norm(gold) == _norm(system)


def dates_match(gold: str | None, system: str | None) -> bool:
    """Exact, except that a gold month ("2024-10") matches any day of that month."""
    if gold is None or system is None:
        return gold is system
    return system == gold or (len(gold) == 7 and system.startswith(gold + "-"))


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def _same_interval(a: tuple[float | None, ...], b: tuple[float | None, ...]) -> bool:
    return all(_same(x, y) for x, y in zip(a, b, strict=True))


def _interval(claim: Claim | GoldClaim) -> tuple[float | None, float | None, float | None]:
    return (claim.value, claim.low, claim.high)


# --- matching ----------------------------------------------------------------


def _occurrences(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _candidates(
    gold: GoldClaim, claims: Sequence[tuple[int, Claim]], text: str
) -> Iterable[tuple[tuple[int, int], int]]:
    """(rank, system index) for every system claim that may match this gold claim; lower rank is better."""
    starts = _occurrences(text, gold.quote)
    if not starts:
        raise GoldError(f"{gold.article}: gold quote not found in the article text: {gold.quote!r}")
    surfaces = [(s + o, s + o + len(gold.surface)) for s in starts for o in _occurrences(gold.quote, gold.surface)]
    written = parse_number(gold.surface)
    gold_values = [v for v in (*_interval(gold), written) if v is not None]
    for index, claim in claims:
        if not any(s <= claim.start and claim.end <= s + len(gold.quote) for s in starts):
            continue
        system_values = [v for v in _interval(claim) if v is not None]
        if gold_values and not any(_same(a, b) for a in gold_values for b in system_values):
            continue
        if _same_interval(_interval(claim), _interval(gold)):
            agreement = 0
        elif _same(claim.value, gold.value):
            agreement = 1
        else:
            agreement = 2
        on_surface = any(claim.start < end and start < claim.end for start, end in surfaces)
        yield (agreement, 0 if on_surface else 1), index


def match(claims: Sequence[Claim], texts: Mapping[str, str], gold: Sequence[GoldClaim]) -> list[tuple[int, int]]:
    """One-to-one (gold index, system index) pairs, best-agreeing pairs first."""
    by_article: dict[str, list[tuple[int, Claim]]] = defaultdict(list)
    for index, claim in enumerate(claims):
        by_article[claim.article].append((index, claim))
    candidates = []
    for g_index, g in enumerate(gold):
        if g.article not in texts:
            raise GoldError(f"{g.article}: article named in the gold file was not analysed")
        for rank, s_index in _candidates(g, by_article[g.article], texts[g.article]):
            candidates.append((rank, g_index, s_index))
    pairs: list[tuple[int, int]] = []
    used_gold: set[int] = set()
    used_system: set[int] = set()
    for _rank, g_index, s_index in sorted(candidates):
        if g_index not in used_gold and s_index not in used_system:
            pairs.append((g_index, s_index))
            used_gold.add(g_index)
            used_system.add(s_index)
    return sorted(pairs)


# --- scores ------------------------------------------------------------------


def _ratio(hits: int, total: int, *, other_total: int) -> float:
    """hits/total, or 1.0 when both sides are empty and 0.0 when only this one is."""
    if total == 0:
        return 1.0 if other_total == 0 else 0.0
    return hits / total


def _prf(system: set[tuple[int, int]], gold: set[tuple[int, int]]) -> tuple[float, float, float]:
    hits = len(system & gold)
    precision = _ratio(hits, len(system), other_total=len(gold))
    recall = _ratio(hits, len(gold), other_total=len(system))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _accuracy(results: list[bool]) -> float:
    return sum(results) / len(results) if results else 0.0


def _number(value: float | None) -> str:
    if value is None:
        return "null"
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


def _mismatches(g: GoldClaim, s: Claim) -> list[tuple[str, str, str]]:
    checks = [
        ("value", _same(g.value, s.value), _number(g.value), _number(s.value)),
        ("qualifier", g.qualifier == s.qualifier, g.qualifier.value, s.qualifier.value),
        ("speaker", speakers_match(g.speaker, s.speaker), repr(g.speaker), repr(s.speaker)),
        ("side", sides_match(g.side, s.side), repr(g.side), repr(s.side)),
        ("date", dates_match(g.claim_date, s.claim_date), repr(g.claim_date), repr(s.claim_date)),
    ]
    return [(name, want, got) for name, ok, want, got in checks if not ok]


def _error_lines(claims: Sequence[Claim], gold: Sequence[GoldClaim], pairs: list[tuple[int, int]]) -> tuple[str, ...]:
    system_of = dict(pairs)
    matched_system = set(system_of.values())
    lines = []
    for g_index, g in enumerate(gold):
        if g_index not in system_of:
            lines.append(f"missed     {g.article}: {g.surface!r} ({_number(g.value)}) in {g.quote!r}")
            continue
        for name, want, got in _mismatches(g, claims[system_of[g_index]]):
            lines.append(f"{name:<10} {g.article}: {g.surface!r} in {g.quote!r}: gold {want}, system {got}")
    for s_index, s in sorted(enumerate(claims), key=lambda item: (item[1].article, item[1].start)):
        if s_index not in matched_system:
            sentence = " ".join(s.sentence.split())
            lines.append(f"spurious   {s.article}:{s.start}: {s.surface!r} in {sentence[:120]!r}")
    return tuple(lines)


def score(claims: Sequence[Claim], texts: Mapping[str, str], gold: Sequence[GoldClaim]) -> Scores:
    """Score system count claims (kind == Kind.COUNT) against gold; texts maps article name -> text."""
    pairs = match(claims, texts, gold)
    matched = [(gold[g], claims[s]) for g, s in pairs]
    precision = _ratio(len(pairs), len(claims), other_total=len(gold))
    recall = _ratio(len(pairs), len(gold), other_total=len(claims))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    gold_pairs, system_pairs, gold_diverging, system_diverging = set(), set(), set(), set()
    for (i, (gi, si)), (j, (gj, sj)) in combinations(enumerate(matched), 2):
        if gi.referent == gj.referent:
            gold_pairs.add((i, j))
            if not _same_interval(_interval(gi), _interval(gj)):
                gold_diverging.add((i, j))
        if si.referent is not None and si.referent == sj.referent:
            system_pairs.add((i, j))
            diverges = si.referent_status == sj.referent_status == GroupStatus.DIVERGES
            if diverges and not _same_interval(_interval(si), _interval(sj)):
                system_diverging.add((i, j))
    referent = _prf(system_pairs, gold_pairs)
    discrepancy = _prf(system_diverging, gold_diverging)

    return Scores(
        gold=len(gold),
        system=len(claims),
        matched=len(pairs),
        claim_precision=precision,
        claim_recall=recall,
        claim_f1=f1,
        value_accuracy=_accuracy([_same(g.value, s.value) for g, s in matched]),
        qualifier_accuracy=_accuracy([g.qualifier == s.qualifier for g, s in matched]),
        speaker_accuracy=_accuracy([speakers_match(g.speaker, s.speaker) for g, s in matched]),
        side_accuracy=_accuracy([sides_match(g.side, s.side) for g, s in matched]),
        date_accuracy=_accuracy([dates_match(g.claim_date, s.claim_date) for g, s in matched]),
        referent_precision=referent[0],
        referent_recall=referent[1],
        referent_f1=referent[2],
        discrepancy_precision=discrepancy[0],
        discrepancy_recall=discrepancy[1],
        discrepancy_f1=discrepancy[2],
        errors=_error_lines(claims, gold, pairs),
    )


def evaluate(articles_dir: Path, gold_path: Path, *, config: Config) -> Scores:
    """Run the analysis on a folder of articles and score it against a gold file."""
    from .pipeline import analyse  # the pipeline imports every stage; scoring alone needs none

    gold = load_gold(gold_path)
    if not articles_dir.is_dir():
        raise GoldError(f"{articles_dir}: no such folder of articles")
    absent = sorted({g.article for g in gold if not (articles_dir / g.article).is_file()})
    if absent:
        raise GoldError(f"{gold_path}: {len(absent)} gold article(s) missing from {articles_dir}: {absent[0]}")
    analysis = analyse([articles_dir], config=config)
    texts = {article.name: article.text for article in analysis.articles}
    failed = {Path(f.path).name: f.message for f in analysis.failures}
    unread = sorted({g.article for g in gold} - set(texts))
    if unread:
        raise GoldError(f"gold article could not be analysed: {failed.get(unread[0], unread[0])}")
    claims = [c for c in analysis.claims if c.kind == Kind.COUNT]
    logger.info("scoring %d count claims against %d gold claims", len(claims), len(gold))
    return score(claims, texts, gold)


def format_scores(scores: Scores) -> str:
    """A small aligned table: the counts, then one metric per line with 3 decimals."""
    width = max(len(name) for name in METRICS)
    lines = [f"gold {scores.gold}  system {scores.system}  matched {scores.matched}"]
    lines += [f"{name:<{width}}  {getattr(scores, name):.3f}" for name in METRICS]
    return "\n".join(lines)


# --- floors ------------------------------------------------------------------


def load_floors(path: Path, *, key: str | None = None) -> dict[str, float]:
    """Read pinned score floors: a JSON object of metric -> floor, or of key -> such objects."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such floors file") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: not a JSON floors file ({exc})") from None
    if key is not None:
        if not isinstance(data, dict) or key not in data:
            keys = ", ".join(sorted(data)) if isinstance(data, dict) else "none"
            raise ConfigError(f"{path}: no floors for {key!r} (the file has: {keys})")
        data = data[key]
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: floors must be a JSON object of metric name -> number")
    floors = {}
    for name, floor in data.items():
        if name not in METRICS:
            raise ConfigError(f"{path}: unknown metric {name!r} (allowed: {', '.join(METRICS)})")
        if isinstance(floor, bool) or not isinstance(floor, int | float) or not 0 <= floor <= 1:
            raise ConfigError(f"{path}: floor for {name} is {floor!r}; use a number from 0 to 1")
        floors[name] = float(floor)
    return floors


def check_floors(scores: Scores, floors: Mapping[str, float]) -> list[str]:
    """One line for each metric that falls under its floor (or is not a metric at all)."""
    problems = []
    order = {name: i for i, name in enumerate(METRICS)}
    for name, floor in sorted(floors.items(), key=lambda item: (order.get(item[0], len(order)), item[0])):
        if name not in METRICS:
            problems.append(f"{name}: not a metric (allowed: {', '.join(METRICS)})")
        elif getattr(scores, name) < floor - 1e-9:
            problems.append(f"{name} {getattr(scores, name):.3f} is under its floor {floor:.3f}")
    return problems
