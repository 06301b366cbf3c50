"""The words around a name, kept on its entity so that resolution can use them after the Doc is gone: those
near it (``context``) and the capitalised run right before it, maybe a long title (``title``).

A garbled name is resolved by what surrounds it ("NATO chief ...", "... governor of the Belgorod region"), wider
than the title words directly before it that ``entities`` records as descriptors; see ``noisy_names``.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from parallax.model import Entity

_WINDOW = 10  # tokens either side of a mention, within its sentence
_JOINERS = frozenset("of the for to 's ’s - on in".split())  # inside a long title: "Head of the Presidential Office"


def _run_before(doc: Doc, start: int, first: int) -> set[str]:
    """The content words of the capitalised run that ends right before a mention: "Russia's Chairman of the
    State Duma" before a name, which the descriptors of ``entities`` stop short of at "of" or "the". Whether
    it is a title is for the reader to say (``noisy_names`` asks for a title word among them)."""
    words, i = set(), start - 1
    while i >= first and start - i <= _WINDOW:
        tok = doc[i]
        if not (tok.text[:1].isupper() or tok.lower_ in _JOINERS):
            break  # the end of the title ("said", "official"); a name in the run fits no role, and the reader
            # that asks for a role whose every word the run gives drops it
        if tok.is_alpha and not tok.is_stop:
            words.add(tok.lower_)
        i -= 1
    return words


def with_context(doc: Doc, entities: tuple[Entity, ...], mention_tokens) -> tuple[Entity, ...]:
    """Entities with ``context``: the lower-cased content words near any of their mentions."""
    words: dict[int, set[str]] = {}
    titles: dict[int, set[str]] = {}
    sentenced = doc.has_annotation("SENT_START")
    for start, end, entity_id in mention_tokens:
        first, last = (doc[start].sent.start, doc[start].sent.end) if sentenced else (0, len(doc))
        lo, hi = max(first, start - _WINDOW), min(last, end + _WINDOW)
        titles.setdefault(entity_id, set()).update(_run_before(doc, start, first))
        bag = words.setdefault(entity_id, set())
        for tok in doc[lo:hi]:
            if (tok.i < start or tok.i >= end) and tok.is_alpha and not tok.is_stop:
                bag.add(tok.lower_)
    return tuple(replace(e, context=frozenset(words[e.id]), title=frozenset(titles[e.id])) if e.id in words else e
                 for e in entities)
