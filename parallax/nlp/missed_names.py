"""Names of people the small model misses in garbled copy, found from how the sentence uses them.

- One-word names that speak: "Gerasim said", "Director Zo1otov said". Garbled copy turns surnames into words
  the model does not take for names (or takes for a nationality); ``entities`` already recovers such names of
  two or three words. A single capitalised proper noun that is the subject of a speech verb, or in apposition
  to a title that is, is a person: nothing else "told reporters". Common nouns ("Officials said") stay out.
- Names signing a quotation: '"..." ― Beck Pimentel' (vox pops, letters). The words after the dash are a
  person, whatever the model made of them ("Christina N Luis Olidem", not "Luis Olidem" alone).
- Names glued to the title or body before them: "European Commission Economy Commissioner Valdis
  Dombrovskisa" or "the Federation Council Vera Matvuyenko" read as one organisation. The words after the last
  title noun, or from a known given name on, are the person.
- One word between a title and the speech verb it is the subject of ("Finance Minister March said", "United
  Nations chief Gutters said"): a name whatever the model made of it (a month, a plural); a weekday is not.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from parallax.knowledge.genders import given_name_gender
from parallax.nlp.cues import ALL_CUES
from parallax.nlp.lookups import doc_text

# Title nouns after which the words of a span are a name (a subset of entities.PERSON_TITLES, which this
# module cannot import: entities imports it).
_TITLES = frozenset("""
    commissioner minister president chairman chairwoman spokesman spokeswoman spokesperson secretary director
    governor ambassador envoy chief adviser advisor aide representative mayor commander premier chancellor
""".split())
_DEMONYM_ENDINGS = ("ian", "ean", "ese", "ish", "ic", "i")

_NOT_NAMES = frozenset("""
    he she they it we i you who officials official spokesman spokeswoman minister president police army
    ministry government kremlin report reports statement sources source
