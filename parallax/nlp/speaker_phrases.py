"""Speaker phrases: the local words that utter a quote ("he", "the ministry", "Jane Roe, the economist"),
found from a cue verb or "according to", and narrowed to the name mention they contain.

Which entity a phrase means is the resolver's job (parallax.nlp.speakers); this module only reads the parse.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from parallax.nlp.bodies import BODY_NOUNS
from parallax.nlp.cues import SPEECH_VERBS, STANCE_VERBS
from parallax.nlp.entities import PERSON_TITLES, TITLE_MODIFIERS, EntityIndex
from parallax.nlp.titles import ROLE_SYNONYMS

_NP_LEFT_DEPS = frozenset({"det", "amod", "compound", "poss", "case", "nummod", "nmod", "quantmod"})
_NOT_SPEAKER_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"})
RELATIVES = frozenset({"who", "that", "which"})  # relative pronouns: resolved through the noun they refer to
_COUNTED = frozenset({"PERCENT", "CARDINAL"})
_OCCASIONS = frozenset("speech interview briefing address conference remarks rally hearing meeting".split())
_NOT_SPEAKERS = frozenset("it which that who what there this these those".split())


def speaker_tokens(cue: Token) -> tuple[int, int] | None:
    """Token range of who performs a cue verb: its subject, or the noun after an inverted cue ("said X")."""
    # "it" speaks only as the active subject of a speech verb ("The ministry ... It said"); "it is said",
    # "it seems" have no speaker
    subjects = [c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass") and (
        c.lower_ != "it" or (c.dep_ == "nsubj" and cue.lemma_.lower() in SPEECH_VERBS and c.i < cue.i))]
    # Two subjects is a misparse ('"... two delegations sitting at it ...," Holtvik told'): the one next
    # to the verb is its own, the other is usually inside the quotation.
    subject = min(subjects, key=lambda c: abs(c.i - cue.i)) if subjects else None
    verb = cue
    for _ in range(3):  # "..., he said, adding that ...", "Rubio spoke and left, arguing that ..."
        if subject is not None or verb.dep_ not in ("conj", "xcomp", "advcl") or verb.head.i == verb.i:
            break
        verb = verb.head
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None and (cue.dep_ == "relcl" or (cue.dep_ == "acl" and cue.tag_ == "VBG")) \
            and cue.head.pos_ in ("NOUN", "PROPN"):
        subject = cue.head  # "voters supporting Clinton", "a group that backs Trump"
    if subject is None and cue.dep_ in ("conj", "xcomp", "advcl") and cue.head.i != cue.i \
            and cue.head.lemma_.lower() in SPEECH_VERBS and cue.lemma_.lower() != cue.head.lemma_.lower():
        return speaker_tokens(cue.head)  # '“...,” said Skelly, explaining ...': the inverted speaker
    if subject is None and cue.lemma_.lower() in SPEECH_VERBS and cue.tag_ in ("VBD", "VBZ", "VBP") \
            and cue.dep_ not in ("acl", "relcl", "amod") and (named := name_before(cue)) is not None:
        return named  # "the special sent Marin Holtwik told ...": the parser gave the name to another verb
    if subject is None:
        if cue.lemma_.lower() not in SPEECH_VERBS or cue.lemma_.lower() in STANCE_VERBS or cue.lemma_ == "tell":
            return None  # only speech verbs invert ("said X"); "defended his record" names no speaker
        subject = next((c for c in cue.rights if c.dep_ in ("dobj", "attr", "npadvmod") and c.pos_ in ("PROPN", "NOUN")), None)
        if subject is None:
            return _name_after(cue)
    if subject.lower_ in RELATIVES and cue.dep_ == "relcl" and subject.dep_ == "nsubj":
        return subject.i, subject.i + 1  # "Sanders, who said ...": resolved through the noun it refers to
    speaking_it = subject.lower_ == "it" and subject.dep_ == "nsubj" and subject.i < subject.head.i \
        and subject.head.lemma_.lower() in SPEECH_VERBS | STANCE_VERBS  # "it attacked Trump, saying ..."; never
    # "It's easy to criticize"
    if subject.dep_ == "nsubjpass" or (subject.lower_ in _NOT_SPEAKERS and not speaking_it) \
            or subject.tag_ in ("WDT", "WP", "EX"):
        return None  # "it was said that", "which reported": no speaker to name
    if _dateline(subject):
        # "WASHINGTON -- President Obama, ..., said": the place of the dateline is no speaker; the name the
        # parser hung on it is
        appos = next((c for c in subject.children if c.dep_ == "appos" and c.pos_ in ("PROPN", "NOUN")), None)
        return noun_phrase(appos) if appos is not None else None
    counted = subject.ent_type_ in _COUNTED and subject.i < cue.i  # "52 percent said", "three in four say"
    if (subject.ent_type_ in _NOT_SPEAKER_ENTS and not counted) or subject.lower_ in _OCCASIONS \
            or (subject.is_punct and not counted) \
            or (subject.is_upper and len(subject) > 3 and subject.i + 1 < len(subject.doc)
                and subject.nbor(1).text in _DATELINE_DASHES):
        return None  # "said Tuesday", "told a speech", a dateline in capitals
    return noun_phrase(subject)


_DATELINE_DASHES = frozenset({",", "-", "--", "—", "–", "―"})


def _dateline(token: Token) -> bool:
    """A place in capitals opening a paragraph, followed by a dash or comma: "WASHINGTON --", "KYIV, Ukraine —"."""
    return token.is_upper and len(token) > 3 and token.i + 1 < len(token.doc) \
        and token.nbor(1).text in _DATELINE_DASHES and (token.i == 0 or "\n" in token.doc[token.i - 1].text
                                                          or token.doc[token.i - 1].is_upper)


def name_before(cue: Token) -> tuple[int, int] | None:
    """A capitalised name (up to four words) right before a cue verb the parser gave no subject."""
    doc, end = cue.doc, cue.i
    start = end
    while start > 0 and end - start < 4 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title \
            and doc[start - 1].ent_type_ not in _NOT_SPEAKER_ENTS:
        start -= 1
    return (start, end) if start < end else None


def _name_after(cue: Token) -> tuple[int, int] | None:
    """'“...,” said Skelly, explaining ...': a capitalised name right after an inverted cue that the parser
    did not take for a noun."""
    doc, i = cue.doc, cue.i + 1
    if cue.i == 0 or doc[cue.i - 1].text not in ",”\"'’":
        return None
    end = i
    while end < len(doc) and end - i < 4 and doc[end].is_alpha and doc[end].is_title \
            and doc[end].ent_type_ not in _NOT_SPEAKER_ENTS:
        end += 1
    return (i, end) if end > i else None


def according_to_tokens(to: Token) -> tuple[int, int] | None:
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is not None:
        return noun_phrase(obj)
    # "according to show insiders": the tagger read "show" as a verb; the words up to the clause's end are the source
    comp = next((c for c in to.children if c.dep_ == "pcomp"), None)
    if comp is None:
        return None
    words = [t for t in comp.subtree if not t.is_punct]
    return (words[0].i, words[-1].i + 1) if words and len(words) <= 6 and words[-1].pos_ in ("NOUN", "PROPN") else None


def noun_phrase(head: Token) -> tuple[int, int]:
    """The head noun with its left modifiers and compounds; appositions and clauses are left out."""
    start = head.i
    for child in head.lefts:
        if child.dep_ in _NP_LEFT_DEPS:
            start = min(start, child.left_edge.i)
    end = head.i + 1
    for child in head.rights:
        if child.dep_ == "compound" or (child.dep_ in ("flat", "nmod") and child.pos_ == "PROPN"):
            end = max(end, child.i + 1)
        else:
            break
    place = _office_of(head, end)
    return start, (place if place is not None else end)


def _office_of(head: Token, end: int) -> int | None:
    """"the mediator of Aldmark", "the president of Brevnia": the country or body a role noun is of says
    whose office it is, which a description needs to be resolved (the end of the phrase with it)."""
    doc = head.doc
    if head.pos_ != "NOUN" or (head.lower_ not in PERSON_TITLES and head.lower_ not in ROLE_SYNONYMS) \
            or end >= len(doc) or doc[end].lower_ != "of" or doc[end].head.i != head.i:
        return None
    place = next((c for c in doc[end].children if c.dep_ == "pobj"), None)
    if place is None or place.pos_ != "PROPN" or place.ent_type_ not in ("GPE", "ORG", "NORP", "LOC"):
        return None  # "the wife of Ivan Dorsk", "the spokesman of President Obama": someone else's
    last = place.right_edge.i  # "the envoy of the Union of Nations"
    if last - place.i > 4 or any(t.pos_ in ("VERB", "AUX") or t.is_punct for t in doc[place.i:last + 1]):
        last = place.i
    return last + 1


def name_part(doc: Doc, span: tuple[int, int], index: EntityIndex) -> tuple[int, int, int | None]:
    """Narrow a speaker phrase to the name mention it contains, when the mention is its head."""
    start, end = span
    head = doc[_head_index(doc, span)]
    titled = _titled_name(head, index)
    if titled is not None:
        return titled
    # "The Korvian ambassador, Ivan Dorsk, said": the name in apposition is the speaker's name
    heads = [head.i] + [c.i for c in head.children if c.dep_ == "appos"]
    if head.lower_ in PERSON_TITLES:
        # "An attorney for Pagliano, Mark MacDougall, said": the parser hangs the name on the possessor; a
        # person named in apposition after "a <role> for/of/to X" is the role's holder, never X
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("for", "of", "to")):
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                heads += [c.i for c in obj.children if c.dep_ == "appos" and c.pos_ == "PROPN"
                          and c.i in index.token_entity and index.entity(index.token_entity[c.i]).kind == "person"]
    for i in heads:
        entity = index.token_entity.get(i)
        if entity is None:
            continue
        if i == head.i and head.lower_ in BODY_NOUNS and index.entity(entity).kind == "organization":
            return start, end, entity  # "the Trump campaign": the body is the whole phrase, owner included
        for m_start, m_end, m_entity in index.mention_tokens:
            if m_start <= i < m_end:
                return m_start, m_end, m_entity
    return start, end, None


def _titled_name(head: Token, index: EntityIndex) -> tuple[int, int, int] | None:
    """The person named at the end of a title the parser made the head: "Union of Nations Secretary-General
    Samuel Okoro", "The Minister of Outside Affairs of Brevnia Sergo Makharin", "Athletic coach Per Lindahl".

    Not a possessor: "a spokesman for President Obama", "the spokesman of President Obama" and "the wife of
    Ivan Dorsk" are spoken for by someone else, so a name after "for"/"to", or after "of" with nothing but
    titles between, is left alone; so is a name after a lower-case noun that is no title."""
    doc = head.doc
    own = index.token_entity.get(head.i)
    if own is not None and index.entity(own).kind == "person":
        return None
    if not (head.lower_ in PERSON_TITLES or head.pos_ == "PROPN" or own is not None):
        return None
    subtree = {t.i for t in head.subtree}
    end = head.i + 1
    while end < len(doc) and end in subtree and end - head.i <= 12 and (
            doc[end].text[:1].isupper() or doc[end].lower_ in ("of", "the") or doc[end].text == "-"
            or doc[end].lower_ in PERSON_TITLES):
        end += 1
    mention = next(((s, e, ent) for s, e, ent in index.mention_tokens
                    if e == end and s > head.i and index.entity(ent).kind == "person"), None)
    if mention is None:
        return None
    between = [t.lower_ for t in doc[head.i + 1:mention[0]]]
    if "of" in between:
        after = between[len(between) - between[::-1].index("of"):]
        if all(w in PERSON_TITLES or w in TITLE_MODIFIERS or not w.isalpha() for w in after):
            return None
    return mention


def _head_index(doc: Doc, span: tuple[int, int]) -> int:
    return doc[span[0]:span[1]].root.i
