"""Names under noise: garbled, misheard and transliterated names resolved from what surrounds them.

Speech-to-text, machine translation and aggregators leave names further from the truth than ordinary
spelling variants: a surname heard as another word ("Mark Root"), a case ending kept from Russian
("Zelenskogo", "Peskova"), a town cut to its first syllable, letters confused by OCR ("Lavrcv"). Alone such
a name is as close to a dozen actors as to the right one; its context settles it. When ``actors.link`` finds
nothing, ``rescue`` collects the few candidates the context allows and accepts a weak match only among them:

- **role**: holders, on the article's date, of a role whose title and organisation or country the words
  around the name give ("NATO chief", "the Kremlin spokesman", "governor of the Belgorod region");
- **place**: places of the country named nearby, and regions when the name carries a designator
  ("the Harkiw region");
- **article**: an actor the same article names correctly elsewhere ("Zelensky ... Zelenskogo").

With no such context it falls back to noise-aware keys over the whole pack (consonant skeleton, metaphone,
case endings stripped), which must agree much more closely. Every answer carries its evidence and a
confidence; below ``actors.THRESHOLD`` (or without a margin over the next candidate) the name is not linked
and the best candidate is only kept for review (``parallax actors review``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import islice

import jellyfish
from rapidfuzz import fuzz, process

from parallax.knowledge.countries import place_words
from parallax.knowledge.names import GIVEN_NAMES, alias_key, fold, name_stem
from parallax.knowledge.registry import Registry
from parallax.model import Actor, Analysis, Entity
from parallax.nlp.places import REGION_WORDS
from parallax.nlp.entities import PERSON_TITLES
from parallax.nlp.roles import _SYNONYMS, _active, _explains, _place_words
from parallax.nlp.speakers import same_stem

MARGIN = 0.08  # over the next candidate: a weak match is only trusted when nothing else comes close
REVIEW_FLOOR = 0.65  # rejected candidates above this are kept for review; below it they are noise
_PLACE_TYPES = frozenset("town city village settlement region oblast krai province district port".split())
# evidence that comes from the context (the rest is likeness alone)
_CONTEXT = frozenset({"role", "role nearby", "region", "place", "place type", "article", "country"})


@dataclass(frozen=True)
class NoisyLink:
    """The outcome of a rescue: the actor linked (None when the name stays a corpus actor), the best
    candidate considered, the confidence, and the evidence it rests on ("role", "place", "article",
    "phonetic", "first name")."""

    actor_id: str | None
    candidate: str
    confidence: float
    evidence: tuple[str, ...]


# -- how close two name keys are, under noise ------------------------------------------------------------

_ENDINGS = tuple(sorted("ogo ego omu emu oy oi ym im ova eva ovoi ovym iy yi ii a y u e i".split(), key=len, reverse=True))


# Letters a scanner or a bad font confuses, each group read as one: rn/m, cl/d, vv/w, ii/u, i/l/1, o/0/c/e,
# s/5, u/v, b/h/8.
_OCR_PAIRS = (("rn", "m"), ("cl", "d"), ("vv", "w"), ("ii", "u"))
_OCR_LETTERS = str.maketrans("il1|0ce5ubh8", "lllloooovbbb")


_OCR_DIGITS = str.maketrans("1|05", "llos")


def _ocr_marks(token: str) -> str:
    """Only the scanner's marks undone: split letters (rn, cl, vv, ii) and digits for letters."""
    for pair, letter in _OCR_PAIRS:
        token = token.replace(pair, letter)
    return token.translate(_OCR_DIGITS)


@lru_cache(maxsize=100_000)
def _ocr(token: str) -> str:
    for pair, letter in _OCR_PAIRS:
        token = token.replace(pair, letter)
    return token.translate(_OCR_LETTERS)


# German, Polish and French renderings of Cyrillic letters, brought to the English ones the packs use.
_SCHEMES = re.compile(r"tsch|sch|tch|cz|sz|ch|ou|dj|j|zs")
_ENGLISH = {"tsch": "ch", "sch": "sh", "tch": "ch", "cz": "ch", "sz": "sh", "ch": "h", "ou": "u", "dj": "j",
            "j": "y", "zs": "zh"}


@lru_cache(maxsize=100_000)
def _translit(token: str) -> str:
    return _SCHEMES.sub(lambda m: _ENGLISH[m.group(0)], token)


@lru_cache(maxsize=100_000)
def _stem(token: str) -> str:
    return name_stem(token)


@lru_cache(maxsize=100_000)
def _sound(token: str) -> str:
    return jellyfish.metaphone(token)


