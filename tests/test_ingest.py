from __future__ import annotations

import importlib.util
import json
import logging
from pathlib import Path

import pytest

from discrepancy.config import Config
from discrepancy.errors import ArticleError, ConfigError
from discrepancy.ingest import (
    content_hash,
    iter_article_paths,
    load_articles,
    normalise_for_hash,
    read_article,
)

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SEEDS = REPO / "data" / "articles"  # a copy of /work/shared/seeds
SEED_GOLD = REPO / "data" / "gold" / "seeds.jsonl"
SHARED = Path("/work/shared")
DEV = SHARED / "dev" / "articles"
DEV_GOLD = SHARED / "dev" / "gold.jsonl"
needs_dev = pytest.mark.skipif(not DEV_GOLD.exists(), reason="the dev set in /work/shared is not available")

CONFIG = Config()


def _article(name: str):
    folder = SEEDS if name[0].isdigit() else DEV
    return read_article(folder / name, config=CONFIG)


def _gold_quotes() -> dict[str, list[str]]:
    quotes: dict[str, list[str]] = {}
    for gold in (SEED_GOLD, DEV_GOLD):
        if gold.exists():
            for line in gold.read_text(encoding="utf-8").splitlines():
                claim = json.loads(line)
                quotes.setdefault(claim["article"], []).append(claim["quote"])
    return quotes


def _excluded_text(article) -> list[str]:
    return [article.text[start:end] for start, end in article.excluded]


def _is_excluded(article, start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in article.excluded)


# --- the real articles ---------------------------------------------------------------


@needs_dev
def test_all_shared_articles_are_read_without_failures():
    articles, failures = load_articles([SHARED / "seeds", DEV], config=CONFIG)
    assert failures == []
    assert len(articles) == 29
    assert len({a.content_hash for a in articles}) == 29


@pytest.mark.parametrize("name", sorted(_gold_quotes()))
def test_gold_quotes_are_substrings_and_never_inside_furniture(name):
    article = _article(name)
    for quote in _gold_quotes()[name]:
        start = article.text.find(quote)
        assert start >= article.body_start, quote
        overlapping = [(s, e) for s, e in article.excluded if s < start + len(quote) and start < e]
        assert overlapping == [], quote


@pytest.mark.parametrize(
    ("name", "field", "expected"),
    [
        # " date YYYY-MM-DD" scraper marker
        ("004_b86a5de73d64b46a.txt", "published", "2024-10-31"),
        ("A08.txt", "published", "2023-02-25"),
        # "October 29, 2024" alone on a line, and an "Updated:" line
        ("001_78c788bb667fbbee.txt", "published", "2024-10-29"),
        ("001_78c788bb667fbbee.txt", "title", "North Korean troops arrive in Russia's Kursk region, US says"),
        # "by The Kyiv Independent news desk October 24, 2024 8:57 AM 3 min read"
        ("003_635a981262af1d4e.txt", "published", "2024-10-24"),
        ("003_635a981262af1d4e.txt", "outlet", "The Kyiv Independent"),
        ("003_635a981262af1d4e.txt", "author", None),
        (
            "003_635a981262af1d4e.txt",
            "title",
            "North Korean troops fighting in Ukraine for Russia would be 'fair game,' White House says",
        ),
        # "Source: European Pravda with reference to Reuters"
        ("000_03983a0091c47d69.txt", "outlet", "European Pravda"),
        ("000_03983a0091c47d69.txt", "via", "Reuters"),
        ("000_03983a0091c47d69.txt", "published", None),
        # furniture lines above the headline are skipped
        (
            "002_41db1b6327612eac.txt",
            "title",
            "Ukraine Announces First Direct Clashes With North Korean Troops",
        ),
        # front matter wins; "(Al Jazeera) –" at a paragraph start is a credited source
        ("A01.txt", "published", "2023-02-09"),
        ("A01.txt", "outlet", "Kaieteur News"),
        ("A01.txt", "via", "Al Jazeera"),
        ("A01.txt", "title", "Turkey, Syria earthquake death toll surpasses 15,000"),
        (
            "A01.txt",
            "url",
            "https://www.kaieteurnewsonline.com/2023/02/09/turkey-syria-earthquake-death-toll-surpasses-15000/",
        ),
        # "(REUTERS)" alone on a line, "By Annie Charalambous", breadcrumb-glued first line skipped
        ("A08.txt", "via", "Reuters"),
        ("A08.txt", "author", "Annie Charalambous"),
        ("A08.txt", "title", "Earthquake death toll surpasses 50,000 in Turkey and Syria"),
        ("A02.txt", "via", "RT, SANA"),
        ("A02.txt", "outlet", None),
        # a URL with a date but no outlet or published key: nothing is guessed, today is never used
        ("A07.txt", "published", None),
        ("C07.txt", "published", None),
        ("B06.txt", "outlet", None),
        # an embedded tweet's date is not a publication date
        ("C06.txt", "published", None),
        ("C06.txt", "title", None),
        ("C02.txt", "title", "Mea culpa, Metro?"),
    ],
)
def test_metadata_is_read_or_inferred(name, field, expected):
    if not name[0].isdigit() and not DEV.exists():
        pytest.skip("the dev set in /work/shared is not available")
    assert getattr(_article(name), field) == expected


