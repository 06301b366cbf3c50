"""Quotation marks in plain text: which characters open and close a quotation, paired per paragraph.

A quotation never crosses a line (a paragraph); an unclosed opening mark runs to the end of its
paragraph, capped so that one stray mark cannot swallow an article. Apostrophes, inch and foot marks and
elisions ('tis, rock 'n' roll, the '90s) are told apart from single quotation marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_QUOTE_CHARS = 2500
TRIM = " \t\r\n.,;:\"“”‘’'«»„—–-\u2063"
_ELISIONS = re.compile(r"(?:tis|twas|em|n['’]|\d0s|cause)\b", re.I)


@dataclass(frozen=True)
class MarkSpan:
    """One pair of quotation marks in the text; ``close`` is None when the quote was never closed."""

    open: int
    close: int | None
    content_start: int
    content_end: int
    paragraph: int

def paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _kind_of(text: str, i: int) -> str | None:
    """Classify the character at i as an opening ('o'), closing ('c'), either ('b') mark or nothing."""
    ch, prev = text[i], text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if ch in "“„«":
        return "o"
    if ch in "”»":
        return "c" if not (prev.isspace() and nxt.isalpha()) else "b"
    if ch == '"':
        return "b"
    if ch in "‘'":
        if prev.isalnum() and nxt.isalnum():
            return None  # Ostrava's, don't
        if (prev.isspace() or prev in "([—–-\"“") and (nxt.isalnum()) and not _ELISIONS.match(text, i + 1):
            return "o"
        if not prev.isspace() and not nxt.isalnum():
            return "c"
        return None
    if ch == "’":
        return None if prev.isalnum() and nxt.isalnum() else ("c" if not prev.isspace() else None)
    return None


_SINGLE, _DOUBLE = "‘'’", "\"“”„«»"


def find_mark_spans(text: str) -> list[MarkSpan]:
    """Pair quotation marks paragraph by paragraph, ignoring apostrophes, inch marks and nested quotes."""
    found: list[MarkSpan] = []
    # Some archives (the New York Times among them) write a double quotation mark as two apostrophes:
    # read '' as one straight double mark, keeping every offset where it was.
    original, text = text, text.replace("''", '"\u2063')
    for number, (p_start, p_end) in enumerate(paragraphs(text)):
        open_at: int | None = None
        family = ""
        nested = False
        i = p_start
        while i < p_end:
            if open_at is not None and i - open_at > MAX_QUOTE_CHARS:
                found.append(_unclosed(text, open_at, i, number))  # runaway: cut, and look for new quotes
                open_at = None
            ch = text[i]
            kind = _kind_of(text, i) if ch in _SINGLE or ch in _DOUBLE else None
            if kind is None:
                i += 1
                continue
            fam = _SINGLE if ch in _SINGLE else _DOUBLE
            if open_at is not None and ch == '"' and text[open_at] in "“„«" and (
                    nested or (i + 1 < p_end and text[i + 1].isalnum() and text[i - 1].isspace())):
                nested = not nested  # straight marks nested in a curly quotation pair among themselves
                i += 1
                continue
            if open_at is None:
                if kind in "ob" and not (ch == '"' and i > 0 and text[i - 1].isdigit()):  # 5'10" is not a quote
                    open_at, family = i, fam
            elif fam == family and kind in "cb" and i > open_at + 1:
                found.append(MarkSpan(open_at, i, open_at + 1, i, number))
                open_at, nested = None, False
            elif fam == family and ch in "“«" and family == _DOUBLE:
                inner = _nested_close(text, i, p_end)
                if inner is not None:
                    i = inner + 1  # 'what he calls “hell” than ...”': a quotation inside the quotation
                    continue
                found.append(_unclosed(text, open_at, i, number))  # a new opening: the old one never closed
                open_at = i
            i += 1
        if open_at is not None and family == _DOUBLE:
            found.append(_unclosed(text, open_at, p_end, number))
        # an unclosed single mark is far more often an apostrophe than a quotation: dropped
    return [s for s in found if _worth_keeping(original, s)]


def _nested_close(text: str, at: int, end: int) -> int | None:
    """Where a curly opening mark met inside an open quotation closes, when it is nested: the next double mark
    closes it within a few words and another closing mark still follows later in the paragraph (for the outer
    quotation). Else None: the outer quotation was never closed."""
    marks = [j for j in range(at + 1, end) if text[j] in _DOUBLE]
    if len(marks) < 2 or text[marks[0]] not in "”»" or marks[0] - at > 80 or text[marks[1]] not in "”»\"":
        return None
    return marks[0]


def _unclosed(text: str, open_at: int, end: int, paragraph: int) -> MarkSpan:
    end = min(end, open_at + MAX_QUOTE_CHARS)
    if end - open_at > MAX_QUOTE_CHARS // 2:
        stop = max(text.rfind(". ", open_at, end), text.rfind("? ", open_at, end), text.rfind("! ", open_at, end))
        if stop > open_at + MAX_QUOTE_CHARS // 2:
            end = stop + 1  # end a cut quotation at a sentence end
    return MarkSpan(open_at, None, open_at + 1, end, paragraph)


def _worth_keeping(text: str, span: MarkSpan) -> bool:
    content = text[span.content_start:span.content_end].strip(TRIM)
    if len(content) < 2 or not any(c.isalpha() for c in content):
        return False
    if span.close is None and len(content.split()) < 3:
        return False
    return True


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end
