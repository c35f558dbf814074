"""Skimming: which sentences of an article the parser has to read.

spaCy is most of the cost of a run, and most sentences of a news article hold no count. A
sentence is parsed when it holds a number that may count something, or when such a number
needs it for its speaker, its quotation or its date; the rest is blanked before parsing, so
offsets stay those of the article. Judged from the words alone, and erring towards parsing.
"""

from __future__ import annotations

import re

from .domain import Domain
from .types import Article

# a sentence ends at . ! or ? (and a closing quote) before a capital or digit, unless it ends in an
# abbreviation such as "Gen.", "U.S." or "p.m." (the look-ahead first: most positions hold no stop, and the
# look-behinds are slow to try at each)
_SENTENCE_END = re.compile(
    r"(?=[.!?])(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z][a-z])(?<!\.[A-Za-z])[.!?][\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])"
)
# "the agency said": a body named in an earlier sentence
BODY_NOUNS = frozenset(
    {"agency", "group", "organisation", "organization", "union", "charity", "body", "alliance", "company"}
)
_NEEDS_CONTEXT = re.compile(
    rf"\b(?:he|she|they|it|his|her|their|its|the (?:{'|'.join(sorted(BODY_NOUNS))}))\b|[\"“”]", re.IGNORECASE
)
_OPENS_QUOTE = re.compile(r"^\s*[\"“‘']")


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Rough sentence offsets of ``text[start:end]``: line breaks and full stops, for choosing what to parse."""
    spans = []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        begin = start + line.start()
        for stop in _SENTENCE_END.finditer(line.group()):
            spans.append((begin, start + line.start() + stop.end()))
            begin = start + line.start() + stop.end()
        spans.append((begin, start + line.end()))
    return [(b, e) for b, e in spans if text[b:e].strip()]


def _dates_a_statement(sentence: str) -> bool:
    """ "Smith said on Tuesday ...": a reporting verb and a day, which date the speaker's later numbers."""
    from .attribute import reporting_verb_forms
    from .dates import find_dates

    if reporting_verb_forms().isdisjoint(re.findall(r"\w+", sentence.lower())):
        return False
    return any(m.precision == "day" for m in find_dates(sentence, published=None))


def quote_opening(text: str, position: int) -> int | None:
    """Where a quotation still open at ``position`` opened in its paragraph, if one is."""
    paragraph = text.rfind("\n", 0, position) + 1
    segment = text[paragraph:position]
    if segment.count("“") <= segment.count("”"):
        return None
    return paragraph + segment.rfind("“")


def unparsed_spans(article: Article, *, domain: Domain) -> list[tuple[int, int]]:
    """Sentences the parser can skip: no number that might be a count, and no such number needs them.

    A sentence with a pronoun or a quotation keeps the sentence before it (who "he" is, who opened
    the quote), one that opens a quotation the sentence after it (who closes it), and one inside a
    quotation opened earlier the sentences back to the opening and the one before it in the
    paragraph (who speaks)."""
    from .extract import has_count_candidate

    sentences = sentence_spans(article.text, article.body_start, len(article.text))
    keep = [has_count_candidate(article.text[b:e], domain=domain) for b, e in sentences]
    keep[:1] = [True]  # the headline: a standfirst's place and speaker may come from it
    # "Smith said on Tuesday ...": a dated statement dates the speaker's later numbers
    needed = [wanted or _dates_a_statement(article.text[b:e]) for wanted, (b, e) in zip(keep, sentences, strict=True)]
    for index, wanted in enumerate(keep):
        if not wanted:
            continue
        begin, end = sentences[index]
        text = article.text[begin:end]
        if index > 0 and _NEEDS_CONTEXT.search(text):
            needed[index - 1] = True
        if index + 1 < len(sentences) and _OPENS_QUOTE.match(text):
            needed[index + 1] = True
        opening = quote_opening(article.text, begin)
        if opening is not None:  # inside a quotation opened earlier: its opening and the attribution before it
            first = next(i for i, (b, e) in enumerate(sentences) if b <= opening < e)
            paragraph = article.text.rfind("\n", 0, opening) + 1
            if first > 0 and sentences[first - 1][0] >= paragraph:
                first -= 1
            for other in range(first, index):
                needed[other] = True
    return [span for span, parse in zip(sentences, needed, strict=True) if not parse]
