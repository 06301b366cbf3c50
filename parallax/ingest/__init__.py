"""Ingest: read sources, clean each item, split it into articles, date it, tell its language.

    records = read_sources(["dumps/", "https://example.org/feed.xml"])   # Record | ItemError
    for record in records: prepare(record)                                 # [Article] | ItemError

``prepare`` works line by line on the item's text:

1. normalise (NFC, plain spaces, no invisible characters), drop blank lines and page furniture;
2. take a trailing "OutletA/OutletB" credit, then split at compilation headers (``split``);
3. per article: take its "(Source: Outlet)" credit, cut a "Related articles:" tail, drop repeated
   paragraphs, strip subheading dashes, pick the headline, take "Published: ..." lines and the
   dateline date (``dates``), and detect the language.

``Article.text`` is the body only, one paragraph per line; the headline is ``Article.title``. A headline
with no body (a feed entry or a dataset row with only a title, a body that only repeats the title, a
one-line file of a few words) is an article too: its text is empty, its title the whole headline, and the
quotes found in it are headline quotes, whose offsets refer to the title.

``Article.part``: for a single-document source, the article's position in the file (0 for a
plain article; 0, 1, ... for a compilation). For a record of a multi-record container (JSONL,
CSV, feed, JSON list) the record index: the container already delimits its articles, so a record
is never cut further (a cut would also make parts collide with other records' indexes).

Metadata precedence: what the container says (HTML meta, JSON fields, feed entry) over what the
text says for the date; for the outlet, a credit line in the text ("(Source: X)", "A/B") over the
container, because an aggregator page crediting X carries X's article; the agency named in a
wire dateline ("STOLGRAD, March 18 (Brevnia Today) -") only when nothing else names one.
"""

from __future__ import annotations

import re
from datetime import date

from parallax.ingest import clean, dates, language, split
from parallax.ingest.readers import Record
from parallax.ingest.sources import Limits, read_sources
from parallax.model import Article, Document, ItemError

__all__ = ["Limits", "Record", "prepare", "read_sources"]

MAX_TITLE = 160
# A headline with no body is kept whole (up to this long) since it is all the article says; a longer line is
# a paragraph and goes in the text.
MAX_HEADLINE = 400
MIN_HEADLINE_WORDS = 2
_HEADLINE_WORD = re.compile(r"[^\W\d_]{2,}")  # two letters at least: "A{A" is no headline
_FOLD = re.compile(r"[\W_]+")


def prepare(item: Record | Document) -> list[Article] | ItemError:
    """One read item -> its articles, or one ItemError saying why it holds none. Never raises."""
    record = item if isinstance(item, Record) else Record(item)
    try:
        return _prepare(record)
    except Exception as exc:  # one pathological item must not end a run of thousands
        return ItemError(record.label, f"could not clean ({exc.__class__.__name__}: {exc})")


def _prepare(record: Record) -> list[Article] | ItemError:
    doc = record.document
    lines = [line for line in clean.paragraphs(doc.text) if not clean.is_boilerplate(line)]
    outlets, lines = clean.take_multi_credit(lines)
    # A record of a dump or feed is one article by the container's own structure: never cut it.
    # (An item with no lines left may still have a headline in its metadata.)
    pieces = split.split_articles(lines, expected=len(outlets)) if record.index is None and lines else [lines]
    articles = []
    for position, piece in enumerate(pieces):
        credited = outlets[position] if position < len(outlets) else None
        article = _article(piece, doc, first=position == 0, outlet=credited, retrieved=record.retrieved)
        if article is None:
            continue
        part = position if record.index is None else record.index
        articles.append(Article(source=doc.source, part=part, url=doc.url, **article))
    if not articles:
        return ItemError(record.label, "no article text after cleaning")
    return articles


