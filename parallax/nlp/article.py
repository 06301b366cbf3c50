"""Articles through the NLP stage within their budgets: neutralised, parsed (a long one piece by piece), timed.

A long article is parsed and analysed one piece at a time (``budget.pieces``), each piece within its own time
budget, in this process (``analyse_article``) or spread over worker processes (``LongArticle``: its pieces are
analysed wherever there is a free worker and put together here); each piece's findings are shifted to the
article's own offsets and merged, in piece order, so the result is the same either way. Entities of the same name
and kind in different pieces become one entity, so a speaker named in the first piece and mentioned again in the
tenth is one actor; pronouns, surnames and descriptions are resolved within their piece, and a quote never
continues a speaker across a cut. Headline quotes are analysed with the first piece: their offsets refer to the
title and are never shifted.

Ordinary articles are parsed several at a time (``analyse_batch``: one ``nlp.pipe`` call, a sixth less CPU time
than one call per text, the same parse) under one article's time budget; whenever a batch fails or runs over,
its articles are done again one by one, so every verdict is the one the article gets alone.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace
from datetime import date
from typing import Iterator

from spacy.language import Language

import parallax.nlp as stage  # looked up at call time, so a test may stand in for analyse_doc
from parallax.model import Analysis, Entity, Quote
from parallax.nlp import embeddings
from parallax.nlp.budget import PIECE_CHARS, BudgetExceeded, neutralise, pieces, time_limit


# (text, publication date) or (text, publication date, headline): the headline is parsed as a Doc of its own,
# since ingest keeps it out of the text, and its quotes come back marked ``in_title``.
Item = tuple[str, date | None] | tuple[str, date | None, str | None]
# An analysed item: the Analysis, or the reason it could not be analysed.
Result = Analysis | str
# Characters parsed in one ``nlp.pipe`` call at most: the batch's Docs stay a few tens of MB.
BATCH_CHARS = 2 * PIECE_CHARS
# Texts the model runs through its layers at once within that call. The whole call at once kept every layer's
# activations for ~40,000 tokens: a worker peaked at 1.45 GB; eight at a time costs the same CPU and peaks
# about 440 MB lower (32 news articles: 861 -> 422 MB peak, 33.1 -> 33.3 CPU s).
PIPE_BATCH = 8


@dataclass(frozen=True)
class Piece:
    """One piece of a long article, to be analysed on its own; the findings' offsets are the piece's own."""

    text: str  # neutralised
    published: date | None
    title: str | None  # the headline, with the first piece only


class LongArticle:
    """An article of several pieces, split so that each piece can go to any worker, and put together again."""

    def __init__(self, item: Item, piece_chars: int = PIECE_CHARS):
        self.text = item[0]
        shown, self.storms = neutralise(self.text)
        self.starts: list[int] = []
        self.pieces: list[Piece] = []
        self.title = title = item[2] if len(item) > 2 else None
        for number, (start, end) in enumerate(pieces(shown, piece_chars)):
            self.starts.append(start)
            self.pieces.append(Piece(shown[start:end], item[1], title if number == 0 else None))

    @staticmethod
    def of(item: Item, piece_chars: int | None = None) -> "LongArticle | None":
        """The article split, when it is longer than one piece (of ``PIECE_CHARS`` unless told)."""
        piece_chars = piece_chars or PIECE_CHARS
        return LongArticle(item, piece_chars) if len(item[0]) > piece_chars else None

    def assemble(self, results: list[Result]) -> Result:
        """The article's result from its pieces' results, in piece order: the first failure, else the merge."""
        failed = next((r for r in results if isinstance(r, str)), None)
        if failed is not None:
            return failed
        return _original_text(merge(list(zip(self.starts, results))), self.text, self.storms)

    def assemble_embedded(self, results: list[Result]) -> Result:
        """``assemble``, with the article's embedding (its pieces were analysed without one)."""
        vector = embeddings.article_embeddings([(self.title or "", self.text)])[0]
        return with_embedding(self.assemble(results), vector)


def with_embedding(result: Result, vector: bytes | None) -> Result:
    return replace(result, embedding=vector) if vector is not None and isinstance(result, Analysis) else result


def _title_and_text(item: Item) -> tuple[str, str]:
    return (item[2] or "") if len(item) > 2 else "", item[0]


def analyse_item(nlp: Language, item: Item, time_budget: float | None) -> Result:
    """One item's Analysis, or why there is none. Never raises (but for KeyboardInterrupt)."""
    title = item[2] if len(item) > 2 else None
    try:
        return analyse_article(nlp, item[0], item[1], title, time_budget=time_budget)
    except BaseException as exc:
        return _failure(exc)


