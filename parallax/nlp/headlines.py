"""Quotes in a headline, parsed as a short Doc of its own: 'Volostny: “We will not back down”',
'Trump says he'll ...', 'Graham: Trump’s ‘Hateful Rhetoric’ Destroying GOP’s Chance'.

Headlines drop the full stop and often the verb: a name and a colon is the cue, and "X says ..." in title
case is a cue the parser may read as one long proper noun. Those two shapes are tried first; otherwise the
ordinary quote passes run over the headline, keeping speech and the stances and intentions of a named source
("Poll finds ...", "X wants Y banned"); when they find nothing, a title-case stance verb found by its form
("X Endorses Y", "X Calls for Y"). Labels before a colon ("The Latest:", "EXCLUSIVE:",
"Analysis:", "Why it matters:") are no speakers.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc, Token

from parallax.nlp.cues import BELIEF_VERBS, INTENT_VERBS, SPEECH_VERBS, STANCE_PREPOSITIONS, STANCE_VERBS, cue_lemma
from parallax.nlp.lookups import doc_text
from parallax.nlp.marks import find_mark_spans, trim
from parallax.nlp.quotes import QuoteCandidate, direct_quotes

# Words that make a colon prefix a section label rather than a speaker (compared lower-cased, last word).
_LABELS = frozenset(
    "latest update updates live analysis opinion exclusive watch video breaking review editorial explainer "
    "factbox timeline interview photos podcast recap email newsletter briefing quiz obituary letter letters "
    "column commentary transcript report fact check matters happened know glance numbers takeaways "
    "today tonight morning evening week weekend day".split()
)
_DAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# A label before a dash ahead of the speaker: "EXCLUSIVE – Roger Stone: ...".
_LEAD_LABEL = re.compile(r"^.*?\s[–—|-]\s+")
_SAYS = re.compile(r"\s(says|Says|SAYS|warns|Warns|claims|Claims|vows|Vows|insists|Insists|predicts|Predicts"
                   r"|admits|Admits|denies|Denies|tells|Tells)\s")
# Title-case cues found by form: speech and stances whose object is the content. "Calls" counts only as
# "Calls for / on"; "Offers" and "Shows" read as news in a headline.
_PHRASAL = {"call": frozenset({"for", "on"}), "push": frozenset({"for"}), "warn": frozenset({"of", "against"})}
_NAMING_ONLY = frozenset({"call"})
# Acts rather than stances in a headline ("Brevnia offers aid", "Mayor signs bill": news, not what X said).
_HEADLINE_ACTS = frozenset("offer release sign order like ignore".split())
_HEADLINE_STANCES = (STANCE_VERBS | INTENT_VERBS | BELIEF_VERBS | frozenset(STANCE_PREPOSITIONS)) - _HEADLINE_ACTS
_TITLE_CASE_CUES = (SPEECH_VERBS | STANCE_VERBS | INTENT_VERBS) - _HEADLINE_ACTS - frozenset(
    "show note post continue point add object answer agree maintain charge report question tell ask".split())
_MIN_CONTENT_WORDS = 2
_MAX_SOURCE_WORDS = 7


def headline_candidates(doc: Doc) -> list[QuoteCandidate]:
    """The attributions in a headline (one line); empty for anything longer than a headline."""
    text = doc_text(doc)
    if not text.strip() or "\n" in text.strip() or len(text) > 400:
        return []
    colon = _colon_quote(doc, text)
    if colon is not None:
        return [colon]
    said = _says_quote(doc, text) or _says_after(doc, text)
    if said is not None:
        return [said]
    from parallax.nlp.attributions import indirect_quotes  # attributions imports quotes, as this does

    marks = find_mark_spans(text)
    direct = direct_quotes(doc, marks)
    indirect = indirect_quotes(doc, [(c.start, c.end) for c in direct], {c.cue for c in direct if c.cue is not None})
    spoken = [c for c in indirect if _headline_cue(doc, c)]
    found = sorted((c for c in direct + spoken if not c.inherit), key=lambda c: c.start)
    stance = _title_case_stance(doc, text) if not found else None
    return [stance] if stance is not None else [_to_headline_end(doc, text, c) for c in found]


def _to_headline_end(doc: Doc, text: str, cand: QuoteCandidate) -> QuoteCandidate:
    """A quoted phrase after a cue in a headline: what follows it is the same claim ("Calls Clinton ‘A
    Disgrace’ Over Shooting Comments", "Reveals ‘Demoralizing’ Experience Of Serving"), up to a semicolon, a
    site name or a relative clause with a cue of its own ("endorses Trump, who says he is honored")."""
    stops = [i for i in (text.find(" | ", cand.start), text.find(";", cand.start), text.find(", who ", cand.start))
             if i > 0]
    cue_first = cand.cue is not None and doc[cand.cue].idx < cand.start
    stretch = cand.kind == "mixed" or (cand.kind == "direct" and cue_first)
    end = min(stops) if stops else len(text.rstrip())
    if not stretch:
        end = min(end, cand.end)
    start, end = trim(text, cand.start, end)
    if (start, end) == (cand.start, cand.end) or start != cand.start or end <= start:
        return cand
    if stretch and start > 0 and text[start - 1] in "‘“'\"":
        start -= 1  # the quoted phrase is now part of a longer content: its opening mark belongs to it
    return replace(cand, end=end, text=text[start:end], kind=_kind(text, start, end))


_SAYS_AFTER = re.compile(r",\s+([^,]+?)\s+(?:Says|says|Said|said|Warns|warns|Claims|claims)[.!]?\s*$")


def _says_after(doc: Doc, text: str) -> QuoteCandidate | None:
    """'Clinton Hid Health Problems From Public, Former White House Doctor Says'."""
    found = _SAYS_AFTER.search(text)
    if found is None:
        return None
    cand = _candidate(doc, text, found.start(1), found.end(1), 0, _token_at(doc, found.end(1) + 1))
    if cand is None:
        return None
    start, end = trim(text, 0, found.start())
    return replace(cand, start=start, end=end, text=text[start:end], kind=_kind(text, start, end))


def _headline_cue(doc: Doc, cand: QuoteCandidate) -> bool:
    """Speech, and the stances and intentions a headline credits to a named source ("X endorses Y", "X wants
    Y banned", "Poll finds ..."). Not a pronoun's or an unnamed subject's: those read as news."""
    if cand.cue is None:
        return False
    cue = doc[cand.cue]
    lemma = cue_lemma(cue)
    if lemma in SPEECH_VERBS:
        return True
    if cue.pos_ != "VERB" or lemma not in _HEADLINE_STANCES or cand.speaker is None:
        return False
    source = doc[cand.speaker[0]:cand.speaker[1]]
    return source.root.pos_ in ("PROPN", "NOUN") and not any(t.pos_ == "PRON" for t in source)


def _colon_quote(doc: Doc, text: str) -> QuoteCandidate | None:
    """'Name: what they said': a short name-like phrase, a colon, then at least a few words."""
    colon_at = text.find(":")
    if colon_at <= 0 or text[colon_at + 1:colon_at + 2] not in (" ", "\u00a0"):
        return None
    label = _LEAD_LABEL.match(text, 0, colon_at)
    source_start = label.end() if label else 0
    return _candidate(doc, text, source_start, colon_at, colon_at + 1, _token_at(doc, colon_at))


def _says_quote(doc: Doc, text: str) -> QuoteCandidate | None:
    """'Bernie Sanders Says He’s Already Started Writing His Inaugural Address'."""
    found = _SAYS.search(text)
    if found is None or ":" in text[:found.start()]:
        return None
    cue = _token_at(doc, found.start(1))
    content_from = found.end()
    if found.group(1).lower() == "tells":  # "X tells Y (that) ...": the listener is no content
        return None
    that = re.match(r"(?:that|That)\s", text[content_from:])
    return _candidate(doc, text, 0, found.start(), content_from + (that.end() if that else 0), cue)


def _title_case_stance(doc: Doc, text: str) -> QuoteCandidate | None:
    """'Jeb Bush Aide Praises Rubio Donor’s Campaign', 'Senator Refuses to Disavow Endorsement', 'Mayor Calls
    for Inquiry': in title case the parser reads the verb as part of one long name, so the cue is found by its
    form (a capitalised third-person verb of the stance, intention or speech lexicons) after a name."""
    for tok in doc[1:]:
        if tok.idx > 0 and text[:tok.idx].rstrip().endswith(":"):
            return None  # the colon rule had the first word
        lemma = _third_person_lemma(tok)
        if lemma is None:
            continue
        after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        content_from = tok.idx + len(tok)
        if lemma in _PHRASAL and after is not None and after.lower_ in _PHRASAL[lemma]:
            content_from = after.idx + len(after)  # "Calls for X": the preposition is part of the cue
        elif lemma in _NAMING_ONLY:
            return None  # "X Calls Y Z": a label, not a stance towards Y
        return _candidate(doc, text, 0, tok.idx, content_from, tok.i)
    return None


def _third_person_lemma(tok: Token) -> str | None:
    """The lexicon lemma of a capitalised "-s" verb form ("Praises", "Pushes", "Wants"), else None."""
    word = tok.text
    if len(word) < 4 or not word[0].isupper() or word.isupper() or not word.endswith("s"):
        return None
    lower = word.lower()
    for lemma in (lower[:-1], lower[:-2]) if lower.endswith("es") else (lower[:-1],):
        if lemma in _TITLE_CASE_CUES:
            return lemma
    return None


def _candidate(doc: Doc, text: str, source_start: int, source_end: int, content_from: int,
               cue: int | None) -> QuoteCandidate | None:
    source = [t for t in doc if source_start <= t.idx and t.idx + len(t) <= source_end and not t.is_space]
    if not _speaker_like(source) or any(_third_person_lemma(t) for t in source[1:]):
        # "Carly Fiorina Endorses Ted Cruz: ...": a title-case verb makes the words before a colon a clause
        return None
    # "... | Velgrad Herald": a page title with the site's name; "X says A; Y cool": a semicolon ends the
    # reported clause, the next clause is the headline writer's
    stops = [i for i in (text.find(" | ", content_from), text.find(";", content_from)) if i > 0]
    start, end = trim(text, content_from, min(stops) if stops else len(text.rstrip()))
    content = text[start:end]
    if len(content.split()) < _MIN_CONTENT_WORDS:
        return None
    return QuoteCandidate(start, end, content, _kind(text, start, end), cue, (source[0].i, source[-1].i + 1), 0)


def _speaker_like(source: list[Token]) -> bool:
    """A name or a titled name ("OK Gov Fallin", "Former AG Mukasey at RNC"), not a section label, a
    question or a clause ("Here's what happened")."""
    words = [t for t in source if not t.is_punct]
    if not words or len(words) > _MAX_SOURCE_WORDS:
        return False
    last = words[-1]
    lowered = {t.lower_ for t in words}
    if last.lower_ in _LABELS or lowered & _DAYS or words[0].lower_ in ("why", "how", "what", "here", "where", "when"):
        return False
    if all(t.text.isupper() for t in words if t.is_alpha) and (len(words) > 1 or len(last) > 4):
        return False  # "FIX IS IN:", "WATCH:"; an acronym such as "DNC:" may speak
    if any(t.pos_ in ("VERB", "AUX", "PRON") and t.text[:1].islower() for t in words) or any(t.like_num for t in words):
        return False
    return last.text[:1].isupper() and last.pos_ in ("PROPN", "NOUN")


def _kind(text: str, start: int, end: int) -> str:
    """Direct when the whole content is one quotation, mixed when it holds a quoted phrase."""
    marks = [m for m in find_mark_spans(text) if start - 1 <= m.open and m.content_end <= end + 1]
    if len(marks) == 1 and marks[0].open <= start and (marks[0].close or end) >= end - 1:
        return "direct"
    return "mixed" if marks else "indirect"


def _token_at(doc: Doc, char: int) -> int | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.start if span is not None and len(span) else None
