"""The review page through Flask's test client: what it shows, what it escapes, what its forms store."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from discrepancy.config import Config
from discrepancy.pipeline import run
from discrepancy.review import ReviewStatus, ReviewStore, load_view
from discrepancy.types import Claim, Kind, Qualifier
from discrepancy.web import create_app, safe_url, sentence_parts, timeline

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "review" / "hostile"
CLOCK = "2025-03-05T09:30:00+00:00"


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    run([HOSTILE], config=Config(db_path=folder / "store.sqlite", report_path=folder / "report.md"))
    return folder / "store.sqlite"


@pytest.fixture
def config(hostile_store: Path, tmp_path: Path) -> Config:
    shutil.copy(hostile_store, tmp_path / "store.sqlite")
    return Config(db_path=tmp_path / "store.sqlite", report_path=tmp_path / "report.md")


@pytest.fixture
def client(config: Config) -> FlaskClient:
    return create_app(config, now=lambda: CLOCK).test_client()


def page(client: FlaskClient) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def token(text: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', text)
    assert found
    return found.group(1)


def referent_id(config: Config) -> str:
    (item,) = load_view(config).items
    return item.comparison.referent.id


# --- what the page shows ------------------------------------------------------------


def test_page_lists_the_diverging_referent_with_highlighted_numbers(client: FlaskClient) -> None:
    text = page(client)
    assert "<mark>4,000</mark> dock workers" in text
    assert "Port operators said <mark>900</mark> dock workers" in text
    assert 'data-status="unreviewed"' in text
    assert "Coast Post" in text and "2025-03-03" in text  # outlet and claim date
    assert '<a href="https://example.org/b"' in text
    assert text.count('<circle class="dot') == 2  # one timeline dot per claim


def test_article_text_is_inert(client: FlaskClient) -> None:
    text = page(client)
    assert "<script" not in text
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in text
    assert "Harbour &lt;b&gt;Times&lt;/b&gt;" in text  # the outlet from front matter
    assert 'href="https://example.org/a?x=&lt;script&gt;"' in text


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://www.bbc.com/news/articles/c0jvyrdqzqzo", True),
        ("HTTP://example.org/a", True),
        ("javascript:alert(document.cookie)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("", False),
        (None, False),
    ],
)
def test_only_web_links_become_links(url: str | None, kept: bool) -> None:
    assert (safe_url(url) is not None) is kept


def _claim(sentence: str, surface: str, *, value: float | None, low: float | None, high: float | None,
           qualifier: Qualifier, date: str | None) -> Claim:  # fmt: skip
    start = sentence.index(surface)
    return Claim(
        article="a.txt", start=100 + start, end=100 + start + len(surface), surface=surface, value=value,
        low=low, high=high, qualifier=qualifier, kind=Kind.COUNT, sentence=sentence, sentence_start=100,
        claim_date=date,
    )  # fmt: skip


PENTAGON = _claim(
    "Pentagon says about 2,000 soldiers are on their way and a small group has already arrived",
    "2,000", value=2000, low=1800, high=2200, qualifier=Qualifier.APPROX, date="2024-10-29",
)  # fmt: skip
ZELENSKY = _claim(
    "Two North Korean brigades of up to 6,000 personnel each are currently undergoing training in Russia, "
    "President Volodymyr Zelensky said.",
    "6,000", value=12000, low=None, high=12000, qualifier=Qualifier.UP_TO, date="2024-10-24",
)  # fmt: skip
KIRBY = _claim(
    'Washington believes North Korea "moved at least 3000 soldiers into eastern Russia."',
    "3000", value=3000, low=3000, high=None, qualifier=Qualifier.AT_LEAST, date=None,
)  # fmt: skip


@pytest.mark.parametrize(
    ("claim", "parts"),
    [
        (PENTAGON, ("Pentagon says about ", "2,000", " soldiers are on their way")),
        (ZELENSKY, ("Two North Korean brigades of up to ", "6,000", " personnel each")),
        (KIRBY, ('Washington believes North Korea "moved at least ', "3000", " soldiers")),
    ],
)
def test_sentence_is_cut_around_the_number(claim: Claim, parts: tuple[str, str, str]) -> None:
    before, number, after = sentence_parts(claim)
    assert (before, number) == parts[:2] and after.startswith(parts[2])
    assert before + number + after == claim.sentence


def test_timeline_places_values_by_date_with_undated_at_the_right() -> None:
    chart = timeline([ZELENSKY, PENTAGON, KIRBY], new=frozenset({KIRBY.id}))
    zelensky, pentagon, kirby = chart.points
    assert zelensky.x < pentagon.x < kirby.x == chart.undated_x
    assert zelensky.y < kirby.y < pentagon.y  # larger values stand higher (smaller y)
    assert pentagon.low_y is not None and pentagon.high_y is not None and pentagon.low_y > pentagon.high_y
    assert (chart.first, chart.last, chart.top) == ("2024-10-24", "2024-10-29", "12,000")
    assert [p.new for p in chart.points] == [False, False, True]
    assert "at least 3,000" in kirby.title


# --- what the forms store --------------------------------------------------------------


def test_marking_explained_stores_the_same_decision_as_the_cli(client: FlaskClient, config: Config) -> None:
    referent = referent_id(config)
    response = client.post(
        f"/referent/{referent}/status",
        data={
            "token": token(page(client)),
            "status": "explained",
            "note": "union counts all ports",
            "by": "ana",
        },
    )
    assert response.status_code == 303
    text = page(client)
    assert 'data-status="explained"' in text and "union counts all ports" in text
    with ReviewStore(config.db_path) as review:
        stored = review.decisions().referents[referent]
        history = review.history()
    assert (stored.status, stored.note, stored.by, stored.at) == (
        ReviewStatus.EXPLAINED, "union counts all ports", "ana", CLOCK,
    )  # fmt: skip
    assert [(h.action, h.target) for h in history] == [("status", referent)]


def test_refused_decision_explains_and_stores_nothing(client: FlaskClient, config: Config) -> None:
    referent = referent_id(config)
    response = client.post(
        f"/referent/{referent}/status",
        data={"token": token(page(client)), "status": "explained", "note": "", "by": "ana"},
    )
    assert response.status_code == 400
    assert "needs a note" in response.get_data(as_text=True)
    with ReviewStore(config.db_path) as review:
        assert not review.decisions().referents


@pytest.mark.parametrize(
    ("headers", "form_token", "status"),
    [
        ({}, "forged", 403),  # a form posted from another page has no valid token
        ({"Host": "attacker.example"}, None, 400),  # DNS rebinding: only local host names are served
    ],
)
def test_foreign_requests_are_refused(
    client: FlaskClient, config: Config, headers: dict[str, str], form_token: str | None, status: int
) -> None:
    form = {"token": form_token or token(page(client)), "status": "confirmed", "by": "mallory"}
    response = client.post(f"/referent/{referent_id(config)}/status", data=form, headers=headers)
    assert response.status_code == status
    with ReviewStore(config.db_path) as review:
        assert not review.decisions().referents


def test_dismiss_then_restore_a_claim(client: FlaskClient, config: Config) -> None:
    view = load_view(config)
    claim = next(c.id for c in view.claims if c.kind is Kind.COUNT and c.value == 4000)
    form = {"token": token(page(client)), "wrong": "1", "note": "union figure is for all ports", "by": "bo"}
    assert client.post(f"/claim/{claim}/wrong", data=form).status_code == 303
    text = page(client)
    assert f'<tr class="dismissed" data-claim="{html.escape(claim)}">' in text
    assert "union figure is for all ports" in text
    assert "<mark>4,000</mark>" not in text  # no longer among the referent's claims
    form = {"token": token(text), "wrong": "0", "note": "restored", "by": "bo"}
    assert client.post(f"/claim/{claim}/wrong", data=form).status_code == 303
    assert "<mark>4,000</mark>" in page(client)


def test_moving_a_claim_to_a_new_referent_splits_it(client: FlaskClient, config: Config) -> None:
    referent = referent_id(config)
    claim = next(c.id for c in load_view(config).claims if c.kind is Kind.COUNT and c.value == 900)
    form = {
        "token": token(page(client)),
        "referent": "",
        "label": "Dock workers at operator ports",
        "by": "cy",
    }
    response = client.post(f"/claim/{claim}/move", data=form)
    assert response.status_code == 303 and response.location.endswith(f"#r-{referent}_1")
    labels = {c.referent.id: c.referent.label for c in load_view(config).comparisons}
    assert labels[f"{referent}~1"] == "Dock workers at operator ports"


def test_merging_an_unknown_referent_is_refused(client: FlaskClient, config: Config) -> None:
    form = {"token": token(page(client)), "absorbed": "no-such-referent", "by": "ana"}
    response = client.post(f"/referent/{referent_id(config)}/merge", data=form)
    assert response.status_code == 400
    assert "no referent &#39;no-such-referent&#39;" in response.get_data(as_text=True)
