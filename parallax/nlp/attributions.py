"""Indirect attributions: what is reported without quotation marks, found in the parse.

Attribution in news is broader than speech (PolNeAR's convention, which the benchmark follows): beliefs,
findings, stances and intentions are attributed too. The shapes recognised here:

* a verb with a subject and a reported clause ("X said (that) ...", "the poll found ..."), any verb but a
  short stop-list; "to ..." complements of intentions; objects of stances ("X endorsed Y", "called for Y");
* "according to X, ...", "In a Quinnipiac poll, ...", hearsay adverbs ("X reportedly told aides ...");
* raising and passive reports with no named source ("X seems to ...", "X is expected to ...");
* possessed attribution nouns ("his claim that ...") and the parenthetical "..., he said, ...";
* "As X put it, ...", naming without quote marks ("called the plan a trap"), light verbs with an attack or a
  doubt ("took a swipe at X", "raised questions about X") and stances stated as a role ("a critic of X");
* "according to X" around a report it credits is a record of its own, nested around that report.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Token

from parallax.nlp.cues import (
    ADVOCATE_NOUNS,
    ATTACK_NOUNS,
    ATTITUDE_ADJECTIVES,
    ATTITUDE_PREPOSITIONS,
    ATTRIBUTION_NOUNS,
    BELIEF_VERBS,
    CONCERN_NOUNS,
    CONCERN_VERBS,
    DEMAND_VERBS,
    HEARSAY_ADVERBS,
    INTENT_VERBS,
    LIGHT_VERBS,
    NAMING_VERBS,
    NOT_REPORTING,
    NOUN_INTENTS,
    NOUN_STANCES,
    PASSIVE_REPORTS,
    RAISING_VERBS,
    SOURCE_NOUNS,
    SPEECH_OCCASIONS,
    SPEECH_VERBS,
    STANCE_PREPOSITIONS,
    STANCE_VERBS,
    WEAK_BUT_REPORTING,
    WEAK_VERBS,
    cue_lemma,
)
from parallax.nlp.lookups import doc_text, sentence_of
from parallax.nlp.marks import paragraphs, trim
from parallax.nlp.quotes import QuoteCandidate, clause_end
from parallax.nlp.speaker_phrases import according_to_tokens, noun_phrase, speaker_tokens

# Where a verb's subject is left unsaid or is the noun it modifies ("voters who support Clinton", "...,
# calling the plan a trap"): an attribution without a named speaker is still one.
_UNSPOKEN_SUBJECT = frozenset({"relcl", "acl", "advcl", "conj"})
_EMPTY_OBJECTS = frozenset("nothing anything something everything this that it them one".split())


def indirect_quotes(doc: Doc, taken: list[tuple[int, int]], used_cues: set[int],
                    uncredited: list[tuple[int, int]] = ()) -> list[QuoteCandidate]:
    """Reported clauses without quote marks; ``taken`` are character ranges already claimed by quotes,
    ``uncredited`` quotations no cue claimed: a clause may hold one whole ("African-Americans, he said, can
    ''rock like Jimi''" is a mixed quote) but not start or end inside it."""
    paras = paragraphs(doc_text(doc))
    para_starts = [a for a, _ in paras]
    found_all = [(tok, found) for tok in doc if tok.i not in used_cues
                 and (found := _attribution(doc, tok)) is not None]
    speech = [(tok, found[0]) for tok, found in found_all
              if found[1] is not None and cue_lemma(tok) in SPEECH_VERBS and tok.pos_ in ("VERB", "AUX")]
    result = []
    for tok, found in found_all:
        if _inside(tok.idx, taken) or _reported_by(tok, speech):
            continue
        (start, end, content), speaker, min_words = found
        # "According to Yahoo News, Lehrich said ...": who reported a statement is a record of its own, around it
        nests = tok.lower_ == "according"
        if (_cuts(start, end, taken) if nests else _overlaps(start, end, taken)) or _cuts(start, end, uncredited) \
                or len(content.split()) < min_words or (not nests and any(start <= doc[i].idx < end for i in used_cues)):
            continue  # a clause holding the cue of a quotation is a misparse around that cue
        paragraph = bisect_right(para_starts, start) - 1
        if paras[paragraph][1] < end:
            continue  # a parse that runs across lines is not one clause
        result.append(QuoteCandidate(start, end, content, "indirect", tok.i, speaker, paragraph, according_to=nests))
        taken = taken + [(start, end)]
    return result


def _reported_by(cue: Token, speech: list[tuple[Token, tuple[int, int, str]]]) -> bool:
    """Whether ``cue`` sits inside what a later speech verb above it reports: "Brevnia and Dravenia have
    agreed to exchange prisoners, the mediator said" is the mediator's report, not Brevnia's own; text
    order alone would let the nearer "agreed" claim the clause first."""
    ancestors = {a.i for a in cue.ancestors}
    return any(outer.i > cue.i and outer.i in ancestors and start <= cue.idx < end
               for outer, (start, end, _) in speech)


def _attribution(doc: Doc, tok: Token):
    """The attribution ``tok`` is the cue of, as ((start, end, content), speaker, fewest words), or None."""
    lower = tok.lower_
    if lower == "according":
        return _according_to(doc, tok)
    if tok.pos_ == "NOUN" and tok.dep_ == "attr" and tok.lemma_.lower() in ADVOCATE_NOUNS:
        return _advocate(doc, tok)
    if tok.pos_ == "NOUN":
        lemma = tok.lemma_.lower()
        known = lemma in ATTRIBUTION_NOUNS or lemma in NOUN_INTENTS or lemma in NOUN_STANCES
        return _nominal(doc, tok) if known else None
    if lower == "in" and tok.dep_ == "prep":
        return _in_source(doc, tok)
    if lower in HEARSAY_ADVERBS:
        return _hearsay(doc, tok)
    if tok.pos_ == "VERB":
        return _as_source(doc, tok) or _reported_clause(doc, tok)
    if tok.pos_ == "ADJ" and tok.dep_ == "acomp" and tok.lower_ in ATTITUDE_ADJECTIVES:
        return _attitude(doc, tok)
    return None


def _advocate(doc: Doc, noun: Token):
    """"Kaine is a staunch opponent of the death penalty", "X has been an outspoken supporter of NATO"."""
    speaker = speaker_tokens(noun.head)
    prep = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
    if speaker is None or obj is None:
        return None
    found = _subtree_content(doc, noun, obj.left_edge.i, prep.right_edge.i)  # "of NATO and of its allies"
    return None if found is None else (found, speaker, 1)


def _attitude(doc: Doc, adjective: Token):
    """"Sanders is confident (that) he can win", "is willing to debate", "is critical of the deal"."""
    speaker = speaker_tokens(adjective.head)
    if speaker is None:
        return None
    comp = next((c for c in adjective.children if c.dep_ in ("xcomp", "ccomp") and c.i > adjective.i), None)
    if comp is None:
        prep = next((c for c in adjective.children if c.dep_ == "prep" and c.lower_ in ATTITUDE_PREPOSITIONS), None)
        comp = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
    if comp is None:
        return None
    found = _subtree_content(doc, adjective, comp.left_edge.i, comp.right_edge.i)
    return None if found is None else (found, speaker, 2)


def _inside(char: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= char < b for a, b in ranges)


def _overlaps(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in ranges)


def _cuts(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    """Whether a span overlaps a range without holding all of it (trailing marks are trimmed off spans)."""
    return any(start < b and a < end and not (start <= a + 1 and b - 2 <= end) for a, b in ranges)


def _reported_clause(doc: Doc, cue: Token):
    """The reported clause, "to ..." complement or object of a verb, its speaker and the fewest words the
    content may have."""
    lemma = cue_lemma(cue)
    if lemma in RAISING_VERBS or lemma in PASSIVE_REPORTS:
        raised = _raised(doc, cue, lemma)
        if raised is not None:
            return raised
    speaker = speaker_tokens(cue)
    if speaker is None and (cue.tag_ in ("VB", "VBN") or cue.dep_ not in _UNSPOKEN_SUBJECT):
        return None  # "to support X", "was supported": no one is reporting anything
    weak = lemma in WEAK_VERBS and lemma not in WEAK_BUT_REPORTING and not (
        lemma == "point" and any(c.dep_ == "prt" for c in cue.children))
    # a clause before the verb ("Talks will resume, he said") only for known reporting verbs
    known = lemma in SPEECH_VERBS or lemma in BELIEF_VERBS or lemma in STANCE_VERBS
    clauses = [c for c in cue.children if c.dep_ == "ccomp" and (known or c.i > cue.i)]
    clause = max(clauses, key=lambda c: c.i > cue.i) if clauses else None  # the clause after the verb first
    if clause is not None and _is_clause(clause) and not weak and lemma not in NOT_REPORTING:
        # the complementiser stays: PolNeAR's content spans hold it ("reports that ...")
        last = _before_according(doc, clause.left_edge.i, _further_reported(cue, clause_end(clause)))
        found = _subtree_content(doc, cue, clause.left_edge.i, last)
        return None if found is None else (found, speaker, 3)
    if lemma in INTENT_VERBS:
        goal = next((c for c in cue.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")
                     and any(t.lower_ == "to" and t.dep_ == "aux" for t in c.children)), None)
        if goal is not None and goal.i > cue.i:
            # "urged voters to stay home": the addressee belongs to the appeal
            obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i < goal.i), None)
            first = obj.left_edge.i if obj is not None else goal.left_edge.i
            found = _subtree_content(doc, cue, first, goal.right_edge.i, shared=True)
            return None if found is None else (found, speaker, 2)
        wanted = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
        if lemma in DEMAND_VERBS and wanted is not None and wanted.pos_ in ("NOUN", "PROPN") \
                and wanted.lower_ not in _EMPTY_OBJECTS:
            # "urges retaliation on Russia", "demanded an apology": the thing asked for
            found = _subtree_content(doc, cue, wanted.left_edge.i, wanted.right_edge.i)
            return None if found is None else (found, speaker, 2)
    if lemma in NAMING_VERBS:
        # "called the charges unsubstantiated", "has called climate change a hoax": the thing named and the name
        named = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
        label = next((c for c in cue.children if c.dep_ in ("oprd", "xcomp") and named is not None and c.i > named.i), None)
        if label is not None and named.lower_ not in _EMPTY_OBJECTS:
            found = _subtree_content(doc, cue, named.left_edge.i, label.right_edge.i)
            return None if found is None else (found, speaker, 2)
    attack = _light_attack(cue)
    if attack is not None:
        found = _subtree_content(doc, cue, attack.left_edge.i, attack.right_edge.i)
        return None if found is None else (found, speaker, 1)
    preps = STANCE_PREPOSITIONS.get(lemma)
    if preps:
        prep = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ in preps and c.i > cue.i), None)
        obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
        if obj is not None:
            # "accused Trump of ...", "mocked Rubio for ...": the person criticised belongs to the content
            target = next((c for c in cue.children if c.dep_ == "dobj" and cue.i < c.i < prep.i), None)
            first = target.left_edge.i if target is not None else obj.left_edge.i
            label = next((c for c in cue.rights if c.dep_ == "prep" and c.lower_ == "as" and c.i > prep.i), None)
            last = label.right_edge.i if label is not None else obj.right_edge.i  # "referred to X as Y"
            found = _subtree_content(doc, cue, first, last)
            return None if found is None else (found, speaker, 1 if obj.pos_ == "PROPN" else 2)
    if lemma in STANCE_VERBS:
        obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
        if obj is not None and obj.lower_ not in _EMPTY_OBJECTS and obj.pos_ != "PRON":
            # "slammed the senator for failing to ...", "likes his candidate to be ...": the reason or
            # predicate after the object belongs to the stance
            last = obj.right_edge.i
            for c in cue.rights:
                if c.i > last and (c.dep_ in ("xcomp", "oprd") or (c.dep_ == "prep" and c.lower_ in ("for", "as"))
                                   or (c.left_edge.i == last + 1 and _to_infinitive(c))):
                    last = c.right_edge.i  # "backs the plan to reopen the bridge": the parser hangs the
                    # purpose on the verb, but it describes the thing supported
            found = _subtree_content(doc, cue, obj.left_edge.i, last)
            if found is not None:
                return found, speaker, 1 if obj.pos_ == "PROPN" else 2
    # parenthetical: "Details of the corridor, he said, need to be considered"
    head = cue.head
    if lemma in SPEECH_VERBS and cue.dep_ == "parataxis" and lemma not in WEAK_VERBS and (
            _is_clause(head) or (head.dep_ == "nsubj" and _is_clause(head.head))):
        words = [t.i for t in cue.subtree if not t.is_punct]
        left, right = words[0], words[-1]
        if left > 0 and doc[left - 1].text == "," and right + 1 < len(doc) and doc[right + 1].text == ",":
            # "The difference now, he told me, is that ...": the parser may hang the cue on the subject;
            # "the stadium, which, Tompkins said, is full ...": only the relative clause is his
            sent = sentence_of(doc, cue.i)
            outer = (head.left_edge.i, head.right_edge.i + 1) if head.dep_ == "relcl" else (sent.start, sent.end)
            return _span_minus(doc, outer, (left - 1, right + 2)), speaker, 3
        if left > 0 and doc[left - 1].text == "," and head.i < left and speaker is not None:
            # "The harvest could be a third smaller, the union warned, as the drought ...": the clause
            # before the cue is reported, the cue's own adverbial after it is not
            return _span_minus(doc, (cue.head.left_edge.i, left - 1), None), speaker, 3
    return None


