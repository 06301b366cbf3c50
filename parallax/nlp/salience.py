"""Salience of antecedent candidates for a third-person pronoun: features and their score.

A pronoun refers to whoever the text is about, which recency alone misses: "Dorsk said ... He also thanked
Marek for ... 'We will return,' he said" is about Dorsk, the subject, not Marek, the last man named. Each
candidate (an entity with its mentions) gets features of its best-placed mention relative to the pronoun
(grammatical role, parallel role, clause embedding, binding, sentence and paragraph distance, recency rank)
and of the entity as a whole (how often and how prominently it is named, whether it spoke the previous report).
The score is a linear function of the features; its weights are in ``salience_weights.json``: those of the
text features were fitted on GAP development (benchmarks/train_salience.py, which records the recipe), those
of the reporting features (``last_speaker``, ``continues_voice``, ``speaker_turns``, ``paragraph_distance``,
``newcomer``)
are set by hand, since GAP has no reports or paragraphs to learn them from.

The same scorer serves the product (SpeakerResolver._pronoun) and the GAP benchmark (benchmarks/gap.py).
"""

from __future__ import annotations

import functools
import json
import math
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import resources

from spacy.tokens import Doc, Token

_SUBJECT = frozenset({"nsubj", "nsubjpass", "csubj"})
_OBJECT = frozenset({"dobj", "dative", "iobj", "oprd", "attr"})
# Dependencies that open a clause below the sentence's own: a name there is talked about, not talking.
_CLAUSES = frozenset({"ccomp", "advcl", "relcl", "acl", "xcomp", "pcomp", "csubj", "parataxis"})
_PASS_THROUGH = frozenset({"appos", "compound", "flat"})
PERSONAL = {"male": frozenset({"he", "him", "his", "himself"}),
            "female": frozenset({"she", "her", "hers", "herself"})}
# How far back (in sentences) earlier pronouns are chained to a candidate: a pronoun further back says
# little about this one, and the bound keeps a long article cheap.
CHAIN_SENTENCES = 6
_REFLEXIVE = frozenset({"himself", "herself"})
BINDING = 10.0


@dataclass(frozen=True)
class Candidate:
    """An entity that a pronoun may refer to: ``key`` names it for the caller, ``mentions`` are token ranges
    (first, end) in text order. The reporting evidence is the product's; GAP leaves it at its defaults."""

    key: int
    mentions: tuple[tuple[int, int], ...]
    last_speaker: bool = False  # spoke the report right before this pronoun's
    continues_voice: bool = False  # its last quotation speaks as "I"/"we" and so does the one being attributed
    speaker_turns: int = 0  # reports credited to it so far
    # first named, in full, as the subject of the sentence before the quotation: a reporter introduces the
    # person they quote next ("Jane Roe had a question for the mayor. '...,' she said")
    newcomer: bool = False


@dataclass(frozen=True)
class Scored:
    key: int
    score: float
    features: dict[str, float]


class DocLayout:
    """Sentence and paragraph of each token of one Doc, computed once and shared by every pronoun."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.sentence_starts = [s.start for s in doc.sents] if len(doc) else [0]
        self.breaks = [t.i for t in doc if "\n" in t.text or "\n" in t.whitespace_]

    def sentence(self, i: int) -> int:
        return bisect_right(self.sentence_starts, i) - 1

    def paragraph(self, i: int) -> int:
        return bisect_right(self.breaks, i - 1)


def layout(doc: Doc) -> DocLayout:
    found = doc.user_data.get("parallax.layout")
    if found is None:
        found = doc.user_data["parallax.layout"] = DocLayout(doc)
    return found


def role(token: Token) -> str:
    """subject, object, possessor, prepositional object or other; an apposition or name part takes its head's."""
    for _ in range(3):
        if token.dep_ in _PASS_THROUGH and token.head.i != token.i:
            token = token.head
        else:
            break
    dep = token.dep_
    if dep in _SUBJECT:
        return "subj"
    if dep in _OBJECT:
        return "obj"
    if dep == "poss":
        return "poss"
    if dep == "pobj":
        return "agent" if token.head.dep_ == "agent" else "pobj"
    return "other"


