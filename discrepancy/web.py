"""The review page: a small Flask app over the store, server-rendered, writing the same decisions as the CLI.

Article text is untrusted. Templates are autoescaped, links are kept only for http(s) URLs, and every
form carries a per-process token so that another web page cannot post decisions to this one.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from flask import Flask, abort, make_response, redirect, render_template, request, url_for
from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.wrappers import Response

from .config import Config
from .errors import DiscrepancyError
from .report import value_words
from .review import ReviewError, ReviewItem, ReviewStatus, ReviewStore, ReviewView, load_view
from .types import Claim

log = logging.getLogger(__name__)

LOOPBACK = ("127.0.0.1", "localhost")
WIDTH, HEIGHT, MARGIN = 420, 130, 28  # timeline size in SVG units


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    low_y: float | None  # the claim's interval as a bar; None when it is a single value
    high_y: float | None
    title: str
    new: bool = False


@dataclass(frozen=True)
class Timeline:
    points: tuple[Point, ...]
    first: str  # x-axis labels
    last: str
    last_x: float
    top: str  # y-axis label: the largest value
    undated_x: float | None  # where undated claims stand, to the right


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text if len(text) > 7 else f"{text}-01")
    except ValueError:
        return None


def _bounds(claim: Claim) -> tuple[float | None, float | None, float | None]:
    central = claim.value if claim.value is not None else claim.low if claim.low is not None else claim.high
    return central, claim.low, claim.high


def timeline(claims: Sequence[Claim], *, new: frozenset[str] = frozenset()) -> Timeline:
    """Values by claim date: a dot per claim, a bar per interval, undated claims in a column at the right."""
    numbers = [n for c in claims for n in _bounds(c) if n is not None]
    top = max(numbers, default=1.0) * 1.1 or 1.0
    days = sorted(d for d in (_day(c.claim_date) for c in claims) if d)
    undated = any(_day(c.claim_date) is None for c in claims)
    plot_right = WIDTH - MARGIN - (40 if undated and days else 0)

    def y(value: float) -> float:
        return round(HEIGHT - MARGIN - (HEIGHT - 2 * MARGIN) * value / top, 1)

    def x(day: date | None) -> float:
        if day is None:
            return float(WIDTH - MARGIN) if days else float(WIDTH // 2)
        if days[0] == days[-1]:
            return float((MARGIN + plot_right) // 2)
        share = (day - days[0]).days / (days[-1] - days[0]).days
        return round(MARGIN + (plot_right - MARGIN) * share, 1)

    points = []
    for claim in claims:
        central, low, high = _bounds(claim)
        if central is None:
            continue
        low_y = y(low) if low is not None else None
        high_y = y(high) if high is not None else y(top) if low is not None else None
        if low_y == high_y:
            low_y = high_y = None
        who = claim.speaker or claim.speaker_org or claim.outlet or claim.article
        title = f"{who}, {claim.claim_date or 'undated'}: {value_words(claim)}"
        points.append(Point(x(_day(claim.claim_date)), y(central), low_y, high_y, title, claim.id in new))
    return Timeline(
        tuple(points),
        first=days[0].isoformat() if days else "",
        last=days[-1].isoformat() if days and days[-1] != days[0] else "",
        last_x=plot_right - 55,
        top=f"{top / 1.1:,.0f}",
        undated_x=float(WIDTH - MARGIN) if undated and days else None,
    )


def sentence_parts(claim: Claim) -> tuple[str, str, str]:
    """The sentence cut around the number, so the template can highlight it (and escape all three)."""
    sentence = claim.sentence
    start, end = claim.start - claim.sentence_start, claim.end - claim.sentence_start
    if not (0 <= start < end <= len(sentence)):
        start = sentence.find(claim.surface)
        end = start + len(claim.surface)
    if start < 0 or not claim.surface:
        return sentence, "", ""
    return sentence[:start], sentence[start:end], sentence[end:]


def safe_url(url: str | None) -> str | None:
    """Only web links become links: a `javascript:` URL in front matter must not."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def create_app(config: Config, *, now: Callable[[], str], trusted_hosts: Sequence[str] = LOOPBACK) -> Flask:
    """The review app over ``config.db_path``; ``now`` stamps each decision (no clock in the library)."""
    app = Flask(__name__)
    app.config["TRUSTED_HOSTS"] = list(trusted_hosts)
    token = secrets.token_urlsafe(24)
    statuses = [s.value for s in ReviewStatus]

    def checked_form() -> dict[str, str]:
        if not secrets.compare_digest(request.form.get("token", ""), token):
            abort(403, "This form is stale or comes from another page; reload the review page.")
        return {name: value.strip() for name, value in request.form.items()}

    def done(anchor: str, by: str) -> Response:
        response = redirect(url_for("index") + f"#{anchor}", code=303)
        response.set_cookie("reviewer", by, samesite="Strict", httponly=True)
        return response

    @app.errorhandler(DiscrepancyError)
    def refused(exc: DiscrepancyError) -> tuple[str, int]:
        status = 400 if isinstance(exc, ReviewError) else 500
        return render_template("error.html", message=str(exc)), status

    @app.get("/")
    def index() -> str:
        view = load_view(config)
        items = view.items
        return render_template(
            "index.html",
            items=items,
            view=view,
            rows=[_rows(item, view) for item in items],
            timelines=[timeline(item.comparison.referent.claims, new=frozenset(item.new_claims)) for item in items],
            targets=sorted((c.referent.id, c.referent.label) for c in view.comparisons),
            dismissed=_dismissed(view),
            statuses=statuses,
            token=token,
            reviewer=request.cookies.get("reviewer", ""),
            width=WIDTH,
            height=HEIGHT,
            margin=MARGIN,
        )

    @app.post("/referent/<path:referent>/status")
    def set_status(referent: str) -> Response:
        form = checked_form()
        view = load_view(config)
        status = ReviewStatus.parse(form.get("status", ""))
        with ReviewStore(config.db_path) as store:
            store.set_status(view, referent, status, note=form.get("note", ""), by=form.get("by", ""), at=now())
        return done(_anchor(referent), form["by"])

    @app.post("/referent/<path:referent>/merge")
    def merge(referent: str) -> Response:
        form = checked_form()
        view = load_view(config)
        with ReviewStore(config.db_path) as store:
            store.merge(view, referent, form.get("absorbed", ""), by=form.get("by", ""), at=now())
        return done(_anchor(referent), form["by"])

    @app.post("/claim/<path:claim>/wrong")
    def mark_wrong(claim: str) -> Response:
        form = checked_form()
        view = load_view(config)
        wrong = form.get("wrong", "1") == "1"
        with ReviewStore(config.db_path) as store:
            mark = store.mark_claim(
                view, claim, wrong=wrong, note=form.get("note", ""), correction=form.get("correction", ""),
                by=form.get("by", ""), at=now(),
            )  # fmt: skip
        return done(_anchor(mark.referent or ""), form["by"])

    @app.post("/claim/<path:claim>/move")
    def move(claim: str) -> Response:
        form = checked_form()
        view = load_view(config)
        target, by = form.get("referent", ""), form.get("by", "")
        with ReviewStore(config.db_path) as store:
            if target == "":  # a new referent of its own: a split
                source = view.claim(claim).referent or ""
                split = store.split(view, source, [claim], label=form.get("label", ""), by=by, at=now())
                target = split.new_referent
            else:
                store.move_claim(view, claim, target, by=by, at=now())
        return done(_anchor(target), by)

    @app.get("/health")
    def health() -> Response:
        return make_response("ok", 200, {"Content-Type": "text/plain; charset=utf-8"})

    app.jinja_env.filters["anchor"] = _anchor
    return app


