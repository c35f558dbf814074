"""Wire copies: the same sentence relayed by several articles is one claim, not several sources.

A wire story republished by several outlets, or a paragraph copied verbatim, carries the
same count claim more than once. ``mark_carriers`` fills ``Claim.carried_by`` with the
other articles whose text holds the claim's sentence (compared as lower-case words, so
punctuation, quotes and line breaks do not matter). ``independent`` keeps one claim per
relayed copy so that a referent's agreement or disagreement counts sources, not reprints.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from .types import Article, Claim, Kind, with_fields

SHINGLE_WORDS = 8  # a shorter sentence ("12 people died.") is too common to call a copy
_WORD = re.compile(r"\w+")

Shingle = tuple[str, ...]


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _shingles(words: Sequence[str]) -> set[Shingle]:
    return {tuple(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def _index(articles: Iterable[Article]) -> dict[Shingle, set[str]]:
    index: dict[Shingle, set[str]] = defaultdict(set)
    for article in articles:
        for shingle in _shingles(_words(article.text[article.body_start :])):
            index[shingle].add(article.name)
    return index


def mark_carriers(claims: Sequence[Claim], articles: Sequence[Article]) -> list[Claim]:
    """Every claim with ``carried_by`` set to the other articles holding its whole sentence, sorted."""
    index = _index(articles)
    marked = []
    for claim in claims:
        carriers: set[str] = set()
        shingles = _shingles(_words(claim.sentence)) if claim.kind is Kind.COUNT else set()
        if shingles:
            carriers = set.intersection(*(index.get(shingle, set()) for shingle in shingles))
            carriers.discard(claim.article)
        carried_by = tuple(sorted(carriers))
        marked.append(claim if carried_by == claim.carried_by else with_fields(claim, carried_by=carried_by))
    return marked


def _same_figure(first: Claim, second: Claim) -> bool:
    return (first.value, first.low, first.high, first.qualifier, first.counted_class) == (
        second.value,
        second.low,
        second.high,
        second.qualifier,
        second.counted_class,
    )


def _first_published(claim: Claim) -> tuple[str, str, int]:
    return (claim.published or "9999", claim.article, claim.start)


def independent(claims: Sequence[Claim]) -> list[Claim]:
    """The claims with relayed copies removed: of each copy set the earliest published one stays.

    Two claims are copies when one's article carries the other's sentence and they give the same
    figure. The choice does not depend on input order, so reruns and batches agree.
    """
    by_article: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_article[claim.article].append(claim)
    dropped: set[str] = set()
    for claim in sorted(claims, key=_first_published):
        if claim.id in dropped:
            continue
        for carrier in claim.carried_by:
            for copy in by_article.get(carrier, ()):
                if copy.id not in dropped and claim.article in copy.carried_by and _same_figure(claim, copy):
                    dropped.add(copy.id)
    return [claim for claim in claims if claim.id not in dropped]
