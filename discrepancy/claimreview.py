"""schema.org ClaimReview JSON-LD for the referents the desk has given a verdict, for publishing tools.

One ClaimReview per reviewed referent: the claim reviewed is "sources disagree on <what is counted>",
the item reviewed lists who said which number where, and the rating's ``alternateName`` is the verdict
in words. Unreviewed and in-progress referents carry no verdict, so they are left out; so are those
marked ``wrong extraction`` (a fault of the tool, not of any source).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TextIO

from .report import value_words
from .review import Decisions, ReviewStatus
from .types import Article, Claim, Comparison

VERDICTS = {
    ReviewStatus.CONFIRMED: "Sources disagree: confirmed discrepancy",
    ReviewStatus.EXPLAINED: "Explained: not a real discrepancy",
}
# ClaimReview ratings are numeric too; 1 = the sources really conflict, 5 = the figures are consistent.
RATING_VALUE = {ReviewStatus.CONFIRMED: 1, ReviewStatus.EXPLAINED: 5}


def claimreview_jsonld(
    comparisons: Sequence[Comparison],
    decisions: Decisions,
    *,
    articles: Mapping[str, Article],
    publisher: str | None = None,
) -> list[dict[str, object]]:
    """ClaimReview documents for confirmed and explained referents, sorted by referent id.

    Only the claims seen when the verdict was given are listed: a verdict says nothing about
    figures that arrived later (those put the referent back on the review list instead).
    """
    documents = []
    for comparison in sorted(comparisons, key=lambda c: c.referent.id):
        review = decisions.referents.get(comparison.referent.id)
        if review is None or review.status not in VERDICTS:
            continue
        seen = set(review.seen_claims)
        claims = sorted(
            (c for c in comparison.referent.claims if c.id in seen),
            key=lambda c: (c.claim_date or c.published or "~", c.article, c.start),
        )
        if not claims:
            continue
        verdict = VERDICTS[review.status]
        document: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "identifier": comparison.referent.id,
            "claimReviewed": _claim_text(comparison, claims),
            "itemReviewed": _item(claims, articles),
            "author": {"@type": "Person", "name": review.by},
            "datePublished": review.at[:10],
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": RATING_VALUE[review.status],
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": verdict,
                **({"ratingExplanation": review.note} if review.note else {}),
            },
        }
        if review.note:
            document["reviewBody"] = review.note
        if publisher:
            document["publisher"] = {"@type": "Organization", "name": publisher}
        documents.append(document)
    return documents


def write_claimreview(documents: Sequence[Mapping[str, object]], out: TextIO) -> None:
    """A JSON array of the documents, keys sorted, so an unchanged store writes the same bytes."""
    json.dump(list(documents), out, ensure_ascii=False, indent=2, sort_keys=True)
    out.write("\n")


def _claim_text(comparison: Comparison, claims: Sequence[Claim]) -> str:
    values = "; ".join(f"{_who(c)}: {value_words(c)}" for c in claims)
    return f"{comparison.referent.label}: {values}"


def _who(claim: Claim) -> str:
    return claim.speaker or claim.speaker_org or claim.outlet or claim.article


def _item(claims: Sequence[Claim], articles: Mapping[str, Article]) -> dict[str, object]:
    authors: dict[str, dict[str, object]] = {}
    for claim in claims:
        if claim.speaker and claim.speaker not in authors:
            authors[claim.speaker] = _author(claim.speaker, claim.speaker_org)
        elif claim.speaker_org and not claim.speaker:
            authors.setdefault(claim.speaker_org, {"@type": "Organization", "name": claim.speaker_org})
    appearances: dict[str, dict[str, object]] = {}
    for claim in claims:
        if claim.article not in appearances:
            appearances[claim.article] = _appearance(claim, articles.get(claim.article))
    dates = sorted(d for d in (c.claim_date or c.published for c in claims) if d)
    item: dict[str, object] = {
        "@type": "Claim",
        "author": list(authors.values()),
        "appearance": list(appearances.values()),
    }
    if dates:
        item["datePublished"] = dates[0]
    return item


def _author(speaker: str, org: str | None) -> dict[str, object]:
    """A Person for someone with a role or a personal name ("Jane Smith"), else an Organization.

    The attribution stage does not type speakers, so this is a guess from the shape of the name.
    """
    words = speaker.split()
    personal = 2 <= len(words) <= 4 and all(w[:1].isupper() and w[1:2].islower() for w in words)
    if org and org != speaker:
        return {"@type": "Person", "name": speaker, "affiliation": {"@type": "Organization", "name": org}}
    return {"@type": "Person" if personal else "Organization", "name": speaker}


def _appearance(claim: Claim, article: Article | None) -> dict[str, object]:
    work: dict[str, object] = {"@type": "CreativeWork", "name": claim.article}
    if article is not None:
        if article.url:
            work["url"] = article.url
        if article.title:
            work["headline"] = article.title
        if article.author:
            work["author"] = {"@type": "Person", "name": article.author}
    published = claim.published or (article.published if article else None)
    if published:
        work["datePublished"] = published
    outlet = claim.outlet or (article.outlet if article else None)
    if outlet:
        work["publisher"] = {"@type": "Organization", "name": outlet}
    return work
