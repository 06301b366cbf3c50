"""In-article entities: name mentions from spaCy NER, cleaned of titles and clustered per referent.

The small English model mislabels often (a surname tagged ORG, a town tagged PERSON), so a cluster's kind
is decided from evidence in the article (titles, honorifics, speech verbs, prepositions) as well as labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from parallax.knowledge.genders import given_name_gender, name_gender
from parallax.model import Entity, Mention
from parallax.nlp.bodies import find_bodies
from parallax.nlp.cues import ALL_CUES
from parallax.nlp.kinship import borrowed_surname, coordinated_partners, relative_noun
from parallax.nlp.missed_names import signed_names, speaking_names
from parallax.nlp.name_context import with_context
from parallax.nlp.name_spans import candidate_spans, trim_name
from parallax.nlp.places import place_spans
from parallax.nlp.titles import (  # noqa: F401  (re-exported: the speaker stage reads them from here)
    GENDERED_TITLES, HONORIFICS, ORG_KEYWORDS, PERSON_TITLES, PLACE_PREPOSITIONS, TITLE_ABBREVIATIONS,
    TITLE_MODIFIERS,
)

_POSSESSIVE = {"'s", "’s", "'", "’"}
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Last words of outlets' names: a joint name ends at one ("USC Dornsife/Los Angeles Times").
_OUTLET_ENDINGS = frozenset("times post news journal tribune herald gazette telegraph globe chronicle".split())  # "Jr.", "Sr.", "II": a son or father of the same name



@dataclass
class _Cluster:
    id: int
    kind_votes: dict[str, int] = field(default_factory=dict)
    forms: list[str] = field(default_factory=list)
    descriptors: set[str] = field(default_factory=set)
    gender: str | None = None
    person_signal: bool = False
    place_signal: bool = False
    tokens: list[tuple[str, ...]] = field(default_factory=list)
    owner: _Cluster | None = None  # for a body named after a person or place ("Trump campaign")
    first: int = 1 << 30  # token index of its first name mention
    full: list[int] = field(default_factory=list)  # token indexes of its full names as a speech verb's subject
    # a place-labelled name that opens with a known given name ("Ava Brask" tagged GPE), and whether any of
    # its mentions speaks: both together make it a person
    given_named: bool = False
    spoke: bool = False
    relative: bool = False  # introduced as someone's relative ("his wife, Heidi Roe"): parallax.nlp.kinship


@dataclass(frozen=True)
class EntityIndex:
    """Entities and mentions of one article plus the lookups the speaker stage needs."""

    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]
    token_entity: dict[int, int]  # token index -> entity id, for tokens inside a name mention
    mention_tokens: tuple[tuple[int, int, int], ...]  # (first token, end token, entity id), in text order

    def entity(self, entity_id: int) -> Entity:
        return self.entities[entity_id]


def _norm(text: str) -> str:
    return re.sub(r"[.\s]+", " ", text.lower().replace("’", "'")).strip()


def _strip(span: Span) -> tuple[Span, list[Token]]:
    """Drop titles, honorifics, articles and possessives from a name span; return it and the dropped titles."""
    doc, start, end = span.doc, span.start, span.end
    # possessives and quotation marks the model took in ("Donald Trump ''", "Trump's")
    while end > start + 1 and (doc[end - 1].text in _POSSESSIVE or not any(c.isalnum() for c in doc[end - 1].text)):
        end -= 1
    dropped: list[Token] = []
    first = start + 1 if end - start > 1 and doc[start].lower_ == "the" else start
    # "Ministry of Outside Affairs" is a body even though "ministry" also qualifies titles
    is_org_like = end > start and (doc[end - 1].lower_ in ORG_KEYWORDS or (
        doc[first].lower_ in ORG_KEYWORDS and first + 1 < end and doc[first + 1].lower_ == "of"))
    while end - start > 1:
        word = doc[start].lower_.rstrip(".")
        if word in ("the",) or (not is_org_like and (word in PERSON_TITLES or word in TITLE_MODIFIERS)) \
                or not any(c.isalnum() for c in word):  # '”― Ivan Dorsk': a mark glued to a dash
            dropped.append(doc[start])
            start += 1
        else:
            break
    return doc[start:end], dropped



def _left_descriptors(span: Span) -> tuple[set[str], bool, str | None]:
    """Title and nationality words just before a name: "Russian Foreign Minister", "Kremlin spokesman"."""
    doc, words, titled, gender = span.doc, set(), False, None
    i = span.start - 1
    while i >= 0 and span.start - i <= 6:
        tok = doc[i]
        word = tok.lower_.rstrip(".")
        if word in HONORIFICS:
            gender, titled = HONORIFICS[word], True
        elif word in PERSON_TITLES:
            titled = True
        elif tok.text in _POSSESSIVE and i > 0:
            pass
        elif word == "of" and i > 0 and doc[i - 1].lower_ in PERSON_TITLES and _titled_after_of(doc, i, span.start):
            pass  # "Secretary of State John Kerry"
        elif tok.ent_type_ == "PERSON" or word == "of":
            break  # another name: "President X of Valdoria" says nothing about Valdoria
        elif not (word in TITLE_MODIFIERS or tok.ent_type_ in ("NORP", "GPE", "ORG")
                  or (tok.pos_ in ("PROPN", "ADJ") and tok.text[:1].isupper())):
            break
        if word not in ("the", "of") and tok.text not in _POSSESSIVE and word not in HONORIFICS:
            words.add(TITLE_ABBREVIATIONS.get(word, word))
        i -= 1
    # a bare capitalised word before a name is part of the name, not a descriptor, unless a title follows it
    return (words if titled or any(doc[j].ent_type_ == "NORP" for j in range(i + 1, span.start)) else set()), titled, gender


def _titled_after_of(doc: Doc, of: int, name_start: int) -> bool:
    """ "Secretary of State John Kerry" names a titled person; "President of Valdoria" and "the head of the
    Zarechensk administration" name a place or body that the title belongs to."""
    between = doc[of + 1:name_start]
    return len(between) > 0 and all(t.text[:1].isupper() and t.lower_ != "the" for t in between)