def _before_according(doc: Doc, first: int, last: int) -> int:
    """"Police said they have no plans ..., according to the family's lawyers": the closing "according to"
    is the reporter's credit, not part of what the police said."""
    for t in doc[first + 1:last + 1]:
        if t.lower_ == "according" and doc[t.i - 1].text == "," and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            return t.i - 2
    return last


def _light_attack(cue: Token) -> Token | None:
    """"took a swipe at Cruz", "launched a broadside against the plan", "raised questions about the deal":
    what is attacked or questioned, when a light verb and its noun say what the verb alone does not."""
    lemma = cue.lemma_.lower()
    nouns, preps = (ATTACK_NOUNS, ("at", "on", "against")) if lemma in LIGHT_VERBS else (
        (CONCERN_NOUNS, ("about", "over")) if lemma in CONCERN_VERBS else ((), ()))
    noun = next((c for c in cue.children if c.dep_ == "dobj" and c.lemma_.lower() in nouns), None)
    if noun is None:
        return None
    prep = next((c for c in list(noun.rights) + list(cue.rights)
                 if c.dep_ == "prep" and c.lower_ in preps and c.i > noun.i), None)
    return next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None


def _further_reported(cue: Token, last: int, shared: bool = False) -> int:
    """The end of a report that goes on in a clause the parser coordinated with the verb: "said A, but that
    B", 'said A, but "B."', and a verb that shares the cue's subject ("wants to triple X, grow Y and create
    Z", "said they had doubts, but could not bear to ..."): PolNeAR's content runs on over them."""
    if cue.pos_ != "VERB":
        return last
    for c in cue.rights:
        if c.i > last and c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and (
                any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                or c.left_edge.text in ('"', "“", "''")
                or (shared and not any(k.dep_ in ("nsubj", "nsubjpass", "expl") for k in c.children))):
            last = c.right_edge.i
    return last


