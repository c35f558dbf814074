"""Worker processes and batched parsing give the same claims as one article at a time."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from discrepancy import parallel
from discrepancy.config import Config
from discrepancy.domain import load_domain
from discrepancy.group import story_terms
from discrepancy.ingest import load_articles
from discrepancy.parallel import analyse_many
from discrepancy.pipeline import analyse_article
from discrepancy.store import anchor
from discrepancy.wire import article_shingles, pack

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"


def test_jobs_and_batches_change_nothing_but_speed(monkeypatch: pytest.MonkeyPatch) -> None:
    config = Config()
    domain = load_domain(config.domain_dir)
    articles, _ = load_articles([ARTICLES], config=config)
    one_by_one = [analyse_article(article, config=config, domain=domain) for article in articles]
    batched = list(analyse_many(articles, config=config, domain=domain, for_store=True))
    monkeypatch.setattr(parallel, "FEW_ARTICLES", 2)  # five articles: workers, two to a task
    monkeypatch.setattr(parallel, "BATCH_SIZE", 2)
    pooled = list(analyse_many(articles, config=dataclasses.replace(config, jobs=2), domain=domain, for_store=True))
    assert [a.article.name for a in batched] == [a.article.name for a in pooled] == [a.name for a in articles]
    assert [a.claims for a in batched] == one_by_one
    assert [a.claims for a in pooled] == one_by_one
    assert sum(len(claims) for claims in one_by_one) > 20
    # what the store keeps beside the claims is computed in the worker as it would be here
    for analysed, article in zip(pooled, articles, strict=True):
        assert analysed.shingles == pack(article_shingles(article))
        assert analysed.anchors == [anchor(claim) for claim in analysed.claims]
        assert analysed.story_terms == story_terms(article)
    assert batched == pooled


def test_few_articles_are_analysed_without_starting_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_workers(*args: object) -> None:
        raise AssertionError("a worker pool was started for a few articles")

    monkeypatch.setattr(parallel.multiprocessing, "get_context", no_workers)
    config = Config(jobs=2)
    articles, _ = load_articles([ARTICLES], config=config)
    assert len(articles) < parallel.FEW_ARTICLES
    found = list(analyse_many(articles, config=config, domain=load_domain(config.domain_dir)))
    assert [a.article.name for a in found] == [a.name for a in articles]


def _skipped_text(text: str) -> list[str]:
    from discrepancy.skim import unparsed_spans
    from discrepancy.types import Article

    config = Config()
    article = Article(name="t.txt", path="t.txt", text=text, content_hash="x", body_start=0)
    return [text[b:e].strip() for b, e in unparsed_spans(article, domain=load_domain(config.domain_dir))]


def test_sentences_without_a_possible_count_are_not_parsed() -> None:
    text = (
        "Flood waters rise in the delta\n"
        "The river burst its banks in 1998 and again last year. Officials met in the capital. "
        "About 3,000 families have left home, aid workers said.\n"
        "Rain is expected to ease by the weekend, with 40% less forecast.\n"
    )
    assert _skipped_text(text) == [
        "The river burst its banks in 1998 and again last year.",
        "Officials met in the capital.",
        "Rain is expected to ease by the weekend, with 40% less forecast.",
    ]


def test_a_count_keeps_the_sentences_its_speaker_and_date_come_from() -> None:
    text = (
        "Storm update\n"
        "Governor Ana Ruiz said on Tuesday that the capital was calm. Nobody expected the storm.\n"
        "“We did all we could. Nearly 200 people are still missing,” she said. The roads are closed.\n"
    )
    # the dated statement, the quote's opening and the pronoun's antecedent stay; the rest goes
    assert _skipped_text(text) == ["Nobody expected the storm.", "The roads are closed."]
