"""Publication dates found in the text itself, for inputs that carry no metadata (text dumps).

Three places hold a date in a copied article, in order of trust:

* a labelled line: "Published: 2026-03-04", "Posted on March 4, 2026", "Updated 4 March 2026 10:32";
* a line near the top that is only a date ("March 4, 2026 10:32 GMT"), or a byline ending in one;
* a wire dateline opening the first paragraph: "VELGRAD, March 4, 2026 (Wire) - ...".

Labelled, date-only and byline lines are metadata, not article text, so they are removed; the
dateline is part of the first paragraph and stays. A date without a year ("VELGRAD, March 4
(Wire) -") is unknown (None) unless the caller knows the year: guessing it would shift every
relative date ("on Thursday") the NLP stage resolves against it.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    # Russian and Ukrainian genitive ("18 марта", "18 березня"): datelines of the other side's media.
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7, "августа": 8,
    "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    "січня": 1, "лютого": 2, "березня": 3, "квітня": 4, "травня": 5, "червня": 6, "липня": 7, "серпня": 8,
    "вересня": 9, "жовтня": 10, "листопада": 11, "грудня": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?\s+)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
# Each pattern matches a date at the start of a string; what may follow is checked by the caller.
_DATE_PATTERNS = [
    re.compile(r"(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?![\d])"),
    re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?!\d)"),
    re.compile(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4})(?!\d)"),
    re.compile(_WEEKDAY + _MONTH + r"\s+" + _DAY + r"(?:,?\s+" + _YEAR + r")?(?![\d])", re.I),
    re.compile(_WEEKDAY + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+" + _YEAR + r")?(?![\d])", re.I),
]
# After a date on a metadata line: a time, a zone, "at", separators, nothing that reads as prose.
_TRAILER = re.compile(
    r"(?:\s*(?:г|р)\.)?(?:\s*(?:,|\||-|–|—|(?i:at)\b))*\s*(?:\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?i:[ap]\.?m\.?)?)?"
    r"\s*(?:\(?(?:[A-Z]{2,5}|Z)?(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\)?)?\s*[.]?\s*$"
)
_LABEL = re.compile(
    r"^(?P<label>first published|published|posted|last updated|updated|date|dated|"
    r"опубликовано|опубліковано|дата публикации|дата публікації|дата|обновлено|оновлено|"
    r"veröffentlicht|aktualisiert|publié|mis à jour|publicado|actualizado)"
    r"(?:\s+(?:on|am|le|el))?\s*[:|\-–—]?\s*",
    re.I,
)
_BYLINE = re.compile(r"^(?i:by)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\b", re.UNICODE)
_LETTERS = r"(?:[^\W\d_]|[.'’ -])"
_DATELINE = re.compile(
    r"^(?P<place>[^\W\d_]" + _LETTERS + r"{1,40}?)(?:,\s*[^\W\d_]" + _LETTERS + r"{1,30}?)?,\s*(?P<rest>.{4,40}?)"
    r"\s*(?:\([^()]{1,40}\))?\s*(?:-|–|—|--)\s+\S"
)
_YEAR_MARK = re.compile(r"\s*(?:г|р)\.$")  # "18 марта 2026 г."


def _build(year: int | None, month: int, day: int) -> date | None:
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def match_date(text: str, *, year: int | None = None) -> tuple[date | None, int] | None:
    """A date at the start of ``text``: (the date or None if it cannot be known, chars consumed).

    Returns None when ``text`` does not start with a date at all. Slash dates are read as
    month/day or day/month only when one reading is impossible; "03/04/2026" stays unknown.
    """
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        groups = m.groupdict()
        found_year = int(groups["year"]) if groups.get("year") else year
        if "a" in groups:
            a, b = int(groups["a"]), int(groups["b"])
            if a > 12 >= b:
                return _build(found_year, b, a), m.end()
            if b > 12 >= a:
                return _build(found_year, a, b), m.end()
            return None, m.end()
        month_text = groups["month"]
        month = int(month_text) if month_text.isdigit() else MONTHS[month_text.lower()]
        return _build(found_year, month, int(groups["day"])), m.end()
    return None


def parse_date(text: str, *, year: int | None = None) -> date | None:
    """A string that is a date, maybe with a time ("2026-03-04T10:00:00Z", "March 4, 2026 10:32")."""
    text = " ".join(text.split())
    found = match_date(text, year=year)
    if found is None:
        return None
    value, end = found
    rest = text[end:]
    if rest.startswith("T") or not rest or _TRAILER.fullmatch(rest):
        return value
    return None


def _date_only(line: str, year: int | None) -> tuple[bool, date | None]:
    line = " ".join(line.split())  # runs of spaces would make the trailer pattern backtrack
    found = match_date(line, year=year)
    if found is None:
        return False, None
    value, end = found
    return bool(_TRAILER.fullmatch(line[end:])), value


def labelled_date(line: str, *, year: int | None = None) -> tuple[bool, date | None, str]:
    """(is a labelled date line, its date, the label) for "Published: March 4, 2026" and kin."""
    m = _LABEL.match(line)
    if not m or len(line.split()) > 12:
        return False, None, ""
    is_date, value = _date_only(line[m.end():], year)
    return is_date, value, m.group("label").lower()


def byline_date(line: str, *, year: int | None = None) -> tuple[bool, date | None]:
    """A short byline ("By Ana Kovac | March 4, 2026"): (is a byline, the date it carries)."""
    m = _BYLINE.match(line)
    if not m or len(line.split()) > 14 or line.rstrip().endswith((".", "?", "!", "”", '"')):
        return False, None
    rest = line[m.end():]
    for separator in ("|", "—", "–", " - ", ","):
        for piece in rest.split(separator):
            is_date, value = _date_only(piece.strip(), year)
            if is_date and value:
                return True, value
    return True, None


def dateline_date(paragraph: str, *, year: int | None = None) -> date | None:
    """The date of a wire dateline opening ``paragraph``, or None (no dateline, or no year)."""
    m = _DATELINE.match(paragraph)
    if not m:
        return None
    rest = _YEAR_MARK.sub("", m.group("rest"))
    found = match_date(rest, year=year)
    if found is None or found[1] != len(rest):
        return None
    return found[0]


def strip_dateline(paragraph: str) -> str:
    """The paragraph without its opening wire dateline ("STOLGRAD, March 18 (Agency) - ")."""
    m = _DATELINE.match(paragraph)
    if not m or dateline_date(paragraph, year=2000) is None:
        return paragraph
    return paragraph[m.end() - 1:]


def find_published(lines: list[str], *, year: int | None = None) -> tuple[date | None, list[str]]:
    """The publication date stated in an article body and the body without its metadata lines.

    ``lines`` are the body paragraphs (headline excluded), one per item.
    """
    labelled: dict[str, date] = {}
    loose: list[date] = []
    kept: list[str] = []
    for i, line in enumerate(lines):
        is_label, value, label = labelled_date(line, year=year)
        if is_label:
            if value:
                labelled.setdefault(label, value)
            continue
        near_top = len(kept) < 3
        if near_top:
            is_date, value = _date_only(line, year)
            if is_date:
                if value:
                    loose.append(value)
                continue
            is_byline, value = byline_date(line, year=year)
            if is_byline:
                if value:
                    loose.append(value)
                continue
        kept.append(line)
    for label in ("first published", "published", "posted", "date", "dated", "опубликовано", "опубліковано",
                  "дата публикации", "дата публікації", "дата", "veröffentlicht", "publié", "publicado"):
        if label in labelled:
            return labelled[label], kept
    if loose:
        return loose[0], kept
    if labelled:  # only an "Updated" line: later than publication, but the best we have
        return next(iter(labelled.values())), kept
    if kept:
        return dateline_date(kept[0], year=year), kept
    return None, kept
