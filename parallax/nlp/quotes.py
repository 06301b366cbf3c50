"""Finding reported speech: quotation marks in the text, then cue verbs and reported clauses in the parse.

Two passes produce ``QuoteCandidate`` objects in token terms; ``parallax.nlp`` resolves their speakers.

1. Quotation marks (direct and mixed quotes). Marks are paired per paragraph (a paragraph is a line), so
   a quotation never crosses a line; an unclosed opening mark runs to the end of its paragraph, and a
   paragraph that continues a quotation is its own quote with the previous speaker. The cue and speaker
   next to a quotation are found in ``parallax.nlp.quotation_cues``; interview transcripts ("FALLIN: ...")
   are turns.
2. Reported clauses without marks (indirect quotes) live in ``parallax.nlp.attributions``.

Content spans exclude the cue and the speaker, quote marks and trailing ``.,;:`` are trimmed, and
``text == doc.text[start:end]`` except for discontinuous quotes ("A," he said, "B."), where one quote
covers both parts: start/end span the whole and ``text`` is the parts joined with the speaker's punctuation
between them ("A. B", "A, b"), the cue left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from parallax.nlp.cues import (
    BELIEF_VERBS,
    INTENT_VERBS,
    NAMING_VERBS,
    NOT_REPORTING,
    SPEECH_VERBS,
    STANCE_PREPOSITIONS,
    STANCE_VERBS,
    WEAK_BUT_REPORTING,
    WEAK_VERBS,
    cue_lemma,
)
from parallax.nlp.lookups import Tokens, doc_text, sentence_of
from parallax.nlp.marks import MarkSpan, paragraphs, trim
from parallax.nlp.quotation_cues import (
    bare_cue,
    colon_source,
    cue_after,
    cue_before,
    is_cue,
    is_quoting_cue,
    line_introducing,
    signature,
    subject_near,
)
from parallax.nlp.speaker_phrases import speaker_tokens

__all__ = ["QuoteCandidate", "clause_end", "direct_quotes", "transcript_turns"]


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


def _sentence_bounds(tokens: Tokens, char: int) -> tuple[int, int]:
    sent = sentence_of(tokens.doc, tokens.at(char))
    return sent.start_char, sent.end_char


def direct_quotes(doc: Doc, marks: list[MarkSpan]) -> list[QuoteCandidate]:
    text, tokens = doc_text(doc), Tokens(doc)
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
        embedded = bool(lead) and lead[-1].isalnum() and not (before and is_quoting_cue(before[-1]))
        # 'X said: "..." Y said nothing.': a colon cue owns its quotation
        introduced = lead.endswith(":") and cue_before(before) is not None
        open_end = span.close is not None and text[start:span.close].rstrip("\u2063")[-1:] in (",", "?", "!")
        cue = None if embedded or introduced else (
            signature(text, tokens, close, after_end) or cue_after(after, open_end))
        if cue is not None:
            cue_tok, speaker = cue
            if nxt and _continues(text, close, nxt) and not _has_own_cue(tokens, nxt):
                # '"A," he said, "b."' and '"A," he said. "B."': one utterance, the cue cut out
                parts, last, k = [(start, end, span)], nxt, n + 1
                while True:
                    s2, e2 = trim(text, last.content_start, last.content_end)
                    parts.append((s2, e2, last))
                    following = marks[k + 1] if k + 1 < len(marks) else None
                    end_of = last.close + 1 if last.close is not None else last.content_end
                    if following is None or following.paragraph != span.paragraph \
                            or text[end_of:following.open].strip(" .,"):
                        break
                    last, k = following, k + 1
                result.append(QuoteCandidate(start, e2, _rejoined(text, parts), "direct", cue_tok.i,
                                             speaker, span.paragraph, according_to=cue_tok.lower_ == "according"))
                skip_next = k - n
                continue
            result.append(QuoteCandidate(start, end, content, "direct", cue_tok.i, speaker, span.paragraph,
                                         according_to=cue_tok.lower_ == "according"))
            continue
        naming = bool(before) and before[-1].lemma_.lower() in NAMING_VERBS
        if not naming and (not lead or lead[-1] in ":,—–-(" or (before and is_quoting_cue(before[-1]))):
            cue = cue_before(before)
            if cue is not None:
                # 'said "We are frustrated" by the shooting': the clause goes on; what a sign read or a
                # crowd chanted is the quotation itself ('reading "Thank you" moments after ...')
                tail_end = _tail_end(text, tokens, close, after_end) if is_cue(cue[0]) else None
                kind = "direct"
                if tail_end is not None:
                    kind, end, content = "mixed", tail_end, text[start:tail_end]
                result.append(QuoteCandidate(start, end, content, kind, cue[0].i, cue[1], span.paragraph,
                                             according_to=cue[0].lower_ == "according"))
            elif lead.endswith(":") and content[:1].isupper() and (src := colon_source(before)) is not None:
                result.append(QuoteCandidate(start, end, content, "direct", src[0].i, src[1], span.paragraph))
            elif not lead and (intro := line_introducing(doc, tokens, paras, span.paragraph)) is not None:
                result.append(QuoteCandidate(start, end, content, "direct", intro[0], intro[1], span.paragraph))
            elif (not lead and content[:1].isupper() and not _subheading(text, span, p_end, content)) \
                    or lead.endswith(":"):
                result.append(QuoteCandidate(start, end, content, "direct", None, None, span.paragraph, inherit=True))
            continue
        if not naming and lead[-1] in ".?!" and content[:1].isupper() and prev_close > p_start:
            # '"A," X said. "B."': a further quotation after an attributed one in the same paragraph
            result.append(QuoteCandidate(start, end, content, "direct", None, None, span.paragraph, inherit=True))
            continue
        if not naming and lead[-1] == "." and content[:1].isupper() and (bare := bare_cue(before)) is not None:
            # 'Sam Lau said in a statement. "There are no ballots."': the cue sentence before speaks it
            result.append(QuoteCandidate(start, end, content, "direct", bare[0].i, bare[1], span.paragraph))
            continue
        mixed = _mixed(doc, tokens, span, start, end)
        prev = result[-1] if result else None
        if mixed is None:
            continue
        if prev is None or not (prev.start < mixed.end and mixed.start < prev.end):
            result.append(mixed)
        elif prev.kind == "mixed" and prev.cue == mixed.cue and not _COORDINATED.match(text, prev.end, span.open):
            # 'says "the game has become soft" because "the country has"': one reported clause, two phrases
            # (a coordinated part, 'was "businesslike" and avoided the word "war"', was cut off on purpose)
            a, b = min(prev.start, mixed.start), max(prev.end, mixed.end)
            result[-1] = replace(prev, start=a, end=b, text=text[a:b])
    return result


def _rejoined(text: str, parts: list[tuple[int, int, MarkSpan]]) -> str:
    """The pieces of a quotation cut by its cue, joined with the speaker's punctuation: '"... hours," X said.
    "Buses ..."' gives "... hours. Buses ..."; '"We are ready," she said, "but ..."' gives "We are ready, but ...".
    The writer's text between the pieces tells a new sentence (a full stop) from a sentence cut in two."""
    pieces = [(s, e, span) for s, e, span in parts if s < e]
    out = text[pieces[0][0]:pieces[0][1]] if pieces else ""
    for (_s, end, span), (s2, e2, nxt) in zip(pieces, pieces[1:]):
        between = text[(span.close + 1 if span.close is not None else span.content_end):nxt.open].strip()
        cut = text[end:span.content_end].strip(" \t\u2063")[:1]  # the punctuation trimmed off the piece
        new_sentence = (between.endswith(".") or cut == ".") and text[s2:s2 + 1].isupper()
        joint = "" if out[-1:] in ("?", "!", "…") else "." if new_sentence else cut if cut in (",", ";", ":") else ""
        out += joint + " " + text[s2:e2]
    return out