def _article(
    lines: list[str], doc: Document, *, first: bool, outlet: str | None, retrieved: date | None = None
) -> dict | None:
    credit, lines = clean.take_source_credit(lines)
    lines = clean.cut_tail(lines)
    if credit is None:
        credit, lines = clean.take_source_credit(lines)
    lines = [line for line in map(clean.strip_bullet, clean.drop_repeats(lines)) if not clean.is_boilerplate(line)]
    year = doc.published.year if doc.published else None
    stated, kept = dates.find_published(lines, year=year)
    if stated is None and year is None and retrieved is not None:
        stated, kept = dates.find_published(lines, year=retrieved.year)
        stated = _not_after(stated, retrieved)
    title, body = _headline(kept, doc.title if first else None)
    if not clean.has_sentence(body):
        title, body = _headline_only(_clean_name(doc.title if first else None) or (kept[0] if kept else ""))
        if not title and not body:
            return None
    lead = body[0] if body else ""
    published: date | None = doc.published or stated or dates.dateline_date(lead, year=year)
    if published is None and retrieved is not None:
        published = _not_after(dates.dateline_date(lead, year=retrieved.year), retrieved)
    dateline_outlet = clean.dateline_credit(lead)
    # The dateline is metadata (place, date, agency): keep it out of the text that quotes come from.
    body = [dates.strip_dateline(lead), *body[1:]] if body else []
    text = "\n".join(body)
    named = next(((name, via) for name, via in (
        (credit or outlet, "credit"), (_clean_name(doc.outlet), doc.outlet_via), (dateline_outlet, "dateline"),
    ) if name), (None, None))
    return {
        "title": title,
        "text": text,
        "outlet": named[0],
        "outlet_via": named[1],
        "published": published,
        "published_via": None if published is None else "metadata" if doc.published else "text",
        "language": language.detect(text or title, doc.language),
    }


def _headline_only(headline: str) -> tuple[str, list[str]]:
    """(title, body) of an item whose body holds no sentence: the whole headline and no body; a line too
    long for a headline is the body; ("", []) when there is no article at all."""
    if len(_HEADLINE_WORD.findall(headline)) < MIN_HEADLINE_WORDS or clean.is_tail_marker(headline):
        return "", []
    if len(headline) <= MAX_HEADLINE:
        return headline, []
    return (_shorten(headline), [headline]) if clean.has_sentence([headline]) else ("", [])


def _not_after(day: date | None, retrieved: date) -> date | None:
    """A date printed without a year is the latest such day on or before the item was retrieved."""
    if day is None or day <= retrieved:
        return day
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return None


def _fold(text: str) -> str:
    return _FOLD.sub(" ", text.casefold()).strip()


def _clean_name(name: str | None) -> str | None:
    name = clean.normalise(name).replace("\n", " ").strip() if name else None
    return name or None


def _headline(lines: list[str], meta_title: str | None) -> tuple[str, list[str]]:
    """The article's headline and its body.

    A title from metadata wins; the body's first line is dropped when it repeats it (pages put the
    <h1> in the text too, often with the site name appended to <title>). Otherwise the first line
    is the headline, unless it reads as a paragraph: then it stays in the body and a shortened
    copy serves as the title, so no article text is lost.
    """
    title = _clean_name(meta_title)
    if title:
        if lines and _repeats_title(lines[0], title):
            return _shorten(title), lines[1:]
        return _shorten(title), lines
    if not lines:
        return "", []
    first = lines[0]
    if clean.words(first) > 30 or (first.endswith(".") and clean.words(first) > 20) or len(lines) == 1:
        return _shorten(first), lines
    return _shorten(first), lines[1:]


def _repeats_title(line: str, title: str) -> bool:
    """"Talks resume" under the title "Talks resume | Velgrad Herald", or the other way round."""
    line_key, title_key = _fold(line), _fold(title)
    if line_key == title_key or title_key.startswith(line_key + " "):
        return True
    return line_key.startswith(title_key + " ") and clean.words(line) <= 25 and not line.endswith(".")


def _shorten(text: str) -> str:
    if len(text) <= MAX_TITLE:
        return text
    cut = text.rfind(" ", 0, MAX_TITLE - 1)
    return text[:cut if cut > 40 else MAX_TITLE - 1].rstrip(" ,;:-") + "…"
