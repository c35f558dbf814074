"""The benchmark's corpus builder (benchmarks/bench.py): deterministic, and no two articles alike."""

from __future__ import annotations

import importlib.util
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from discrepancy.config import Config
from discrepancy.ingest import read_article

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench.py"


@pytest.fixture(scope="module")
def bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sources(bench):  # type: ignore[no-untyped-def]
    return bench.read_sources()


def _texts(paths: list[Path]) -> list[str]:
    return [path.read_text(encoding="utf-8") for path in paths]


def test_same_seed_same_bytes_and_every_file_distinct(bench, sources, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = bench.build_corpus(sources, 40, seed=7, into=tmp_path / "a")
    again = bench.build_corpus(sources, 40, seed=7, into=tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in again]
    assert _texts(first) == _texts(again)
    assert len({bench.normalised_hash(text) for text in _texts(first)}) == 40
    other = bench.build_corpus(sources, 40, seed=8, into=tmp_path / "c")
    assert _texts(other) != _texts(first)


def test_later_articles_differ_from_the_first_ones(bench, sources, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus = bench.build_corpus(sources, 30, seed=7, into=tmp_path / "corpus")
    extra = bench.build_corpus(sources, 10, seed=7, into=tmp_path / "extra", start=30)
    assert extra[0].name == "bench_00030.txt"
    assert len({bench.normalised_hash(text) for text in _texts(corpus + extra)}) == 40


FRONT_MATTER_SOURCE = """---
outlet: Westport Herald
published: 2024-05-02
---
Floods in Westshire leave thousands homeless
Officials in Westshire said on Tuesday that 1,200 people had been moved to shelters.
The regional governor said about 40 villages were cut off by the water.
Rescue teams from three provinces joined the search for the missing.
"""


def test_articles_read_back_with_their_front_matter(bench, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # the bundled articles have no front matter: one that has it joins them (the dev set may be absent)
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "westport.txt").write_text(FRONT_MATTER_SOURCE, encoding="utf-8")
    sources = bench.read_sources([bench.ROOT / "data" / "articles", tmp_path / "sources"])
    paths = bench.build_corpus(sources, 30, seed=3, into=tmp_path / "corpus")
    articles = [read_article(path, config=Config()) for path in paths]
    with_front = [a for a in articles if a.text.startswith("---\n")]
    assert with_front, "some sources have front matter; their synthetic copies should too"
    assert all(a.outlet for a in with_front)
    assert all(a.published for a in with_front if "published:" in a.text.split("---")[1])


@pytest.mark.parametrize(
    ("sentence", "factor", "days", "expected"),
    [
        (
            "North Korea has sent approximately 10,000 troops to Russia for exercises",
            1.37, 0,
            "North Korea has sent approximately 14,000 troops to Russia for exercises",
        ),
        (
            "On 18 October, Kyrylo Budanov confirmed that about 11,000 North Korean infantrymen were in training",
            2.0, 3,
            "On 21 October, Kyrylo Budanov confirmed that about 22,000 North Korean infantrymen were in training",
        ),
        (
            "by The Kyiv Independent news desk October 24, 2024 8:57 AM 3 min read",
            2.0, 10,
            "by The Kyiv Independent news desk November 3, 2024 8:57 AM 6 min read",
        ),
        (
            "up to 5.7 million people may have been made homeless",
            2.0, 0,
            "up to 11.4 million people may have been made homeless",
        ),
    ],
)  # fmt: skip
def test_numbers_scale_and_dates_move(bench, sentence: str, factor: float, days: int, expected: str) -> None:  # type: ignore[no-untyped-def]
    varied = bench.vary_numbers_and_dates(sentence, factor=factor, shift=timedelta(days=days), year=2024)
    assert varied == expected
