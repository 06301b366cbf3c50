"""The application object: one database, the knowledge loaded into it, and the jobs that run on it.

The CLI (and later the web app) is a thin layer over this class; everything here is usable from Python.
"""

from __future__ import annotations

import os
from collections import deque
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sqlalchemy.exc import OperationalError

from parallax.analysis.camps import OutletDirectory
from parallax.analysis.update import UpdateSummary, update
from parallax.ingest import language, prepare, read_sources
from parallax.ingest.dedupe import bands, fingerprint, signature, similarity
from parallax.ingest.sources import Limits
from parallax.knowledge.names import alias_key
from parallax.knowledge.packs import load_pack, load_shipped, merge_packs
from parallax.knowledge.registry import Registry
from parallax.model import Analysis, Article, ItemError
from parallax.nlp.actors import forget_matches, resolve
from parallax.nlp.budget import MAX_CHARS, TIME_BUDGET
from parallax.nlp.epithets import EPITHET_CEILING
from parallax.nlp.parallel import analyse_stream
from parallax.nlp.roles import resolve_description
from parallax.store.corrections import load_corrections
from parallax.store.db import ArticleBundle, ResolvedQuote, Store, StoreError
from parallax.store.errors import first_line
from parallax.store.reconnect import reconnecting

NEAR_DUPLICATE = 0.8
# A description resolved through a dated role ("the Dravenian leader") names who held the role that day; the
# article may still mean a former holder, so such a credit is never marked as sure as a name.
_ROLE_CONFIDENCE = 0.75


@dataclass
class IngestReport:
    stored: int = 0
    unchanged: int = 0
    copies: int = 0
    not_english: int = 0
    quotes: int = 0
    errors: list[ItemError] = field(default_factory=list)
    analysis: UpdateSummary | None = None

    @property
    def failed(self) -> bool:
        return bool(self.errors)


# Called for every input item as it is settled: (item name, what happened); then with ("", "analysing") when
# stories and statements are brought up to date, which on a large ingest takes a while of its own, and with
# (how far that is, "analysing") a page at a time.
Progress = Callable[[str, str], None]


