"""Records passed between the pipeline stages.

ingest -> Article; extract -> Claim (value fields); attribute/dates -> Claim
(speaker and date fields filled); group -> Referent; compare -> Comparison.
Stages fill later fields with ``dataclasses.replace``; every record is frozen.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum


class Qualifier(StrEnum):
    EXACT = "exact"
    APPROX = "approx"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    UP_TO = "up_to"
    LESS_THAN = "less_than"
    RANGE = "range"
    VAGUE = "vague"


class Kind(StrEnum):
    """What a number is. Only ``COUNT`` numbers are claims."""

    COUNT = "count"
    DATE = "date"
    YEAR = "year"
    TIME = "time"
    AGE = "age"
    DURATION = "duration"
    MONEY = "money"
    PERCENT = "percent"
    MEASURE = "measure"
    ORDINAL = "ordinal"
    OTHER = "other"


class GroupStatus(StrEnum):
    SINGLE = "single"
    AGREES = "agrees"
    DIVERGES = "diverges"


class PairRelation(StrEnum):
    CONFLICT = "conflict"
    UPDATE = "update"
    COMPATIBLE = "compatible"


@dataclass(frozen=True)
class Article:
    """One news article as read from disk. All offsets refer to ``text``."""

    name: str  # file name; the article's id in reports and exports
    path: str
    text: str  # the decoded file (or the text extracted from HTML)
    body_start: int  # offset where the article proper starts (after front matter)
    content_hash: str  # sha256 of the normalised text
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD
    author: str | None = None
    via: str | None = None  # a source the page credits: "Reuters"
    excluded: tuple[tuple[int, int], ...] = ()  # page furniture: no claims inside


@dataclass(frozen=True)
class Claim:
    """A number found in an article, with what later stages learned about it."""

    article: str
    start: int  # offsets of the number in Article.text
    end: int
    surface: str  # the number as written: "10,000", "several thousand"
    value: float | None  # central value; distributive phrases multiplied out
    low: float | None  # None = open side
    high: float | None
    qualifier: Qualifier
    kind: Kind
    sentence: str
    sentence_start: int
    counted: str = ""  # the counted noun phrase: "Ruritanian soldiers"
    arithmetic: str | None = None  # "2 x 6,000" for distributive phrases
    # scope of what is counted (filled by group.describe_scope, used to build the referent key)
    counted_class: str | None = None  # canonical class: "troops", "dead", "injured"
    actor: str | None = None  # whose: "Ruritania"
    place: str | None = None  # where: "the north"
    event: str | None = None  # status or event: "detained", "forecast"
    # attribute stage
    speaker: str | None = None
    speaker_org: str | None = None
    side: str | None = None
    via: str | None = None
    # dates stage
    claim_date: str | None = None  # YYYY-MM-DD or YYYY-MM
    published: str | None = None
    outlet: str | None = None
    # group stage
    referent: str | None = None
    referent_label: str | None = None
    referent_status: GroupStatus | None = None
    # wire stage: the other articles carrying this claim's sentence (a relayed wire copy)
    carried_by: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.article}:{self.start}"


@dataclass(frozen=True)
class ReferentKey:
    """What a claim counts: the story, the class of thing and its scope."""

    story: str  # id of the cluster of articles about one event
    counted_class: str  # "troops", "dead", "injured"
    actor: str | None = None  # whose: "Ruritania"
    place: str | None = None  # where: "Ruritania", "the north"
    status: str | None = None  # event or status: "deployed", "detained"


@dataclass(frozen=True)
class Referent:
    id: str  # stable: derived from the key, not from run order
    label: str  # "Ruritanian troops in the north"
    key: ReferentKey
    claims: tuple[Claim, ...]


def with_fields(claim: Claim, **changes: object) -> Claim:
    """``dataclasses.replace`` for a Claim, a tenth of its cost: regrouping an archive changes
    a few fields of every stored claim, and ``replace`` runs the whole frozen ``__init__``."""
    unknown = changes.keys() - claim.__dict__.keys()
    if unknown:
        raise TypeError(f"Claim has no fields {sorted(unknown)}")
    changed = object.__new__(Claim)
    changed.__dict__.update(claim.__dict__)
    changed.__dict__.update(changes)
    return changed


@dataclass(frozen=True)
class ClaimPair:
    first: Claim
    second: Claim
    relation: PairRelation


@dataclass(frozen=True)
class Comparison:
    referent: Referent
    status: GroupStatus
    spread: float | None  # largest over smallest central value
    low: float | None  # smallest value (or bound) among the claims
    high: float | None
    sides: tuple[str, ...]
    pairs: tuple[ClaimPair, ...] = ()
    notes: tuple[str, ...] = ()  # e.g. a part that exceeds its whole


@dataclass(frozen=True)
class ArticleFailure:
    path: str
    message: str  # one line naming the file and the problem


def claim_from_fields(values: dict[str, object]) -> Claim:
    """``Claim(**values)`` for values known to be complete and typed, as the store reads them back:
    a rerun loads tens of thousands of claims, and the frozen ``__init__`` sets each field one by one."""
    if values.keys() != _CLAIM_FIELDS:
        raise TypeError(f"Claim fields expected, got {sorted(values)}")
    claim = object.__new__(Claim)
    claim.__dict__.update(values)
    return claim


_CLAIM_FIELDS = {field.name for field in dataclasses.fields(Claim)}
