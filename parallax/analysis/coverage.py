"""Coverage of a story by camp, and blindspots: a story or a statement carried mostly by one camp."""

from __future__ import annotations

from dataclasses import dataclass

from parallax.analysis.camps import UNATTRIBUTED

BLINDSPOT_SHARE = 0.75  # one camp carrying three quarters of what the sides reported


@dataclass(frozen=True)
class Blindspot:
    dominant: str  # the camp that carried most of it
    share: float  # of the sources in named camps
    missing: tuple[str, ...]  # named camps with no source at all
    note: str


def blindspot(counts: dict[str, int], camps: tuple[str, ...], what: str = "story") -> Blindspot | None:
    """A blindspot when the user defined two or more camps and one of them carried at least
    BLINDSPOT_SHARE of the sources in named camps (unattributed outlets take no side, so they do not count)."""
    named = {c: n for c, n in counts.items() if c != UNATTRIBUTED.name and n > 0}
    if len(camps) < 2 or not named:
        return None
    total = sum(named.values())
    dominant, top = max(sorted(named.items()), key=lambda kv: kv[1])
    share = top / total
    missing = tuple(c for c in camps if c not in named)
    if share < BLINDSPOT_SHARE or (total < 2 and not missing):
        return None
    note = f"This {what} is carried mostly by {dominant} ({top} of {total} sources in named camps)"
    if missing:
        note += f"; no coverage from {', '.join(missing)}"
    return Blindspot(dominant, round(share, 2), missing, note + ".")