def _as_source(doc: Doc, cue: Token):
    """"As Ms. Ekdal put it, ...", "..., as the memo noted": the clause the "as" clause hangs on is reported."""
    lemma = cue_lemma(cue)
    says = lemma in SPEECH_VERBS or lemma in BELIEF_VERBS or (
        lemma == "put" and any(c.dep_ == "dobj" and c.lower_ == "it" for c in cue.children))
    if not says or cue.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "as" for c in cue.children):
        return None
    speaker = speaker_tokens(cue)
    head = cue.head
    if speaker is None or not _is_clause(head) or any(c.dep_ in ("ccomp", "xcomp") for c in cue.children):
        return None  # "as he said he would": a clause of its own
    inner = (cue.left_edge.i, cue.right_edge.i + 1)
    if inner[1] < len(doc) and doc[inner[1]].text == ",":
        inner = (inner[0], inner[1] + 1)
    if inner[0] > 0 and doc[inner[0] - 1].text == ",":
        inner = (inner[0] - 1, inner[1])
    outer = (head.left_edge.i, head.right_edge.i + 1)
    return _span_minus(doc, outer, inner), speaker, 3


def _to_infinitive(clause: Token) -> bool:
    return clause.dep_ == "advcl" and clause.pos_ == "VERB" and clause.left_edge.lower_ == "to" and any(
        c.lower_ == "to" and c.dep_ == "aux" for c in clause.children)


