"""Bring the derived layer up to date after an ingest: new articles into stories, new quotes into
statements. Only what is new is processed; each article's story assignment is its own transaction, so an
interruption here is simply resumed by the next run."""

from __future__ import annotations

import ctypes
import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from parallax.analysis.dating import infer_date
from parallax.analysis.name_terms import actor_name_keys
from parallax.analysis.packed_terms import PackedWeights, Vocabulary
from parallax.analysis.statement_pairs import PairModel, model
from parallax.analysis.statements import (
    MAX_DAYS_APART,
    VAGUE_SPEAKER_KINDS,
    StatementIndex,
    StatementState,
    TermPostings,
    Wording,
    close_in_time,
    likeness_ceiling,
    may_reach,
    texts_split_once,
    wording,
)
from parallax.analysis.stories import (
    DocumentFrequencies,
    StoryIndex,
    StoryState,
    article_vector,
    member_norm,
    place,
    reach_days,
)
from parallax.nlp.embeddings import EmbeddingsUnavailable, embedder, from_bytes, to_bytes
from parallax.store import derived
from parallax.store import statements as statement_store
from parallax.store.db import Store


@dataclass(frozen=True)
class UpdateSummary:
    articles_clustered: int
    stories_opened: int
    quotes_placed: int


# Story assignments are written this many articles at a time: a run interrupted in between resumes where the last
# batch ended. A corpus of up to this many new articles is clustered all or nothing, so an interrupted update leaves
# nothing that the next run would cluster differently from an uninterrupted one (a resumed run recomputes each
# story's mass with the idf of its day, not of the day each member joined).
WRITE_BATCH = 2000


# Told how far the analysis is, a page at a time ("clustering stories: 2,000 of 36,969 articles"): after a
# backfill it runs for a long while after the last article is stored.
Progress = Callable[[str], None]


def update(store: Store, threads: int = 1, progress: Progress | None = None) -> UpdateSummary:
    """Bring stories and statements up to date. Ingests running side by side take turns here: the second waits
    for the first, then finds only what the first left (the articles stored since it began)."""
    with store.analysing():
        # what the caller freed before (an ingest: its actor registry, duplicates, name-matching memo tables, Ray)
        _hand_back_freed_memory()
        clustered, opened = update_stories(store, progress)
        _hand_back_freed_memory()  # the story index is gone, but not yet the memory it held
        placed = update_statements(store, threads, progress)
    return UpdateSummary(clustered, opened, placed)


def _hand_back_freed_memory() -> None:
    """Return the memory of objects freed so far to the operating system. The story index of a large database
    is hundreds of MB of small objects; once freed, the C allocator keeps their pages for reuse, and the
    statements stage, which allocates differently, does not reuse them all (at 37,000 articles this hands back
    about 180 MB before the statements start: benchmarks/RESULTS.md, stop 24)."""
    gc.collect()
    try:
        process = ctypes.CDLL(None)  # the C library this interpreter runs on
    except (OSError, TypeError):  # (a platform without dlopen)
        return
    trim = getattr(process, "malloc_trim", None)  # glibc's; other allocators keep their own policy
    if trim is not None:
        trim(0)


