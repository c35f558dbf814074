"""Compare stage: within each referent, do the claims agree, and how do pairs relate?"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from .domain import Domain
from .types import Claim, ClaimPair, Comparison, GroupStatus, PairRelation, Qualifier, Referent

APPROX_TOLERANCE = 0.10  # "about 10,000" allows 9,000-11,000 when checking compatibility


def central(claim: Claim) -> float | None:
    if claim.value is not None:
        return claim.value
    return claim.low if claim.low is not None else claim.high


def interval(claim: Claim) -> tuple[float, float]:
    low = claim.low if claim.low is not None else 0.0
    high = claim.high if claim.high is not None else float("inf")
    if claim.qualifier is Qualifier.APPROX:
        low, high = low * (1 - APPROX_TOLERANCE), high * (1 + APPROX_TOLERANCE)
    return low, high


def _same_source(first: Claim, second: Claim) -> bool:
    if first.speaker and first.speaker == second.speaker:
        return True
    return bool(first.side and first.side == second.side)


def relate(first: Claim, second: Claim) -> PairRelation | None:
    """None when the two claims say the same; else how they differ."""
    a_low, a_high = interval(first)
    b_low, b_high = interval(second)
    if (first.low, first.high) == (second.low, second.high) and first.qualifier == second.qualifier:
        return None
    if a_low <= b_high and b_low <= a_high:
        return PairRelation.COMPATIBLE
    dates_differ = first.claim_date and second.claim_date and first.claim_date != second.claim_date
    if dates_differ and _same_source(first, second):
        return PairRelation.UPDATE
    return PairRelation.CONFLICT


ALL_PAIRS_UP_TO = 60  # claims in a referent; above it only neighbouring and extreme pairs are listed


def _pairs_to_list(claims: Sequence[Claim]) -> Iterator[tuple[Claim, Claim]]:
    """Every pair of a small referent; for a big one, each claim with the next in date order and the extremes."""
    if len(claims) <= ALL_PAIRS_UP_TO:
        yield from itertools.combinations(claims, 2)
        return
    yield from itertools.pairwise(claims)
    by_value = sorted((c for c in claims if central(c) is not None), key=lambda c: (central(c), c.article, c.start))
    if len(by_value) > 1:
        yield by_value[0], by_value[-1]


def compare_referent(referent: Referent) -> Comparison:
    claims = sorted(referent.claims, key=lambda c: (c.claim_date or "9999", c.article, c.start))
    # vague counts ("thousands") have only a floor: the spread is measured on the numbers when there are two
    precise = [c for c in claims if c.qualifier is not Qualifier.VAGUE]
    centrals = [v for v in (central(c) for c in (precise if len(precise) > 1 else claims)) if v]
    pairs = []
    for first, second in _pairs_to_list(claims):
        relation = relate(first, second)
        if relation is not None:
            pairs.append(ClaimPair(first, second, relation))
    if len(claims) == 1:
        status = GroupStatus.SINGLE
    elif len({(c.value, c.low, c.high) for c in claims}) > 1:
        status = GroupStatus.DIVERGES  # the sources give different numbers, compatible or not (see the pairs)
    else:
        status = GroupStatus.AGREES
    spread = max(centrals) / min(centrals) if centrals else None
    sides = tuple(sorted({c.side for c in claims if c.side}))
    lows = [c.low for c in claims if c.low is not None] + [c.high for c in claims if c.low is None and c.high]
    highs = [c.high for c in claims if c.high is not None] + [c.low for c in claims if c.high is None and c.low]
    return Comparison(
        referent=referent,
        status=status,
        spread=spread,
        low=min(lows) if lows else None,
        high=max(highs) if highs else None,
        sides=sides,
        pairs=tuple(pairs),
    )


def compare_referents(referents: Sequence[Referent], *, domain: Domain) -> list[Comparison]:
    comparisons = {r.id: compare_referent(r) for r in referents}
    _flag_parts_exceeding_wholes(referents, comparisons, domain)
    return [comparisons[r.id] for r in referents]


def _flag_parts_exceeding_wholes(
    referents: Sequence[Referent], comparisons: dict[str, Comparison], domain: Domain
) -> None:
    """A count for a place inside another (a province inside its country) above the total for the larger place."""
    import dataclasses

    by_scope = {(r.key.story, r.key.counted_class, r.key.actor, r.key.status, r.key.place): r for r in referents}
    for part in referents:
        if not part.key.place:
            continue
        for larger in domain.place_ancestors(part.key.place):
            whole = by_scope.get((part.key.story, part.key.counted_class, part.key.actor, part.key.status, larger))
            if whole is None:
                continue
            smallest_whole: dict[str, Claim] = {}  # per date, the whole's claim with the lowest upper bound
            for w in whole.claims:
                if (
                    w.claim_date
                    and w.high
                    and (w.claim_date not in smallest_whole or w.high < smallest_whole[w.claim_date].high)
                ):
                    smallest_whole[w.claim_date] = w
            notes = []
            for p in part.claims:
                w = smallest_whole.get(p.claim_date or "")
                if w is not None and p.low and p.low > (w.high or 0):
                    notes.append(
                        f"{p.surface} in {part.key.place} ({p.speaker}, {p.claim_date}) exceeds "
                        f"{w.surface} for all of {whole.key.place} ({w.speaker}, {w.claim_date})"
                    )
            if notes:
                comparison = comparisons[part.id]
                comparisons[part.id] = dataclasses.replace(
                    comparison, status=GroupStatus.DIVERGES, notes=comparison.notes + tuple(sorted(notes))
                )
