"""Finding reported speech: quotation marks in the text, then cue verbs and reported clauses in the parse.

Two passes produce ``QuoteCandidate`` objects in token terms; ``parallax.nlp`` resolves their speakers.

1. Quotation marks (direct and mixed quotes). Marks are paired per paragraph (a paragraph is a line), so
   a quotation never crosses a line; an unclosed opening mark runs to the end of its paragraph, and a
   paragraph that continues a quotation is its own quote with the previous speaker.
2. Reported clauses without marks (indirect quotes): a speech verb with a subject and a clausal
   complement, "according to X, ...", and the parenthetical "..., he said, ...".

Content spans exclude the cue and the speaker, quote marks and trailing ``.,;:`` are trimmed, and
``text == doc.text[start:end]`` except for discontinuous quotes ("A," he said, "B."), where one quote
covers both parts: start/end span the whole and ``text`` is the two parts joined by one space.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from parallax.nlp.cues import (ALL_CUES, ATTRIBUTION_NOUNS, ATTRIBUTION_VERBS, BELIEF_VERBS, INTENT_VERBS, NAMING_VERBS,
                               SPEECH_VERBS, STANCE_PREPOSITIONS, STANCE_VERBS, WEAK_VERBS)
from parallax.nlp.marks import MarkSpan, paragraphs, trim
from parallax.nlp.speakers import according_to_tokens, noun_phrase, speaker_tokens

_WEAK_BUT_REPORTING = frozenset({"add", "maintain", "report", "charge", "object", "agree"})


@dataclass(frozen=True)
class QuoteCandidate:
    start: int
    end: int
    text: str
    kind: str
    cue: int | None  # token index of the cue word
    speaker: tuple[int, int] | None  # token range of the local speaker mention
    paragraph: int
    inherit: bool = False  # no cue: continues the previous quote's speaker
    according_to: bool = False


def doc_text(doc: Doc) -> str:
    """Doc.text rebuilds the string from tokens on every access; cache it on the Doc."""
    text = doc.user_data.get("parallax.text")
    if text is None:
        text = doc.user_data["parallax.text"] = doc.text
    return text


def sentence_of(doc: Doc, i: int) -> Span:
    """The sentence holding token i. Token.sent rescans the Doc on every call; the starts are cached on it."""
    starts = doc.user_data.get("parallax.sentence_starts")
    if starts is None:
        starts = doc.user_data["parallax.sentence_starts"] = [s.start for s in doc.sents] if len(doc) else [0]
    k = max(0, bisect_right(starts, i) - 1)
    return doc[starts[k]:starts[k + 1] if k + 1 < len(starts) else len(doc)]


class _Tokens:
    """Character-to-token lookups over one Doc."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.starts = [t.idx for t in doc]

    def at(self, char: int) -> int:
        return max(0, bisect_right(self.starts, char) - 1)

    def between(self, a: int, b: int) -> list[Token]:
        if a >= b:
            return []
        first = bisect_right(self.starts, a - 1)
        return [t for t in self.doc[first:self.at(b - 1) + 1] if a <= t.idx and t.idx + len(t) <= b]


def _is_cue(tok: Token) -> bool:
    return tok.lemma_.lower() in ALL_CUES and tok.pos_ in ("VERB", "AUX") or (
        tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children))


def _sentence_bounds(tokens: _Tokens, char: int) -> tuple[int, int]:
    sent = sentence_of(tokens.doc, tokens.at(char))
    return sent.start_char, sent.end_char