def _stem_of_known(token: str) -> str:
    """A pack name without the final vowel of an adjectival surname (Zelenski -> zelensk); nothing else."""
    return token[:-1] if token.endswith(("i", "y")) and len(token) >= 6 else token


@lru_cache(maxsize=100_000)
def _strip_ending(token: str) -> str:
    for ending in _ENDINGS:
        if token.endswith(ending) and len(token) - len(ending) >= 4:
            return token[: -len(ending)]
    return token


@lru_cache(maxsize=100_000)
def weak_similarity(written: str, known: str) -> tuple[float, str]:
    """0..1: how plausibly ``written`` is a noisy rendering of the name key ``known``, and which kind of noise
    explains it best (string, phonetic, ending, truncation)."""
    if not written or not known:
        return 0.0, ""
    if written == known:
        return 1.0, "exact"
    best = (fuzz.ratio(written, known) / 100, "string")

    def consider(score: float, how: str) -> None:
        nonlocal best
        if score > best[0]:
            best = (score, how)

    # a case ending on the written form against the name's stem: Zelenskogo / Zelenski, Peskova / Peskov
    a, b = _strip_ending(written), _stem_of_known(known)
    if a != written and a == b and len(a) >= 4:
        consider(0.92, "ending")
    elif a != written:
        consider(0.9 * fuzz.ratio(a, b) / 100, "ending")
    sa, sb = _stem(written), _stem(known)
    # a shared skeleton or sound code says more the longer it is: "kzk" fits Kozak and Kozytskomu alike
    if sa == sb:
        consider((0.75, 0.75, 0.75, 0.8, 0.86)[min(len(sb), 4)] if len(sb) < 5 else 0.9, "phonetic")
    elif len(sb) >= 3:
        consider(0.85 * fuzz.ratio(sa, sb) / 100, "phonetic")
    ta, tb = _translit(written), _translit(known)
    if ta != written or tb != known:
        consider(0.95 * fuzz.ratio(ta, tb) / 100, "transliteration")
    if _ocr(written) == _ocr(known):
        # a digit or a split letter (Zo1otov, Rnacron) is a scanner's mark; one letter read as another
        # (Lavrcv) is as likely an ordinary word (keeper / Cooper): that needs context
        consider(0.9, "ocr" if _ocr_marks(written) == _ocr_marks(known) else "ocr letters")
    if written[0] != known[0] and len(written) >= 4:
        consider(0.9 * fuzz.ratio(written[1:], known[1:]) / 100, "phonetic")  # first letter misheard
    ma, mb = _sound(written), _sound(known)
    if ma and mb:
        consider(((0.78, 0.78, 0.78, 0.84)[len(mb)] if len(mb) < 4 else 0.88) if ma == mb
                 else 0.8 * fuzz.ratio(ma, mb) / 100, "phonetic")
    if len(written) >= 3 and known.startswith(written) and len(written) < len(known):
        consider(0.6 + 0.3 * len(written) / len(known), "truncation")  # Sud... for Sudzha
    return round(best[0], 3), best[1]


@lru_cache(maxsize=20_000)
def _surname_keys(actor: Actor) -> frozenset[str]:
    keys = set()
    for name in (actor.name, *actor.aliases):
        tokens = alias_key(name).split()
        if not tokens:
            continue
        if actor.kind == "person":
            keys.add(tokens[-1])
        else:
            keys.add(" ".join(tokens))
    return frozenset(keys)


def _region_base(key: str) -> str | None:
    tokens = key.split()
    return " ".join(tokens[:-1]) if len(tokens) > 1 and tokens[-1] in REGION_WORDS else None


# -- the candidates a registry offers, indexed once per registry size ------------------------------------


@dataclass
class _Index:
    seen: int = 0  # actors of the registry indexed so far (a registry only grows)
    role_holders: list = field(default_factory=list)  # (actor id, role) of every person with roles
    places_by_country: dict[str, list[str]] = field(default_factory=dict)
    keys_of: dict[str, frozenset[str]] = field(default_factory=dict)  # actor id -> surname (people) or name keys
    regions: dict[str, str] = field(default_factory=dict)  # region base key ("kharkiv") -> region actor id
    choices: list[str] = field(default_factory=list)  # every key, for fuzzy lookup
    owners: list[str] = field(default_factory=list)
    stems: dict[str, set[str]] = field(default_factory=dict)  # consonant skeleton -> actor ids
    # word that names whose a role is ("nato", "kremlin", "russia") -> (actor id, role) holding it
    roles_named: dict[str, list] = field(default_factory=dict)
    # word that names a country ("russian", "ukraine") -> countries (as folded keys)
    countries_named: dict[str, set[str]] = field(default_factory=dict)
    people_of: dict[str, list] = field(default_factory=dict)  # folded country -> (actor id, role) held there
    place_choices: list[str] = field(default_factory=list)  # keys of places that are not regions
    place_owners: list[str] = field(default_factory=list)


