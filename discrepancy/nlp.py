"""spaCy loading and parsing: one parse per article, shared by extract, attribute, dates and group."""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .types import Article


@Language.component("newline_sentences")
def _newline_sentences(doc: Doc) -> Doc:
    # Headlines, bylines and captions end without a full stop: a line break always ends a sentence.
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or "\n" in previous.text:
            token.is_sent_start = True
    return doc


@functools.lru_cache(maxsize=2)
def load_nlp(model: str) -> Language:
    nlp = spacy.load(model)
    nlp.add_pipe("newline_sentences", before="parser")
    return nlp


@dataclass(frozen=True)
class ParsedArticle:
    article: Article
    doc: (
        Doc  # parse of the article text with front matter and furniture blanked: offsets equal Article.text's
    )


def masked_text(article: Article) -> str:
    """The article text with front matter and page furniture replaced by spaces (newlines kept)."""
    chars = list(article.text)
    spans = [(0, article.body_start), *article.excluded]
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def parse_article(article: Article, *, model: str) -> ParsedArticle:
    return ParsedArticle(article, load_nlp(model)(masked_text(article)))


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
