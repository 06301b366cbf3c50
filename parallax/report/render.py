"""Renderers of a Briefing: Markdown for the terminal, HTML (Jinja2, autoescaped), and JSON."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

from jinja2 import Environment, PackageLoader, select_autoescape

from parallax.report.briefing import Briefing

_env = Environment(
    loader=PackageLoader("parallax.report", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def span(briefing: Briefing) -> str:
    first, last = briefing.first_date, briefing.last_date
    if not first:
        return "dates unknown"
    return first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"


def cite(numbers) -> str:
    return "".join(f"[{n}]" for n in numbers)


def to_markdown(b: Briefing) -> str:
    lines = [f"# {b.title}", "", f"*Story {b.story_id} · {span(b)} · {len(b.sources)} sources*", ""]
    lines += ["## Coverage by camp", ""]
    for camp in b.coverage:
        outlets = ", ".join(f"{name} ({n})" for name, n in camp.outlets)
        lines.append(f"- **{camp.camp}**: {outlets}")
    lines += ["", "## Key statements by speaker", ""]
    if not b.speakers:
        lines.append("No attributed statements found.")
    for speaker in b.speakers:
        lines += [f"### {speaker.name}", ""]
        for st in speaker.statements:
            when = st.said_on.isoformat() if st.said_on else "date unknown"
            lines.append(f"- {when} · carried by {', '.join(st.outlets)} ({', '.join(st.camps)})")
            for w in st.wordings:
                lines.append(f"  - “{w.text}” ({w.kind}) {cite(w.sources)}")
        lines.append("")
    if b.unattributed_quotes:
        lines += ["## Unattributed", ""]
        lines += [f"- “{w.text}” {cite(w.sources)}" for w in b.unattributed_quotes]
        lines.append("")
    lines += ["## Timeline", ""]
    lines += [f"- {e.day.isoformat()} {e.text} {cite(e.sources)}" for e in b.timeline] or ["No dated events."]
    lines += ["", "## Sources", ""]
    for s in b.sources:
        when = s.published.isoformat() if s.published else "undated"
        copy = " (duplicate of an earlier text)" if s.copy else ""
        lines.append(f"{s.number}. {s.outlet or 'Unknown outlet'} ({s.camp}), {when}: {s.title}{copy} — {s.location}")
    return "\n".join(lines) + "\n"


def to_html(b: Briefing) -> str:
    return _env.get_template("briefing.html").render(b=b, span=span(b))


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(b: Briefing) -> str:
    return json.dumps(asdict(b), default=_plain, ensure_ascii=False, indent=1)