_INDEXES: dict[int, _Index] = {}


def _index(registry: Registry) -> _Index:
    index = _INDEXES.get(id(registry))
    if index is None:
        _INDEXES.clear()  # one registry at a time in practice; never hold on to an old one
        index = _INDEXES[id(registry)] = _Index()
    if index.seen == len(registry.actors):
        return index
    for actor in islice(registry.actors.values(), index.seen, None):
        # pack knowledge only: corpus actors carry no roles nor country and are matched through the article
        if actor.kind == "person" and actor.roles:
            for role in actor.roles:
                index.role_holders.append((actor.id, role))
                for word in _naming_words(role):
                    index.roles_named.setdefault(word, []).append((actor.id, role))
                if role.country:
                    _name_country(index, role.country)
                    index.people_of.setdefault(fold(role.country), []).append((actor.id, role))
        elif actor.kind == "place" and actor.country:
            index.places_by_country.setdefault(fold(actor.country), []).append(actor.id)
            _name_country(index, actor.country)
        else:
            continue
        index.keys_of[actor.id] = _surname_keys(actor)
        for key in index.keys_of[actor.id]:
            index.choices.append(key)
            index.owners.append(actor.id)
            index.stems.setdefault(name_stem(key), set()).add(actor.id)
            base = _region_base(key)
            if actor.kind == "place" and base:
                index.regions.setdefault(base, actor.id)
            elif actor.kind == "place":
                index.place_choices.append(key)
                index.place_owners.append(actor.id)
    index.seen = len(registry.actors)
    return index


def _name_country(index: _Index, country: str) -> None:
    key = fold(country)
    for word in place_words(country) | {key}:
        index.countries_named.setdefault(word, set()).add(key)


def _named(words: frozenset[str], table: dict[str, object]) -> list[str]:
    """The entries of ``table`` the words name, exactly or as a nationality adjective ("russian" ~ "russia")."""
    hits = []
    for w in words:
        if w in table:
            hits.append(w)
        elif len(w) >= 4:
            hits.extend(k for k in _by_prefix(id(table), len(table), table).get(w[:4], ()) if same_stem(w, k))
    return hits


_PREFIXES: dict[int, tuple[int, dict[str, list[str]]]] = {}  # table id -> (its size then, words by prefix)


def _by_prefix(table_id: int, size: int, table: dict[str, object]) -> dict[str, list[str]]:
    cached = _PREFIXES.get(table_id)
    if cached is None or cached[0] != size:
        if len(_PREFIXES) > 8:
            _PREFIXES.clear()  # tables of registries gone by
        by_prefix: dict[str, list[str]] = {}
        for k in table:
            by_prefix.setdefault(k[:4], []).append(k)
        cached = _PREFIXES[table_id] = (size, by_prefix)
    return cached[1]


def _role_candidates(words: frozenset[str], index: _Index, on: date | None, strict: bool) -> set[str]:
    """Holders, on the date, of a role whose title noun and whose organisation or country the words give.
    ``strict`` (the title words right before the name): every word must fit the role, as in "Russia's Defence
    Minister"; otherwise (the words of the sentence around it) a title and a place or body must be among them."""
    found: set[str] = set()
    titles = [w for w in words if w in _TITLE_WORDS]
    if not titles:
        return found
    for named in _named(words, index.roles_named):
        for actor_id, role in index.roles_named[named]:
            if actor_id in found or not _active(role, on):
                continue
            if not any(fits and title for fits, title in (_explains(w, role) for w in titles)):
                continue
            if strict and not all(_explains(w, role)[0] for w in words):
                continue
            found.add(actor_id)
    return found


# The words that can name a role's title (the rest of a sentence cannot make anyone a role holder).
_TITLE_WORDS = frozenset(PERSON_TITLES) | frozenset(_SYNONYMS) | {"diplomat", "topdiplomat"}

# Words of a role's organisation that name no one in particular: "Foreign Ministry" is every country's.
_GENERIC_BODY = frozenset("""
    ministry government office presidency presidential council foreign defence defense affairs state national
    security interior finance justice economy armed forces staff general administration cabinet parliament
    mission embassy department the of for and
""".split())


@lru_cache(maxsize=None)
def _naming_words(role) -> frozenset[str]:
    """The words that say whose role it is: its country and the distinctive words of its organisation."""
    return frozenset(w for w in _place_words(role) if w not in _GENERIC_BODY)


