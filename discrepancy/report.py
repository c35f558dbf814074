"""The markdown report: where sources diverge on a counted quantity, for an editor with two minutes.

The output depends only on its inputs (no clock, everything sorted), so an unchanged rerun
writes the same bytes.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tabulate import tabulate

from .errors import ConfigError
from .review import Decisions, ReviewItem, item_order, review_items
from .types import ArticleFailure, Claim, ClaimPair, Comparison, GroupStatus, PairRelation, Qualifier

log = logging.getLogger(__name__)

EXCERPT_WIDTH = 200  # characters of sentence shown around the number
MISSING = "–"

_PREFIX = {
    Qualifier.EXACT: "",
    Qualifier.APPROX: "about ",
    Qualifier.AT_LEAST: "at least ",
    Qualifier.MORE_THAN: "more than ",
    Qualifier.UP_TO: "up to ",
    Qualifier.LESS_THAN: "fewer than ",
}
_RELATION_RANK = {PairRelation.CONFLICT: 0, PairRelation.UPDATE: 1, PairRelation.COMPATIBLE: 2}
_MARKDOWN_SPECIAL = re.compile(r"([\\|`*])")
_WHITESPACE = re.compile(r"\s+")
_TIMES = re.compile(r"\s+[x*]\s+")


def _one_line(text: str) -> str:
    return _WHITESPACE.sub(" ", text)


def _md(text: str) -> str:
    """Article text made inert in markdown: one line, no table breakers, no HTML, no code spans."""
    text = _one_line(text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")


def _num(number: float) -> str:
    if float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def value_words(claim: Claim) -> str:
    """The claim's value as an editor reads it: "up to 12,000 (2 × 6,000)", "several thousand (2,000+)"."""
    qualifier = Qualifier(claim.qualifier)
    if qualifier is Qualifier.VAGUE:
        if claim.low is None and claim.high is None:
            return claim.surface
        return f"{claim.surface} ({_interval(claim.low, claim.high, sep='–', open_high='+')})"
    if qualifier is Qualifier.RANGE and claim.low is not None and claim.high is not None:
        words = f"{_num(claim.low)}–{_num(claim.high)}"
    else:
        lower_bound = qualifier in (Qualifier.AT_LEAST, Qualifier.MORE_THAN)
        number = claim.value if claim.value is not None else claim.low if lower_bound else claim.high
        if number is None:
            return claim.surface
        words = _PREFIX.get(qualifier, "") + _num(number)
    if claim.arithmetic:
        words += " (" + _TIMES.sub(" × ", claim.arithmetic) + ")"
    return words


def _interval(low: float | None, high: float | None, *, sep: str = " – ", open_high: str = " or more") -> str:
    if low is not None and high is not None:
        return _num(low) if low == high else f"{_num(low)}{sep}{_num(high)}"
    if low is not None:
        return f"{_num(low)}{open_high}"
    if high is not None:
        return f"up to {_num(high)}"
    return MISSING


def _spread(spread: float | None) -> str:
    return MISSING if spread is None else f"{spread:.1f}×"


def _speaker(claim: Claim) -> str:
    if claim.speaker and claim.speaker_org:
        return f"{claim.speaker} ({claim.speaker_org})"
    return claim.speaker or claim.speaker_org or MISSING


def _who(claim: Claim) -> str:
    """Who, from where and when, then the value: 'Jane Smith (France, 2024-10-31): up to 8,000'."""
    name = claim.speaker or claim.speaker_org or claim.outlet or claim.article
    context = ", ".join(part for part in (claim.side, claim.claim_date) if part)
    return f"{name}{f' ({context})' if context else ''}: {value_words(claim)}"