def _country_after(span: Span) -> set[str]:
    """ "Ministry of Foreign Affairs of Brevnia": whose body it is, said after the name."""
    doc, i = span.doc, span.end
    if i + 1 < len(doc) and doc[i].lower_ == "of" and doc[i + 1].ent_type_ == "GPE":
        return {t.lower_ for t in doc[i + 1:i + 4] if t.ent_type_ == "GPE" and t.is_alpha}
    return set()


def _appositive_descriptors(span: Span) -> set[str]:
    """Words of an apposition: "Lavrov, Russia's top diplomat," and "the Valdorian leader, Mara Velkova,"."""
    root, words = span.root, set()
    phrases = [c for c in root.children if c.dep_ == "appos" and c.i >= span.end]
    if root.dep_ == "appos" and root.head.i < span.start and root.head.pos_ in ("NOUN", "PROPN"):
        phrases.append(root.head)
    for clause in root.children:  # "Lena Sorvik, who is an economist at ...": the role a relative clause gives
        if clause.dep_ == "relcl" and clause.lemma_ == "be" and clause.i >= span.end:
            phrases += [c for c in clause.children if c.dep_ == "attr" and c.pos_ == "NOUN"]
    for head in phrases:
        tokens = [t for t in head.subtree if not (span.start <= t.i < span.end)] if head.i >= span.end \
            else [t for t in head.lefts] + [head]
        if len(tokens) > 8 or head.lower_ not in PERSON_TITLES:
            continue
        for t in tokens:
            if t.is_alpha and t.pos_ not in ("DET", "PRON", "ADP", "CCONJ", "PUNCT"):
                words.add(t.lower_)
    return words


