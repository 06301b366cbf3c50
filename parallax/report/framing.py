"""The framing section of a briefing: loaded terms and one-camp wording by camp, spellings by outlet, cited."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from parallax.analysis.framing import distinctive_wording, spelling_choices, term_uses
from parallax.knowledge.framing import Lexicon
from parallax.store import actor_read


@dataclass(frozen=True)
class TermLine:
    term: str
    own_voice: int  # for one-camp wording: every occurrence
    in_quotes: int
    sources: tuple[int, ...]


@dataclass(frozen=True)
class CampFraming:
    camp: str
    loaded_terms: tuple[TermLine, ...]  # from the lexicon
    own_wording: tuple[TermLine, ...]  # phrases no other camp used


@dataclass(frozen=True)
class SpellingLine:
    name: str
    outlet: str
    camp: str
    forms: tuple[tuple[str, int], ...]
    sources: tuple[int, ...]


def framing_lines(store, articles, quotes, mentions, camp_of, by_article, lexicon: Lexicon):
    """(CampFraming per camp, SpellingLine per outlet and name) for a story's English articles."""
    articles = [a for a in articles if a["id"] in camp_of]

    def cite(ids) -> tuple[int, ...]:
        return tuple(sorted({s.number for i in ids for s in by_article.get(i, []) if not s.copy}))

    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for q in quotes:
        if not q.get("in_title"):  # a headline quote's offsets refer to the title
            spans[q["article_id"]].append((q["start"], q["end"]))
    loaded: dict[str, list[TermLine]] = defaultdict(list)
    for use in term_uses(articles, camp_of, spans, lexicon):
        loaded[use.camp].append(TermLine(use.term, use.own_voice, use.in_quotes, cite(use.article_ids)))
    own = {
        camp: [TermLine(phrase, n, 0, cite(ids)) for phrase, n, ids in found]
        for camp, found in distinctive_wording(articles, camp_of, mentions).items()
    }
    camps = sorted(set(loaded) | set(own))
    framing = tuple(CampFraming(c, tuple(loaded.get(c, ())), tuple(own.get(c, ()))) for c in camps)
    actor_ids = sorted({actor for found in mentions.values() for _a, _b, actor in found})
    names = actor_read.actor_names(store, actor_ids) if actor_ids else {}  # the names only, not every alias
    spellings = tuple(
        SpellingLine(s.name, s.outlet, s.camp, s.forms, cite(s.article_ids))
        for s in spelling_choices(articles, camp_of, mentions, names, lexicon)
    )
    return framing, spellings