def direct_quotes(doc: Doc, marks: list[MarkSpan]) -> list[QuoteCandidate]:
    text, tokens = doc_text(doc), _Tokens(doc)
    paras = paragraphs(text)
    result: list[QuoteCandidate] = []
    skip_next = 0
    for n, span in enumerate(marks):
        if skip_next:
            skip_next -= 1
            continue
        p_start, p_end = paras[span.paragraph]
        prev_close = max([m.close + 1 for m in marks[:n] if m.paragraph == span.paragraph and m.close] or [p_start])
        nxt = marks[n + 1] if n + 1 < len(marks) and marks[n + 1].paragraph == span.paragraph else None
        after_end = nxt.open if nxt else p_end
        close = span.close + 1 if span.close is not None else span.content_end
        s_start, _ = _sentence_bounds(tokens, max(span.open - 1, p_start))
        before = tokens.between(max(prev_close, s_start if span.open > s_start else p_start), span.open)
        after = _clip_sentence(tokens.between(close, after_end))
        start, end = trim(text, span.content_start, span.content_end)
        content = text[start:end]
        lead = text[max(p_start, prev_close):span.open].strip()
        if lead and not lead.strip("-–—•*·>").strip():
            lead = ""  # a bullet before a quotation is not text that could introduce it

        # a quotation right after an ordinary word is a phrase inside a sentence: never "...," X said
        embedded = bool(lead) and lead[-1].isalnum() and not (before and _is_cue(before[-1]))
        # 'X said: "..." Y said nothing.': a colon cue owns its quotation
        introduced = lead.endswith(":") and _cue_before(before) is not None
        cue = None if embedded or introduced else _cue_after(after)
        if cue is not None:
            cue_tok, speaker = cue
            if nxt and _continues(text, close, nxt):
                # '"A," he said, "b."' and '"A," he said. "B."': one utterance, the cue cut out
                parts, last, k = [content], nxt, n + 1
                while True:
                    s2, e2 = trim(text, last.content_start, last.content_end)
                    parts.append(text[s2:e2])
                    following = marks[k + 1] if k + 1 < len(marks) else None
                    end_of = last.close + 1 if last.close is not None else last.content_end
                    if following is None or following.paragraph != span.paragraph \
                            or text[end_of:following.open].strip(" .,"):
                        break
                    last, k = following, k + 1
                result.append(QuoteCandidate(start, e2, " ".join(p for p in parts if p), "direct", cue_tok.i,
                                             speaker, span.paragraph, according_to=cue_tok.lower_ == "according"))
                skip_next = k - n
                continue
            result.append(QuoteCandidate(start, end, content, "direct", cue_tok.i, speaker, span.paragraph,
                                         according_to=cue_tok.lower_ == "according"))
            continue
        naming = bool(before) and before[-1].lemma_.lower() in NAMING_VERBS
        if not naming and (not lead or lead[-1] in ":,—–-(" or (before and _is_cue(before[-1]))):
            cue = _cue_before(before)
            if cue is not None:
                result.append(QuoteCandidate(start, end, content, "direct", cue[0].i, cue[1], span.paragraph,
                                             according_to=cue[0].lower_ == "according"))
            elif not lead and (intro := _introduced(doc, tokens, paras, span.paragraph)) is not None:
                result.append(QuoteCandidate(start, end, content, "direct", intro[0], intro[1], span.paragraph))
            elif not lead and content[:1].isupper() or lead.endswith(":"):
                result.append(QuoteCandidate(start, end, content, "direct", None, None, span.paragraph, inherit=True))
            continue
        if not naming and lead[-1] in ".?!" and content[:1].isupper() and prev_close > p_start:
            # '"A," X said. "B."': a further quotation after an attributed one in the same paragraph
            result.append(QuoteCandidate(start, end, content, "direct", None, None, span.paragraph, inherit=True))
            continue
        mixed = _mixed(doc, tokens, span, start, end)
        if mixed is not None and not (result and result[-1].start < mixed.end and mixed.start < result[-1].end):
            result.append(mixed)
    return result


def _introduced(doc: Doc, tokens: _Tokens, paras, paragraph: int):
    """'Velkova listed her demands:' on the line before a quotation introduces it."""
    if paragraph == 0:
        return None
    p_start, p_end = paras[paragraph - 1]
    line = doc_text(doc)[p_start:p_end].rstrip()
    if not line.endswith(":") or len(line) > 300:
        return None
    words = tokens.between(p_start, p_end)
    # the parser may glue the line to the quotation: take the verb heading the line itself
    roots = [t for t in words if t.pos_ in ("VERB", "AUX") and (t.head.i == t.i or not p_start <= t.head.idx < p_end)]
    speaker = speaker_tokens(roots[0]) if roots else None
    return None if speaker is None else ((roots[0].i if _is_cue(roots[0]) else None), speaker)


def _clip_sentence(after: list[Token]) -> list[Token]:
    out = []
    for t in after:
        if out and t.is_sent_start and t.text not in "\"”’'":
            break
        out.append(t)
    return out[:14]


def _cue_after(after: list[Token]) -> tuple[Token, tuple[int, int] | None] | None:
    """", she said", ", said the minister", ", according to X": a cue within the first words after a quote."""
    words = [t for t in after if not t.is_punct]
    for t in words[:10]:
        if t.lower_ == "according" and _is_cue(t):
            to = next(c for c in t.children if c.lower_ == "to")
            return t, according_to_tokens(to)
        if _is_cue(t) and t.lemma_.lower() not in NAMING_VERBS:
            speaker = speaker_tokens(t)
            if speaker is not None:
                return t, speaker
            return None
        if t.pos_ == "VERB" and t.lemma_.lower() not in ALL_CUES:
            return None  # another verb comes first: the quote is not attributed here
    return None


def _cue_before(before: list[Token]) -> tuple[Token, tuple[int, int] | None] | None:
    """"He said: “...”", "X told reporters, “...”", "According to X, “...”"."""
    for t in reversed(before):
        if _is_cue(t):
            if t.lower_ == "according":
                to = next(c for c in t.children if c.lower_ == "to")
                return t, according_to_tokens(to)
            speaker = speaker_tokens(t)
            return (t, speaker) if speaker is not None else None
    return None