def _person_signal(span: Span, dropped: list[Token], label: str) -> bool:
    root = span.root
    if any(t.lower_.rstrip(".") in PERSON_TITLES for t in dropped):
        return True
    names = [t for t in span if t.is_alpha]
    if 2 <= len(names) <= 3 and given_name_gender(names[0].text) and all(t.text[:1].isupper() for t in names) \
            and not any(t.lower_ in ORG_KEYWORDS for t in names) and label in ("PERSON", "ORG"):
        return True  # "Galina Petrenko" tagged ORG: a known given name opens it
    looks_like_name = 2 <= len(names) <= 3 and all(t.text[:1].isupper() for t in names) \
        and not any(t.lower_ in ORG_KEYWORDS for t in names)
    speaks = root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in ALL_CUES
    inverted = root.head.lemma_.lower() in ALL_CUES and root.dep_ in ("nsubj", "dobj", "attr") and root.i > root.head.i
    return looks_like_name and (speaks or inverted)


def _given_named_place(span: Span, label: str) -> bool:
    """ "Ava Brask" tagged GPE: two or three capitalised words opening with a known given name."""
    names = [t for t in span if t.is_alpha]
    return label in ("GPE", "LOC", "FAC") and 2 <= len(names) <= 3 and len(names) == len(span) \
        and all(t.text[:1].isupper() for t in names) and given_name_gender(names[0].text) is not None \
        and not any(t.lower_ in ORG_KEYWORDS for t in names)


def _place_signal(span: Span, label: str) -> bool:
    before = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    word = span.text
    return (len(span) == 1 and before in PLACE_PREPOSITIONS and label in ("GPE", "LOC", "PERSON", "ORG")
            and not word.isupper() and word.lower() not in ORG_KEYWORDS)



