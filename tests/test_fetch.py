"""Fetching a feed served from 127.0.0.1: saved entries, skipped refetches, one line per failure."""

from __future__ import annotations

import html
import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from discrepancy.cli import main
from discrepancy.config import Config
from discrepancy.fetch import FetchError, entry_file, fetch_feed
from discrepancy.pipeline import run
from discrepancy.store import Store

HTML = Path(__file__).resolve().parent / "fixtures" / "html"
SEED = sorted((Path(__file__).resolve().parent.parent / "data" / "articles").glob("*.txt"))[4]


def _page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{html.escape(title)}</title></head><body><nav>Home | World</nav>"
        f"<article><h1>{html.escape(title)}</h1>{body}</article><footer>Subscribe</footer></body></html>"
    ).encode()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Site(http.server.ThreadingHTTPServer):
    pages: dict[str, tuple[str, bytes]]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Site

    def do_GET(self) -> None:
        if self.path not in self.server.pages:
            self.send_error(404, "Not Found")
            return
        kind, body = self.server.pages[self.path]
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _rss(base: str, items: list[tuple[str, str | None]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title>{f'<link>{base}{link}</link>' if link else ''}"
        "<pubDate>Thu, 10 Aug 2023 09:00:00 GMT</pubDate></item>"
        for title, link in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire Desk</title>'
        f"<link>{base}/</link><description>test</description>{entries}</channel></rss>"
    ).encode()


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = _Site(("127.0.0.1", 0), _Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    seed_lines = [line for line in SEED.read_text(encoding="utf-8").splitlines()[2:] if len(line.split()) > 8]
    server.pages = {
        "/pages/maui.html": ("text/html; charset=utf-8", (HTML / "maui.html").read_bytes()),
        "/pages/kursk.html": ("text/html; charset=utf-8", _page("USA: 8000 North Koreans", seed_lines)),
        "/pages/empty.html": ("text/html", (HTML / "no_article.html").read_bytes()),
        "/pages/huge.html": ("text/html", _page("Huge", ["Rescue teams searched the ruins again."] * 3000)),
        "/not-a-feed": ("text/plain", b"this is not a feed { at all"),
    }
    unreachable = f"http://127.0.0.1:{_closed_port()}/gone.html"
    items = [
        ("Maui toll rises", "/pages/maui.html"),
        ("Broken entry without a link", None),
        ("Deployment imminent", "/pages/kursk.html"),
        ("Gone", unreachable.removeprefix(base)),
        ("Missing page", "/pages/missing.html"),
        ("Nothing to read", "/pages/empty.html"),
        ("Too big", "/pages/huge.html"),
    ]
    server.pages["/feed.xml"] = ("application/rss+xml", _rss(base, items).replace(
        f"{base}{unreachable.removeprefix(base)}".encode(), unreachable.encode()))  # fmt: skip
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def test_new_entries_are_saved_with_front_matter_and_failures_are_one_line_each(site: str, tmp_path: Path) -> None:
    result = fetch_feed(f"{site}/feed.xml", into=tmp_path, timeout=5, max_bytes=50_000)
    assert sorted(p.name for p in result.saved) == sorted(
        entry_file(f"{site}/pages/{name}") for name in ("maui.html", "kursk.html")
    )
    messages = [failure.message for failure in result.failures]
    assert len(messages) == 5 and all("\n" not in m for m in messages)
    assert any("entry 2 has no http(s) link" in m for m in messages)
    assert any("gone.html: cannot download the page: unreachable" in m for m in messages)
    assert any("missing.html: cannot download the page: HTTP 404" in m for m in messages)
    assert any("empty.html: no article text found" in m for m in messages)
    assert any("huge.html: cannot download the page:" in m and "50,000 byte limit" in m for m in messages)

    maui = (tmp_path / entry_file(f"{site}/pages/maui.html")).read_text(encoding="utf-8")
    _, front, body = maui.split("---\n", 2)
    assert yaml.safe_load(front) == {
        "url": f"{site}/pages/maui.html",
        "outlet": "Geo News",
        "title": "Maui toll rises",
        "published": "2023-08-10",
    }
    assert body.startswith("Hawaii Maui wildfires death toll rises to 36\nOfficials in Hawaii's Maui County")


def test_entries_fetched_before_are_skipped(site: str, tmp_path: Path) -> None:
    fetch_feed(f"{site}/feed.xml", into=tmp_path, timeout=5, max_bytes=50_000)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    again = fetch_feed(f"{site}/feed.xml", into=tmp_path, timeout=5, max_bytes=50_000)
    assert (again.saved, again.skipped) == ((), 2)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize(
    ("feed", "message"),
    [
        ("{site}/not-a-feed", "{site}/not-a-feed: not an RSS or Atom feed"),
        ("{site}/no-such-feed.xml", "{site}/no-such-feed.xml: cannot read the feed: HTTP 404"),
        (
            "http://127.0.0.1:{port}/feed.xml",
            "http://127.0.0.1:{port}/feed.xml: cannot read the feed: unreachable",
        ),
        ("{tmp}/missing.xml", "{tmp}/missing.xml: cannot read the feed file"),
    ],
)
def test_a_bad_feed_is_one_clear_error(site: str, tmp_path: Path, feed: str, message: str) -> None:
    values = {"site": site, "port": _closed_port(), "tmp": tmp_path}
    with pytest.raises(FetchError) as caught:
        fetch_feed(feed.format(**values), into=tmp_path / "out", timeout=5)
    assert str(caught.value).startswith(message.format(**values))
    assert "\n" not in str(caught.value)


def test_a_feed_file_is_read_like_a_url(site: str, tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(_rss(site, [("Maui toll rises", "/pages/maui.html")]))
    result = fetch_feed(str(feed), into=tmp_path / "articles", timeout=5)
    assert (len(result.saved), result.failures) == (1, ())


def test_run_fetch_stores_the_new_articles_and_goes_on_past_a_bad_feed(
    site: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = tmp_path / "articles"
    config = Config(db_path=tmp_path / "store.sqlite", report_path=tmp_path / "report.md", max_file_bytes=50_000)
    first = run([articles], config=config, feeds=[f"{site}/feed.xml"], fetch_into=articles)
    assert sorted(a.url for a in first.analysis.articles) == [
        f"{site}/pages/kursk.html",
        f"{site}/pages/maui.html",
    ]
    assert len(first.analysis.failures) == 5
    capsys.readouterr()  # what the library logged, if an earlier test left the CLI's handler on

    code = main(["run", str(articles), "-q", "--db", str(config.db_path), "--report", str(config.report_path),
                 "--fetch", f"{site}/not-a-feed"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    assert err == f"{site}/not-a-feed: not an RSS or Atom feed\n" or (
        err.startswith(f"{site}/not-a-feed: not an RSS or Atom feed (") and err.count("\n") == 1
    )
    with Store(config.db_path) as store:
        assert len(store.load_articles()) == 2  # nothing stored is lost
        assert store.runs()[-1]["outcome"] == "partial"


def test_fetch_command_prints_a_summary(site: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["fetch", f"{site}/feed.xml", "--into", str(tmp_path), "--max-bytes", "50000"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == f"2 new articles saved in {tmp_path}, 0 fetched before, 5 failed\n"
    assert err.count("\n") == 5