def analyse_task(nlp: Language, task: Item | Piece, time_budget: float | None) -> Result:
    """An item with its embedding, or one piece of a long article (its findings at the piece's own offsets,
    no embedding: the article's is made when its pieces are put together). Never raises."""
    if not isinstance(task, Piece):
        return next(analyse_batch(nlp, [task], time_budget))
    try:
        return _analyse_piece(nlp, task, time_budget)
    except BaseException as exc:
        return _failure(exc)


def _failure(exc: BaseException) -> str:
    if isinstance(exc, BudgetExceeded):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "analysis ran out of memory"
    if isinstance(exc, RecursionError):
        return "analysis failed (too deeply nested)"
    if isinstance(exc, Exception):  # a bug on one odd text must not cost the other articles
        return f"analysis failed ({exc.__class__.__name__}: {exc})"
    raise exc  # KeyboardInterrupt, SystemExit


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

    Raises ``BudgetExceeded`` when a piece (of up to ``PIECE_CHARS`` characters) takes longer than
    ``time_budget`` CPU seconds.
    """
    long = LongArticle.of((text, published, title), piece_chars)
    if long is None:
        shown, storms = neutralise(text)
        return _original_text(_analyse_piece(nlp, Piece(shown, published, title), time_budget), text, storms)
    # one piece's Doc in memory at a time
    result = long.assemble([_analyse_piece(nlp, piece, time_budget) for piece in long.pieces])
    assert not isinstance(result, str)
    return result


def _analyse_piece(nlp: Language, piece: Piece, time_budget: float | None) -> Analysis:
    with time_limit(time_budget) as deadline:
        title_doc = nlp(piece.title) if piece.title and piece.title.strip() else None
        doc = nlp(piece.text)
        deadline.check()
        analysis = stage.analyse_doc(doc, piece.published, title_doc)
        deadline.check()
    return analysis


def analyse_batch(nlp: Language, items: list[Item], time_budget: float | None) -> Iterator[Result]:
    """The results of several items in order, the same as ``analyse_task`` one by one. The batch is embedded in
    one model call first (one call for many short inputs is several times faster than one call each)."""
    vectors = embeddings.article_embeddings([_title_and_text(item) for item in items])
    for vector, result in zip(vectors, _parse_batch(nlp, items, time_budget)):
        yield with_embedding(result, vector)


def _parse_batch(nlp: Language, items: list[Item], time_budget: float | None) -> Iterator[Result]:
    """The results of several items in order, each as soon as it is ready, the same as ``analyse_item`` one by
    one; items of one piece are parsed together, up to ``BATCH_CHARS`` characters at a time."""
    group: list[Item] = []
    size = 0
    for item in items:
        if not item[0].strip() and _headline(item) is None:
            # nothing to read (ingest sends a non-English article so): no parse, and no budget to overrun
            yield from _analyse_group(nlp, group, time_budget)
            yield Analysis()
            group, size = [], 0
            continue
        if len(item[0]) > PIECE_CHARS:
            yield from _analyse_group(nlp, group, time_budget)
            yield analyse_item(nlp, item, time_budget)
            group, size = [], 0
            continue
        if group and size + len(item[0]) > BATCH_CHARS:
            yield from _analyse_group(nlp, group, time_budget)
            group, size = [], 0
        group.append(item)
        size += len(item[0])
    yield from _analyse_group(nlp, group, time_budget)


def _analyse_group(nlp: Language, items: list[Item], time_budget: float | None) -> Iterator[Result]:
    if len(items) < 2:
        yield from (analyse_item(nlp, item, time_budget) for item in items)
        return
    shown = [neutralise(item[0]) for item in items]
    titles = [_headline(item) for item in items]
    texts = [s for s, _ in shown] + [t for t in titles if t is not None]
    try:
        # the whole batch within one article's budget: an article that could overrun alone overruns it
        with time_limit(time_budget) as deadline:
            docs = list(nlp.pipe(texts, batch_size=PIPE_BATCH))
            deadline.check()
    except BaseException as exc:
        _failure(exc)  # (re-raises an interrupt)
        yield from (analyse_item(nlp, item, time_budget) for item in items)
        return
    title_docs = iter(docs[len(items):])
    for item, doc, (_, storms), title in zip(items, docs, shown, titles):
        title_doc = next(title_docs) if title is not None else None
        try:
            with time_limit(time_budget) as deadline:
                analysis = stage.analyse_doc(doc, item[1], title_doc)
                deadline.check()
            yield _original_text(analysis, item[0], storms)
        except BudgetExceeded:
            yield analyse_item(nlp, item, time_budget)  # its verdict alone, parse included
        except BaseException as exc:
            yield _failure(exc)


def _headline(item: Item) -> str | None:
    """The item's headline when it has one with words in it."""
    return item[2] if len(item) > 2 and item[2] and item[2].strip() else None


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