def build_entities(doc: Doc, headline_people: dict[str, HeadlinePerson] | None = None) -> EntityIndex:
    """The article's entities. ``headline_people`` maps the surname of each person its headline names in
    full to that full name and the given name's gender: a body that calls her only "Roe" still means a person,
    whatever label the model gave the bare surname, and it is the person the headline named."""
    clusters: list[_Cluster] = []
    by_key: dict[str, _Cluster] = {}
    spans: list[tuple[Span, _Cluster]] = []
    raw = []
    candidates = coordinated_partners(doc, _joint_names(place_spans(doc, speaking_names(
        doc, signed_names(doc, candidate_spans(doc))))))
    surnames = {[t for t in e if t.is_alpha][-1].lower_ for e in candidates
                if e.label_ == "PERSON" and sum(t.is_alpha for t in e) > 1}
    bodies = find_bodies(doc, candidates)
    for ent in candidates:
        span, dropped = _strip(ent)
        if span.text.lower().startswith(("pro-", "anti-")):
            continue  # "pro-Clinton", "anti-Ostrava": a stance towards a name, not a mention of it
        if not any(c.isalpha() for c in span.text) or (len(span) == 1 and (
                span[0].lower_ in PERSON_TITLES or span[0].lower_ in TITLE_MODIFIERS)):
            continue  # "State" in "Secretary of State" is part of a title, not a name
        core = trim_name(span, ent.label_, surnames)
        if core.start != span.start and ent.label_ == "ORG":
            ent = Span(doc, core.start, core.end, label="PERSON")  # "the Washington Post Trump said"
        elif ent.label_ == "PERSON" and len(core) > 1 and core[-1].is_title and core[-1].lower_ in ORG_KEYWORDS:
            ent = Span(doc, ent.start, ent.end, label="ORG")  # "the Tax Policy Center" tagged PERSON
        raw.append((ent, core, dropped))
    # "both Jonas and Ida Roe": the lone given name is a Roe too
    named = {core.start: core for ent, core, _ in raw if ent.label_ == "PERSON"}
    borrowed = {core.start: s for _, core, _ in raw if (s := borrowed_surname(core, named))}

    def new_cluster(key: str) -> _Cluster:
        cluster = _Cluster(id=len(clusters))
        clusters.append(cluster)
        by_key[key] = cluster
        return cluster

    ambiguous: set[str] = set()  # surnames two people of the article share
    initials: dict[str, _Cluster | None] | None = None
    shared: set[str] = set()  # surnames of several people, each bare use of which is decided where it stands
    # Multi-word names first, so a surname seen before its full name still joins it; then surnames with an
    # honorific, so that "Mr. Obama" is a man of his own before a bare "Obama" chooses between him and
    # "Michelle Obama".
    for ent, span, dropped in sorted(raw, key=lambda r: (-len(r[1]), len(r[1]) == 1 and not _left_descriptors(r[1])[2])):
        key = _norm(span.text)
        if len(span) == 1 and span.start in borrowed:
            key = f"{key} {_norm(borrowed[span.start])}"
            cluster = by_key.get(key) or new_cluster(key)
            cluster.tokens.append(tuple(key.split()))
            cluster.first = min(cluster.first, span.start)
            cluster.kind_votes["PERSON"] = cluster.kind_votes.get("PERSON", 0) + 2
            cluster.forms.append(f"{span.text} {borrowed[span.start]}")
            spans.append((span, cluster))
            continue
        cluster = by_key.get(key)
        honorific = _left_descriptors(span)[2] if len(span) == 1 else None
        if len(span) == 1 and (cluster is None or key in ambiguous or key in shared or honorific):
            matches = [c for c in clusters if any(t[-1] == key and (len(t) > 1 or c.gender) for t in c.tokens)]
            if honorific:  # "Mrs. Dorsk" is not Ivan Dorsk
                matches = [c for c in matches if _person_gender(c) in (None, honorific)]
                # ("Mrs. Berg" is the woman named Ingrid Berg rather than Oskar Berg, whose gender is unknown)
                matches = [c for c in matches if _person_gender(c) == honorific] or matches
            if len(matches) > 1:
                shared.add(key)
                # (a relative, "his wife, Heidi Roe", is kept apart by her given name even just after she spoke)
                near = _named_just_before([c for c in matches if not c.relative] or matches, span.start)
                matches = [near] if near is not None else _dominant(matches)
                if not matches:
                    ambiguous.add(key)
            if not matches and key in ambiguous and not honorific:
                continue  # "Dorsk" when the article names Ivan and Pavel Dorsk alike: no guess, no mention
            cluster = matches[0] if matches else None
            if cluster is None and honorific:
                cluster = new_cluster(key + " " + honorific)  # Mrs. Dorsk, someone else than Ivan Dorsk
                cluster.gender = honorific
                if any(t[-1] == key for c in clusters for t in c.tokens if c is not cluster):
                    ambiguous.add(key)  # from here a bare "Dorsk" may be either
            elif cluster is not None and not honorific:
                by_key[key] = cluster
        if cluster is None and len(span) == 1:
            # "the S.E.C." after "the Securities and Exchange Commission": the body its initials spell (the
            # table is made once, at the first one-word name: every longer name is clustered by then)
            initials = _initials(clusters) if initials is None else initials
            cluster = _initialism(span[0].text, initials)
        if cluster is None and len(span) == 2 and _norm(span[1].text) in _SUFFIXES:
            # "Dorsk Jr." is the son named "Ivan Dorsk Jr." before, never his father Ivan Dorsk
            pair = (_norm(span[0].text), _norm(span[1].text))
            cluster = next((c for c in clusters if any(len(t) > 2 and t[-2:] == pair for t in c.tokens)), None)
        if cluster is None:
            cluster = new_cluster(key)
        cluster.tokens.append(tuple(_norm(t.text) for t in span))
        cluster.first = min(cluster.first, span.start)
        if len(span) > 1 and span.root.dep_ == "nsubj" and span.root.head.lemma_.lower() in ALL_CUES:
            # named in full as the one speaking, not in passing ("his wife, Heidi Cruz")
            cluster.full.append(span.start)
        spans.append((span, cluster))
        left, titled, gender = _left_descriptors(span)
        cluster.descriptors |= left | _appositive_descriptors(span)
        kin = relative_noun(span) if ent.label_ in ("PERSON", "GPE", "ORG") else None
        if kin:
            cluster.descriptors.add(kin)
            cluster.relative = True
        if ent.label_ == "ORG":
            cluster.descriptors |= _country_after(span)
        cluster.gender = cluster.gender or gender
        cluster.person_signal |= titled or _person_signal(span, dropped, ent.label_)
        cluster.given_named |= _given_named_place(span, ent.label_)
        if not cluster.spoke and (cluster.given_named or ent.label_ in ("GPE", "LOC", "FAC")):
            root = span.root
            cluster.spoke = root.dep_ == "nsubj" and root.head.lemma_.lower() in ALL_CUES
        cluster.place_signal |= _place_signal(span, ent.label_)
        cluster.kind_votes[ent.label_] = cluster.kind_votes.get(ent.label_, 0) + (2 if len(span) > 1 else 1)
        cluster.forms.append(span.text)

    for body in bodies:
        key = _norm(body.name)
        cluster = by_key.get(key) or new_cluster(key)
        cluster.tokens.append(tuple(key.split()))
        cluster.forms.append(body.name)
        cluster.kind_votes["ORG"] = cluster.kind_votes.get("ORG", 0) + 2
        if body.owner is not None and cluster.owner is None:
            cluster.owner = _owner_cluster(body.owner, clusters)
        # the body's mention is its noun: the owner's name before it stays a mention of the owner
        spans.append((doc[body.span.end - 1:body.span.end], cluster))

    for c in clusters:
        key = c.tokens[0][-1] if c.tokens else ""
        if headline_people and key in headline_people and all(len(t) == 1 for t in c.tokens) \
                and not c.kind_votes.get("ORG") and c.owner is None:
            # "Hillary Roe Wins ..." over a body that says "Roe said": the model's GPE for "Roe" is wrong
            c.person_signal = True
            c.gender = c.gender or headline_people[key].gender
            # her name in full is the headline's: the reader sees "Hillary Roe", and epithets may mean her
            c.forms.append(headline_people[key].name)
    spans += _unlabelled_surnames(doc, clusters, spans, ambiguous)
    spans.sort(key=lambda sc: sc[0].start)
    # ids in order of first mention, so they read naturally in exports and tests
    order = list(dict.fromkeys(c.id for _, c in spans))
    clusters = [clusters[i] for i in order]
    for new_id, c in enumerate(clusters):
        c.id = new_id

    entities = tuple(Entity(id=c.id, name=_best_name(c), kind=_kind(c), gender=_gender(c),  # type: ignore[arg-type]
                            descriptors=frozenset(c.descriptors),
                            owner=c.owner.id if c.owner is not None and any(c.owner is x for x in clusters) else None)
                     for c in clusters)
    mentions, token_entity, mention_tokens = [], {}, []
    last_end = -1
    for span, cluster in spans:
        if span.start < last_end:
            continue  # overlapping spans cannot both be mentions
        last_end = span.end
        mentions.append(Mention(span.start_char, span.end_char, span.text, cluster.id))
        mention_tokens.append((span.start, span.end, cluster.id))
        for i in range(span.start, span.end):
            token_entity[i] = cluster.id
    entities = with_context(doc, entities, mention_tokens)
    return EntityIndex(entities, tuple(mentions), token_entity, tuple(mention_tokens))


