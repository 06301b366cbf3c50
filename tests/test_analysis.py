"""Stories, statements and camps as pure functions."""

from __future__ import annotations

from datetime import date

from parallax.analysis.camps import OutletDirectory
from parallax.analysis.statements import StatementIndex
from parallax.analysis.stories import DocumentFrequencies, StoryIndex, StoryState, article_vector
from parallax.model import Camp, CampRule, Outlet

TALKS = [
    ("Valdoria ready for ceasefire talks in Kessholm", "Valdoria said it would send a delegation to the ceasefire "
     "talks in Kessholm. The mediator welcomed the offer of talks on a corridor and a prisoner exchange."),
    ("Korvany cool on Kessholm ceasefire talks", "Korvany said the ceasefire talks in Kessholm must address the "
     "withdrawal of troops. The mediator said the corridor and prisoner exchange were on the agenda."),
    ("Corridor deal reached in Kessholm talks", "Negotiators in Kessholm agreed a humanitarian corridor and a "
     "prisoner exchange, the mediator said after the ceasefire talks."),
]
FOOTBALL = [
    ("Athletic win the cup final", "Athletic beat Sporting 2-1 in the cup final. The striker scored a late header "
     "and the coach praised the defence after the final whistle in the stadium."),
    ("Late header settles cup final", "A late header from the striker gave Athletic the cup final against Sporting; "
     "the coach said the stadium had never been louder."),
]


def _cluster(docs, start=date(2026, 3, 1)):
    index = StoryIndex([], DocumentFrequencies())
    assigned = []
    for i, (title, text) in enumerate(docs):
        vector = article_vector(title, text)
        story, _score = index.best(vector, start)
        if story is None:
            story = StoryState(None, title, None, None)
        index.add(story, vector, start)
        assigned.append(story)
    return assigned


def test_articles_about_one_event_share_a_story_and_others_do_not():
    assigned = _cluster([TALKS[0], FOOTBALL[0], TALKS[1], FOOTBALL[1], TALKS[2]])
    talks = {id(assigned[i]) for i in (0, 2, 4)}
    football = {id(assigned[i]) for i in (1, 3)}
    assert len(talks) == 1 and len(football) == 1 and talks != football


def test_a_long_gap_in_time_opens_a_new_story():
    index = StoryIndex([], DocumentFrequencies())
    first = StoryState(None, "talks", None, None)
    vector = article_vector(*TALKS[0])
    index.add(first, vector, date(2020, 1, 1))
    story, _ = index.best(article_vector(*TALKS[1]), date(2026, 1, 1))
    assert story is None
    story, _ = index.best(article_vector(*TALKS[1]), date(2020, 1, 3))
    assert story is first


def test_a_packed_story_reads_and_scores_exactly_as_its_dict():
    """Stories that stopped growing are held packed; every score must stay what the dict gave, to the last bit,
    or the same articles would cluster differently depending on when a story was packed."""
    from parallax.analysis.packed_terms import PackedWeights, Vocabulary
    from parallax.analysis.stories import cosine, idf_weighted

    freqs = DocumentFrequencies()
    vectors = [article_vector(title, text) for title, text in TALKS + FOOTBALL]
    for vector in vectors:
        freqs.add(vector)
    centroid: dict[str, float] = {}
    for vector in vectors[:3]:
        for term, weight in vector.items():
            centroid[term] = centroid.get(term, 0.0) + weight
    vocabulary = Vocabulary()
    packed = PackedWeights(centroid, vocabulary)
    assert packed.items() == list(centroid.items()) and list(packed) == list(centroid)
    assert len(packed) == len(centroid)
    assert "kessholm" in packed and packed["kessholm"] == centroid["kessholm"] and "stadium" not in packed
    for vector in vectors:
        weighted = idf_weighted(vector, freqs)
        assert cosine(vector, packed, freqs, weighted=weighted) == cosine(vector, centroid, freqs, weighted=weighted)
    assert cosine(vectors[3], packed, freqs, weighted=idf_weighted(vectors[3], freqs)) == 0.0  # football: no terms


