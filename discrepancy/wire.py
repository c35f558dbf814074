"""Wire copies: the same sentence relayed by several articles is one claim, not several sources.

A wire story republished by several outlets, or a paragraph copied verbatim, carries the
same count claim more than once. ``mark_carriers`` fills ``Claim.carried_by`` with the
other articles whose text holds the claim's sentence (compared as lower-case words, so
punctuation, quotes and line breaks do not matter). ``independent`` keeps one claim per
relayed copy so that a referent's agreement or disagreement counts sources, not reprints.
"""

from __future__ import annotations

import hashlib
import re
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from .types import Article, Claim, Kind, with_fields

SHINGLE_WORDS = 8  # a shorter sentence ("12 people died.") is too common to call a copy
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingles(text: str) -> set[int]:
    """The hashes of every run of SHINGLE_WORDS lower-case words of ``text``.

    Each is the first 8 bytes of the run's blake2b, read as a little-endian signed integer: stable
    between runs, so that an article's shingles can be kept in the store."""
    words = [word.encode() for word in _words(text)]
    digests = b"".join(
        hashlib.blake2b(b" ".join(words[i : i + SHINGLE_WORDS]), digest_size=8).digest()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    )
    hashes = array("q")
    hashes.frombytes(digests)  # all at once: int.from_bytes per shingle was a third of the time
    if sys.byteorder == "big":
        hashes.byteswap()
    return set(hashes)


def article_shingles(article: Article) -> set[int]:
    return shingles(article.text[article.body_start :])


def claim_shingles(claim: Claim) -> set[int]:
    """The shingles of a count claim's sentence; none for other claims."""
    return shingles(claim.sentence) if claim.kind is Kind.COUNT else set()


def pack(hashes: Iterable[int]) -> bytes:
    """Shingle hashes as the store keeps them."""
    return array("q", sorted(hashes)).tobytes()


def unpack(blob: bytes) -> array[int]:
    hashes = array("q")
    hashes.frombytes(blob)
    return hashes


def _holders(hashes: set[int], index: Mapping[int, set[str]]) -> set[str]:
    """The articles holding every one of ``hashes``."""
    if not hashes:
        return set()
    # the rarest shingle first: each intersection is then no larger than the smallest set
    sets = sorted((index.get(shingle, set()) for shingle in hashes), key=len)
    return sets[0].intersection(*sets[1:])


def mark_carriers(
    claims: Sequence[Claim], articles: Sequence[Article], stored: Mapping[str, Iterable[int]] | None = None
) -> list[Claim]:
    """Every claim with ``carried_by`` set to the other articles holding its whole sentence, sorted.

    ``stored`` holds the shingles the store kept for articles, which need not be hashed again."""
    stored = stored or {}
    # relayed copies share their sentence: each sentence is hashed and looked up once, and only
    # the shingles of some claim's sentence are indexed
    of_sentence = {claim.sentence: claim_shingles(claim) for claim in claims if claim.kind is Kind.COUNT}
    wanted = set().union(*of_sentence.values())
    index: dict[int, set[str]] = defaultdict(set)  # shingle -> the articles holding it
    for article in articles:
        for shingle in wanted.intersection(stored.get(article.name) or article_shingles(article)):
            index[shingle].add(article.name)
    holders = {sentence: _holders(hashes, index) for sentence, hashes in of_sentence.items()}
    marked = []
    for claim in claims:
        found = holders[claim.sentence] if claim.kind is Kind.COUNT else ()
        carried_by = tuple(sorted(name for name in found if name != claim.article))
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
