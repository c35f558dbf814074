"""The orchestrator: ingest -> extract -> attribute/date -> group -> wire copies -> compare -> report.

Reading this module shows the architecture: each stage is one call. ``run`` is incremental:
it analyses only articles whose text or pipeline version is new, recompares the referents
they change (incremental.py; everything on a first run, a new pipeline or with review
decisions), lays the desk's review decisions over the grouping (review.py) and writes the
report and the changes page. A rerun with nothing new and no new decision reads the stored
grouping back instead of recomputing it, so it never loads spaCy.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .changes import diff, render_changes, write_changes
from .config import Config
from .domain import Domain, load_domain
from .ingest import load_articles, scan_articles
from .report import ReportPart, render_parts, report_part, write_report
from .review import Decisions, ReviewStore, apply_decisions
from .store import Store, run_lock
from .types import Article, ArticleFailure, Claim, Comparison, GroupStatus, Kind, with_fields
from .wire import independent, mark_carriers, unpack

log = logging.getLogger(__name__)

LOCK_TIMEOUT = 30.0  # seconds a run waits for another run on the same store
Progress = Callable[[int, int], None]  # (articles analysed, articles to analyse)


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
    new: int = 0  # articles analysed in this run (new, edited or due to a new pipeline version)
    skipped: int = 0  # articles already stored with this text and pipeline version
    # what the store holds after the run. ``analysis`` holds the comparisons made in this run and
    # their claims (every one when everything was regrouped, with the articles), and the failures;
    # on a rerun with nothing new, only the failures
    articles: int = 0
    claims: int = 0
    diverging: int = 0


def pipeline_version(domain_dir: Path) -> str:
    """The code version plus a hash of every editable domain file: a change reprocesses everything."""
    digest = hashlib.sha256()
    for path in sorted(domain_dir.glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{__version__}+{digest.hexdigest()[:12]}"


def analyse_article(article: Article, *, config: Config, domain: Domain) -> list[Claim]:
    """Extract, attribute, date and scope the numbers of one article."""
    # spaCy takes about a second to load: imported here so that a rerun with nothing new skips it.
    from .nlp import parse_article
    from .parallel import claims_of
    from .skim import unparsed_spans

    skip = unparsed_spans(article, domain=domain)
    return claims_of(parse_article(article, model=config.spacy_model, skip=skip), domain=domain)


def compare_all(
    articles: Sequence[Article],
    claims: Sequence[Claim],
    *,
    domain: Domain,
    story_of: Mapping[str, str] | None = None,
    shingles_of: Mapping[str, Iterable[int]] | None = None,
) -> tuple[list[Claim], list[Comparison]]:
    """Group every count claim by referent and compare within each referent.

    A claim relayed by several articles (a wire copy) is compared once: its copies keep their
    referent but are left out of the comparison, so reprints are not independent sources.
    ``story_of`` gives the stories when they were clustered already (see ``group_claims``);
    ``shingles_of`` the wire shingles the store kept for articles.
    """
    from .compare import compare_referents
    from .group import group_claims

    # stored claims carry the previous run's grouping: start from none, so batches end as one run would
    claims = [with_fields(c, referent=None, referent_label=None, referent_status=None) for c in claims]
    claims = mark_carriers(claims, articles, shingles_of)
    claims, referents = group_claims(claims, articles, domain=domain, story_of=story_of)
    referents = [dataclasses.replace(r, claims=tuple(independent(r.claims))) for r in referents]
    comparisons = compare_referents(referents, domain=domain)
    status = {c.referent.id: c.status for c in comparisons}
    claims = [c if c.referent is None else _with_status(c, status[c.referent]) for c in claims]
    return claims, comparisons


def _with_status(claim: Claim, status: GroupStatus) -> Claim:
    return with_fields(claim, referent_status=status)


def compared_claims(claims: Sequence[Claim]) -> list[Claim]:
    """The claims ``compare_all`` compared: per referent, the relayed copies left out; order kept."""
    members: dict[str, list[Claim]] = {}
    for claim in claims:
        if claim.referent is not None:
            members.setdefault(claim.referent, []).append(claim)
    kept = {claim.id for group in members.values() for claim in independent(group)}
    return [claim for claim in claims if claim.id in kept]


def analyse(paths: Iterable[Path], *, config: Config) -> Analysis:
    """Read and analyse articles without touching the store or the report."""
    domain = load_domain(config.domain_dir)
    articles, failures = load_articles(paths, config=config)
    from .parallel import analyse_many

    claims = [claim for found in analyse_many(articles, config=config, domain=domain) for claim in found.claims]
    claims, comparisons = compare_all(articles, claims, domain=domain)
    return Analysis(tuple(articles), tuple(claims), tuple(comparisons), tuple(failures))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def changes_path(config: Config) -> Path:
    """The changes page lives beside the report: reports/changes.md."""
    return config.report_path.with_name("changes.md")


def review_fingerprint(decisions: Decisions) -> str:
    """A hash of every standing review decision; empty when there are none (as in stores before review)."""
    as_data = dataclasses.asdict(decisions)
    if not any(as_data.values()):
        return ""
    return hashlib.sha256(json.dumps(as_data, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def report_stamp(report: bytes | None, *, review: str) -> str | None:
    """What a run records of its report: the report's sha256, joined with the review fingerprint if any.

    A review decision changes the stamp, so the next run regroups and renders instead of taking
    the nothing-new path; without decisions the stamp is the report's plain sha256.
    """
    if report is None:
        return None
    digest = hashlib.sha256(report)
    if review:
        digest.update(b"\0review " + review.encode("ascii"))
    return digest.hexdigest()


def run(
    paths: Iterable[Path],
    *,
    config: Config,
    feeds: Sequence[str] = (),
    fetch_into: Path | None = None,
    lock_timeout: float = LOCK_TIMEOUT,
    progress: Progress | None = None,
) -> RunResult:
    """The main job: fetch ``feeds``, analyse new or changed articles, store them, regroup, write the reports.

    Holds the store's run lock throughout: a second run waits up to ``lock_timeout`` seconds,
    then raises StoreError. Every article is stored in its own transaction and the grouping in
    one, and the reports are replaced atomically, so a run killed at any moment leaves the store
    consistent and the next run completes the work.
    """
    paths = list(paths)
    domain = load_domain(config.domain_dir)
    version = pipeline_version(config.domain_dir)
    with run_lock(config.db_path, timeout=lock_timeout), Store(config.db_path) as store:
        fetch_failures = _fetch(feeds, into=fetch_into or Path("data/articles"), max_bytes=config.max_file_bytes)
        previous = store.last_run()
        unfinished = store.has_unfinished_run()
        run_id = store.begin_run(pipeline_version=version, started=_now())
        stored = store.stored_files()
        current = {name: (f.raw_hash, f.content_hash) for name, f in stored.items() if f.pipeline_version == version}
        outputs = (config.report_path, changes_path(config))
        scan = scan_articles(paths, config=config, known=current, outputs=outputs)
        failures = [*fetch_failures, *scan.failures]
        todo: list[Article] = []
        for article in scan.articles:
            if article.name in current and current[article.name][1] == article.content_hash:
                store.save_raw_hash(article.name, scan.raw_hashes[article.name])  # same text, other bytes
            else:
                todo.append(article)
        skipped = len(scan.unchanged) + len(scan.articles) - len(todo)
        seen = {*scan.unchanged, *(article.name for article in scan.articles)}
        if any(name not in seen and f.pipeline_version != version for name, f in stored.items()):
            # stored articles whose files are not given: reanalysed from their stored text
            todo += [a for a in store.load_articles() if a.name not in seen and a.name not in current]
        added_claims = 0
        found = ()
        if todo:  # spaCy loads only when there is something to parse
            from .parallel import analyse_many

            found = analyse_many(todo, config=config, domain=domain, for_store=True)
        for done, analysed in enumerate(found, 1):
            article, claims = analysed.article, analysed.claims
            raw = scan.raw_hashes.get(article.name, stored[article.name].raw_hash if article.name in stored else None)
            store.save_article(
                article,
                claims,
                pipeline_version=version,
                run_id=run_id,
                raw_hash=raw,
                story_terms=analysed.story_terms,
                shingles=analysed.shingles,
                anchors=analysed.anchors,
            )
            added_claims += sum(1 for c in claims if c.kind is Kind.COUNT)
            if progress is not None:
                progress(done, len(todo))
        log.info("%d articles new or changed, %d skipped (unchanged), %d failed", len(todo), skipped, len(failures))

        with ReviewStore(config.db_path) as review:
            decisions = review.decisions()
        fingerprint = review_fingerprint(decisions)
        messages = sorted(f.message for f in failures)
        up_to_date = (
            not todo
            and not unfinished
            and previous is not None
            and previous["pipeline_version"] == version
            and previous["failures"] == messages
            and previous["report_path"] == str(config.report_path)
            and previous["report_sha"] is not None
            and previous["report_sha"] == report_stamp(_read_bytes(config.report_path), review=fingerprint)
        )
        if up_to_date:  # nothing new: the stored grouping and the report on disk stand
            report_sha = previous["report_sha"]
            stored_articles, claims, comparisons = [], [], []
        else:
            old_failures = previous["failures"] if previous else []
            story_of = _stories(store, domain)
            # review decisions may span stories, and a new pipeline may group anew: then everything
            whole = bool(fingerprint) or previous is None or previous["pipeline_version"] != version
            if whole:
                stored_articles = store.load_articles()
                kept = {name: unpack(packed) for name, packed in store.packed_shingles().items() if packed}
                claims, comparisons = compare_all(
                    stored_articles,
                    store.load_claims(counts_only=True),
                    domain=domain,
                    story_of=story_of,
                    shingles_of=kept,
                )
                replaced = None
            else:
                from .incremental import regroup_changes

                stored_articles = []
                with _without_cycle_collection():
                    regrouped = regroup_changes(store, story_of, domain=domain, known=stored.keys())
                claims, comparisons, replaced = regrouped.claims, regrouped.comparisons, regrouped.replaced
            # the desk's merges, moves and dismissals outlive the regrouping
            claims, comparisons = apply_decisions(claims, comparisons, decisions)
            changes = diff(store.referent_states(), comparisons, failures, previous_failures=old_failures)
            parts = {c.referent.id: report_part(c, decisions) for c in comparisons}
            store.save_comparisons(
                comparisons,
                claims=claims,
                changes=changes,
                run_id=run_id,
                stories=story_of,
                replaced=replaced,
                # parts showing review decisions are not kept: a later run without them renders anew
                parts={} if fingerprint else {referent: part.to_json() for referent, part in parts.items()},
            )
            if replaced is not None:  # the referents left as they were are part of the report too
                parts = {referent: ReportPart.from_json(part) for referent, part in store.report_parts().items()}
            stored_count, count_claims, _ = store.summary()
            report = render_parts(
                list(parts.values()),
                article_count=stored_count,
                claim_count=count_claims,
                failures=failures,
                reviewed=True,
            )
            if report.encode("utf-8") != _read_bytes(config.report_path):
                write_report(report, config.report_path)
            report_sha = report_stamp(report.encode("utf-8"), review=fingerprint)
        store.finish_run(
            run_id,
            ended=_now(),
            articles_added=len(todo),
            claims_added=added_claims,
            failures=failures,
            outcome="partial" if failures else "ok",
            articles_skipped=skipped,
            report_path=config.report_path,
            report_sha=report_sha,
        )
        if not up_to_date or not changes_path(config).exists():
            write_changes(render_changes(store.run_changes()), changes_path(config))
        article_count, claim_count, diverging = store.summary()
    analysis = Analysis(tuple(stored_articles), tuple(claims), tuple(comparisons), tuple(failures))
    return RunResult(
        analysis,
        run_id,
        config.report_path,
        new=len(todo),
        skipped=skipped,
        articles=article_count,
        claims=claim_count,
        diverging=diverging,
    )


def _stories(store: Store, domain: Domain) -> dict[str, str]:
    """Every stored article's story, clustered from the terms kept for each article."""
    from .group import stories_from_terms, story_terms

    terms = store.story_terms()
    missing = [name for name, kept in terms.items() if kept is None]
    found = {article.name: story_terms(article) for article in store.load_articles(missing)} if missing else {}
    kept_or_found = {name: kept if kept is not None else found[name] for name, kept in terms.items()}
    return stories_from_terms(kept_or_found, places=domain.place_words)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Regrouping builds a hundred thousand objects that live until it ends: the cycle collector,
    run again and again as they pile up, took a third of its time. Reference counting still frees."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _fetch(feeds: Sequence[str], *, into: Path, max_bytes: int) -> list[ArticleFailure]:
    if not feeds:
        return []
    from .fetch import FetchError, fetch_feed

    failures: list[ArticleFailure] = []
    for feed in feeds:
        try:
            failures += fetch_feed(feed, into=into, max_bytes=max_bytes).failures
        except FetchError as exc:
            log.warning("%s", exc)
            failures.append(ArticleFailure(feed, str(exc)))
    return failures
