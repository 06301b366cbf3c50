"""Coverage of a story by camp, and blindspots: a story or a statement carried mostly by one camp."""

from __future__ import annotations

from dataclasses import dataclass

from parallax.analysis.camps import UNATTRIBUTED

BLINDSPOT_SHARE = 0.75  # one camp carrying three quarters of what the sides reported
MAX_MISSING = 3  # a note naming more silent camps than this drowns the one that matters


@dataclass(frozen=True)
class Blindspot:
    dominant: str  # the camp that carried most of it
    share: float  # of the sources in named camps
    missing: tuple[str, ...]  # named camps with no source at all
    note: str


def blindspot(
    counts: dict[str, int], camps: tuple[str, ...], what: str = "story", expected: tuple[str, ...] | None = None
) -> Blindspot | None:
    """A blindspot when there are two or more camps and one of them carried at least BLINDSPOT_SHARE of the
    sources in named camps (unattributed outlets take no side, so they do not count).

    ``expected``: the camps whose silence is worth naming, most telling first (a party's own media); by default
    every camp, in the user's order. The note names at most MAX_MISSING of them."""
    named = {c: n for c, n in counts.items() if c != UNATTRIBUTED.name and n > 0}
    if len(camps) < 2 or not named:
        return None
    total = sum(named.values())
    dominant, top = max(sorted(named.items()), key=lambda kv: kv[1])
    share = top / total
    missing = tuple(c for c in (camps if expected is None else expected) if c not in named)
    if share < BLINDSPOT_SHARE or (total < 2 and not missing):
        return None
    note = f"This {what} is carried mostly by {dominant} ({top} of {total} sources in named camps)"
    if missing:
        named_here = missing[:MAX_MISSING]
        more = len(missing) - len(named_here)
        note += f"; no coverage from {_listed(named_here)}"
        if more:
            note += f" (nor from {more} other camp{'s' * (more != 1)})"
    return Blindspot(dominant, round(share, 2), missing[:MAX_MISSING], note + ".")


def _listed(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
