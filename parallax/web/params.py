"""Reading query parameters leniently (a form sends empty strings; a bad date is a note, not a crash) and
writing lists as JSON or CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, is_dataclass
from datetime import date

from parallax.knowledge.names import alias_key
from parallax.store import actor_read

KINDS = ("direct", "mixed", "indirect")


def text(value: str | None, limit: int = 200) -> str | None:
    value = (value or "").strip()
    return value[:limit] or None


def day(value: str | None, name: str, problems: list[str]) -> date | None:
    value = text(value, 40)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(f"{name}: not a date like 2026-03-04 ({value!r}), ignored")
        return None


def page(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100_000))
    except ValueError:
        return 1


def quote_filters(site, raw: dict) -> tuple[dict, list[str]]:
    problems: list[str] = []
    filters = {key: text(raw.get(key)) for key in ("text", "speaker", "outlet", "camp", "kind")}
    if filters["kind"] and filters["kind"] not in KINDS:
        problems.append(f"kind: one of {', '.join(KINDS)}, not {filters['kind']!r}; ignored")
        filters["kind"] = None
    speaker = filters["speaker"]
    if speaker and not actor_read.actor_exists(site.store, speaker):
        found = actor_read.actor_by_name(site.store, alias_key(speaker))
        if len(found) == 1:
            filters["speaker"] = found[0]
        else:
            problems.append(f"speaker: {'no actor' if not found else 'several actors'} named {speaker!r}")
            filters["speaker"] = found[0] if found else "\0none"
    filters["since"] = day(raw.get("since"), "since", problems)
    filters["until"] = day(raw.get("until"), "until", problems)
    return filters, problems


def plain(value):
    """Page data as JSON-ready values: dataclasses to dicts, dates to ISO strings, tuples and sets to lists."""
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, str) else k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in (sorted(value) if isinstance(value, set) else value)]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _cell(value) -> str:
    value = "" if value is None else (value.isoformat() if isinstance(value, date) else str(value))
    # Article text is untrusted: a cell starting like a formula must not run in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def to_csv(rows: list[dict], fields: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(fields)
    for row in rows:
        writer.writerow([_cell(row.get(f)) for f in fields])
    return out.getvalue()