def test_an_idle_story_is_packed_and_grows_again_when_an_article_joins_it(monkeypatch):
    monkeypatch.setattr(StoryIndex, "PACK_AFTER", 1)
    index = StoryIndex([], DocumentFrequencies())
    talks, football = StoryState(None, "talks", None, None), StoryState(None, "football", None, None)
    index.add(talks, article_vector(*TALKS[0]), date(2026, 3, 1))
    index.add(football, article_vector(*FOOTBALL[0]), date(2026, 3, 1))
    assert talks.packed and not football.packed
    story, _ = index.best(article_vector(*TALKS[1]), date(2026, 3, 2))
    assert story is talks
    index.add(talks, article_vector(*TALKS[1]), date(2026, 3, 2))
    assert not talks.packed and football.packed and talks.size == 2
    assert index.best(article_vector(*FOOTBALL[1]), date(2026, 3, 2))[0] is football


def test_the_same_words_reported_twice_are_one_statement():
    index = StatementIndex()
    first, new = index.place("brask", "We will not leave the table first", date(2026, 3, 4))
    assert new
    again, new = index.place("brask", "we will not be the first to leave the table", date(2026, 3, 5))
    assert again is first and not new
    other, new = index.place("brask", "The harvest will be a third smaller this year", date(2026, 3, 5))
    assert new and other is not first
    someone_else, new = index.place("okoro", "We will not leave the table first", date(2026, 3, 4))
    assert new
    weeks_later, new = index.place("brask", "We will not leave the table first", date(2026, 5, 1))
    assert new


def test_camps_by_named_outlet_before_country_and_ownership():
    outlets = (
        Outlet(id="vt", name="Valdoria Today", aliases=("VT",), country="Valdoria", ownership="state-funded"),
        Outlet(id="kp", name="Kessholm Post", domains=("kessholmpost.example",), country="Aldmark", ownership="private"),
        Outlet(id="wire", name="Meridian", ownership="wire"),
    )
    camps = (
        Camp(id="v", name="Valdorian side", rule=CampRule(countries=("Valdoria",))),
        Camp(id="a", name="Aldmark", rule=CampRule(countries=("Aldmark",))),
        Camp(id="i", name="International", rule=CampRule(ownership=("wire",), outlets=("kp",))),
    )
    directory = OutletDirectory(outlets, camps)
    assert directory.camp("VT").name == "Valdorian side"
    assert directory.camp("kessholmpost.example").name == "International"
    assert directory.camp("Meridian").name == "International"
    assert directory.camp("The Unknown Gazette").id == "unattributed"
    assert directory.canonical_name("the valdoria today") == "Valdoria Today"


def test_a_story_carried_by_one_camp_is_a_blindspot_and_unattributed_outlets_take_no_side():
    from parallax.analysis.coverage import blindspot

    camps = ("Valdorian side", "Korvan side", "International")
    found = blindspot({"Valdorian side": 4, "International": 1, "Unattributed": 9}, camps)
    assert found and found.dominant == "Valdorian side" and found.missing == ("Korvan side",)
    assert blindspot({"Valdorian side": 2, "Korvan side": 2, "International": 1}, camps) is None
    assert blindspot({"Valdorian side": 3}, ("Valdorian side",)) is None  # one camp defined: no sides to miss


def test_default_camps_split_state_media_from_the_rest_of_a_country():
    outlets = (
        Outlet(id="vt", name="Valdoria Today", country="Valdoria", ownership="state-funded"),
        Outlet(id="vp", name="Valdoria Post", country="Valdoria", ownership="private"),
        Outlet(id="wire", name="Meridian", ownership="wire"),
        Outlet(id="other", name="Other Times", country="Elsewhere", ownership="private"),
    )
    directory = OutletDirectory(outlets, ())
    assert directory.camp("Valdoria Today").name == "Valdoria: state media"
    assert directory.camp("Valdoria Post").name == "Valdoria: other press"
    assert directory.camp("Meridian").name == "International wires"
    assert directory.camp("Other Times").id == "unattributed"


