"""In-article entities: name mentions from spaCy NER, cleaned of titles and clustered per referent.

The small English model mislabels often (a surname tagged ORG, a town tagged PERSON), so a cluster's kind
is decided from evidence in the article (titles, honorifics, speech verbs, prepositions) as well as labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from parallax.knowledge.genders import given_name_gender, name_gender
from parallax.model import Entity, Mention
from parallax.nlp.cues import ALL_CUES
from parallax.nlp.missed_names import speaking_names
from parallax.nlp.name_context import with_context
from parallax.nlp.places import place_spans

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})

HONORIFICS = {"mr": "male", "mrs": "female", "ms": "female", "miss": "female", "sir": "male",
              "dame": "female", "lord": "male", "lady": "female", "madam": "female"}

# Nouns that name a person's role; they make a neighbouring name a person and become descriptors.
PERSON_TITLES = frozenset("""
    president leader minister premier spokesman spokeswoman spokesperson ambassador envoy governor mayor
    chancellor general commander negotiator diplomat official secretary chief senator sen rep representative
    dr gen col colonel lieutenant lt major maj captain capt admiral adm king queen prince princess pope sheikh
    emir director chairman chairwoman chair head adviser advisor aide deputy vice prosecutor judge lawmaker
    mp spokesmen commissioner counsellor counselor coach manager
""".split()) | frozenset(HONORIFICS)

# Role nouns that say the bearer's sex; a weaker sign than an honorific or a given name.
GENDERED_TITLES = {"spokeswoman": "female", "chairwoman": "female", "congresswoman": "female",
                   "queen": "female", "princess": "female", "businesswoman": "female",
                   "spokesman": "male", "chairman": "male", "congressman": "male", "king": "male",
                   "prince": "male", "businessman": "male"}

# Modifiers that belong to a title ("Foreign Minister", "Prime Minister") and are stripped with it.
TITLE_MODIFIERS = frozenset("""
    foreign prime defence defense interior finance economy justice health deputy vice acting former top
    senior chief press state the first ex special presidential military army armed forces navy government
    opposition party ministry
""".split())

ORG_KEYWORDS = frozenset("""
    ministry council agency party news office department committee union army forces service services
    commission parliament government bank company corp inc ltd group institute university times post press
    tv radio network organisation organization alliance nato un eu kremlin court assembly senate congress
    fund association federation command
""".split())

PLACE_PREPOSITIONS = frozenset("in to from into across near at toward towards on outside around over".split())
_POSSESSIVE = {"'s", "’s", "'", "’"}


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
    while end > start and doc[end - 1].text in _POSSESSIVE:
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
            words.add(word)
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
    if 2 <= len(names) <= 3 and given_name_gender(names[0].text) and all(t.is_title for t in names) \
            and not any(t.lower_ in ORG_KEYWORDS for t in names) and label in ("PERSON", "ORG"):
        return True  # "Galina Petrenko" tagged ORG: a known given name opens it
    looks_like_name = 2 <= len(names) <= 3 and all(t.text[:1].isupper() for t in names) \
        and not any(t.lower_ in ORG_KEYWORDS for t in names)
    speaks = root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in ALL_CUES
    inverted = root.head.lemma_.lower() in ALL_CUES and root.dep_ in ("nsubj", "dobj", "attr") and root.i > root.head.i
    return looks_like_name and (speaks or inverted)


def _place_signal(span: Span, label: str) -> bool:
    before = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    word = span.text
    return (len(span) == 1 and before in PLACE_PREPOSITIONS and label in ("GPE", "LOC", "PERSON", "ORG")
            and not word.isupper() and word.lower() not in ORG_KEYWORDS)


def _candidate_spans(doc: Doc) -> list[Span]:
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
        spans.extend(_place_then_person(e, places) or [e])
    return place_spans(doc, speaking_names(doc, spans + _titled_unlabelled_names(doc) + _speaking_unlabelled_names(doc)))


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


def build_entities(doc: Doc) -> EntityIndex:
    clusters: list[_Cluster] = []
    by_key: dict[str, _Cluster] = {}
    spans: list[tuple[Span, _Cluster]] = []
    raw = []
    for ent in _candidate_spans(doc):
        span, dropped = _strip(ent)
        if not any(c.isalpha() for c in span.text) or (len(span) == 1 and (
                span[0].lower_ in PERSON_TITLES or span[0].lower_ in TITLE_MODIFIERS)):
            continue  # "State" in "Secretary of State" is part of a title, not a name
        raw.append((ent, span, dropped))

    def new_cluster(key: str) -> _Cluster:
        cluster = _Cluster(id=len(clusters))
        clusters.append(cluster)
        by_key[key] = cluster
        return cluster

    # Multi-word names first, so a surname seen before its full name still joins it.
    for ent, span, dropped in sorted(raw, key=lambda r: -len(r[1])):
        key = _norm(span.text)
        cluster = by_key.get(key)
        if cluster is None and len(span) == 1:
            matches = [c for c in clusters if any(len(t) > 1 and t[-1] == key for t in c.tokens)]
            if matches:
                cluster = matches[0]
                by_key[key] = cluster
        if cluster is None:
            cluster = new_cluster(key)
        cluster.tokens.append(tuple(_norm(t.text) for t in span))
        spans.append((span, cluster))
        left, titled, gender = _left_descriptors(span)
        cluster.descriptors |= left | _appositive_descriptors(span)
        if ent.label_ == "ORG":
            cluster.descriptors |= _country_after(span)
        cluster.gender = cluster.gender or gender
        cluster.person_signal |= titled or _person_signal(span, dropped, ent.label_)
        cluster.place_signal |= _place_signal(span, ent.label_)
        cluster.kind_votes[ent.label_] = cluster.kind_votes.get(ent.label_, 0) + (2 if len(span) > 1 else 1)
        cluster.forms.append(span.text)

    spans += _unlabelled_surnames(doc, clusters, spans)
    spans.sort(key=lambda sc: sc[0].start)
    # ids in order of first mention, so they read naturally in exports and tests
    order = list(dict.fromkeys(c.id for _, c in spans))
    clusters = [clusters[i] for i in order]
    for new_id, c in enumerate(clusters):
        c.id = new_id

    entities = tuple(Entity(id=c.id, name=_best_name(c), kind=_kind(c), gender=_gender(c),  # type: ignore[arg-type]
                            descriptors=frozenset(c.descriptors)) for c in clusters)
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


def _unlabelled_surnames(doc: Doc, clusters: list[_Cluster], spans: list[tuple[Span, _Cluster]]) -> list[tuple[Span, _Cluster]]:
    """Surnames of people the model missed on their second mention ("Velkova added")."""
    covered = {i for span, _ in spans for i in range(span.start, span.end)}
    surnames: dict[str, _Cluster] = {}
    for c in clusters:
        if _kind(c) == "person":
            for t in c.tokens:
                if len(t) > 1 and len(t[-1]) > 2:
                    surnames.setdefault(t[-1], c)
    found = []
    for tok in doc:
        if tok.i not in covered and tok.text[:1].isupper() and tok.lower_ in surnames and tok.pos_ == "PROPN":
            found.append((doc[tok.i:tok.i + 1], surnames[tok.lower_]))
    return found


def _gender(c: _Cluster) -> str | None:
    """An honorific ("Ms"), else the given name or Slavic surname, else a gendered role ("spokeswoman")."""
    if c.gender or _kind(c) != "person":
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
    if c.person_signal or multiword_person:
        return "person"
    if c.place_signal:
        return "place"
    label = max(votes, key=lambda k: votes[k]) if votes else ""
    return {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place"}.get(label, "other")