@pytest.mark.parametrize(
    ("name", "furniture"),
    [
        ("002_41db1b6327612eac.txt", "Cart: $0.00 - (0 items )"),
        ("002_41db1b6327612eac.txt", "Checkout"),
        ("002_41db1b6327612eac.txt", "Loading…"),
        ("002_41db1b6327612eac.txt", "Write a Reply or Comment:"),
        ("002_41db1b6327612eac.txt", "Back to top"),
        ("003_635a981262af1d4e.txt", "Skip to content"),
        ("003_635a981262af1d4e.txt", "Edit post"),
        ("003_635a981262af1d4e.txt", "by The Kyiv Independent news desk October 24, 2024 8:57 AM 3 min read"),
        ("003_635a981262af1d4e.txt", "This audio is created with AI assistance"),
        ("003_635a981262af1d4e.txt", "Enter your email to subscribe"),
        ("003_635a981262af1d4e.txt", "Please, enter correct email address"),
        ("003_635a981262af1d4e.txt", "\nSubscribe\n"),
        ("003_635a981262af1d4e.txt", "* indicates required"),
        ("001_78c788bb667fbbee.txt", "Updated: October 29, 2024, 7:56 PM"),
        ("001_78c788bb667fbbee.txt", "\nOctober 29, 2024\n"),
        ("001_78c788bb667fbbee.txt", " date 2024-10-29"),
        ("A02.txt", "Related Stories"),
        ("A02.txt", "Leave a Reply"),
        ("A05.txt", "Follow us on Telegram"),
        ("A08.txt", "(REUTERS)"),
    ],
)
def test_page_furniture_is_excluded(name, furniture):
    if not name[0].isdigit() and not DEV.exists():
        pytest.skip("the dev set in /work/shared is not available")
    article = _article(name)
    start = article.text.index(furniture)
    assert _is_excluded(article, start + furniture.startswith("\n"), start + len(furniture.rstrip("\n")))


@needs_dev
def test_marker_is_excluded_but_the_headline_after_it_is_not():
    article = _article("A01.txt")
    assert article.text[article.body_start :].startswith(" date 2023-02-09 Turkey")
    headline = article.text.index("Turkey, Syria earthquake death toll surpasses 15,000")
    assert _is_excluded(article, article.body_start, article.body_start + len(" date 2023-02-09"))
    assert not any(s < headline + 5 and headline < e for s, e in article.excluded)


@needs_dev
def test_front_matter_sets_body_start_and_is_excluded():
    article = _article("B07.txt")
    assert article.text.startswith("---\nurl: https://www3.nhk.or.jp/")
    assert article.text[article.body_start :].startswith("Death toll from Maui wildfire lowered to 97")
    assert article.excluded[0] == (0, article.body_start)
    assert (article.outlet, article.published) == ("NHK World", "2023-09-17")


# --- inference on single lines (real lines from the articles) --------------------------


