"""README.md documents every command and option, and its commands are the ones CI runs."""

from __future__ import annotations

import argparse
import contextlib
import io
import re
from pathlib import Path

import pytest

from discrepancy.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TEST_COMMAND = 'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest'
MAIN_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/discrepancy run"


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    (action,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def _long_options(parser: argparse.ArgumentParser) -> list[str]:
    return [option for action in parser._actions for option in action.option_strings if option.startswith("--")]


def _section(command: str) -> str:
    """The README text under the heading of one command, up to the next heading."""
    match = re.search(rf"^### `discrepancy {command}`\n(.*?)(?=^#)", README, re.S | re.M)
    assert match, f"README.md has no '### `discrepancy {command}`' section"
    return match[1]


def test_there_are_commands_to_document() -> None:
    assert set(_subcommands()) >= {"run", "export", "eval", "fetch", "changes"}


@pytest.mark.parametrize("command", sorted(_subcommands()))
def test_every_option_is_documented_in_its_command_section(command: str) -> None:
    section = _section(command)
    shared = {"--help", "--quiet", "--verbose"}  # documented once for all commands
    missing = [o for o in _long_options(_subcommands()[command]) if o not in shared and f"`{o}" not in section]
    assert missing == []


def test_shared_and_top_level_options_are_documented() -> None:
    options = set(_long_options(build_parser()))
    for parser in _subcommands().values():
        options |= set(_long_options(parser))
    assert options >= {"--help", "--version", "--quiet", "--verbose"}
    assert [option for option in sorted(options) if f"`{option}" not in README] == []


def test_first_screen_shows_the_two_commands_in_one_code_block() -> None:
    first_block = re.search(r"```bash\n(.*?)```", README, re.S)
    assert first_block
    commands = [line for line in first_block[1].splitlines() if not line.startswith("#")]
    assert commands == [TEST_COMMAND, MAIN_COMMAND]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in script
    assert [line for line in script.splitlines() if "pytest" in line and not line.startswith("#")] == [TEST_COMMAND]


def test_library_example_runs() -> None:
    example = re.search(r"```python\n(.*?)```", README, re.S)
    assert example
    assert len(example[1].strip().splitlines()) <= 8
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out):
        patch.chdir(ROOT)
        exec(compile(example[1], "README.md", "exec"), {})
    assert out.getvalue().strip()
