"""Analyse many articles fast: spaCy's batched ``pipe`` in this process, or in a pool of worker processes.

The result is the same either way and in the order given; only the speed differs.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .config import Config
from .domain import Domain
from .nlp import ParsedArticle, load_nlp, make_doc, masked_text, one_blas_thread
from .skim import unparsed_spans
from .store import anchor
from .types import Article, Claim
from .wire import article_shingles, pack

BATCH_SIZE = 16  # articles per spaCy batch, and per task of a worker: bigger batches use the matrix routines better
# Fewer new articles than this are analysed in this process: workers would each load the spaCy
# model again, which takes longer than parsing them here.
FEW_ARTICLES = 2 * BATCH_SIZE


@dataclass(frozen=True)
class Analysed:
    """An article's claims, and what the store keeps beside them (computed where the article was parsed)."""

    article: Article
    claims: list[Claim]
    shingles: bytes | None = None  # the article's packed wire shingles
    anchors: list[int | None] | None = None  # each claim's anchor (``store.anchor``)
    story_terms: dict[str, int] | None = None  # the words its story is recognised by


def claims_of(parsed: ParsedArticle, *, domain: Domain) -> list[Claim]:
    """Extract, attribute, date and scope the numbers of one parsed article."""
    from .attribute import attribute_claims
    from .extract import extract_claims
    from .group import describe_scope

    claims = list(extract_claims(parsed, domain=domain))
    claims = list(attribute_claims(parsed, claims, domain=domain))
    return list(describe_scope(parsed, claims, domain=domain))


def analyse_many(
    articles: Sequence[Article], *, config: Config, domain: Domain, for_store: bool = False
) -> Iterator[Analysed]:
    """Each article analysed, in the order given; by ``config.jobs`` worker processes when above 1 and
    the articles are not few. ``for_store``: with the shingles, anchors and story terms the store keeps."""
    if config.jobs == 1 or len(articles) < FEW_ARTICLES:
        yield from _analyse_batch(articles, config=config, domain=domain, for_store=for_store)
        return
    batches = [articles[start : start + BATCH_SIZE] for start in range(0, len(articles), BATCH_SIZE)]
    context = multiprocessing.get_context("fork")
    # forked, the workers take the domain as it is (no pickling): loading it again took each over half a second
    with context.Pool(config.jobs, initializer=_start_worker, initargs=(config, for_store, domain)) as pool:
        for batch, results in zip(batches, pool.imap(_analyse_in_worker, batches), strict=True):
            # the articles stay here: only what was found comes back from the worker
            for article, fields in zip(batch, results, strict=True):
                yield Analysed(article, *fields)


def _analyse_batch(
    articles: Sequence[Article], *, config: Config, domain: Domain, for_store: bool
) -> Iterator[Analysed]:
    from .group import story_terms

    nlp = load_nlp(config.spacy_model)
    docs = (make_doc(nlp, masked_text(a, also=unparsed_spans(a, domain=domain))) for a in articles)
    with one_blas_thread():
        for article, doc in zip(articles, nlp.pipe(docs, batch_size=BATCH_SIZE), strict=True):
            claims = claims_of(ParsedArticle(article, doc), domain=domain)
            # the caches kept on the parse hold spans of it: emptied, the parse is freed now, not by the cycle collector
            doc.user_data.clear()
            if not for_store:
                yield Analysed(article, claims)
                continue
            anchors = [anchor(claim) for claim in claims]
            yield Analysed(article, claims, pack(article_shingles(article)), anchors, dict(story_terms(article)))


_WORKER: dict[str, object] = {}


def _start_worker(config: Config, for_store: bool, domain: Domain) -> None:
    _WORKER["config"] = config
    _WORKER["for_store"] = for_store
    _WORKER["domain"] = domain
    load_nlp(config.spacy_model)


def _analyse_in_worker(articles: Sequence[Article]) -> list[tuple[object, ...]]:
    config: Config = _WORKER["config"]  # type: ignore[assignment]
    domain: Domain = _WORKER["domain"]  # type: ignore[assignment]
    for_store = bool(_WORKER["for_store"])
    return [
        (found.claims, found.shingles, found.anchors, found.story_terms)
        for found in _analyse_batch(articles, config=config, domain=domain, for_store=for_store)
    ]
