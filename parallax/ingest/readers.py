"""Bytes of one item -> Records: decode, recognise the format, pull text and metadata out.

A Record is one Document plus where it sat in its container. Containers that hold many records
(JSONL lines, CSV rows, feed entries, a JSON list) number them from 0, and that index becomes the
article's ``part``; a source that is one document (a text file, a page, one JSON object) has
index None. A broken record is reported on its own and its neighbours still come through.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import json
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from typing import Any, BinaryIO

from parallax.ingest.dates import parse_date
from parallax.ingest.fetch import human_size
from parallax.model import Document, ItemError


@dataclass(frozen=True)
class Record:
    """One Document and its place in its container.

    ``index``: 0-based position among the records of a multi-record container, None when the
    source is a single document. ``where``: the position as a user reads it ("line 4", "row 3",
    "entry 2"), for error messages.
    """

    document: Document
    index: int | None = None
    where: str | None = None
    # When the item was saved or fetched: the reference for dates printed without a year
    # ("STOLGRAD, March 18 (Agency) -"), which are taken as the latest such day not after it.
    retrieved: date | None = None

    @property
    def label(self) -> str:
        source = self.document.source
        return f"{source} ({self.where})" if self.where else source


class ReadError(Exception):
    """The item as a whole cannot be read; the message is the human reason."""


FORMATS = ("text", "markdown", "html", "json", "jsonl", "csv", "feed")
_EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".tsv": "csv",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
}


def format_for_name(name: str) -> str | None:
    """The format an extension promises, or None for an extension we do not read."""
    dot = name.rfind(".")
    return _EXTENSIONS.get(name[dot:].lower()) if dot >= 0 else None


_FEED_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S | re.I)
_HTML_START = re.compile(rb"^\s*(?:<!doctype html|<html|<head|<body|<article|<!--|<div|<p[\s>])", re.I)


def looks_like_feed(data: bytes) -> bool:
    return bool(_FEED_START.match(data[:4096].lstrip(codecs.BOM_UTF8)))


def sniff_format(data: bytes, content_type: str = "") -> str:
    """The format of content whose name says nothing (stdin, a URL, an unknown extension)."""
    head = data[:4096].lstrip(codecs.BOM_UTF8)
    if "rss" in content_type or "atom" in content_type or looks_like_feed(head):
        return "feed"
    if "html" in content_type or _HTML_START.match(head):
        return "html"
    if "json" in content_type or head.lstrip()[:1] in (b"{", b"["):
        lines = [line for line in head.splitlines() if line.strip()]
        if len(lines) > 1 and all(line.lstrip().startswith(b"{") for line in lines[:3]):
            return "jsonl"
        return "json"
    if "csv" in content_type:
        return "csv"
    return "text"


def _control_count(text: str) -> int:
    return sum(1 for c in text if (c < " " and c not in "\t\n\r\f") or "\x7f" <= c <= "\x9f")


def _cyrillic_in_disguise(text: str) -> str | None:
    """cp1252 turns Windows-1251 Russian or Ukrainian into Latin-1 letters ("Ïåðåãîâîðû"). When
    most letters come out accented, read the bytes as cp1251 and keep that if it is Cyrillic."""
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(c > "\x7f" for c in letters) < 0.3 * len(letters):
        return None
    try:
        recoded = text.encode("cp1252").decode("cp1251")
    except (UnicodeError, LookupError):
        return None
    cyrillic = sum("\u0400" <= c <= "\u04ff" for c in recoded)
    return recoded if cyrillic >= 0.5 * len(letters) else None


def decode(data: bytes, charset: str | None = None) -> str:
    """Bytes -> text. UTF-8 first (with or without BOM; bytes in another encoding almost never
    pass as valid UTF-8, while declared charsets are often wrong), UTF-16 with a BOM, then the
    declared charset, then cp1252 (old Windows exports), accepted silently only if it yields no
    control characters, and re-read as cp1251 when it is plainly Cyrillic in disguise."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError("not valid UTF-16 text") from exc
    if b"\x00" in data[:65536]:
        raise ReadError("binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        # A stray escape or ^Z in a long text is noise (cleaning drops it); many are a binary file.
        if _control_count(text) > max(2, len(text) // 100):
            raise ReadError("binary file, not text")
        return text
    if charset:
        try:
            text = data.decode(charset)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            if not _control_count(text):
                return text
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ReadError("not valid UTF-8 text") from exc
    if _control_count(text):
        raise ReadError("not valid UTF-8 text")
    return _cyrillic_in_disguise(text) or text


# --- HTML ------------------------------------------------------------------------------------

_BLOCK_END = re.compile(r"<\s*(?:br\s*/?|/\s*(?:p|div|li|h[1-6]|blockquote|tr|section|article|header|footer))\s*>"
                        r"|<\s*(?:p|div|li|h[1-6]|blockquote|tr)\b[^>]*>", re.I)
_DROP = re.compile(r"<\s*(script|style|noscript|template)\b.*?<\s*/\s*\1\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]{0,2000}>")


def fragment_text(markup: str) -> str:
    """A feed summary or a JSON field holding HTML -> one paragraph per line."""
    if "<" not in markup:
        return html.unescape(markup)
    markup = _DROP.sub(" ", markup)
    markup = _BLOCK_END.sub("\n", markup)
    return html.unescape(_TAG.sub("", markup))


_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)", re.I)


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_-]{2,30})""", re.I)


def _meta_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else None


def read_html(source: str, data: bytes, charset: str | None = None, url: str | None = None) -> Record:
    import trafilatura

    text = decode(data, charset or _meta_charset(data))
    extracted = trafilatura.bare_extraction(
        text, url=url, with_metadata=True, include_comments=False, include_tables=False,
        favor_recall=True, date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = getattr(extracted, "text", None) if extracted is not None else None
    if not body or not body.strip():
        raise ReadError("no article text found in the HTML")
    lang = _HTML_LANG.search(text[:5000])
    return Record(Document(
        source=source, text=body, title=getattr(extracted, "title", None) or None,
        outlet=getattr(extracted, "sitename", None) or None, outlet_via="metadata",
        published=parse_date(getattr(extracted, "date", None) or ""),
        url=url or getattr(extracted, "url", None) or None,
        language=lang.group(1) if lang else None,
    ))


# --- records (JSON, JSONL, CSV) ---------------------------------------------------------------

_FIELDS = {
    "text": ("text", "content", "body", "article", "full_text", "fulltext", "article_text", "description"),
    "title": ("title", "headline", "heading"),
    "url": ("url", "link", "href", "permalink"),
    "outlet": ("outlet", "source", "site", "publisher", "site_name", "sitename", "source_name"),
    "published": ("published", "date", "published_at", "publishedat", "pubdate", "datetime", "time",
                  "published_date", "publication_date", "created_at", "date_published", "datepublished",
                  "publish_date", "pub_date", "published_on", "date_publish"),
    "language": ("language", "lang"),
}


def _field(obj: dict[str, Any], name: str) -> Any:
    lowered = {str(key).lower(): value for key, value in obj.items()}
    for key in _FIELDS[name]:
        value = lowered.get(key)
        if isinstance(value, dict):  # {"source": {"id": ..., "name": "Velgrad Herald"}}
            value = value.get("name") or value.get("title")
        if value not in (None, ""):
            return value
    return None


def _as_date(value: Any) -> date | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 1e14:
        seconds = value / 1000 if value > 1e11 else value  # Unix time, in s or ms
        return datetime.fromtimestamp(seconds, tz=timezone.utc).date()
    return parse_date(str(value)) if value is not None else None


def record_document(source: str, obj: Any) -> Document:
    """One JSON object or CSV row -> Document; ReadError if it holds neither text nor a title. A title alone is
    a headline-only item (a feed entry, a dataset of headlines): it comes through with empty text."""
    if not isinstance(obj, dict):
        raise ReadError(f"expected an object, found {type(obj).__name__}")
    text = _field(obj, "text")
    title, outlet, url, lang = (_field(obj, key) for key in ("title", "outlet", "url", "language"))
    if not isinstance(text, str) or not text.strip():
        if title is None or not str(title).strip():
            raise ReadError("no text field (text, content or body) and no title")
        text = ""
    return Document(
        source=source, text=fragment_text(text) if "</" in text or "<br" in text else text,
        title=str(title) if title is not None else None, outlet=str(outlet) if outlet is not None else None,
        published=_as_date(_field(obj, "published")), url=str(url) if url is not None else None,
        language=str(lang) if lang is not None else None,
    )


def read_json(source: str, text: str) -> Iterator[Record | ItemError]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    if isinstance(value, dict):
        nested = next((value[key] for key in ("articles", "items", "data", "results")
                       if isinstance(value.get(key), list)), None)
        if nested is None:
            yield Record(record_document(source, value))
            return
        value = nested
    if not isinstance(value, list) or not value:
        raise ReadError("JSON holds no article objects")
    for i, obj in enumerate(value):
        try:
            yield Record(record_document(source, obj), i, f"item {i + 1}")
        except ReadError as exc:
            yield ItemError(source, f"item {i + 1}: {exc}")


def read_jsonl(source: str, text: str) -> Iterator[Record | ItemError]:
    yield from _jsonl_records(source, enumerate(text.splitlines(), start=1))


def stream_jsonl(source: str, handle: BinaryIO, max_line: int) -> Iterator[Record | ItemError]:
    """The records of a JSON-lines file too large to read at once (a dump of years of news), line by line: each
    line is one item, under the per-item size limit, so memory stays flat however large the file."""
    def lines() -> Iterator[tuple[int, str | ReadError]]:
        number = 0
        while raw := handle.readline(max_line + 1):
            number += 1
            if len(raw) > max_line and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # the rest of the line goes unread
                    raw = handle.readline(1 << 20)
                yield number, ReadError(f"too large (more than {human_size(max_line)})")
                continue
            try:
                yield number, decode(raw)
            except ReadError as exc:
                yield number, exc

    yield from _jsonl_records(source, lines())


def _jsonl_records(source: str, lines: Iterable[tuple[int, str | ReadError]]) -> Iterator[Record | ItemError]:
    index = 0
    for number, line in lines:
        where = f"line {number}"
        if isinstance(line, ReadError):
            yield ItemError(source, f"{where}: {line}")
            index += 1
            continue
        if not line.strip():
            continue
        try:
            yield Record(record_document(source, json.loads(line)), index, where)
        except json.JSONDecodeError as exc:
            yield ItemError(source, f"{where}: not valid JSON ({exc.msg})")
        except RecursionError:  # one line nested too deep must not cost the lines after it
            yield ItemError(source, f"{where}: too deeply nested to read")
        except ReadError as exc:
            yield ItemError(source, f"{where}: {exc}")
        index += 1
    if index == 0:
        raise ReadError("no JSON lines")


def read_csv(source: str, text: str, max_field: int) -> Iterator[Record | ItemError]:
    # Sniffing a whole sample of prose full of commas guesses wrong; the header line does not lie.
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if source.lower().endswith(".tsv") else max(",;\t|", key=first_line.count)
    csv.field_size_limit(max(max_field, 131072))
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [str(name).strip().lower() for name in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise ReadError(f"malformed CSV header ({exc})") from exc
    if not any(name in _FIELDS["text"] or name in _FIELDS["title"] for name in header):
        raise ReadError("CSV has no text column (text, content or body) and no title column")
    index = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield ItemError(source, f"malformed CSV at line {reader.line_num}: {exc}; rest of file skipped")
            return
        where = f"row {index + 1}"
        if None in row:  # more cells than header names: the columns are shifted, the row is unsafe
            yield ItemError(source, f"{where}: more cells than columns")
        else:
            try:
                yield Record(record_document(source, row), index, where)
            except ReadError as exc:
                yield ItemError(source, f"{where}: {exc}")
        index += 1
    if index == 0:
        raise ReadError("CSV has a header but no rows")


# --- feeds -------------------------------------------------------------------------------------

def _struct_date(value: Any) -> date | None:
    if isinstance(value, time.struct_time):
        try:
            return date(value.tm_year, value.tm_mon, value.tm_mday)
        except ValueError:
            return None
    return None


def read_feed(source: str, data: bytes) -> Iterator[Record | ItemError]:
    import feedparser

    if not looks_like_feed(data):
        raise ReadError("not an RSS or Atom feed")
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries:
        reason = parsed.get("bozo_exception")
        raise ReadError(f"malformed feed ({reason})" if reason else "feed has no entries")
    channel = parsed.get("feed", {})
    channel_title = channel.get("title") or None
    language = channel.get("language") or None
    results: list[Record | ItemError] = []
    for i, entry in enumerate(entries):
        where = f"entry {i + 1}"
        contents = entry.get("content") or []
        markup = max((c.get("value", "") for c in contents), key=len, default="") or entry.get("summary", "")
        text = fragment_text(markup)
        if not text.strip() and not (entry.get("title") or "").strip():
            results.append(ItemError(source, f"{where}: no text and no title in the entry"))
            continue
        entry_source = entry.get("source") or {}
        results.append(Record(Document(
            source=source, text=text, title=entry.get("title") or None,
            outlet=entry_source.get("title") or channel_title,
            published=_struct_date(entry.get("published_parsed") or entry.get("updated_parsed")),
            url=entry.get("link") or None, language=language,
        ), i, where))
    if parsed.get("bozo") and not any(isinstance(r, Record) for r in results):
        # A truncated feed parses into empty shells; one error for the file says more than one per shell.
        raise ReadError(f"malformed feed ({parsed.get('bozo_exception')})")
    yield from results


# --- dispatch ----------------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.M)
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.{1,300}?)(?<=\S)\1")


def markdown_text(text: str) -> str:
    """The prose of a Markdown file: headings, links and bold markers removed, words kept."""
    text = _MD_HEADING.sub("", text)
    text = _MD_LINK.sub(r"\1", text)
    return _MD_EMPHASIS.sub(r"\2", text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(record: Record | ItemError) -> Record | ItemError:
    """A JSON escape ("\\ud800") or a character reference can carry half of a UTF-16 pair into a string; no
    database can store it, so it becomes U+FFFD like any other undecodable character."""
    if isinstance(record, ItemError):
        return record
    doc = record.document
    fields = {k: _SURROGATE.sub("\ufffd", v) for k in ("text", "title", "outlet", "url", "language")
              if isinstance(v := getattr(doc, k), str) and _SURROGATE.search(v)}
    return replace(record, document=replace(doc, **fields)) if fields else record


def read_bytes(source: str, data: bytes, fmt: str, *, charset: str | None = None, url: str | None = None,
               max_bytes: int = 20 * 1024 * 1024) -> Iterator[Record | ItemError]:
    """All records of one item. Raises ReadError when the item as a whole is unusable."""
    for record in _read_bytes(source, data, fmt, charset=charset, url=url, max_bytes=max_bytes):
        yield _encodable(record)


def _read_bytes(source: str, data: bytes, fmt: str, *, charset: str | None, url: str | None,
                max_bytes: int) -> Iterator[Record | ItemError]:
    if not data.strip():
        raise ReadError("empty file" if url is None else "empty response")
    if fmt == "feed":
        yield from read_feed(source, data)
        return
    if fmt == "html":
        yield read_html(source, data, charset, url)
        return
    text = decode(data, charset)
    if not text.strip():
        raise ReadError("empty file")
    if fmt == "json":
        yield from read_json(source, text)
    elif fmt == "jsonl":
        yield from read_jsonl(source, text)
    elif fmt == "csv":
        yield from read_csv(source, text, max_bytes)
    else:
        body = markdown_text(text) if fmt == "markdown" else text
        yield Record(Document(source=source, text=body, url=url))