def governor(token: Token) -> Token:
    """The verb or noun whose argument the token (or the name it is part of) is."""
    while token.dep_ in _PASS_THROUGH and token.head.i != token.i:
        token = token.head
    return token.head


def embedded(token: Token) -> bool:
    """True when the token sits in a clause below its sentence's main clause."""
    for _ in range(40):
        if token.head.i == token.i:
            return False
        if token.dep_ in _CLAUSES:
            return True
        token = token.head
    return False


def _ancestor(candidate: Token, token: Token) -> bool:
    return any(a.i == candidate.i for a in token.ancestors)


def mention_features(doc: Doc, pronoun: Token, span: tuple[int, int], where: DocLayout) -> dict[str, float]:
    """Features of one mention relative to the pronoun."""
    head = doc[span[0]:span[1]].root
    r, pr = role(head), role(pronoun)
    f: dict[str, float] = {f"role_{r}": 1.0}
    f["main_subject"] = float(r == "subj" and not embedded(head))
    f["embedded"] = float(embedded(head))
    f["parallel"] = float(r == pr and r in ("subj", "obj", "poss"))
    after = span[0] > pronoun.i
    f["after"] = float(after)
    sentences = abs(where.sentence(pronoun.i) - where.sentence(head.i))
    f["same_sentence"] = float(sentences == 0)
    f["previous_sentence"] = float(sentences == 1 and not after)
    f["sentence_distance"] = math.log1p(sentences)
    f["token_distance"] = math.log1p(abs(pronoun.i - head.i)) / 4
    f["paragraph_distance"] = math.log1p(abs(where.paragraph(pronoun.i) - where.paragraph(head.i)))
    if sentences == 0 and after:
        # "Living with her aunt, Kelsey studied": a pronoun in a clause or phrase fronted before the subject
        f["cataphor_subject"] = float(r == "subj" and not embedded(head) and pronoun.i < head.i)
    if sentences == 0 and not after:
        # "Martin's affection for his girlfriends": the possessor of a phrase holding the pronoun
        f["possessor_of_container"] = float(r == "poss" and _ancestor(governor(head), pronoun))
        gov = governor(head)
        # principle B: "Dorsk praised him" - a pronoun object is not its own clause's subject
        f["coargument"] = float(pr in ("obj", "pobj") and governor(pronoun).i == gov.i)
        # "Dorsk said he would", "Dorsk thanked his hosts": the pronoun below the subject's verb
        f["commands"] = float(r == "subj" and gov.i != governor(pronoun).i and _ancestor(gov, pronoun)
                              or (r == "subj" and pr == "poss" and _ancestor(gov, pronoun)))
    return f


def candidate_features(doc: Doc, pronoun: Token, candidate: Candidate, where: DocLayout) -> dict[str, float]:
    """Features of a candidate: those of its nearest mention before the pronoun (or the first after it, when
    none precedes), and counts over all its mentions up to the pronoun."""
    before = [m for m in candidate.mentions if m[0] < pronoun.i]
    after = [m for m in candidate.mentions if m[0] > pronoun.i]
    nearest = before[-1] if before else after[0]
    f = mention_features(doc, pronoun, nearest, where)
    heads = [doc[s:e].root for s, e in before]
    f["mentions"] = math.log1p(len(before))
    f["pronoun_mentions"] = math.log1p(sum(doc[s].lower_ in _ANY_PERSONAL for s, _ in before))
    f["subject_mentions"] = math.log1p(sum(role(h) == "subj" for h in heads))
    f["main_subject_mentions"] = math.log1p(sum(role(h) == "subj" and not embedded(h) for h in heads))
    # a name that is the subject of the sentence before the pronoun's (often the paragraph's topic)
    if before:
        previous = where.sentence(pronoun.i) - 1
        f["previous_sentence_subject"] = float(any(
            where.sentence(h.i) == previous and role(h) == "subj" and not embedded(h) for h in heads))
    f["last_speaker"] = float(candidate.last_speaker)
    f["continues_voice"] = float(candidate.continues_voice)
    f["speaker_turns"] = math.log1p(candidate.speaker_turns)
    f["newcomer"] = float(candidate.newcomer)
    return f


