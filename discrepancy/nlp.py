"""spaCy loading and parsing: one parse per article, shared by extract, attribute, dates and group."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

import spacy
from spacy.attrs import DEP, IDX, LOWER, POS, TAG
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.strings import StringStore
from spacy.tokens import Doc, Span, Token
from thinc.api import NumpyOps

from .types import Article

_T = TypeVar("_T")


@Language.component("newline_sentences")
def _newline_sentences(doc: Doc) -> Doc:
    # Headlines, bylines and captions end without a full stop: a line break always ends a sentence.
    # The token after a line break is the first that starts after it (tokens tile the text).
    starts = doc.to_array(IDX).tolist()
    for newline in re.finditer("\n", doc_text(doc)):
        after = bisect.bisect_right(starts, newline.start())
        if after < len(starts):
            doc[after].is_sent_start = True
    return doc


@functools.lru_cache(maxsize=2)
def load_nlp(model: str) -> Language:
    """The spaCy pipeline with two speed-ups that keep its answers.

    The attribute ruler (a Matcher over every token) is replaced by lookups built from its
    own patterns, and lemmas are computed on demand by ``lemma`` instead of for every token:
    together they were a fifth of the parsing time.
    """
    nlp = spacy.load(model, exclude=["senter"])  # disabled in the model: the parser finds sentences
    nlp.add_pipe("newline_sentences", before="parser")
    ruler_patterns = nlp.get_pipe("attribute_ruler").patterns if "attribute_ruler" in nlp.pipe_names else []
    if "attribute_ruler" in nlp.pipe_names:
        maps = _pos_maps(ruler_patterns)
        name = f"pos_lookup_{id(nlp)}"  # component names are global to spaCy: one per loaded pipeline
        Language.component(name, func=_pos_lookup(maps, nlp.vocab.strings))
        nlp.replace_pipe("attribute_ruler", name)
    if "lemmatizer" in nlp.pipe_names:
        _LEMMATIZERS[id(nlp.vocab)] = nlp.get_pipe("lemmatizer")
        nlp.disable_pipe("lemmatizer")
        _MORPHS[id(nlp.vocab)] = _morph_by_tag(ruler_patterns)
    # the models' matrix products through numpy's BLAS instead of BLIS: the same products in two thirds
    # of the parsing time (run it on one thread: see ``one_blas_thread``)
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        for node in component.model.walk() if hasattr(component, "model") else ():
            node.ops = ops
    return nlp


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """numpy's BLAS on one thread: its threads slow small products down, and compete with worker processes."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _pos_maps(patterns: list[dict]) -> tuple[dict, ...]:  # type: ignore[type-arg]
    """Part-of-speech lookups from the attribute ruler's one-token patterns, most general first."""
    by_tag: dict[str, str] = {}
    by_word: dict[tuple[str, str], str] = {}
    by_dep: dict[tuple[str, str, str], str] = {}
    for entry in patterns:
        pos = entry.get("attrs", {}).get("POS")
        for pattern in entry["patterns"]:
            if pos is None or len(pattern) != 1:
                continue
            for keys in _expand(pattern[0]):
                if set(keys) == {"TAG"}:
                    by_tag[keys["TAG"]] = pos
                elif set(keys) == {"TAG", "LOWER"}:
                    by_word[(keys["LOWER"], keys["TAG"])] = pos
                elif "DEP" in keys and set(keys) <= {"DEP", "TAG", "LOWER"}:
                    by_dep[(keys["DEP"], keys.get("TAG", ""), keys.get("LOWER", ""))] = pos
    return by_tag, by_word, by_dep


def _morph_by_tag(patterns: list[dict]) -> dict[str, str]:  # type: ignore[type-arg]
    """Morphology by tag, from the attribute ruler's tag patterns: the lemmatizer needs it to know base forms."""
    return {
        pattern[0]["TAG"]: entry["attrs"]["MORPH"]
        for entry in patterns
        if "MORPH" in entry.get("attrs", {})
        for pattern in entry["patterns"]
        if len(pattern) == 1 and set(pattern[0]) == {"TAG"} and isinstance(pattern[0]["TAG"], str)
    }


def _expand(keys: dict) -> list[dict]:  # type: ignore[type-arg]
    """One-value patterns from a pattern whose values may be {"IN": [...]}; others are left out."""
    expanded: list[dict] = [{}]  # type: ignore[type-arg]
    for key, value in keys.items():
        if isinstance(value, dict):
            if set(value) != {"IN"}:
                return []
            expanded = [{**e, key: v} for e in expanded for v in value["IN"]]
        elif isinstance(value, str):
            expanded = [{**e, key: value} for e in expanded]
        else:
            return []
    return expanded


def _pos_lookup(maps: tuple[dict, ...], strings: StringStore):  # type: ignore[no-untyped-def, type-arg]
    # keyed by the hashes of the strings and valued by part-of-speech ids, as Doc.to_array gives them:
    # reading columns of numbers instead of Token objects is several times faster
    by_tag = {strings.add(tag): POS_IDS[pos] for tag, pos in maps[0].items()}
    by_word, by_dep = (
        {tuple(strings.add(part) for part in key): POS_IDS[pos] for key, pos in lookup.items()} for lookup in maps[1:]
    )

    def set_pos(doc: Doc) -> Doc:
        columns = doc.to_array([TAG, LOWER, DEP, POS])
        found = []
        for tag, lower, dep, pos in columns.tolist():  # "" hashes to 0
            found.append(
                by_dep.get((dep, tag, lower))
                or by_dep.get((dep, tag, 0))
                or by_dep.get((dep, 0, lower))
                or by_word.get((lower, tag))
                or by_tag.get(tag)
                or pos
            )
        columns[:, 3] = found
        doc.from_array([POS], columns[:, 3:])
        return doc

    return set_pos


