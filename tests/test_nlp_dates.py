from datetime import date

import pytest

from parallax.nlp.dates import find_published, resolve_date

THURSDAY = date(2026, 3, 5)


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("on Thursday", date(2026, 3, 5)),  # same weekday as publication: that day
        ("Thursday", date(2026, 3, 5)),
        ("on Monday", date(2026, 3, 2)),
        ("Friday", date(2026, 2, 27)),  # weekdays point back into the past week
        ("last Friday", date(2026, 2, 27)),
        ("last Thursday", date(2026, 2, 26)),  # "last" never means the publication day itself
        ("Tuesday night", date(2026, 3, 3)),
        ("yesterday", date(2026, 3, 4)),
        ("today", date(2026, 3, 5)),
        ("last August", date(2025, 8, 1)),
        ("last March", date(2025, 3, 1)),
        ("in February", date(2026, 2, 1)),
        ("March 4", date(2026, 3, 4)),
        ("4 March 2026", date(2026, 3, 4)),
        ("March 4, 2025", date(2025, 3, 4)),
        ("2026-03-04", date(2026, 3, 4)),
        ("December 30", date(2025, 12, 30)),  # the latest such date, not months ahead
        ("March 20", date(2026, 3, 20)),  # a few weeks ahead is still this year
        ("Sept. 1", date(2025, 9, 1)),
    ],
)
def test_expressions_resolve_against_the_publication_date(expression, expected):
    assert resolve_date(expression, THURSDAY) == expected


@pytest.mark.parametrize("vague", ["earlier this week", "last month", "recently", "next week", "may", "soon", ""])
def test_vague_spans_do_not_resolve(vague):
    assert resolve_date(vague, THURSDAY) is None


def test_without_publication_date_only_absolute_dates_resolve():
    assert resolve_date("on Thursday", None) is None
    assert resolve_date("March 4", None) is None
    assert resolve_date("yesterday", None) is None
    assert resolve_date("4 March 2026", None) == date(2026, 3, 4)
    assert resolve_date("2026-03-04", None) == date(2026, 3, 4)


def test_impossible_dates_are_none_not_errors():
    assert resolve_date("February 30, 2026", THURSDAY) is None
    assert resolve_date("2026-13-45", None) is None
    assert resolve_date("x" * 10_000, THURSDAY) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("VELGRAD, March 4, 2026 (Wire) - Talks resumed on Wednesday.", date(2026, 3, 4)),
        ("Korvia says corridor open\nPublished: 2026-03-04\nThe corridor opened.", date(2026, 3, 4)),
        ("\nKorvia says corridor open\n4 March 2026\nTalks began on 5 May 2020 in Ostrava.", date(2026, 3, 4)),
        ("Headline\nPosted Mar 2, 2026 10:15 GMT\nBody text.", date(2026, 3, 2)),
        ("Headline\nUpdated on 1 February 2026\nBody text.", date(2026, 2, 1)),
    ],
)
def test_publication_date_found_at_the_top(text, expected):
    assert find_published(text) == expected


def test_a_date_inside_the_story_is_not_a_publication_date():
    text = ("Velkova recalls the siege\n"
            "Mara Velkova, who led the city's defence during the long siege that ended on 5 May 2020, "
            "said she would return to Ostrava for the anniversary.")
    assert find_published(text) is None
    assert find_published("") is None