def update_stories(store: Store, progress: Progress | None = None) -> tuple[int, int]:
    order = derived.unclustered(store)
    if not order:
        return 0, 0
    say = progress or (lambda _message: None)
    done = 0
    index, dated_members = _story_index(store, _days_in_reach([published for _id, _source, published in order]))
    stored = {story.id: story for story in index.stories}
    loaded = {id(story) for story in index.stories}
    by_source: dict[str, list[StoryState]] = {}
    actor_keys = None
    opened = 0
    grown: set[int] = set()  # id() of stories of earlier updates that got a dated article in this one
    batch: list[tuple[int, dict, StoryState, tuple | None]] = []  # article, vector, story, (inferred date, how)
    alone: list[tuple[int, object]] = []  # (position in batch, embedding) of undated articles that opened a story
    # The articles are read a page at a time: a backlog of tens of thousands (a dump ingested at once) would
    # otherwise hold every text and term vector in memory together.
    for page in _pages(order):
        pending = derived.unclustered_articles(store, page)
        compiled = sorted({a["source"] for a in pending if _may_be_compilation(a["source"])} - by_source.keys())
        for source, ids in derived.stories_by_source(store, compiled).items():
            by_source[source] = [stored[i] for i in ids if i in stored]
        vectors = []
        for article in pending:
            foreign = _foreign(article["language"])
            if foreign and actor_keys is None:
                actor_keys = actor_name_keys(derived.actor_aliases(store))
            vectors.append(article_vector(
                article["title"], article["text"], article["actor_ids"], actor_keys=actor_keys if foreign else None
            ))
        undated_parts = _undated_parts(pending, vectors)
        for article, vector in zip(pending, vectors):
            foreign = _foreign(article["language"])
            siblings = by_source.get(article["source"], []) if _may_be_compilation(article["source"]) else []
            # The first undated part of a compilation to be placed is judged by all its undated parts together:
            # they were printed side by side on one subject, and one short part alone may share too few words.
            probe = undated_parts.get(article["source"]) if article["published"] is None and not siblings else None
            embedding = from_bytes(article["embedding"]) if article["embedding"] is not None else None
            published, dated = article["published"], None
            # An English article placed on its own (the parts of a compilation go with their siblings, and were
            # printed on no day of their own) is dated from its words and, left alone, looks again at the end.
            on_its_own = not foreign and not siblings and article["source"] not in undated_parts
            if published is None and on_its_own:
                # Join as undated, read the article's date words against the dates of the story it would join,
                # then check the join again as a dated article: with a date, stories of other days are kept apart.
                joined, _score = index.best(probe or vector, None, embedding=embedding)
                dated = infer_date(article["text"], _anchor(joined, embedding, dated_members))
                if dated:
                    published = dated[0]
            story, new = place(index, article["title"], vector, published, tuple(siblings), foreign, probe, embedding)
            if published is not None and embedding is not None:
                dated_members.setdefault(id(story), []).append((published, embedding))
            if published is not None and id(story) in loaded:
                grown.add(id(story))
            if _may_be_compilation(article["source"]) and story not in siblings:
                by_source.setdefault(article["source"], []).append(story)
            opened += new
            if new and published is None and on_its_own:
                alone.append((len(batch), embedding))
            batch.append((article["id"], vector, story, dated))
            if len(batch) == WRITE_BATCH:
                _save_batch(store, batch)
                alone.clear()  # stories written are not moved again
        done += len(pending)
        say(f"clustering stories: {done:,} of {len(order):,} articles")
        del pending, vectors, undated_parts
    # Undated articles still alone in the story they opened look again, now that every article is placed.
    rechecked = index.recheck([(batch[k][2], batch[k][1], embedding) for k, embedding in alone])
    for (k, _embedding), story in zip(alone, rechecked):
        if story is not batch[k][2]:
            opened -= 1
            batch[k] = (batch[k][0], batch[k][1], story, batch[k][3])
    _save_batch(store, batch)
    earlier = [story for story in index.stories if id(story) in grown]
    _date_earlier_members(store, earlier, dated_members, min(i for i, _source, _published in order))
    return len(order), opened


PAGE = 1000  # articles read and vectorised at a time


def _pages(order: list[tuple[int, str, date | None]]) -> Iterator[list[int]]:
    """The ids of ``order`` in pages of about PAGE; a page does not end inside a compilation, so its parts,
    stored one after another, are judged together as they would be in one page. (A dump or a feed is one source
    for all its items: were it kept whole, a dump of 37,000 articles would be read in one page of 2 GB.)"""
    page: list[int] = []
    for k, (article_id, source, _published) in enumerate(order):
        page.append(article_id)
        if len(page) >= PAGE and (k + 1 == len(order) or order[k + 1][1] != source
                                  or not _may_be_compilation(source)):
            yield page
            page = []
    if page:
        yield page


def _days_in_reach(published: list[date | None]) -> derived.Days | None:
    """The days of the stories these articles could join, when every one is dated: a dated article scores only
    stories within reach_days of its day (StoryIndex._most_shared), so no other story need be loaded, and an update
    of today's articles into a database of years reads a few months of stories. An undated article may join any
    story (None: every one)."""
    if not published or None in published:
        return None
    reach = timedelta(days=reach_days())
    return min(published) - reach, max(published) + reach


