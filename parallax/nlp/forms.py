"""The form of a report: what kind of thing a quote says the speaker did.

* statement: a proposition, something asserted as said: every direct quotation, "X said (that) ...",
  "X believes ...", a mixed quote inside such a clause;
* stance: a position taken towards something, with no proposition: "X endorsed Y", "X condemned the attack",
  "X called for a ceasefire", "X urged them to leave";
* topic: only what was talked about: "X discussed the border", "X raised concerns about the deal",
  "X spoke about the talks".

Decided from the cue's lemma and from whether the reported content is a clause (a verb with its own subject,
or a clause the cue governs): "warned that the talks would fail" is a statement, "warned of a collapse" a
stance. A report the rules cannot place is a statement, the form every quote had before.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from parallax.nlp.cues import (
    CONCERN_NOUNS, CONCERN_VERBS, DEMAND_VERBS, INTENT_VERBS, NAMING_VERBS, STANCE_PREPOSITIONS, STANCE_VERBS,
)

# Verbs that say only what was talked about ("discussed X", "spoke about X", "commented on X").
TOPIC_VERBS = frozenset("""discuss talk speak address raise mention comment touch weigh testify broach tackle
    debate explore review consider brief""".split())
_CLAUSE_DEPS = frozenset({"ccomp", "csubj", "parataxis"})


def quote_form(doc: Doc, kind: str, start: int, end: int, cue: int | None) -> str:
    """statement, stance or topic for a quote of ``kind`` whose content is ``doc.text[start:end]``."""
    if kind == "direct" or cue is None or not 0 <= cue < len(doc):
        return "statement"
    verb = doc[cue]
    lemma = verb.lemma_.lower()
    if _is_clause(doc, start, end, verb):
        return "statement"
    if lemma in TOPIC_VERBS or (lemma in CONCERN_VERBS and _object_lemma(verb) in CONCERN_NOUNS):
        return "topic"
    if lemma in NAMING_VERBS and kind == "mixed":
        return "stance"  # called the plan "a trap": a judgement of the plan, not a proposition
    if lemma in STANCE_VERBS or lemma in STANCE_PREPOSITIONS or lemma in DEMAND_VERBS or lemma in INTENT_VERBS:
        return "stance"
    return "statement"


def _object_lemma(verb: Token) -> str:
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return obj.lemma_.lower() if obj is not None else ""


def _is_clause(doc: Doc, start: int, end: int, cue: Token) -> bool:
    """The content holds a clause: a verb with its own subject, or the clause the cue governs ("said the
    deal was dead"); a bare object or a "to ..." complement is not one."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    inside = range(span.start, span.end)
    for child in cue.children:
        if child.i in inside and child.dep_ in _CLAUSE_DEPS:
            return True
    root = span.root
    if root.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in root.children):
        return True
    return any(t.dep_ in ("nsubj", "nsubjpass") and t.head.i in inside and t.head.pos_ in ("VERB", "AUX")
               and t.head.dep_ not in ("xcomp", "acl", "relcl") and t.head.i != cue.i for t in span)