_TAIL = re.compile(r"[ \t]+[a-z]")
_COORDINATED = re.compile(r"[\s\"'”’\u2063]*(?:,|;|—|–|and\b|but\b|or\b)")


def _tail_end(text: str, tokens: Tokens, close: int, after_end: int) -> int | None:
    """Where the reported clause ends when words without marks carry on after a closing mark in the same
    sentence ('X said "I stood up against the banks" for reckless transactions'); None when it does not."""
    if not _TAIL.match(text, close, after_end):
        return None
    following = tokens.between(close, after_end)
    if following and (is_quoting_cue(following[0]) or following[0].pos_ in ("VERB", "AUX")):
        return None  # '"..." said Smith', '"..." is what he said'
    _, s_end = _sentence_bounds(tokens, close)
    _, end = trim(text, close, min(s_end, after_end))
    return end if end > close and "\n" not in text[close:end] else None


_TURN = re.compile(r"[\"“]?([A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,2}):[ \t]+(?=\S)")


def transcript_turns(doc: Doc, taken: list[tuple[int, int]]) -> list[QuoteCandidate]:
    """'FALLIN: Well, I think ...': turns of an interview transcript, the speaker's name in capitals and a
    colon opening the line. Only where at least two lines look like turns, so that one headline in
    capitals ("FIX IS IN: ...") is not read as a transcript."""
    text, tokens = doc_text(doc), Tokens(doc)
    turns = [(n, m) for n, (a, b) in enumerate(paragraphs(text)) if (m := _TURN.match(text, a, b)) is not None]
    if len(turns) < 2:
        return []
    result = []
    for n, m in turns:
        p_end = text.find("\n", m.end())
        start, end = trim(text, m.end(), len(text) if p_end < 0 else p_end)
        label = tokens.between(m.start(1), m.end(1))
        if end <= start or not label or any(a < end and start < b for a, b in taken):
            continue
        colon = tokens.at(m.end(1))
        result.append(QuoteCandidate(start, end, text[start:end], "direct", colon, (label[0].i, label[-1].i + 1), n))
    return result