_ANY_PERSONAL = PERSONAL["male"] | PERSONAL["female"]


def chained(doc: Doc, pronoun: Token, candidates: list[Candidate], gender: str,
            skip: Callable[[int], bool] | None = None, w: dict[str, float] | None = None) -> list[Candidate]:
    """The candidates with the earlier pronouns of the same gender (in the last CHAIN_SENTENCES sentences)
    attached, each to the candidate that scores best for it at its place: "Dorsk ... he ... his ... he
    said" makes Dorsk the one the text keeps talking about, which a name count alone misses."""
    where = layout(doc)
    first = max(0, where.sentence(pronoun.i) - CHAIN_SENTENCES)
    start = where.sentence_starts[first] if where.sentence_starts else 0
    words = PERSONAL[gender]
    current = list(candidates)
    taken = {s for c in current for s, _ in c.mentions}
    for tok in doc[start:pronoun.i]:
        if tok.lower_ not in words or tok.i in taken or (skip is not None and skip(tok.i)):
            continue
        earlier = [replace(c, mentions=tuple(m for m in c.mentions if m[0] < tok.i)) for c in current]
        earlier = [c for c in earlier if c.mentions]
        if not earlier:
            continue
        best = rank(doc, tok, earlier, w)[0].key
        current = [replace(c, mentions=tuple(sorted(c.mentions + ((tok.i, tok.i + 1),))))
                   if c.key == best else c for c in current]
    return current


@functools.lru_cache(maxsize=1)
def weights() -> dict[str, float]:
    return json.loads(resources.files("parallax.nlp").joinpath("salience_weights.json").read_text())["weights"]


def score(features: dict[str, float], w: dict[str, float] | None = None) -> float:
    w = weights() if w is None else w
    return w.get("bias", 0.0) + sum(w.get(name, 0.0) * value for name, value in features.items())


def rank(doc: Doc, pronoun: Token, candidates: list[Candidate], w: dict[str, float] | None = None) -> list[Scored]:
    """The candidates best first. Recency rank among them is a feature too: the nearest is not always
    right, but it is right often enough to count."""
    where = layout(doc)
    usable = [c for c in candidates if c.mentions]

    def last_before(c: Candidate) -> int:
        before = [s for s, _ in c.mentions if s < pronoun.i]
        return before[-1] if before else -1 - min(s for s, _ in c.mentions)  # after-only ones rank last

    order = sorted(usable, key=last_before, reverse=True)
    first = min((c.mentions[0][0] for c in usable), default=0)
    scored = []
    for position, c in enumerate(order):
        f = candidate_features(doc, pronoun, c, where)
        f["nearest"] = float(position == 0)
        f["topic"] = float(c.mentions[0][0] == first)  # named first of all the candidates
        value = score(f, w)
        if f.get("coargument"):
            # binding is a rule, not a tendency: "Dorsk praised him" is never Dorsk, "himself" always is
            value += BINDING if pronoun.lower_ in _REFLEXIVE else -BINDING
        scored.append(Scored(c.key, value, f))
    return sorted(scored, key=lambda s: -s.score)


def probability(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, value))))


def confidence(ranked: list[Scored]) -> float:
    """How sure the choice of the first is: its probability, shrunk by how close the runner-up came."""
    if not ranked:
        return 0.0
    best = probability(ranked[0].score)
    if len(ranked) == 1:
        return round(best, 3)
    second = probability(ranked[1].score)
    return round(best * best / (best + second) if best + second else 0.0, 3)
