"""The command line, called in-process through cli.main and once as `python -m discrepancy`."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from discrepancy.cli import build_parser, main
from discrepancy.evaluate import METRICS

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
SEEDS_GOLD = ROOT / "data" / "gold" / "seeds.jsonl"


def call(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- usage: no pipeline needed -----------------------------------------------


@pytest.mark.parametrize("command", [[], ["run"], ["export"], ["eval"]])
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: discrepancy {' '.join(command)}".rstrip())


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["eval", "--articles", "data/articles"],  # --gold is required
        ["export", "--format", "xml"],
        ["run", "-q", "-v"],
        ["eval", "--articles", "a", "--gold", "g", "--floors-key", "seeds"],  # a key with no file
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert "usage: discrepancy" in capsys.readouterr().err


def test_bad_encoding_is_a_one_line_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = call(capsys, "run", str(tmp_path), "--encoding", "klingon", "--db", str(tmp_path / "db"))
    assert code == 2
    assert out == ""
    assert err == "discrepancy: encoding='klingon': not a known text encoding (try utf-8 or latin-1)\n"


def test_export_without_a_store(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "discrepancy.sqlite"
    code, out, err = call(capsys, "export", "--db", str(db))
    assert (code, out) == (1, "")
    assert err == f"discrepancy: no store at {db}; run `discrepancy run` first\n"
    assert not db.exists()


def test_export_default_store_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert call(capsys, "export") == (
        1,
        "",
        "discrepancy: no store at data/discrepancy.sqlite; run `discrepancy run` first\n",
    )


def test_eval_with_a_missing_gold_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = call(capsys, "eval", "--articles", str(ARTICLES), "--gold", str(tmp_path / "gold.jsonl"))
    assert (code, out) == (1, "")
    assert err == f"discrepancy: {tmp_path / 'gold.jsonl'}: no such gold file\n"


def test_eval_with_a_bad_floors_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    floors = tmp_path / "floors.json"
    floors.write_text('{"seeds": {"recall": 0.5}}')
    code, _, err = call(
        capsys,
        "eval",
        "--articles",
        str(ARTICLES),
        "--gold",
        str(SEEDS_GOLD),
        "--floors",
        str(floors),
        "--floors-key",
        "seeds",
    )
    assert code == 2
    assert err.startswith(f"discrepancy: {floors}: unknown metric 'recall'")


def test_python_dash_m_is_the_same_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")  # argparse wraps help to the terminal width
    ran = subprocess.run(
        [sys.executable, "-m", "discrepancy", "--help"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert ran.returncode == 0
    assert ran.stdout == build_parser().format_help()
    usage = subprocess.run([sys.executable, "-m", "discrepancy", "nope"], capture_output=True, text=True, check=False)
    assert usage.returncode == 2


# --- the real pipeline (one run shared by the tests below) --------------------


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    folder: Path  # the working folder: data/articles copied in, defaults written under it


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """`discrepancy run` with no options, in a folder holding a copy of the bundled articles."""
    folder = tmp_path_factory.mktemp("work")
    shutil.copytree(ARTICLES, folder / "data" / "articles")
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["run"])
        yield Run(code, out.getvalue(), err.getvalue(), folder)


def _summary_counts(out: str) -> list[int]:
    return [int(word) for word in out.replace(",", " ").split() if word.isdigit()]


def test_run_writes_store_and_report_at_the_defaults(default_run: Run) -> None:
    assert default_run.code == 0, default_run.err
    assert default_run.err == ""
    assert default_run.out.count("\n") == 1
    assert default_run.out.endswith("reports/discrepancies.md\n")
    articles, claims, _diverging = _summary_counts(default_run.out)
    assert articles == 5
    assert claims > 0
    report = (default_run.folder / "reports" / "discrepancies.md").read_text(encoding="utf-8")
    assert report.startswith("# Discrepancies in counted quantities")


def test_run_stores_the_count_claims(default_run: Run) -> None:
    _, claims, _ = _summary_counts(default_run.out)
    with contextlib.closing(sqlite3.connect(default_run.folder / "data" / "discrepancy.sqlite")) as db:
        stored = db.execute("SELECT article, surface FROM claims WHERE kind = 'count'").fetchall()
        articles = {name for (name,) in db.execute("SELECT name FROM articles")}
    assert len(stored) == claims
    assert articles == {path.name for path in ARTICLES.glob("*.txt")}
    assert {article for article, _ in stored} <= articles


def test_export_jsonl_reads_back_the_stored_claims(
    default_run: Run, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(default_run.folder)
    code, out, err = call(capsys, "export")
    assert (code, err) == (0, "")
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == _summary_counts(default_run.out)[1]
    assert {row["kind"] for row in rows} == {"count"}
    assert rows == sorted(rows, key=lambda row: (row["article"], row["start"]))


def test_export_csv_to_a_file(default_run: Run, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "claims.csv"
    db = default_run.folder / "data" / "discrepancy.sqlite"
    code, out, _ = call(capsys, "export", "--db", str(db), "--format", "csv", "--output", str(target))
    assert (code, out) == (0, "")
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == _summary_counts(default_run.out)[1]
    assert {"article", "surface", "value", "speaker", "referent"} <= set(rows[0])


def test_run_quiet_reports_failures_on_stderr_and_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(ARTICLES / "004_b86a5de73d64b46a.txt", articles)
    (articles / "empty.txt").write_text("   \n")
    code, out, err = call(
        capsys,
        "run",
        str(articles),
        "-q",
        "--db",
        str(tmp_path / "d.sqlite"),
        "--report",
        str(tmp_path / "r.md"),
    )
    assert (code, out) == (1, "")
    assert err.startswith(str(articles / "empty.txt"))
    assert "empty" in err
    assert (tmp_path / "r.md").is_file()


def test_eval_prints_the_scores_and_the_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = call(capsys, "eval", "--articles", str(ARTICLES), "--gold", str(SEEDS_GOLD), "--errors")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("gold 15  system ")
    assert [line.split()[0] for line in lines[1 : 1 + len(METRICS)]] == list(METRICS)
    assert all(
        line.split()[0] in {"missed", "spurious", "value", "qualifier", "speaker", "side", "date"}
        for line in lines[1 + len(METRICS) :]
    )


def test_eval_exits_1_under_a_floor(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps(dict.fromkeys(METRICS, 1.0)))
    code, out, err = call(
        capsys, "eval", "--articles", str(ARTICLES), "--gold", str(SEEDS_GOLD), "--floors", str(floors)
    )
    imperfect = [line.split()[0] for line in out.splitlines()[1:] if float(line.split()[1]) < 1.0]
    assert code == (1 if imperfect else 0)
    assert [line.split()[1] for line in err.splitlines()] == imperfect