class HeadlinePerson(NamedTuple):
    name: str
    gender: str


def headline_people(title: Doc) -> dict[str, HeadlinePerson]:
    """Surname -> the full name and gender of each person a headline names in full with a known given name
    ("Hillary Roe Goes After ..." -> {"roe": ("Hillary Roe", "female")}), for ``build_entities`` of the body
    under it."""
    found = {}
    for span in candidate_spans(title):
        names = [t for t in span if t.is_alpha]
        gender = given_name_gender(names[0].text) if names else None
        if span.label_ == "PERSON" and 2 <= len(names) <= 3 and gender and all(t.text[:1].isupper() for t in names):
            found[names[-1].lower_] = HeadlinePerson(" ".join(t.text for t in names), gender)
    return found


# How near (in tokens) a speaking full name must be for a bare surname after it to be that person's: about a
# paragraph. "Secretary Jeh Johnson said ... Johnson added" is Jeh Johnson even where Gary Johnson is named more.
_JUST_NAMED = 80


def _named_just_before(clusters: list[_Cluster], position: int) -> _Cluster | None:
    """Of several people sharing a surname, the one last named in full as the subject of a speech verb before
    ``position``, if that was near: "Minister Pavel Dorsk said ... Dorsk added"."""
    latest = [(max((s for s in c.full if s < position), default=-1), c.id, c) for c in clusters]
    at, _, found = max(latest, key=lambda x: (x[0], x[1]))
    return found if at >= 0 and position - at <= _JUST_NAMED else None


