"""How surely two reports of one speaker carry the same utterance: features of a pair of wordings and a
logistic model over them.

The features are the matcher's old rule and its parts turned into numbers (shared content words, containment
of a short report in a longer quote, a quoted phrase found in the other wording) plus what rules could not
weigh: the cosine of the two wordings' sentence embeddings (a paraphrase in indirect speech shares meaning, not
words), shared numbers and long words (the rare terms that pin a claim down), the forms of the two reports, and
how short the shorter one is (a topic noun such as "the legislation" is not a claim). The weights are fitted on
the hand-labelled BASIL pairs by ``benchmarks/train_statements.py`` and read from ``statement_weights.json``;
the model was fitted with a vector on every quote, so a wording without one (the model not installed) needs
more shared words to reach the threshold.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

import numpy as np

# Number words count as numbers: "30-day" and "thirty days" are one claim.
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million billion trillion percent".split()
)
FRAGMENTARY = 3  # content terms: at most this many is a phrase, not a claim
LONG_WORD = 8  # a stem this long is rare enough to pin a claim down ("impeachment", "investigators")

FEATURES = (
    "cosine",  # sentence-embedding cosine of the two wordings
    "jaccard",  # shared content terms over all of them
    "containment",  # shared content terms over the shorter wording's
    "shared",  # log(1 + shared content terms)
    "shared_long",  # log(1 + shared terms of LONG_WORD letters or more)
    "shared_numbers",  # shared numbers (digits or number words), capped at 2
    "fragment",  # a phrase one report quotes verbatim stands in the other
    "indirect",  # how many of the two are indirect speech (0, 1, 2), as two indicators
    "both_indirect",
    "shorter",  # log(1 + content terms of the shorter wording): a topic noun is not a claim
    "rule",  # the hand-set rule the matcher used before the model (rule_likeness)
    "fragmentary",  # the shorter wording has at most FRAGMENTARY terms ("same-sex marriage", "the legislation")
    "cosine_indirect",  # the cosine again when a report is indirect: a paraphrase shares meaning, not words
)


@dataclass(frozen=True)
class PairModel:
    weights: dict[str, float]
    bias: float
    threshold: float  # the probability from which two wordings are the same statement
    rescue_threshold: float  # the same for a wording whose speaker is vague or unresolved

    def probability(self, features: dict[str, float]) -> float:
        return _logistic(self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items()))

    @cached_property
    def most_without_shared(self) -> float:
        """The highest probability two wordings sharing no content term can reach, whatever their cosine, forms
        and lengths: every word feature is then 0, so only these remain. When it is under a threshold, one set
        test settles the pair; most of a speaker's wordings in a few days share no word with a given quote."""
        w = self.weights.get
        if w("shorter", 0.0) > 0:
            return 1.0  # a longer shorter wording would only gain: no bound
        forms = max(
            w("indirect", 0.0) * (indirect == 1) + w("both_indirect", 0.0) * (indirect == 2)
            + abs(w("cosine", 0.0) + w("cosine_indirect", 0.0) * (indirect > 0))  # at a cosine of -1 or 1
            for indirect in (0, 1, 2)
        )
        # the shorter wording's length: the fewest terms with and without the fragmentary mark
        length = max(w("fragmentary", 0.0), w("shorter", 0.0) * math.log1p(FRAGMENTARY + 1))
        return _logistic(self.bias + forms + length)

    def needs_shared_term(self, threshold: float) -> bool:
        """Whether only wordings with a content term in common can reach ``threshold``."""
        return self.most_without_shared < threshold


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def model() -> PairModel:
    data = json.loads(resources.files("parallax.analysis").joinpath("statement_weights.json").read_text())
    return PairModel(data["weights"], data["bias"], data["threshold"], data["rescue_threshold"])


POLARITY_TERMS = 10  # up to this many terms, a negation one wording has and the other lacks is its claim


def contains_fragment(a, b) -> bool:
    return any(f in b.joined for f in a.fragments) or any(f in a.joined for f in b.fragments)


def opposite(a, b) -> bool:
    """"We will sign" and "we will not sign": in short wordings the negation is the claim itself."""
    return a.negated != b.negated and max(len(a.terms), len(b.terms)) <= POLARITY_TERMS


# The hand-set rule: any one of these is enough.
JACCARD_MIN = 0.3
CONTAINMENT_MIN = 0.75  # share of the shorter wording's terms found in the longer one...
CONTAINMENT_TERMS = 3  # ...when the shorter one has at least this many terms
FRAGMENT_SHARED = 2  # a quoted phrase found verbatim, plus this many shared terms in all


def rule_likeness(shared: int, union: int, shorter: int, fragment: bool, opposed: bool) -> float:
    """The matcher's rule before the model, kept as one of its features: shared words (Jaccard), a short report
    inside a longer quote (containment), a quoted phrase found in the other wording; 0 when none holds."""
    if not shared or opposed:
        return 0.0
    jaccard = shared / union
    containment = shared / shorter
    score = jaccard if jaccard >= JACCARD_MIN else 0.0
    if shorter >= CONTAINMENT_TERMS and containment >= CONTAINMENT_MIN:
        score = max(score, containment * 0.9)
    if shared >= FRAGMENT_SHARED and fragment:
        score = max(score, 0.6 + 0.1 * jaccard)
    return score


def is_number(term: str, number_terms: frozenset[str]) -> bool:
    return term.isdigit() or term in number_terms


def features(a, b, number_terms: frozenset[str] = frozenset(), cosine: float | None = None) -> dict[str, float]:
    """The features of two Wordings (parallax.analysis.statements.Wording); ``number_terms`` are the number
    words in the wordings' normalised form; ``cosine`` stands for their embeddings' when given."""
    shared = a.terms & b.terms
    union = a.terms | b.terms
    shorter = min(len(a.terms), len(b.terms))
    if cosine is None:
        cosine = 0.0
        if a.vector is not None and b.vector is not None:
            cosine = float(np.dot(a.vector, b.vector))
    indirect = (a.kind == "indirect") + (b.kind == "indirect")
    fragment = bool(shared) and contains_fragment(a, b)
    return {
        "cosine": cosine,
        "jaccard": len(shared) / len(union) if union else 0.0,
        "containment": len(shared) / shorter if shorter else 0.0,
        "shared": math.log1p(len(shared)),
        "shared_long": math.log1p(sum(len(t) >= LONG_WORD for t in shared)),
        "shared_numbers": float(min(2, sum(is_number(t, number_terms) for t in shared))),
        "fragment": float(fragment),
        "indirect": float(indirect == 1),
        "both_indirect": float(indirect == 2),
        "shorter": math.log1p(shorter),
        "rule": rule_likeness(len(shared), len(union), shorter, fragment, opposite(a, b)),
        "fragmentary": float(shorter <= FRAGMENTARY),
        "cosine_indirect": cosine * (indirect > 0),
    }
