"""Police forces: "police said" is the article's police force, named wherever the article names it.

Crime reporting names the force once, often late and only inside a title ("Kerr Putney, the Charlotte-Mecklenburg
police chief"; "a Tulsa police officer"), and otherwise writes "police said" or "according to police". A reader
takes every bare "police" for that force. The force is found as the capitalised place words right before the
noun "police" ("Charlotte-Mecklenburg police", "the Vastby Police Department") and becomes a body of its own
(parallax.nlp.bodies); a bare "police" speaker resolves to it only when the article names exactly one force,
since with two ("Vastby police and Norland police said") "police" could be either and is left unnamed.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

_POLICE = re.compile(r"\bpolice\b", re.IGNORECASE)
# Words after "police" that still name the force itself, not a person of it.
_FORCE_TAIL = frozenset({"department", "service", "force"})
# Capitalised words before "police" that are no place of a force: "State police" is kept (a force), but a
# sentence's first word or a title is not a name.
_NOT_PLACES = frozenset({"the", "a", "an", "according", "but", "and", "police", "said", "says", "former", "local",
                         "military", "secret", "riot", "federal", "city", "county"})


def force_spans(doc: Doc) -> list[tuple[Span, Token, str]]:
    """(the words that name a force, its noun token "police", the force's name) of every police force the
    article names by place: "Charlotte-Mecklenburg police chief" -> "Charlotte-Mecklenburg police"."""
    found = []
    for m in _POLICE.finditer(doc.text):  # the text first: visiting every token costs more than the search
        at = doc.char_span(m.start(), m.end())
        if at is None or len(at) != 1:
            continue
        noun = at[0]
        start = noun.i
        while start > 0 and (_place_word(doc[start - 1]) or (
                doc[start - 1].text in ("-", "–") and start > 1 and _place_word(doc[start - 2]))):
            start -= 1
        if start == noun.i:
            continue
        words = doc[start:noun.i]
        name = "".join(t.text_with_ws for t in words).strip() + " police"
        tail = doc[noun.i + 1] if noun.i + 1 < len(doc) else None
        end = noun.i + 2 if tail is not None and tail.lower_ in _FORCE_TAIL and tail.text[:1].isupper() else noun.i + 1
        found.append((doc[start:end], noun, name))
    return found


def _place_word(token: Token) -> bool:
    # (a sentence's first word is capitalised anyway: a place only if the tagger reads it as a proper noun)
    return token.text[:1].isupper() and token.is_alpha and token.lower_ not in _NOT_PLACES \
        and (not token.is_sent_start or token.pos_ == "PROPN") and token.ent_type_ not in ("PERSON", "DATE")


def is_bare_police(head: Token) -> bool:
    """ "police said", "Police say", "the police said": the noun alone, with no place or number of its own
    ("two police officers", "Vastby police" are other phrases)."""
    return head.lower_ == "police" and not any(
        c.dep_ in ("compound", "amod", "nummod", "poss") or (c.dep_ == "det" and c.lower_ != "the")
        for c in head.lefts)


def the_force(index) -> int | None:
    """The article's one police force, or None when it names none or several."""
    forces = {e.id for e in index.entities if e.kind == "organization" and e.name.lower().endswith(" police")}
    return forces.pop() if len(forces) == 1 else None
