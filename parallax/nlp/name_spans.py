"""The spans that may be names, from spaCy's entities cleaned of what the small model gets wrong: names it
missed (after a title, before a speech verb, outlets of the pack), names glued to other words (a country before
a person, an outlet or an epithet before a name, an imperative before a place), and the sentences of a
title-case headline read as names.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from parallax.knowledge.genders import given_name_gender
from parallax.nlp.cues import ALL_CUES, STANCE_VERBS
from parallax.nlp.descriptions import outlet_spans
from parallax.nlp.lookups import doc_text
from parallax.nlp.titles import NAME_LABELS, ORG_KEYWORDS, PERSON_TITLES, TITLE_MODIFIERS

_SAYING = frozenset("say says said tell tells told".split())


def trim_name(span: Span, label: str, surnames: set[str]) -> Span:
    """A candidate name without an imperative glued before it ("Say Mexico demanded ...") and reduced to its
    person's core (see ``_person_core``)."""
    if len(span) > 1 and span[0].lower_ in _SAYING:
        span = span[1:]
    return _person_core(span, label, surnames)


def _person_core(span: Span, label: str, surnames: set[str]) -> Span:
    """The person's name inside a span the model glued to other words: "Washington Post Trump" (an
    outlet before the name, tagged PERSON or, when the name is a surname of the article, ORG),
    "Crooked Hillary Clinton" (a word before a known given name)."""
    if label not in ("PERSON", "ORG") or len(span) < 2:
        return span
    doc, start = span.doc, span.start
    org = [t.i for t in span[:-1] if t.lower_ in ORG_KEYWORDS and t.is_title]
    if label == "ORG":
        if org and span[-1].lower_ in surnames and span[-1].lower_ not in ORG_KEYWORDS and span[-1].is_title:
            return doc[org[-1] + 1:span.end]
        return span
    if org:
        start = org[-1] + 1
    elif len(span) >= 3 and not _given_name(span[0]):
        given = next((t.i for t in span[1:-1] if _given_name(t) and t.is_title), None)
        if given is not None:
            start = given
    return doc[start:span.end]


def candidate_spans(doc: Doc) -> list[Span]:
    places = {e.text.lower() for e in doc.ents if e.label_ in ("GPE", "LOC") and len(e) == 1}
    norp = {e.text.lower() for e in doc.ents if e.label_ == "NORP"}
    spans: list[Span] = []
    ents = [e for e in doc.ents if e.label_ in NAME_LABELS]
    for e in ents:
        if len(e) == 1 and e.label_ in ("PERSON", "ORG") and _demonym(e.text.lower(), places, norp):
            continue  # "Brevnian" tagged PERSON: a nationality, not someone a pronoun can point to
        if spans and spans[-1].end == e.start and len(spans[-1]) == 1 and e.label_ == "PERSON" \
                and _given_name(spans[-1][0]):
            spans[-1] = Span(doc, spans[-1].start, e.end, label="PERSON")  # "Marta" (GPE) + "Velichko"
            continue
        if e.label_ in ("PERSON", "ORG") and len(e) <= 2 and e.start > 0 and not doc[e.start - 1].ent_type_ \
                and _given_name(doc[e.start - 1]) and all(t.is_title for t in e) \
                and not any(t.lower_ in ORG_KEYWORDS for t in e):
            e = Span(doc, e.start - 1, e.end, label="PERSON")  # "Per" read as a preposition + "Lindqvist"
        elif e.label_ == "PERSON" and len(e) == 1 and e.start > 0 and _untagged_given_name(doc[e.start - 1]):
            e = Span(doc, e.start - 1, e.end, label="PERSON")  # "Amelize Joseph loves ...": "Joseph" alone tagged
        if e.label_ == "ORG" and spans and spans[-1].label_ == "ORG" and _for_the(doc, spans[-1], e):
            spans[-1] = Span(doc, spans[-1].start, e.end, label="ORG")  # "Court of Appeals for the Sixth Circuit"
            continue
        spans.extend(_place_then_person(e, places) or [e])
    outlets = _unlabelled_outlets(doc) + _unlabelled_bodies(doc)
    taken = {i for o in outlets for i in range(o.start, o.end)}
    found = [s for s in spans + _titled_unlabelled_names(doc) + _speaking_unlabelled_names(doc)
             if not any(i in taken for i in range(s.start, s.end))] + outlets
    title_case: dict[int, bool] = {}
    return sorted((piece for span in found for piece in _headline_pieces(span, title_case)), key=lambda s: s.start)


_FUNCTION_WORDS = frozenset("""a an and as at by for from in into of on or the to with will would can could
    should may might must is are was were be been has have had not no over after before""".split())


