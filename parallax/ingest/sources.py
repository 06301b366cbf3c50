"""Where articles come from: files, directories, standard input, web pages and feeds.

``read_sources`` turns the user's list of sources into a stream of ``Record``s (a Document and
its index in its container) and ``ItemError``s. One bad item yields one ItemError naming it and
the run goes on; nothing raises. Limits are enforced before work is done: a file's size is
checked before it is read, a download's Content-Length before its body, and the body is cut off
as soon as it passes the cap.

Design of ``part``: model.Document has no place for "record 3 of this JSONL file", so the reader
wraps each Document in a ``Record(document, index, where)``. ``index`` is None for a source that
is one document and the 0-based record position for JSONL lines, CSV rows, feed entries and JSON
lists. ``prepare`` turns it into ``Article.part`` (see ``parallax.ingest``).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TextIO

from parallax.ingest.fetch import FetchError, fetch, human_size
from parallax.ingest.readers import (ReadError, Record, format_for_name, looks_like_feed, read_bytes, sniff_format,
                                     stream_jsonl)
from parallax.model import ItemError

__all__ = ["Limits", "Record", "read_sources", "STDIN"]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
STDIN = "-"
STDIN_NAME = "<stdin>"


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024  # per item (file or download)
    timeout: float = 15.0  # seconds per URL, for the whole exchange
    max_redirects: int = 5


def read_sources(sources: Iterable[str], *, allow_private: bool = False, limits: Limits = Limits(),
                 stdin: TextIO | None = None) -> Iterator[Record | ItemError]:
    """Every record of every source, in order; an ItemError for each item that cannot be read."""
    for source in sources:
        yield from _guarded(str(source), _one_source(str(source), allow_private, limits, stdin))


def _guarded(item: str, produced: Iterator[Record | ItemError]) -> Iterator[Record | ItemError]:
    """Turn any failure inside one source into one ItemError so the run goes on."""
    try:
        yield from produced
    except (ReadError, FetchError) as exc:
        yield ItemError(item, str(exc))
    except RecursionError:
        yield ItemError(item, "too deeply nested to read")
    except Exception as exc:  # a reader bug or a library choking on junk must not end the run
        yield ItemError(item, f"could not read ({exc.__class__.__name__}: {exc})")


def _one_source(source: str, allow_private: bool, limits: Limits, stdin: TextIO | None) -> Iterator[Record | ItemError]:
    if source == STDIN:
        yield from _read_stdin(stdin if stdin is not None else sys.stdin, limits)
        return
    lowered = source.lower()
    if lowered.startswith(("http://", "https://")):
        yield from _read_url(source, allow_private, limits)
        return
    if _SCHEME.match(source) and not os.path.exists(source):
        raise ReadError(f"unsupported URL scheme {source.split('://', 1)[0]!r} (only http and https)")
    path = Path(source).expanduser()
    if not path.exists():
        raise ReadError("no such file or directory")
    # A file is known by its real path: the same folder given as "corpus", "./corpus", its absolute path or
    # through a symlink is the same input, and re-ingesting it finds every article already stored.
    path = path.resolve()
    if path.is_dir():
        yield from _read_directory(path, limits)
    else:
        yield from _read_file(path, str(path), limits)


def _read_stdin(stream: TextIO, limits: Limits) -> Iterator[Record | ItemError]:
    binary = getattr(stream, "buffer", None)  # the real stdin: read bytes, decode like a file
    if binary is not None:
        data = binary.read(limits.max_bytes + 1)
    else:
        try:
            data = stream.read(limits.max_bytes + 1).encode("utf-8", errors="surrogateescape")
        except UnicodeDecodeError as exc:
            raise ReadError("not valid UTF-8 text") from exc
    if len(data) > limits.max_bytes:
        raise ReadError(f"too large (more than {human_size(limits.max_bytes)})")
    yield from _dated(read_bytes(STDIN_NAME, data, sniff_format(data), max_bytes=limits.max_bytes), date.today())


def _read_url(url: str, allow_private: bool, limits: Limits) -> Iterator[Record | ItemError]:
    fetched = fetch(url, allow_private=allow_private, max_bytes=limits.max_bytes,
                    timeout=limits.timeout, max_redirects=limits.max_redirects)
    fmt = sniff_format(fetched.body, fetched.content_type)
    if fmt not in ("feed", "html", "json", "jsonl", "csv"):
        fmt = "html" if "<" in fetched.body[:2048].decode("latin-1") else "text"
    # The source is the URL the user gave, so re-ingesting it finds the same articles.
    yield from _dated(read_bytes(url, fetched.body, fmt, charset=fetched.charset, url=fetched.url,
                                 max_bytes=limits.max_bytes), date.today())


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _read_directory(root: Path, limits: Limits) -> Iterator[Record | ItemError]:
    readable: list[Path] = []
    skipped = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            path = Path(dirpath) / name
            if name.startswith(".") or _hidden(path, root):
                continue
            if format_for_name(name) is None:
                skipped += 1
            else:
                readable.append(path)
    if not readable:
        detail = f" ({skipped} file{'s' if skipped != 1 else ''} of other types skipped)" if skipped else ""
        raise ReadError(f"no readable files in the directory{detail}")
    for path in sorted(readable):
        real = path.resolve()  # a symlink inside the folder is the file it points to
        yield from _guarded(str(real), _read_file(real, str(real), limits))


def _read_file(path: Path, source: str, limits: Limits) -> Iterator[Record | ItemError]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(f"cannot read ({exc.strerror or exc})") from exc
    if not path.is_file():
        raise ReadError("not a regular file")
    if size == 0:
        raise ReadError("empty file")
    saved = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).date()
    if size > limits.max_bytes and format_for_name(path.name) == "jsonl":
        # a dump of many articles: the limit is per line (per article), and the file is read as it goes
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise ReadError(f"cannot read ({exc.strerror or exc})") from exc
        with handle:
            yield from _dated(stream_jsonl(source, handle, limits.max_bytes), saved)
        return
    if size > limits.max_bytes:
        raise ReadError(f"too large ({human_size(size)} > {human_size(limits.max_bytes)})")
    try:
        with path.open("rb") as handle:
            data = handle.read(limits.max_bytes + 1)  # the file may grow between stat and read
    except OSError as exc:
        raise ReadError(f"cannot read ({exc.strerror or exc})") from exc
    if len(data) > limits.max_bytes:
        raise ReadError(f"too large (more than {human_size(limits.max_bytes)})")
    fmt = format_for_name(path.name)
    if fmt == "feed" and not looks_like_feed(data):
        raise ReadError("not an RSS or Atom feed")
    if fmt is None:
        fmt = sniff_format(data)
    yield from _dated(read_bytes(source, data, fmt, max_bytes=limits.max_bytes), saved)


def _dated(items: Iterator[Record | ItemError], retrieved: date) -> Iterator[Record | ItemError]:
    for item in items:
        yield replace(item, retrieved=retrieved) if isinstance(item, Record) else item