class Parallax:
    def __init__(self, db: str):
        self.store = Store.open(db)

    def close(self) -> None:
        self.store.close()

    def add_packs(self, paths: Iterable[str | Path]) -> None:
        """Store the shipped packs and the user's (later ones override earlier ones by id)."""
        pack = merge_packs([load_shipped(), *(load_pack(p) for p in paths)])
        self.store.save_knowledge(pack, alias_key)

    def directory(self) -> OutletDirectory:
        pack = self.store.load_pack()
        return OutletDirectory(pack.outlets, pack.camps)

    def ingest(
        self,
        sources: Iterable[str],
        *,
        allow_private: bool = False,
        limits: Limits = Limits(),
        n_process: int = 1,
        batch_size: int = 32,
        stdin=None,
        progress: Progress | None = None,
        published: date | None = None,
        max_chars: int | None = MAX_CHARS,
        time_budget: float | None = TIME_BUDGET,
        ray: str | None = None,
        ray_workers: int | None = None,
    ) -> IngestReport:
        """Read, clean, analyse and store every item, then bring stories and statements up to date.

        ``published``: the publication date of the articles for which neither the input nor the text states one.
        An article over ``max_chars`` characters of cleaned text, or whose analysis takes longer than
        ``time_budget`` CPU seconds (per piece of a long one), fails with one line and the run goes on (None: no limit).
        ``ray``: the address of a Ray cluster to analyse on (``parallax.nlp.ray_backend.connect``), with
        ``ray_workers`` actors (default: one per CPU of the cluster); raises RayUnavailable when it cannot be used
        (before reading anything when the cluster cannot be reached, before storing anything when no worker starts). The articles are stored here, in input order, as in a local run.
        """
        from parallax.nlp.ray_backend import connect, disconnect

        joined = connect(ray, num_cpus=ray_workers) if ray else False
        report = IngestReport()
        note = progress or (lambda _item, _status: None)
        try:
            self._store_all(sources, report, note, allow_private=allow_private, limits=limits, n_process=n_process,
                            batch_size=batch_size, stdin=stdin, published=published, max_chars=max_chars,
                            time_budget=time_budget, ray=ray, ray_workers=ray_workers)
        finally:
            if joined:
                disconnect()
        # What reading and resolving needed goes before the analysis, which is the run's high point of memory
        # (the analysis hands what is freed here back to the system as it starts).
        language.unload()
        forget_matches()
        note("", "analysing")  # every item is settled: stories and statements are brought up to date next
        # The workers are done by now: the analysis may use as many of this machine's cores as they did (Ray's
        # actors are stopped by now too; on a remote cluster, this machine's cores were the driver's alone).
        workers = (ray_workers or os.cpu_count() or 1) if ray else n_process
        threads = max(1, min(workers, os.cpu_count() or 1))
        report.analysis = reconnecting(
            lambda: update(self.store, threads=threads, progress=lambda message: note(message, "analysing"))
        )
        return report

    def _store_all(
        self, sources: Iterable[str], report: IngestReport, note: Progress, *, allow_private: bool, limits: Limits,
        n_process: int, batch_size: int, stdin, published: date | None, max_chars: int | None,
        time_budget: float | None, ray: str | None, ray_workers: int | None,
    ) -> None:
        """Read, clean, analyse and store every item, counting each in ``report``. What this needs to decide and
        resolve (the actor registry, the run's duplicate index) lives only as long as this call: after a backfill
        it is hundreds of MB that the analysis after it should not have to carry."""
        directory = self.directory()
        registry = self._registry()

        def reload_registry() -> None:
            # the actors a write that failed had added to the registry were rolled back with it
            nonlocal registry
            registry = self._registry()
        dedupe = _RunDedupe(self.store)
        queued: deque[tuple[Article, str, tuple[int, ...]]] = deque()

        def fresh_articles() -> Iterator[tuple[str, object]]:
            for item in read_sources(sources, allow_private=allow_private, limits=limits, stdin=stdin):
                prepared = item if isinstance(item, ItemError) else prepare(item)
                if isinstance(prepared, ItemError):
                    report.errors.append(prepared)
                    note(prepared.item, "failed")
                    continue
                for article in prepared:
                    if max_chars is not None and len(article.text) > max_chars:
                        report.errors.append(ItemError(_name(article), _too_long(len(article.text), max_chars)))
                        note(_name(article), "failed")
                        continue
                    if published and article.published is None:
                        article = replace(article, published=published, published_via="user")
                    article = _with_outlet(article, directory)
                    fp = fingerprint(_content(article))
                    verdict, sig = reconnecting(lambda: dedupe.check(article, fp))
                    if verdict == "unchanged":
                        report.unchanged += 1
                        note(_name(article), "unchanged")
                    elif verdict == "copy":
                        report.copies += 1
                        note(_name(article), "duplicate")
                    else:
                        queued.append((article, fp, sig))
                        # Non-English text is kept but not run through the English pipeline.
                        yield (article.text, article.published, article.title) if article.is_english \
                            else ("", article.published, "")

        if ray:
            from parallax.nlp.ray_backend import analyse_on_ray

            analysed = analyse_on_ray(fresh_articles(), workers=ray_workers, batch_size=batch_size,
                                      time_budget=time_budget)
        else:
            analysed = analyse_stream(fresh_articles(), n_process=n_process, batch_size=batch_size,
                                      time_budget=time_budget)
        for analysis in analysed:
            article, fp, sig = queued.popleft()
            # Nothing more is read, nor checked against the run's index, until this article is stored or failed.
            dedupe.settled(article)
            if isinstance(analysis, str):  # this article's analysis failed: say so, store nothing half-done
                report.errors.append(ItemError(_name(article), analysis))
                note(_name(article), "failed")
                continue
            if not article.is_english:
                analysis = Analysis()
            # Another ingest beside this one may have stored the article (or its twin) since it was checked.
            bundles: list[ArticleBundle] = []

            def save() -> str:
                # rebuilt on a retry: the registry was reloaded, and the new actors are resolved again against it
                bundles.append(self._bundle(article, fp, sig, analysis, registry, directory))
                return self.store.save_new_article(bundles[-1], near_duplicate=_near_duplicate(sig)).outcome

            try:
                outcome = reconnecting(save, before_retry=reload_registry)
            except (StoreError, OperationalError):
                raise  # the database is busy, full, read-only or gone: every later item would fail the same way
            except Exception as exc:  # noqa: BLE001 - this item alone cannot be stored; the others still can
                # The registry learned this article's new actors when it was resolved; later articles name them.
                if bundles:
                    self.store.save_actors(bundles[-1])
                report.errors.append(ItemError(_name(article), f"cannot be stored ({first_line(exc)})"))
                note(_name(article), "failed")
                continue
            if outcome == "stored":
                report.stored += 1
                report.quotes += len(analysis.quotes)
                report.not_english += not article.is_english
            elif outcome == "copy":
                report.copies += 1
            else:
                report.unchanged += 1
            note(_name(article), {"copy": "duplicate"}.get(outcome, outcome))
        for orphan in reconnecting(dedupe.link_pending_copies):
            report.copies -= 1
            report.errors.append(orphan)
            note(orphan.item, "failed")

    def _registry(self) -> Registry:
        actors, aliases = self.store.load_actors()
        return Registry.of(actors, aliases, load_corrections(self.store))

    def _bundle(
        self, article: Article, fp: str, sig, analysis: Analysis, registry: Registry, directory: OutletDirectory
    ) -> ArticleBundle:
        outlet = directory.outlet(article.outlet)
        resolution = resolve(analysis, registry, article.published, outlet.country if outlet else None)
        actor_of = resolution.actor_of
        # the article's actors that a description could name (those with roles), once each: a transcript has
        # tens of thousands of mentions and thousands of quotes to credit
        mentioned = [a for a in dict.fromkeys(actor_of[m.entity] for m in analysis.mentions if actor_of.get(m.entity))
                     if a in registry.actors and registry.actors[a].roles]

        def credit(quote) -> ResolvedQuote:
            speaker = quote.speaker
            if speaker is None:
                return ResolvedQuote(quote, None)
            # an epithet chosen by prominence ("the foreign minister" of the person most named) gives way to
            # the person of the article the packs say held that role on the date
            epithet = speaker.via == "description" and speaker.confidence is not None \
                and speaker.confidence <= EPITHET_CEILING
            if speaker.entity is None or epithet:
                found = resolve_description(speaker.text, mentioned, registry.actors, quote.said_on or article.published)
                if epithet and found not in mentioned:
                    found = None  # against an epithet only a role of someone the article names counts
                if found or not epithet:
                    return ResolvedQuote(quote, found, (found,) if found else (), "role" if found else None,
                                         _ROLE_CONFIDENCE if found else None)
            members = [e for e in (speaker.members or (speaker.entity,)) if actor_of.get(e)]
            if not members:
                return ResolvedQuote(quote, None)
            ids = tuple(dict.fromkeys(actor_of[e] for e in members))
            # a credit is as sure as its weakest step: the local mention, then each member's link to an actor
            sure = min(resolution.confidence.get(e, 1.0) for e in members)
            if speaker.confidence is not None:
                sure *= speaker.confidence
            return ResolvedQuote(quote, ids[0], ids, speaker.via, round(sure, 3))

        return ArticleBundle(
            article=article,
            fingerprint=fp,
            signature=sig,
            bands=tuple(bands(sig)),
            mentions=tuple((m.start, m.end, m.text, actor_of.get(m.entity)) for m in analysis.mentions),
            quotes=tuple(credit(q) for q in analysis.quotes),
            new_actors=resolution.new_actors,
            new_aliases=resolution.new_aliases,
            reviews=tuple((e.name, actor_of.get(e.id), n.candidate, n.actor_id is not None, n.confidence,
                           ", ".join(n.evidence)) for e in analysis.entities if (n := resolution.evidence.get(e.id))),
            embedding=analysis.embedding,
        )