def _country_people(words: frozenset[str], index: _Index, on: date | None) -> set[str]:
    """People holding, on the date, a role in a country the words name ("Russian official ...")."""
    countries = {c for w in _named(words, index.countries_named) for c in index.countries_named[w]}
    return {a for c in countries for a, role in index.people_of.get(c, ()) if _active(role, on)}


def _place_candidates(words: frozenset[str], index: _Index) -> set[str]:
    countries = {c for w in _named(words, index.countries_named) for c in index.countries_named[w]}
    return {a for c in countries for a in index.places_by_country.get(c, ())}


def _places_alike(written: str, index: _Index) -> set[str]:
    """Places (not regions) whose name is anywhere near the written one: the pool for "the town of ..."."""
    found = {index.place_owners[i] for _, _, i in process.extract(written, index.place_choices, scorer=fuzz.ratio,
                                                                  score_cutoff=45, limit=15)}
    places = set(index.place_owners)
    found.update(a for a in index.stems.get(name_stem(written), ()) if a in places)
    return found


def _article_candidates(entity: Entity, analysis: Analysis, registry: Registry) -> set[str]:
    """Actors that other names of the same article resolve to exactly."""
    found = set()
    for other in analysis.entities:
        if other.id != entity.id and other.kind == entity.kind:
            found.update(registry.by_key.get(_key(other.name), ()))
    return found


def _global_candidates(written: str, index: _Index) -> set[str]:
    found = {index.owners[i] for _, _, i in process.extract(written, index.choices, scorer=fuzz.ratio,
                                                            score_cutoff=55, limit=12)}
    stem = name_stem(written)
    if len(stem) >= 2:  # same consonant skeleton however far the letters drifted: Kyieva / Kyiv
        found.update(index.stems.get(stem, ()))
    return found


# -- the rescue itself -----------------------------------------------------------------------------------


def _plausible(written: str, keys) -> bool:
    return any(k[:1] == written[:1] or fuzz.ratio(written, k) >= 50 for k in keys)


def _first_name_agrees(tokens: list[str], actor: Actor) -> bool | None:
    """True when the written given name is the actor's (however spelled), False when it is plainly another
    name, None when there is none to compare or it is too garbled to tell."""
    if len(tokens) < 2 or actor.kind != "person":
        return None
    given = GIVEN_NAMES.get(tokens[0], tokens[0])
    best = 0.0
    for first in _given_names(actor):
        if given == first or (len(given) >= 3 and (first.startswith(given) or given.startswith(first))):
            return True
        best = max(best, fuzz.ratio(_translit(given), _translit(first)))
    return True if best >= 80 else False if best < 50 else None


@lru_cache(maxsize=20_000)
def _given_names(actor: Actor) -> frozenset[str]:
    return frozenset(k.split()[0] for k in (_key(n) for n in (actor.name, *actor.aliases)) if len(k.split()) > 1)


@lru_cache(maxsize=100_000)
def _key(name: str) -> str:
    return alias_key(name)


_SUFFIXES = frozenset("jr sr ii iii iv junior senior".split())