""".split())


def _name_like(tok) -> bool:
    """A capitalised word, letters with perhaps a digit a scanner put in (Zo1otov)."""
    text = tok.text
    return text[:1].isupper() and text.isalnum() and sum(c.isdigit() for c in text) <= 1 and len(text) > 2 \
        and not text.isupper()


def speaking_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """``spans`` with glued names split off, plus single-token speaking names none of them covers."""
    spans = [part for span in spans for part in _split_glued(span)]
    covered = {i for s in spans for i in range(s.start, s.end)}
    found = []
    for tok in doc:
        if tok.i in covered or tok.lower_ in _NOT_NAMES or not _name_like(tok) or tok.pos_ != "PROPN":
            continue
        if tok.ent_type_ and not (tok.ent_type_ == "NORP" and not tok.lower_.endswith(_DEMONYM_ENDINGS)):
            continue  # labelled by the model; a "nationality" that is no demonym is a misread name
        if tok.tag_ == "NNPS":
            continue  # a plural ("Democrats said", "Mexicans say") is a group of people, never one speaker
        speaker = tok if tok.dep_ != "appos" or tok.head.lower_ not in _TITLES else tok.head
        if speaker.dep_ not in ("nsubj", "nsubjpass") and not (tok.dep_ == "pobj" and tok.head.i > 0
                                                                and tok.head.head.dep_ == "nsubj"):
            continue
        verb = speaker.head if speaker.dep_ != "pobj" else speaker.head.head.head
        if verb.lemma_.lower() not in ALL_CUES or verb.i < tok.i:
            continue
        if tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN" and doc[tok.i + 1].i != verb.i:
            continue  # part of a longer name the other rules handle
        found.append(Span(doc, tok.i, tok.i + 1, label="PERSON"))
    covered |= {s.start for s in found}
    found += [Span(doc, i, i + 1, label="PERSON") for i in _named_after_title(doc, covered)]
    return spans + found


_DASHES = frozenset({"―", "—"})
_INITIAL = re.compile(r"[A-Z]\.?")
_CLOSING_MARKS = frozenset({"”", '"', "’", "'"})


def signed_names(doc: Doc, spans: list[Span]) -> list[Span]:
    """``spans`` with the name after a quotation's closing mark and a dash, to the end of its line, as a person;
    a span inside it gives way to it."""
    found = []
    if "―" not in doc_text(doc) and "—" not in doc_text(doc):
        return spans  # (most articles: no token need be looked at)
    for tok in doc:
        text = tok.text
        if not text or text[-1] not in _DASHES or not (
                text[:-1] in _CLOSING_MARKS or (text in _DASHES and _closes_quote(doc, tok.i - 1))):
            continue
        i = tok.i + 1
        while i < len(doc) and doc[i].is_space and "\n" not in doc[i].text:
            i += 1
        start = i
        while i < len(doc) and i - start < 5 and (
                (doc[i].is_title and doc[i].is_alpha) or (i > start and _INITIAL.fullmatch(doc[i].text))):
            i += 1
        after = doc[i] if i < len(doc) else None
        if after is not None and after.text == "." and not _INITIAL.fullmatch(doc[i - 1].text):
            after = doc[i + 1] if i + 1 < len(doc) else None
        if i - start >= 2 and (after is None or "\n" in after.text or (after.is_space and "\n" in after.text)
                               or "\n" in doc[i - 1].whitespace_):
            found.append(Span(doc, start, i, label="PERSON"))
    if not found:
        return spans
    kept = [s for s in spans if not any(f.start < s.end and s.start < f.end for f in found)]
    return sorted(kept + found, key=lambda s: s.start)


def _closes_quote(doc: Doc, i: int) -> bool:
    while i >= 0 and doc[i].is_space:
        i -= 1
    return i >= 0 and doc[i].text[-1:] in _CLOSING_MARKS


_JOINERS = frozenset("of the for to in on".split())
# "the president Tuesday said": a day is when, never who; a month may be a surname ("Prime Minister May said")
_WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday today yesterday".split())


def _named_after_title(doc: Doc, covered: set[int]) -> list[int]:
    """One capitalised word between a title and a speech verb that speaks ("Finance Minister March said",
    "United Nations chief Gutters said", "Under-Secretary-General for Peace Operations Lacrx told"): whatever
    the model made of it (a month, a plural, nothing), it is the name the title belongs to. The title noun may
    open a capitalised run that ends at the word ("Envoy for Syria Pederseri")."""
    found = []
    for tok in doc[1:-1]:
        if tok.i in covered or tok.i - 1 in covered \
                or not _name_like(tok) or tok.lower_ in _NOT_NAMES or tok.lower_ in _TITLES or tok.lower_ in _WEEKDAYS:
            continue
        verb = doc[tok.i + 1]
        if verb.lemma_.lower() not in ALL_CUES or verb.pos_ != "VERB":
            continue
        i = tok.i - 1
        while i >= 0 and tok.i - i <= 8 and doc[i].lower_ not in _TITLES \
                and (doc[i].text[:1].isupper() or doc[i].lower_ in _JOINERS or doc[i].text == "-"):
            i -= 1
        # (a date the model saw, "March", only after a formal title: "Finance Minister March said")
        if i >= 0 and doc[i].lower_ in _TITLES and (i == tok.i - 1 or doc[i].text[:1].isupper()) \
                and (tok.ent_type_ not in ("DATE", "TIME") or doc[i].text[:1].isupper()):
            found.append(tok.i)
    return found


def _split_glued(span: Span) -> list[Span]:
    if span.label_ not in ("ORG", "PERSON", "NORP", "FAC") or len(span) < 3:
        return [span]
    doc = span.doc
    cut = None
    for i in range(span.start + 1, span.end - 1):
        if doc[i].lower_ in _TITLES and doc[i].text[:1].isupper():
            cut = i + 1  # after the last title noun
    if cut is None and span.label_ != "PERSON":  # a person's own name may hold two given names
        cut = next((i for i in range(span.start + 1, span.end - 1)
                    if given_name_gender(doc[i].text) and doc[i].is_title), None)
    if cut is None or not 1 <= span.end - cut <= 3 or not all(_name_like(t) for t in doc[cut:span.end]):
        return [span]
    # the words before keep the model's label only if they were a body; a title alone is no entity
    before = Span(doc, span.start, cut, label=span.label_)
    keep = [before] if span.label_ == "ORG" and doc[cut - 1].lower_ not in _TITLES else []
    return keep + [Span(doc, cut, span.end, label="PERSON")]
