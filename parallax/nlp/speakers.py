"""Speakers: finding the local mention that utters a quote and resolving it to an in-article entity.

Resolution is deliberately conservative: a name resolves through its mention, a pronoun to the most recent
person of compatible gender, a definite description ("the Valdorian leader") only when its words match the
descriptors seen next to an earlier name. Unnamed sources ("a senior official", "sources") stay None.
"They" agrees in number: it finds the most recent plural or collective antecedent and resolves only when that
is one body (a ministry, a named group, a delegation); a pair of people or a plural of unnamed people stays None,
since a speaker holds one entity and picking one of the pair would put words in one mouth.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from parallax.nlp.bodies import BODY_NOUNS
from parallax.nlp.cues import SPEECH_VERBS, STANCE_VERBS
from parallax.nlp.descriptions import DOCUMENT_FAMILY, OUTLET_NOUNS, earlier_document, issuer, last_outlet
from parallax.nlp.entities import GENDERED_TITLES, PERSON_TITLES, TITLE_MODIFIERS, EntityIndex
from parallax.nlp.epithets import EPITHET_CEILING, PARTIES, QUALIFIERS, epithet_noun, may_be
from parallax.nlp.salience import Candidate, chained, confidence, layout, rank

PRONOUN_GENDER = {"he": "male", "him": "male", "she": "female", "her": "female"}
_POSSESSIVE_PRONOUNS = {"his": "male", "her": "female"}
_NP_LEFT_DEPS = frozenset({"det", "amod", "compound", "poss", "case", "nummod", "nmod", "quantmod"})
_INDEFINITE = frozenset({"a", "an", "one", "some", "several", "two", "three", "many", "other", "another", "few"})
# Role synonyms that let "the leader" find a "president" or "prime minister".
ROLE_SYNONYMS = {
    "leader": {"president", "premier", "prime", "chancellor", "leader"},
    "head": {"president", "premier", "prime", "chancellor", "leader", "head", "chief", "director"},
    "spokeswoman": {"spokeswoman", "spokesperson", "spokesman"},
    "spokesman": {"spokeswoman", "spokesperson", "spokesman"},
    "spokesperson": {"spokeswoman", "spokesperson", "spokesman"},
    "diplomat": {"diplomat", "minister", "ambassador", "envoy"},
    "envoy": {"envoy", "ambassador", "diplomat", "negotiator", "mediator"},
    "mediator": {"mediator", "envoy", "negotiator"},
    "negotiator": {"negotiator", "envoy", "mediator"},
    "nominee": {"nominee", "candidate"},
    "candidate": {"candidate", "nominee"},
    "congressman": {"congressman", "representative"},
    "congresswoman": {"congresswoman", "representative"},
    "lawmaker": {"lawmaker", "senator", "representative", "congressman", "congresswoman", "mp"},
}
_NOT_SPEAKER_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"})
_RELATIVES = frozenset({"who", "that", "which"})
RELATIVES = _RELATIVES  # relative pronouns, for the credit of a speaker they name
_COUNTED = frozenset({"PERCENT", "CARDINAL"})
_OCCASIONS = frozenset("speech interview briefing address conference remarks rally hearing meeting".split())
_NOT_SPEAKERS = frozenset("it which that who what there this these those".split())
_ORG_NOUNS = frozenset("""ministry government kremlin office agency army military council embassy department
    commission presidency administration command committee campaign""".split())
# Nouns a body is taken up by ("the fund" for the International Monetary Fund named before); the collective
# nouns above are some of them.
_BODY_HEADS = _ORG_NOUNS | frozenset("""fund bank union court foundation institute center centre university
    company firm board bureau commission party alliance bloc""".split())
PLURAL_PRONOUNS = frozenset({"they", "them"})
_FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"})
# How many of the most recently named people a pronoun is weighed against: enough for any real paragraph,
# and it keeps an article naming hundreds of people cheap.
_PRONOUN_CANDIDATES = 8
# Heads that make the name before them a body acting together: "the Norden delegation", "the Shield group".
_COLLECTIVE_NOUNS = _ORG_NOUNS | frozenset("""delegation group movement team side cabinet parliament alliance
    coalition leadership authorities authority party union faction militia service forces""".split())
# Plural nouns for people who can be "they": as the subject of a clause they are the nearer antecedent, and
# being unnamed they leave "they" unnamed too.
_PEOPLE = frozenset("""official source people person resident soldier troop protester analyst expert witness
    member delegate lawmaker diplomat negotiator mediator leader family mother father villager civilian
    journalist activist worker survivor prisoner volunteer observer monitor inspector rebel fighter militant
    voter citizen parent relative student farmer doctor medic rescuer staff""".split()) | PERSON_TITLES


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
    if subject.lower_ in _RELATIVES and cue.dep_ == "relcl" and subject.dep_ == "nsubj":
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


@dataclass(frozen=True)
class Resolved:
    """A speaker's entity with how it was found (``via``) and how sure that is (0-1), both None when the
    resolver has nothing to add (a name resolves through its mention)."""

    entity: int | None
    via: str | None = None
    confidence: float | None = None


@dataclass
class SpeakerResolver:
    """Resolves speakers in text order, remembering who spoke last and learning genders from pronouns."""

    doc: Doc
    index: EntityIndex
    quote_ranges: list[tuple[int, int]] = field(default_factory=list)  # token ranges inside quotations
    genders: dict[int, str] = field(default_factory=dict)
    history: list[tuple[int, int]] = field(default_factory=list)  # (token index, entity id) of resolved speakers
    # (token index, entity id, the quotation speaks as "I"/"we") of every report credited so far
    reports: list[tuple[int, int, bool]] = field(default_factory=list)
    # token index of an epithet chosen by prominence -> how sure (parallax.nlp.epithets)
    epithets: dict[int, float] = field(default_factory=dict)
    # quote_ranges merged and sorted, for a bisect: _quoted is asked for every mention before every pronoun,
    # and a scan of all ranges each time made an article with hundreds of quotes quadratic
    _quoted_starts: list[int] = field(default_factory=list, init=False, repr=False)
    _quoted_ends: list[int] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        for e in self.index.entities:
            if e.gender:
                self.genders[e.id] = e.gender
        for a, b in sorted(r for r in self.quote_ranges if r[0] < r[1]):
            if self._quoted_ends and a <= self._quoted_ends[-1]:
                self._quoted_ends[-1] = max(self._quoted_ends[-1], b)
            else:
                self._quoted_starts.append(a)
                self._quoted_ends.append(b)

    def resolve(self, span: tuple[int, int], named: int | None, content: tuple[int, int] | None = None) -> int | None:
        return self.resolve_speaker(span, named, content).entity

    def resolve_speaker(self, span: tuple[int, int], named: int | None,
                        content: tuple[int, int] | None = None) -> Resolved:
        """The entity behind a speaker phrase; ``content`` is the token range of what it is credited with,
        whose own names are never its speaker and whose "I" or "we" is evidence of who speaks."""
        doc, (start, end) = self.doc, span
        head = doc[start:end].root
        if named is not None:
            found = Resolved(named)
        elif head.lower_ in PRONOUN_GENDER:
            found = self._pronoun(PRONOUN_GENDER[head.lower_], start, content)
        else:
            entity = self._resolve_unnamed(head, start)
            found = Resolved(entity, "description", self.epithets[start]) if start in self.epithets \
                else Resolved(entity)
        if found.entity is not None:
            self.history.append((start, found.entity))
            self.reports.append((start, found.entity, self._first_person(content)))
        return found

    def _first_person(self, content: tuple[int, int] | None) -> bool:
        return content is not None and any(t.lower_ in _FIRST_PERSON for t in self.doc[content[0]:content[1]])

    def _resolve_unnamed(self, head: Token, start: int) -> int | None:
        word = head.lower_
        if word in _RELATIVES and head.head.dep_ == "relcl" and head.head.head.lower_ not in _RELATIVES:
            antecedent = head.head.head
            named = self.index.token_entity.get(antecedent.i)
            if named is None:
                # "McConnell, now the Senate majority leader, who said": the name the description is in
                # apposition with; "his wife, Laura, who spoke": the name in apposition with it
                beside = [antecedent.head] if antecedent.dep_ == "appos" else []
                beside += [c for c in antecedent.children if c.dep_ == "appos"]
                named = next((self.index.token_entity[t.i] for t in beside if t.i in self.index.token_entity), None)
            return named if named is not None else self._resolve_unnamed(antecedent, antecedent.i)
        if word in PRONOUN_GENDER:
            return self._pronoun(PRONOUN_GENDER[word], start, None).entity
        if word in PLURAL_PRONOUNS:
            return self._plural_pronoun(start)
        if word == "it":
            return self._body_pronoun(start)
        if word == "i" and not self._quoted(start):
            return self._author()
        lemma = head.lemma_.lower()
        if lemma in DOCUMENT_FAMILY and head.pos_ == "NOUN":
            found = issuer(head, self.index.token_entity)
            determiners = {c.lower_ for c in head.lefts if c.dep_ in ("det", "amod")}
            definite = bool(determiners & {"the", "this", "that", "its", "their"}) or (
                not determiners and head.tag_ == "NN")  # "Poll:" in a headline; never "exit polls"
            if found is None and definite:
                found = earlier_document(self.doc, lemma, start, self.index.token_entity, self._quoted)
            return found
        owner = next((c for c in head.lefts if c.dep_ == "poss" and c.lower_ in _POSSESSIVE_PRONOUNS), None)
        if owner is not None and head.lower_ in BODY_NOUNS:
            # "her campaign": the body of the person "her" is, when the article named that body
            person = self._pronoun(_POSSESSIVE_PRONOUNS[owner.lower_], start, None).entity
            return next((e.id for e in self.index.entities if person is not None and e.owner == person
                         and e.name.lower().endswith(head.lower_)), None)
        if lemma in OUTLET_NOUNS and head.tag_ == "NN":
            determiners = {c.lower_ for c in head.lefts if c.dep_ == "det"}
            return last_outlet(self.index, start, self._quoted) if determiners & {"the", "this"} else None
        if head.pos_ not in ("NOUN", "PROPN") or head.tag_ in ("NNS", "NNPS"):
            return None  # plural descriptions ("officials", "sources") are unnamed sources
        determiners = {c.lower_ for c in head.lefts if c.dep_ in ("det", "nummod")}
        if determiners & _INDEFINITE:
            return None
        modifiers = [t for t in head.lefts if t.dep_ in ("amod", "compound", "nmod", "poss") and t.is_alpha]
        proper = frozenset(t.lower_ for t in modifiers if t.text[:1].isupper() or t.ent_type_)
        return self._description(head.lemma_.lower(), {t.lower_ for t in modifiers}, start, proper, head)

    def _persons_before(self, position: int) -> list[int]:
        """Person entities mentioned outside quotations before ``position``, most recent first. Only people:
        a speaker resolved to a country or a ministry is no antecedent for "he" or "the spokeswoman"."""
        seen: list[tuple[int, int]] = [(s, e) for s, _, e in self.index.mention_tokens
                                       if s < position and not self._quoted(s)]
        seen += [(s, e) for s, e in self.history if s < position]
        seen.sort(reverse=True)
        return list(dict.fromkeys(e for _, e in seen if self.index.entity(e).kind == "person"))

    def _quoted(self, token: int) -> bool:
        k = bisect_right(self._quoted_starts, token) - 1
        return k >= 0 and token < self._quoted_ends[k]

    def _pronoun(self, gender: str, position: int, content: tuple[int, int] | None) -> Resolved:
        """The most salient person the pronoun agrees with (parallax.nlp.salience): a person of unknown gender
        agrees with either pronoun, and learns it, so that a later "she" skips a man "he" was used for. A
        person named inside the quotation being attributed is not its speaker ("'I told Marek ...,' he said")."""
        inside = set() if content is None else {
            e for s, _, e in self.index.mention_tokens if content[0] <= s < content[1]}
        mentions: dict[int, list[tuple[int, int]]] = {}
        for s, e, entity in self.index.mention_tokens:
            if s < position and not self._quoted(s) and not (content and content[0] <= s < content[1]):
                mentions.setdefault(entity, []).append((s, e))
        for s, entity in self.history:
            if s < position:
                mentions.setdefault(entity, []).append((s, s + 1))
        people = [e for e in mentions if e not in inside and self.index.entity(e).kind == "person"
                  and self.genders.get(e) in (None, gender)]
        people.sort(key=lambda e: max(s for s, _ in mentions[e]), reverse=True)
        people = people[:_PRONOUN_CANDIDATES]
        if not people:
            return Resolved(None)
        earlier = [r for r in self.reports if r[0] < position]
        last = earlier[-1] if earlier else None
        voice = self._first_person(content)
        candidates = [Candidate(e, tuple(sorted(mentions[e])),
                                last_speaker=last is not None and last[1] == e,
                                continues_voice=voice and last is not None and last[1] == e and last[2],
                                speaker_turns=sum(r[1] == e for r in earlier)) for e in people]
        pronoun = self.doc[position]
        ranked = rank(self.doc, pronoun, chained(self.doc, pronoun, candidates, gender, skip=self._quoted))
        entity = ranked[0].key
        self.genders.setdefault(entity, gender)
        return Resolved(entity, "pronoun", confidence(ranked))

    def _author(self) -> int | None:
        """The writer of an opinion piece, for its "I" outside quotation marks: the person its closing tagline
        introduces ("Jane Roe is a playwright and ..."), within the last two paragraphs."""
        doc, lines = self.doc, 0
        for tok in reversed(doc):
            if tok.i == 0 or "\n" not in doc[tok.i - 1].text + doc[tok.i - 1].whitespace_:
                continue
            lines += 1
            mention = next(((s, e, ent) for s, e, ent in self.index.mention_tokens if s == tok.i), None)
            if mention is not None and self.index.entity(mention[2]).kind == "person" and mention[1] + 1 < len(doc) \
                    and doc[mention[1]].lemma_ == "be" and doc[mention[1] + 1].pos_ in ("DET", "ADJ", "NOUN"):
                return mention[2]
            if lines >= 2:
                return None
        return None

    def _body_pronoun(self, position: int) -> int | None:
        """"It said": the body that spoke last, or the last body named as a clause's subject, whichever is
        nearer; never a person or a place."""
        found: tuple[int, int] | None = None
        for s, entity in self.history:
            if s < position and self.index.entity(entity).kind == "organization":
                found = max(found or (s, entity), (s, entity))
        for s, e, entity in self.index.mention_tokens:
            if s < position and not self._quoted(s) and self.index.entity(entity).kind == "organization" \
                    and self.doc[s:e].root.dep_ in ("nsubj", "nsubjpass"):
                found = max(found or (s, entity), (s, entity))
        return found[1] if found is not None else None

    def _plural_pronoun(self, position: int) -> int | None:
        """The body the most recent plural or collective antecedent names, never one person: a nearer pair
        ("Verbytska and Volostny") or plural of people ("two diplomats said") is what "they" means, and as
        neither is one entity the speaker stays unnamed rather than falling back to an older body."""
        nearest: tuple[int, int | None] | None = None  # (position, entity or None for an unnamed plural)

        def consider(at: int, entity: int | None) -> None:
            nonlocal nearest
            if nearest is None or at > nearest[0]:
                nearest = (at, entity)

        doc = self.doc
        for s, e, entity in self.index.mention_tokens:
            if s >= position or self._quoted(s):
                continue
            root = doc[s:e].root
            if self._coordinated(root):
                consider(max(t.i for t in (root, *root.conjuncts)), None)
            elif self._collective(root, entity):
                consider(s, entity)
        for s, entity in self.history:
            # a country or body that spoke acts as one ("Korvia said ... they added"); a person never is "they"
            if s < position and self.index.entity(entity).kind != "person":
                consider(s, entity)
        for token in doc[:position]:
            if token.tag_ in ("NNS", "NNPS") and token.dep_ in ("nsubj", "nsubjpass") \
                    and token.lemma_.lower() in _PEOPLE and not self._quoted(token.i) \
                    and token.i not in self.index.token_entity:
                consider(token.i, None)
        return nearest[1] if nearest is not None else None

    def _coordinated(self, root: Token) -> bool:
        """"Verbytska and Volostny", "the ministry and the army": a name joined to another name or to a
        person noun is one plural antecedent, not two."""
        return any(t.i in self.index.token_entity or t.lemma_.lower() in _PEOPLE
                   for t in root.conjuncts)

    def _collective(self, root: Token, entity: int) -> bool:
        """A body named on its own ("the Defence Ministry", "Northern Shield") or as the modifier of a
        collective noun ("the Norden delegation"); not one that qualifies a person ("Kremlin spokesman")."""
        if root.dep_ in ("compound", "poss", "nmod", "amod"):
            # "Korvia's Ivan Dorsk", "Korvia's Defence Ministry": the name it qualifies is the referent
            return root.head.i not in self.index.token_entity and root.head.lemma_.lower() in _COLLECTIVE_NOUNS
        return self.index.entity(entity).kind == "organization"

    def _description(self, noun: str, modifiers: set[str], position: int, proper: frozenset[str] = frozenset(),
                     head: Token | None = None) -> int | None:
        """"the Valdorian leader", "the GOP nominee", "the Republican": the last person described with that
        role (and every modifier) before. A proper modifier the article gave nobody ("the Vermont senator"
        after "Sen. Ida Marsh") is let go only when one person alone holds the role. When nobody holds it,
        the description may be an epithet for someone named before (``_epithet``)."""
        if noun in _BODY_HEADS:
            return self._organisation(noun, modifiers, position)
        if noun not in PERSON_TITLES and noun not in ROLE_SYNONYMS and noun not in PARTIES:
            return self._epithet(head, modifiers, position)
        roles = {PARTIES.get(r, r) for r in ROLE_SYNONYMS.get(noun, {noun})}
        wanted = {PARTIES.get(m, m) for m in modifiers if m not in ("top", "senior", "chief")}
        holders = []
        for entity in self._persons_before(position):
            descriptors = {PARTIES.get(d, d) for d in self.index.entity(entity).descriptors}
            if not roles & descriptors or (QUALIFIERS & descriptors) - wanted \
                    or not may_be(noun, modifiers, frozenset(descriptors), None, frozenset(roles)):
                continue  # "the president" is not the vice president, the former one, or another party's
            if noun in GENDERED_TITLES and self.genders.get(entity) not in (None, GENDERED_TITLES[noun]):
                continue  # "the spokeswoman" is not the spokesman named before
            if all(any(same_stem(m, d) for d in descriptors) for m in wanted):
                return entity
            holders.append((entity, descriptors))
        if len(holders) == 1:
            entity, descriptors = holders[0]
            unmatched = {m for m in wanted if not any(same_stem(m, d) for d in descriptors)}
            if unmatched <= proper | TITLE_MODIFIERS and not unmatched & set(PARTIES.values()):
                return entity
        return self._epithet(head, modifiers, position) if not holders else None

    def _epithet(self, head: Token | None, modifiers: set[str], position: int) -> int | None:
        """"The New York businessman said" of someone named before only as "Donald Trump": the person the
        article is most about (named and credited most, the latest on a tie) of those the description does not
        contradict, as unsure as a pronoun (parallax.nlp.epithets). An article varies how it calls its
        protagonist, rarely a passer-by, so prominence beats recency here ..."""
        noun = epithet_noun(head) if head is not None else None
        if noun is None:
            return None
        counts: dict[int, list[int]] = {}
        for s, _, entity in self.index.mention_tokens:
            if s < position and not self._quoted(s):
                counts.setdefault(entity, []).append(s)
        for s, entity in self.history:
            if s < position:
                counts.setdefault(entity, []).append(s)
        # (people introduced by a full name, or who spoke: a lone capitalised word the model took for a person
        # is no one's epithet)
        spoke = {e for _, e in self.history}
        people = [e for e in counts if self.index.entity(e).kind == "person"
                  and (" " in self.index.entity(e).name or e in spoke)
                  and may_be(noun, modifiers, self.index.entity(e).descriptors, self.genders.get(e))]
        if not people:
            return None
        # ... unless someone it fits was just introduced, as a subject: "Lars Holm, who owns the ferry line, met
        # the mayor. The shipping magnate said ..." describes the newcomer
        where = layout(self.doc)
        sentence = where.sentence(head.i)
        new = [e for e in people if sentence - where.sentence(min(counts[e])) in (0, 1)
               and self._subject_at(min(counts[e]))]
        ranked = sorted(people, key=lambda e: (len(counts[e]), max(counts[e])), reverse=True)
        chosen = new[0] if len(new) == 1 else ranked[0]
        total = sum(len(counts[e]) for e in people)
        self.epithets[position] = round(min(EPITHET_CEILING, len(counts[chosen]) / total), 3)
        return chosen

    def _subject_at(self, start: int) -> bool:
        """Whether the mention starting at token ``start`` is a clause's subject."""
        span = next(((s, e) for s, e, _ in self.index.mention_tokens if s == start), None)
        return span is not None and self.doc[span[0]:span[1]].root.dep_ in ("nsubj", "nsubjpass")

    def _organisation(self, noun: str, modifiers: set[str], position: int) -> int | None:
        """"the fund", "the campaign": the last body named before whose name has that noun. A body that
        belongs to someone counts as named where its owner is ("Trump's campaign ... Clinton said ... The
        campaign said" is Clinton's, when the article named both campaigns)."""
        owned = {e.owner: e.id for e in self.index.entities if e.owner is not None}
        seen = sorted(((s, owned.get(e, e)) for s, _, e in self.index.mention_tokens
                       if s < position and not self._quoted(s)
                       and (self.index.entity(e).kind == "organization" or e in owned)), reverse=True)
        for _, entity in seen:
            name = self.index.entity(entity).name.lower()
            if noun in name.split() and all(m in name for m in modifiers):
                return entity
        return None


def same_stem(a: str, b: str) -> bool:
    """"valdorian" ~ "valdoria", "russian" ~ "russia": nationality adjectives against country names."""
    if a == b:
        return True
    n = min(len(a), len(b))
    return n >= 4 and a[:max(4, n - 2)] == b[:max(4, n - 2)]