_IRREGULAR_CUES = frozenset("said says told tells wrote writes spoke speaks thought".split())


def _for_the(doc: Doc, first: Span, second: Span) -> bool:
    """Whether two bodies are one name joined by "for the": "the U.S. Court of Appeals for the Sixth Circuit",
    "the Office for the Coordination of ...". The first must end in a capitalised word of its own."""
    between = [t.lower_ for t in doc[first.end:second.start]]
    return between in (["for", "the"], ["for"]) and doc[first.end - 1].is_title \
        and doc[first.end - 1].lower_ not in ("the",)


def _cue_form(word: str) -> bool:
    """ "Thanked", "Says", "Urges", "Denied": a form of a cue or stance verb, as a title-case headline
    writes it (the tagger reads those as proper nouns)."""
    lexicon = ALL_CUES | STANCE_VERBS
    if word in _IRREGULAR_CUES:
        return True
    bases = [word[:-1]] if word.endswith("s") and not word.endswith("ss") else []
    if word.endswith("ed"):
        bases += [word[:-2], word[:-1]] + ([word[:-3] + "y"] if word.endswith("ied") else [])
    return any(base in lexicon for base in bases)  # the bare form ("Post", "Back") is a name as often


def _headline_pieces(span: Span, title_case: dict[int, bool]) -> list[Span]:
    """A title-case headline read as a sentence ("Lukashenko Said Putin Would Visit Minsk") gives the model
    spans across its verbs and small words: the names are the pieces between them. ``title_case`` keeps the
    verdict per sentence start."""
    if not any(t.is_space or t.lower_ in _FUNCTION_WORDS or t.tag_.startswith("VB") or _cue_form(t.lower_)
               for t in span):
        return [span]  # nothing to cut at: no need to look at the sentence
    sent = span.sent
    if sent.start not in title_case:
        words = [t for t in sent if t.is_alpha]
        title_case[sent.start] = len(words) >= 4 and sum(t.text[:1].isupper() for t in words) >= 0.7 * len(words)
    if not title_case[sent.start]:
        return [span]
    pieces, start = [], span.start
    for t in span:
        breaks = t.is_space or t.lower_ in _FUNCTION_WORDS or t.tag_.startswith("VB") or _cue_form(t.lower_)
        if breaks:
            if t.i > start:
                pieces.append(Span(span.doc, start, t.i, label=span.label_))
            start = t.i + 1
    if span.end > start:
        pieces.append(Span(span.doc, start, span.end, label=span.label_))
    return pieces


def _unlabelled_outlets(doc: Doc) -> list[Span]:
    """ "RT reported", "Politico said", "a USA TODAY analysis": an outlet of the shipped pack that the model
    left without a label or split into other names. Found in the text (one pass of a regular expression,
    cheaper than visiting every token), then checked on its tokens."""
    found = []
    for start, end in outlet_spans(doc_text(doc)):
        words = doc.char_span(start, end)
        if words is None or not len(words) or len(words) > 3:
            continue
        # a name the model found already (exactly, or inside a longer organisation: "Washington
        # Post-ABC News") is kept; a place and a date read into "USA TODAY" are not
        exact = any(e.start == words.start and e.end == words.end for e in doc.ents) if words[0].ent_type_ else False
        labelled = any(t.ent_type_ in ("ORG", "PERSON", "FAC", "WORK_OF_ART") for t in words) or exact
        if not labelled and (len(words) > 1 or words[0].pos_ == "PROPN") and end - start > 1:
            found.append(Span(doc, words.start, words.end, label="ORG"))
    return found


# A capitalised body noun ("Coalition", "Foundation"): where the model tagged nothing, the words before it
# may be a body's name. Searched in the text first, like the outlets.
_BODY_KEYWORD = re.compile(r"\b[A-Z][\w’'-]* (" + "|".join(sorted(w.capitalize() for w in ORG_KEYWORDS if len(w) > 3))
                           + r")\b")
_NAME_JOINS = frozenset({"and", "of", "for", "&"})


def _unlabelled_bodies(doc: Doc) -> list[Span]:
    """ "the Central and East European Coalition said": a body's capitalised name after "the", ending in a
    body noun, that the model left without a name label or cut into a place and nationalities (at most six
    words; small joining words inside; never over a person's name)."""
    found = []
    for m in _BODY_KEYWORD.finditer(doc_text(doc)):  # a capitalised word, then the noun
        at = doc.char_span(m.start(1), m.end(1))
        if at is None or len(at) != 1 or at[0].ent_type_ in NAME_LABELS:
            continue
        end = at[0].i + 1
        start = at[0].i
        while start > 0 and at[0].i - start < 6:
            before = doc[start - 1]
            if before.is_alpha and before.is_title and before.ent_type_ != "PERSON" \
                    and before.lower_ not in ("the", "a", "an") and not before.is_sent_start:
                start -= 1
            elif before.lower_ in _NAME_JOINS and start - 2 >= 0 and doc[start - 2].is_title and start < at[0].i:
                start -= 1
            else:
                break
        if start < at[0].i and doc[start].lower_ not in _NAME_JOINS and start > 0 and doc[start - 1].lower_ == "the":
            found.append(Span(doc, start, end, label="ORG"))
    return found