def _story_index(store: Store, days: derived.Days | None = None) -> tuple[StoryIndex, dict[int, list]]:
    """The stories stored so far (those near ``days`` when given) as an index to place articles in, and the
    (date, embedding) of each one's dated members by id() of its state. The document frequencies are those of
    every stored article, whatever stories are loaded; the stored term vectors are read twice rather than held:
    the frequencies must be complete before a member's norm (its part of its story's mass) can be taken, and a
    corpus's vectors together are larger than the rest of the analysis."""
    freqs = DocumentFrequencies()
    for vector, _story_id, _language, _none, _no_date in derived.article_vectors(store, embeddings=False):
        freqs.add(vector)
    # Stored stories are held packed from the start (see StoryIndex): a database of tens of thousands would
    # otherwise hold every centroid as a dict at once.
    vocabulary = Vocabulary()
    states = {}
    for row in derived.story_rows(store, days):
        states[row["id"]] = StoryState(
            row["id"],
            row["title"],
            row["first_date"],
            row["last_date"],
            PackedWeights(row["centroid"], vocabulary),
            row["size"],
            row["title_score"],
        )
    # A story's mass (its members' summed norms) is not stored: it follows from the vectors and today's idf.
    # Nor is its summed embedding: it is added up in member order, so every run gets the same sum.
    embedded: dict[int, list] = {}
    dated_members: dict[int, list] = {}  # story id: (date, embedding) of its dated members
    for vector, story_id, language, embedding, published in derived.article_vectors(store, days=days):
        if story_id in states:
            foreign = _foreign(language)
            states[story_id].mass += member_norm(vector, freqs, foreign)
            states[story_id].foreign += foreign
            states[story_id].count_names(vector)  # which names most members share: what a continuation must carry
            if embedding is not None:
                embedded.setdefault(story_id, []).append(from_bytes(embedding))
                if published is not None:
                    dated_members.setdefault(story_id, []).append((published, embedded[story_id][-1]))
    for story_id, found in embedded.items():
        states[story_id].embedding = np.sum(np.asarray(found, dtype=np.float64), axis=0)
        states[story_id].embedded = len(found)
        states[story_id].member_embeddings = found
    for state in states.values():
        state.pack(vocabulary)  # (its name counts, now complete)
    dated_members = {id(states[i]): found for i, found in dated_members.items()}
    return StoryIndex(list(states.values()), freqs, vocabulary), dated_members


def _date_earlier_members(store: Store, stories: list[StoryState], dated_members: dict[int, list], first: int) -> None:
    """The undated articles an earlier update left in these stories, dated now that the stories hold dated
    reports they did not have then: as if they had come in with those reports."""
    dated = []
    by_id = {story.id: story for story in stories}
    for row in derived.undated_members(store, list(by_id), before=first):
        if _foreign(row["language"]) or row["parts"] > 1:
            continue  # (as when it was placed: only an English article on its own is dated from its story)
        embedding = from_bytes(row["embedding"]) if row["embedding"] is not None else None
        found = infer_date(row["text"], _anchor(by_id[row["story_id"]], embedding, dated_members))
        if found:
            dated.append((row["id"], *found))
    derived.date_articles(store, dated)


def _save_batch(store: Store, batch: list) -> None:
    """Write a batch of assignments with their stories as they stand now (a story's last state is what counts),
    new stories in the order they were opened; then forget the batch."""
    if not batch:
        return
    position = {id(story): i for i, story in enumerate({id(s): s for _a, _v, s, _d in batch}.values())}
    stories = list({id(story): story for _a, _v, story, _d in batch}.values())
    rows = [
        {
            "id": story.id,
            "title": story.title,
            "first_date": story.first_date,
            "last_date": story.last_date,
            "centroid": dict(story.centroid.items()),
            "size": story.size,
            "title_score": story.title_score,
        }
        for story in stories
    ]
    ids = derived.save_story_assignments(store, rows, [(a, v, position[id(s)], d) for a, v, s, d in batch])
    for story, story_id in zip(stories, ids):
        story.id = story_id
    batch.clear()


ANCHOR_MEMBERS = 3


