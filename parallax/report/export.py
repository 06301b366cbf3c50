"""The export contract (DESIGN.md): one JSON object, or the same records as JSON lines.

Other tools read this, so fields are only ever added, never renamed or dropped.
"""

from __future__ import annotations

import json
from datetime import date
from typing import IO, Iterator

from parallax.analysis.camps import UNATTRIBUTED, OutletDirectory, with_camps
from parallax.report.sides import corpus_directory, worth_listing
from parallax.store import read
from parallax.store.camps import story_camps
from parallax.store.db import Store

EXPORT_VERSION = 1


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def records(store: Store, directory: OutletDirectory) -> Iterator[tuple[str, dict]]:
    """(section, record) pairs in contract order; sections are the keys of the JSON object."""
    for a in read.articles(store):
        yield "articles", {
            "id": a["id"],
            "source": a["source"],
            "part": a["part"],
            "outlet": a["outlet"],
            "title": a["title"],
            "published": _iso(a["published"]),
            "language": a["language"],
            "text": a["text"],
            "url": a["url"],
            "story_id": a["story_id"],
            "outlet_via": a["outlet_via"],
            "published_via": a["published_via"],
        }
    for actor in read.actors(store):
        yield "actors", {
            "id": actor["id"],
            "name": actor["name"],
            "kind": actor["kind"],
            "aliases": actor["aliases"],
        }
    for m in read.mentions(store):
        yield "mentions", m
    for q in read.quotes(store):
        yield "quotes", {
            "id": q["id"],
            "article_id": q["article_id"],
            "start": q["start"],
            "end": q["end"],
            "text": q["text"],
            "kind": q["kind"],
            "cue": q["cue"],
            "said_on": _iso(q["said_on"]),
            "speaker": {
                "text": q["speaker_text"],
                "start": q["speaker_start"],
                "end": q["speaker_end"],
                "actor_id": q["actor_id"],
                # Added in wave 2 (additive): every member of a group speaker (actor_id is the first), how the
                # local mention was resolved, and how sure the whole credit is (0-1).
                "actor_ids": q["speaker_actor_ids"] or ([q["actor_id"]] if q["actor_id"] else []),
                "via": q["speaker_via"],
                "confidence": q["speaker_confidence"],
            },
            "form": q["form"],
            # Added after version 1 (additive): what start/end and the speaker offsets refer to, the article's
            # "text" or, for a headline quote ("Volostny: “We will not back down”"), its "title".
            "in": "title" if q.get("in_title") else "text",
        }
    for s in read.statements(store):
        yield "statements", {"id": s["id"], "actor_id": s["actor_id"], "quote_ids": s["quote_ids"]}
    stories = read.stories(store)
    key_actors = read.key_actors(store, [s["id"] for s in stories])
    # With no camps of the user's, the sides the briefings use: those of every story together.
    sides_seen, sides, parties = corpus_directory(store, directory)
    for s in stories:
        yield "stories", {"id": s["id"], "title": s["title"], "article_ids": s["article_ids"],
                          "key_actor_ids": [a["id"] for a in key_actors.get(s["id"], [])],
                          **({"parties": list(parties.get(s["id"], ()))} if sides else {})}
    seen = {sides_seen.canonical_name(name) for name in read.outlets_seen(store)}
    for camp in worth_listing(camp_members(store, sides_seen), sides, seen):
        yield "camps", camp
    # Added after version 1 (additive): camps a user defined for one story, which its briefing uses instead.
    for story_id, camps in story_camps(store).items():
        for camp in camp_members(store, with_camps(directory, camps))[:-1]:  # Unattributed is global
            yield "story_camps", {"story_id": story_id, **camp}


def camp_members(store: Store, directory: OutletDirectory) -> list[dict]:
    """Each camp with the outlets in it: pack outlets by rule plus every outlet seen in the corpus."""
    members: dict[str, set[str]] = {camp.id: set() for camp in directory.camps}
    members[UNATTRIBUTED.id] = set()
    names = {outlet.name for outlet in directory.outlets} | set(read.outlets_seen(store))
    for name in names:
        members[directory.camp(name).id].add(directory.canonical_name(name))
    camps = [*directory.camps, UNATTRIBUTED]
    return [{"id": c.id, "name": c.name, "outlets": sorted(members[c.id])} for c in camps]


def write_json(store: Store, directory: OutletDirectory, out: IO[str]) -> None:
    document: dict = {
        "parallax_export": EXPORT_VERSION,
        "articles": [],
        "actors": [],
        "mentions": [],
        "quotes": [],
        "statements": [],
        "stories": [],
        "camps": [],
        "story_camps": [],
    }
    for section, record in records(store, directory):
        document[section].append(record)
    json.dump(document, out, ensure_ascii=False, indent=1)
    out.write("\n")


_SINGULAR = {
    "articles": "article",
    "actors": "actor",
    "mentions": "mention",
    "quotes": "quote",
    "statements": "statement",
    "stories": "story",
    "camps": "camp",
    "story_camps": "story_camp",
}


def write_jsonl(store: Store, directory: OutletDirectory, out: IO[str]) -> None:
    """One record per line, each tagged with its section as ``type`` (singular), for streaming tools."""
    out.write(json.dumps({"type": "header", "parallax_export": EXPORT_VERSION}) + "\n")
    for section, record in records(store, directory):
        out.write(json.dumps({"type": _SINGULAR[section], **record}, ensure_ascii=False) + "\n")
