"""The spaCy pipeline's speed-ups keep spaCy's own answers."""

from __future__ import annotations

from pathlib import Path

import spacy
from threadpoolctl import threadpool_info

from discrepancy.config import Config
from discrepancy.nlp import _pos_maps, load_nlp, one_blas_thread

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
MODEL = Config().spacy_model


def test_part_of_speech_lookups_read_the_attribute_rulers_one_token_patterns() -> None:
    text = sorted(ARTICLES.glob("*.txt"))[0].read_text(encoding="utf-8")
    doc = load_nlp(MODEL)(text)
    by_tag, by_word, by_dep = _pos_maps(spacy.load(MODEL).get_pipe("attribute_ruler").patterns)
    expected = [
        by_dep.get((t.dep_, t.tag_, t.lower_))
        or by_dep.get((t.dep_, t.tag_, ""))
        or by_dep.get((t.dep_, "", t.lower_))
        or by_word.get((t.lower_, t.tag_))
        or by_tag.get(t.tag_, "")
        for t in doc
    ]
    assert [t.pos_ for t in doc] == expected
    assert len(doc) > 300 and len(set(expected)) > 10


def test_a_line_break_always_starts_a_sentence() -> None:
    doc = load_nlp(MODEL)("Storm hits the coast\nBy Jane Roe\n\nAbout 3,000 people left, officials said.")
    assert [token.text for token in doc if token.is_sent_start] == ["Storm", "By", "About"]


def test_matrix_products_go_through_numpy_blas_on_one_thread() -> None:
    nlp = load_nlp(MODEL)
    for _, component in nlp.pipeline:
        for node in component.model.walk() if hasattr(component, "model") else ():
            assert not node.ops.use_blis, node.name
    with one_blas_thread():
        assert {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"} == {1}
