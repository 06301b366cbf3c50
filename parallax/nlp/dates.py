"""Resolving date expressions against an article's publication date.

Conventions (chosen because reported speech is about the past):
- a bare weekday ("Thursday", "on Thursday", "this Thursday") is the most recent such day on or before
  publication, the publication day itself included; "last Thursday" is strictly before it;
- "last August" is the first day of the most recent August strictly before the publication month;
  a bare month ("in August") is the first day of the most recent such month on or before it;
- a day and month without a year ("March 4") is the latest such date at most a month after publication;
- vague spans ("earlier this week", "last month", "recently") resolve to None rather than to a guess.
With no publication date only expressions that carry a year resolve.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}

_MONTH_RE = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY_RE = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR_RE = r"(\d{4})"

_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DMY = re.compile(rf"\b{_DAY_RE}\s+(?:of\s+)?{_MONTH_RE}(?:,?\s+{_YEAR_RE})?\b", re.I)
_MDY = re.compile(rf"\b{_MONTH_RE}\s+{_DAY_RE}\b(?:,?\s+{_YEAR_RE})?", re.I)
_WEEKDAY = re.compile(r"\b(last|this|past|on)?\s*(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b", re.I)
_MONTH_ONLY = re.compile(rf"\b(last|this|in|since|early|late|mid)?[\s-]*{_MONTH_RE}(?:\s+{_YEAR_RE})?\b", re.I)


def _month_number(word: str) -> int | None:
    return _MONTH_ABBR.get(word.lower().rstrip(".")[:4] if word.lower().startswith("sept") else word.lower()[:3])


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _closest_year(month: int, day: int, published: date) -> date | None:
    """The latest such date no more than a month after publication: reported events lie in the past."""
    candidates = [d for y in (published.year - 1, published.year, published.year + 1)
                  if (d := _make(y, month, day)) is not None and (d - published).days <= 31]
    return max(candidates) if candidates else None


def _absolute(text: str, published: date | None) -> date | None:
    if m := _ISO.search(text):
        return _make(int(m[1]), int(m[2]), int(m[3]))
    for regex, day_group, month_group in ((_MDY, 2, 1), (_DMY, 1, 2)):
        m = regex.search(text)
        if not m:
            continue
        month = _month_number(m[month_group])
        if month is None:
            continue
        day = int(m[day_group])
        if m[3]:
            return _make(int(m[3]), month, day)
        if published is not None:
            return _closest_year(month, day, published)
        return None
    return None


def resolve_date(expression: str, published: date | None) -> date | None:
    """Resolve a date expression ("on Thursday", "March 4", "2026-03-04") to a calendar date, or None."""
    if not expression or len(expression) > 120:
        return None
    text = " ".join(expression.split())
    lowered = text.lower()
    found = _absolute(text, published)
    if found is not None or published is None or _ISO.search(text) or _MDY.search(text) or _DMY.search(text):
        return found  # an impossible day ("February 30") is no date, not the first of the month
    if re.search(r"\b(today|tonight|this (morning|afternoon|evening))\b", lowered):
        return published
    if re.search(r"\b(yesterday|last night)\b", lowered):
        return published - timedelta(days=1)
    if m := _WEEKDAY.search(lowered):
        target = WEEKDAYS.index(m[2])
        back = (published.weekday() - target) % 7
        if m[1] == "last" and back == 0:
            back = 7
        return published - timedelta(days=back)
    if re.search(r"\b(earlier|later|this|last|next|past|coming)\s+(week|month|year|weekend)s?\b|\brecent", lowered):
        return None
    if m := _MONTH_ONLY.search(lowered):
        month = _month_number(m[2])
        if month is None or (m[2].lower() == "may" and not m[1] and not m[3]):
            return None  # a bare "may" is almost always the modal verb
        if m[3]:
            return _make(int(m[3]), month, 1)
        year = published.year if month < published.month or (month == published.month and m[1] != "last") else published.year - 1
        return date(year, month, 1)
    return None


# A dateline at the top of a wire story: "VELGRAD, March 4, 2026 (Wire) -".
_DATELINE = re.compile(r"^[A-Z][A-Z .'\-/]{1,40},\s+(.{6,40}?)\s*(?:\(|[-–—]|$)")
_LABELLED = re.compile(r"^\s*(?:published|posted|updated|date|first published)\s*(?:on|:)?\s*(.+)$", re.I)


def find_published(text: str) -> date | None:
    """Find a publication date in the first lines of a plain-text article, or None.

    Looks only at labelled lines ("Published: ...", "Posted ..."), wire datelines and short lines that are
    just a date, so a date mentioned in the story itself is not taken for the publication date.
    """
    lines = [line.strip() for line in text[:2000].splitlines() if line.strip()][:8]
    for line in lines:
        candidates = []
        if m := _LABELLED.match(line):
            candidates.append(m[1])
        if m := _DATELINE.match(line):
            candidates.append(m[1])
        if len(line) <= 60:
            candidates.append(line)
        for candidate in candidates:
            found = _absolute(candidate, None)
            if found is not None and 1900 <= found.year <= 2100:
                return found
    return None
