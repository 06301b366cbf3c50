"""Descriptions tied to a name by where they stand: the subject just named, or the name the lead withholds.

Two habits of news writing link a role description to a person without saying "X, the governor":

* **Just named**: "Lena Sorvik says too much is made of the tariff. The Norland governor said ..." The
  description follows a sentence whose subject is a person named in full; the writer varies the name, and the
  description means that subject even when someone else is named more in the article.
* **The withheld name** (a news lead): "A Vastby judge has rejected a request to ... \\n\\n Justice Per Lind
  rejected that argument ..." A paragraph opens with a role description as its subject and the name follows,
  within the next paragraphs, as the subject of a clause: the first person named there for the first time is
  the one the lead described. The lead's own sentence does not count (people it mentions are what the person
  spoke about), nor does a person who was named before the lead.

Both take only people the description does not contradict (parallax.nlp.epithets.may_be: gender, party, another
office); an indefinite lead ("A former council chairman says ...") may name someone only this way. Unnamed-source
nouns ("an official", "a spokesman") are never resolved here: "A spokesman said ... Jane Roe, the mayor, said"
does not make the mayor the spokesman.
"""

from __future__ import annotations

from typing import Callable

from spacy.tokens import Doc, Token

from parallax.nlp.epithets import TRAITS, UNNAMED_NOUNS, may_be
from parallax.nlp.salience import layout
from parallax.nlp.titles import HONORIFICS, PERSON_TITLES, ROLE_SYNONYMS

# How sure a description tied to a name by position is: surer than an epithet chosen by prominence (so a pack
# role does not override it), less than a name.
POSITION_CONFIDENCE = 0.7
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
# How many paragraphs after the lead's may name its person ("A judge ruled ... \n\n The Times had asked ...
# \n\n Justice Per Lind wrote ...").
_LEAD_REACH = 2
# How many tokens after a lead its document may be named (a paragraph-less text is one long paragraph).
_DOCUMENT_REACH = 600
# How many sentences back the subject a description varies may be named.
_BACK = 2


def _subject(doc: Doc, start: int, end: int) -> bool:
    root = doc[start:end].root
    return root.dep_ in _SUBJECTS or (root.dep_ in ("appos", "compound") and root.head.dep_ in _SUBJECTS)


def just_named(doc: Doc, index, position: int, fits: Callable[[int], bool]) -> int | None:
    """The person who is the main-clause subject of the nearest sentence (the description's own, before it, or
    up to ``_BACK`` before) with a person as its main subject, when that person fits; else None. Sentences whose
    subject is no name ("The nominee was speaking in Vastby ...") are passed over: they go on about the same
    person."""
    where = layout(doc)
    sentence = where.sentence(position)
    subjects: dict[int, list[int]] = {}
    for s, e, entity in index.mention_tokens:
        if s >= position:
            break
        found = index.entity(entity)
        if found.kind != "person" and found.owner is not None and index.entity(found.owner).kind == "person":
            entity = found.owner  # "The Ekdal campaign said ... The nominee said": the body's candidate
        if sentence - _BACK <= where.sentence(s) and index.entity(entity).kind == "person" \
                and _main_subject(doc, s, e):
            subjects.setdefault(where.sentence(s), []).append(entity)
    for k in range(sentence, sentence - _BACK - 1, -1):
        if k in subjects:
            people = list(dict.fromkeys(subjects[k]))
            return people[0] if len(people) == 1 and fits(people[0]) else None
    return None


def _main_subject(doc: Doc, start: int, end: int) -> bool:
    root = doc[start:end].root
    if root.dep_ in ("appos", "compound") and root.head.dep_ in _SUBJECTS:
        root = root.head
    if root.dep_ not in _SUBJECTS:
        return False
    verb = root.head
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")


def is_lead(doc: Doc, head: Token) -> bool:
    """Whether the description is the subject that opens its paragraph ("A Vastby judge has rejected ...",
    "The Norland tax commissioner says ...")."""
    if head.dep_ not in _SUBJECTS:
        return False
    first = doc[head.left_edge.i]
    before = doc[first.i - 1] if first.i > 0 else None
    return before is None or "\n" in before.text or "\n" in before.whitespace_ or (
        first.is_sent_start and layout(doc).paragraph(first.i) != layout(doc).paragraph(max(0, first.i - 1)))


def withheld_name(doc: Doc, index, head: Token, fits: Callable[[int], bool], kind: str = "person") -> int | None:
    """The person a paragraph-opening description withholds: the first person named in full for the first
    time after the lead's sentence, as a clause's subject, within the lead's paragraph and the next
    ``_LEAD_REACH``; None when that person does not fit (never a later one: the lead's person comes first)."""
    if not is_lead(doc, head):
        return None
    where = layout(doc)
    sentence, paragraph = where.sentence(head.i), where.paragraph(head.i)
    first_seen: dict[int, int] = {}
    for s, _, entity in index.mention_tokens:
        first_seen.setdefault(entity, s)
    for s, e, entity in index.mention_tokens:
        if where.sentence(s) <= sentence:
            continue
        if where.paragraph(s) > paragraph + _LEAD_REACH:
            return None
        if index.entity(entity).kind != kind or first_seen[entity] != s or e - s < 2 or not _subject(doc, s, e):
            continue
        return entity if fits(entity) else None
    return None


