"""Publication dates stated in article text."""

from __future__ import annotations

from datetime import date

import pytest

from parallax.ingest.dates import dateline_date, find_published, parse_date

D = date(2026, 3, 4)


@pytest.mark.parametrize("text, expected", [
    ("2026-03-04", D), ("2026-03-04T10:00:00Z", D), ("2026-03-04 10:32:00+02:00", D),
    ("March 4, 2026", D), ("Mar. 4th 2026, 10:32 a.m. EST", D), ("4 March 2026 10:32", D),
    ("Wed, 04 Mar 2026 10:00:00 +0000", D), ("04.03.2026", D), ("13/04/2026", date(2026, 4, 13)),
    ("4 марта 2026 г.", D), ("4 березня 2026", D),
    ("03/04/2026", None),  # month/day or day/month: unknowable, so unknown
    ("March 4", None), ("March 4, 2026 said the minister", None), ("2026-02-30", None), ("", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("line", [
    "Published: 2026-03-04", "Posted on March 4, 2026", "Published 4 March 2026 10:32 GMT",
    "Updated: March 4, 2026 at 10:32", "Опубликовано: 04.03.2026", "March 4, 2026", "By Ana Kovac | March 4, 2026",
])
def test_metadata_lines_give_the_date_and_leave_the_body(line):
    body = ["Valdoria is ready to resume talks, Brisk said on Thursday."]
    assert find_published([line, *body]) == (D, body)


def test_published_beats_updated():
    lines = ["Updated: 2026-03-06", "Published: 2026-03-04", "Talks resumed on Thursday, Brisk said."]
    assert find_published(lines)[0] == D


def test_prose_that_starts_like_a_label_is_kept():
    lines = ["Published reports said on March 4, 2026 that the talks had failed."]
    assert find_published(lines) == (None, lines)


@pytest.mark.parametrize("paragraph, year, expected", [
    ("VELGRAD, March 4, 2026 (Northern Wire) - Talks resumed.", None, D),
    ("VELGRAD, Valdoria, 4 March 2026 — Talks resumed.", None, D),
    ("VELGRAD, March 4 (Northern Wire) - Talks resumed.", None, None),
    ("VELGRAD, March 4 (Northern Wire) - Talks resumed.", 2026, D),
    ("The talks, on March 4, 2026 - ended.", None, None),
])
def test_dateline(paragraph, year, expected):
    assert dateline_date(paragraph, year=year) == expected
