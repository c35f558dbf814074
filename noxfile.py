"""Project tasks: `nox` runs lint, tests and eval; CI (.ci/run) runs the README's test command."""

from __future__ import annotations

from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
DEV_SET = ROOT.parent / "shared" / "dev"  # the development set, when it sits beside the repository

nox.options.sessions = ["lint", "tests", "eval"]
nox.options.default_venv_backend = "venv"


@nox.session(python="3.11")
def tests(session: nox.Session) -> None:
    """Run the test suite (pass pytest options after --)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """Check the code with ruff."""
    session.install("ruff==0.17.6")  # keep in step with the dev extra in pyproject.toml
    session.run("ruff", "check", ".")


@nox.session(name="eval", python="3.11")
def eval_(session: nox.Session) -> None:
    """Score the gold sets and fail when a score falls under its floor in eval_floors.json."""
    session.install(".")
    gold_sets = [("seeds", ROOT / "data" / "articles", ROOT / "data" / "gold" / "seeds.jsonl")]
    if (DEV_SET / "articles").is_dir():
        gold_sets.append(("dev", DEV_SET / "articles", DEV_SET / "gold.jsonl"))
    else:
        session.log(f"no development set at {DEV_SET}; scoring the seeds only")
    for key, articles, gold in gold_sets:
        session.log(f"gold set {key}: {articles}")
        session.run(
            "discrepancy", "eval",
            "--articles", str(articles),
            "--gold", str(gold),
            "--floors", str(ROOT / "eval_floors.json"),
            "--floors-key", key,
        )  # fmt: skip
