"""Two runs on one store: the second waits for the first or stops with a clear message."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from discrepancy.cli import main
from discrepancy.config import Config
from discrepancy.errors import StoreError
from discrepancy.pipeline import run
from discrepancy.store import Store, run_lock

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
SEED = sorted(ARTICLES.glob("*.txt"))[0]


def _config(folder: Path) -> Config:
    return Config(db_path=folder / "store.sqlite", report_path=folder / "report.md")


def test_a_second_run_gives_up_with_a_clear_message(tmp_path: Path) -> None:
    config = _config(tmp_path)
    with run_lock(config.db_path, timeout=0), pytest.raises(StoreError) as caught:
        run([SEED], config=config, lock_timeout=0.2)
    message = str(caught.value)
    assert "another discrepancy run" in message and "is using this store" in message
    assert "\n" not in message
    with Store(config.db_path) as store:
        assert store.runs() == []  # nothing was written while the other run held the store


def test_the_cli_says_so_in_one_line_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path)
    with run_lock(config.db_path, timeout=0):
        code = main(["run", str(SEED), "--db", str(config.db_path), "--report", str(config.report_path),
                     "--wait", "0.1"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "another discrepancy run (pid " in err
    assert not config.report_path.exists()


def test_a_second_run_waits_for_the_first(tmp_path: Path) -> None:
    config = _config(tmp_path)
    holding, release = threading.Event(), threading.Event()

    def first_run() -> None:
        with run_lock(config.db_path, timeout=0):
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=first_run)
    holder.start()
    holding.wait(10)
    threading.Timer(0.3, release.set).start()
    result = run([SEED], config=config, lock_timeout=30)
    holder.join()
    assert result.new == 1
    assert config.report_path.is_file()


def test_a_killed_holder_does_not_block_the_next_run(tmp_path: Path) -> None:
    config = _config(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from discrepancy.store import run_lock\n"
         "with run_lock(Path(sys.argv[1]), timeout=0):\n    print('locked', flush=True); time.sleep(60)",
         str(config.db_path)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        with pytest.raises(StoreError, match="another discrepancy run"), run_lock(config.db_path, timeout=0):
            pass
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        with run_lock(config.db_path, timeout=10):
            pass
    finally:
        holder.kill()
        holder.wait(10)
        holder.stdout.close()
