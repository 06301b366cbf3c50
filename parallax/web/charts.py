"""Chart geometry computed on the server, drawn by the templates as inline SVG: charts show without JavaScript
and without any inline style (SVG presentation attributes are not styles, so the strict CSP allows them)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

# Colour-blind-safe palette (Okabe-Ito), one colour per camp in the user's order; grey for unattributed.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
UNATTRIBUTED_COLOUR = "#999999"


def camp_colours(camp_names: tuple[str, ...]) -> dict[str, str]:
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(camp_names)}


@dataclass(frozen=True)
class BarPart:
    camp: str
    count: int
    x: float  # percent of the bar's width
    width: float
    colour: str


def coverage_bar(counts: dict[str, int], colours: dict[str, str]) -> tuple[BarPart, ...]:
    """One horizontal bar split by camp, camps in the user's order, unattributed last."""
    total = sum(n for n in counts.values() if n > 0)
    if not total:
        return ()
    order = [c for c in colours if counts.get(c)] + sorted(c for c in counts if c not in colours and counts[c] > 0)
    parts, x = [], 0.0
    for camp in order:
        width = 100.0 * counts[camp] / total
        parts.append(BarPart(camp, counts[camp], round(x, 2), round(width, 2), colours.get(camp, UNATTRIBUTED_COLOUR)))
        x += width
    return tuple(parts)


@dataclass(frozen=True)
class Column:
    label: str  # the day or the week's first day
    x: float
    width: float
    parts: tuple[tuple[str, int, float, float, str], ...]  # camp, count, y, height, colour
    total: int


@dataclass(frozen=True)
class TimeChart:
    width: int
    height: int
    columns: tuple[Column, ...]
    y_max: int
    first: str
    last: str
    per: str  # "day" or "week"
    undated: int


def time_chart(
    reports: list[tuple[date | None, str, int]], colours: dict[str, str], width: int = 720, height: int = 180
) -> TimeChart | None:
    """Stacked columns of reports (date, camp, how many) per day, or per week over a long span; None with
    nothing dated. Reports come counted: a head of state has tens of thousands, one tuple each would cost more
    than the database query that counted them."""
    dated = [(d, c, n) for d, c, n in reports if d is not None and n > 0]
    if not dated:
        return None
    first, last = min(d for d, _c, _n in dated), max(d for d, _c, _n in dated)
    per = "day" if (last - first).days <= 120 else "week"

    def bucket(d: date) -> date:
        return d if per == "day" else d - timedelta(days=d.weekday())

    counts: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for d, camp, n in dated:
        counts[bucket(d)][camp] += n
    start = bucket(first)
    step = timedelta(days=1 if per == "day" else 7)
    slots = (bucket(last) - start) // step + 1
    y_max = max(sum(c.values()) for c in counts.values())
    plot_h = height - 30  # room for the axis labels
    slot_w = (width - 40) / slots
    columns = []
    for day, by_camp in sorted(counts.items()):
        x = 40 + ((day - start) // step) * slot_w
        y = plot_h
        parts = []
        order = [c for c in colours if by_camp.get(c)] + sorted(c for c in by_camp if c not in colours)
        for camp in order:
            h = plot_h * by_camp[camp] / y_max
            y -= h
            parts.append((camp, by_camp[camp], round(y, 1), round(h, 1), colours.get(camp, UNATTRIBUTED_COLOUR)))
        columns.append(
            Column(day.isoformat(), round(x + slot_w * 0.1, 1), round(max(slot_w * 0.8, 1.0), 1), tuple(parts),
                   sum(by_camp.values()))
        )
    undated = sum(n for d, _c, n in reports if d is None and n > 0)
    return TimeChart(width, height, tuple(columns), y_max, first.isoformat(), last.isoformat(), per, undated)