@pytest.mark.parametrize(
    ("head", "published"),
    [
        ("by The Kyiv Independent news desk October 24, 2024 8:57 AM 3 min read", "2024-10-24"),
        ("Updated: October 29, 2024, 7:56 PM", "2024-10-29"),
        ("October 29, 2024", "2024-10-29"),
        ("Updated: March 8, 2023 · 4 min read", "2023-03-08"),
        ("January 31, 2023 8:12 PM GMT+1 Updated 2 hours ago", "2023-01-31"),
        ("Tuesday, 29 Oct. 2024", "2024-10-29"),
        ("Published: October 28, 2024\nUpdated: October 29, 2024, 7:56 PM", "2024-10-28"),  # earliest wins
        ("Updated: October 29, 2024, 7:56 PM\nOctober 28, 2024", "2024-10-28"),
        (
            "WASHINGTON, Oct 29, 2024 (Reuters) - About 2,000 North Korean soldiers were near Kursk.",
            "2024-10-29",
        ),
        ("Metro (@wmata) January 22, 2017", None),  # a tweet's date, not the article's
        ("The wildfires started on August 8, when Hawaii was under a red flag warning.", None),
        ("February 30, 2023", None),  # not a day
    ],
)
def test_publication_date_is_inferred_from_the_top_of_the_text(tmp_path, head, published):
    path = tmp_path / "article.txt"
    path.write_text(f"{head}\n\nMaui police chief John Pelletier said 31 people remain unaccounted for.\n")
    assert read_article(path, config=CONFIG).published == published


def test_reading_time_inside_a_line_is_excluded_as_a_span(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("Maui · Oct 24 · 3 min read · World\nAt least 36 lives have been claimed.\n")
    article = read_article(path, config=CONFIG)
    start = article.text.index("3 min read")
    assert article.excluded == ((start, start + len("3 min read")),)


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2023-08-10", "2023-08-10"),  # YAML date
        ("2023-08-10 09:30:00", "2023-08-10"),  # YAML datetime
        ("'2023-08-10T09:30:00+10:00'", "2023-08-10"),  # a string
        ("August 10, 2023", "2023-08-10"),
        ("10 Aug 2023", "2023-08-10"),
    ],
)
def test_front_matter_published_is_normalised(tmp_path, published, expected):
    path = tmp_path / "article.md"
    path.write_text(f"---\noutlet: Geo News\npublished: {published}\n---\nAt least 36 lives have been lost.\n")
    assert read_article(path, config=CONFIG).published == expected


@pytest.mark.parametrize("published", ["soon", "10/08/2023", "2023", "'2023-02-30'"])
def test_unreadable_front_matter_published_is_refused(tmp_path, published):
    path = tmp_path / "article.md"
    path.write_text(f"---\noutlet: Geo News\npublished: {published}\n---\nAt least 36 lives have been lost.\n")
    with pytest.raises(ArticleError, match=r"published: .* is not a date; write it as YYYY-MM-DD"):
        read_article(path, config=CONFIG)


# --- hashing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        (
            "Death toll from Maui wildfire lowered to 97\r\n\r\nPolice",
            "Death toll from Maui wildfire lowered to 97 Police",
        ),
        ("  Metro declined to comment.\t\n", "Metro declined to comment."),
        ("T\u00fcrkiye", "Türkiye"),
        ("Tu\u0308rkiye", "Türkiye"),  # decomposed: NFC makes it the same as above
        ("line\rline", "line line"),
    ],
)
def test_normalise_for_hash(text, normalised):
    assert normalise_for_hash(text) == normalised


def test_content_hash_is_the_sha256_of_the_normalised_text():
    assert content_hash("a \r\n b") == content_hash("a b")
    assert content_hash("a b") != content_hash("a c")
    assert len(content_hash("a")) == 64


# --- decoding -------------------------------------------------------------------------


def test_bom_is_stripped_and_line_endings_unified():
    article = read_article(FIXTURES / "bom_crlf.txt", config=CONFIG)
    assert article.text.startswith("Death toll from Maui wildfire lowered to 97\n\nPolice")
    assert "\r" not in article.text and "\ufeff" not in article.text
    assert article.title == "Death toll from Maui wildfire lowered to 97"
    assert article.name == "bom_crlf.txt" and article.body_start == 0