def _joint_names(candidates: list[Span]) -> list[Span]:
    """ "Reuters/Ipsos", "ABC/Washington Post": two bodies joined by a slash act as one (a joint poll is
    neither partner's alone), so the name runs over the slash and the capitalised words after it."""
    out, skip_to = [], -1
    for ent in candidates:
        if ent.start < skip_to:
            continue
        doc, end = ent.doc, ent.end
        if end + 1 < len(doc) and doc[end].text == "/" and not doc[end - 1].whitespace_ \
                and not doc[end].whitespace_ and doc[end + 1].text[:1].isupper() and ent.label_ in ("ORG", "PERSON"):
            end += 1
            while end < len(doc) and end - ent.end <= 4 and doc[end].text[:1].isupper() and doc[end].pos_ == "PROPN":
                end += 1
                if doc[end - 1].lower_ in _OUTLET_ENDINGS:
                    break  # "Reuters/Los Angeles Times Daybreak poll": the outlet's name ends at "Times"

            ent = Span(doc, ent.start, end, label="ORG")
            skip_to = end
        elif ent.label_ == "ORG" and any(t.text == "/" for t in ent):
            slash = next(t.i for t in ent if t.text == "/")
            ending = next((t.i for t in doc[slash:ent.end] if t.lower_ in _OUTLET_ENDINGS), None)
            if ending is not None and ending + 1 < ent.end:
                ent = Span(doc, ent.start, ending + 1, label="ORG")  # the model ran it on into the poll's name
        out.append(ent)
    return out


def _dominant(clusters: list[_Cluster]) -> list[_Cluster]:
    """Of several people sharing a surname, the one the article is about: named (in full or with an honorific)
    twice as often as any other ("Clinton" is Hillary Clinton in an article that names Bill Clinton once;
    "Obama" is the "Mr. Obama" of the article, not "Michelle Obama" named once), else the one it
    named first. Someone introduced as a relative ("his wife, Heidi Cruz", "Ivo Roe, the nominee's son") is
    never the one, whatever the counts: articles keep the relative apart by the given name (parallax.nlp.kinship).
    The speaker's confidence says it was a choice."""
    principal = [c for c in clusters if not c.relative]
    if len(principal) == 1 and len(clusters) > 1:
        return principal
    ranked = sorted(clusters, key=lambda c: (-len(c.tokens), c.first))
    counts = [len(c.tokens) for c in ranked]
    if counts[0] >= 2 and counts[0] >= 2 * counts[1]:
        return ranked[:1]
    return [min(clusters, key=lambda c: c.first)]


def _owner_cluster(owner: Span, clusters: list[_Cluster]) -> _Cluster | None:
    """The cluster of a body's owner: the person or place whose name (or surname) it is."""
    span, _ = _strip(owner)
    words = tuple(_norm(t.text) for t in span)
    if not words:
        return None
    exact = next((c for c in clusters if words in c.tokens), None)
    # a bare surname several people share: the one its bare use means ("the Roe campaign" is not the
    # candidate's daughter's)
    people = [c for c in clusters if any(len(t) > 1 and t[-1] == words[-1] for t in c.tokens)] \
        if len(words) == 1 else []
    if len(people) > 1:
        return _dominant(people)[0]
    return exact or (people[0] if people else None)


