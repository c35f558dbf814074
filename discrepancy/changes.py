"""What changed since the last run, for a desk editor: ``reports/changes.md``, newest run first.

Each run compares the new grouping with the one stored before it: referents that now diverge,
new values in referents already known (with who gave them and when), referents whose status
moved, and articles that newly failed. The changes are stored with the run, so the page can
be rebuilt at any time and `discrepancy changes --since RUN` prints the same text.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .report import _interval, _md, _plural, _speaker, value_words, write_report
from .store import Store, value_key
from .types import ArticleFailure, Claim, Comparison, GroupStatus

log = logging.getLogger(__name__)

NEW_DIVERGING = "new diverging referent"
NEW_VALUE = "new value"
STATUS_CHANGED = "status changed"
FAILED = "article failed"
_HEADINGS = (
    (NEW_DIVERGING, "New diverging referents"),
    (NEW_VALUE, "New values in known referents"),
    (STATUS_CHANGED, "Referents whose status changed"),
    (FAILED, "Articles that failed"),
)

PreviousState = Mapping[str, tuple[str, GroupStatus, frozenset[str]]]  # as from Store.referent_states


@dataclass(frozen=True)
class Change:
    kind: str  # NEW_DIVERGING, NEW_VALUE, STATUS_CHANGED or FAILED
    label: str  # the referent's label, or the failed article's path
    detail: str
    referent: str | None = None


def _source(claim: Claim) -> str:
    when = claim.claim_date or claim.published or "undated"
    return f"{_speaker(claim)}{f' ({claim.side})' if claim.side else ''}, {when}, in {claim.article}"


def diff(
    previous: PreviousState,
    comparisons: Sequence[Comparison],
    failures: Sequence[ArticleFailure] = (),
    *,
    previous_failures: Sequence[str] = (),
) -> list[Change]:
    """The changes from ``previous`` (the stored grouping) to ``comparisons``, in a stable order."""
    changes: list[Change] = []
    for comparison in sorted(comparisons, key=lambda c: (c.referent.label, c.referent.id)):
        referent, status = comparison.referent, GroupStatus(comparison.status)
        before = previous.get(referent.id)
        if before is None:
            if status is GroupStatus.DIVERGES:
                sides = ", ".join(comparison.sides) or "no side named"
                values = _interval(comparison.low, comparison.high)
                detail = f"{values} from {sides}; {len(referent.claims)} claims"
                changes.append(Change(NEW_DIVERGING, referent.label, detail, referent.id))
            continue
        _, old_status, old_keys = before
        if old_status is not status:
            detail = f"{old_status.value} → {status.value}"
            changes.append(Change(STATUS_CHANGED, referent.label, detail, referent.id))
        seen = set(old_keys)
        for claim in sorted(referent.claims, key=lambda c: (c.claim_date or "", c.article, c.start)):
            if (key := value_key(claim)) not in seen:
                seen.add(key)
                detail = f"{value_words(claim)}: {_source(claim)}"
                changes.append(Change(NEW_VALUE, referent.label, detail, referent.id))
    old = set(previous_failures)
    for failure in sorted(failures, key=lambda f: (f.path, f.message)):
        if failure.message not in old:
            changes.append(Change(FAILED, failure.path, failure.message))
    return changes


def _item(change: Mapping[str, object]) -> str:
    if change["kind"] == FAILED:  # the message names the file
        return f"- {_md(str(change['detail']))}"
    return f"- **{_md(str(change['label']))}**: {_md(str(change['detail']))}"


def render_changes(runs: Sequence[Mapping[str, object]]) -> str:
    """Markdown for runs as from ``Store.run_changes`` (newest first); runs without changes left out."""
    lines = ["# What changed", ""]
    shown = 0
    for run in runs:
        changes = run["changes"]
        assert isinstance(changes, list)
        if not changes:
            continue
        shown += 1
        added = run["articles_added"]
        new = "?" if added is None else _plural(int(str(added)), "new article")
        lines += [f"## Run {run['id']}, {run['started']}: {new}", ""]
        for kind, heading in _HEADINGS:
            items = [change for change in changes if change["kind"] == kind]
            if items:
                lines += [f"### {heading}", ""]
                lines += [_item(change) for change in items]
                lines.append("")
    if not shown:
        lines += ["Nothing has changed.", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def changes_text(db_path: Path, *, since: int | None = None) -> str:
    """The changes of the runs after run ``since`` (all runs when None), newest first."""
    with Store(db_path) as store:
        return render_changes(store.run_changes(since=since))


def write_changes(text: str, path: Path) -> bool:
    """Write the changes page atomically unless it already holds ``text``; True when written."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    write_report(text, path)
    return True
