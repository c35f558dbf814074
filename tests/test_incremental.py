"""Scheduled reruns: articles arrive in batches, files are edited, the pipeline version changes."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from discrepancy import pipeline
from discrepancy.config import DEFAULT_DOMAIN_DIR, Config
from discrepancy.pipeline import run
from discrepancy.store import Store
from discrepancy.types import Claim, Kind

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
SEEDS = sorted(ARTICLES.glob("*.txt"))
BLINKEN = SEEDS[4]  # 004: "USA: 8000 North Koreans on the Ukrainian border"
BATCHES = (SEEDS[:2], SEEDS[2:4], SEEDS[4:])


def _config(folder: Path, **changes: object) -> Config:
    return Config(db_path=folder / "store.sqlite", report_path=folder / "reports" / "discrepancies.md", **changes)


def _state(config: Config) -> tuple[list[Claim], list[tuple[object, ...]]]:
    """The export and the referent table: what must not depend on how the articles arrived."""
    with Store(config.db_path) as store:
        claims = [claim for claim in store.load_claims() if claim.kind is Kind.COUNT]
    with closing(sqlite3.connect(config.db_path)) as db:
        referents = db.execute(
            "SELECT id, label, group_status, spread, low, high, sides FROM referents ORDER BY id"
        ).fetchall()
    return claims, referents


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory):
    """The seeds run in three batches as they arrive, then a rerun with nothing new."""
    folder = tmp_path_factory.mktemp("batches")
    articles = folder / "articles"
    articles.mkdir()
    config = _config(folder)
    results = []
    for batch in BATCHES:
        for path in batch:
            shutil.copy(path, articles)
        results.append(run([articles], config=config))
    return folder, config, results


@pytest.fixture(scope="module")
def at_once(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("at_once")
    config = _config(folder)
    run([ARTICLES], config=config)
    return config


def test_each_run_processes_only_the_new_articles(batches) -> None:
    _, config, results = batches
    assert [(r.new, r.skipped) for r in results] == [(2, 0), (2, 2), (1, 4)]
    with Store(config.db_path) as store:
        runs = store.runs()
    assert [r["articles_added"] for r in runs] == [2, 2, 1]
    assert all(r["outcome"] == "ok" and r["ended"] for r in runs)
    assert [r["claims_added"] for r in runs] == [
        sum(1 for c in r.analysis.claims if c.kind.value == "count" and c.article in {p.name for p in batch})
        for r, batch in zip(results, BATCHES, strict=True)
    ]


def test_batches_end_in_the_same_state_as_one_run(batches, at_once) -> None:
    _, config, _ = batches
    assert _state(config) == _state(at_once)
    assert config.report_path.read_bytes() == at_once.report_path.read_bytes()


def test_referent_ids_do_not_depend_on_the_order_of_arrival(batches, tmp_path: Path) -> None:
    _, config, _ = batches
    articles = tmp_path / "articles"
    articles.mkdir()
    reverse = _config(tmp_path)
    for batch in reversed(BATCHES):
        for path in batch:
            shutil.copy(path, articles)
        run([articles], config=reverse)
    assert _state(reverse) == _state(config)


def test_the_changes_of_each_run_are_listed_newest_first(batches) -> None:
    _, config, _ = batches
    changes = (config.report_path.parent / "changes.md").read_text(encoding="utf-8")
    headings = [line for line in changes.splitlines() if line.startswith("## Run ")]
    assert [h.split(",")[0] for h in headings] == sorted((h.split(",")[0] for h in headings), reverse=True)
    assert headings[-1].startswith("## Run 1,")
    assert "New values in known referents" in changes or "New diverging referents" in changes


def test_a_rerun_with_nothing_new_regroups_nothing_and_keeps_the_report_bytes(
    batches, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, config, _ = batches
    report = config.report_path.read_bytes()
    changes = (config.report_path.parent / "changes.md").read_bytes()

    def no_regrouping(*args: object, **kwargs: object) -> None:
        raise AssertionError("a rerun with nothing new regrouped the claims")

    monkeypatch.setattr(pipeline, "compare_all", no_regrouping)
    monkeypatch.setattr(pipeline, "analyse_article", no_regrouping)
    again = run([folder / "articles"], config=config)
    assert (again.new, again.skipped) == (0, 5)
    assert config.report_path.read_bytes() == report
    assert (config.report_path.parent / "changes.md").read_bytes() == changes
    # nothing is loaded back on this path (it must stay fast as the archive grows): the counts come from the store
    claims, referents = _state(config)
    assert (again.articles, again.claims, again.diverging) == (
        len(SEEDS),
        len(claims),
        sum(1 for referent in referents if referent[2] == "diverges"),
    )
    with Store(config.db_path) as store:
        last = store.runs()[-1]
    assert (last["articles_added"], last["claims_added"], last["outcome"]) == (0, 0, "ok")


def test_a_deleted_report_is_written_again(tmp_path: Path) -> None:
    config = _config(tmp_path)
    run([SEEDS[0]], config=config)
    first = config.report_path.read_bytes()
    config.report_path.unlink()
    run([SEEDS[0]], config=config)
    assert config.report_path.read_bytes() == first


def test_a_file_edited_in_place_replaces_its_claims(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    article = articles / "toll.txt"
    article.write_text("The death toll from the earthquake rose to 5,000 on Tuesday, officials said.\n")
    config = _config(tmp_path)
    run([articles], config=config)
    article.write_text("The death toll from the earthquake rose to 7,200 on Tuesday, officials said.\n")
    result = run([articles], config=config)
    assert (result.new, result.skipped) == (1, 0)
    with Store(config.db_path) as store:
        values = [c.value for c in store.load_claims() if c.kind.value == "count"]
    assert values == [7200]


def test_new_line_endings_alone_are_not_a_new_article(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(ARTICLES, articles)
    config = _config(tmp_path)
    run([articles], config=config)
    path = articles / SEEDS[0].name
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    result = run([articles], config=config)
    assert (result.new, result.skipped) == (0, 5)


def test_a_new_pipeline_version_reprocesses_everything(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(ARTICLES, articles)
    domain = tmp_path / "domain"
    shutil.copytree(DEFAULT_DOMAIN_DIR, domain)
    config = _config(tmp_path, domain_dir=domain)
    run([articles], config=config)
    before = _state(config)
    (articles / SEEDS[1].name).unlink()  # stored, no longer given: reanalysed from the stored text
    with (domain / "furniture.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n# edited by the desk\n")
    result = run([articles], config=config)
    assert (result.new, result.skipped) == (5, 0)
    with Store(config.db_path) as store:
        versions = {f.pipeline_version for f in store.stored_files().values()}
    assert versions == {pipeline.pipeline_version(domain)}
    assert _state(config) == before


def test_progress_is_reported_per_analysed_article_only(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    config = _config(tmp_path)
    calls: list[tuple[int, int]] = []
    shutil.copy(SEEDS[0], articles)
    run([articles], config=config)
    shutil.copy(SEEDS[1], articles)
    shutil.copy(SEEDS[2], articles)
    run([articles], config=config, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]


FLOOD = (
    "Floods sweep the Varna delta\n"
    "Officials in the Varna delta said on Monday that at least 1,200 people had been evacuated from Kerel "
    "and Ostrov. The Varna Red Cross put the number of evacuated people at about 2,000.\n"
)
FLOOD_LATER = (
    "Varna delta floods: evacuations rise\n"
    "The Varna regional governor said on Wednesday that 3,500 people had been evacuated from Kerel and Ostrov, "
    "while the Varna Red Cross said more than 4,000 people had left the delta.\n"
)


def _compared_articles(result: pipeline.RunResult) -> set[str]:
    return {claim.article for c in result.analysis.comparisons for claim in c.referent.claims}


def test_a_new_article_recompares_only_its_own_referents(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in SEEDS:
        shutil.copy(path, articles)
    config = _config(tmp_path)
    run([articles], config=config)
    (articles / "flood1.txt").write_text(FLOOD, encoding="utf-8")
    first = run([articles], config=config)
    (articles / "flood2.txt").write_text(FLOOD_LATER, encoding="utf-8")
    last = run([articles], config=config)
    assert _compared_articles(first) == {"flood1.txt"}
    assert _compared_articles(last) == {"flood1.txt", "flood2.txt"}
    labels = [c.referent.label for c in last.analysis.comparisons]
    assert any(label.startswith("People") and "evacuat" in label for label in labels)
    # the same store and report as one run over all the articles
    at_once = _config(tmp_path / "at_once")
    run([articles], config=at_once)
    assert _state(config) == _state(at_once)
    assert config.report_path.read_bytes() == at_once.report_path.read_bytes()


def _relay(seed: Path, *, lines: slice) -> str:
    """A wire copy: another outlet's headline over some paragraphs of a seed article, verbatim."""
    body = seed.read_text(encoding="utf-8").splitlines()[1:]
    return "Wire: the latest figures\n" + "\n".join(body[lines]) + "\n"


