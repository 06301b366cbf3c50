"""New articles update stories and statements without reprocessing what is stored."""

from __future__ import annotations

import random

from conftest import EXAMPLES

from parallax.app import Parallax
from parallax.store import read


def test_a_later_ingest_joins_existing_stories_and_leaves_earlier_work_alone(tmp_path, sample_corpus):
    CORPUS = sample_corpus
    engine = Parallax(str(tmp_path / "p.db"))
    engine.add_packs([EXAMPLES / "pack"])
    engine.ingest([str(CORPUS / "txt"), str(CORPUS / "html"), str(CORPUS / "dumps")])
    before = {a["id"]: a["story_id"] for a in read.articles(engine.store)}
    statements_before = {s["id"]: s["quote_ids"] for s in read.statements(engine.store)}
    stories_before = len(read.stories(engine.store))

    report = engine.ingest([str(CORPUS / "feeds")])
    assert report.stored == 3 and report.analysis.articles_clustered == 3
    after = {a["id"]: a["story_id"] for a in read.articles(engine.store)}
    assert {k: after[k] for k in before} == before  # stored articles keep their stories
    new = [after[k] for k in after if k not in before]
    assert all(story in set(before.values()) for story in new)  # the aggregator's copies join known stories
    assert len(read.stories(engine.store)) == stories_before
    statements_after = {s["id"]: s["quote_ids"] for s in read.statements(engine.store)}
    for statement_id, quote_ids in statements_before.items():
        assert statements_after[statement_id][: len(quote_ids)] == quote_ids  # only ever extended
    assert any(len(statements_after[s]) > len(q) for s, q in statements_before.items())
    engine.close()