def test_latin1_is_refused_without_an_encoding():
    path = FIXTURES / "latin1.txt"
    offset = "At least 9,057 deaths have been reported in T".__len__()
    with pytest.raises(ArticleError) as caught:
        read_article(path, config=CONFIG)
    assert str(caught.value) == (
        f"{path}: not valid UTF-8 (byte 0xfc at offset {offset}); re-save as UTF-8 or pass --encoding latin-1"
    )


def test_latin1_is_decoded_with_a_declared_encoding():
    article = read_article(FIXTURES / "latin1.txt", config=Config(encoding="latin-1"))
    assert "reported in Türkiye, while 2,530 people" in article.text


def test_a_file_without_numbers_reads_fine():
    article = read_article(FIXTURES / "no_numbers.md", config=CONFIG)
    assert article.text == (FIXTURES / "no_numbers.md").read_text(encoding="utf-8")
    assert article.excluded == ()


# --- bad inputs: one line each, starting with the path -----------------------------------


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("empty.txt", "empty file"),
        ("whitespace.txt", "empty file"),
        ("binary.txt", "binary file, not an article"),
        ("front_matter_not_lines.md", "malformed front matter: could not find expected ':' at line 4"),
        ("unclosed_front_matter.md", "malformed front matter: no closing '---' line"),
    ],
)
def test_bad_files_raise_one_line_errors(name, problem):
    path = FIXTURES / name
    with pytest.raises(ArticleError) as caught:
        read_article(path, config=CONFIG)
    message = str(caught.value)
    assert message.startswith(f"{path}: {problem}")
    assert "\n" not in message


def test_front_matter_that_is_no_yaml_is_read_line_by_line_with_a_warning(caplog):
    path = FIXTURES / "malformed_front_matter.md"  # "outlet: Geo: News: Pakistan"
    article = read_article(path, config=CONFIG)
    assert (article.outlet, article.published) == ("Geo: News: Pakistan", "2023-08-10")
    assert article.text[article.body_start :].startswith("Officials in Hawaii's Maui County said")
    [warning] = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warning.startswith(f"{path}: malformed front matter: mapping values are not allowed here at line 3;")


@pytest.mark.parametrize(
    ("line", "dateline"),
    [
        (
            "NAIROBI, Kenya (AP) — Health officials in Sudan said Thursday that 78 people died.",
            "NAIROBI, Kenya (AP) — ",
        ),
        ("MAUI, Hawaii − The number of fatalities is officially at 53.", "MAUI, Hawaii − "),
        ("USA: 8000 North Koreans on the Ukrainian border", None),  # a headline's source, not a dateline
        ("UN officials — who declined to be named — said 300 people died.", None),
    ],
)
def test_a_dateline_is_kept_out_of_the_analysed_text(tmp_path, line, dateline):
    path = tmp_path / "article.txt"
    path.write_text(f"Headline of the story\n\n{line}\n", encoding="utf-8")
    excluded = _excluded_text(read_article(path, config=CONFIG))
    assert excluded == ([dateline] if dateline else [])


@pytest.mark.parametrize(
    ("line", "via"),
    [
        ("WESTPORT, Ruritania (AP) — Health officials said Thursday that 78 people died.", "AP"),
        ("WESTPORT, June 10 (Westland Wire) - Officials said 78 people died.", "Westland Wire"),
        ("LONDON, March 3, 2024 (Reuters) - Officials said 78 people died.", "Reuters"),
    ],
)
def test_a_wire_dateline_names_the_agency_the_story_comes_from(tmp_path, line, via):
    path = tmp_path / "article.txt"
    path.write_text(f"Headline of the story\n\n{line}\n", encoding="utf-8")
    assert read_article(path, config=CONFIG).via == via