def _continues(text: str, close: int, nxt: MarkSpan) -> bool:
    """'"A," he said, "b."' or '"A," he said. "B."': the words between two quotes are only a short cue."""
    between = text[close:nxt.open].strip(" '\u2063")
    if not between or len(between) >= 80 or any(m in between for m in "\"“”"):
        return False
    if between.endswith(","):
        return "." not in between
    first = trim(text, nxt.content_start, nxt.content_end)[0]
    return between.endswith(".") and "." not in between[:-1] and text[first:first + 1].isupper()


def _mixed(doc: Doc, tokens: _Tokens, span: MarkSpan, start: int, end: int) -> QuoteCandidate | None:
    """A quoted phrase inside reported speech: the content is the whole reported clause."""
    inside = tokens.between(start, end)
    if not inside:
        return None
    tok = inside[0]
    path = [tok]
    while tok.head.i != tok.i and len(path) < 12:
        tok = tok.head
        path.append(tok)
        if _is_cue(tok) and tok.lower_ != "according" and not start <= tok.idx < end \
                and speaker_tokens(tok) is not None:
            break  # a cue inside the quotation, or one without a speaker, is not the one reporting it
    else:
        return None
    cue = tok
    speaker = speaker_tokens(cue)
    if speaker is None:
        return None
    below = path[-2]  # the child of the cue that holds the quotation
    if cue.lemma_.lower() in NAMING_VERBS or below.dep_ in ("dobj", "oprd", "xcomp", "attr", "acomp"):
        first, last = cue.i + 1, max(t.i for c in cue.rights if c.dep_ != "punct" for t in c.subtree)
    elif below.dep_ in ("ccomp", "advcl", "parataxis"):
        first, last = below.left_edge.i, below.right_edge.i
    else:
        return None
    c_start, c_end = trim(doc_text(doc), doc[first].idx, doc[last].idx + len(doc[last]))
    c_end = max(c_end, span.close + 1 if span.close is not None else end)  # keep the closing mark of the phrase
    if c_end <= c_start or "\n" in doc_text(doc)[c_start:c_end]:
        return None  # a parse that runs across lines is not one reported clause
    return QuoteCandidate(c_start, c_end, doc_text(doc)[c_start:c_end], "mixed", cue.i, speaker, span.paragraph)


def indirect_quotes(doc: Doc, taken: list[tuple[int, int]], used_cues: set[int]) -> list[QuoteCandidate]:
    """Reported clauses without quote marks; ``taken`` are character ranges already claimed by quotes."""
    paras = paragraphs(doc_text(doc))
    para_starts = [a for a, _ in paras]
    result = []
    for tok in doc:
        lower = tok.lower_
        nominal = tok.pos_ == "NOUN" and tok.lemma_.lower() in ATTRIBUTION_NOUNS
        if lower != "according" and not nominal and tok.lemma_.lower() not in ATTRIBUTION_VERBS \
                and not _reports_that(tok):
            continue
        if tok.i in used_cues or _inside(tok.idx, taken):
            continue
        found = _according_to(doc, tok) if tok.lower_ == "according" else \
            _nominal(doc, tok) if nominal else _reported_clause(doc, tok)
        if found is None:
            continue
        (start, end, content), speaker, min_words = found
        if _overlaps(start, end, taken) or len(content.split()) < min_words:
            continue
        paragraph = bisect_right(para_starts, start) - 1
        if paras[paragraph][1] < end:
            continue  # a parse that runs across lines is not one clause
        result.append(QuoteCandidate(start, end, content, "indirect", tok.i, speaker, paragraph,
                                     according_to=tok.lower_ == "according"))
        taken = taken + [(start, end)]
    return result


def _inside(char: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= char < b for a, b in ranges)


def _overlaps(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in ranges)


