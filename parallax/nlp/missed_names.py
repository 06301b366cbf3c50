"""One-word names the small model leaves unlabelled when they speak: "Gerasim said", "Budan told reporters".

Garbled copy turns surnames into words the model does not take for names; ``entities`` already recovers such
names of two or three words. A single capitalised proper noun that is the subject of a speech verb is a name
too, and a person: nothing else "told reporters". Common nouns ("Officials said") and words the model gave
any label stay out.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from parallax.nlp.cues import ALL_CUES

_NOT_NAMES = frozenset("""
    he she they it we i you who officials official spokesman spokeswoman minister president police army
    ministry government kremlin report reports statement sources source
""".split())


def speaking_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """``spans`` plus single-token speaking names none of them covers."""
    covered = {i for s in spans for i in range(s.start, s.end)}
    found = []
    for tok in doc:
        if tok.i in covered or tok.ent_type_ or not (tok.is_alpha and tok.is_title and tok.pos_ == "PROPN") \
                or tok.lower_ in _NOT_NAMES or tok.dep_ not in ("nsubj", "nsubjpass") \
                or tok.head.lemma_.lower() not in ALL_CUES or tok.head.i < tok.i:
            continue
        if tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN":
            continue  # part of a longer name the other rules handle
        found.append(Span(doc, tok.i, tok.i + 1, label="PERSON"))
    return spans + found