def _raised(doc: Doc, cue: Token, lemma: str):
    """"Clinton seems poised to win", "Trump is expected to speak": the subject and its complement are the
    content, and nobody is named as the source. "It is expected that ...": the clause is."""
    passive = any(c.dep_ == "auxpass" for c in cue.children)
    if lemma in PASSIVE_REPORTS and not passive:
        return None
    subject = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < cue.i), None)
    if subject is None or subject.tag_ in ("WDT", "WP"):
        return None  # "who is expected to lead": the clause is about someone named outside it
    if subject.lower_ == "it":
        clause = next((c for c in cue.children if c.dep_ == "ccomp" and c.i > cue.i), None)
        if clause is None or not _is_clause(clause):
            return None
        found = _subtree_content(doc, cue, clause.left_edge.i, clause_end(clause))
        return None if found is None else (found, None, 3)
    comp = next((c for c in cue.children if c.i > cue.i and (
        c.dep_ == "xcomp" or (lemma in RAISING_VERBS and c.dep_ in ("acomp", "oprd")))), None)
    if comp is None or subject.right_edge.i >= cue.i:
        return None
    found = _span_minus(doc, (subject.left_edge.i, comp.right_edge.i + 1), (subject.right_edge.i + 1, comp.left_edge.i))
    return found, None, 3


