"""Renderers of a Briefing: Markdown for the terminal, HTML (Jinja2, autoescaped), and JSON."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

from jinja2 import Environment, PackageLoader, select_autoescape

from parallax.analysis.camps import UNATTRIBUTED
from parallax.report.briefing import Briefing, as_said

_env = Environment(
    loader=PackageLoader("parallax.report", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["said"] = as_said


def span(briefing: Briefing) -> str:
    first, last = briefing.first_date, briefing.last_date
    if not first:
        return "dates unknown"
    return first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"


def _days(first, last) -> str:
    if not first:
        return "undated"
    return first.isoformat() if first == last or not last else f"{first.isoformat()} to {last.isoformat()}"


def cite(numbers) -> str:
    return "".join(f"[{n}]" for n in numbers)


def camps_line(b: Briefing) -> str:
    """Which camps the outlets were sorted into: the story's own (`parallax camps --story`) or the global ones."""
    if not b.camps:
        return "No camps defined: every outlet is unattributed."
    names = ", ".join(b.camps)
    if b.camps_scope == "story":
        return f"Camps of this story: {names} (set with parallax camps --story {b.story_id})."
    if b.camps_scope == "sides":
        about = f", a story about {_and(b.parties)}" if b.parties else ""
        return (f"Sides that carried this story or were expected to{about}: {names} "
                f"(define your own with parallax camps).")
    return f"Global camps: {names} (this story has no camps of its own)."


def no_blindspot_line(b: Briefing) -> str:
    carried = [c.camp for c in b.coverage if c.camp != UNATTRIBUTED.name]
    if len(carried) >= 2:
        return "No blindspot: more than one camp carried this story."
    if carried:
        return f"No blindspot: only {carried[0]} carried this story, and no other side was expected to."
    return "No blindspot: no outlet in a camp carried this story."


def _and(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def key_actors_line(b: Briefing) -> str:
    if not b.key_actors:
        return ""
    return "Key actors: " + "; ".join(
        f"{a['name']} ({a['articles']} article{'s' * (a['articles'] != 1)}, {a['quotes']} quote{'s' * (a['quotes'] != 1)})"
        for a in b.key_actors
    )


def to_markdown(b: Briefing) -> str:
    lines = [f"# {b.title}", "", f"*Story {b.story_id} · {span(b)} · {len(b.sources)} sources*", ""]
    if b.key_actors:
        lines += [key_actors_line(b), ""]
    lines += ["## Coverage by camp", "", camps_line(b), ""]
    for camp in b.coverage:
        outlets = ", ".join(f"{name} ({n})" for name, n in camp.outlets)
        lines.append(f"- **{camp.camp}**: {outlets}")
    lines += ["", f"**Blindspot:** {b.blindspot}" if b.blindspot else no_blindspot_line(b)]
    if b.events:
        lines += ["", "## Events", ""]
        for e in b.events:
            lines.append(f"- {_days(e.first_date, e.last_date)} {e.title} {cite(e.sources)}")
    lines += ["", "## Reported across camps", ""]
    for f in b.shared_facts:
        lines.append(f"- {f.text} ({', '.join(f.camps)}) {cite(f.sources)}")
    if not b.shared_facts:
        lines.append("No sentence was found in the coverage of two or more camps.")
    lines += ["", "## Reported by one camp only", ""]
    for group in b.camp_facts:
        lines += [f"### {group.camp}", ""]
        lines += [f"- {f.text} {cite(f.sources)}" for f in group.facts]
        lines.append("")
    if not b.camp_facts:
        lines += ["Nothing found in one camp only.", ""]
    lines += ["## Key statements by speaker", ""]
    if not b.speakers:
        lines.append("No attributed statements found.")
    for speaker in b.speakers:
        lines += [f"### {speaker.name}", ""]
        for st in speaker.statements:
            when = st.said_on.isoformat() if st.said_on else "date unknown"
            lines.append(f"- {when} · carried by {', '.join(st.outlets)} ({', '.join(st.camps)})")
            if st.blindspot:
                lines.append(f"  - *Blindspot:* {st.blindspot}")
            for w in st.wordings:
                unsure = f" *(credit uncertain: {w.unsure})*" if w.unsure else ""
                lines.append(f"  - {as_said(w.text, w.kind)} ({w.kind}){unsure} {cite(w.sources)}")
        if speaker.topics:
            lines.append("- Also spoke about: " + "; ".join(f"{w.text} {cite(w.sources)}" for w in speaker.topics))
        lines.append("")
    if b.unattributed_quotes:
        lines += ["## Unattributed", ""]
        lines += [f"- {as_said(w.text, w.kind)} {cite(w.sources)}" for w in b.unattributed_quotes]
        lines.append("")
    lines += ["## Timeline", ""]
    lines += [f"- {e.day.isoformat()} {e.text} {cite(e.sources)}" for e in b.timeline] or ["No dated events."]
    lines += ["", "## Framing by camp", ""]
    for camp in b.framing:
        lines += [f"### {camp.camp}", ""]
        for t in camp.loaded_terms:
            lines.append(f"- loaded term “{t.term}”: {t.own_voice} in its own voice, {t.in_quotes} in quotes {cite(t.sources)}")
        for t in camp.own_wording:
            lines.append(f"- only this camp wrote “{t.term}” ({t.own_voice}×) {cite(t.sources)}")
        lines.append("")
    if not b.framing:
        lines += ["No loaded terms found.", ""]
    if b.spellings:
        lines += ["### Spelling choices by outlet", ""]
        for s in b.spellings:
            forms = ", ".join(f"{form} ({n})" for form, n in s.forms)
            lines.append(f"- {s.name} — {s.outlet} ({s.camp}): {forms} {cite(s.sources)}")
        lines.append("")
    lines += ["## Sources", ""]
    for s in b.sources:
        when = s.published.isoformat() if s.published else "undated"
        copy = " (duplicate of an earlier text)" if s.copy else ""
        lines.append(f"{s.number}. {s.outlet or 'Unknown outlet'} ({s.camp}), {when}: {s.title}{copy} — {s.location}")
    return "\n".join(lines) + "\n"


def to_html(b: Briefing) -> str:
    return _env.get_template("briefing.html").render(b=b, span=span(b), camps_line=camps_line(b),
                                                     no_blindspot=no_blindspot_line(b))


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(b: Briefing) -> str:
    return json.dumps(asdict(b), default=_plain, ensure_ascii=False, indent=1)