def _clip_sentence(after: list[Token]) -> list[Token]:
    out = []
    for t in after:
        if out and t.is_sent_start and t.text not in "\"”’'":
            break
        out.append(t)
    return out[:24]


_SECOND_CUE = re.compile(r",\s+(?:adding|continuing|noting|saying|explaining|asking|suggesting|arguing|insisting|"
                         r"telling|writing|warning|concluding)\b")
_ABBREVIATION = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|St|Jr|Sr|Prof|Rev|[A-Z])\.")
_SENTENCE_END = re.compile(r"[.!?][\s)]")


def _continues(text: str, close: int, nxt: MarkSpan) -> bool:
    """'"A," he said, "b."' or '"A," X, a pollster who ..., said. "B."': the words between two quotes are
    one cue sentence, so the second quotation goes on with the first."""
    between = text[close:nxt.open].strip(" '\u2063")
    if not between or len(between) >= 250 or any(m in between for m in "\"“”") or _SECOND_CUE.search(between):
        return False  # '"A," Trump said, adding later, "B."': a second cue, a second quote
    inner = _ABBREVIATION.sub("", between[:-1])
    if re.search(r", (?:but|and)$", between):  # '"A," he said, but "B."'
        inner = _ABBREVIATION.sub("", between.rsplit(",", 1)[0])
        return "." not in inner
    if between.endswith(","):
        return "." not in inner
    first = trim(text, nxt.content_start, nxt.content_end)[0]
    return between.endswith(".") and not _SENTENCE_END.search(inner) and text[first:first + 1].isupper()


def _subheading(text: str, span: MarkSpan, p_end: int, content: str) -> bool:
    """"'All Bets Are Off.'" alone on its line: a section heading in quote marks, in title case, not speech
    going on from the previous paragraph."""
    words = content.split()
    after = text[(span.close + 1) if span.close is not None else span.content_end:p_end].strip(" .'\u2063")
    capitalised = sum(w[:1].isupper() for w in words)
    return not after and len(words) <= 8 and capitalised >= max(2, len(words) - 2) and capitalised * 4 >= len(words) * 3


def _has_own_cue(tokens: Tokens, span: MarkSpan) -> bool:
    """'"A," Warren said. "B" to drive up the price, she said.': the second quotation's sentence credits it
    itself, so it is a quote of its own, not the first one going on."""
    if span.close is None:
        return False
    _, s_end = _sentence_bounds(tokens, span.content_start)
    return any(is_cue(t) and speaker_tokens(t) is not None for t in tokens.between(span.close + 1, s_end))


