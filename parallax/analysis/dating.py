"""A date for an article that states none, from its own date words anchored by the coverage it joins.

An undated report says "on Thursday", "yesterday", "March 4" or "last week": relative to an unknown day, so alone
they date nothing. Once the article has joined a story whose other reports are dated, those words can be read
against every day the article could have been published on: the day on which the most of them land on the days
the story's dated coverage spans is taken (the earliest such day: a report is written as soon as the event is
news). An expression that carries its year ("March 4, 2026") dates the article without the story: the article
was published on or after the latest such date in its lead. How a date was found is kept: "mention" (a full
date in the text), "story" (date words read against the story's dates).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from parallax.nlp.dates import resolve_date

LEAD_CHARS = 1500  # the lead says when the news happened; later paragraphs go back over the background
SLACK_DAYS = 7  # an article may appear up to a week after the coverage it joins, and refer back to it
_FULL_DATE = re.compile(
    r"\b(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2})\b",
    re.I,
)
_RELATIVE = re.compile(
    r"\b(?:(?:last|this|on|past)\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|\b(?:yesterday|today|tonight|last night|this morning|this afternoon|this evening)\b"
    r"|\blast week(?:end)?\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?!,?\s+\d{4})"
    r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b(?!,?\s+\d{4})",
    re.I,
)


def mentioned_date(text: str) -> date | None:
    """The latest full date (with its year) in the article's lead: it was published on or after it."""
    found = [d for m in _FULL_DATE.finditer(text[:LEAD_CHARS]) if (d := resolve_date(m[0], None))]
    return max(found) if found else None


def relative_expressions(text: str) -> list[str]:
    """The date words of the lead that need a publication day to mean a date."""
    return [m[0] for m in _RELATIVE.finditer(text[:LEAD_CHARS])]


def _resolve(expression: str, published: date) -> tuple[date, date] | None:
    """The days an expression may mean if the article appeared on ``published``."""
    lowered = expression.lower()
    if lowered.startswith("last week"):  # the seven days before the current week
        start = published - timedelta(days=published.weekday() + 7)
        return start, start + timedelta(days=6)
    day = resolve_date(expression, published)
    return (day, day) if day else None


def date_from_story(text: str, first: date, last: date) -> date | None:
    """The publication day on which the article's date words land most on the story's span [first, last]."""
    expressions = relative_expressions(text)
    if not expressions:
        return None
    best, best_hits = None, 0
    day = first
    while day <= last + timedelta(days=SLACK_DAYS):
        hits = 0
        for expression in expressions:
            meant = _resolve(expression, day)
            if meant and meant[0] <= last and meant[1] >= first:
                hits += 1
        if hits > best_hits:  # strictly more: the earliest day among equals
            best, best_hits = day, hits
        day += timedelta(days=1)
    return best


def infer_date(text: str, span: tuple[date | None, date | None]) -> tuple[date, str] | None:
    """(date, how) for an undated article's text joined to a story spanning ``span`` (None, None: no dated
    story), or None. A full date far from the story's span is background ("the 2014 accord"), not the news."""
    first, last = span
    stated = mentioned_date(text)
    if stated is not None and (first is None or first - timedelta(days=31) <= stated <= last + timedelta(days=31)):
        return stated, "mention"
    if first is None or last is None:
        return None
    found = date_from_story(text, first, last)
    return (found, "story") if found else None
