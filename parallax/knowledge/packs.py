"""Knowledge packs: YAML files of actors, outlets and camps.

A pack is a YAML file or a directory of YAML files; each file has any of the top-level keys ``actors``,
``outlets`` and ``camps``. Errors name the file and, where YAML gives one, the line, because packs are
written by hand and a user must be able to find the mistake.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from parallax.model import Actor, Camp, CampRule, Outlet, Pack, Role

SHIPPED = Path(__file__).parent / "packs"

_KINDS = {"person", "organization", "place", "other"}
_GENDERS = {None, "male", "female"}
_FIELDS = {
    "actors": ({"id", "name"}, {"kind", "aliases", "gender", "roles", "country", "note"}),
    "outlets": ({"id", "name"}, {"aliases", "domains", "country", "ownership", "note"}),
    "camps": ({"id", "name", "rule"}, {"note"}),
}
_ROLE_FIELDS = {"title", "organisation", "country", "from", "to"}
_RULE_FIELDS = {"outlets", "countries", "ownership"}


class PackError(ValueError):
    """A knowledge pack that cannot be used; the message names the file and line."""


# The C loader, when PyYAML was built with it, reads the shipped packs about five times faster.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):
    """Records the line of every mapping so validation errors can point at it."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_pack(path: str | Path) -> Pack:
    """Load a pack file or directory (its *.yaml / *.yml files, sorted)."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file())
        if not files:
            raise PackError(f"{path}: no .yaml files in this pack directory")
    elif path.is_file():
        files = [path]
    else:
        raise PackError(f"{path}: no such pack file or directory")
    return merge_packs([_load_file(f) for f in files])


def load_shipped() -> Pack:
    """The packs that come with Parallax (empty when none are installed)."""
    if not SHIPPED.is_dir() or not any(SHIPPED.glob("*.yaml")):
        return Pack()
    return load_pack(SHIPPED)


def merge_packs(packs: list[Pack]) -> Pack:
    """Combine packs; a later pack's entry replaces an earlier one with the same id (users override)."""
    merged: dict[str, dict[str, Any]] = {"actors": {}, "outlets": {}, "camps": {}}
    for pack in packs:
        for key in merged:
            for item in getattr(pack, key):
                merged[key][item.id] = item
    return Pack(**{key: tuple(items.values()) for key, items in merged.items()})


def _load_file(file: Path) -> Pack:
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=_LineLoader)
    except UnicodeDecodeError:
        raise PackError(f"{file}: not valid UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PackError(f"{file}:{where}: invalid YAML ({problem})") from None
    if data is None:
        return Pack()
    if not isinstance(data, dict):
        raise PackError(f"{file}: expected a mapping with actors/outlets/camps at the top")
    data.pop("__line__", None)
    unknown = set(data) - set(_FIELDS)
    if unknown:
        raise PackError(f"{file}: unknown top-level key(s) {', '.join(sorted(unknown))}")
    parsed: dict[str, list] = {}
    for key, build in (("actors", _actor), ("outlets", _outlet), ("camps", _camp)):
        entries = data.get(key) or []
        if not isinstance(entries, list):
            raise PackError(f"{file}: '{key}' must be a list")
        seen: dict[str, int] = {}
        items = []
        for entry in entries:
            line = entry.get("__line__", "?") if isinstance(entry, dict) else "?"
            where = f"{file}: line {line}"
            if not isinstance(entry, dict):
                raise PackError(f"{where}: each entry of '{key}' must be a mapping")
            _check_fields(where, entry, *_FIELDS[key])
            entry_id = str(entry["id"])
            if entry_id in seen:
                raise PackError(f"{where}: duplicate id '{entry_id}' (first at line {seen[entry_id]})")
            seen[entry_id] = line
            items.append(build(where, entry))
        parsed[key] = items
    return Pack(**{key: tuple(items) for key, items in parsed.items()})


def _check_fields(where: str, entry: dict, required: set[str], optional: set[str]) -> None:
    keys = set(entry) - {"__line__"}
    missing = required - keys
    if missing:
        raise PackError(f"{where}: missing field(s) {', '.join(sorted(missing))}")
    unknown = keys - required - optional
    if unknown:
        raise PackError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for key in required:
        if entry[key] in (None, ""):
            raise PackError(f"{where}: field '{key}' is empty")


def _strings(where: str, entry: dict, key: str) -> tuple[str, ...]:
    value = entry.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise PackError(f"{where}: '{key}' must be a list of strings")
    return tuple(str(v) for v in value)


def _date(where: str, value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise PackError(f"{where}: '{value}' is not an ISO date (YYYY-MM-DD)") from None


def _actor(where: str, entry: dict) -> Actor:
    kind = entry.get("kind", "person")
    if kind not in _KINDS:
        raise PackError(f"{where}: kind '{kind}' is not one of {', '.join(sorted(_KINDS))}")
    gender = entry.get("gender")
    if gender not in _GENDERS:
        raise PackError(f"{where}: gender '{gender}' is not male or female")
    roles = []
    for role in entry.get("roles") or []:
        if not isinstance(role, dict):
            raise PackError(f"{where}: each role must be a mapping")
        role_where = f"{where.rsplit(' line ', 1)[0]} line {role.get('__line__', '?')}"
        _check_fields(role_where, role, {"title"}, _ROLE_FIELDS - {"title"})
        roles.append(
            Role(
                title=str(role["title"]),
                organisation=role.get("organisation"),
                country=role.get("country"),
                start=_date(role_where, role.get("from")),
                end=_date(role_where, role.get("to")),
            )
        )
    return Actor(
        id=str(entry["id"]),
        name=str(entry["name"]),
        kind=kind,
        aliases=_strings(where, entry, "aliases"),
        gender=gender,
        roles=tuple(roles),
        country=entry.get("country") or next((r.country for r in roles if r.country), None),
    )


def _outlet(where: str, entry: dict) -> Outlet:
    return Outlet(
        id=str(entry["id"]),
        name=str(entry["name"]),
        domains=_strings(where, entry, "domains"),
        aliases=_strings(where, entry, "aliases"),
        country=entry.get("country"),
        ownership=entry.get("ownership"),
    )


def _camp(where: str, entry: dict) -> Camp:
    rule = entry["rule"]
    if not isinstance(rule, dict):
        raise PackError(f"{where}: 'rule' must be a mapping of outlets/countries/ownership")
    unknown = set(rule) - _RULE_FIELDS - {"__line__"}
    if unknown:
        raise PackError(f"{where}: unknown rule field(s) {', '.join(sorted(unknown))}")
    return Camp(
        id=str(entry["id"]),
        name=str(entry["name"]),
        rule=CampRule(
            outlets=_strings(where, rule, "outlets"),
            countries=_strings(where, rule, "countries"),
            ownership=_strings(where, rule, "ownership"),
        ),
    )