def _anchor(story: StoryState | None, embedding, dated_members: dict[int, list]) -> tuple:
    """The days an undated article's date words are read against: those of the ANCHOR_MEMBERS dated members of
    its story nearest to it in meaning (in a story of several weeks, the reports of the event it tells of), else
    the story's whole span; (None, None) when it joined no dated story."""
    if story is None:
        return None, None
    members = dated_members.get(id(story))
    if embedding is None or not members:
        return story.first_date, story.last_date
    nearest = sorted(members, key=lambda m: (-float(np.dot(m[1], embedding)), m[0]))[:ANCHOR_MEMBERS]
    days = [day for day, _vector in nearest]
    return min(days), max(days)


def _undated_parts(pending: list[dict], vectors: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    """The summed vectors of the undated parts of each compilation with two or more of them."""
    parts: dict[str, list[dict[str, float]]] = {}
    for article, vector in zip(pending, vectors):
        if article["published"] is None and _may_be_compilation(article["source"]) and not _foreign(article["language"]):
            parts.setdefault(article["source"], []).append(vector)
    summed: dict[str, dict[str, float]] = {}
    for source, found in parts.items():
        if len(found) >= 2:
            total: dict[str, float] = {}
            for vector in found:
                for term, weight in vector.items():
                    total[term] = total.get(term, 0.0) + weight
            summed[source] = total
    return summed


def _foreign(language: str | None) -> bool:
    # Only English text goes through the NLP stage; an unknown language is treated as English (its words are).
    return bool(language) and language not in ("en", "und", "unknown")


# Feeds and dumps hold many unrelated items in one input; only a text or HTML page that was split into parts
# (a compilation of perspectives on one story) says anything about its parts belonging together.
_ITEM_CONTAINERS = (".jsonl", ".json", ".csv", ".tsv", ".xml", ".rss", ".atom", ".gz", ".ndjson")


def _may_be_compilation(source: str) -> bool:
    return not (source or "").lower().split("?")[0].endswith(_ITEM_CONTAINERS)


QUOTE_PAGE = 20_000  # quotes placed at a time; a page's placements are written before the next is read
# Undated quotes placed at a time: each meets its speaker's and its story's statements of every day, so a page of
# 20,000 of them read most of a backfill's statements at once (1.7 GB at 37,000 articles).
UNDATED_PAGE = 2_000


PASSES = {"firm": "firm speakers", "vague": "vague speakers", "seen before": "unresolved quotes seen before"}


def update_statements(store: Store, threads: int = 1, progress: Progress | None = None) -> int:
    """Place the quotes in no statement yet, a page at a time: first those with a firm speaker, then those with
    a vague one (so that they meet every statement of this run, whatever order the outlets were ingested in),
    last the vague ones an earlier run saw, against the statements that changed since. Each page reads only the
    statements its quotes could meet, so memory stays flat however many quotes a run brings."""
    seen, last = statement_store.quote_range(store)
    if last is None:
        return 0
    pack_actors = statement_store.pack_actor_ids(store)
    touched: set[int] = set()  # ids of the statements this run put quotes in
    placed = 0
    changed = changed_stories = None
    say = progress or (lambda _message: None)
    for n, phase in enumerate(PASSES, 1):
        if phase == "seen before":
            # Unresolved quotes an earlier run saw met every statement there was: now only what changed. (The
            # set itself, not a copy: at 37,000 articles it held 432,263 ids in a 16 MiB table, copied just where
            # the driver peaked.)
            changed = touched
            changed_stories = statement_store.stories_of(store, sorted(changed))
        total = statement_store.count_to_place(store, last) if progress else 0  # (a count over every quote)
        read = 0
        for page in statement_store.quotes_to_place(store, last, QUOTE_PAGE, UNDATED_PAGE):
            read += len(page)
            say(f"matching statements, pass {n} of {len(PASSES)} ({PASSES[phase]}): {read:,} of {total:,} quotes")
            quotes = [q for q in page if _phase(q, seen, pack_actors) == phase]
            if changed_stories is not None:
                quotes = [q for q in quotes if q["actor_id"] is None and q["story_id"] in changed_stories]
            placements = [placement for part in _parts(store, quotes, phase)
                          for placement in _place_part(store, part, seen, pack_actors, threads, changed)]
            # Written in the page's order, as if placed together: new statements get the same ids either way.
            order = {quote["id"]: k for k, quote in enumerate(quotes)}
            placements.sort(key=lambda placement: order[placement[0]])
            if placements:
                statement_store.place_quotes(store, placements, seen=seen)
                if changed is None:  # (what the last pass places is met by no later one)
                    touched.update(row["id"] for _quote_id, row in placements)
                placed += len(placements)
    statement_store.place_quotes(store, [], seen=max(seen, last))
    return placed


STATEMENTS_AT_ONCE = 20_000  # about what the undated quotes of a page may meet at once (see _parts)


def _parts(store: Store, quotes: list[dict], phase: str) -> Iterator[list[dict]]:
    """A page's quotes in the parts they are placed in. An undated quote meets every statement of its speaker,
    whatever its day, so a page of undated quotes by the most quoted speakers would hold nearly every statement at
    once: those are placed a few speakers at a time, each part's speakers having STATEMENTS_AT_ONCE statements or
    so between them. A firm speaker's quote meets only its speaker's statements, so splitting by speaker changes
    nothing else (the parts are written together); vague speakers' quotes also meet their stories' statements and
    stay together."""
    undated = [q for q in quotes if q["said_on"] is None] if phase == "firm" else []
    if not undated:
        if quotes:
            yield quotes
        return
    dated = [q for q in quotes if q["said_on"] is not None]
    if dated:
        yield dated
    by_speaker: dict[str, list[dict]] = {}
    for quote in undated:
        by_speaker.setdefault(quote["actor_id"], []).append(quote)
    counts = statement_store.statement_counts(store, list(by_speaker))
    part, size = [], 0
    for speaker, found in by_speaker.items():
        if part and size + counts.get(speaker, 0) > STATEMENTS_AT_ONCE:
            yield part
            part, size = [], 0
        part += found
        size += counts.get(speaker, 0)
    if part:
        yield part


def _phase(quote: dict, seen: int, pack_actors: frozenset[str]) -> str:
    if firm_speaker(quote, pack_actors):
        return "firm"
    return "vague" if quote["id"] > seen else "seen before"


def _place_part(store: Store, quotes: list[dict], seen: int, pack_actors: frozenset[str], threads: int,
                changed: set[int] | None) -> list[tuple[int, dict]]:
    """Place some quotes among the statements they could meet: (quote id, statement row) of each placed, a new
    statement's row with id None. Quotes seen before may join only the ``changed`` statements (ids)."""
    # Each quote is split once for the two looks below, and the splits let go after them: the placing that follows
    # holds every statement met (the driver's peak of memory), and would hold the splits of unplaced quotes too.
    with texts_split_once(quote["text"] or "" for quote in quotes):
        known_rows = _statements_met(store, quotes, pack_actors)
        chosen = comparable(quotes, known_rows, pack_actors)
    embed_quotes(store, chosen, threads)
    with_vectors(chosen)
    known, rows = [], {}
    for row in known_rows:
        state = StatementState(row["id"], row["actor_id"], row["said_on"], row["text"], stored=row["wordings"])
        known.append(state)
        rows[id(state)] = {k: row[k] for k in ("id", "actor_id", "said_on", "text")}
    # Only the states hold the stored wordings now, and let each go once it is normalised.
    known_rows.clear()
    chosen.clear()
    index = StatementIndex(known)
    among = {id(state) for state in known if state.id in changed} if changed is not None else None
    placements = []
    for quote_id, state in place_quotes(index, quotes, seen, pack_actors, among):
        row = rows.setdefault(
            id(state), {"id": None, "actor_id": state.actor_id, "said_on": state.said_on, "text": state.text}
        )
        placements.append((quote_id, row))
    return placements


def _statements_met(store: Store, quotes: list[dict], pack_actors: frozenset[str]) -> list[dict]:
    """The stored statements these quotes may meet (``statement_store.statements_within``), leaving out those
    that share no content term with any quote that reaches them: when the pair model cannot join wordings that
    share none (``may_reach``), such a statement can neither take one of these quotes nor change, so the
    placements are the same without it. An undated quote reaches every statement of its speaker: at 10,400
    articles, a page of 2,000 undated quotes reached about 30,000 statements, of which 12,000 share a term with
    them (benchmarks/RESULTS.md, stop 27)."""
    actors, stories = _reach(quotes, pack_actors)
    reached = statement_store.statements_within(store, actors, stories)
    pair_model = model()
    if not (pair_model.needs_shared_term(pair_model.threshold)
            and pair_model.needs_shared_term(pair_model.rescue_threshold)):
        return statement_store.statements_by_id(store, reached)
    terms: dict[tuple, set[str]] = defaultdict(set)  # by key, as _reach makes them: the terms of its quotes
    for quote in quotes:
        quote_terms = wording(quote["text"]).terms
        if quote["actor_id"] is not None:
            terms["actor", quote["actor_id"]].update(quote_terms)
        if quote["story_id"] is not None and not firm_speaker(quote, pack_actors):
            terms["story", quote["story_id"]].update(quote_terms)
    met: set[int] = set()
    for statement_id, text in statement_store.wording_texts(store, reached):
        if statement_id not in met and any(
            not wording(text).terms.isdisjoint(terms[key]) for key in reached[statement_id]
        ):
            met.add(statement_id)
    return statement_store.statements_by_id(store, met)


def _reach(quotes: list[dict], pack_actors: frozenset[str]) -> tuple[dict, dict]:
    """The days a stored statement may be dated to be met by these quotes, by speaker (every quote meets its
    speaker's statements) and by story (a vague speaker's quote meets the statements worded in its story):
    (first day, last day, whether any quote is undated), MAX_DAYS_APART either side of the quotes' days."""
    days: dict[tuple, list] = defaultdict(list)
    for quote in quotes:
        if quote["actor_id"] is not None:
            days["actor", quote["actor_id"]].append(quote["said_on"])
        if quote["story_id"] is not None and not firm_speaker(quote, pack_actors):
            days["story", quote["story_id"]].append(quote["said_on"])
    margin = timedelta(days=MAX_DAYS_APART)
    actors, stories = {}, {}
    for (kind, key), found in days.items():
        dated = [day for day in found if day is not None]
        window = (min(dated, default=date.max) - margin if dated else date.max,
                  max(dated) + margin if dated else date.min, len(dated) < len(found))
        (actors if kind == "actor" else stories)[key] = window
    return actors, stories


def comparable(
    pending: list[dict], known_rows: list[dict], pack_actors: frozenset[str], pair_model: PairModel | None = None
) -> list[dict]:
    """The quotes whose sentence embedding could decide a match: the pending ones (in their order), then stored
    wordings still without a vector, each with a wording the matcher will compare it with (a report of the same
    speaker close in time, of any article: a headline and its body repeat one; for a vague speaker, another
    article's wording in its story) that the pair model would take for the same statement at some cosine. Only
    these are embedded: embedding every quote cost more than the rest of the analysis stage, and a pair the
    model refuses at any cosine is decided by its words. A stored wording comes as a dict with its quote ``id``,
    ``text``, ``vector`` (None) and where it sits (``row``, ``at``: see ``with_vectors``); that it is embedded only
    once it meets such a wording keeps the statements of a corpus the same however its ingests were split."""
    pair_model = pair_model or model()
    words = {id(q): wording(q["text"], q["article_id"], q["story_id"], q.get("kind")) for q in pending}
    chosen: dict[int, dict] = {}  # id() of a chosen quote or stored wording: it

    def meet(quote: dict, other: dict, other_words: Wording, threshold: float) -> None:
        needed = [q for q in (quote, other) if q["vector"] is None and id(q) not in chosen]
        if needed and may_reach(words[id(quote)], other_words, threshold, pair_model) and (
            likeness_ceiling(words[id(quote)], other_words, pair_model) >= threshold
        ):
            chosen.update((id(q), q) for q in needed)

    speakers, vague, in_story = _comparison_groups(pending, pack_actors)
    known_of_speaker, known_in_story = defaultdict(list), defaultdict(list)
    for row in known_rows:
        stories = {raw[2] for raw in row["wordings"]} & vague.keys()
        if row["actor_id"] not in speakers and not stories:
            continue
        for at, (text, article, story, kind, vector, *quote_id) in enumerate(row["wordings"]):
            entry = {"id": quote_id[0] if quote_id else None, "text": text, "vector": vector, "row": row, "at": at,
                     "said_on": row["said_on"], "article_id": article}
            words[id(entry)] = wording(text, article, story, kind)
            if entry["id"] is None:
                entry["vector"] = False  # a wording with no quote id cannot be given a vector: never chosen
            if row["actor_id"] in speakers:
                known_of_speaker[row["actor_id"]].append(entry)
            for story_id in stories:
                known_in_story[story_id].append(entry)

    # Same speaker: the matcher compares a quote with the wordings of its speaker's statements dated within
    # MAX_DAYS_APART of it; a statement's date is that of its first wording, so two pending quotes that may meet
    # are up to twice that apart.
    # Only pairs sharing a content word can pass when the model cannot join others at any cosine (may_reach):
    # those are found through the words, and the pairs are met in the order a pass over all of them would take.
    threshold = pair_model.threshold
    by_words = pair_model.needs_shared_term(threshold)
    for actor_id, quotes in speakers.items():
        known = Worded(known_of_speaker[actor_id], words, by_words)
        for quote in quotes:
            for entry in known.sharing(words[id(quote)]):
                if close_in_time(entry["said_on"], quote["said_on"]):
                    meet(quote, entry, words[id(entry)], threshold)
        for a, b in pairs_within(quotes, 2 * MAX_DAYS_APART, words if by_words else None):
            meet(a, b, words[id(b)], threshold)
    # A vague speaker's quote may join another speaker's statement of its story that another article worded.
    rescue = pair_model.rescue_threshold
    by_words = pair_model.needs_shared_term(rescue)
    for story_id, quotes in vague.items():
        known = Worded(known_in_story[story_id], words, by_words)
        pending_in_story = Worded([q for others in in_story[story_id].values() for q in others], words, by_words)
        for quote in quotes:
            for entry in known.sharing(words[id(quote)]):
                if entry["article_id"] != quote["article_id"] and close_in_time(entry["said_on"], quote["said_on"]):
                    meet(quote, entry, words[id(entry)], rescue)
            for other in pending_in_story.sharing(words[id(quote)]):
                if other["article_id"] != quote["article_id"] and close_in_time(
                    other["said_on"], quote["said_on"], 2 * MAX_DAYS_APART
                ):
                    meet(quote, other, words[id(other)], rescue)
    fresh = [q for q in pending if id(q) in chosen]
    return fresh + [entry for entry in chosen.values() if "row" in entry]


def _comparison_groups(pending: list[dict], pack_actors: frozenset[str]):
    """The pending quotes with a text by speaker, the vague speakers' by story, and all by story and article."""
    speakers, vague = defaultdict(list), defaultdict(list)
    in_story: dict[int, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for quote in pending:
        if not quote["text"]:
            continue
        if quote["actor_id"]:
            speakers[quote["actor_id"]].append(quote)
        if quote["story_id"] is not None:
            in_story[quote["story_id"]][quote["article_id"]].append(quote)
            if not firm_speaker(quote, pack_actors):
                vague[quote["story_id"]].append(quote)
    return speakers, vague, in_story


def with_vectors(embedded: list[dict]) -> None:
    """Put the vectors just computed for stored wordings (entries of ``comparable``) back in their statements'
    rows, so the matcher compares them as later runs will."""
    for entry in embedded:
        if "row" in entry and entry["vector"] is not None:
            text, article, story, kind, _none, *quote_id = entry["row"]["wordings"][entry["at"]]
            entry["row"]["wordings"][entry["at"]] = (text, article, story, kind, entry["vector"], *quote_id)


class Worded:
    """Quotes or stored wordings (dicts) in order: with ``by_words``, ``sharing`` gives only those sharing a
    content term with a wording, else all of them; in their order either way."""

    def __init__(self, items: list[dict], words: dict[int, Wording], by_words: bool = True):
        self.items = items
        self.terms: TermPostings | None = None
        if by_words:
            self.terms = TermPostings()
            for position, item in enumerate(items):
                self.terms.add(position, words[id(item)].terms)

    def positions(self, wording: Wording) -> Iterable[int]:
        return range(len(self.items)) if self.terms is None else self.terms.sharing(wording.terms)

    def sharing(self, wording: Wording) -> list[dict]:
        return [self.items[position] for position in self.positions(wording)]


def pairs_within(quotes: list[dict], days: int, words: dict[int, Wording] | None = None):
    """Each pair of the quotes whose days (``said_on``) are at most ``days`` apart, an undated one with every
    other, without testing every pair: a speaker may have thousands of quotes in one run. Given the quotes'
    ``words`` (by id()), only the pairs that share a content term, in the same order."""
    undated = [q for q in quotes if q["said_on"] is None]
    dated = sorted((q for q in quotes if q["said_on"] is not None), key=lambda q: q["said_on"])
    ordered = undated + dated
    shared = Worded(ordered, words) if words is not None else None
    for i, quote in enumerate(ordered):
        later = (range(i + 1, len(ordered)) if shared is None
                 else (p for p in shared.positions(words[id(quote)]) if p > i))
        for position in later:
            other = ordered[position]
            if quote["said_on"] is not None and (other["said_on"] - quote["said_on"]).days > days:
                break  # (an undated quote comes before every dated one and meets them all)
            yield quote, other


def firm_speaker(quote: dict, pack_actors: frozenset[str]) -> bool:
    """Whether a pending quote's speaker is sure enough to keep to its own statements."""
    # A name only the corpus knows is often a garbled copy of a pack actor's ("Ministry of Outside Affairs").
    return bool(quote["actor_id"]) and quote["actor_kind"] not in VAGUE_SPEAKER_KINDS and not (
        pack_actors and quote["actor_origin"] == "corpus"
    )


def embed_quotes(store: Store, pending: list[dict], threads: int = 1) -> None:
    """Give each pending quote its sentence embedding, computed once and kept in the database. Without the
    model installed the matcher compares words only."""
    missing = [q for q in pending if q["vector"] is None and q["text"]]
    if not missing:
        return
    try:
        vectors = embedder(threads).embed([q["text"] for q in missing])
    except (EmbeddingsUnavailable, ImportError):  # the model's package, or onnxruntime itself, not installed
        return
    blobs = [to_bytes(v) for v in vectors]
    for quote, blob in zip(missing, blobs):
        quote["vector"] = from_bytes(blob)  # as later runs will read it back, so every run compares the same
    statement_store.save_vectors(store, [(q["id"], b) for q, b in zip(missing, blobs)])


def place_quotes(
    index: StatementIndex, pending: list[dict], seen: int, pack_actors: frozenset[str],
    changed: set[int] | None = None,
) -> list[tuple[int, StatementState]]:
    """Each pending quote's statement, as (quote id, statement), for the quotes that found or opened one.
    ``pending`` rows are those of statement_store.quotes_to_place; ``seen`` the highest quote id an earlier
    run met; ``changed`` (id() of statements) what the quotes seen before are retried against, when not the
    statements these quotes went into."""
    placements, touched = [], set()

    def put(quote: dict, among: set[int] | None = None) -> None:
        corpus_only = quote["actor_id"] and quote["actor_kind"] not in VAGUE_SPEAKER_KINDS
        state, _new = index.place(
            quote["actor_id"],
            quote["text"],
            quote["said_on"],
            article_id=quote["article_id"],
            story_id=quote["story_id"],
            firm_speaker=firm_speaker(quote, pack_actors),
            among=among,
            into=pack_actors if corpus_only else None,
            kind=quote.get("kind"),
            vector=quote.get("vector"),
        )
        if state is None:
            return
        touched.add(id(state))
        placements.append((quote["id"], state))

    # Quotes with a firm speaker first, so that a quote with a vague one meets every statement of this run
    # whatever order the outlets were ingested in.
    vague = [q for q in pending if not firm_speaker(q, pack_actors)]
    for quote in pending:
        if firm_speaker(quote, pack_actors):
            put(quote)
    for quote in vague:
        if quote["id"] > seen:
            put(quote)
    # Unresolved quotes seen by an earlier run met every statement there was: now only what changed.
    changed = set(touched) if changed is None else changed
    changed_stories = {
        story for story, listing in index.by_story.items()
        if any(id(state) in changed for state in listing.statements)
    }
    for quote in vague:
        if quote["id"] <= seen and quote["actor_id"] is None and quote["story_id"] in changed_stories:
            put(quote, among=changed)
    return placements
