"""The briefing of one story as plain data; renderers turn it into Markdown, HTML or JSON.

Extractive throughout: every line is a stored quote, sentence or article title, cited by its source number; the
only words Parallax adds are labels and counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from parallax.analysis.camps import OutletDirectory
from parallax.analysis.coverage import blindspot
from parallax.analysis.events import story_events
from parallax.analysis.facts import shared_and_single, story_facts
from parallax.knowledge.framing import Lexicon, load_lexicons
from parallax.report.framing import framing_lines
from parallax.report.sides import story_directory
from parallax.store import read
from parallax.store.actor_read import actor_names
from parallax.store.camps import list_camps
from parallax.store.db import Store


@dataclass(frozen=True)
class Source:
    number: int  # citation number, [1], [2], ...
    article_id: int
    outlet: str | None
    camp: str
    title: str
    published: date | None
    location: str  # path or URL it came from
    copy: bool = False  # a duplicate stored once: the same text carried by another outlet


# A credit below this confidence is printed with how it was made, so a reader checks it before repeating it.
UNSURE_BELOW = 0.6


@dataclass(frozen=True)
class Wording:
    text: str
    kind: str
    sources: tuple[int, ...]  # citation numbers
    form: str = "statement"  # statement | stance | topic
    unsure: str | None = None  # how a low-confidence credit was made ("pronoun, 0.45"); None when sure


@dataclass(frozen=True)
class KeyStatement:
    said_on: date | None
    wordings: tuple[Wording, ...]
    outlets: tuple[str, ...]
    camps: tuple[str, ...]
    blindspot: str | None = None  # set when only one camp carried it while the story reached several


@dataclass(frozen=True)
class Speaker:
    name: str
    actor_id: str
    statements: tuple[KeyStatement, ...]  # statements and stances
    topics: tuple[Wording, ...] = ()  # what the speaker only discussed or raised ("also spoke about")


@dataclass(frozen=True)
class CampCoverage:
    camp: str
    outlets: tuple[tuple[str, int], ...]  # outlet, number of articles (copies included)


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    text: str
    sources: tuple[int, ...]


@dataclass(frozen=True)
class FactLine:
    text: str  # a sentence of the earliest article that reported it
    camps: tuple[str, ...]
    sources: tuple[int, ...]
    other_wordings: int = 0  # how many other sentences reported the same thing


@dataclass(frozen=True)
class CampFacts:
    camp: str
    facts: tuple[FactLine, ...]


@dataclass(frozen=True)
class EventLine:
    first_date: date | None
    last_date: date | None
    title: str
    sources: tuple[int, ...]


@dataclass(frozen=True)
class Briefing:
    story_id: int
    title: str
    first_date: date | None
    last_date: date | None
    coverage: tuple[CampCoverage, ...]
    speakers: tuple[Speaker, ...]
    unattributed_quotes: tuple[Wording, ...]
    timeline: tuple[TimelineEntry, ...]
    sources: tuple[Source, ...]
    blindspot: str | None = None
    events: tuple[EventLine, ...] = ()
    shared_facts: tuple[FactLine, ...] = ()
    camp_facts: tuple[CampFacts, ...] = ()
    framing: tuple = ()  # parallax.report.framing.CampFraming, one per camp
    spellings: tuple = ()  # parallax.report.framing.SpellingLine
    camps: tuple[str, ...] = ()  # the camps the briefing sorts outlets into, in the user's order
    # "story" when the story has camps of its own (`parallax camps --story`), "global" for the user's global
    # camps, "sides" for the sides named for the story when the user defined none
    camps_scope: str = "global"
    key_actors: tuple[dict, ...] = ()  # read.key_actors: id, name, kind, articles naming them, quotes
    parties: tuple[str, ...] = ()  # with "sides": the countries the story is about


class StoryNotFound(LookupError):
    pass


def build_briefing(
    store: Store, directory: OutletDirectory, story_id: int | None = None, lexicon: Lexicon | None = None
) -> Briefing:
    """The briefing of a story; without an id, of the largest story. Outlets are sorted into the story's own
    camps when the user defined any for it, else into the global camps of ``directory``."""
    story = read.story(store, story_id)
    if story is None and story_id is None:
        raise StoryNotFound("no stories yet: ingest some articles first")
    if story is None:
        raise StoryNotFound(f"no story with id {story_id} (see `parallax stories`)")
    story_id = story["id"]
    own_camps = list_camps(store, story_id)
    articles = sorted(
        read.articles(store, story["article_ids"]), key=lambda a: (a["published"] is None, a["published"], a["id"])
    )
    mentions = read.resolved_mentions(store, [a["id"] for a in articles])
    directory, sides = story_directory(store, directory, own_camps, [a["id"] for a in articles])
    sources, by_article = _sources(store, directory, articles)
    quotes = read.quotes(store, story_id=story_id)
    coverage = _coverage(sources)
    camp_names = tuple(c.name for c in directory.camps)
    expected = sides.expected if sides else None
    if sides:
        # Only the sides that carried the story or were expected to are worth a reader's attention.
        shown = {c.camp for c in coverage} | set(sides.expected)
        camp_names = tuple(name for name in camp_names if name in shown)
    members = {a for q in quotes for a in (q["speaker_actor_ids"] or ())}
    speakers, unattributed = _speakers(quotes, sources, by_article, camp_names, actor_names(store, sorted(members)),
                                       expected)
    english = [a for a in articles if a["language"] == "en"]
    events = story_events(articles)
    shared, single = _facts(english, mentions, by_article)
    framing, spellings = framing_lines(
        store, english, quotes, mentions, {s.article_id: s.camp for s in sources if not s.copy}, by_article,
        lexicon or load_lexicons(),
    )
    return Briefing(
        story_id=story_id,
        title=story["title"],
        first_date=story["first_date"],
        last_date=story["last_date"],
        coverage=coverage,
        speakers=speakers,
        unattributed_quotes=unattributed,
        timeline=_timeline(quotes, sources, by_article, events),
        sources=tuple(sources),
        blindspot=_story_blindspot(coverage, camp_names, expected),
        events=tuple(EventLine(e.first_date, e.last_date, e.title, _cite(by_article, e.article_ids)) for e in events),
        shared_facts=shared,
        camp_facts=single,
        framing=framing,
        spellings=spellings,
        camps=camp_names,
        camps_scope="story" if own_camps else "sides" if sides else "global",
        key_actors=tuple(read.key_actors(store, [story_id]).get(story_id, ())),
        parties=sides.parties if sides else (),
    )


def _cite(by_article: dict[int, list[Source]], article_ids) -> tuple[int, ...]:
    return tuple(sorted({s.number for i in article_ids for s in by_article.get(i, [])}))


def _story_blindspot(coverage: tuple[CampCoverage, ...], camp_names: tuple[str, ...], expected=None) -> str | None:
    found = blindspot({c.camp: sum(n for _o, n in c.outlets) for c in coverage}, camp_names, expected=expected)
    return found.note if found else None


def _facts(articles: list[dict], mentions: dict, by_article: dict[int, list[Source]]):
    camps_of = {a["id"]: tuple({s.camp for s in by_article[a["id"]]}) for a in articles}
    shared, single = shared_and_single(story_facts(articles, mentions, camps_of), articles)

    def line(fact) -> FactLine:
        return FactLine(fact.text, fact.camps, _cite(by_article, fact.article_ids), len(fact.wordings) - 1)

    return (
        tuple(line(f) for f in shared),
        tuple(CampFacts(camp, tuple(line(f) for f in facts)) for camp, facts in sorted(single.items())),
    )


def _sources(store: Store, directory: OutletDirectory, articles: list[dict]):
    """Citations of a story's articles (oldest first) and of the copies other outlets carried."""
    copies = read.copies(store, [a["id"] for a in articles])
    # A file that held several articles (a dump, a feed, a compilation) is cited with the part used.
    shared = Counter(a["source"] for a in articles)
    sources: list[Source] = []
    by_article: dict[int, list[Source]] = defaultdict(list)
    for a in articles:
        location = f'{a["source"]} (part {a["part"]})' if shared[a["source"]] > 1 or a["part"] else a["source"]
        carriers = [(a["outlet"], a["published"], location, False)]
        carriers += [(c["outlet"], c["published"] or a["published"], c["source"], True) for c in copies[a["id"]]]
        for outlet, published, where, is_copy in carriers:
            source = Source(
                number=len(sources) + 1,
                article_id=a["id"],
                outlet=outlet,
                camp=directory.camp(outlet).name,
                title=a["title"],
                published=published,
                location=where,
                copy=is_copy,
            )
            sources.append(source)
            by_article[a["id"]].append(source)
    return sources, by_article