class _RunDedupe:
    """Decides whether an article is new, unchanged since the last run, or a copy of a stored one.

    Copies of articles earlier in the same run are linked once those articles are stored.
    """

    def __init__(self, store: Store):
        self.store = store
        self.seen_fp: dict[str, tuple[str, int]] = {}
        # In-run LSH index: band -> (signature, (source, part)) of articles accepted in this run.
        self.seen_bands: dict[str, list[tuple[tuple[int, ...], tuple[str, int]]]] = {}
        self.pending: list[tuple[Article, tuple[str, int], float]] = []
        # the fingerprint and bands the index holds of each article accepted and not yet settled
        self.indexed: dict[tuple[str, int], tuple[str, list[str]]] = {}

    def check(self, article: Article, fp: str) -> tuple[str, tuple[int, ...]]:
        """("unchanged" | "copy" | "new", the MinHash signature when it was computed)."""
        at = self.store.article_at(article.source, article.part)
        if at and at[1] == fp:
            return "unchanged", ()
        if at is None and self.store.copy_fingerprint(article.source, article.part) == fp:
            return "unchanged", ()  # linked as a copy before, and still the same text
        original = self.store.article_with_fingerprint(fp)
        if original is not None and not at:
            self.store.add_copy(original, article, 1.0, fp)
            return "copy", ()
        if fp in self.seen_fp:
            self.pending.append((article, self.seen_fp[fp], 1.0))
            return "copy", ()
        sig = signature(_content(article))
        sig_bands = bands(sig)
        for stored_id, stored_sig in self.store.near_candidates(tuple(sig_bands)):
            score = similarity(sig, stored_sig)
            if score >= NEAR_DUPLICATE and stored_id != (at[0] if at else None):
                self.store.add_copy(stored_id, article, score, fp)
                return "copy", sig
        for band in sig_bands:
            for other_sig, key in self.seen_bands.get(band, ()):
                score = similarity(sig, other_sig)
                if score >= NEAR_DUPLICATE:
                    self.pending.append((article, key, score))
                    return "copy", sig
        key = (article.source, article.part)
        self.seen_fp[fp] = key
        for band in sig_bands:
            self.seen_bands.setdefault(band, []).append((sig, key))
        self.indexed[key] = (fp, sig_bands)
        return "new", sig

    def settled(self, article: Article) -> None:
        """The article is stored (the database finds it from now on) or has failed (nothing may be taken for a
        copy of it any more): the run's index lets it go, so a run of millions of articles holds only those in
        flight."""
        key = (article.source, article.part)
        fp, sig_bands = self.indexed.pop(key, ("", []))
        if self.seen_fp.get(fp) == key:
            del self.seen_fp[fp]
        for band in sig_bands:
            kept = [entry for entry in self.seen_bands.get(band, ()) if entry[1] != key]
            if kept:
                self.seen_bands[band] = kept
            else:
                self.seen_bands.pop(band, None)

    def link_pending_copies(self) -> list[ItemError]:
        """Link the copies of this run's articles to them; a copy of one that was not stored is an error."""
        orphans = []
        for article, (source, part), score in self.pending:
            stored = self.store.article_for(source, part)
            if stored is not None:
                self.store.add_copy(stored, article, score, fingerprint(article.text))
            else:
                orphans.append(ItemError(_name(article),
                                         f"not stored: a copy of {_item(source, part)}, which was not stored"))
        return orphans


def _near_duplicate(sig: tuple[int, ...]):
    def pick(candidates: list[tuple[int, tuple[int, ...]]]) -> tuple[int, float] | None:
        for stored_id, stored_sig in candidates:
            score = similarity(sig, stored_sig)
            if score >= NEAR_DUPLICATE:
                return stored_id, score
        return None

    return pick


def _with_outlet(article: Article, directory: OutletDirectory) -> Article:
    name, via = directory.name_for(article.outlet, article.outlet_via, article.url)
    return article if (name, via) == (article.outlet, article.outlet_via) else replace(article, outlet=name, outlet_via=via)


def _content(article: Article) -> str:
    """What makes an article the same as another: its text, or its headline when it has no body."""
    return article.text or article.title


def _too_long(length: int, limit: int) -> str:
    return (f"too long to analyse ({length:,} characters of text; the limit is {limit:,}: "
            "raise it with --max-chars or PARALLAX_MAX_CHARS)")


def _name(article: Article) -> str:
    return _item(article.source, article.part)


def _item(source: str, part: int) -> str:
    return source if part == 0 else f"{source} (part {part})"
