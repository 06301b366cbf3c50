"""Family names shared inside one article: who is introduced as someone's relative, and given names that borrow
the surname of the name they are coordinated with.

When an article names two people of one family, it keeps the relative apart by the given name ("his wife, Heidi
Roe", "Ivo Roe, the nominee's eldest son") and gives the bare surname to the one the story is about. So a
person introduced as somebody's relative is never the default referent of the bare surname, nor the holder of an
office an epithet names ("the nominee" is not the nominee's son). "Both Jonas and Ida Roe" names two people
of the surname Roe, not a Jonas of his own.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from parallax.knowledge.genders import given_name_gender

# Nouns of family relation; "ex-wife" parses with "wife" as its head.
KIN_NOUNS = frozenset("""wife husband spouse widow widower daughter son mother father brother sister niece nephew
    granddaughter grandson grandmother grandfather stepdaughter stepson stepmother stepfather fiancee fiance
    ex-wife ex-husband""".split())


def relative_noun(span: Span) -> str | None:
    """The kinship noun a name is introduced with, when it is someone's relative: "his wife, Heidi Roe",
    "Ivo Roe, the nominee's eldest son", "wife Heidi", "Roe's daughter Ida Roe". Not "Jonas Roe, the father
    of five": a relation nobody owns describes the person, not whose relative they are."""
    root = span.root
    candidates = [c for c in root.children if c.dep_ == "appos" and c.i >= span.end]
    if root.dep_ == "appos" and root.head.i < span.start:
        candidates.append(root.head)
    doc = span.doc
    if span.start > 0 and doc[span.start - 1].head.i in range(span.start, span.end) \
            and doc[span.start - 1].dep_ in ("compound", "nmod", "amod"):
        candidates.append(doc[span.start - 1])  # "wife Heidi", "daughter Ida Roe"
    for noun in candidates:
        word = noun.lower_
        if word not in KIN_NOUNS or noun.tag_ in ("NNS", "NNPS"):
            continue
        owned = any(c.dep_ == "poss" for c in noun.children)
        if owned or noun.i == span.start - 1:
            return word
    return None


def borrowed_surname(span: Span, names: dict[int, Span]) -> str | None:
    """The surname a lone given name borrows from the name coordinated after it: "Donald" in "both Donald and
    Ivana Roe" -> "Roe" (the lone one a known given name, the partner a two-word name), else None. ``names``
    maps the first token of each person name to its span."""
    if len(span) != 1 or not given_name_gender(span[0].text):
        return None
    doc, at = span.doc, span.end
    if at + 1 >= len(doc) or doc[at].lower_ not in ("and", "&"):
        return None
    partner = names.get(at + 1)
    if partner is None or len(partner) != 2 or not all(t.is_alpha and t.text[:1].isupper() for t in partner):
        return None
    return partner[1].text


def coordinated_partners(doc: Doc, spans: list[Span]) -> list[Span]:
    """``spans`` with the full name the small model missed after a known given name and "and": "James and
    Olive Meehan" tagged only "James" still names Olive Meehan."""
    covered = {i for span in spans for i in range(span.start, span.end)}
    added = []
    for span in spans:
        at = span.end
        if len(span) != 1 or span.label_ != "PERSON" or not given_name_gender(span[0].text) \
                or at + 2 >= len(doc) or doc[at].lower_ not in ("and", "&"):
            continue
        pair = doc[at + 1:at + 3]
        if all(t.pos_ == "PROPN" and t.is_alpha and t.text[:1].isupper() and not t.is_upper and t.i not in covered
               for t in pair) and not (at + 3 < len(doc) and doc[at + 3].pos_ == "PROPN"):
            added.append(Span(doc, pair.start, pair.end, label="PERSON"))
    return sorted(spans + added, key=lambda s: s.start) if added else spans
