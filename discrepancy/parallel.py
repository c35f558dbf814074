"""Analyse many articles fast: spaCy's batched ``pipe`` in one process, or a pool of worker processes.

The result is the same either way and in the order given; only the speed differs.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence

from .config import Config
from .domain import Domain, load_domain
from .nlp import ParsedArticle, load_nlp, masked_text
from .skim import unparsed_spans
from .types import Article, Claim

BATCH_SIZE = 16  # articles per spaCy batch: bigger batches use the matrix routines better
CHUNK_SIZE = 4  # articles handed to a worker at a time


def claims_of(parsed: ParsedArticle, *, domain: Domain) -> list[Claim]:
    """Extract, attribute, date and scope the numbers of one parsed article."""
    from .attribute import attribute_claims
    from .extract import extract_claims
    from .group import describe_scope

    claims = list(extract_claims(parsed, domain=domain))
    claims = list(attribute_claims(parsed, claims, domain=domain))
    return list(describe_scope(parsed, claims, domain=domain))


def analyse_many(
    articles: Sequence[Article], *, config: Config, domain: Domain
) -> Iterator[tuple[Article, list[Claim]]]:
    """Each article with its claims, in the order given; ``config.jobs`` worker processes when above 1."""
    if config.jobs > 1 and len(articles) > 1:
        context = multiprocessing.get_context("fork")
        with context.Pool(config.jobs, initializer=_start_worker, initargs=(config,)) as pool:
            yield from zip(articles, pool.imap(_analyse_in_worker, articles, chunksize=CHUNK_SIZE), strict=True)
        return
    nlp = load_nlp(config.spacy_model)
    texts = (masked_text(a, also=unparsed_spans(a, domain=domain)) for a in articles)
    docs = nlp.pipe(texts, batch_size=BATCH_SIZE)
    for article, doc in zip(articles, docs, strict=True):
        yield article, claims_of(ParsedArticle(article, doc), domain=domain)


_WORKER: dict[str, object] = {}


def _start_worker(config: Config) -> None:
    _WORKER["config"] = config
    _WORKER["domain"] = load_domain(config.domain_dir)
    load_nlp(config.spacy_model)


def _analyse_in_worker(article: Article) -> list[Claim]:
    config: Config = _WORKER["config"]  # type: ignore[assignment]
    domain: Domain = _WORKER["domain"]  # type: ignore[assignment]
    doc = load_nlp(config.spacy_model)(masked_text(article, also=unparsed_spans(article, domain=domain)))
    return claims_of(ParsedArticle(article, doc), domain=domain)