def _reported_clause(doc: Doc, cue: Token):
    """The reported clause, "to ..." complement or object of an attribution verb, its speaker and the
    fewest words the content may have."""
    lemma = cue.lemma_.lower()
    if cue.pos_ != "VERB" or (lemma not in ATTRIBUTION_VERBS and not _reports_that(cue)):
        return None
    speaker = speaker_tokens(cue)
    if speaker is None:
        return None
    weak = lemma in WEAK_VERBS and lemma not in _WEAK_BUT_REPORTING and not (
        lemma == "point" and any(c.dep_ == "prt" for c in cue.children))
    clause = next((c for c in cue.children if c.dep_ == "ccomp"), None)
    if clause is not None and _is_clause(clause) and not weak and (
            lemma in SPEECH_VERBS or lemma in BELIEF_VERBS or lemma in STANCE_VERBS or _reports_that(cue)):
        # the complementiser stays: PolNeAR's content spans hold it ("reports that ...")
        found = _subtree_content(doc, cue, clause.left_edge.i, clause.right_edge.i)
        return None if found is None else (found, speaker, 3)
    if lemma in INTENT_VERBS:
        goal = next((c for c in cue.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")
                     and any(t.lower_ == "to" and t.dep_ == "aux" for t in c.children)), None)
        if goal is not None and goal.i > cue.i:
            # "urged voters to stay home": the addressee belongs to the appeal
            obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i < goal.i), None)
            first = obj.left_edge.i if obj is not None else goal.left_edge.i
            found = _subtree_content(doc, cue, first, goal.right_edge.i)
            return None if found is None else (found, speaker, 2)
    preps = STANCE_PREPOSITIONS.get(lemma)
    if preps:
        prep = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ in preps and c.i > cue.i), None)
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        if obj is not None:
            found = _subtree_content(doc, cue, obj.left_edge.i, obj.right_edge.i)
            return None if found is None else (found, speaker, 2)
    if lemma in STANCE_VERBS:
        obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i > cue.i), None)
        if obj is not None and obj.lower_ not in _EMPTY_OBJECTS and obj.pos_ != "PRON":
            found = _subtree_content(doc, cue, obj.left_edge.i, obj.right_edge.i)
            if found is not None:
                return found, speaker, 1 if obj.pos_ == "PROPN" else 2
    # parenthetical: "Details of the corridor, he said, need to be considered"
    if lemma in SPEECH_VERBS and cue.dep_ == "parataxis" and lemma not in WEAK_VERBS and _is_clause(cue.head):
        words = [t.i for t in cue.subtree if not t.is_punct]
        left, right = words[0], words[-1]
        if left > 0 and doc[left - 1].text == "," and right + 1 < len(doc) and doc[right + 1].text == ",":
            sent = sentence_of(doc, cue.i)
            return _span_minus(doc, (sent.start, sent.end), (left - 1, right + 2)), speaker, 3
    return None


def _nominal(doc: Doc, noun: Token):
    """"his claim that ...", "Trump's warning that ...": a possessor and a "that"-clause."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and c.i > noun.i
                   and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    if owner is None or clause is None or not _is_clause(clause):
        return None
    found = _subtree_content(doc, noun, clause.left_edge.i, clause.right_edge.i)
    return None if found is None else (found, noun_phrase(owner), 3)


def _reports_that(verb: Token) -> bool:
    """Any verb taking a "that"-clause reports something ("the records revealed that ...")."""
    return verb.pos_ == "VERB" and any(
        c.dep_ == "ccomp" and c.i > verb.i and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        for c in verb.children)


_EMPTY_OBJECTS = frozenset("nothing anything something everything this that it them one".split())


def _subtree_content(doc: Doc, cue: Token, first: int, last: int):
    if first <= cue.i <= last or first > last:
        return None
    return _span_minus(doc, (first, last + 1), None)


def _according_to(doc: Doc, tok: Token):
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    if to is None or not _is_clause(tok.head) or tok.head.i == tok.i or tok.head.dep_ in ("relcl", "acl"):
        return None
    speaker = according_to_tokens(to)
    if speaker is None:
        return None
    clause = tok.head
    outer = (clause.left_edge.i, clause.right_edge.i + 1)
    inner = (tok.left_edge.i, tok.right_edge.i + 1)
    if inner[1] < len(doc) and doc[inner[1]].text == ",":
        inner = (inner[0], inner[1] + 1)
    return _span_minus(doc, outer, inner), speaker, 3


def _is_clause(head: Token) -> bool:
    """A reported clause needs a verb with a subject or at least a few words: not "he said nothing"."""
    if head.pos_ not in ("VERB", "AUX"):
        return False
    size = head.right_edge.i - head.left_edge.i + 1
    return size >= 3 and any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in head.children)


def _span_minus(doc: Doc, outer: tuple[int, int], inner: tuple[int, int] | None) -> tuple[int, int, str]:
    """Characters of a token range with an inner range (cue and speaker) cut out, parts joined by a space."""
    text = doc_text(doc)
    o_start, o_end = doc[outer[0]].idx, doc[outer[1] - 1].idx + len(doc[outer[1] - 1])
    if inner is None or inner[0] >= outer[1] or inner[1] <= outer[0]:
        a, b = trim(text, o_start, o_end)
        return a, b, text[a:b]
    i_start = doc[inner[0]].idx
    i_end = doc[inner[1] - 1].idx + len(doc[inner[1] - 1])
    parts = [trim(text, o_start, i_start), trim(text, i_end, o_end)]
    parts = [(a, b) for a, b in parts if b > a]
    if not parts:
        return o_start, o_start, ""
    return parts[0][0], parts[-1][1], " ".join(text[a:b] for a, b in parts)
