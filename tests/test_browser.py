"""The review page in a real headless Chromium (Debian's package), driven by Playwright.

Never downloads a browser: it uses /usr/bin/chromium (`apt-get install chromium`) or skips.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from discrepancy.config import Config
from discrepancy.pipeline import run
from discrepancy.review import ReviewStatus, ReviewStore
from discrepancy.web import make_review_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "review" / "hostile"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CLOCK = "2025-03-05T09:30:00+00:00"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason=f"no Chromium at {CHROMIUM}: install Debian's `chromium` package (.ci/run does) for browser tests",
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Config]]:
    config = Config(db_path=tmp_path / "store.sqlite", report_path=tmp_path / "report.md")
    run([HOSTILE], config=config)
    server = make_review_server(config, host="127.0.0.1", port=0, now=lambda: CLOCK)  # port 0: a free one
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/", config
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_mark_a_referent_explained_in_the_browser(server: tuple[str, Config]) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    url, config = server
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(url)
            section = page.locator("section.referent").first
            assert section.locator("[data-status]").inner_text() == "unreviewed"

            form = section.locator("form.review-form")
            form.locator("select[name=status]").select_option("explained")
            form.locator("input[name=note]").fill("The union counts every port; operators count theirs")
            form.locator("input[name=by]").fill("Ana Editor")
            with page.expect_navigation():
                form.locator("button[type=submit]").click()

            page.reload()
            section = page.locator("section.referent").first
            assert section.locator("[data-status]").inner_text() == "explained"
            assert "operators count theirs" in section.locator(".review-note").inner_text()
            assert section.locator("mark", has_text="4,000").count() == 1
            assert dialogs == []  # the <script> in the article never ran
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "review.png"), full_page=True)
        finally:
            browser.close()
    with ReviewStore(config.db_path) as review:
        (stored,) = review.decisions().referents.values()
    assert (stored.status, stored.by, stored.at) == (ReviewStatus.EXPLAINED, "Ana Editor", CLOCK)
    assert (ARTIFACTS / "review.png").stat().st_size > 0
