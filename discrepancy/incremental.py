"""A rerun recompares only the referents that new articles change; the rest of the grouping stands.

``pipeline.compare_all`` groups and compares every stored claim; this module reaches the same
store from the previous grouping and what is new, at a cost that grows with what is new:

- wire copies: the claims of new articles are matched against the shingles kept per article,
  and the stored claims a new article carries are found by their anchor (their least shingle);
- grouping: the referent keys of the stories new articles join or leave are recomputed from a
  few columns of their claims, with the story's home place counted from per-article counts;
- comparison: only the referents whose members, wire copies, dates or id changed are loaded and
  compared again (with the parts of a larger place they are compared with), and only their
  claims, referents and report parts are written back.

Articles saved since the last grouping have no story in the store (``Store.save_article``): they
are the new ones, whatever run saved them.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from .compare import compare_referents
from .domain import Domain
from .group import (
    date_from_story,
    home_from_counts,
    is_undated_text,
    latest_published,
    referent_ids,
    referent_label,
    story_keys,
    text_count,
)
from .store import ScopeRow, Store
from .types import Claim, Comparison, GroupStatus, Referent, ReferentKey, with_fields
from .wire import article_shingles, claim_shingles, independent, pack, unpack

ClaimKey = tuple[str, int, int]  # (article, start, end), as the store keys claims


@dataclass(frozen=True)
class Regrouped:
    comparisons: list[Comparison]  # of the referents compared again
    claims: list[Claim]  # their claims whose grouping, wire copies or date changed
    replaced: set[str]  # stored referent ids these comparisons replace


def regroup_changes(store: Store, story_of: Mapping[str, str], *, domain: Domain, known: Collection[str]) -> Regrouped:
    """Group and compare what changed since the last grouping; ``known`` are the articles stored before this run."""
    before = store.article_stories()
    fresh = {name for name, story in before.items() if story is None}
    moved = {name for name, story in story_of.items() if before.get(name) != story}
    touched = {story_of[name] for name in moved} | {before[name] for name in moved if before.get(name)}
    carried = _changed_carriers(store, fresh, replaced=fresh & set(known))
    rows = store.scoped_claims(name for name, story in story_of.items() if story in touched)
    dated = _changed_dates(store, rows, story_of, before, replaced=fresh & set(known))
    keys = _keys(store, rows, story_of, domain=domain)
    members: dict[ReferentKey, list[ScopeRow]] = defaultdict(list)
    for row in rows:
        members[keys[row.id]].append(row)
    stored_keys = store.referent_keys()
    others = {old_id: key for old_id, key in stored_keys.items() if key.story not in touched}
    ids = referent_ids([*members, *others.values()])
    changed = {_key(row) for row in rows if _key(row) in carried or _key(row) in dated}
    dirty = _dirty(members, others, ids, stored_keys, store.report_parts().keys(), changed=changed)
    dirty |= _parts_of(dirty, [*members, *others.values()], domain)
    context = _wholes_of(dirty, [*members, *others.values()], domain) - dirty
    old_ids = {old_id: key for old_id, key in others.items() if key in dirty | context}
    needed = {row.referent for key in dirty | context for row in members.get(key, ())} | set(old_ids)
    loaded = store.load_members((i for i in needed if i is not None), fresh)
    referents = _referents(loaded, keys, old_ids, ids, carried, dated, members, wanted=dirty | context)
    referents_by_id = {referent.id: referent for referent in referents}
    comparisons = compare_referents(
        [dataclasses.replace(r, claims=tuple(independent(r.claims))) for r in referents], domain=domain
    )
    kept = [c for c in comparisons if c.referent.key in dirty]
    stored = {_key(claim): claim for claim in loaded}
    claims = [
        claim
        for comparison in kept
        for claim in _with_status(referents_by_id[comparison.referent.id].claims, comparison.status)
        if claim is not stored[_key(claim)]
    ]
    clean = {ids[key] for key in [*members, *others.values()] if key not in dirty}
    return Regrouped(kept, claims, set(stored_keys) - clean)


def _with_status(claims: Iterable[Claim], status: GroupStatus) -> Iterator[Claim]:
    """The claims with the referent's status; those that had it already unchanged."""
    for claim in claims:
        yield claim if claim.referent_status == status else with_fields(claim, referent_status=status)


def _key(row: ScopeRow | Claim) -> ClaimKey:
    return (row.article, row.start, row.end)