def test_wire_copies_found_on_a_rerun_are_those_of_one_run(tmp_path: Path) -> None:
    """A new article relaying stored sentences, then the relay edited to drop them."""
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in SEEDS[3:]:
        shutil.copy(path, articles)
    config = _config(tmp_path)
    run([articles], config=config)
    for step, lines in enumerate((slice(0, 3), slice(2, 4))):
        (articles / "relay.txt").write_text(_relay(BLINKEN, lines=lines), encoding="utf-8")
        run([articles], config=config)
        with Store(config.db_path) as store:
            carried = [c for c in store.load_claims() if "relay.txt" in c.carried_by]
        assert carried or step == 1  # the first relay carries sentences of the stored article
        at_once = _config(tmp_path / f"at_once{step}")
        run([articles], config=at_once)
        assert _state(config) == _state(at_once)
        assert config.report_path.read_bytes() == at_once.report_path.read_bytes()


def _kept(config: Config) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """What the store keeps beside the claims for later reruns: shingles, story terms, claim anchors."""
    with closing(sqlite3.connect(config.db_path)) as db:
        articles = db.execute("SELECT name, shingles, story_terms FROM articles ORDER BY name").fetchall()
        anchors = db.execute('SELECT article, start, "end", anchor FROM claims ORDER BY article, start').fetchall()
    return articles, anchors


def test_workers_then_a_few_new_articles_in_process_end_as_one_run(
    at_once, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from discrepancy import parallel

    articles = tmp_path / "articles"
    articles.mkdir()
    config = _config(tmp_path, jobs=2)
    for path in SEEDS[:4]:
        shutil.copy(path, articles)
    monkeypatch.setattr(parallel, "FEW_ARTICLES", 2)  # four articles: analysed by workers, two to a task
    monkeypatch.setattr(parallel, "BATCH_SIZE", 2)
    assert run([articles], config=config).new == 4
    monkeypatch.undo()

    def no_workers(*args: object) -> None:
        raise AssertionError("a worker pool was started for one new article")

    monkeypatch.setattr(parallel.multiprocessing, "get_context", no_workers)
    shutil.copy(SEEDS[4], articles)
    assert run([articles], config=config).new == 1
    assert _state(config) == _state(at_once)
    assert _kept(config) == _kept(at_once)
    assert config.report_path.read_bytes() == at_once.report_path.read_bytes()