def test_a_comment_counter_in_a_tag_line_is_furniture(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(
        "Headline of the story\n\nPosted in Data, Westshire | 6 comments\n\n300 people died.\n", encoding="utf-8"
    )
    assert _excluded_text(read_article(path, config=CONFIG)) == ["| 6 comments"]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(10_500_000)  # sparse: nothing is written

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", no_reading)
    with pytest.raises(ArticleError) as caught:
        read_article(path, config=CONFIG)
    assert str(caught.value) == f"{path}: file is 10.5 MB, over the 5.0 MB limit"


def test_size_limit_follows_the_config(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("At least 36 lives have been claimed.\n" * 100)
    with pytest.raises(ArticleError, match=r"file is 3\.7 kB, over the 1\.0 kB limit"):
        read_article(path, config=Config(max_file_bytes=1000))
    assert read_article(path, config=Config(max_file_bytes=len(path.read_bytes())))


@pytest.mark.skipif(importlib.util.find_spec("trafilatura") is not None, reason="trafilatura reads HTML")
def test_html_is_listed_but_not_read_yet():
    path = FIXTURES / "tree" / "sub" / "page.html"
    with pytest.raises(ArticleError, match=r"HTML is not supported yet"):
        read_article(path, config=CONFIG)


# --- finding files --------------------------------------------------------------------


def test_folders_are_expanded_sorted_skipping_hidden_and_other_files():
    tree = FIXTURES / "tree"
    files, failures = iter_article_paths([tree])
    assert [f.relative_to(tree).as_posix() for f in files] == [
        "a.md",
        "b.txt",
        "sub/c.markdown",
        "sub/page.html",
    ]
    assert failures == []


def test_missing_and_empty_folders_and_repeats():
    missing = FIXTURES / "no_such_folder"
    empty = FIXTURES / "no_articles"
    first = FIXTURES / "tree" / "b.txt"
    files, failures = iter_article_paths([first, missing, empty, FIXTURES / "tree", first])
    assert files[0] == first and files.count(first) == 1 and len(files) == 4
    assert [f.message for f in failures] == [
        f"{missing}: no such file or folder",
        f"{empty}: no article files (.txt, .md, .markdown, .html, .htm) in this folder",
    ]


def test_load_articles_skips_duplicates_and_bad_files_and_goes_on(caplog):
    duplicates = FIXTURES / "duplicates"
    paths = [duplicates, FIXTURES / "empty.txt", FIXTURES / "missing.txt", FIXTURES / "no_numbers.md"]
    with caplog.at_level(logging.WARNING, logger="discrepancy.ingest"):
        articles, failures = load_articles(paths, config=CONFIG)
    assert [a.name for a in articles] == ["a_first.txt", "no_numbers.md"]
    assert sorted(f.message for f in failures) == sorted(
        [
            f"{FIXTURES / 'missing.txt'}: no such file or folder",
            f"{duplicates / 'b_copy.txt'}: duplicate of a_first.txt",
            f"{FIXTURES / 'empty.txt'}: empty file",
        ]
    )
    assert sorted(r.getMessage() for r in caplog.records) == sorted(f.message for f in failures)


def test_same_file_name_in_two_folders_keeps_names_unique(tmp_path):
    for folder, number in (("a", 36), ("b", 53)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(f"The death toll stands at {number}.\n")
    articles, failures = load_articles([tmp_path], config=CONFIG)
    assert failures == []
    assert [a.name for a in articles] == ["story.txt", (tmp_path / "b" / "story.txt").as_posix()]


# --- the furniture file ----------------------------------------------------------------


def test_furniture_patterns_come_from_the_domain_dir(tmp_path):
    (tmp_path / "furniture.yaml").write_text("lines:\n  - pattern: 'MS Education Academy'\n    why: an ad\n")
    path = SEEDS / "002_41db1b6327612eac.txt"
    article = read_article(path, config=Config(domain_dir=tmp_path))
    assert "Checkout" not in _excluded_text(article)  # not in this file's list
    path = tmp_path / "article.txt"
    path.write_text("Also, 6,760 deaths were reported across Syria.\n\nMS Education Academy\n")
    assert _excluded_text(read_article(path, config=Config(domain_dir=tmp_path))) == ["MS Education Academy"]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("lines:\n  - pattern: '(unclosed'\n    why: broken\n", "lines entry 1: bad regex"),
        ("lines:\n  - just a string\n", "lines entry 1 needs a 'pattern'"),
        ("lines: [\n", "not valid YAML"),
    ],
)
def test_a_bad_furniture_file_is_a_config_error(tmp_path, content, problem):
    (tmp_path / "furniture.yaml").write_text(content)
    with pytest.raises(ConfigError, match=problem):
        read_article(FIXTURES / "no_numbers.md", config=Config(domain_dir=tmp_path))