def test_facts_group_paraphrases_across_articles_and_names_by_their_actor():
    from parallax.analysis.facts import shared_and_single, story_facts

    a = ("The humanitarian corridor from Zarechensk will open for civilians at six in the morning for seventy-two "
         "hours. The weather was mild.")
    b = "The humanitarian corridor from Zarichensk opens for civilians at six in the morning for seventy-two hours."
    articles = [{"id": 1, "text": a}, {"id": 2, "text": b}]
    mentions = {1: [(a.index("Zarechensk"), a.index("Zarechensk") + 10, "zarechensk")],
                2: [(b.index("Zarichensk"), b.index("Zarichensk") + 10, "zarechensk")]}
    facts = story_facts(articles, mentions, {1: ("V",), 2: ("K",)})
    shared, single = shared_and_single(facts, articles)
    assert len(shared) == 1 and shared[0].article_ids == (1, 2) and shared[0].camps == ("K", "V")
    assert single == {}  # "The weather was mild." is too short to be a fact


def test_loaded_terms_inside_quotes_are_not_the_outlets_own_voice():
    from parallax.analysis.framing import term_uses
    from parallax.knowledge.framing import Lexicon, LoadedTerm

    text = 'The minister denounced the "Korvan regime". Critics of the Korvan regime met on Friday.'
    uses = term_uses([{"id": 1, "text": text}], {1: "V"}, {}, Lexicon((LoadedTerm("Korvan regime"),)))
    assert [(u.own_voice, u.in_quotes) for u in uses] == [(1, 1)]


def _talks_and_football_index():
    index = StoryIndex([], DocumentFrequencies())
    talks = StoryState(None, "talks", None, None)
    for doc in TALKS:
        index.add(talks, article_vector(*doc), date(2026, 3, 1))
    for doc in FOOTBALL:
        index.add(StoryState(None, "football", None, None), article_vector(*doc), date(2026, 3, 1))
    return index, talks


def test_an_undated_part_of_a_compilation_joins_the_story_of_its_sibling_part():
    index, talks = _talks_and_football_index()
    aside = article_vector(
        "A view from the city",
        "The mediator of the Kessholm talks met reporters from abroad in a hotel; the weather was cold all week.",
    )
    # Alone it is too loosely related to join (undated, so no time evidence); split from the same file as a
    # member of the talks story, it was published with it and joins at the dated threshold.
    assert index.best(aside, None)[0] is None
    assert index.best(aside, None, siblings=(talks,))[0] is talks


def test_numbers_and_verb_forms_are_shared_terms_of_one_event():
    a = article_vector("Truce agreed for 90 days", "Tariffs of $200 billion are suspended; the leaders signed it.")
    b = article_vector("A 90-day truce", "The leaders are signing a suspension of 200 billion in tariffs.")
    shared = set(a) & set(b)
    assert {"200", "sign"} <= shared


CORRIDOR_EN = [
    ("Brevnia to open corridor from Zarechensk", "STOLGRAD - Brevnia will open a humanitarian corridor from "
     "Zarechensk on Saturday, Foreign Minister Sergei Makarin said. The Aldmark envoy Maren Holtvik said in "
     "Kessholm that buses would take civilians to Kamenograd. Palace spokesman Dmitri Pelevko warned of mines."),
    ("Dravenia and Brevnia agree prisoner exchange", "The envoy Maren Holtvik announced in Kessholm that Brevnia "
     "and Dravenia will exchange 190 prisoners and open a corridor from Zarechensk to Kamenograd. Makarin called "
     "it a gesture of goodwill; Dravenia's Ilona Verbytska said the corridor must be monitored."),
]
CORRIDOR_RU = (
    "Бревния откроет гуманитарный коридор из Зареченска в субботу",
    "СТОЛГРАД — Бревния в субботу откроет гуманитарный коридор из Зареченского района, заявил министр "
    "иностранных дел Сергей Макарин. Коридор будет работать семьдесят два часа, сообщила в Кессхольме "
    "специальный посланник Альдмарка Марен Холтвик. Автобусы доставят жителей в Каменоград. Официальный "
    "представитель Дворца Дмитрий Пелевко заявил о минировании дороги. Обмен пленными — по 190 человек.",
)
CORRIDOR_DE = (
    "Brevnia öffnet Korridor aus Zarechensk",
    "Brevnia will am Samstag einen humanitären Korridor aus Zaretschensk öffnen, sagte Außenminister Sergej "
    "Makarin. Die Gesandte Aldmarks, Maren Holtvik, kündigte in Kessholm an, dass Busse die Bewohner nach "
    "Kamenograd bringen. Brevnia und Dravenia tauschen je 190 Gefangene aus.",
)
# Another event in the same country: shares "Brevnia" and "Aldmark" with the corridor coverage, nothing else.
UNRELATED_RU = (
    "Засуха в Бревнии угрожает урожаю пшеницы",
    "СТОЛГРАД — Министр сельского хозяйства Бревнии Олег Сухарев заявил, что урожай пшеницы в Прилесской "
    "области может сократиться на треть. Фермеры просят правительство Бревнии о компенсациях, сообщил "
    "губернатор Игорь Ласточкин. В Альдмарке тоже засуха.",
)


