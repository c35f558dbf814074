"""Compare stage: within each referent, do the claims agree, and how do pairs relate?"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

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


def compare_referent(referent: Referent) -> Comparison:
    claims = sorted(referent.claims, key=lambda c: (c.claim_date or "9999", c.article, c.start))
    centrals = [v for v in (central(c) for c in claims) if v]
    pairs = []
    for first, second in itertools.combinations(claims, 2):
        relation = relate(first, second)
        if relation is not None:
            pairs.append(ClaimPair(first, second, relation))
    if len(claims) == 1:
        status = GroupStatus.SINGLE
    elif any(p.relation is not PairRelation.COMPATIBLE for p in pairs):
        status = GroupStatus.DIVERGES
    else:
        status = GroupStatus.AGREES
    spread = max(centrals) / min(centrals) if centrals else None
    sides = tuple(sorted({c.side for c in claims if c.side}))
    lows = [c.low for c in claims if c.low is not None] + [c.high for c in claims if c.low is None and c.high]
    highs = [c.high for c in claims if c.high is not None] + [
        c.low for c in claims if c.high is None and c.low
    ]
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
    """A count for a place inside another (Kursk in Russia) above the total for the larger place."""
    import dataclasses

    for part in referents:
        if not part.key.place:
            continue
        for whole in referents:
            same_thing = (whole.key.story, whole.key.counted_class, whole.key.actor, whole.key.status) == (
                part.key.story,
                part.key.counted_class,
                part.key.actor,
                part.key.status,
            )
            if not same_thing or whole.key.place not in domain.place_ancestors(part.key.place):
                continue
            notes = []
            for p in part.claims:
                for w in whole.claims:
                    if p.claim_date and p.claim_date == w.claim_date and p.low and w.high and p.low > w.high:
                        notes.append(
                            f"{p.surface} in {part.key.place} ({p.speaker}, {p.claim_date}) exceeds "
                            f"{w.surface} for all of {whole.key.place} ({w.speaker}, {w.claim_date})"
                        )
            if notes:
                comparison = comparisons[part.id]
                comparisons[part.id] = dataclasses.replace(
                    comparison, status=GroupStatus.DIVERGES, notes=comparison.notes + tuple(sorted(notes))
                )