def _changed_carriers(store: Store, fresh: set[str], *, replaced: set[str]) -> dict[ClaimKey, tuple[str, ...]]:
    """The carriers of the claims of ``fresh`` articles, and of the stored claims whose carriers they change.

    ``replaced`` are fresh articles that were stored before with another text: their old copies end."""
    packed = store.packed_shingles()
    missing = [name for name, blob in packed.items() if blob is None]
    if missing:  # a store from before shingles were kept
        found = {article.name: pack(article_shingles(article)) for article in store.load_articles(missing)}
        store.save_shingles(found)
        packed.update(found)
    store.fill_anchors()
    held = {name: set(unpack(packed[name])) for name in fresh}  # type: ignore[arg-type]
    carriers: dict[ClaimKey, tuple[str, ...]] = {}
    new_claims = store.load_members((), fresh)
    carriers.update(_carriers_of(new_claims, packed))
    gained: dict[ClaimKey, set[str]] = defaultdict(set)
    stored: dict[ClaimKey, Claim] = {}
    of_sentence: dict[str, set[int]] = {}  # relayed copies share their sentence: hashed once
    for name, shingles in held.items():
        for claim in store.claims_anchored(shingles):
            if claim.sentence not in of_sentence:
                of_sentence[claim.sentence] = claim_shingles(claim)
            if claim.article not in fresh and of_sentence[claim.sentence] <= shingles:
                gained[_key(claim)].add(name)
                stored[_key(claim)] = claim
    for name in replaced:
        stored.update((_key(claim), claim) for claim in store.claims_carried_by(name) if claim.article not in fresh)
    for key, claim in stored.items():
        carried_by = tuple(sorted({*(n for n in claim.carried_by if n not in fresh), *gained[key]}))
        if carried_by != claim.carried_by:
            carriers[key] = carried_by
    return carriers


def _carriers_of(claims: Sequence[Claim], packed: Mapping[str, bytes | None]) -> dict[ClaimKey, tuple[str, ...]]:
    """Each claim's carriers among all articles (``packed``: article name -> its packed shingles, by name)."""
    wanted = [(claim, claim_shingles(claim)) for claim in claims]
    anchors = {min(shingles) for _, shingles in wanted if shingles}
    found: dict[ClaimKey, list[str]] = {_key(claim): [] for claim in claims}
    for name, blob in packed.items():
        hashes = unpack(blob)  # type: ignore[arg-type]
        if anchors.isdisjoint(hashes):
            continue
        shingles = set(hashes)
        for claim, needed in wanted:
            if needed and name != claim.article and needed <= shingles:
                found[_key(claim)].append(name)
    return {key: tuple(names) for key, names in found.items()}


def _changed_dates(
    store: Store,
    rows: Sequence[ScopeRow],
    story_of: Mapping[str, str],
    before: Mapping[str, str | None],
    *,
    replaced: set[str],
) -> dict[ClaimKey, str]:
    """Claim dates that the stories give undated articles anew (see ``group.date_from_story``).

    A claim is dated again when its article is new or changed story, or when its story's latest
    publication date changed (``before``: each article's story at the last grouping)."""
    published = store.publication_dates()
    names = {row.article for row in rows if row.claim_date is None and not published.get(row.article)}
    undated = {name for name, text in store.texts(names).items() if is_undated_text(text)}
    if not undated:
        return {}
    latest = latest_published(published, story_of)
    # an article stored before with another text may have had another date: its old stories date anew
    earlier = latest_published({n: d for n, d in published.items() if before.get(n) and n not in replaced}, before)
    same = {story for story, date in latest.items() if earlier.get(story) == date} - {
        before[n] for n in replaced if before.get(n)
    }
    keys = [
        _key(row)
        for row in rows
        if row.claim_date is None
        and row.article in undated
        and not (before.get(row.article) == story_of.get(row.article) and story_of.get(row.article) in same)
    ]
    claims = store.load_claims_by_key(keys)
    return {
        _key(claim): str(dated.claim_date)
        for claim, dated in zip(claims, date_from_story(claims, latest, undated, story_of), strict=True)
        if dated.claim_date != claim.claim_date
    }


def _keys(
    store: Store, rows: Sequence[ScopeRow], story_of: Mapping[str, str], *, domain: Domain
) -> dict[str, ReferentKey]:
    """Claim id -> referent key for the rows, story by story, as ``group.group_claims`` gives them."""
    by_story: dict[str, list[ScopeRow]] = defaultdict(list)
    for row in rows:
        by_story[story_of.get(row.article, "story")].append(row)
    articles_of: dict[str, list[str]] = defaultdict(list)
    for name, story in story_of.items():
        articles_of[story].append(name)
    counts = _TextCounts(store)
    keys: dict[str, ReferentKey] = {}
    for story, members in by_story.items():
        places = {row.place for row in members if row.place}
        home = home_from_counts(places, domain, count=functools.partial(counts.total, names=articles_of[story]))
        keys.update(story_keys(story, members, home=home, domain=domain))
    return keys