def _anchor(referent: str) -> str:
    return "r-" + "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in referent)


@dataclass(frozen=True)
class Row:
    claim: Claim
    value: str
    before: str
    number: str
    after: str
    url: str | None
    outlet: str
    new: bool


def _rows(item: ReviewItem, view: ReviewView) -> list[Row]:
    rows = []
    claims = sorted(item.comparison.referent.claims, key=lambda c: (c.claim_date or "~", c.article, c.start))
    for claim in claims:
        article = view.articles.get(claim.article)
        outlet = claim.outlet or (article.outlet if article else None) or claim.article
        url = safe_url(article.url if article else None)
        rows.append(Row(claim, value_words(claim), *sentence_parts(claim), url, outlet, claim.id in item.new_claims))
    return rows


def _dismissed(view: ReviewView) -> list[tuple[Claim, str, str, str]]:
    marks = view.decisions.marks
    return [
        (c, marks[c.id].note, marks[c.id].correction, marks[c.id].by)
        for c in view.claims
        if view.decisions.dismissed(c.id)
    ]


def make_review_server(
    config: Config, *, host: str = "127.0.0.1", port: int = 8000, now: Callable[[], str]
) -> BaseWSGIServer:
    """A threaded WSGI server for the review app; call ``serve_forever()`` on it, ``shutdown()`` to stop."""
    hosts = list(LOOPBACK) if host in (*LOOPBACK, "::1") else [*LOOPBACK, host]
    app = create_app(config, now=now, trusted_hosts=hosts)
    return make_server(host, port, app, threaded=True)
