"""Place mentions the tagger misses or mistypes, found from the words around them.

"the Belgorod region", "Kursk Oblast", "Krasnodar Krai", "the town of Sudzha", "Kharkiv-based" and the place
inside a body's name ("the Kharkiv Oblast administration") name a place whatever label the small model gave
the words: garbled copy gets a region tagged PERSON or not tagged at all. ``place_spans`` returns those spans
labelled GPE and drops the tagger's spans they overlap, so that ``entities.build_entities`` records them as
place mentions like any other. A region keeps its designator in the span ("Belgorod region"), which is how
the packs name regions; a town named after "the town of" is the bare name.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

# Words after a name that make it an administrative region.
REGION_WORDS = frozenset("region oblast krai kray province raion district governorate republic".split())
# Words before "of X" that make X a settlement or region: "the town of Sudzha", "the region of Kursk".
SETTLEMENT_WORDS = frozenset("town city village settlement port hamlet township region province oblast".split())
# Capitalised words that open a phrase but are not a place's name ("the Southern region", "the Border region").
_NOT_NAMES = frozenset("""
    the a an this that border frontier frontline front southern northern eastern western central south north
    east west occupied annexed liberated whole entire same neighbouring neighboring russian ukrainian
    belarusian autonomous federal special military administrative capital
""".split())
_MAX_NAME_WORDS = 2


# Digits a scanner puts for letters of a name ("K1intsy", "Nikopo1", "Hostome1"): after "the town of" such a
# word is still the name, misread.
_SCANNED_DIGITS = frozenset("01")


def _name_word(tok: Token) -> bool:
    text = tok.text
    spelled = tok.is_alpha or (sum(c.isalpha() for c in text) >= 3
                               and all(c.isalpha() or c in _SCANNED_DIGITS for c in text))
    return spelled and text[:1].isupper() and tok.lower_ not in _NOT_NAMES and not tok.is_stop


def _hyphen(doc: Doc, i: int) -> bool:
    """Token ``i`` is a hyphen inside a word ("Ivano-Frankivsk", which the tokenizer splits in three)."""
    return 0 < i < len(doc) - 1 and doc[i].text == "-" and not doc[i - 1].whitespace_ and not doc[i].whitespace_


def _name_before(doc: Doc, end: int) -> int:
    """Start of the capitalised name of at most two words ending just before token ``end`` (or ``end``); a
    hyphenated name ("Novhorod-Siverskyi") is one word of it."""
    start, words = end, 0
    while start > 0 and words < _MAX_NAME_WORDS and _name_word(doc[start - 1]):
        start -= 1
        while start > 1 and _hyphen(doc, start - 1) and _name_word(doc[start - 2]):
            start -= 2
        words += 1
    return start


def _name_after(doc: Doc, start: int) -> int:
    end, words = start, 0
    while end < len(doc) and words < _MAX_NAME_WORDS and _name_word(doc[end]):
        end += 1
        while end < len(doc) - 1 and _hyphen(doc, end) and _name_word(doc[end + 1]):
            end += 2
        words += 1
    return end


def find_place_spans(doc: Doc) -> list[Span]:
    """Spans that the wording marks as places, in text order, labelled GPE."""
    found: list[Span] = []
    for tok in doc:
        word = tok.lower_
        if word in REGION_WORDS and tok.i > 0:
            # "Belgorod region" / "Kursk Oblast" / "Krasnodar Krai": the name with its designator
            start = _name_before(doc, tok.i)
            if start < tok.i and not (word == "republic" and tok.i - start > 1):
                found.append(Span(doc, start, tok.i + 1, label="GPE"))
                continue
        if word in SETTLEMENT_WORDS and tok.i + 2 < len(doc) and doc[tok.i + 1].lower_ == "of" \
                and tok.i > 0 and doc[tok.i - 1].lower_ in ("the", "a", "border", "frontline", "occupied"):
            end = _name_after(doc, tok.i + 2)
            if end > tok.i + 2:
                found.append(Span(doc, tok.i + 2, end, label="GPE"))
                continue
        if word == "based" and tok.i >= 2 and doc[tok.i - 1].text == "-":
            start = _name_before(doc, tok.i - 1)
            if start == tok.i - 2:  # one word glued to "-based": "Kharkiv-based"
                found.append(Span(doc, start, tok.i - 1, label="GPE"))
    return _without_overlaps(found)


def _without_overlaps(spans: list[Span]) -> list[Span]:
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -len(s))):
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def place_spans(doc: Doc, spans: list[Span]) -> list[Span]:
    """``spans`` with the places the wording marks added; a tagger span that overlaps one of them gives way
    to it (the wording is surer than the small model's label)."""
    places = find_place_spans(doc)
    if not places:
        return spans
    kept = [s for s in spans if not any(s.start < p.end and p.start < s.end for p in places)]
    return kept + places
