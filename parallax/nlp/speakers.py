"""Speakers: resolving the phrase that utters a quote (parallax.nlp.speaker_phrases) to an in-article entity.

Resolution is deliberately conservative: a name resolves through its mention, a pronoun to the most salient
person of compatible gender, a definite description ("the Valdorian leader") only when its words match the
descriptors seen next to an earlier name. Unnamed sources ("a senior official", "sources") stay None.
"They" agrees in number: it finds the most recent plural or collective antecedent and resolves only when that
is one body (a ministry, a named group, a delegation); a pair of people or a plural of unnamed people stays None,
since a speaker holds one entity and picking one of the pair would put words in one mouth.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Token

from parallax.knowledge.genders import given_name_gender
from parallax.model import Entity
from parallax.nlp.bodies import BODY_NOUNS
from parallax.nlp.cues import SPEECH_VERBS, STANCE_VERBS
from parallax.nlp.descriptions import DOCUMENT_FAMILY, OUTLET_NOUNS, earlier_document, issuer, last_outlet
from parallax.nlp.entities import GENDERED_TITLES, PERSON_TITLES, TITLE_MODIFIERS, EntityIndex
from parallax.nlp.forces import is_bare_police, the_force
from parallax.nlp.relations import first_person_relation, named_relation
from parallax.nlp.leads import (POSITION_CONFIDENCE, bound_gender, just_named, named_beside, withheld_body,
                                withheld_document, withheld_person)
from parallax.nlp.epithets import EPITHET_CEILING, PARTIES, QUALIFIERS, epithet_noun, may_be
from parallax.nlp.salience import Candidate, chained, confidence, layout, rank
from parallax.nlp.speaker_phrases import RELATIVES, speaker_tokens
from parallax.nlp.titles import ROLE_SYNONYMS, same_stem

PRONOUN_GENDER = {"he": "male", "him": "male", "she": "female", "her": "female"}
POSSESSIVE_GENDER = {"his": "male", "her": "female"}
_INDEFINITE = frozenset({"a", "an", "one", "some", "several", "two", "three", "many", "other", "another", "few"})
_ORG_NOUNS = frozenset("""ministry government kremlin office agency army military council embassy department
    commission presidency administration command committee campaign""".split())
# Nouns a body is taken up by ("the fund" for the International Monetary Fund named before); the collective
# nouns above are some of them.
_BODY_HEADS = _ORG_NOUNS | frozenset("""fund bank union court foundation institute center centre university
    company firm board bureau commission party alliance bloc""".split())
PLURAL_PRONOUNS = frozenset({"they", "them"})
# Words that rank a body rather than name it: "the top British medical journal" is the British Medical Journal.
_EVALUATIVE = frozenset("top leading prestigious respected influential main major largest biggest big".split())
# How near (tokens) the last report must be for "the data" to be the figures it gave: about a paragraph.
_JUST_SPOKE = 60
# How far ahead (tokens) a description may find the body it names in full: a lead may leave it to the body.
_NAMED_NEXT = 1000
# Words in the names of bodies that a noun takes up though the name lacks it: "the union" after "the United Dock
# Workers", "the bloc" after "the European Union".
_NAMED_AS = {"union": frozenset({"workers", "teamsters", "federation", "guild", "brotherhood"}),
             "bloc": frozenset({"union", "alliance"})}
# Bodies of one person that speak for themselves, found even when only a pronoun names their owner ("her
# campaign said"); "his team" or "her family" may be anyone around them, and "his government" a minister's.
_SPEAKING_BODIES = frozenset({"campaign", "administration", "presidency"})
# How long (tokens) a quoted paragraph with no "I"/"we" must be to read as quoted reportage, not speech.
_REPORTAGE_TOKENS = 25
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
    _spoken: list[tuple[int, int]] | None = None  # cache of _speech_subjects
    # token ranges of quoted reportage (see _reportage), sorted
    _reported: list[tuple[int, int]] = field(default_factory=list, init=False, repr=False)

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
        self._reported = [r for r in sorted(self.quote_ranges) if self._reportage(*r)]

    def _reportage(self, start: int, end: int) -> bool:
        """A quoted passage of another writer's reporting ("Roe reports:" and a paragraph in quotation marks
        telling of "Ida" in the third person): it opens its paragraph, runs long and never says "I" or "we".
        The people it tells of are the story's people, antecedents for the pronouns after it, where the names
        inside someone's spoken words are only talked about."""
        doc = self.doc
        opens = start <= 1 or "\n" in doc[start - 2].text + doc[start - 2].whitespace_ or doc[start - 2].i == 0
        return end - start >= _REPORTAGE_TOKENS and opens \
            and not any(t.lower_ in _FIRST_PERSON for t in doc[start:end])

    def _after_reportage(self, token: int) -> bool:
        """Whether the last quotation ending before ``token`` is quoted reportage."""
        k = bisect_right(self._quoted_ends, token) - 1
        if k < 0 or not self._reported:
            return False
        start, end = self._quoted_starts[k], self._quoted_ends[k]
        return any(a < end and start < b for a, b in self._reported)

    def _told(self, token: int) -> bool:
        """Inside a quotation that is not reportage: a name there is no antecedent."""
        if not self._quoted(token):
            return False
        k = bisect_right(self._reported, (token, len(self.doc))) - 1
        return not (k >= 0 and self._reported[k][0] <= token < self._reported[k][1])

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
        elif head.lower_ in PRONOUN_GENDER or head.lower_ in POSSESSIVE_GENDER:
            # "his" alone is the speaker where the report is a noun: "his claim that ...", "His promises to ..."
            gender = PRONOUN_GENDER.get(head.lower_) or POSSESSIVE_GENDER[head.lower_]
            found = self._pronoun(gender, start, content)
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
        if word in RELATIVES and head.head.dep_ == "relcl" and head.head.head.lower_ not in RELATIVES:
            antecedent = head.head.head
            named = self.index.token_entity.get(antecedent.i)
            before = self.doc[head.i - 2] if head.i >= 2 and self.doc[head.i - 1].text == "," else None
            if before is not None and before.dep_ == "conj" and before.i in self.index.token_entity:
                # "Will Roe, Ida Marsh and Per Lind, who joked": the last of a list, not the first
                named = self.index.token_entity[before.i]
            if named is None and word == "who" and antecedent.dep_ == "attr" and antecedent.head.lemma_ == "be":
                # "Kaine is a former lawyer who opposes ...": the subject the description is said of (only
                # "who": "X is the director of Y, a charity that ..." is the charity)
                subject = next((c for c in antecedent.head.children if c.dep_ == "nsubj"), None)
                named = self.index.token_entity.get(subject.i) if subject is not None else None
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
        bare = self._bare_surname(head)
        if bare is not None:
            return bare
        lemma = head.lemma_.lower()
        if lemma in DOCUMENT_FAMILY and head.pos_ == "NOUN" and not (
                lemma == "account" and any(c.dep_ in ("compound", "amod") for c in head.lefts)):
            # ("her account" is her telling of it; "her Twitter account" is no text of hers)
            found = issuer(head, self.index.token_entity)
            writer = next((c for c in head.lefts if c.dep_ == "poss" and c.lower_ in POSSESSIVE_GENDER), None)
            if found is None and writer is not None:
                # "her submission to the court", "his statement": the person the possessive pronoun is
                return self._pronoun(POSSESSIVE_GENDER[writer.lower_], writer.i, None).entity
            determiners = {c.lower_ for c in head.lefts if c.dep_ in ("det", "amod")}
            definite = bool(determiners & {"the", "this", "that", "its", "their"}) or (
                not determiners and head.tag_ == "NN")  # "Poll:" in a headline; never "exit polls"
            if found is None and definite:
                found = earlier_document(self.doc, lemma, start, self.index.token_entity, self._quoted)
            if found is None and definite and DOCUMENT_FAMILY[lemma] == "finding":
                found = self._last_body_speaking(start)  # "The Center said 98 percent ... According to the data"
            if found is None and determiners & {"a", "an"}:
                # "A new poll shows ..." opening a paragraph: the poll the article names next (parallax.nlp.leads)
                found = self._by_position(withheld_document(
                    self.doc, head, lambda t: issuer(t, self.index.token_entity)), start)
            return found
        owner = next((c for c in head.lefts if c.dep_ == "poss" and c.lower_ in POSSESSIVE_GENDER), None)
        if owner is not None and head.lower_ in BODY_NOUNS:
            # "her campaign": the body of the person "her" is, named by the article or not
            person = self._pronoun(POSSESSIVE_GENDER[owner.lower_], start, None).entity
            found = next((e.id for e in self.index.entities if person is not None and e.owner == person
                          and e.name.lower().endswith(head.lower_)), None)
            if found is None and person is not None and head.lower_ in _SPEAKING_BODIES:
                found = self._owned_body(person, head.lower_)
            return found
        if lemma in OUTLET_NOUNS and head.tag_ == "NN":
            determiners = {c.lower_ for c in head.lefts if c.dep_ == "det"}
            return last_outlet(self.index, start, self._quoted) if determiners & {"the", "this"} else None
        if is_bare_police(head):
            return the_force(self.index)  # "police said": the article's one police force (parallax.nlp.forces)
        if head.pos_ not in ("NOUN", "PROPN") or head.tag_ in ("NNS", "NNPS"):
            return None  # plural descriptions ("officials", "sources") are unnamed sources
        determiners = {c.lower_ for c in head.lefts if c.dep_ in ("det", "nummod")}
        if determiners & _INDEFINITE:
            # "A Vastby judge has ruled ..." opening a paragraph: the person named next (parallax.nlp.leads)
            if determiners <= {"a", "an"}:
                found = withheld_person(self.doc, self.index, head, self.genders, False)
                return self._by_position(found if found is not None else withheld_body(self.doc, self.index, head),
                                         start)
            return None
        beside = named_beside(head, self.index)  # "the Norland ambassador at the time, Jon Dale"
        if beside is not None:
            return beside
        related = named_relation(self.doc, self.index, head)  # "Marek's lawyer" (parallax.nlp.relations)
        if related is None and not self._quoted(start):
            related = first_person_relation(self.doc, self.index, head, self.genders.get)  # the writer's "my father"
        if related is not None:
            return related
        modifiers = [t for t in head.lefts if t.dep_ in ("amod", "compound", "nmod", "poss") and t.is_alpha]
        proper = frozenset(t.lower_ for t in modifiers if t.text[:1].isupper() or t.ent_type_)
        return self._description(head.lemma_.lower(), {t.lower_ for t in modifiers}, start, proper, head)

    def _body_of_words(self, noun: str, words: set[str], position: int) -> int | None:
        """The organisation whose name holds the noun and every other word of the description: the last named
        before, else the first named in the next few paragraphs ("according to the top British medical journal.
        A study in the British Medical Journal found ...")."""
        wanted = words | {noun}
        fits = [(s, e) for s, _, e in self.index.mention_tokens if not self._quoted(s)
                and self.index.entity(e).kind == "organization"
                and wanted <= set(self.index.entity(e).name.lower().split())]
        before = [e for s, e in fits if s < position]
        after = [e for s, e in fits if position < s <= position + _NAMED_NEXT]
        return before[-1] if before else (after[0] if after else None)

    def _last_body_speaking(self, position: int) -> int | None:
        """The organisation credited with the report just before ``position`` (within about a paragraph), if
        the last report was a body's: figures it gave are "the data" of the next sentence."""
        earlier = [(s, e) for s, e in self.history if s < position]
        if not earlier or position - earlier[-1][0] > _JUST_SPOKE:
            return None
        entity = earlier[-1][1]
        return entity if self.index.entity(entity).kind == "organization" else None

    def _bare_surname(self, head: Token) -> int | None:
        """A capitalised word the tagger took for a common noun ("Roe knows ..." opening a paragraph) that is
        the surname of exactly one person the article named in full."""
        if not (head.text[:1].isupper() and head.text[1:].islower() and head.pos_ == "NOUN") \
                or any(c.dep_ == "det" for c in head.children):
            return None
        people = [e.id for e in self.index.entities if e.kind == "person" and " " in e.name
                  and e.name.lower().split()[-1] == head.lower_]
        return people[0] if len(people) == 1 else None

    def _owned_body(self, person: int, noun: str) -> int:
        """The body ``noun`` of ``person`` ("Roe campaign"), an organisation linked to its owner as if the article
        had named it: "her campaign said" is the campaign speaking, never the candidate herself. Made here,
        once, because only the pronoun's resolution says whose it is."""
        name = f"{self.index.entity(person).name.split()[-1]} {noun}"
        found = next((e.id for e in self.index.entities if e.owner == person and e.name == name), None)
        if found is None:
            found = len(self.index.entities)
            body = Entity(found, name, "organization", owner=person)
            self.index = replace(self.index, entities=self.index.entities + (body,))
        return found

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
            if s < position and not self._told(s) and not (content and content[0] <= s < content[1]):
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
        # a report the quote finder did not take ("..., noted NBC's Jane Roe.", "Roe agreed with Marek") still
        # makes its speaker the one who spoke last
        uncredited = [(s, e) for s, e in self._speech_subjects() if s < position
                      and (last is None or s > last[0]) and not (content and content[0] <= s < content[1])]
        if uncredited:
            last = (*uncredited[-1], False)
        if last is not None and self._after_reportage(content[0] if content else position):
            last = None  # "Roe reports: '<Kell's story>' ... she said": Kell, the one the story tells of, speaks
        voice = self._first_person(content)
        newcomers = self._newcomers(position, content, mentions)
        candidates = [Candidate(e, tuple(sorted(mentions[e])),
                                last_speaker=last is not None and last[1] == e,
                                continues_voice=voice and last is not None and last[1] == e and last[2],
                                speaker_turns=sum(r[1] == e for r in earlier),
                                newcomer=e in newcomers) for e in people]
        pronoun = self.doc[position]
        ranked = rank(self.doc, pronoun, chained(self.doc, pronoun, candidates, gender, skip=self._quoted))
        entity = ranked[0].key
        last = max(s for s, _ in mentions[entity])
        if entity in self.genders or not any(self.genders.get(c.key) == gender and max(s for s, _ in mentions[c.key])
                                             > last for c in ranked[1:]):
            # learnt unless someone the pronoun surely fits, named nearer, was passed over: "Chris Roe described
            # Ida Marsh as a disgrace after she ..." taken for Roe must not make Roe a woman for every "he" after
            self.genders.setdefault(entity, gender)
        return Resolved(entity, "pronoun", confidence(ranked))

    def _speech_subjects(self) -> list[tuple[int, int]]:
        """(token, person) of every named person outside quotations who is the subject of a main-clause speech
        or stance verb ("Roe noted", "noted NBC's Jane Roe"), in text order; computed once per article. Not of
        a verb in reported content: "Roe said Marek doesn't show ..." is Roe's report, not Marek's."""
        if self._spoken is None:
            found = []
            for verb in self.doc:
                if verb.pos_ != "VERB" or verb.lemma_.lower() not in SPEECH_VERBS | STANCE_VERBS \
                        or self._quoted(verb.i) or not (verb.dep_ == "ROOT" or (
                            verb.dep_ == "conj" and verb.head.dep_ == "ROOT")):
                    continue
                span = speaker_tokens(verb)
                entity = self.index.token_entity.get(self.doc[span[0]:span[1]].root.i) if span else None
                if entity is not None and self.index.entity(entity).kind == "person":
                    found.append((span[0], entity))
            self._spoken = sorted(found)
        return self._spoken

    def _newcomers(self, position: int, content: tuple[int, int] | None,
                   mentions: dict[int, list[tuple[int, int]]]) -> set[int]:
        """People named for the first time, in full, as the subject (or a speech verb's speaker) of the sentence
        right before the quotation being attributed."""
        where = layout(self.doc)
        before = where.sentence(min(position, content[0]) if content else position) - 1
        spoke = {s for s, _ in self._speech_subjects()}
        found = set()
        for entity, spans in mentions.items():
            first, end = min(spans)
            if where.sentence(first) == before and end - first >= 2 \
                    and (self._subject_at(first) or first in spoke):
                found.add(entity)
        return found

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
        return self.index.entity(entity).kind == "organization" or self._body_like(entity)

    def _body_like(self, entity: int) -> bool:
        """A one-word "person" nothing marks as one ("Politifact did a fact-check ... they published"): never
        named in full, with no gender, title or given name. The small model tags many bodies so; a person an
        article names by surname alone is rare, and would be "he" or "she"."""
        e = self.index.entity(entity)
        return e.kind == "person" and " " not in e.name and not e.descriptors and entity not in self.genders \
            and given_name_gender(e.name) is None and e.name[:1].isupper() and not e.name.isupper()

    def _description(self, noun: str, modifiers: set[str], position: int, proper: frozenset[str] = frozenset(),
                     head: Token | None = None) -> int | None:
        """"the Valdorian leader", "the GOP nominee", "the Republican": the last person described with that
        role (and every modifier) before. A proper modifier the article gave nobody ("the Vermont senator"
        after "Sen. Ida Marsh") is let go only when one person alone holds the role. When nobody holds it,
        the description may be an epithet for someone named before (``_epithet``)."""
        if noun in _BODY_HEADS:
            return self._organisation(noun, modifiers, position)
        if noun not in PERSON_TITLES and noun not in ROLE_SYNONYMS and noun not in PARTIES:
            # "the top British medical journal" after "the British Medical Journal": a body named by its words
            described = modifiers - _EVALUATIVE
            if described and head is not None and any(c.lower_ == "the" for c in head.lefts):
                found = self._body_of_words(noun, described, position)
                if found is not None:
                    return found
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
            # "Norland's tax commissioner says ..." opening a paragraph (parallax.nlp.leads)
            return self._by_position(withheld_person(self.doc, self.index, head, self.genders, False), position) \
                if head is not None else None
        counts: dict[int, list[int]] = {}
        for s, _, entity in self.index.mention_tokens:
            if s < position and not self._quoted(s):
                counts.setdefault(entity, []).append(s)
                owner = self.index.entity(entity).owner
                if owner is not None:  # "the Roe campaign" speaks of Jane Roe too
                    counts.setdefault(owner, []).append(s)
        for s, entity in self.history:
            if s < position:
                counts.setdefault(entity, []).append(s)
        # (people introduced by a full name, or who spoke: a lone capitalised word the model took for a person
        # is no one's epithet)
        spoke = {e for _, e in self.history}
        bound = bound_gender(head)  # "The nominee attacked her opponent"
        people = [e for e in counts if self.index.entity(e).kind == "person"
                  and (" " in self.index.entity(e).name or e in spoke)
                  and may_be(noun, modifiers, self.index.entity(e).descriptors, self.genders.get(e))
                  and self.genders.get(e) in (None, bound or self.genders.get(e))]
        # the subject just named in full, or the name a paragraph-opening description withholds, before
        # prominence (parallax.nlp.leads)
        by_position = just_named(self.doc, self.index, position, lambda e: e in people)
        if by_position is None:
            by_position = withheld_person(self.doc, self.index, head, self.genders, True)
        if by_position is not None:
            return self._by_position(by_position, position)
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

    def _by_position(self, entity: int | None, position: int) -> int | None:
        if entity is not None:
            self.epithets[position] = POSITION_CONFIDENCE
        return entity

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
            words = set(name.split())
            if (noun in words or _NAMED_AS.get(noun, frozenset()) & words) and all(m in name for m in modifiers):
                return entity
        return None
