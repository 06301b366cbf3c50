"""Who a quotation is credited to: the cue word and the speaker next to it.

A cue after the quotation ('"...," she said', '"...," said the minister', '..., according to X'), before it
('He said: "..."', 'X told reporters, "..."'), a colon after a speaker or a claim ("Hoff's letter makes a case:
"..."", "- Philip Bump: "...""), the cue sentence just before ("X said in a statement. "...""), a line ending
in a colon before the quotation's line, or a signature ("... ― Sonya H."). When the parser gives the cue no
subject, the speaker is looked for nearby (``subject_near``).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from parallax.nlp.cues import ALL_CUES, NAMING_VERBS, QUOTING_VERBS
from parallax.nlp.lookups import Tokens, doc_text, sentence_of
from parallax.nlp.speaker_phrases import according_to_tokens, name_before, noun_phrase, speaker_tokens


def is_cue(tok: Token) -> bool:
    return tok.lemma_.lower() in ALL_CUES and tok.pos_ in ("VERB", "AUX") or (
        tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children))


def is_quoting_cue(tok: Token) -> bool:
    """A cue next to a quotation: any cue word, or a manner of speaking ("yelled", "scoffed", "the sign read")."""
    return is_cue(tok) or (tok.pos_ == "VERB" and tok.lemma_.lower() in QUOTING_VERBS)


NOT_SOURCES = frozenset("it there this that which what who".split())
_SOURCE_WALK = frozenset({"pcomp", "prep", "advcl", "xcomp", "conj", "pobj", "parataxis"})


def subject_near(cue: Token, lo: int) -> tuple[int, int] | None:
    """Who performs a cue next to a quotation when the parser gave the verb no subject of its own:
    '"...," said the woman' (the words after an inverted cue), 'he began by saying, "..."' and
    '..., adding, "..."' (the subject of the verb it hangs from), 'Durbin (D-Ill.), noting ..., said, "..."'
    (the nearest subject to its left, not before token ``lo``)."""
    doc = cue.doc
    nxt = cue.i + 1
    if cue.i > lo and doc[cue.i - 1].text in ",”\"'’" and nxt < len(doc) and doc[nxt].pos_ in ("DET", "PROPN", "NOUN", "ADJ"):
        j = nxt
        while j < len(doc) and j - nxt < 6 and doc[j].pos_ in ("DET", "ADJ", "NUM", "PROPN", "NOUN") \
                and not (j > nxt and doc[j].pos_ == "DET"):
            j += 1
        if doc[j - 1].pos_ in ("NOUN", "PROPN") and doc[j - 1].ent_type_ not in ("DATE", "TIME"):
            return nxt, j
    tok = cue
    for _ in range(4):
        if tok.head.i == tok.i or tok.dep_ not in _SOURCE_WALK:
            break
        tok = tok.head
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return noun_phrase(subject) if subject.lower_ not in NOT_SOURCES and subject.pos_ != "DET" else None
    sent = sentence_of(doc, cue.i)
    for k in range(cue.i - 1, max(lo, sent.start) - 1, -1):
        t = doc[k]
        if t.dep_ != "nsubj" or t.pos_ not in ("PROPN", "NOUN", "PRON"):
            continue
        if t.lower_ in ("who", "that") and t.head.dep_ == "relcl" and t.head.head.pos_ in ("NOUN", "PROPN"):
            t = t.head.head  # "an official who spoke anonymously said, ..."
        if t.lower_ in NOT_SOURCES:
            return None
        return noun_phrase(t)
    return None


def line_introducing(doc: Doc, tokens: Tokens, paras, paragraph: int):
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
    return None if speaker is None else ((roots[0].i if is_cue(roots[0]) else None), speaker)


# Verbs inside a noun phrase ("the bespectacled diplomat said", "a Chicago-based pollster") head no clause.
MODIFIERS = frozenset({"amod", "compound", "acl", "relcl", "npadvmod", "nmod", "appos"})


def cue_after(after: list[Token], open_end: bool = False) -> tuple[Token, tuple[int, int] | None] | None:
    """", she said", ", said the minister", ", according to X": a cue within the first words after a quote.
    ``open_end``: the quotation ends in a comma, "?" or "!", so a verb right after it with its own subject
    reports it whatever the verb ('"Jeb wants to be a tough guy tonight," Trump shot back').
    """
    words = [t for t in after if not t.is_punct]
    lo = after[0].i if after else 0
    for t in words[:18]:
        if t.lower_ == "according" and is_cue(t):
            to = next(c for c in t.children if c.lower_ == "to")
            return t, according_to_tokens(to)
        if is_quoting_cue(t) and t.lemma_.lower() not in NAMING_VERBS:
            speaker = speaker_tokens(t) or subject_near(t, lo)
            if speaker is not None or (open_end and t.i - lo <= 6):
                # '"...," <garble> told journalists': the cue is there even when its speaker cannot be
                # found, and the quote is not the previous speaker's to inherit
                return t, speaker
            return None
        if t.pos_ == "VERB" and t.lemma_.lower() not in ALL_CUES and t.dep_ not in MODIFIERS:
            if t.is_title and t.i == lo + (after[0].is_punct) and t.tag_ in ("VB", "VBP"):
                continue  # '"...," Tulsa police Chief Jordan said': a place name the tagger read as a verb
            inner = _garbled_cue(t, lo) if open_end else None
            if inner is not None:
                return inner
            if open_end and t.i - lo <= 8 and not any(c.dep_ in ("dobj", "ccomp", "xcomp") and c.i > t.i for c in t.children):
                subject = next((c for c in t.lefts if c.dep_ == "nsubj" and c.i >= lo), None)
                if subject is not None and subject.lower_ not in NOT_SOURCES:
                    return t, noun_phrase(subject)
            return None  # another verb comes first: the quote is not attributed here
    return None


def _garbled_cue(verb: Token, lo: int) -> tuple[Token, tuple[int, int]] | None:
    """'"...," the special sent Marin Holtwik told to journalists': machine translation turns a title into a
    verb ("special envoy" -> "special sent") and the parser joins the real cue to it as a clause (under it or
    over it). A cue verb a few words on, joined to that verb, with a name right before it is the one credited."""
    if verb.i - lo > 6:
        return None
    for c in verb.doc[verb.i + 1:verb.i + 7]:
        # the cue under the verb, or over it ("sent" parsed as the clause "told" reports)
        if (c.head.i == verb.i or verb.head.i == c.i) and is_cue(c) and c.lemma_.lower() not in NAMING_VERBS:
            # the name right before the cue, whatever the parser hung it on ("sent Sigrun Holtwik" as an object)
            speaker = name_before(c) or speaker_tokens(c)
            if speaker is not None and verb.i < speaker[0] and verb.doc[speaker[1] - 1].pos_ == "PROPN":
                return c, speaker
    return None


_SIGNATURE = re.compile(r"[ \t\xa0]*[―—][ \t\xa0]*")  # (a no-break space often stands beside the dash)
_INITIAL = re.compile(r"[A-Z]\.?")


def signature(text: str, tokens: Tokens, close: int, after_end: int) -> tuple[Token, tuple[int, int]] | None:
    """'“...” ― Sonya Herridge': a dash and a name closing the line sign the quotation (interview
    transcripts, vox pops). The dash is the cue."""
    dash = _SIGNATURE.match(text, close, after_end)
    if dash is None:
        return None
    names: list[Token] = []
    for t in tokens.between(dash.end(), after_end):
        if t.is_space and not names:
            continue
        if names and _INITIAL.fullmatch(t.text):
            names.append(t)  # "Julie A. Diaz": the tagger takes a middle initial for anything
            continue
        if t.pos_ != "PROPN" and not (names and t.text == "." and len(names[-1]) == 1):
            if names and t.text not in ",.(" and not t.is_space:
                return None  # "“...” — Trump’s favourite phrase — ...": an aside, not a signature
            break
        names.append(t)
    if not names or len(names) > 5:
        return None
    return tokens.doc[tokens.at(dash.start() + dash.group().index(dash.group().strip()))], (names[0].i, names[-1].i + 1)


def cue_before(before: list[Token]) -> tuple[Token, tuple[int, int] | None] | None:
    """"He said: “...”", "X told reporters, “...”", "According to X, “...”"."""
    for t in reversed(before):
        if is_quoting_cue(t):
            if t.lower_ == "according":
                to = next(c for c in t.children if c.lower_ == "to")
                return t, according_to_tokens(to)
            speaker = speaker_tokens(t) or subject_near(t, before[0].i)
            return (t, speaker) if speaker is not None else None
    return None


def colon_source(before: list[Token]) -> tuple[Token, tuple[int, int]] | None:
    """A quotation after a colon with no speech verb: "Hoff's letter makes a case: “...”" (the subject of
    the verb before the colon), "- Philip Bump: “...”" (a name standing alone before the colon)."""
    words = [t for t in before if not t.is_space]
    if len(words) < 2 or words[-1].text != ":":
        return None
    colon = words[-1]
    for t in reversed(words[:-1]):
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in MODIFIERS:
            subject = next((c for c in t.lefts if c.dep_ == "nsubj"), None)
            if subject is None or subject.lower_ in NOT_SOURCES or subject.pos_ not in ("NOUN", "PROPN"):
                return None
            return t, noun_phrase(subject)
    names = []
    for t in reversed(words[:-1]):
        if t.pos_ != "PROPN" or len(names) >= 4:
            break
        names.append(t)
    if names and (names[-1].i == words[0].i or names[-1].nbor(-1).text in "-–—•|:"):
        return colon, (names[-1].i, names[0].i + 1)
    return None


def bare_cue(before: list[Token]) -> tuple[Token, tuple[int, int]] | None:
    """The speech verb heading the sentence just before a quotation in its paragraph: "X said in a
    statement. “...”", "Velkova said the talks had failed. “...”" (the quotation goes on with her words)."""
    words = [t for t in before if not t.is_space]
    if len(words) < 3 or words[-1].text != ".":
        return None
    root = words[-1].head
    if root.i == words[-1].i or root.dep_ != "ROOT" or not is_cue(root) or root.lemma_.lower() in NAMING_VERBS:
        return None
    speaker = speaker_tokens(root)
    return (root, speaker) if speaker is not None else None