def _excerpt(claim: Claim, *, width: int = EXCERPT_WIDTH) -> str:
    """The sentence, quoted, cut to about ``width`` characters around the number, the number in bold."""
    sentence = claim.sentence
    start, end = claim.start - claim.sentence_start, claim.end - claim.sentence_start
    if not (0 <= start < end <= len(sentence)):
        start = sentence.find(claim.surface)
        end = start + len(claim.surface)
    if start < 0 or not claim.surface:
        return '"' + _md(_cut_after(_one_line(sentence).strip(), width)) + '"'
    before = _one_line(sentence[:start]).lstrip()
    number = _one_line(sentence[start:end])
    after = _one_line(sentence[end:]).rstrip()
    room = max(width - len(number), 0)
    left = max(room // 2, room - len(after))
    right = max(room - min(left, len(before)), 0)
    return f'"{_md(_cut_before(before, left))}**{_md(number)}**{_md(_cut_after(after, right))}"'


def _cut_before(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    kept = text[len(text) - room :]
    if not text[len(text) - room - 1].isspace() and " " in kept:
        kept = kept[kept.index(" ") + 1 :]  # do not start inside a word
    return "…" + kept


def _cut_after(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    kept = text[:room]
    if not text[room].isspace() and " " in kept.strip():
        kept = kept[: kept.rstrip().rindex(" ")]  # do not end inside a word
    return kept.rstrip() + "…"


def _article(claim: Claim) -> str:
    """The claim's article; a relayed wire copy names the other articles that carry it."""
    if not claim.carried_by:
        return claim.article
    return f"{claim.article} (also carried by {', '.join(claim.carried_by)})"


def _claim_order(claim: Claim) -> tuple[bool, str, str, int, int]:
    return (claim.claim_date is None, claim.claim_date or "", claim.article, claim.start, claim.end)


def _pair_weight(pair: ClaimPair) -> tuple[int, float, tuple[str, int], tuple[str, int]]:
    """Conflicts first, then the pair whose numbers lie furthest apart; claim ids break ties."""

    def number(claim: Claim) -> float:
        for candidate in (claim.value, claim.low, claim.high):
            if candidate is not None:
                return candidate
        return 0.0

    values = sorted((number(pair.first), number(pair.second)))
    ratio = values[1] / values[0] if values[0] > 0 else 0.0
    keys = ((pair.first.article, pair.first.start), (pair.second.article, pair.second.start))
    vague = Qualifier.VAGUE in (pair.first.qualifier, pair.second.qualifier)  # "thousands" is a weak finding
    # a relation read back from the store is its value: a StrEnum member is found under its value too
    return (_RELATION_RANK[pair.relation] + (10 if vague else 0), -ratio, *keys)


def _table(rows: Iterable[Sequence[str]], headers: Sequence[str]) -> str:
    return tabulate(list(rows), headers=list(headers), tablefmt="github", disable_numparse=True)


def _diverging_order(comparison: Comparison) -> tuple[bool, float, str, str]:
    spread = comparison.spread
    return (spread is None, -(spread or 0.0), comparison.referent.label, comparison.referent.id)


def _by_label(comparison: Comparison) -> tuple[str, str]:
    return (comparison.referent.label, comparison.referent.id)


def _review_lines(item: ReviewItem) -> list[str]:
    """'- Review: explained by ana at 2025-01-02T10:00:00+00:00: different dates', then what is new."""
    line = f"- Review: {item.status_text}"
    if item.review is not None:
        line += f" by {_md(item.review.by)} at {_md(item.review.at)}"
        if item.review.note.strip():
            line += f": {_md(item.review.note.strip())}"
    new = {claim.id: claim for claim in item.comparison.referent.claims}
    fresh = [_md(_who(new[claim])) for claim in item.new_claims if claim in new]
    return [line] + ([f"- New since review: {'; '.join(fresh)}"] if fresh else [])


MAX_ROWS = 40  # claims listed per referent in the report


def _section(comparison: Comparison, item: ReviewItem | None = None) -> list[str]:
    lines = [f"## {_md(comparison.referent.label)}", ""]
    if item is not None:
        lines += _review_lines(item)
    lines += [f"- Note: {_md(note)}" for note in comparison.notes]
    relations = Counter(pair.relation for pair in comparison.pairs)  # counted by value, read by member
    if comparison.pairs:
        counts = ", ".join(f"{relations[relation]} {relation.value}" for relation in PairRelation)
        main = min(comparison.pairs, key=_pair_weight)
        lines.append(f"- Pairs: {counts}.")
        lines.append(f"- Main finding: {_md(_who(main.first))} vs {_md(_who(main.second))} — {main.relation.value}")
    if len(lines) > 2:
        lines.append("")
    rows = [
        (
            _md(value_words(claim)),
            _md(claim.surface),
            _md(_speaker(claim)),
            _md(claim.side or MISSING),
            claim.claim_date or MISSING,
            _md(_article(claim)),
            _excerpt(claim),
        )
        for claim in sorted(comparison.referent.claims, key=_claim_order)[:MAX_ROWS]
    ]
    lines += [_table(rows, ("Value", "Wording", "Speaker", "Side", "Date", "Article", "Sentence")), ""]
    hidden = len(comparison.referent.claims) - MAX_ROWS
    if hidden > 0:  # a section an editor can read; the export has every claim
        lines += [f"{_plural(hidden, 'more claim')} in `discrepancy export` (referent `{comparison.referent.id}`).", ""]
    return lines


def _short_row(comparison: Comparison, *, single: bool) -> tuple[str, ...]:
    claims = comparison.referent.claims
    value = value_words(claims[0]) if len(claims) == 1 else _interval(comparison.low, comparison.high)
    articles = ", ".join(sorted({_article(claim) for claim in claims}))
    if single:
        speakers = ", ".join(sorted({_speaker(claim) for claim in claims}))
        return (_md(comparison.referent.label), _md(value), _md(speakers), _md(articles))
    return (_md(comparison.referent.label), _md(value), str(len(claims)), _md(articles))


def _diverging_row(comparison: Comparison) -> tuple[str, ...]:
    return (
        _md(comparison.referent.label),
        _interval(comparison.low, comparison.high),
        _spread(comparison.spread),
        str(len(comparison.referent.claims)),
        _md(", ".join(comparison.sides) or MISSING),
    )


def _review_cell(item: ReviewItem) -> str:
    if item.review is None or not item.review.note.strip():
        return item.status_text
    return _md(f"{item.status_text}: {item.review.note.strip()}")


@dataclass(frozen=True)
class ReportPart:
    """What the report shows of one referent, rendered alone: the store keeps it, so a rerun
    renders only the referents that changed and assembles the rest."""

    referent: str
    status: GroupStatus
    order: tuple[object, ...]  # its place among the referents of its status
    row: tuple[str, ...]  # its row in the table of its status
    section: tuple[str, ...] = ()  # a diverging referent's section
    review_cell: str | None = None  # its Review cell in the table of agreeing or single-source referents
    open: bool = False  # open for review

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ReportPart:
        values = json.loads(text)
        return cls(
            values["referent"], GroupStatus(values["status"]), tuple(values["order"]), tuple(values["row"]),
            tuple(values["section"]), values["review_cell"], values["open"],
        )  # fmt: skip


def report_part(comparison: Comparison, decisions: Decisions | None = None) -> ReportPart:
    """One referent's part of the report; with ``decisions`` (even none) the review status shows."""
    items = review_items([comparison], decisions) if decisions is not None else []
    item = items[0] if items else None
    status = GroupStatus(comparison.status)
    if status is not GroupStatus.DIVERGES:
        row = _short_row(comparison, single=status is GroupStatus.SINGLE)
        if item is None:
            return ReportPart(comparison.referent.id, status, _by_label(comparison), row)
        return ReportPart(comparison.referent.id, status, _by_label(comparison), row, review_cell=_review_cell(item),
                          open=item.is_open)  # fmt: skip
    if item is None:
        return ReportPart(comparison.referent.id, status, _diverging_order(comparison), _diverging_row(comparison),
                          tuple(_section(comparison)))  # fmt: skip
    row = (*_diverging_row(comparison), item.status_text)
    return ReportPart(comparison.referent.id, status, item_order(item), row, tuple(_section(comparison, item)),
                      open=item.is_open)  # fmt: skip


def _short_table(parts: Sequence[ReportPart], *, single: bool) -> list[str]:
    """A row per referent; a Review column when one of them has been reviewed (and no longer diverges)."""
    reviewed = any(part.review_cell is not None for part in parts)
    rows = [part.row + ((part.review_cell or "unreviewed",) if reviewed else ()) for part in sorted(parts, key=_order)]
    headers: tuple[str, ...] = (
        ("Referent", "Value", "Source", "Article") if single else ("Referent", "Value", "Claims", "Articles")
    )
    if reviewed:
        headers += ("Review",)
    return [_table(rows, headers), ""]


def _order(part: ReportPart) -> tuple[object, ...]:
    return part.order


def render_report(
    comparisons: Sequence[Comparison],
    *,
    article_count: int,
    claim_count: int,
    failures: Sequence[ArticleFailure] = (),
    decisions: Decisions | None = None,
) -> str:
    """The markdown report. The same inputs give the same text, byte for byte.

    With the desk's ``decisions`` each referent shows its review status and note, and the diverging
    ones come in review order: updated since review, then open, then settled.
    """
    parts = [report_part(comparison, decisions) for comparison in comparisons]
    return render_parts(
        parts, article_count=article_count, claim_count=claim_count, failures=failures, reviewed=decisions is not None
    )


def render_parts(
    parts: Sequence[ReportPart],
    *,
    article_count: int,
    claim_count: int,
    failures: Sequence[ArticleFailure] = (),
    reviewed: bool = False,
) -> str:
    """``render_report`` from each referent's part; ``reviewed`` when the parts show review status."""
    groups: dict[GroupStatus, list[ReportPart]] = {status: [] for status in GroupStatus}
    for part in parts:
        groups[part.status].append(part)
    diverging = sorted(groups[GroupStatus.DIVERGES], key=_order)
    summary = (
        f"{_plural(article_count, 'article')}, {_plural(claim_count, 'count claim')}, "
        f"{_plural(len(parts), 'referent')}, {len(diverging)} diverging."
    )
    if reviewed:
        summary += f" {sum(1 for part in parts if part.open)} open for review."
    if failures:
        summary += f" {_plural(len(failures), 'article')} could not be read."
    lines = ["# Discrepancies in counted quantities", "", summary, ""]
    if diverging:
        headers = ("Referent", "Values", "Spread", "Claims", "Sides") + (("Review",) if reviewed else ())
        lines += [_table([part.row for part in diverging], headers), ""]
    else:
        lines += ["No referent has diverging figures.", ""]
    for part in diverging:
        lines += part.section
    for status, heading, single in (
        (GroupStatus.AGREES, "## Agreeing referents", False),
        (GroupStatus.SINGLE, "## Single-source referents", True),
    ):
        if groups[status]:
            lines += [heading, "", *_short_table(groups[status], single=single)]
    if failures:
        lines += ["## Articles that failed", ""]
        lines += [f"- {_md(f.message)}" for f in sorted(failures, key=lambda f: (f.path, f.message))]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def write_atomically(text: str, path: Path) -> None:
    """Write ``text`` to ``path`` atomically: a temporary file in the same folder, then a rename.

    A reader (or a run killed half-way) sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_report(text: str, path: Path) -> None:
    """Write the report atomically; a path that cannot be written is a setting to fix."""
    try:
        write_atomically(text, path)
    except OSError as exc:
        raise ConfigError(f"report_path={str(path)!r}: cannot write the report ({exc.strerror})") from exc
    log.info("wrote report %s", path)
