"""Bodies named after a person or a place: "the Trump campaign", "Donald Trump's campaign", "the Obama
administration", "the Korvian government".

They speak for themselves and are organisations of their own, never the person they are named after: a
campaign's statement credited to its candidate puts words in his mouth. Each is an entity named "<Surname>
<noun>" for a person ("Trump campaign", as the article's shorter form and the way people refer to it) or
"<Place> <noun>" for a country, and linked to its owner's entity (``Entity.owner``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from parallax.nlp.forces import force_spans
from parallax.nlp.lookups import doc_text

# Nouns of bodies that belong to one person or country. Ministries, parties and agencies carry names of
# their own and are found by the entity model already.
BODY_NOUNS = frozenset("campaign administration government presidency camp team family".split())
_OWNER_DEPS = frozenset({"compound", "poss", "amod", "nmod"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_BODY_WORD = re.compile(r"\b(?:" + "|".join(sorted(BODY_NOUNS)) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class Body:
    span: Span  # the words that name it, owner included: "Donald Trump's campaign"
    name: str  # "Trump campaign"
    owner: Span | None  # the owner's name span ("Donald Trump"), None for a nationality ("Korvian")


def find_bodies(doc: Doc, names: list[Span]) -> list[Body]:
    """Bodies whose owner is one of the candidate name spans (or a nationality word) right before the noun."""
    ending_at = {}
    surnames = {[t for t in s if t.is_alpha][-1].lower_ for s in names
                if s.label_ == "PERSON" and sum(t.is_alpha for t in s) > 1}
    for span in names:
        end = span.end
        while end > span.start and doc[end - 1].text in _POSSESSIVE:
            end -= 1
        ending_at[end] = span
    found = []
    for m in _BODY_WORD.finditer(doc_text(doc)):  # the text first: visiting every token costs more than the search
        at = doc.char_span(m.start(), m.end())
        if at is None or len(at) != 1:
            continue
        noun = at[0]
        if noun.tag_ != "NN" or noun.i == 0:
            continue
        # (one adjective may stand between: "Donald Trump's presidential campaign")
        before = noun.i - 1 if doc[noun.i - 1].dep_ == "amod" and doc[noun.i - 1].tag_ == "JJ" \
            and doc[noun.i - 1].head.i == noun.i and noun.i > 1 else noun.i
        end = noun.i - 1 if doc[noun.i - 1].text in _POSSESSIVE else noun.i
        owner = ending_at.get(end)
        if owner is None and before < noun.i:
            end = before - 1 if doc[before - 1].text in _POSSESSIVE else before
            owner = ending_at.get(end)
        if owner is not None and (owner.label_ in ("PERSON", "GPE") or (
                owner.label_ == "ORG" and len(owner) == 1 and owner[0].lower_ in surnames)) \
                and doc[end - 1].head.i == noun.i and doc[end - 1].dep_ in _OWNER_DEPS:
            word = doc[end - 1].text if owner.label_ != "GPE" else _bare(owner)
            found.append(Body(doc[owner.start:noun.i + 1], f"{word} {noun.lower_}", owner))
        elif doc[noun.i - 1].ent_type_ == "NORP" and doc[noun.i - 1].dep_ in _OWNER_DEPS \
                and noun.lower_ in ("government", "administration", "presidency"):
            found.append(Body(doc[noun.i - 1:noun.i + 1], f"{doc[noun.i - 1].text} {noun.lower_}", None))
    # a police force is named after its place and belongs to no one the article names ("Vastby police")
    found += [Body(span, name, None) for span, _, name in force_spans(doc)]
    return _teams_as_campaigns(found)


def _teams_as_campaigns(found: list[Body]) -> list[Body]:
    """ "Roe's team", "the Roe camp" in an article that names the Roe campaign are that campaign: one body
    under three names, not three speakers. Without a campaign named, a team stays a team (a legal team, a
    transition team)."""
    campaigns = {b.name.rsplit(" ", 1)[0] for b in found if b.name.endswith(" campaign")}
    out = []
    for b in found:
        word, _, noun = b.name.rpartition(" ")
        out.append(Body(b.span, f"{word} campaign", b.owner) if noun in ("team", "camp") and word in campaigns else b)
    return out


def _bare(span: Span) -> str:
    words = [t.text for t in span if t.text not in _POSSESSIVE and t.lower_ != "the"]
    return " ".join(words)
