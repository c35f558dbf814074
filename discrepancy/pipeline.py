"""The orchestrator: ingest -> extract -> attribute/date -> group -> compare -> report, with the store beside.

Reading this module shows the architecture: each stage is one call.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .attribute import attribute_claims
from .compare import compare_referents
from .config import Config
from .domain import Domain, load_domain
from .extract import extract_claims
from .group import describe_scope, group_claims
from .ingest import load_articles
from .nlp import parse_article
from .report import render_report, write_report
from .store import Store
from .types import Article, ArticleFailure, Claim, Comparison, GroupStatus, Kind

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Analysis:
    articles: tuple[Article, ...]
    claims: tuple[Claim, ...]  # every number found; kind == Kind.COUNT are the claims
    comparisons: tuple[Comparison, ...]
    failures: tuple[ArticleFailure, ...]


@dataclass(frozen=True)
class RunResult:
    analysis: Analysis
    run_id: int
    report_path: Path


def pipeline_version(domain: Domain) -> str:
    return f"{__version__}+{domain.fingerprint}"


def analyse_article(article: Article, *, config: Config, domain: Domain) -> list[Claim]:
    """Extract, attribute, date and scope the numbers of one article."""
    parsed = parse_article(article, model=config.spacy_model)
    claims = list(extract_claims(parsed, domain=domain))
    claims = list(attribute_claims(parsed, claims, domain=domain))
    return list(describe_scope(parsed, claims, domain=domain))


def compare_all(
    articles: Sequence[Article], claims: Sequence[Claim], *, domain: Domain
) -> tuple[list[Claim], list[Comparison]]:
    """Group every count claim by referent and compare within each referent."""
    claims, referents = group_claims(claims, articles, domain=domain)
    comparisons = compare_referents(referents, domain=domain)
    status = {c.referent.id: c.status for c in comparisons}
    claims = [c if c.referent is None else _with_status(c, status[c.referent]) for c in claims]
    return claims, comparisons


def _with_status(claim: Claim, status: GroupStatus) -> Claim:
    import dataclasses

    return dataclasses.replace(claim, referent_status=status)


def analyse(paths: Iterable[Path], *, config: Config) -> Analysis:
    """Read and analyse articles without touching the store or the report."""
    domain = load_domain(config.domain_dir)
    articles, failures = load_articles(paths, config=config)
    claims: list[Claim] = []
    for article in articles:
        claims.extend(analyse_article(article, config=config, domain=domain))
    claims, comparisons = compare_all(articles, claims, domain=domain)
    return Analysis(tuple(articles), tuple(claims), tuple(comparisons), tuple(failures))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def run(paths: Iterable[Path], *, config: Config) -> RunResult:
    """The main job: analyse new or changed articles, store them, regroup everything stored, write the report."""
    domain = load_domain(config.domain_dir)
    version = pipeline_version(domain)
    articles, failures = load_articles(paths, config=config)
    with Store(config.db_path) as store:
        run_id = store.begin_run(pipeline_version=version, started=_now())
        processed = store.processed()
        added_articles = added_claims = 0
        for article in articles:
            if processed.get(article.name) == (article.content_hash, version):
                continue
            claims = analyse_article(article, config=config, domain=domain)
            store.save_article(article, claims, pipeline_version=version, run_id=run_id)
            added_articles += 1
            added_claims += sum(1 for c in claims if c.kind is Kind.COUNT)
        log.info(
            "%d new or changed articles, %d unchanged, %d failed",
            added_articles,
            len(articles) - added_articles,
            len(failures),
        )
        stored_articles = store.load_articles()
        claims, comparisons = compare_all(stored_articles, store.load_claims(), domain=domain)
        store.save_comparisons(comparisons)
        count_claims = [c for c in claims if c.kind is Kind.COUNT]
        report = render_report(
            comparisons, article_count=len(stored_articles), claim_count=len(count_claims), failures=failures
        )
        write_report(report, config.report_path)
        outcome = "partial" if failures else "ok"
        store.finish_run(
            run_id,
            ended=_now(),
            articles_added=added_articles,
            claims_added=added_claims,
            failures=failures,
            outcome=outcome,
        )
    analysis = Analysis(tuple(stored_articles), tuple(claims), tuple(comparisons), tuple(failures))
    return RunResult(analysis, run_id, config.report_path)