def _in_source(doc: Doc, prep: Token):
    """"In a Des Moines Register poll, Cruz had a 10-point lead": the poll is the source of the clause."""
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    head = prep.head
    if obj is None or obj.lemma_.lower() not in SOURCE_NOUNS or not _is_clause(head) or head.dep_ in ("relcl", "acl") \
            or any(c.dep_ == "mark" for c in head.children):
        return None  # "As X put it in a statement, ...": the statement is where X said the main clause
    if cue_lemma(head) in SPEECH_VERBS or any(c.dep_ == "ccomp" for c in head.children):
        return None  # "said in an interview that ...": the speech verb is the cue
    inner = (prep.left_edge.i, prep.right_edge.i + 1)
    if inner[1] < len(doc) and doc[inner[1]].text == ",":
        inner = (inner[0], inner[1] + 1)
    # "In a poll, ...": the poll is the source; "In an interview, Clinton laughed off ...": Clinton is
    speaker = noun_phrase(obj)
    if obj.lemma_.lower() in SPEECH_OCCASIONS:
        subject = speaker_tokens(head)
        speaker = subject if subject is not None else speaker
    return _span_minus(doc, (head.left_edge.i, head.right_edge.i + 1), inner), speaker, 3


def _hearsay(doc: Doc, adverb: Token):
    head = adverb.head
    if adverb.dep_ != "advmod" or not _is_clause(head):
        return None
    if cue_lemma(head) in SPEECH_VERBS or any(c.dep_ == "ccomp" for c in head.children):
        return None  # "X reportedly told aides that ...": the speech verb is the cue, with X as speaker
    return _span_minus(doc, (head.left_edge.i, head.right_edge.i + 1), (adverb.i, adverb.i + 1)), None, 3


