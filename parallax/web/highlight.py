"""An article's text cut into segments that carry what covers them (a quote, a speaker, a name).

Stored spans can overlap (a name inside a quote, a speaker that is also a name) or be junk (out of range,
empty, reversed): cutting at every boundary gives flat segments that never nest badly and never crash.
The template escapes each segment's text; nothing here builds HTML.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

MAX_SPANS = 5000  # a runaway analysis must not make a page of a million spans


@dataclass(frozen=True)
class Segment:
    text: str
    quote_id: int | None = None  # the innermost quote covering it
    quote_kind: str | None = None
    quote_start: bool = False  # first segment of that quote: carries its anchor
    actor_id: str | None = None  # a resolved name or speaker: linked to the actor page
    name: bool = False  # inside a name mention (resolved or not)
    speaker: bool = False  # inside the speaker mention of a quote


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    what: str  # quote | speaker | name
    ref: object = None  # quote: (id, kind); speaker/name: actor id or None


def spans_of(article: dict) -> list[Span]:
    spans: list[Span] = []
    for q in article.get("quotes", ()):
        if q.get("in_title"):
            continue  # a headline quote's offsets refer to the title, not to this text
        spans.append(Span(q["start"], q["end"], "quote", (q["id"], q["kind"])))
        if q.get("speaker_start") is not None and q.get("speaker_end") is not None:
            spans.append(Span(q["speaker_start"], q["speaker_end"], "speaker", q.get("actor_id")))
    for m in article.get("mentions", ()):
        spans.append(Span(m["start"], m["end"], "name", m.get("actor_id")))
    return spans


def segments(text: str, spans: list[Span]) -> list[Segment]:
    n = len(text)
    clean = [
        Span(max(0, s.start), min(n, s.end), s.what, s.ref)
        for s in spans[:MAX_SPANS]
        if isinstance(s.start, int) and isinstance(s.end, int) and max(0, s.start) < min(n, s.end)
    ]
    cuts = sorted({0, n, *(s.start for s in clean), *(s.end for s in clean)})
    # Per piece between two cuts, the spans covering it; spans are few per article, so a sweep is enough.
    covering: list[list[Span]] = [[] for _ in range(len(cuts) - 1)]
    for s in clean:
        for i in range(bisect_left(cuts, s.start), bisect_left(cuts, s.end)):
            covering[i].append(s)
    out: list[Segment] = []
    started: set[int] = set()
    for i in range(len(cuts) - 1):
        piece = text[cuts[i] : cuts[i + 1]]
        if not piece:
            continue
        here = covering[i]
        quotes = [s for s in here if s.what == "quote"]
        quote = min(quotes, key=lambda s: (s.end - s.start, s.start)) if quotes else None
        names = [s for s in here if s.what in ("speaker", "name")]
        actor = next((s.ref for s in sorted(names, key=lambda s: s.end - s.start) if s.ref), None)
        quote_id = quote.ref[0] if quote else None
        first = quote_id is not None and quote_id not in started
        if first:
            started.add(quote_id)
        out.append(
            Segment(
                text=piece,
                quote_id=quote_id,
                quote_kind=quote.ref[1] if quote else None,
                quote_start=first,
                actor_id=actor,
                name=bool(names),
                speaker=any(s.what == "speaker" for s in here),
            )
        )
    return out
