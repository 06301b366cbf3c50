"""Cached lookups over one parsed Doc that the quote passes share: its text, the sentence of a token, and
characters to tokens. Doc.text and Token.sent rebuild their answer on every call; these keep it on the Doc."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from spacy.tokens import Doc, Span, Token


def doc_text(doc: Doc) -> str:
    """Doc.text rebuilds the string from tokens on every access; cache it on the Doc."""
    text = doc.user_data.get("parallax.text")
    if text is None:
        text = doc.user_data["parallax.text"] = doc.text
    return text


def sentence_of(doc: Doc, i: int) -> Span:
    """The sentence holding token i. Token.sent rescans the Doc on every call; the starts are cached on it."""
    starts = doc.user_data.get("parallax.sentence_starts")
    if starts is None:
        starts = doc.user_data["parallax.sentence_starts"] = [s.start for s in doc.sents] if len(doc) else [0]
    k = max(0, bisect_right(starts, i) - 1)
    return doc[starts[k]:starts[k + 1] if k + 1 < len(starts) else len(doc)]


def dates_in(doc: Doc, start: int, end: int) -> list[Span]:
    """The DATE entities that start in tokens [start, end). Doc.ents builds a Span for every entity of the Doc
    on each access, so a scan per quote made a long article quadratic (781 quotes in a 400,000-character
    article: 25 s); the entities' token ranges are cached on the Doc, plain integers so that it still
    serialises."""
    ranges = doc.user_data.get("parallax.date_ranges")
    if ranges is None:
        ranges = doc.user_data["parallax.date_ranges"] = [(e.start, e.end) for e in doc.ents if e.label_ == "DATE"]
    lo = bisect_left(ranges, (start, -1))
    hi = bisect_left(ranges, (end, -1))
    return [Span(doc, s, e, label="DATE") for s, e in ranges[lo:hi]]


class Tokens:
    """Character-to-token lookups over one Doc."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.starts = [t.idx for t in doc]

    def at(self, char: int) -> int:
        return max(0, bisect_right(self.starts, char) - 1)

    def between(self, a: int, b: int) -> list[Token]:
        if a >= b:
            return []
        first = bisect_right(self.starts, a - 1)
        return [t for t in self.doc[first:self.at(b - 1) + 1] if a <= t.idx and t.idx + len(t) <= b]