_LEMMAS: dict[tuple[int, int, int], str] = {}  # (lower, pos, tag) as ids -> lemma
_LEMMATIZERS: dict[int, object] = {}  # id of a pipeline's vocabulary -> its (disabled) lemmatizer
_MORPHS: dict[int, dict[str, str]] = {}  # id of a pipeline's vocabulary -> morphology by tag


def lemma(token: Token) -> str:
    """The token's lemma, computed when first asked for (the lemmatizer does not run over every token).

    Kept per document by token too: reading a token's text, tag and part of speech costs more than that."""
    by_token = token.doc.user_data.setdefault("lemmas", {})
    found = by_token.get(token.i)
    if found is None:
        found = by_token[token.i] = _lemma(token)
    return found


def _lemma(token: Token) -> str:
    key = (token.lower, token.pos, token.tag)  # ids: reading the strings costs more
    found = _LEMMAS.get(key)
    if found is None:
        vocab = id(token.doc.vocab)
        if not token.has_morph() and token.tag_ in _MORPHS[vocab]:
            token.set_morph(_MORPHS[vocab][token.tag_])  # "could exceed" is a base form, not "excee" + "d"
        found = _LEMMAS[key] = (_LEMMATIZERS[vocab].rule_lemmatize(token) or [token.lower_])[0].lower()  # type: ignore[attr-defined]
    return found


@dataclass(frozen=True)
class ParsedArticle:
    article: Article
    doc: Doc  # parse of the article text with front matter and furniture blanked: offsets equal Article.text's

    @functools.cached_property
    def text(self) -> str:
        """The article text with front matter and furniture blanked, sentences the parser skipped included."""
        return masked_text(self.article)


def masked_text(article: Article, *, also: Iterable[tuple[int, int]] = ()) -> str:
    """The article text with front matter, page furniture and ``also`` replaced by spaces (newlines kept)."""
    text = article.text
    pieces = []
    done = 0  # the text before this offset is in pieces
    for start, end in sorted([(0, article.body_start), *article.excluded, *also]):
        start = max(start, done)
        if start < end:
            pieces += [text[done:start], _blanked(text[start:end])]
            done = end
    return "".join([*pieces, text[done:]])


def _blanked(text: str) -> str:
    return "\n".join(" " * len(line) for line in text.split("\n"))


def parse_article(article: Article, *, model: str, skip: Iterable[tuple[int, int]] = ()) -> ParsedArticle:
    nlp = load_nlp(model)
    with one_blas_thread():
        return ParsedArticle(article, nlp(make_doc(nlp, masked_text(article, also=skip))))


def make_doc(nlp: Language, text: str) -> Doc:
    """The text tokenised, ready for the pipeline's components; ``doc_text`` then needs no join of its tokens."""
    doc = nlp.make_doc(text)
    doc.user_data["text"] = text
    return doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, kept per document: spaCy joins the text of every token on each call."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def span_text(span: Span) -> str:
    """``span.text``, sliced from the document's text instead of joined from its tokens."""
    return doc_text(span.doc)[span.start_char : span.end_char]


def kept_per_token(function: Callable[[Token], _T]) -> Callable[[Token], _T]:
    """A function of the parse around a token, computed once per token of a document.

    For the functions of the parse alone that attribution asks about the same tokens again and again."""
    key = f"{function.__module__}.{function.__qualname__}"

    @functools.wraps(function)
    def kept(token: Token) -> _T:
        found = token.doc.user_data.setdefault(key, {})
        if token.i not in found:
            found[token.i] = function(token)
        return found[token.i]  # type: ignore[no-any-return]

    return kept


def sentence_of(token: Token) -> Span:
    """``token.sent`` without spaCy's scan from the start of the document on every call."""
    doc = token.doc
    starts = doc.user_data.get("sentence_starts")
    if starts is None:
        sentences = list(doc.sents)
        starts = doc.user_data["sentence_starts"] = [s.start for s in sentences]
        doc.user_data["sentence_ends"] = [s.end for s in sentences]
    index = bisect.bisect_right(starts, token.i) - 1
    return doc[starts[index] : doc.user_data["sentence_ends"][index]]


def entities_in(span: Span | Doc) -> list[Span]:
    """Named entities inside a span, from a list kept per document (``span.ents`` rebuilds it each time)."""
    doc = span if isinstance(span, Doc) else span.doc
    entities = doc.user_data.get("entities")
    if entities is None:
        entities = doc.user_data["entities"] = list(doc.ents)
        doc.user_data["entity_starts"] = [e.start for e in entities]
    if isinstance(span, Doc):
        return entities
    first = bisect.bisect_left(doc.user_data["entity_starts"], span.start)
    found = []
    for entity in entities[first:]:
        if entity.start >= span.end:
            break
        if entity.end <= span.end:
            found.append(entity)
    return found


def entity_of(token: Token) -> Span | None:
    """The named entity a token belongs to, if any."""
    if not token.ent_type_:
        return None
    doc = token.doc
    entities_in(doc)
    index = bisect.bisect_right(doc.user_data["entity_starts"], token.i) - 1
    if index >= 0:
        entity = doc.user_data["entities"][index]
        if entity.start <= token.i < entity.end:
            return entity
    return None


def subtree_text(token: Token) -> str:
    """The text of a token with everything that hangs off it."""
    return token.doc[token.left_edge.i : token.right_edge.i + 1].text
