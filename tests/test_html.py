"""HTML pages: trafilatura's main text becomes Article.text, with the page's metadata."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from discrepancy.config import Config
from discrepancy.errors import ArticleError
from discrepancy.ingest import read_article
from discrepancy.pipeline import analyse, run
from discrepancy.store import Store
from discrepancy.types import Kind

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"
CONFIG = Config()


def test_metadata_comes_from_the_page() -> None:
    article = read_article(FIXTURES / "maui.html", config=CONFIG)
    assert (article.title, article.outlet, article.published) == (
        "Hawaii Maui wildfires death toll rises to 36",
        "Geo News",
        "2023-08-10",
    )
    assert article.url == "https://www.geo.tv/latest/504271-hawaii-maui-wildfires-death-toll-rises-to-36"
    assert article.name == "maui.html"


def test_the_text_is_the_article_without_markup_or_page_furniture() -> None:
    text = read_article(FIXTURES / "maui.html", config=CONFIG).text
    assert "<p>" not in text and "&quot;" not in text
    assert "at least 36 lives have been claimed" in text
    assert '"As the firefighting efforts continue, 36 total fatalities' in text
    for furniture in ("Subscribe to our newsletter", "Most read", "1,024 readers online", "12 tips"):
        assert furniture not in text


@pytest.mark.parametrize(
    ("surface", "value", "qualifier", "sentence_start"),
    [
        ("36", 36, "at_least", "Officials in Hawaii's Maui County said Thursday"),
        ("100", 100, "more_than", "Maui County said more than 100 firefighters"),
    ],
)
def test_claim_offsets_and_quotes_refer_to_the_extracted_text(
    surface: str, value: int, qualifier: str, sentence_start: str
) -> None:
    analysis = analyse([FIXTURES / "maui.html"], config=CONFIG)
    (article,) = analysis.articles
    matches = [
        c for c in analysis.claims
        if c.kind is Kind.COUNT and c.value == value and c.sentence.startswith(sentence_start)
    ]  # fmt: skip
    assert len(matches) == 1
    claim = matches[0]
    assert article.text[claim.start : claim.end] == surface
    assert article.text[claim.sentence_start :].startswith(claim.sentence)
    assert claim.qualifier.value == qualifier
    assert claim.published == "2023-08-10"


def test_the_store_keeps_the_extracted_text(tmp_path: Path) -> None:
    config = Config(db_path=tmp_path / "store.sqlite", report_path=tmp_path / "report.md")
    run([FIXTURES / "maui.html"], config=config)
    with Store(config.db_path) as store:
        (stored,) = store.load_articles()
    assert stored == read_article(FIXTURES / "maui.html", config=CONFIG)
    assert stored.text.startswith("Hawaii Maui wildfires death toll rises to 36\nOfficials in Hawaii")


def test_a_page_with_no_article_text_is_one_clear_failure() -> None:
    with pytest.raises(ArticleError) as caught:
        read_article(FIXTURES / "no_article.html", config=CONFIG)
    assert str(caught.value) == f"{FIXTURES / 'no_article.html'}: no article text found in this HTML page"


def test_a_page_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    page = tmp_path / "big.htm"
    html = (FIXTURES / "maui.html").read_text(encoding="utf-8")
    page.write_text(html.replace("</main>", "<p>" + "Rescue teams searched the ruins. " * 400 + "</p></main>"))
    with pytest.raises(ArticleError, match=r"big\.htm: file is 1[0-9]\.\d kB, over the 5\.0 kB limit"):
        read_article(page, config=Config(max_file_bytes=5000))


def test_bad_pages_fail_alone_in_a_run_and_keep_what_was_stored(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(FIXTURES / "maui.html", folder)
    config = Config(db_path=tmp_path / "store.sqlite", report_path=tmp_path / "report.md")
    run([folder], config=config)
    shutil.copy(FIXTURES / "no_article.html", folder)
    result = run([folder], config=config)
    assert [f.message for f in result.analysis.failures] == [
        f"{folder / 'no_article.html'}: no article text found in this HTML page"
    ]
    assert (result.new, result.skipped, result.articles) == (0, 1, 1)
    with Store(config.db_path) as store:
        assert [a.name for a in store.load_articles()] == ["maui.html"]