def rescue(entity: Entity, analysis: Analysis, registry: Registry, on: date | None, threshold: float) -> NoisyLink | None:
    """The actor a name that resolved to nobody most plausibly is, given its context; see the module doc.
    ``threshold`` is the resolver's own (a weak link must be as sure as any other to be made)."""
    key = alias_key(entity.name)
    tokens = [t for t in key.split() if t not in _SUFFIXES] or key.split()
    if not tokens or len(key) < 3 or key in registry.by_key or (len(tokens) == 1 and tokens[0] in registry.by_surname):
        return None  # a name the registry knows as written: ``actors.link`` weighed it and said no
    # a known surname under another given name ("Ron Paul" beside Rand Paul) is someone else, unless the
    # title beside it says whose it is
    known_surname = len(tokens) > 1 and tokens[-1] in registry.by_surname
    index = _index(registry)
    region = _region_base(key) if entity.kind == "place" else None
    written = region or (tokens[-1] if entity.kind == "person" or len(tokens) == 1 else key)
    kinds = {"person": ("person",), "place": ("place",)}.get(entity.kind, ("person", "place"))

    if region:
        # a region the packs do not hold by that name ("the Kamianohrad region") is a mention of its place
        places = [a for a in registry.by_key.get(region, ()) if registry.actors[a].kind == "place"]
        if len(places) == 1 and not index.regions.get(region):
            return NoisyLink(registry.corrections.target(places[0]), places[0], 0.9, ("region of the place",))
    sources: dict[str, set[str]] = {}

    regions = set(index.regions.values())

    def add(actor_ids, source: str) -> None:
        for a in actor_ids:
            # a region is named with its designator ("the Harkiw region"); a bare name is the town
            if a in registry.actors and registry.actors[a].kind in kinds and (a in regions) == bool(region):
                sources.setdefault(a, set()).add(source)

    titled: set[str] = set()
    if "person" in kinds:
        add(_country_people(entity.descriptors | entity.context, index, on), "country")
        titled = _role_candidates(entity.descriptors, index, on, strict=True)
        add(titled, "role")
        add(_role_candidates(entity.context, index, on, strict=False), "role nearby")
    if "place" in kinds:
        if region:
            add(index.regions.values(), "region")
        in_country = _place_candidates(entity.descriptors | entity.context, index)
        add(in_country, "place")
        if entity.context & _PLACE_TYPES:  # "the town of ...": a place of the packs (of that country if named)
            add((a for a in _places_alike(written, index) if not in_country or a in in_country), "place type")
    add(_article_candidates(entity, analysis, registry), "article")
    add(_global_candidates(written, index), "phonetic")

    scored = []
    for actor_id, found_by in sources.items():
        actor = registry.actors[actor_id]
        keys = index.keys_of.get(actor_id) or _surname_keys(actor)
        if region:
            keys = {_region_base(k) or k for k in keys}
        if len(sources) > 40 and not _plausible(written, keys):
            continue  # a large set (every place of a country): skip the plainly unlike before the close look
        sim, how = max(weak_similarity(written, k) for k in keys)
        first = _first_name_agrees(tokens, actor)
        if "article" in found_by and sim < 0.9:
            found_by = found_by - {"article"}  # the same story's name joins only a close variant of it
            if not found_by:
                continue
        if (known_surname or sim == 1.0) and "role" not in found_by:
            continue
        if not found_by & _CONTEXT and (first is not True if len(tokens) > 1 else len(written) < 5):
            continue  # likeness alone: a full name must agree on its given name, a surname be long enough
        if not found_by & _CONTEXT and how in ("phonetic", "truncation", "ocr letters"):
            continue  # ... and be a spelling of it, not a sound-alike (Kislyak is not Kyslytsya)
        if how == "truncation" and actor.kind == "person" and len(written) < 4:
            continue
        confidence = _confidence(sim, found_by, first)
        evidence = tuple(sorted(found_by - {"phonetic"})) + ((how,) if how not in ("", "exact") else ()) \
            + (("first name",) if first else ())
        scored.append((round(confidence, 3), actor_id, evidence, sim))
    banned = registry.corrections.split_off.get(key, frozenset())
    scored = [s for s in scored if s[1] not in banned]  # the user took this spelling off that actor
    if not scored:
        return None
    scored.sort(key=lambda s: (-s[0], -s[3], s[1]))
    confidence, best, evidence, sim = scored[0]
    if set(evidence) & _CONTEXT:
        # the context drew the set: only its members compete, names merely alike from elsewhere do not
        scored = [s for s in scored if set(s[2]) & _CONTEXT]
    runner_up, runner_sim = (scored[1][0], scored[1][3]) if len(scored) > 1 else (0.0, 0.0)
    if confidence < REVIEW_FLOOR:
        return None
    # clear of the next candidate: surer for the context, or (as sure) plainly more alike
    clear = confidence - runner_up >= MARGIN or (confidence > runner_up and sim - runner_sim >= MARGIN)
    linked = best if confidence >= threshold and clear else None
    if titled and best not in titled:
        linked = None  # the title beside the name belongs to someone else: a likeness alone cannot overrule it
    return NoisyLink(registry.corrections.target(best) if linked else None, best, min(confidence, 0.99), evidence)


def _confidence(sim: float, found_by: set[str], first_name: bool | None) -> float:
    """How sure a weak match is, given where the candidate came from: within the handful of holders of the
    role named beside the name a rough likeness is enough; across the whole pack it must be close."""
    if found_by & {"role", "region"}:
        base = 0.45 + 0.5 * sim
    elif found_by & {"role nearby", "article", "place type"}:
        base = 0.40 + 0.5 * sim
    elif found_by & {"country", "place"}:
        base = 0.37 + 0.5 * sim
    else:
        base = sim - 0.1
    if len(found_by - {"phonetic"}) > 1:
        base += 0.04  # two independent reasons point at the same actor
    if first_name is True and sim >= 0.8:
        base += 0.05
    elif first_name is False:
        # another given name: beside the title it names, a misheard one; elsewhere, more likely someone else
        base -= 0.03 if found_by & {"role", "role nearby"} else 0.12
    return base
