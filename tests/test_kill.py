"""A run killed with SIGKILL at any moment: the next run ends where an uninterrupted run would."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from discrepancy.config import Config
from discrepancy.pipeline import run
from discrepancy.store import Store
from discrepancy.types import Claim, Kind

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "data" / "articles", Path("/work/shared/dev/articles")]  # the dev set when present
PATTERNS = ("0*.txt", "A*.txt")


def _articles(folder: Path) -> Path:
    target = folder / "articles"
    target.mkdir()
    for source in SOURCES:
        for pattern in PATTERNS:
            for path in sorted(source.glob(pattern)):
                shutil.copy(path, target)
    return target


def _config(folder: Path) -> Config:
    return Config(db_path=folder / "store.sqlite", report_path=folder / "reports" / "discrepancies.md")


def _state(config: Config) -> tuple[list[Claim], list[tuple[object, ...]], list[tuple[object, ...]]]:
    with Store(config.db_path) as store:
        claims = store.load_claims()
    with closing(sqlite3.connect(config.db_path)) as db:
        referents = db.execute("SELECT * FROM referents ORDER BY id").fetchall()
        pairs = db.execute("SELECT * FROM claim_pairs ORDER BY referent, rowid").fetchall()
    return claims, referents, pairs


def _stored(db: Path) -> int:
    try:
        with closing(sqlite3.connect(db, timeout=5)) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:  # not created or not migrated yet
        return 0


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> Config:
    folder = tmp_path_factory.mktemp("whole")
    config = _config(folder)
    run([_articles(folder)], config=config)
    return config


@pytest.mark.parametrize("kill_after", [1, "all"], ids=["mid-analysis", "mid-regrouping"])
def test_a_killed_run_is_completed_by_the_next(tmp_path: Path, uninterrupted: Config, kill_after: int | str) -> None:
    articles = _articles(tmp_path)
    total = len(list(articles.iterdir()))
    config = _config(tmp_path)
    target = total if kill_after == "all" else kill_after
    child = subprocess.Popen(
        [sys.executable, "-m", "discrepancy", "run", str(articles), "-q",
         "--db", str(config.db_path), "--report", str(config.report_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        while child.poll() is None and _stored(config.db_path) < target:
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(30)
    killed = child.returncode == -signal.SIGKILL
    with Store(config.db_path) as store:
        runs = store.runs()
    assert killed or runs[-1]["outcome"] is not None, "the run ended before it could be killed"
    assert not config.report_path.exists() or config.report_path.read_text(encoding="utf-8").endswith("\n")

    result = run([articles], config=config)

    assert _state(config) == _state(uninterrupted)
    assert config.report_path.read_bytes() == uninterrupted.report_path.read_bytes()
    assert len(result.analysis.articles) == total
    with Store(config.db_path) as store:
        runs = store.runs()
    if killed and len(runs) == 2:
        assert runs[0]["outcome"] == "failed" and runs[0]["ended"] is not None
    assert runs[-1]["outcome"] in {"ok", "partial"}
    assert sum(1 for c in _state(config)[0] if c.kind is Kind.COUNT) > 0
