"""Statements: one utterance of one actor, as reported by every article that carried it.

Two quotes are the same statement when the speaker is the same actor, the dates are close, and the
wordings share enough content words (or one wording contains most of the other). Translations that share
few words are the known weak spot of this lexical test; sentence embeddings will cover them later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from parallax.analysis.stories import terms

MAX_DAYS_APART = 3
JACCARD_MIN = 0.3
CONTAINMENT_MIN = 80  # rapidfuzz token_set_ratio: one wording nearly inside the other


@dataclass(eq=False)
class StatementState:
    id: int | None
    actor_id: str
    said_on: date | None
    text: str
    wordings: list[frozenset[str]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def similar(a_text: str, a_terms: frozenset[str], b_text: str, b_terms: frozenset[str]) -> bool:
    if a_terms and b_terms:
        overlap = len(a_terms & b_terms) / len(a_terms | b_terms)
        if overlap >= JACCARD_MIN:
            return True
    if min(len(a_terms), len(b_terms)) >= 3:
        return fuzz.token_set_ratio(a_text.lower(), b_text.lower()) >= CONTAINMENT_MIN
    return False


def close_in_time(a: date | None, b: date | None) -> bool:
    return a is None or b is None or abs((a - b).days) <= MAX_DAYS_APART


class StatementIndex:
    """Statements grouped by actor, so a new quote is compared only with its own speaker's words."""

    def __init__(self, statements: list[StatementState] = ()):
        self.by_actor: dict[str, list[StatementState]] = {}
        for statement in statements:
            self.by_actor.setdefault(statement.actor_id, []).append(statement)

    def place(self, actor_id: str, text: str, said_on: date | None) -> tuple[StatementState, bool]:
        """The statement this quote belongs to, and whether it is new."""
        quote_terms = frozenset(terms(text))
        for statement in self.by_actor.get(actor_id, []):
            if not close_in_time(statement.said_on, said_on):
                continue
            if any(similar(text, quote_terms, t, w) for t, w in zip(statement.texts, statement.wordings)):
                statement.texts.append(text)
                statement.wordings.append(quote_terms)
                return statement, False
        statement = StatementState(None, actor_id, said_on, text, [quote_terms], [text])
        self.by_actor.setdefault(actor_id, []).append(statement)
        return statement, True