def _coverage(sources: list[Source]) -> tuple[CampCoverage, ...]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for source in sources:
        counts[source.camp][source.outlet or "unknown outlet"] += 1
    return tuple(
        CampCoverage(camp, tuple(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))))
        for camp, outlets in sorted(counts.items(), key=lambda kv: -sum(kv[1].values()))
    )


def _speakers(quotes: list[dict], sources: list[Source], by_article: dict[int, list[Source]], camp_names=(),
              names: dict[str, str] | None = None, expected: tuple[str, ...] | None = None):
    grouped: dict[str, dict] = {}
    unattributed: list[Wording] = []
    for q in quotes:
        cited = tuple(s.number for s in by_article[q["article_id"]])
        wording = Wording(q["text"], q["kind"], cited, q["form"], _unsure(q))
        if not q["actor_id"]:
            unattributed.append(wording)
            continue
        # a group speaker ("Volostny and Verbytska said") is credited to each of its members
        for actor_id in q["speaker_actor_ids"] or [q["actor_id"]]:
            name = q["actor_name"] if actor_id == q["actor_id"] else (names or {}).get(actor_id, actor_id)
            speaker = grouped.setdefault(actor_id, {"name": name, "statements": {}, "topics": []})
            if q["form"] == "topic":
                speaker["topics"].append(wording)
                continue
            key = q["statement_id"] if q["statement_id"] is not None else f"q{q['id']}"
            statement = speaker["statements"].setdefault(key, {"said_on": q["said_on"], "wordings": []})
            statement["wordings"].append(wording)
            if q["said_on"] and (statement["said_on"] is None or q["said_on"] < statement["said_on"]):
                statement["said_on"] = q["said_on"]
    number = {s.number: s for s in sources}
    speakers = []
    for actor_id, speaker in grouped.items():
        statements = []
        for statement in speaker["statements"].values():
            cited = {n for w in statement["wordings"] for n in w.sources}
            camps = Counter(number[n].camp for n in cited)
            # A statement heard in one outlet only says little; one that several outlets of one camp alone carried
            # is the blindspot worth a note.
            spot = blindspot(camps, camp_names, "statement", expected) if len(cited) >= 2 else None
            statements.append(
                KeyStatement(
                    said_on=statement["said_on"],
                    wordings=_merge_wordings(statement["wordings"]),
                    outlets=tuple(sorted({number[n].outlet or "unknown outlet" for n in cited})),
                    camps=tuple(sorted(camps)),
                    blindspot=spot.note if spot else None,
                )
            )
        # Statements carried by more outlets first: they are the ones every side heard.
        statements.sort(key=lambda s: (-len(s.outlets), s.said_on or date.max))
        speakers.append(Speaker(speaker["name"], actor_id, tuple(statements), _merge_wordings(speaker["topics"])))
    speakers.sort(key=lambda s: (-sum(len(st.outlets) for st in s.statements), -len(s.topics), s.name))
    return tuple(speakers), tuple(unattributed)


