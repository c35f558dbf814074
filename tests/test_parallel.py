"""Worker processes and batched parsing give the same claims as one article at a time."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from discrepancy.config import Config
from discrepancy.domain import load_domain
from discrepancy.ingest import load_articles
from discrepancy.parallel import analyse_many
from discrepancy.pipeline import analyse_article

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"


def test_jobs_and_batches_change_nothing_but_speed() -> None:
    config = Config()
    domain = load_domain(config.domain_dir)
    articles, _ = load_articles([ARTICLES], config=config)
    one_by_one = [analyse_article(article, config=config, domain=domain) for article in articles]
    batched = list(analyse_many(articles, config=config, domain=domain))
    pooled = list(analyse_many(articles, config=dataclasses.replace(config, jobs=2), domain=domain))
    assert [a.name for a, _ in batched] == [a.name for a, _ in pooled] == [a.name for a in articles]
    assert [claims for _, claims in batched] == one_by_one
    assert [claims for _, claims in pooled] == one_by_one
    assert sum(len(claims) for claims in one_by_one) > 20