def test_an_item_edited_into_a_copy_of_another_article_keeps_no_stale_version(tmp_path):
    first = "Kessholm talks resume\n\nKESSHOLM, March 4 - Delegations of Brevnia and Dravenia met again on Tuesday."
    second = ("Harvest warning\n\nSTOLGRAD, March 5 - Farmers in Aldmark warned that the wheat harvest could fall by "
              "a third this year after a dry spring, the union said.")
    (tmp_path / "a.txt").write_text(first + " The mediator said the talks would go on.", encoding="utf-8")
    (tmp_path / "b.txt").write_text(second, encoding="utf-8")
    engine = Parallax(str(tmp_path / "p.db"))
    assert engine.ingest([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]).stored == 2
    (tmp_path / "a.txt").write_text(second, encoding="utf-8")  # the outlet replaced its page with a copy of b
    again = engine.ingest([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert again.copies == 1 and again.unchanged == 1
    stored = read.articles(engine.store)
    assert [a["source"].rsplit("/", 1)[-1] for a in stored] == ["b.txt"]
    assert not any("talks would go on" in q["text"] for q in read.quotes(engine.store))
    copies = read.copies(engine.store)
    assert [c["source"].rsplit("/", 1)[-1] for found in copies.values() for c in found] == ["a.txt"]
    engine.close()


def test_a_backlog_analysed_a_page_at_a_time_gets_the_same_stories_and_statements(tmp_path, sample_corpus,
                                                                                    monkeypatch):
    """A dump of tens of thousands of articles is clustered and matched a page at a time, so that the analysis
    holds one page in memory, not the whole backlog: pages of 2 articles and 3 quotes must give what one page
    of everything gives. So must a story index that packs every story as soon as another one grows, and a
    matcher that computes the likeness of every pair, even of wordings that share no word (and so reads every
    statement its quotes reach, where the others leave out those sharing no word with them)."""
    import shutil

    import parallax.app
    from parallax.analysis import update as analysis
    from parallax.analysis.statement_pairs import model
    from parallax.analysis.stories import StoryIndex
    from parallax.store import statements as statement_store
    from parallax.store.db import Store

    monkeypatch.setattr(parallax.app, "update", lambda *_args, **_kwargs: analysis.UpdateSummary(0, 0, 0))
    engine = Parallax(str(tmp_path / "stored.db"))
    engine.add_packs([EXAMPLES / "pack"])
    engine.ingest([str(sample_corpus)])
    engine.close()
    results, reached_counts, read_counts = [], [], []
    within, by_id = statement_store.statements_within, statement_store.statements_by_id

    def counted(read, counts):  # how many statements each call returns
        return lambda *args: counts.append(len(found := read(*args))) or found

    monkeypatch.setattr(statement_store, "statements_within", counted(within, reached_counts))
    monkeypatch.setattr(statement_store, "statements_by_id", counted(by_id, read_counts))
    for pages, pack_after, shortcut in (((10_000, 10_000), 10_000, True), ((2, 3), 10_000, True),
                                        ((10_000, 10_000), 1, True), ((10_000, 10_000), 10_000, False)):
        path = tmp_path / f"analysed-{pages[0]}-{pack_after}-{shortcut}.db"
        shutil.copy(tmp_path / "stored.db", path)
        monkeypatch.setattr(analysis, "PAGE", pages[0])
        monkeypatch.setattr(analysis, "QUOTE_PAGE", pages[1])
        monkeypatch.setattr(analysis, "UNDATED_PAGE", pages[1])
        monkeypatch.setattr(StoryIndex, "PACK_AFTER", pack_after)
        # without the shortcut, no pair is too unlike to be scored (see statement_pairs.most_without_shared)
        monkeypatch.setitem(model().__dict__, "most_without_shared", model().most_without_shared if shortcut else 1.0)
        store = Store.open(str(path))
        reached_counts.clear(), read_counts.clear()
        summary = analysis.update(store)
        read_ratio = sum(read_counts) / sum(reached_counts)
        results.append((
            summary,
            {a["id"]: a["story_id"] for a in read.articles(store)},
            {s["id"]: s["quote_ids"] for s in read.statements(store)},
            [(s["id"], s["title"], s["first_date"], s["last_date"]) for s in read.stories(store)],
        ))
        store.close()
        assert read_ratio < 0.9 if shortcut else read_ratio == 1.0, (pages, shortcut, read_ratio)
    whole, paged, packed, every_pair = results
    assert whole[0].articles_clustered == 31 and whole[0].quotes_placed > 100
    assert len(whole[3]) == 6 and max(len(q) for q in whole[2].values()) >= 3
    assert paged == whole
    assert packed == whole
    assert every_pair == whole


def test_one_dump_is_clustered_a_page_at_a_time(tmp_path, monkeypatch):
    """A JSONL dump is one input source for all its articles. Pages used to end only where a source ended (to
    keep the parts of a compilation together), so a dump was read in a single page: at 37,000 articles the driver
    held 2 GB. A dump's articles are not parts of one text, and it is read a page at a time like any backlog."""
    import json

    from parallax.analysis import update as analysis

    monkeypatch.setattr(analysis, "PAGE", 10)
    words = "corridor convoy river border bridge grain harbour village ministry envoy winter district rail".split()
    rng = random.Random(3)
    dump = tmp_path / "wire.jsonl"
    with dump.open("w") as out:
        for i in range(25):
            topic = " ".join(rng.choice(words) + str(rng.randrange(1000)) for _ in range(40))  # no two alike
            text = f"Envoy Ilvana Brask said on Tuesday that the talks about {topic} would go on next week."
            out.write(json.dumps({"title": f"Round {i} of talks", "published": "2026-02-12", "text": text}) + "\n")
    engine = Parallax(str(tmp_path / "p.db"))
    said: list[str] = []
    report = engine.ingest([str(dump)], progress=lambda item, status: said.append(item))
    engine.close()
    assert report.stored == 25 and report.analysis.articles_clustered == 25
    assert [m for m in said if m.startswith("clustering stories")] == [
        f"clustering stories: {n} of 25 articles" for n in (10, 20, 25)]


def test_a_long_analysis_says_how_far_it_is(tmp_path, sample_corpus, monkeypatch):
    """After a backfill the stories and statements take a long while of their own once the last article is
    stored: the ingest says, a page at a time, how many articles are clustered and quotes matched of how many."""
    from parallax.analysis import update as analysis

    monkeypatch.setattr(analysis, "PAGE", 10)
    monkeypatch.setattr(analysis, "QUOTE_PAGE", 40)
    engine = Parallax(str(tmp_path / "p.db"))
    engine.add_packs([EXAMPLES / "pack"])
    said: list[tuple[str, str]] = []
    report = engine.ingest([str(sample_corpus)], progress=lambda item, status: said.append((item, status)))
    engine.close()
    analysing = [item for item, status in said if status == "analysing"]
    # nothing is said of the analysis before every item is settled
    assert said.index(("", "analysing")) == len(said) - len(analysing)
    stories = [m for m in analysing if m.startswith("clustering stories")]
    assert stories == [f"clustering stories: {n} of 31 articles" for n in (10, 20, 30, 31)]
    passes = [m for m in analysing if m.startswith("matching statements")]
    first = [m for m in passes if "pass 1 of 3 (firm speakers)" in m]
    read = [int(m.split(": ")[-1].split(" of ")[0]) for m in first]
    assert len(read) > 4 and all(0 < b - a <= 40 for a, b in zip([0, *read], read))  # a page at a time
    assert first[-1].endswith(f": {report.quotes} of {report.quotes} quotes")
    assert any("pass 2 of 3 (vague speakers)" in m for m in passes)
    assert passes[-1].split(": ")[-1].split(" of ")[0] == passes[-1].split(" of ")[-1].split(" ")[0]