def clause_end(clause: Token) -> int:
    """Last token of a reported clause, short of a further speech verb the parser coordinated with it
    ("says he respects Clinton and calls her ...": the second verb reports its own content)."""
    for c in clause.rights:
        if c.dep_ == "conj" and c.pos_ == "VERB" and cue_lemma(c) in SPEECH_VERBS and not any(
                m.dep_ == "mark" and m.lower_ == "that" for m in c.children):  # "..., but that he would ask
            end = c.left_edge.i - 1
            while end > clause.i and clause.doc[end].dep_ in ("cc", "punct"):
                end -= 1
            return end
    return clause.right_edge.i


def _reports(tok: Token, below: Token) -> bool:
    """Whether ``tok`` reports the phrase under its child ``below``: a cue word, any verb over a reported
    clause, or a stance verb over its object."""
    if tok.pos_ not in ("VERB", "AUX") or tok.lower_ == "according":
        return False
    lemma = cue_lemma(tok)
    if lemma in WEAK_VERBS and lemma not in WEAK_BUT_REPORTING:
        return False  # "her campaign would continue “to break barriers”": the cue is further up
    if is_cue(tok):
        return True
    if below.dep_ == "ccomp" and tok.pos_ == "VERB" and lemma not in NOT_REPORTING:
        return True
    if below.dep_ == "prep":
        # 'admires Putin as a "strong leader"', 'likened the rules to "burning the Constitution"': whatever the
        # verb, casting its object as a quoted label is a stance
        labels = below.lower_ == "as" or (below.lower_ == "to" and lemma in LIKENING_VERBS)
        return below.lower_ in STANCE_PREPOSITIONS.get(lemma, ()) or (
            labels and any(c.dep_ == "dobj" and c.i < below.i for c in tok.children))
    if below.dep_ == "dobj" and any(c.dep_ == "prep" and c.lower_ == "as" for c in below.children):
        return True  # the parser may hang the "as" on the object
    return lemma in STANCE_VERBS or lemma in INTENT_VERBS or lemma in BELIEF_VERBS


LIKENING_VERBS = frozenset("liken compare equate".split())
_TRAILING = frozenset({"conj", "appos"})
_MARKS = frozenset('"“”')
# Children of a naming verb that are not its label: "called the deal "a trap", while X said ...".
_NOT_LABEL = frozenset({"advcl", "conj", "cc", "parataxis", "punct", "mark", "prep", "npadvmod"})


def _cut_after(head: Token, quoted: int, last: int) -> int:
    """End a mixed quote's content with the part that holds the quoted phrase: a coordinated clause, an
    aside or a participle after it ('was "businesslike" and avoided the word ...', '..., a phrase Y
    rejects') is not part of what was reported."""
    doc = head.doc
    for c in head.rights:
        if c.i > quoted and c.dep_ in _TRAILING and c.left_edge.i > quoted:
            if c.dep_ == "conj" and any(t.text in _MARKS for t in doc[c.left_edge.i:c.right_edge.i + 1]) \
                    and any(k.dep_ in ("mark", "nsubj", "aux") for k in c.children):
                # 'said it was "A" and that they had put forward "B"', 'would "A" but would not "B"': one
                # report; a bare verb ('had been "A" and avoided the word "B"') is the narrator's
                continue
            last = min(last, c.left_edge.i - 1)
            break
    for t in doc[quoted + 1:last + 1]:
        if (t.dep_ == "appos" or (t.dep_ in ("dobj", "npadvmod") and t.head.i <= quoted)) \
                and t.left_edge.i > quoted + 1 and doc[t.left_edge.i - 1].text == ",":
            last = min(last, t.left_edge.i - 2)  # '"freeze the occupation", a phrase Y rejects'
            break
    while last > quoted and (doc[last].is_punct or doc[last].dep_ == "cc") and doc[last].text not in "\"”’'":
        last -= 1
    return last


def _speech_participle(tok: Token) -> bool:
    """"for saying that ...", "After saying her foot was ...", "it attacked Trump, saying he ...": a speech
    participle reports what follows even when no speaker can be named for it."""
    return tok.tag_ == "VBG" and cue_lemma(tok) in SPEECH_VERBS and cue_lemma(tok) not in WEAK_VERBS


