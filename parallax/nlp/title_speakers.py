"""Who a headline's speaker is in the article below it.

A headline is parsed on its own, so its speaker is found again in the body: a name is the body's entity sharing
its last word ("Calderon" for "Felipe Calderon"), a document ("Poll: ...") is the document the body credits, and
a role noun ("Judge rejects ...", "Lawmaker urges ...", "Former DNC chairman calls for ...") is the body's person
described with that role, or else the person the body is most about whom the role does not contradict
(parallax.nlp.epithets): a headline speaks of the article's protagonist.
"""

from __future__ import annotations

from spacy.tokens import Token

from parallax.model import Analysis
from parallax.nlp.descriptions import DOCUMENT_FAMILY, OUTLET_NOUNS
from parallax.nlp.epithets import EPITHET_CEILING, PARTIES, TRAITS, UNNAMED_NOUNS, may_be
from parallax.nlp.titles import PERSON_TITLES, ROLE_SYNONYMS, TITLE_ABBREVIATIONS

_HOLDER_CONFIDENCE = 0.8  # as a description resolved through the role the body gave someone


def mention_counts(body: Analysis) -> dict[int, int]:
    counts: dict[int, int] = {}
    for m in body.mentions:
        counts[m.entity] = counts.get(m.entity, 0) + 1
    return counts


def body_entity(name: str, kind: str, body: Analysis) -> int | None:
    """The body's entity a headline name stands for: one sharing the headline name's last word (of the same
    kind and mentioned most when several do: a headline names the article's protagonist)."""
    words = name.lower().replace("’s", "").replace("'s", "").split()
    if not words:
        return None
    counts = mention_counts(body)
    same = [e for e in body.entities if words[-1] in e.name.lower().split()]
    return max(same, key=lambda e: (e.kind == kind, counts.get(e.id, 0))).id if same else None


def body_leading_name(words: list[str], body: Analysis) -> int | None:
    """The body's person a headline's speaker phrase opens with, when the parse ran the name on into the rest
    ("Obama on Climate Change: ...", "Ida Marsh Hammers Bank Chief: ..."): the longest opening run of
    capitalised words (three at most) that ends in a person's surname and whose words are all in that name."""
    run = []
    for word in words:
        if not word[:1].isupper():
            break
        run.append(word.lower().replace("’s", "").replace("'s", ""))
    counts = mention_counts(body)
    for n in range(min(3, len(run)), 0, -1):
        prefix = run[:n]
        same = [e for e in body.entities if e.kind == "person" and e.name.lower().split()[-1:] == prefix[-1:]
                and set(prefix) <= set(e.name.lower().split())]
        if same:
            return max(same, key=lambda e: counts.get(e.id, 0)).id
    return None


def body_document(head: Token, body: Analysis) -> int | None:
    """The issuer of the first document of the headline document's family ("Poll", "New Report") that the
    body credits a quote to."""
    family = DOCUMENT_FAMILY.get(head.lemma_.lower())
    if family is None:
        return None
    for quote in body.quotes:
        speaker = quote.speaker
        if speaker is None or speaker.entity is None:
            continue
        if any(family in (DOCUMENT_FAMILY.get(w), DOCUMENT_FAMILY.get(w.rstrip("s"))) for w in speaker.text.lower().split()):
            return speaker.entity
    return None


# Nouns a headline uses for a body ("Popular Website Shows Bias ...", "Flight attendants' union endorses ...").
_BODY_NOUNS = OUTLET_NOUNS | frozenset("union bloc alliance agency association group company firm bank".split())


def body_organisation(head: Token, body: Analysis) -> tuple[int, float] | None:
    """(entity, confidence) of the organisation a headline body noun stands for: the organisation the body is
    clearly about (named at least twice as often as any other); None when none stands out."""
    noun = head.lemma_.lower()
    if head.tag_ in ("NNS", "NNPS") or noun not in _BODY_NOUNS:
        return None
    counts = mention_counts(body)
    bodies = [e for e in body.entities if e.kind == "organization" and counts.get(e.id)]
    # (all of them, outlets or not: "Popular Website" over an article about a fact-checker that a newspaper
    # owns is the fact-checker)
    ranked = sorted((counts[e.id] for e in bodies), reverse=True)
    if ranked and ranked[0] >= 2 and (len(ranked) == 1 or ranked[0] >= 2 * ranked[1]):
        best = max(bodies, key=lambda e: counts[e.id])
        return best.id, round(min(EPITHET_CEILING, ranked[0] / sum(ranked)), 3)
    return None


def body_person(head: Token, body: Analysis) -> tuple[int, float] | None:
    """(entity, confidence) of the body's person a headline role noun stands for (or of its organisation, for
    a body noun: ``body_organisation``), or None."""
    noun = head.lemma_.lower()
    if noun in _BODY_NOUNS:
        return body_organisation(head, body)
    noun = TITLE_ABBREVIATIONS.get(noun, noun)
    if head.tag_ in ("NNS", "NNPS") or noun in UNNAMED_NOUNS or not (
            noun in PERSON_TITLES or noun in ROLE_SYNONYMS or noun in PARTIES or noun in TRAITS):
        return None  # "Officials say ...": no one in particular
    if any(c.dep_ == "det" and c.lower_ in ("a", "an", "one", "some") for c in head.lefts):
        return None
    modifiers = {t.lower_ for t in head.lefts if t.is_alpha and t.dep_ != "det"}
    roles = frozenset(ROLE_SYNONYMS.get(noun, {noun}))
    counts = mention_counts(body)
    people = [e for e in body.entities if e.kind == "person" and " " in e.name
              and may_be(noun, modifiers, e.descriptors, e.gender, roles)]
    holders = [e for e in people if roles & e.descriptors]
    pool = holders or people
    if not pool:
        return None
    best = max(pool, key=lambda e: (counts.get(e.id, 0), -e.id))
    if holders:
        return best.id, _HOLDER_CONFIDENCE
    share = counts.get(best.id, 0) / max(1, sum(counts.get(e.id, 0) for e in people))
    return best.id, round(min(EPITHET_CEILING, share), 3)