class _TextCounts:
    """How often a pattern occurs in articles, counted once per article and kept in the store."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._bodies: dict[str, str] = {}

    def total(self, pattern: str, names: Sequence[str]) -> int:
        counts = self._store.text_counts(pattern)
        missing = [name for name in names if name not in counts]
        if missing:
            new = {name: text_count(pattern, body) for name, body in self._texts(missing).items()}
            self._store.save_text_counts(pattern, new)
            counts.update(new)
        return sum(counts[name] for name in names)

    def _texts(self, names: Sequence[str]) -> dict[str, str]:
        unread = [name for name in names if name not in self._bodies]
        for article in self._store.load_articles(unread):
            self._bodies[article.name] = article.text[article.body_start :]
        return {name: self._bodies[name] for name in names}


def _dirty(
    members: Mapping[ReferentKey, Sequence[ScopeRow]],
    others: Mapping[str, ReferentKey],
    ids: Mapping[ReferentKey, str],
    stored_keys: Mapping[str, ReferentKey],
    with_parts: Collection[str],
    *,
    changed: Collection[ClaimKey],
) -> set[ReferentKey]:
    """The referents to compare again: new or renamed ones, those whose members, wire copies or
    dates changed, and those without a report part (saved before parts were kept)."""
    dirty = {key for old_id, key in others.items() if ids[key] != old_id or old_id not in with_parts}
    for key, rows in members.items():
        referent = ids[key]
        if (
            stored_keys.get(referent) != key
            or referent not in with_parts
            or any(row.referent != referent or _key(row) in changed for row in rows)
        ):
            dirty.add(key)
    # a referent that loses members: those members went to dirty referents, and its id is replaced
    return dirty


def _scope(key: ReferentKey, place: str | None) -> tuple[object, ...]:
    return (key.story, key.counted_class, key.actor, key.status, place)


def _parts_of(wholes: set[ReferentKey], keys: Iterable[ReferentKey], domain: Domain) -> set[ReferentKey]:
    """Referents for a place inside one of ``wholes``: their comparison reads the whole's claims."""
    scopes = {_scope(key, key.place) for key in wholes}
    return {
        key for key in keys if key.place and any(_scope(key, p) in scopes for p in domain.place_ancestors(key.place))
    }


def _wholes_of(parts: set[ReferentKey], keys: Iterable[ReferentKey], domain: Domain) -> set[ReferentKey]:
    """Referents for a place containing one of ``parts``'s."""
    by_scope = {_scope(key, key.place): key for key in keys}
    return {
        by_scope[_scope(key, larger)]
        for key in parts
        if key.place
        for larger in domain.place_ancestors(key.place)
        if _scope(key, larger) in by_scope
    }


def _referents(
    loaded: Sequence[Claim],
    keys: Mapping[str, ReferentKey],
    old_ids: Mapping[str, ReferentKey],
    ids: Mapping[ReferentKey, str],
    carried: Mapping[ClaimKey, tuple[str, ...]],
    dated: Mapping[ClaimKey, str],
    members: Mapping[ReferentKey, Sequence[ScopeRow]],
    *,
    wanted: set[ReferentKey],
) -> list[Referent]:
    """The ``wanted`` referents with their claims as a run over everything would give them."""
    claims_of: dict[ReferentKey, list[Claim]] = defaultdict(list)
    for claim in loaded:
        key = keys.get(claim.id) or old_ids.get(str(claim.referent))
        if key in wanted:
            claims_of[key].append(claim)
    referents = []
    for key, claims in claims_of.items():
        label = referent_label(key, members.get(key) or claims)
        grouped = []
        for claim in claims:
            fields = {
                "carried_by": carried.get(_key(claim), claim.carried_by),
                "claim_date": dated.get(_key(claim), claim.claim_date),
                "referent": ids[key],
                "referent_label": label,
            }
            unchanged = all(getattr(claim, name) == value for name, value in fields.items())
            grouped.append(claim if unchanged else with_fields(claim, **fields))
        referents.append(Referent(ids[key], label, key, tuple(grouped)))
    return sorted(referents, key=lambda r: r.id)