def lead_noun(head: Token) -> str | None:
    """The role noun of a description a lead may withhold a name for ("A Vastby judge", "Norland's tax
    commissioner", "A former council chairman"), else None: never an unnamed-source noun ("a spokesman"), a
    plural, or someone's relation ("Marek's lawyer")."""
    noun = head.lemma_.lower()
    if head.tag_ in ("NNS", "NNPS") or noun not in PERSON_TITLES and noun not in TRAITS or noun in UNNAMED_NOUNS \
            or noun in HONORIFICS:
        return None
    if any(c.dep_ == "poss" and c.ent_type_ not in ("GPE", "LOC") for c in head.lefts):
        return None
    return noun


def withheld_person(doc: Doc, index, head: Token, genders: dict[int, str], definite: bool) -> int | None:
    """The person a paragraph-opening role description withholds (``withheld_name``), among those it does not
    contradict. A definite one ("The Norland governor") usually varies a name given before, so it takes a
    later name only when the article gives that person the description's noun ("Governor Lena Sorvik")."""
    noun = lead_noun(head)
    if noun is None:
        return None
    modifiers = {t.lower_ for t in head.lefts if t.dep_ in ("amod", "compound", "nmod") and t.is_alpha}
    roles = ROLE_SYNONYMS.get(noun, {noun})

    def fits(entity: int) -> bool:
        found = index.entity(entity)
        return may_be(noun, modifiers, found.descriptors, genders.get(entity, found.gender)) and (
            not definite or bool(roles & found.descriptors))

    return withheld_name(doc, index, head, fits)


_BOUND = {"his": "male", "her": "female"}


def bound_gender(head: Token) -> str | None:
    """The gender a description's own clause gives it: "The nominee attacked her opponent" is a woman (a
    possessive on the object of the description's verb refers back to its subject)."""
    if head.dep_ not in _SUBJECTS:
        return None
    for obj in head.head.children:
        if obj.dep_ == "dobj":
            owner = next((c for c in obj.children if c.dep_ == "poss" and c.lower_ in _BOUND), None)
            if owner is not None:
                return _BOUND[owner.lower_]
    return None


# Nouns of a body a lead may withhold the name of: "A union representing harbour pilots endorsed ...".
_BODY_LEAD_NOUNS = frozenset("""union company firm agency association organization organisation charity
    nonprofit coalition foundation institute bank""".split())


def withheld_body(doc: Doc, index, head: Token) -> int | None:
    """The body a paragraph-opening indefinite description ("A union representing harbour pilots") withholds:
    the first organisation named for the first time after the lead, as a clause's subject."""
    if head.tag_ in ("NNS", "NNPS") or head.lemma_.lower() not in _BODY_LEAD_NOUNS:
        return None
    return withheld_name(doc, index, head, lambda entity: True, kind="organization")


def withheld_document(doc: Doc, head: Token, issuer_of: Callable[[Token], int | None]) -> int | None:
    """The issuer of the document a paragraph-opening "A new poll shows ..." withholds: the first later
    document with the same noun, within the lead's reach, whose issuer is named ("The latest Kessholm Post
    poll released Friday ...")."""
    if not is_lead(doc, head):
        return None
    where = layout(doc)
    paragraph, noun = where.paragraph(head.i), head.lemma_.lower()
    for tok in doc[head.i + 1:head.i + 1 + _DOCUMENT_REACH]:
        if where.paragraph(tok.i) > paragraph + _LEAD_REACH:
            return None
        if tok.lemma_.lower() == noun and tok.tag_ == "NN":
            found = issuer_of(tok)
            if found is not None:
                return found
    return None


def named_beside(head: Token, index) -> int | None:
    """A person named right after the description as its apposition, or as a second subject of its verb that
    the parser split off ("wrote the Norland ambassador at the time, Jon Dale"): the description's name."""
    candidates = [c for c in head.children if c.dep_ == "appos" and c.i > head.i]
    if head.dep_ in _SUBJECTS:
        candidates += [c for c in head.head.children if c.dep_ in _SUBJECTS and c.i > head.i
                       and doc_comma_before(c)]
    for tok in candidates:
        entity = index.token_entity.get(tok.i)
        if entity is not None and index.entity(entity).kind == "person":
            return entity
    return None


def doc_comma_before(token: Token) -> bool:
    """Whether a comma stands right before the phrase the token heads."""
    first = token.left_edge.i
    return first > 0 and token.doc[first - 1].text == ","
