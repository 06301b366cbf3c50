"""How a speaker was credited: the way its local mention led to an entity (``via``), how sure that is
(``confidence``), and the named members of a group speaker ("Volostny and Verbytska said", "both leaders").

Confidences are priors per way of resolving, lowered by what makes the case at hand doubtful (a surname two
people of the article share); the pronoun scorer may give its own from its salience margin.
"""

from __future__ import annotations

from spacy.tokens import Doc

from parallax.nlp.entities import PERSON_TITLES, TITLE_MODIFIERS, EntityIndex
from parallax.nlp.speaker_phrases import RELATIVES
from parallax.nlp.speakers import PLURAL_PRONOUNS, POSSESSIVE_GENDER, PRONOUN_GENDER, SpeakerResolver
from parallax.nlp.titles import ROLE_SYNONYMS


# How sure each way of resolving a speaker is, before evidence of the case at hand (see ``resolution_via``):
# roughly the share right of each way on PolNeAR dev (benchmarks/speakers_polnear.py: a full name 96%, a
# surname 95%, a description 83%, a pronoun 72% of the speakers they resolved).
VIA_CONFIDENCE = {"name": 0.97, "alias": 0.9, "surname": 0.92, "description": 0.8, "role": 0.75,
                  "pronoun": 0.7, "group": 0.85, "continuation": 0.85}
_SELF_PRONOUNS = frozenset({"i", "we", "me", "us", "my", "our"})


def resolution_via(doc: Doc, span: tuple[int, int], named: int | None, entity: int | None,
                   index: EntityIndex) -> tuple[str | None, float | None]:
    """How the local mention ``span`` led to ``entity`` (name, alias, surname, pronoun, description) and how
    sure that is; (None, None) when it led nowhere."""
    if entity is None:
        return None, None
    words = [t for t in doc[span[0]:span[1]] if t.is_alpha and t.lower_ not in PERSON_TITLES
             and t.lower_ not in TITLE_MODIFIERS and t.lower_ != "the"]
    if named is None:
        head = doc[span[0]:span[1]].root.lower_
        if head in RELATIVES:
            return "pronoun", 0.9  # "X, who said": the parse names the antecedent, no salience guess
        if head in PRONOUN_GENDER or head in POSSESSIVE_GENDER or head in PLURAL_PRONOUNS or head in _SELF_PRONOUNS \
                or head == "it":
            return "pronoun", VIA_CONFIDENCE["pronoun"]
        if span[1] - span[0] == 1 and index.entity(entity).kind == "person" \
                and head == index.entity(entity).name.lower().split()[-1]:
            return "surname", VIA_CONFIDENCE["surname"]  # a surname the tagger took for a common noun
        return "description", VIA_CONFIDENCE["description"]
    name = index.entity(entity).name.lower().split()
    said = [t.lower_ for t in words]
    if index.entity(entity).kind != "person":
        written = [t.lower_ for t in doc[span[0]:span[1]] if t.is_alpha and t.lower_ != "the"]
        return ("name", VIA_CONFIDENCE["name"]) if all(w in written for w in name) \
            else ("alias", VIA_CONFIDENCE["alias"])
    if said and said == name[-len(said):] and len(said) >= len(name):
        return "name", VIA_CONFIDENCE["name"]
    if len(said) == 1 and len(name) > 1 and said[0] == name[-1]:
        # a surname alone is as sure as the article has one person of that surname
        others = sum(1 for e in index.entities if e.id != entity and e.kind == "person"
                     and e.name.lower().split()[-1:] == said)
        # (below 0.6, where the briefing marks a credit uncertain, when another person has it too)
        return "surname", round(VIA_CONFIDENCE["surname"] - 0.35 * min(others, 2), 2)
    if said and said == name[:len(said)] or (said and all(w in name for w in said)):
        return "name", VIA_CONFIDENCE["name"] - 0.05
    return "alias", VIA_CONFIDENCE["alias"]


_BOTH = frozenset({"both", "two"})


def group_members(resolver: SpeakerResolver, span: tuple[int, int]) -> tuple[tuple[int, ...], tuple[int, int]]:
    """The named members of a group speaker and the span that names the group: "Volostny and Verbytska said"
    (every name coordinated with the subject), "both leaders" / "the two presidents" (the two people the
    article last described with that role). ((), span) when the speaker is no group of named members:
    "officials" and "two diplomats" stay unnamed."""
    doc, index = resolver.doc, resolver.index
    head = doc[span[0]:span[1]].root
    if head.i in index.token_entity and head.conjuncts:
        members = [index.token_entity.get(t.i) for t in (head, *head.conjuncts)]
        if all(m is not None for m in members) and len(set(members)) >= 2 \
                and all(index.entity(m).kind == "person" for m in members):  # type: ignore[arg-type]
            last = max(t.right_edge.i for t in head.conjuncts)
            return tuple(dict.fromkeys(members)), (min(span[0], head.left_edge.i), max(span[1], last + 1))  # type: ignore[arg-type]
    if head.tag_ not in ("NNS", "NNPS") or not ({c.lower_ for c in head.lefts} & _BOTH):
        return (), span
    noun = head.lemma_.lower()
    if noun not in PERSON_TITLES and noun not in ROLE_SYNONYMS and noun not in GROUP_ROLES:
        return (), span
    roles = ROLE_SYNONYMS.get(noun, {noun}) | GROUP_ROLES.get(noun, set())
    fitting = [e for e in resolver._persons_before(span[0]) if roles & resolver.index.entity(e).descriptors]
    if len(fitting) < 2:
        return (), span
    return tuple(reversed(fitting[:2])), span  # in the order the article named them


# Plural nouns for the people a group speaker is ("both candidates" are the nominees named before).
GROUP_ROLES = {"candidate": {"candidate", "nominee"}, "nominee": {"nominee", "candidate"},
               "leader": {"president", "premier", "prime", "chancellor", "leader"}}
