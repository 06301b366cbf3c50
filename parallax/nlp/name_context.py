"""The words around a name, kept on its entity so that resolution can use them after the Doc is gone.

A garbled name is resolved by what surrounds it ("NATO chief ...", "... governor of the Belgorod region"), wider
than the title words directly before it that ``entities`` records as descriptors; see ``noisy_names``.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from parallax.model import Entity

_WINDOW = 10  # tokens either side of a mention, within its sentence


def with_context(doc: Doc, entities: tuple[Entity, ...], mention_tokens) -> tuple[Entity, ...]:
    """Entities with ``context``: the lower-cased content words near any of their mentions."""
    words: dict[int, set[str]] = {}
    sentenced = doc.has_annotation("SENT_START")
    for start, end, entity_id in mention_tokens:
        first, last = (doc[start].sent.start, doc[start].sent.end) if sentenced else (0, len(doc))
        lo, hi = max(first, start - _WINDOW), min(last, end + _WINDOW)
        bag = words.setdefault(entity_id, set())
        for tok in doc[lo:hi]:
            if (tok.i < start or tok.i >= end) and tok.is_alpha and not tok.is_stop:
                bag.add(tok.lower_)
    return tuple(replace(e, context=frozenset(words[e.id])) if e.id in words else e for e in entities)
