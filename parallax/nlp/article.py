"""One article through the NLP stage within its budgets: neutralised, parsed piece by piece, timed.

A long article is parsed and analysed one piece at a time (``budget.pieces``); each piece's findings are shifted
to the article's own offsets and merged. Entities of the same name and kind in different pieces become one
entity, so a speaker named in the first piece and mentioned again in the tenth is one actor; pronouns, surnames
and descriptions are resolved within their piece, and a quote never continues a speaker across a cut. Headline
quotes are analysed with the first piece: their offsets refer to the title and are never shifted.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from datetime import date
from typing import Iterator

from spacy.language import Language

import parallax.nlp as stage  # looked up at call time, so a test may stand in for analyse_doc
from parallax.model import Analysis, Entity, Quote
from parallax.nlp import embeddings
from parallax.nlp.budget import PIECE_CHARS, BudgetExceeded, article_seconds, neutralise, pieces, time_limit


# (text, publication date) or (text, publication date, headline): the headline is parsed as a Doc of its own,
# since ingest keeps it out of the text, and its quotes come back marked ``in_title``.
Item = tuple[str, date | None] | tuple[str, date | None, str | None]
# An analysed item: the Analysis, or the reason it could not be analysed.
Result = Analysis | str


def analyse_batch(nlp: Language, items: list[Item], time_budget: float | None) -> Iterator[Result]:
    """Each item's result, in order, with its sentence embedding: the batch is embedded at once first (one model
    call for many short inputs is several times faster than one call each)."""
    vectors = embeddings.article_embeddings([(item[2] if len(item) > 2 else "", item[0]) for item in items])
    for item, vector in zip(items, vectors):
        result = analyse_item(nlp, item, time_budget)
        yield replace(result, embedding=vector) if vector is not None and isinstance(result, Analysis) else result


def analyse_item(nlp: Language, item: Item, time_budget: float | None) -> Result:
    """One item's Analysis, or why there is none. Never raises (but for KeyboardInterrupt)."""
    title = item[2] if len(item) > 2 else None
    try:
        return analyse_article(nlp, item[0], item[1], title, time_budget=time_budget)
    except BudgetExceeded as exc:
        return str(exc)
    except MemoryError:
        return "analysis ran out of memory"
    except RecursionError:
        return "analysis failed (too deeply nested)"
    except Exception as exc:  # a bug on one odd text must not cost the other articles
        return f"analysis failed ({exc.__class__.__name__}: {exc})"


def analyse_article(
    nlp: Language,
    text: str,
    published: date | None,
    title: str | None = None,
    *,
    time_budget: float | None = None,
    piece_chars: int = PIECE_CHARS,
) -> Analysis:
    """Entities, mentions and quotes of one article, whatever its length.

    Raises ``BudgetExceeded`` when it takes longer than ``time_budget`` seconds per ``PIECE_CHARS`` characters.
    """
    with time_limit(article_seconds(len(text), time_budget)) as deadline:
        shown, storms = neutralise(text)
        title_doc = nlp(title) if title and title.strip() else None
        found: list[tuple[int, Analysis]] = []
        for number, (start, end) in enumerate(pieces(shown, piece_chars)):
            deadline.check()
            doc = nlp(shown[start:end])
            found.append((start, stage.analyse_doc(doc, published, title_doc if number == 0 else None)))
            del doc  # one piece's Doc in memory at a time
        deadline.check()
    return _original_text(merge(found), text, storms)


def merge(found: list[tuple[int, Analysis]]) -> Analysis:
    """The analyses of an article's pieces, each at its offset, as one analysis of the whole text."""
    if len(found) == 1 and found[0][0] == 0:
        return found[0][1]
    entities: list[Entity] = []
    by_name: dict[tuple[str, str], int] = {}
    mentions, quotes = [], []
    for offset, part in found:
        ids: dict[int, int] = {}
        for entity in part.entities:
            key = (entity.name, entity.kind)
            if key in by_name:
                kept = entities[by_name[key]]
                entities[by_name[key]] = replace(kept, gender=kept.gender or entity.gender,
                                                 descriptors=kept.descriptors | entity.descriptors)
            else:
                by_name[key] = len(entities)
                entities.append(replace(entity, id=len(entities)))
            ids[entity.id] = by_name[key]
        mentions += [replace(m, start=m.start + offset, end=m.end + offset, entity=ids[m.entity])
                     for m in part.mentions]
        quotes += [_moved(q, 0 if q.in_title else offset, ids) for q in part.quotes]
    # the body's quotes in text order, then the headline's, as in the analysis of a whole article
    quotes.sort(key=lambda q: q.in_title)
    return Analysis(entities=tuple(entities), mentions=tuple(mentions), quotes=tuple(quotes))


def _moved(quote: Quote, offset: int, ids: dict[int, int]) -> Quote:
    speaker = quote.speaker
    if speaker is not None:
        speaker = replace(speaker, start=speaker.start + offset, end=speaker.end + offset,
                          entity=None if speaker.entity is None else ids[speaker.entity],
                          members=tuple(ids[m] for m in speaker.members))
    return replace(
        quote, start=quote.start + offset, end=quote.end + offset, speaker=speaker,
        cue_start=None if quote.cue_start is None else quote.cue_start + offset,
        cue_end=None if quote.cue_end is None else quote.cue_end + offset,
    )


def _original_text(analysis: Analysis, text: str, storms: tuple[tuple[int, ...], ...]) -> Analysis:
    """Put the article's own characters back into every span that covers a neutralised run."""
    if not storms:
        return analysis
    ends = [end for _, end in storms]

    def touched(start: int, end: int) -> bool:
        k = bisect_left(ends, start + 1)  # the first run ending after ``start``
        return k < len(storms) and storms[k][0] < end

    def fixed(quote: Quote) -> Quote:
        if quote.in_title:
            return quote
        speaker = quote.speaker
        if speaker is not None and touched(speaker.start, speaker.end):
            speaker = replace(speaker, text=text[speaker.start:speaker.end])
        changes: dict = {"speaker": speaker}
        if touched(quote.start, quote.end):
            changes["text"] = text[quote.start:quote.end]
        if quote.cue_start is not None and quote.cue_end is not None and touched(quote.cue_start, quote.cue_end):
            changes["cue"] = text[quote.cue_start:quote.cue_end]
        return replace(quote, **changes)

    mentions = tuple(replace(m, text=text[m.start:m.end]) if touched(m.start, m.end) else m
                     for m in analysis.mentions)
    return replace(analysis, mentions=mentions, quotes=tuple(fixed(q) for q in analysis.quotes))