def _nominal(doc: Doc, noun: Token):
    """"his claim that ...", "Trump's criticism of the deal", "her decision to run": a possessor and
    what the noun reports."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        return None
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and c.i > noun.i
                   and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    if clause is not None and _is_clause(clause):
        found = _subtree_content(doc, noun, clause.left_edge.i, clause.right_edge.i)
        return None if found is None else (found, noun_phrase(owner), 3)
    lemma = noun.lemma_.lower()
    goal = next((c for c in noun.children if c.dep_ == "acl" and c.i > noun.i
                 and any(t.lower_ == "to" and t.dep_ == "aux" for t in c.children)), None)
    if goal is not None and lemma in NOUN_INTENTS:
        found = _subtree_content(doc, noun, goal.left_edge.i, goal.right_edge.i)
        return None if found is None else (found, noun_phrase(owner), 2)
    prep = next((c for c in noun.children if c.dep_ == "prep" and c.i > noun.i), None)
    if prep is not None and prep.lower_ in NOUN_STANCES.get(lemma, ()):
        obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
        if obj is not None:
            found = _subtree_content(doc, noun, obj.left_edge.i, obj.right_edge.i)
            return None if found is None else (found, noun_phrase(owner), 1)
    return None


def _subtree_content(doc: Doc, cue: Token, first: int, last: int, shared: bool = False):
    """Content from token ``first`` to ``last``; ``shared``: verbs sharing the cue's subject after it go on
    with an intention or a stance ("wants to A, B and C")."""
    if first <= cue.i <= last or first > last:
        return None
    if shared and first > cue.i:
        last = _further_reported(cue, last, shared=True)
    return _span_minus(doc, (first, last + 1), None)


def _according_to(doc: Doc, tok: Token):
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    if to is None:
        return None
    if tok.head.i == tok.i:
        return _according_to_opening(doc, tok, to)
    clause = tok.head
    while clause.dep_ in ("conj", "ccomp") and clause.head.i != clause.i and clause.head.i < tok.i:
        # "A rose, B fell and C held, according to X": all three are reported; "Police said they ...,
        # according to X": X reports what the police said
        clause = clause.head
    whole = None
    if not _is_clause(clause):
        # "..., according to X" hung on a noun by the parser: the sentence it closes or opens is reported
        words = [t for t in sentence_of(doc, tok.i) if not t.is_space]
        at_edge = words and (tok.left_edge.i <= words[0].i + 1 or tok.right_edge.i >= words[-1].i - 1)
        clause = sentence_of(doc, tok.i).root if at_edge else clause
        if at_edge and not _is_clause(clause) and any(
                t.pos_ in ("VERB", "AUX") and t.dep_ not in ("acl", "relcl", "amod") or t.dep_ == "nsubj"
                for t in words if not tok.left_edge.i <= t.i <= tok.right_edge.i):
            # the parse of the sentence failed ("Of the 190 released, 23 needed treatment, according to
            # X" rooted on "Of"), but a sentence with a verb that "according to X" closes is still X's
            whole = (words[0].i, words[-1].i + 1)
    if whole is None and (not _is_clause(clause) or clause.dep_ in ("relcl", "acl")):
        return None
    speaker = according_to_tokens(to)
    if speaker is None:
        return None
    outer = whole or (clause.left_edge.i, clause.right_edge.i + 1)
    inner = (tok.left_edge.i, tok.right_edge.i + 1)
    if inner[1] < len(doc) and doc[inner[1]].text == ",":
        inner = (inner[0], inner[1] + 1)
    return _span_minus(doc, outer, inner), speaker, 3


def _according_to_opening(doc: Doc, tok: Token, to: Token):
    """"According to X, the move reeks of fear": when the parser makes "According" the root and hangs the rest
    of the sentence on X, the words after the comma that closes the source are reported."""
    speaker = according_to_tokens(to)
    sent = sentence_of(doc, tok.i)
    if speaker is None or tok.i != sent.start:
        return None
    comma = next((t.i for t in doc[speaker[1]:sent.end] if t.text == ","), None)
    if comma is None or comma - speaker[1] > 8:  # an apposition may follow the name ("X, a pollster,")
        return None
    words = [t for t in doc[comma + 1:sent.end] if not t.is_punct]
    if len(words) < 3 or not any(t.pos_ in ("VERB", "AUX") or t.tag_ in ("VBZ", "NNS") for t in words):
        return None
    return _span_minus(doc, (words[0].i, words[-1].i + 1), None), speaker, 3


def _is_clause(head: Token) -> bool:
    """A reported clause needs a verb with a subject and a few words: not "he said nothing"."""
    if head.pos_ not in ("VERB", "AUX"):
        return False
    size = head.right_edge.i - head.left_edge.i + 1
    return size >= 3 and any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj", "csubjpass") for c in head.children)


def _span_minus(doc: Doc, outer: tuple[int, int], inner: tuple[int, int] | None) -> tuple[int, int, str]:
    """Characters of a token range with an inner range (cue and speaker) cut out, parts joined by a space."""
    text = doc_text(doc)
    o_start, o_end = doc[outer[0]].idx, doc[outer[1] - 1].idx + len(doc[outer[1] - 1])
    if inner is None or inner[0] >= outer[1] or inner[1] <= outer[0] or inner[0] >= inner[1]:
        a, b = trim(text, o_start, o_end)
        return a, b, text[a:b]
    i_start = doc[inner[0]].idx
    i_end = doc[inner[1] - 1].idx + len(doc[inner[1] - 1])
    parts = [trim(text, o_start, i_start), trim(text, i_end, o_end)]
    parts = [(a, b) for a, b in parts if b > a]
    if not parts:
        return o_start, o_start, ""
    return parts[0][0], parts[-1][1], " ".join(text[a:b] for a, b in parts)
