"""The framing lexicon: loaded terms and competing spellings, from YAML files with `framing` and `spellings` keys.

Kept apart from the actors/outlets/camps packs (whose loader reads every YAML file under knowledge/packs and
accepts only those keys): the shipped file is parallax/knowledge/lexicons/framing.yaml, and a user adds theirs
with `parallax brief --framing FILE`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

SHIPPED = Path(__file__).parent / "lexicons" / "framing.yaml"


class FramingError(ValueError):
    pass


@dataclass(frozen=True)
class LoadedTerm:
    term: str
    side: str | None = None


@dataclass(frozen=True)
class Lexicon:
    terms: tuple[LoadedTerm, ...] = ()
    spellings: tuple[tuple[str, ...], ...] = ()

    def __add__(self, other: Lexicon) -> Lexicon:
        known = {t.term.casefold() for t in self.terms}
        terms = self.terms + tuple(t for t in other.terms if t.term.casefold() not in known)
        return Lexicon(terms, self.spellings + tuple(s for s in other.spellings if s not in self.spellings))


def load_lexicon(path: str | Path) -> Lexicon:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise FramingError(f"{path}: cannot read the framing lexicon ({exc})") from None
    if not isinstance(data, dict):
        raise FramingError(f"{path}: expected a mapping with `framing` and/or `spellings`")
    terms = []
    for entry in data.get("framing") or []:
        if isinstance(entry, str):
            entry = {"term": entry}
        if not isinstance(entry, dict) or not str(entry.get("term") or "").strip():
            raise FramingError(f"{path}: each framing entry needs a `term`")
        terms.append(LoadedTerm(str(entry["term"]).strip(), entry.get("side")))
    spellings = []
    for group in data.get("spellings") or []:
        if not isinstance(group, list) or len(group) < 2:
            raise FramingError(f"{path}: each spellings entry is a list of two or more spellings")
        spellings.append(tuple(str(s).strip() for s in group))
    return Lexicon(tuple(terms), tuple(spellings))


def load_lexicons(paths=()) -> Lexicon:
    """The shipped lexicon plus the user's files, in order."""
    lexicon = load_lexicon(SHIPPED) if SHIPPED.is_file() else Lexicon()
    for path in paths:
        lexicon = lexicon + load_lexicon(path)
    return lexicon