def as_said(text: str, kind: str) -> str:
    """Only a direct quote stands in quotation marks: indirect speech is the reporter's words, and a mixed quote
    keeps the marks around the phrase that was quoted."""
    return f"“{text}”" if kind == "direct" else text


def _unsure(q: dict) -> str | None:
    sure = q["speaker_confidence"]
    if q["actor_id"] is None or sure is None or sure >= UNSURE_BELOW:
        return None
    return f"{q['speaker_via'] or 'credit'}, {sure:.2f}"


def _merge_wordings(wordings: list[Wording]) -> tuple[Wording, ...]:
    """One line per distinct wording, citing every source that used it."""
    merged: dict[str, Wording] = {}
    for w in wordings:
        known = merged.get(w.text)
        sources = tuple(sorted(set(w.sources) | set(known.sources if known else ())))
        # one sure credit of a wording is enough: the unsure ones were the same words credited again
        unsure = w.unsure if known is None else (known.unsure and w.unsure)
        merged[w.text] = Wording(w.text, w.kind, sources, w.form, unsure)
    return tuple(merged.values())


def _timeline(quotes: list[dict], sources: list[Source], by_article: dict[int, list[Source]], events=()):
    entries: list[TimelineEntry] = []
    for event in events:
        if event.first_date:
            cited = _cite(by_article, event.article_ids)
            entries.append(TimelineEntry(event.first_date, f"Event: {event.title}", cited))
    seen_articles: set[int] = set()
    for source in sources:
        if source.published and source.article_id not in seen_articles:
            seen_articles.add(source.article_id)
            cited = tuple(s.number for s in by_article[source.article_id])
            entries.append(TimelineEntry(source.published, f"{source.outlet or 'Unknown outlet'}: {source.title}", cited))
    seen_statements: set[int] = set()
    for q in quotes:
        if not q["said_on"] or not q["actor_id"] or q["statement_id"] in seen_statements:
            continue
        seen_statements.add(q["statement_id"])
        cited = tuple(s.number for s in by_article[q["article_id"]])
        entries.append(TimelineEntry(q["said_on"], f"{q['actor_name']}: {as_said(_short(q['text']), q['kind'])}", cited))
    entries.sort(key=lambda e: (e.day, e.text))
    return tuple(entries)


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