def _english_coverage():
    index = StoryIndex([], DocumentFrequencies())
    talks = StoryState(None, "corridor", None, None)
    for title, text in CORRIDOR_EN:
        index.add(talks, article_vector(title, text), date(2026, 3, 17))
    football = StoryState(None, "cup final", None, None)
    for title, text in FOOTBALL:
        index.add(football, article_vector(title, text), date(2026, 3, 17))
    return index, talks


def test_russian_and_german_reports_join_the_english_coverage_of_their_event():
    for title, text in (CORRIDOR_RU, CORRIDOR_DE):
        index, talks = _english_coverage()
        story, score = index.best(article_vector(title, text), date(2026, 3, 18), foreign=True)
        assert story is talks, (title, score)


def test_a_foreign_report_of_another_event_stays_apart():
    index, _talks = _english_coverage()
    story, _score = index.best(article_vector(*UNRELATED_RU), date(2026, 3, 18), foreign=True)
    assert story is None


def test_a_foreign_report_is_not_judged_by_names_when_not_marked_foreign():
    # Without the cross-language score, Russian text shares no words with English coverage.
    index, _talks = _english_coverage()
    story, _score = index.best(article_vector(*CORRIDOR_RU), date(2026, 3, 18))
    assert story is None


def test_an_english_report_joins_a_story_opened_by_foreign_reports():
    index = StoryIndex([], DocumentFrequencies())
    russian = StoryState(None, CORRIDOR_RU[0], None, None)
    index.add(russian, article_vector(*CORRIDOR_RU), date(2026, 3, 18), foreign=True)
    football = StoryState(None, "cup final", None, None)
    for title, text in FOOTBALL:
        index.add(football, article_vector(title, text), date(2026, 3, 17))
    story, _score = index.best(article_vector(*CORRIDOR_EN[0]), date(2026, 3, 18))
    assert story is russian


def test_a_name_meets_its_transliterations_and_case_forms():
    from parallax.knowledge.names import name_stem

    assert len({name_stem(w) for w in ("Volostny", "Волостный", "Волостного", "Волостному", "Волостным")}) == 1
    assert name_stem("Brevnia") == name_stem("Бревнии") == name_stem("Бревнию")
    assert name_stem("Hrabets") == name_stem("Грабець")
    assert name_stem("Kessholm") == name_stem("Кессхольме")
    assert name_stem("Volostny") != name_stem("Verbytska")


def test_a_foreign_report_names_known_actors_by_their_aliases():
    from parallax.analysis.name_terms import actor_name_keys

    keys = actor_name_keys([("makarin", "Sergei Makarin"), ("pelevko", "Dmitri Pelevko"), ("a", "Ivanov"),
                            ("b", "Ivanov")])
    vector = article_vector(*CORRIDOR_RU, actor_keys=keys)
    assert {"@makarin", "@pelevko"} <= set(vector)
    assert not any(t in vector for t in ("@a", "@b"))  # a name two actors share names neither