def _outer_speech(verb: Token, start: int, end: int) -> tuple[Token, Token] | None:
    """'Hrabets said the attack showed that the occupiers "cannot be trusted"': the verb nearest the quoted
    phrase reports nothing itself (the attack shows, the players had shown) when its clause is what a speech
    verb further up reports; that speech verb and its speaker are the cue."""
    if cue_lemma(verb) in SPEECH_VERBS:
        return None
    clause = verb
    while clause.dep_ == "conj" and clause.head.i != clause.i:
        clause = clause.head  # "said A showed X and B showed Y"
    head = clause.head
    if clause.dep_ != "ccomp" or head.pos_ != "VERB" or cue_lemma(head) not in SPEECH_VERBS or start <= head.idx < end:
        return None
    return (head, clause) if speaker_tokens(head) is not None else None


def _mixed(doc: Doc, tokens: Tokens, span: MarkSpan, start: int, end: int) -> QuoteCandidate | None:
    """A quoted phrase inside reported speech: the content is the whole reported clause."""
    inside = tokens.between(start, end)
    if not inside:
        return None
    tok = inside[0]
    path = [tok]
    while tok.head.i != tok.i and len(path) < 12:
        tok = tok.head
        path.append(tok)
        if not start <= tok.idx < end and _reports(tok, path[-2]) and (
                speaker_tokens(tok) is not None or _speech_participle(tok)):
            break  # a cue inside the quotation, or one without a speaker, is not the one reporting it
    else:
        return None
    cue, below = tok, path[-2]  # below: the child of the cue that holds the quotation
    outer = _outer_speech(cue, start, end)
    if outer is not None:
        cue, below = outer
    speaker = speaker_tokens(cue)
    if speaker is None and _speech_participle(cue):
        speaker = subject_near(cue, sentence_of(doc, cue.i).start)
    elif speaker is None:
        return None
    lemma = cue_lemma(cue)
    if (lemma in SPEECH_VERBS and below.dep_ in ("dobj", "dative") and any(c.dep_ == "ccomp" for c in cue.children)) \
            or (lemma in SPEECH_VERBS and below.dep_ == "prep" and below.lower_ in ("on", "to", "in")
                and below.lower_ not in STANCE_PREPOSITIONS.get(lemma, ())):
        return None  # 'told MSNBC's "Morning Joe" that ...', 'said on "Face the Nation"': whom or where, not what
    if below.dep_ == "dobj" and lemma not in NAMING_VERBS:
        first, last = below.left_edge.i, below.right_edge.i  # "denounced the “Neocons for Hillary” movement"
    elif (lemma in NAMING_VERBS and not (below.dep_ == "prep" and below.lower_ in STANCE_PREPOSITIONS.get(lemma, ()))) \
            or below.dep_ in ("oprd", "xcomp", "attr", "acomp"):  # "called for" is no label
        last = max((t.i for c in cue.rights if c.dep_ not in _NOT_LABEL for t in c.subtree), default=-1)
        if last < inside[-1].i:  # (nothing but marks right of the cue: no label there, no quote)
            last = max((t.i for c in cue.rights if c.dep_ != "punct" for t in c.subtree), default=last)
        first = cue.i + 1
    elif below.dep_ in ("ccomp", "advcl", "parataxis"):
        first, last = below.left_edge.i, below.right_edge.i
        # 'said Democrats are to blame for focusing on "he said this, he tweeted that"': the parser may give
        # the quotation a clause of its own beside the reported one; the report starts with the first
        first = min([first] + [c.left_edge.i for c in cue.children if c.dep_ == "ccomp" and cue.i < c.i < below.i])
    elif below.dep_ == "prep" and below.i > cue.i:
        # "called for a “political revolution”"; "mocked Rubio for “having a tough night”" keeps the object
        obj = next((c for c in cue.children if c.dep_ == "dobj" and c.i < below.i), None)
        first, last = (obj.left_edge.i if obj is not None else below.i + 1), below.right_edge.i
    else:
        return None
    last = _cut_after(cue if below.dep_ not in ("ccomp", "advcl", "parataxis") else below, inside[-1].i, last)
    if first > last:
        return None
    c_start, c_end = trim(doc_text(doc), doc[first].idx, doc[last].idx + len(doc[last]))
    c_end = max(c_end, span.close + 1 if span.close is not None else end)  # keep the closing mark of the phrase
    if c_end <= c_start or "\n" in doc_text(doc)[c_start:c_end]:
        return None  # a parse that runs across lines is not one reported clause
    return QuoteCandidate(c_start, c_end, doc_text(doc)[c_start:c_end], "mixed", cue.i, speaker, span.paragraph)