def _untagged_given_name(tok: Token) -> bool:
    """An unfamiliar capitalised proper noun opening the sentence right before a one-word PERSON: the given
    name the model left out. Not a title, a body word or a headline verb."""
    return tok.is_sent_start and tok.pos_ == "PROPN" and tok.is_title and tok.is_alpha and not tok.ent_type_ \
        and tok.lower_ not in PERSON_TITLES and tok.lower_ not in TITLE_MODIFIERS \
        and tok.lower_ not in ORG_KEYWORDS and tok.lower_ not in _FUNCTION_WORDS and not _cue_form(tok.lower_)


def _given_name(tok: Token) -> bool:
    return tok.is_title and tok.is_alpha and given_name_gender(tok.text) is not None


def _demonym(word: str, places: set[str], norp: set[str]) -> bool:
    """A nationality adjective: tagged NORP elsewhere or sharing its stem with a place of the article.
    The suffix test keeps names the model also tags NORP now and then ("Hamas")."""
    return word.endswith(("ian", "ean", "ese", "ish")) and (word in norp or any(
        len(p) >= 4 and word[:4] == p[:4] and word != p for p in places))


def _place_then_person(ent: Span, places: set[str]) -> list[Span] | None:
    """ "the Minister of Outside Affairs of Brevnia Sergo Makharin": machine-translated word order glues a
    country to the name after it, and the model takes the three words for one organisation."""
    doc, rest = ent.doc, ent[1:]
    if len(ent) < 3 or len(rest) > 3 or ent[0].lower_ not in places or not _given_name(rest[0]) \
            or not all(t.is_alpha and t.text[:1].isupper() and t.lower_ not in ORG_KEYWORDS for t in rest):
        return None
    return [Span(doc, ent.start, ent.start + 1, label="GPE"), Span(doc, ent.start + 1, ent.end, label="PERSON")]


def _titled_unlabelled_names(doc: Doc) -> list[Span]:
    """ "Athletic coach Per Lindahl said": a capitalised name right after a role noun, missed by the model
    (here because "Per" reads as a preposition)."""
    found = []
    for tok in doc:
        if tok.lower_ not in PERSON_TITLES or tok.pos_ not in ("NOUN", "PROPN"):
            continue  # "coach Per Lindahl", "Secretary-General Amara Obiko"
        end = tok.i + 1
        while end < len(doc) and end - tok.i <= 3 and doc[end].is_alpha and doc[end].is_title \
                and not doc[end].ent_type_ and doc[end].lower_ not in PERSON_TITLES \
                and doc[end].lower_ not in TITLE_MODIFIERS and doc[end].lower_ not in ORG_KEYWORDS:
            end += 1
        name = doc[tok.i + 1:end]
        if len(name) < 2 or (end < len(doc) and doc[end].ent_type_) \
                or not all(t.pos_ == "PROPN" or _given_name(t) for t in name):
            continue
        # after a capitalised title ("General Staff Headquarters") only a known given name makes a name
        if tok.is_lower or _given_name(name[0]):
            found.append(Span(doc, tok.i + 1, end, label="PERSON"))
    return found


def _speaking_unlabelled_names(doc: Doc) -> list[Span]:
    """ "... the special sent Marin Holtwik told journalists": a capitalised name of two or three words that
    speaks (the subject of a speech verb, or right before one) but that the model labelled a work of art or
    nothing, as it does with garbled names in machine-translated copy."""
    found = []
    for verb in doc:
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in ALL_CUES or verb.i < 2:
            continue
        end = verb.i
        start = end
        while start > 0 and end - start < 3 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title \
                and doc[start - 1].is_alpha and doc[start - 1].ent_type_ not in NAME_LABELS \
                and doc[start - 1].lower_ not in PERSON_TITLES and doc[start - 1].lower_ not in ORG_KEYWORDS:
            start -= 1
        if end - start < 2 or doc[end - 1].dep_ not in ("nsubj", "compound", "npadvmod", "appos", "dep", "dobj") \
                or any(t.ent_type_ in ("DATE", "TIME") for t in doc[start:end]):
            continue
        found.append(Span(doc, start, end, label="PERSON"))
    return found