def _unlabelled_surnames(doc: Doc, clusters: list[_Cluster], spans: list[tuple[Span, _Cluster]],
                         ambiguous: set[str] = frozenset()) -> list[tuple[Span, _Cluster]]:  # type: ignore[assignment]
    """Surnames of people the model missed on their second mention ("Velkova added")."""
    covered = {i for span, _ in spans for i in range(span.start, span.end)}
    surnames: dict[str, _Cluster] = {}
    owners: dict[str, list[_Cluster]] = {}
    kinds = {c.id: _kind(c) for c in clusters}
    for c in clusters:
        if kinds[c.id] == "person":
            for t in c.tokens:
                if len(t) > 1 and len(t[-1]) > 2 and c not in owners.setdefault(t[-1], []):
                    owners[t[-1]].append(c)
    for key, people in owners.items():
        # two people of one surname: a bare surname is the one the article is about, or neither
        chosen = people if len(people) == 1 else _dominant(people)
        if chosen and key not in ambiguous:
            surnames[key] = chosen[0]
    # one-word names the model tagged once and missed later ("Politifact then ruled"), and initials of a body
    # named in full ("CNS" after "Christian News Service")
    words: dict[str, _Cluster] = {}
    for c in clusters:
        if kinds[c.id] in ("person", "organization"):
            for t in c.tokens:
                if len(t) == 1 and len(t[0]) > 2:
                    words.setdefault(t[0], c)
    initials = _initials(clusters, kinds)
    found = []
    for tok in doc:
        if tok.i in covered or not tok.text[:1].isupper() or tok.pos_ != "PROPN":
            continue
        if tok.lower_ in surnames:
            found.append((doc[tok.i:tok.i + 1], surnames[tok.lower_]))
        elif tok.lower_ in words and tok.lower_ not in ambiguous and not _common_use(doc, tok.i):
            found.append((doc[tok.i:tok.i + 1], words[tok.lower_]))
        elif initials and (body := _initialism(tok.text, initials)) is not None:
            found.append((doc[tok.i:tok.i + 1], body))
    return found


def _common_use(doc: Doc, i: int) -> bool:
    """ "a super PAC", "an NGO": a one-word name used as a common noun, after an article or an adjective."""
    before = doc[i - 1] if i > 0 else None
    return before is not None and before.is_lower and (before.lower_ in ("a", "an") or before.pos_ == "ADJ")


_JOINING = frozenset({"and", "of", "for", "the", "&", "on", "to", "in", "at"})


def _initials(clusters: list[_Cluster], kinds: dict[int, str] | None = None) -> dict[str, _Cluster | None]:
    """Initials -> the body whose full name they spell ("sec" for Securities and Exchange Commission); None
    where two bodies of the article spell the same."""
    table: dict[str, _Cluster | None] = {}
    for c in clusters:
        if (kinds[c.id] if kinds is not None else _kind(c)) != "organization":
            continue
        for t in c.tokens:
            # (a name's word may be empty: a lone mark the parser kept inside the name)
            letters = "".join(w[0] for w in t if w and w not in _JOINING) if len(t) >= 2 else ""
            if 2 <= len(letters) <= 6:
                table[letters] = c if table.get(letters, c) is c else None
    return table


def _initialism(word: str, initials: dict[str, _Cluster | None]) -> _Cluster | None:
    """The body whose full name the capitals spell ("S.E.C.", "CNS"), if exactly one does."""
    letters = word.replace(".", "")
    if not (2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()):
        return None
    return initials.get(letters.lower())


def _gender(c: _Cluster) -> str | None:
    """An honorific ("Ms"), else the given name or Slavic surname, else a gendered role ("spokeswoman")."""
    return _person_gender(c) if _kind(c) == "person" else c.gender


def _person_gender(c: _Cluster) -> str | None:
    if c.gender:
        return c.gender
    by_name = name_gender(_best_name(c))
    if by_name:
        return by_name
    by_title = {GENDERED_TITLES[w] for w in c.descriptors if w in GENDERED_TITLES}
    return by_title.pop() if len(by_title) == 1 else None


def _best_name(c: _Cluster) -> str:
    return max(c.forms, key=lambda f: (len(f.split()), len(f)))


def _kind(c: _Cluster) -> str:
    votes = c.kind_votes
    multiword_person = any(len(t) > 1 for t in c.tokens) and votes.get("PERSON", 0) >= max(votes.values())
    if c.person_signal or multiword_person or (c.given_named and c.spoke):
        return "person"
    if c.place_signal:
        return "place"
    label = max(votes, key=lambda k: votes[k]) if votes else ""
    return {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place"}.get(label, "other")
