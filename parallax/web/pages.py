"""What each page shows, as plain data: the HTML views render it with a template, the JSON API returns it.

Data access stays in parallax.store (read, web_read); this module only shapes it for a page.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date

from parallax.analysis.camps import UNATTRIBUTED, OutletDirectory, with_camps
from parallax.analysis.framing import term_uses
from parallax.knowledge.framing import load_lexicons
from parallax.knowledge.names import fold
from parallax.report.briefing import StoryNotFound, build_briefing
from parallax.report.render import camps_line, no_blindspot_line
from parallax.report.sides import corpus_directory, sides_directory
from parallax.store.camps import story_camps
from parallax.store import actor_read, read, web_read
from parallax.store.db import Store
from parallax.web import charts
from parallax.web.highlight import segments, spans_of

PAGE = 50
PROFILE_ARTICLES = 200  # the framing profile of an outlet reads its latest articles, not its whole archive


class NotFound(LookupError):
    pass


def stored_id(site: "Site", value: int, what: str) -> int:
    """An id from a URL, or NotFound when no row can have it: the database would refuse the number itself
    (an integer column is 64 bits in SQLite, 32 in PostgreSQL) and the page would fail instead of saying so."""
    largest = 2**31 - 1 if site.store.engine.dialect.name == "postgresql" else 2**63 - 1
    if not 1 <= value <= largest:
        raise NotFound(f"no {what} with id {value}")
    return value


@dataclass
class Site:
    """The database a server shows, and what is worth keeping between requests."""

    store: Store
    directory_ttl: float = 5.0
    _directory: tuple[float, OutletDirectory] | None = field(default=None, repr=False)
    _lexicon: object = field(default=None, repr=False)
    _kept: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    cache_size: int = 64

    def kept(self, key: tuple, build):
        """What `build()` returns, kept until the data changes (an ingest, a correction, a camp edit).

        For the pages whose data costs a scan: a briefing reads and analyses every article of its story, an
        actor page counts tens of thousands of quotes for a head of state; checking the data version costs ~1 ms.
        """
        version = web_read.data_version(self.store)
        with self._lock:
            cached = self._kept.get(key)
            if cached is not None and cached[0] == version:
                self._kept.move_to_end(key)
                return cached[1]
        built = build()
        with self._lock:
            self._kept[key] = (version, built)
            while len(self._kept) > self.cache_size:
                self._kept.popitem(last=False)
        return built

    def forget(self) -> None:
        """Drop every kept page (the benchmark's cold runs)."""
        with self._lock:
            self._kept.clear()

    def briefing(self, story_id: int):
        def build():
            try:
                return build_briefing(self.store, self.directory(), story_id, self.lexicon())
            except StoryNotFound as exc:
                raise NotFound(str(exc)) from None

        return self.kept(("briefing", story_id), build)

    def directory(self) -> OutletDirectory:
        # Camps and outlets change only when a user edits them; re-reading them on every request costs ~10 ms.
        now = time.monotonic()
        if self._directory is None or now - self._directory[0] > self.directory_ttl:
            pack = self.store.load_pack()
            self._directory = (now, OutletDirectory(pack.outlets, pack.camps))
        return self._directory[1]

    def lexicon(self):
        if self._lexicon is None:
            self._lexicon = load_lexicons()
        return self._lexicon

    def sides(self):
        """The corpus seen through sides (report.sides.corpus_directory), kept until the data changes: the
        outlets' directory, the sides (None when the user defined camps), each story's parties."""
        directory = self.directory()
        return self.kept(("sides", directory.camps), lambda: corpus_directory(self.store, directory))

    def camp_directory(self) -> OutletDirectory:
        """What the pages over the whole corpus sort outlets by: the user's camps, else every story's sides."""
        return self.sides()[0]

    def story_camp_namers(self, story_ids: list[int]) -> dict:
        """For each story, the camp namer its briefing's camps give: its own camps, else the user's, else sides
        named for its parties."""
        directory = self.directory()
        _corpus, sides, parties = self.sides()
        own = self.kept(("story camps",), lambda: story_camps(self.store))
        namers, by_parties = {}, {}
        for story_id in story_ids:
            if story_id in own:
                namers[story_id] = _camp_namer(with_camps(directory, own[story_id]))
            elif sides is None:
                namers[story_id] = by_parties.setdefault((), _camp_namer(directory))
            else:
                key = parties.get(story_id, ())
                if key not in by_parties:
                    by_parties[key] = _camp_namer(sides_directory(directory, key))
                namers[story_id] = by_parties[key]
        return namers

    def colours(self, extra: tuple[str, ...] = ()) -> dict[str, str]:
        names = tuple(c.name for c in self.camp_directory().camps)
        colours = charts.camp_colours(names + tuple(n for n in dict.fromkeys(extra) if n not in names))
        colours[UNATTRIBUTED.name] = charts.UNATTRIBUTED_COLOUR
        return colours


def _camp_namer(directory: OutletDirectory):
    cache: dict[str, str] = {}

    def camp(outlet: str | None) -> str:
        key = outlet or ""
        if key not in cache:
            cache[key] = directory.camp(outlet).name
        return cache[key]

    return camp


def _pages(total: int, page: int) -> dict:
    pages = max(1, math.ceil(total / PAGE))
    return {"page": page, "pages": pages, "total": total}


# -- stories ---------------------------------------------------------------------------------------


def stories_page(site: Site, search: str | None, since: date | None, until: date | None, page: int = 1) -> dict:
    rows, total = web_read.stories(site.store, search=search, since=since, until=until, limit=PAGE,
                                   offset=(page - 1) * PAGE)
    rows = stories_with_camps(site, rows)
    # a story's sides may name a region's press plainly where the corpus says "Other ...": both get a colour
    colours = site.colours(tuple(c for row in rows for c in row["camps"]))
    for row in rows:
        row["bar"] = charts.coverage_bar(row["camps"], colours)
    return {"stories": rows, "search": search or "", "since": since, "until": until, "colours": colours,
            **_pages(total, page)}


def stories_with_camps(site: Site, rows: list[dict]) -> list[dict]:
    """Stories with their articles counted by camp (copies included), each in the camps its briefing uses."""
    namers = site.story_camp_namers([r["id"] for r in rows])
    outlets = web_read.story_outlets(site.store, [r["id"] for r in rows])
    for row in rows:
        by_camp: Counter = Counter()
        camp = namers[row["id"]]
        for outlet, n in outlets.get(row["id"], {}).items():
            by_camp[camp(outlet or None)] += n
        row["camps"] = dict(by_camp)
    return rows


def story_page(site: Site, story_id: int) -> dict:
    briefing = site.briefing(stored_id(site, story_id, "story"))
    links = web_read.statement_ids(site.store, story_id)
    statement_of = {}
    for speaker in briefing.speakers:
        for i, st in enumerate(speaker.statements):
            found = next((links[(speaker.actor_id, w.text)] for w in st.wordings if (speaker.actor_id, w.text) in links), None)
            statement_of[(speaker.actor_id, i)] = found
    # Colours in the order of the camps this briefing uses (the story's own, the global ones or its sides), so the
    # few camps on the page never share one.
    colours = charts.camp_colours(briefing.camps)
    colours[UNATTRIBUTED.name] = charts.UNATTRIBUTED_COLOUR
    counts = {c.camp: sum(n for _o, n in c.outlets) for c in briefing.coverage}
    # Camps side by side: each column holds what one camp carried and how it worded it.
    facts = {group.camp: group.facts for group in briefing.camp_facts}
    framing = {f.camp: f for f in briefing.framing}
    columns = [
        {"camp": c.camp, "colour": colours.get(c.camp, charts.UNATTRIBUTED_COLOUR), "outlets": c.outlets,
         "facts": facts.get(c.camp, ()), "framing": framing.get(c.camp)}
        for c in briefing.coverage
    ]
    return {
        "b": briefing,
        "statement_of": statement_of,
        "columns": columns,
        "coverage_bar": charts.coverage_bar(counts, colours),
        "camps_line": camps_line(briefing),  # the story's own camps, the global ones or the story's sides
        "no_blindspot": no_blindspot_line(briefing),
        "article_of": {s.number: s.article_id for s in briefing.sources},
        "colours": colours,
    }


# -- actors and statements -------------------------------------------------------------------------


def actors_page(site: Site) -> dict:
    counts = read.actor_mention_counts(site.store)
    top = sorted(counts.items(), key=lambda kv: -kv[1])[:200]
    names = actor_read.actor_names(site.store, [a for a, _ in top])
    return {"actors": [{"id": a, "name": names.get(a, a), "mentions": n} for a, n in top]}


def actor_page(site: Site, actor_id: str, page: int = 1) -> dict:
    # A copy: callers may drop keys (the API drops colours) from what the next request reuses.
    return dict(site.kept(("actor", actor_id, page), lambda: _actor_page(site, actor_id, page)))


def _actor_page(site: Site, actor_id: str, page: int) -> dict:
    found = read.actors(site.store, [actor_id])
    if not found:
        raise NotFound(f"no actor with id {actor_id!r}")
    actor = found[0]
    camp = _camp_namer(site.camp_directory())
    colours = site.colours()
    outlets: Counter = Counter()
    reports: list[tuple[date | None, str, int]] = []
    for day, outlet, n in actor_read.actor_reports(site.store, actor_id):
        outlets[outlet or "unknown outlet"] += n
        reports.append((day, camp(outlet or None), n))
    groups, total, quoted = actor_read.actor_statements(site.store, actor_id, limit=PAGE, offset=(page - 1) * PAGE)
    copies = web_read.copy_outlets(site.store, [q["article_id"] for g in groups for q in g["quotes"]])
    statements = []
    for group in groups:
        wordings: dict[str, dict] = {}
        carried: set[str] = set()
        for q in group["quotes"]:
            wording = wordings.setdefault(q["text"], {"text": q["text"], "kind": q["kind"], "sources": []})
            wording["sources"].append({"article_id": q["article_id"], "quote_id": q["id"], "outlet": q["outlet"],
                                       "title": q["article_title"], "published": q["published"]})
            carried.update(o or "unknown outlet" for o in (q["outlet"], *copies.get(q["article_id"], ())))
        day = group["day"]
        statements.append({
            "id": group["key"] if group["key"] > 0 else None,
            "said_on": day if day is None or isinstance(day, date) else date.fromisoformat(str(day)),
            "wordings": list(wordings.values()),
            "outlets": sorted(carried),
            "camps": sorted({camp(None if o == "unknown outlet" else o) for o in carried}),
        })
    return {
        "actor": actor,
        "spellings": actor_read.actor_spellings(site.store, actor_id),
        "outlets": [{"outlet": o, "camp": camp(None if o == "unknown outlet" else o), "reports": n}
                    for o, n in outlets.most_common()],
        "statements": statements,
        "quotes": quoted,
        "chart": charts.time_chart(reports, colours),
        "colours": colours,
        **_pages(total, page),
    }


def statement_page(site: Site, statement_id: int) -> dict:
    found = web_read.statement(site.store, stored_id(site, statement_id, "statement"))
    if found is None:
        raise NotFound(f"no statement with id {statement_id}")
    camp = _camp_namer(site.camp_directory())
    copies = web_read.copy_outlets(site.store, [q["article_id"] for q in found["quotes"]])
    for q in found["quotes"]:
        q["camp"] = camp(q["outlet"])
        q["copies"] = [{"outlet": o, "camp": camp(o or None)} for o in copies.get(q["article_id"], ())]
    return {"statement": found, "colours": site.colours()}


# -- quotes ----------------------------------------------------------------------------------------


def camp_outlets(site: Site, camp_id: str) -> list[str]:
    directory = site.camp_directory()
    return [name for name in read.outlets_seen(site.store) if directory.camp(name).id == camp_id]


def quotes_page(site: Site, filters: dict, page: int = 1, limit: int = PAGE) -> dict:
    """filters: text, speaker (actor id), outlet, camp (id), kind, since, until."""
    outlets = None
    if filters.get("camp"):
        outlets = camp_outlets(site, filters["camp"])
        if filters.get("outlet"):
            outlets = [o for o in outlets if o.lower() == filters["outlet"].lower()]
    elif filters.get("outlet"):
        outlets = [filters["outlet"]]
    rows, total = web_read.search_quotes(
        site.store, text=filters.get("text"), actor_id=filters.get("speaker"), outlets=outlets,
        kind=filters.get("kind"), since=filters.get("since"), until=filters.get("until"),
        limit=limit, offset=(page - 1) * limit,
    )
    camp = _camp_namer(site.camp_directory())
    for r in rows:
        r["camp"] = camp(r["outlet"])
    camps = [{"id": c.id, "name": c.name} for c in (*site.camp_directory().camps, UNATTRIBUTED)]
    return {"quotes": rows, "filters": filters, "camps": camps, **_pages(total, page)}


# -- articles and outlets --------------------------------------------------------------------------


def article_page(site: Site, article_id: int) -> dict:
    found = web_read.article(site.store, stored_id(site, article_id, "article"))
    if found is None:
        raise NotFound(f"no article with id {article_id}")
    camp = _camp_namer(site.camp_directory())
    for c in found["copies"]:
        c["camp"] = camp(c["outlet"])
    return {
        "article": found,
        "camp": camp(found["outlet"]),
        "segments": segments(found["text"], spans_of(found)),
        "colours": site.colours(),
    }


def outlet_page(site: Site, name: str) -> dict:
    directory = site.camp_directory()
    known = directory.outlet(name)
    volume = web_read.outlet_volume(site.store, name)
    if not known and not volume["articles"] and not volume["copies"]:
        raise NotFound(f"no outlet named {name!r}")
    camp = directory.camp(name).name
    latest = web_read.outlet_articles(site.store, name, limit=PROFILE_ARTICLES, with_text=True)
    english = [a for a in latest if a["language"] == "en"]
    ids = [a["id"] for a in english]
    mentions = web_read.outlet_mentions(site.store, ids)
    names = actor_read.actor_names(site.store, [actor for found in mentions.values() for _s, _e, actor in found])
    camp_of = {i: camp for i in ids}
    terms = term_uses(english, camp_of, web_read.quoted_spans(site.store, ids), site.lexicon())
    spellings = spelling_profile(english, mentions, names, site.lexicon())
    for a in latest:
        a.pop("text", None)
    return {
        "name": known.name if known else name,
        "outlet": known,
        "camp": camp,
        "colour": site.colours().get(camp, charts.UNATTRIBUTED_COLOUR),
        "volume": volume,
        "articles": latest[:PAGE],
        "profiled": len(english),
        "spellings": spellings,
        "terms": [{"term": u.term, "own_voice": u.own_voice, "in_quotes": u.in_quotes, "articles": list(u.article_ids)}
                  for u in terms],
    }


def spelling_profile(articles: list[dict], mentions: dict, names: dict[str, str], lexicon) -> list[dict]:
    """How an outlet writes names: the spellings of resolved names that differ from the canonical one, and its
    uses of each form of the lexicon's competing spellings (Kyiv/Kiev)."""
    forms: dict[str, Counter] = defaultdict(Counter)
    for a in articles:
        text = a["text"]
        for start, end, actor_id in mentions.get(a["id"], []):
            words = text[start:end].split()
            if words and words[-1][:1].isupper() and actor_id in names:
                forms[names[actor_id]][words[-1].strip(".,;:'’\"").removesuffix("'s").removesuffix("’s")] += 1
        for group in lexicon.spellings:
            for spelling in group:
                n = len(re.findall(r"(?<!\w)" + re.escape(spelling) + r"(?!\w)", text, re.IGNORECASE))
                if n:
                    forms[group[0]][spelling] += n
    profile = []
    for name, counter in sorted(forms.items()):
        canonical = fold(name.split()[-1]) if name.split() else ""
        if any(not fold(f).startswith(canonical) for f in counter):
            profile.append({"name": name, "forms": counter.most_common()})
    return profile
