"""The NLP stage: entities, quotes, speakers and dates for one English article.

``analyse_doc`` is a pure function of a parsed Doc (and of the parsed headline, whose quotes are marked
``in_title``); ``parallax.nlp.article`` runs it over one article within its budgets (a long one in pieces), and
``parallax.nlp.parallel.analyse_stream`` over a stream of articles, one at a time, in this process or in worker
processes, in order.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc

from parallax.model import Analysis, Entity, Quote, Speaker
from parallax.nlp.attributions import indirect_quotes
from parallax.nlp.dates import find_published, resolve_date
from parallax.nlp.entities import build_entities, headline_people
from parallax.nlp.headlines import headline_candidates
from parallax.nlp.lookups import dates_in, doc_text, sentence_of
from parallax.nlp.marks import MAX_QUOTE_CHARS, find_mark_spans
from parallax.nlp.pipeline import load_pipeline
from parallax.nlp import token_attributes  # noqa: F401  (registers the pipeline component)
from parallax.nlp.quotes import QuoteCandidate, direct_quotes, transcript_turns
from parallax.nlp.forms import quote_form
from parallax.nlp.credits import VIA_CONFIDENCE, group_members, resolution_via
from parallax.nlp.speaker_phrases import name_part
from parallax.nlp.speakers import SpeakerResolver
from parallax.nlp.title_speakers import body_document, body_entity, body_leading_name, body_person

__all__ = ["analyse_doc", "english_pipeline", "load_pipeline", "resolve_date", "find_published"]

# A paragraph with no cue continues the previous speaker only if that quote is this close (in paragraphs).
_CONTINUATION_DISTANCE = 1


@Language.component("parallax_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line is a paragraph: no sentence runs across a line break. Set before the parser, which keeps
    preset boundaries, so that a headline or a dateline without a full stop is not glued to the next line."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


def english_pipeline() -> Language:
    """The spaCy pipeline with Parallax's line-break rule in front of the parser, and the model's attribute ruler
    and lemmatizer applied by lookup (``token_attributes``: the same values, about a tenth less CPU time)."""
    nlp = load_pipeline()
    if "parallax_line_breaks" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("parallax_line_breaks", before="parser")
    if "parallax_token_attributes" not in nlp.pipe_names and {"attribute_ruler", "lemmatizer"} <= set(nlp.pipe_names) \
            and nlp.get_pipe("lemmatizer").mode == "rule":
        nlp.add_pipe("parallax_token_attributes", after="lemmatizer")
        nlp.disable_pipe("attribute_ruler")
        nlp.disable_pipe("lemmatizer")
    return nlp


def analyse_doc(doc: Doc, published: date | None, title: Doc | None = None) -> Analysis:
    """Entities, mentions and quotes of one article; ``title`` is its headline parsed on its own."""
    body = _analyse_body(doc, published, headline_people(title) if title is not None else None)
    if title is None or not title.text.strip() or _copies_first_line(title.text, doc_text(doc)):
        return body
    try:
        quotes, entities = _title_quotes(title, body, published)
    except Exception:  # an odd headline must not cost the article its body
        return body
    return Analysis(entities=body.entities + entities, mentions=body.mentions, quotes=body.quotes + quotes)


def _analyse_body(doc: Doc, published: date | None, people: dict[str, str | None] | None = None) -> Analysis:
    index = build_entities(doc, people)
    marks = find_mark_spans(doc_text(doc))
    direct = direct_quotes(doc, marks)
    # a transcript turn wins over a quotation with no cue of its own ('"WALLACE: ...' with a stray mark)
    turns = transcript_turns(doc, [(c.start, c.end) for c in direct if not c.inherit])
    direct = [c for c in direct if not (c.inherit and any(t.start < c.end and c.start < t.end for t in turns))] + turns
    # full quotations nobody is credited with still must not yield indirect quotes from inside them
    uncredited = [(m.open, m.content_end + 1) for m in marks
                  if len(doc_text(doc)[m.content_start:m.content_end].split()) >= 6]
    used = {c.cue for c in direct if c.cue is not None}
    indirect = [_marked(c, marks, doc_text(doc))
                for c in indirect_quotes(doc, [(c.start, c.end) for c in direct], used, uncredited)]
    text = doc_text(doc)
    # last line of defence against runaway spans, whatever the parser did
    candidates = sorted((c for c in direct + indirect
                         if c.end - c.start <= MAX_QUOTE_CHARS and "\n" not in text[c.start:c.end]),
                        key=lambda c: c.start)

    quote_tokens = [(_token_at(doc, m.content_start), _token_at(doc, max(m.content_start, m.content_end - 1)) + 1)
                    for m in marks]
    resolver = SpeakerResolver(doc, index, quote_ranges=quote_tokens)
    quotes: list[Quote] = []
    last_paragraph = -10
    for cand in candidates:
        quote = _inherit(cand, quotes[-1] if quotes else None, last_paragraph) if cand.inherit \
            else _attribute(doc, cand, index, resolver, published)
        if quote is not None:
            quotes.append(quote)
            last_paragraph = cand.paragraph
    # (the resolver's index: it adds the bodies only a pronoun names, "her campaign")
    entities = tuple(replace(e, gender=resolver.genders.get(e.id, e.gender)) for e in resolver.index.entities)
    return Analysis(entities=entities, mentions=index.mentions, quotes=tuple(quotes))


def _marked(cand: QuoteCandidate, marks, text: str) -> QuoteCandidate:
    """An indirect clause that holds a quoted phrase is a mixed quote."""
    inside = [m for m in marks if cand.start <= m.open and m.content_end <= cand.end + 1]
    if inside:
        # a closing '' (two apostrophes for one double mark) is two characters wide
        end = max([cand.end] + [m.close + (2 if text.startswith("''", m.close) else 1)
                                for m in inside if m.close is not None])
        return replace(cand, kind="mixed", end=end, text=cand.text + text[cand.end:end])
    return cand


def _token_at(doc: Doc, char: int) -> int:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.start if span is not None and len(span) else 0


def _inherit(cand: QuoteCandidate, previous: Quote | None, last_paragraph: int) -> Quote | None:
    if previous is None or previous.speaker is None or cand.paragraph - last_paragraph > _CONTINUATION_DISTANCE:
        return None
    speaker = previous.speaker
    if speaker.entity is not None:
        # a quote paragraph with no cue is credited to the last speaker: as sure as that, and a little less
        confidence = min(speaker.confidence or 1.0, VIA_CONFIDENCE["continuation"])
        speaker = replace(speaker, via="continuation", confidence=round(confidence, 2))
    return Quote(cand.start, cand.end, cand.text, cand.kind, None, speaker,  # type: ignore[arg-type]
                 said_on=previous.said_on)


def _attribute(doc: Doc, cand: QuoteCandidate, index, resolver: SpeakerResolver, published: date | None) -> Quote:
    speaker = None
    if cand.speaker is not None:
        content = (_token_at(doc, cand.start), _token_at(doc, max(cand.start, cand.end - 1)) + 1)
        speaker = _speaker(doc, cand.speaker, index, resolver, content)
    cue_text = cue_start = cue_end = None
    said_on = published
    if cand.cue is not None:
        cue = doc[cand.cue]
        cue_start, cue_end = cue.idx, cue.idx + len(cue)
        if cand.according_to and cue.i + 1 < len(doc):
            cue_end = doc[cue.i + 1].idx + len(doc[cue.i + 1])
        cue_text = doc_text(doc)[cue_start:cue_end]
        said_on = _said_on(doc, cue.i, cand, published)
    return Quote(cand.start, cand.end, cand.text, cand.kind, cue_text, speaker,  # type: ignore[arg-type]
                 said_on=said_on, cue_start=cue_start, cue_end=cue_end,
                 form=quote_form(doc, cand.kind, cand.start, cand.end, cand.cue))


_PRONOUN_CEILING = 0.9


def _speaker(doc: Doc, where: tuple[int, int], index, resolver: SpeakerResolver, content: tuple[int, int]) -> Speaker:
    """The speaker of one attribution, with how it was resolved: a group credits each named member.
    ``content`` is the token range of what it is credited with (its names are never its speaker)."""
    members, group_span = group_members(resolver, where)
    if members:
        span = doc[group_span[0]:group_span[1]]
        resolver.history.append((group_span[0], members[0]))
        return Speaker(span.text, span.start_char, span.end_char, members[0], members=members, via="group",
                       confidence=VIA_CONFIDENCE["group"])
    s_start, s_end, named = name_part(doc, where, index)
    found = resolver.resolve_speaker((s_start, s_end), named, content)
    entity = found.entity
    via, confidence = resolution_via(doc, (s_start, s_end), named, entity, resolver.index)
    if via == "pronoun" and found.confidence is not None:
        # the salience margin says how clear the choice was; even a clear one was right only about 9 times in
        # 10 on PolNeAR dev (he/she, 89.7%), so it never outranks a name
        confidence = round(_PRONOUN_CEILING * found.confidence, 3)
    elif via == "description" and found.confidence is not None:
        confidence = found.confidence  # an epithet chosen by prominence: as unsure as that choice
    span = doc[s_start:s_end]
    return Speaker(span.text, span.start_char, span.end_char, entity, via=via, confidence=confidence)


def _said_on(doc: Doc, cue_i: int, cand: QuoteCandidate, published: date | None) -> date | None:
    """A date phrase attached to the cue ("said on Thursday"), resolved; else the publication date."""
    cue, sent = doc[cue_i], sentence_of(doc, cue_i)
    for ent in dates_in(doc, sent.start, sent.end):
        if ent.start_char < cand.end and cand.start < ent.end_char:
            continue
        if _governed_by(ent.root, cue):
            resolved = resolve_date(ent.text, published)
            if resolved is not None:
                return resolved
    return published


def _governed_by(token, cue) -> bool:
    """True when the cue governs the date within a few steps ("said late on Tuesday"), not via the content."""
    for _ in range(4):
        if token.head.i == token.i or token.dep_ in ("ccomp", "xcomp", "relcl", "advcl"):
            return False
        token = token.head
        if token.i == cue.i:
            return True
    return False


def _title_quotes(title: Doc, body: Analysis, published: date | None) -> tuple[tuple[Quote, ...], tuple[Entity, ...]]:
    """Headline quotes, their offsets into the title; a speaker named in the headline is the body's entity of
    that name ("Calderon" in the title, "Felipe Calderon" in the text), or a new entity with no mention."""
    candidates = headline_candidates(title)
    if not candidates:
        return (), ()
    index = build_entities(title)
    resolver = SpeakerResolver(title, index)
    next_id = max((e.id for e in body.entities), default=-1) + 1
    new: dict[int, Entity] = {}
    quotes = []
    for cand in candidates:
        quote = _attribute(title, cand, index, resolver, published)
        speaker = quote.speaker
        if speaker is not None and cand.speaker is not None:
            source = title[cand.speaker[0]:cand.speaker[1]]
            if not (source.start_char <= speaker.start and speaker.end <= source.end_char):
                # the parse of a title-case headline may lead name_part astray: keep the words before the cue
                speaker = Speaker(source.text, source.start_char, source.end_char, None)
        if speaker is not None and speaker.entity is not None:

            def in_body(title_entity: int) -> int:
                entity = index.entity(title_entity)
                found = body_entity(entity.name, entity.kind, body)
                if found is None:
                    if title_entity not in new:
                        new[title_entity] = replace(entity, id=next_id + len(new))
                    found = new[title_entity].id
                return found

            speaker = replace(speaker, entity=in_body(speaker.entity),
                              members=tuple(in_body(m) for m in speaker.members))
        elif speaker is not None and (found := body_document(title[cand.speaker[0]:cand.speaker[1]].root, body)) is not None:
            # "Poll: ..." over an article about "a Bloomberg poll": the headline's document is the body's
            speaker = replace(speaker, entity=found, via="description", confidence=VIA_CONFIDENCE["description"])
        elif speaker is not None and cand.speaker[1] - cand.speaker[0] <= 4 \
                and (person := body_person(title[cand.speaker[0]:cand.speaker[1]].root, body)):
            # "Judge rejects ...": the body's judge, or the person the body is most about
            speaker = replace(speaker, entity=person[0], via="description", confidence=person[1])
        elif speaker is not None and title[cand.speaker[1] - 1].text[:1].isupper():
            # "Volostny: ...", "Ekdal: ..." (a surname the parser took for a common noun): the body's entity
            # with that surname, as a surname in the body resolves
            found = body_entity(speaker.text, "person", body)
            if found is None or len(speaker.text.split()) > 2:
                # "Obama on Climate Change: ...": the name the phrase opens with
                leading = body_leading_name(speaker.text.split(), body)
                found = leading if leading is not None else found
            speaker = replace(speaker, entity=found, via="surname" if found is not None else None,
                              confidence=VIA_CONFIDENCE["surname"] - 0.05 if found is not None else None)
        quotes.append(replace(quote, speaker=speaker, in_title=True))
    return tuple(quotes), tuple(new.values())


def _copies_first_line(title: str, text: str) -> bool:
    """Ingest titles an article with no headline by a (shortened) copy of its first line, which stays in the
    text: its quotes are found there already."""
    head = title.strip().rstrip("…").strip()
    return bool(head) and text.lstrip().startswith(head)
