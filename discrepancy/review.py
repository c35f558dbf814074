"""Desk review: what people decided about referents and claims, kept in the store so it survives reruns.

Decisions live in their own tables of the same SQLite file (``review_*``, with their own schema
version) and are keyed by referent id and claim id (``article:start``), which the pipeline derives
from the text, so a rerun finds them again. ``apply_decisions`` lays them over freshly grouped
results. Timestamps are passed in by the caller: this module never reads the clock.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .compare import compare_referent
from .config import Config
from .domain import load_domain
from .errors import DiscrepancyError, StoreError
from .store import SqliteTables, Store
from .types import Article, Claim, Comparison, GroupStatus, Kind, Referent

log = logging.getLogger(__name__)


class ReviewError(DiscrepancyError):
    """A review decision names something that does not exist or is not allowed."""


class ReviewStatus(StrEnum):
    UNREVIEWED = "unreviewed"
    IN_PROGRESS = "in progress"
    CONFIRMED = "confirmed"  # a real discrepancy
    EXPLAINED = "explained"  # not a real one: different scopes or dates; needs a note
    WRONG_EXTRACTION = "wrong extraction"

    @classmethod
    def parse(cls, text: str) -> ReviewStatus:
        """Accept "in progress", "in-progress" and "in_progress" alike."""
        wanted = " ".join(text.replace("-", " ").replace("_", " ").lower().split())
        for status in cls:
            if status.value == wanted:
                return status
        allowed = ", ".join(repr(s.value) for s in cls)
        raise ReviewError(f"status {text!r}: not a review status; use one of {allowed}")


SETTLED = frozenset({ReviewStatus.CONFIRMED, ReviewStatus.EXPLAINED, ReviewStatus.WRONG_EXTRACTION})


@dataclass(frozen=True)
class ReferentReview:
    referent: str
    status: ReviewStatus
    note: str
    by: str
    at: str
    seen_claims: tuple[str, ...]  # the referent's claim ids when this was decided


@dataclass(frozen=True)
class ClaimMark:
    claim: str
    wrong: bool  # a wrong claim is dismissed: it leaves its referent
    note: str
    correction: str
    referent: str | None  # where the claim was when marked
    by: str
    at: str


@dataclass(frozen=True)
class ClaimMove:
    claim: str
    referent: str
    label: str | None  # label for a referent the move creates (a split)
    by: str
    at: str


@dataclass(frozen=True)
class Merge:
    into: str  # A in "A <- B"
    absorbed: str  # B
    by: str
    at: str


@dataclass(frozen=True)
class Split:
    referent: str
    new_referent: str
    label: str
    claims: tuple[str, ...]
    by: str
    at: str


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: str
    by: str
    action: str  # "status", "claim", "move", "merge", "split"
    target: str
    detail: Mapping[str, object]


@dataclass(frozen=True)
class Decisions:
    """Every standing decision, by key. Empty when nobody has reviewed anything yet."""

    referents: Mapping[str, ReferentReview] = field(default_factory=dict)
    marks: Mapping[str, ClaimMark] = field(default_factory=dict)
    moves: Mapping[str, ClaimMove] = field(default_factory=dict)
    merges: Mapping[str, Merge] = field(default_factory=dict)  # keyed by the absorbed referent
    splits: tuple[Split, ...] = ()

    def merged_into(self, referent: str) -> str:
        """Where a referent ended up after every merge (A <- B, C <- A: B is in C)."""
        seen = {referent}
        while referent in self.merges:
            referent = self.merges[referent].into
            if referent in seen:  # merge() refuses cycles; a hand-edited store must not hang
                break
            seen.add(referent)
        return referent

    def dismissed(self, claim: str) -> bool:
        mark = self.marks.get(claim)
        return bool(mark and mark.wrong)


@dataclass(frozen=True)
class ReviewItem:
    """A referent as the desk sees it: the comparison, its review and whether it needs a look."""

    comparison: Comparison
    review: ReferentReview | None
    new_claims: tuple[str, ...]  # claims that arrived after a confirmed/explained verdict

    @property
    def status(self) -> ReviewStatus:
        return self.review.status if self.review else ReviewStatus.UNREVIEWED

    @property
    def updated_since_review(self) -> bool:
        return bool(self.new_claims)

    @property
    def is_open(self) -> bool:
        return self.status not in SETTLED or self.updated_since_review

    @property
    def status_text(self) -> str:
        return f"{self.status.value}, updated since review" if self.updated_since_review else self.status.value


# ---------------------------------------------------------------- applying decisions


def apply_decisions(
    claims: Sequence[Claim], comparisons: Sequence[Comparison], decisions: Decisions
) -> tuple[list[Claim], list[Comparison]]:
    """Lay the stored decisions over freshly grouped results: dismissals, moves, then merges.

    Referents the decisions do not touch keep their comparison as it was (with its notes);
    touched ones are compared again. Claims keep their order; comparisons come sorted by id.
    """
    by_id = {c.referent.id: c for c in comparisons}
    target: dict[str, str | None] = {}
    for claim in claims:
        if claim.kind is not Kind.COUNT or claim.referent is None:
            continue
        where: str | None = claim.referent
        if decisions.dismissed(claim.id):
            where = None
        elif claim.id in decisions.moves:
            where = decisions.moves[claim.id].referent
        if where is not None:
            where = decisions.merged_into(where)
        if where != claim.referent:
            target[claim.id] = where
    if not target:
        return list(claims), sorted(comparisons, key=lambda c: c.referent.id)

    # claims the comparisons left out (relayed wire copies) follow their referent but stay out of it
    compared = {claim.id for comparison in comparisons for claim in comparison.referent.claims}
    touched = {r for r in target.values() if r is not None}
    touched |= {c.referent for c in claims if c.id in target and c.referent is not None}
    labels = _labels(comparisons, decisions)
    members: dict[str, list[Claim]] = {r: [] for r in touched}
    origin: dict[str, Referent] = {}
    for claim in claims:
        if claim.kind is not Kind.COUNT or claim.referent is None:
            continue
        where = target.get(claim.id, claim.referent)
        if where in members and claim.id in compared:
            members[where].append(claim)
            if claim.referent in by_id:
                origin.setdefault(where, by_id[claim.referent].referent)

    result = {rid: c for rid, c in by_id.items() if rid not in touched}
    for rid, group in members.items():
        if not group:
            continue
        base = by_id[rid].referent if rid in by_id else origin[rid]
        referent = dataclasses.replace(
            base,
            id=rid,
            label=labels.get(rid, base.label),
            claims=tuple(dataclasses.replace(c, referent=rid) for c in group),
        )
        result[rid] = compare_referent(referent)

    status = {rid: (c.referent.label, c.status) for rid, c in result.items()}
    updated = []
    for claim in claims:
        if claim.id in target:
            where = target[claim.id]
            if where is None:
                claim = dataclasses.replace(claim, referent=None, referent_label=None, referent_status=None)
            else:
                label, group_status = status[where]
                claim = dataclasses.replace(claim, referent=where, referent_label=label, referent_status=group_status)
        elif claim.referent in touched and claim.referent in status:
            label, group_status = status[claim.referent]
            claim = dataclasses.replace(claim, referent_label=label, referent_status=group_status)
        updated.append(claim)
    final = []
    for rid in sorted(result):
        comparison = result[rid]
        referent = comparison.referent
        fresh = (
            tuple(c for c in updated if c.referent == rid and c.id in compared) if rid in touched else referent.claims
        )
        final.append(dataclasses.replace(comparison, referent=dataclasses.replace(referent, claims=fresh)))
    return updated, final


def _labels(comparisons: Sequence[Comparison], decisions: Decisions) -> dict[str, str]:
    labels = {c.referent.id: c.referent.label for c in comparisons}
    for split in decisions.splits:
        labels.setdefault(split.new_referent, split.label)
    for move in decisions.moves.values():
        if move.label:
            labels.setdefault(move.referent, move.label)
    return labels


def review_items(comparisons: Sequence[Comparison], decisions: Decisions) -> list[ReviewItem]:
    """Diverging referents and every reviewed one, open items first.

    Order: updated since review, then unreviewed and in progress (widest spread first), then
    settled ones by label.
    """
    items = []
    for comparison in comparisons:
        review = decisions.referents.get(comparison.referent.id)
        if comparison.status is not GroupStatus.DIVERGES and review is None:
            continue
        new: tuple[str, ...] = ()
        if review is not None and review.status in (ReviewStatus.CONFIRMED, ReviewStatus.EXPLAINED):
            seen = set(review.seen_claims)
            fresh = sorted((c for c in comparison.referent.claims if c.id not in seen), key=_claim_key)
            new = tuple(c.id for c in fresh)
        items.append(ReviewItem(comparison, review, new))
    return sorted(items, key=item_order)


def _claim_key(claim: Claim) -> tuple[str, int]:
    return (claim.article, claim.start)


def open_items(comparisons: Sequence[Comparison], decisions: Decisions) -> list[ReviewItem]:
    """The items still needing a decision, in review order."""
    return [item for item in review_items(comparisons, decisions) if item.is_open]


def item_order(item: ReviewItem) -> tuple[int, float, str, str]:
    rank = 0 if item.updated_since_review else 1 if item.is_open else 2
    spread = item.comparison.spread or 0.0
    return (rank, -spread if rank < 2 else 0.0, item.comparison.referent.label, item.comparison.referent.id)


def format_items(items: Sequence[ReviewItem]) -> str:
    """Review items as plain text for a terminal, one block per referent."""
    blocks = []
    for item in items:
        comparison, referent = item.comparison, item.comparison.referent
        values = sorted({_number(c) for c in referent.claims if _number(c) is not None})
        shown = ", ".join(f"{v:,.0f}" for v in values[:8]) + (" ..." if len(values) > 8 else "")
        spread = f", spread {comparison.spread:.1f}x" if comparison.spread else ""
        lines = [
            f"[{item.status_text}] {referent.id}",
            f"    {referent.label}: {len(referent.claims)} claims ({shown}){spread}",
        ]
        if item.review and (item.review.note or item.review.status is not ReviewStatus.UNREVIEWED):
            note = f" {item.review.note!r}" if item.review.note else ""
            lines.append(f"    {item.review.status.value} by {item.review.by} at {item.review.at}:{note}")
        lines += [f"    new since review: {claim}" for claim in item.new_claims]
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def _number(claim: Claim) -> float | None:
    for candidate in (claim.value, claim.low, claim.high):
        if candidate is not None:
            return candidate
    return None


# ---------------------------------------------------------------- the stored state

# Numbered migrations of the review tables: REVIEW_MIGRATIONS[i] goes from version i to i + 1.
_CLAIM_ID = "CHECK (instr({0}, ':') > 0)"
REVIEW_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE IF NOT EXISTS review_schema_version (version INTEGER NOT NULL)",
        f"""CREATE TABLE IF NOT EXISTS review_referents (
            referent TEXT PRIMARY KEY,
            status TEXT NOT NULL CHECK (status IN ({", ".join(repr(s.value) for s in ReviewStatus)})),
            note TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL,
            seen_claims TEXT NOT NULL
        )""",
        f"""CREATE TABLE IF NOT EXISTS review_claims (
            claim TEXT PRIMARY KEY {_CLAIM_ID.format("claim")},
            wrong INTEGER NOT NULL CHECK (wrong IN (0, 1)),
            note TEXT NOT NULL, correction TEXT NOT NULL, referent TEXT,
            by TEXT NOT NULL, at TEXT NOT NULL
        )""",
        f"""CREATE TABLE IF NOT EXISTS review_moves (
            claim TEXT PRIMARY KEY {_CLAIM_ID.format("claim")},
            referent TEXT NOT NULL, label TEXT, by TEXT NOT NULL, at TEXT NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS review_merges (
            absorbed TEXT PRIMARY KEY,
            into_referent TEXT NOT NULL CHECK (into_referent != absorbed),
            by TEXT NOT NULL, at TEXT NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS review_splits (
            new_referent TEXT PRIMARY KEY,
            referent TEXT NOT NULL, label TEXT NOT NULL, claims TEXT NOT NULL,
            by TEXT NOT NULL, at TEXT NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS review_history (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL, by TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,
            detail TEXT NOT NULL
        )""",
    ),
)
REVIEW_SCHEMA_VERSION = len(REVIEW_MIGRATIONS)


@dataclass(frozen=True)
class ReviewView:
    """What the desk reviews: the stored analysis regrouped, with the decisions applied."""

    articles: Mapping[str, Article]
    claims: tuple[Claim, ...]  # all kinds, decisions applied
    comparisons: tuple[Comparison, ...]  # decisions applied
    decisions: Decisions

    @property
    def items(self) -> list[ReviewItem]:
        return review_items(self.comparisons, self.decisions)

    @property
    def orphans(self) -> list[ReferentReview]:
        """Verdicts on referents the current grouping no longer produces (their id changed)."""
        present = {c.referent.id for c in self.comparisons}
        return [
            review
            for rid, review in self.decisions.referents.items()
            if rid not in present and rid not in self.decisions.merges
        ]

    def comparison(self, referent: str) -> Comparison:
        for comparison in self.comparisons:
            if comparison.referent.id == referent:
                return comparison
        raise ReviewError(f"no referent {referent!r} in the store; `discrepancy review` lists them")

    def claim(self, claim_id: str) -> Claim:
        for claim in self.claims:
            if claim.id == claim_id and claim.kind is Kind.COUNT:
                return claim
        raise ReviewError(
            f"no count claim {claim_id!r} in the store; claim ids are ARTICLE:OFFSET as in the review page"
        )


def load_view(config: Config) -> ReviewView:
    """Read the store, regroup its claims as a run would, and apply the decisions. Writes nothing."""
    if not Path(config.db_path).is_file():
        raise StoreError(f"{config.db_path}: no store yet; run `discrepancy run` first")
    from .pipeline import compare_all  # imported here: the pipeline imports this module

    with Store(config.db_path) as store:
        articles = store.load_articles()
        stored = store.load_claims()
    claims, comparisons = compare_all(articles, stored, domain=load_domain(config.domain_dir))
    with ReviewStore(config.db_path) as review:
        decisions = review.decisions()
    claims, comparisons = apply_decisions(claims, comparisons, decisions)
    return ReviewView({a.name: a for a in articles}, tuple(claims), tuple(comparisons), decisions)


class ReviewStore(SqliteTables):
    """The review tables of a discrepancy store. Use as a context manager."""

    def __init__(self, path: Path, *, timeout: float = 10.0) -> None:
        self.path = Path(path)
        Store(self.path, timeout=timeout).close()  # the main tables first: Store refuses foreign files
        try:
            self._conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._migrate()
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the review tables ({exc})") from exc

    def _migrate(self) -> None:
        tables = {row[0] for row in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        current = 0
        if "review_schema_version" in tables:
            current = self._conn.execute("SELECT max(version) FROM review_schema_version").fetchone()[0] or 0
        if current > REVIEW_SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: review schema version {current} is newer than this discrepancy "
                f"({REVIEW_SCHEMA_VERSION}); upgrade discrepancy"
            )
        for version in range(current + 1, REVIEW_SCHEMA_VERSION + 1):
            with self._write(f"migrate the review tables to version {version}") as conn:
                for statement in REVIEW_MIGRATIONS[version - 1]:
                    conn.execute(statement)
                conn.execute("DELETE FROM review_schema_version")
                conn.execute("INSERT INTO review_schema_version (version) VALUES (?)", (version,))

    def _history(
        self, conn: sqlite3.Connection, *, action: str, target: str, by: str, at: str, **detail: object
    ) -> None:
        conn.execute(
            "INSERT INTO review_history (at, by, action, target, detail) VALUES (?, ?, ?, ?, ?)",
            (at, by, action, target, json.dumps(detail, sort_keys=True, ensure_ascii=False)),
        )

    # decisions; each checks against the current view and writes one history row

    def set_status(
        self, view: ReviewView, referent: str, status: ReviewStatus, *, note: str = "", by: str, at: str
    ) -> ReferentReview:
        comparison = view.comparison(referent)
        status = ReviewStatus(status)
        _require(by=by, at=at)
        if status is ReviewStatus.EXPLAINED and not note.strip():
            raise ReviewError(f"{referent}: 'explained' needs a note saying why (different scope, date...)")
        seen = tuple(sorted(c.id for c in comparison.referent.claims))
        with self._write(f"review {referent}") as conn:
            conn.execute(
                "INSERT OR REPLACE INTO review_referents VALUES (?, ?, ?, ?, ?, ?)",
                (referent, status.value, note, by, at, json.dumps(seen)),
            )
            self._history(conn, action="status", target=referent, by=by, at=at, status=status.value, note=note)
        return ReferentReview(referent, status, note, by, at, seen)

    def mark_claim(
        self, view: ReviewView, claim_id: str, *, wrong: bool = True, note: str = "", correction: str = "",
        by: str, at: str,
    ) -> ClaimMark:  # fmt: skip
        claim = _claim_or_dismissed(view, claim_id)
        _require(by=by, at=at)
        if wrong and not (note.strip() or correction.strip()):
            raise ReviewError(f"{claim_id}: say what is wrong with a note or a correction")
        referent = claim.referent if claim else view.decisions.marks[claim_id].referent
        with self._write(f"mark claim {claim_id}") as conn:
            conn.execute(
                "INSERT OR REPLACE INTO review_claims VALUES (?, ?, ?, ?, ?, ?, ?)",
                (claim_id, int(wrong), note, correction, referent, by, at),
            )
            self._history(
                conn,
                action="claim",
                target=claim_id,
                by=by,
                at=at,
                wrong=wrong,
                note=note,
                correction=correction,
            )
        return ClaimMark(claim_id, wrong, note, correction, referent, by, at)

    def move_claim(
        self, view: ReviewView, claim_id: str, referent: str, *, by: str, at: str, label: str | None = None
    ) -> ClaimMove:
        claim = view.claim(claim_id)
        _require(by=by, at=at)
        if label is None:
            view.comparison(referent)
        with self._write(f"move claim {claim_id}") as conn:
            conn.execute(
                "INSERT OR REPLACE INTO review_moves VALUES (?, ?, ?, ?, ?)",
                (claim_id, referent, label, by, at),
            )
            self._history(conn, action="move", target=claim_id, by=by, at=at, source=claim.referent, referent=referent)
        return ClaimMove(claim_id, referent, label, by, at)

    def merge(self, view: ReviewView, into: str, absorbed: str, *, by: str, at: str) -> Merge:
        """Merge referent ``absorbed`` into ``into`` (A <- B): B's claims join A, now and after reruns."""
        view.comparison(into)
        view.comparison(absorbed)
        _require(by=by, at=at)
        if into == absorbed:
            raise ReviewError(f"{into}: cannot merge a referent into itself")
        with self._write(f"merge {absorbed} into {into}") as conn:
            conn.execute("INSERT OR REPLACE INTO review_merges VALUES (?, ?, ?, ?)", (absorbed, into, by, at))
            self._history(conn, action="merge", target=into, by=by, at=at, absorbed=absorbed)
        return Merge(into, absorbed, by, at)

    def split(
        self, view: ReviewView, referent: str, claim_ids: Sequence[str], *, label: str, by: str, at: str
    ) -> Split:
        """Move some claims of a referent to a new referent of their own, named ``label``."""
        members = {c.id for c in view.comparison(referent).referent.claims}
        strangers = sorted(set(claim_ids) - members)
        if strangers or not claim_ids:
            raise ReviewError(f"{referent}: choose claims of this referent to split off (not {strangers})")
        if set(claim_ids) == members:
            raise ReviewError(f"{referent}: a split must leave at least one claim behind")
        _require(by=by, at=at, label=label)
        taken = {row[0] for row in self._conn.execute("SELECT new_referent FROM review_splits")}
        number = 1
        while f"{referent}~{number}" in taken:
            number += 1
        new = f"{referent}~{number}"
        claims = tuple(sorted(claim_ids))
        with self._write(f"split {referent}") as conn:
            conn.execute(
                "INSERT INTO review_splits VALUES (?, ?, ?, ?, ?, ?)",
                (new, referent, label, json.dumps(claims), by, at),
            )
            conn.executemany(
                "INSERT OR REPLACE INTO review_moves VALUES (?, ?, ?, ?, ?)",
                [(claim, new, label, by, at) for claim in claims],
            )
            self._history(conn, action="split", target=referent, by=by, at=at, new=new, label=label, claims=claims)
        return Split(referent, new, label, claims, by, at)

    # reading

    def decisions(self) -> Decisions:
        conn = self._conn
        referents = {
            row[0]: ReferentReview(row[0], ReviewStatus(row[1]), row[2], row[3], row[4], tuple(json.loads(row[5])))
            for row in conn.execute("SELECT * FROM review_referents ORDER BY referent")
        }
        marks = {
            row[0]: ClaimMark(row[0], bool(row[1]), *row[2:])
            for row in conn.execute("SELECT * FROM review_claims ORDER BY claim")
        }
        moves = {row[0]: ClaimMove(*row) for row in conn.execute("SELECT * FROM review_moves ORDER BY claim")}
        merges = {
            row[0]: Merge(row[1], row[0], row[2], row[3])
            for row in conn.execute("SELECT * FROM review_merges ORDER BY absorbed")
        }
        splits = tuple(
            Split(row[1], row[0], row[2], tuple(json.loads(row[3])), row[4], row[5])
            for row in conn.execute("SELECT * FROM review_splits ORDER BY new_referent")
        )
        return Decisions(referents, marks, moves, merges, splits)

    def history(self, target: str | None = None) -> list[HistoryEntry]:
        """Every decision ever made (or those about ``target``), oldest first."""
        query = "SELECT id, at, by, action, target, detail FROM review_history"
        rows = self._conn.execute(
            query + (" WHERE target = ?" if target else "") + " ORDER BY id", (target,) if target else ()
        )
        return [HistoryEntry(*row[:5], json.loads(row[5])) for row in rows]


def _require(**values: str) -> None:
    for name, value in values.items():
        if not value or not value.strip():
            raise ReviewError(f"{name}: must not be empty")


def _claim_or_dismissed(view: ReviewView, claim_id: str) -> Claim | None:
    """The claim, or None when it is already dismissed (and so in no referent)."""
    if claim_id in view.decisions.marks:
        for claim in view.claims:
            if claim.id == claim_id:
                return claim if claim.referent else None
    return view.claim(claim_id)
