"""Names under noise: garbled, misheard and transliterated names resolved from what surrounds them.

Speech-to-text, machine translation and aggregators leave names further from the truth than ordinary
spelling variants: a surname heard as another word ("Mark Root"), a case ending kept from Russian
("Zelenskogo", "Peskova"), a town cut to its first syllable, letters confused by OCR ("Lavrcv"). Alone such
a name is as close to a dozen actors as to the right one; its context settles it. When ``actors.link`` finds
nothing, ``rescue`` collects the few candidates the context allows and accepts a weak match only among them:

- **role**: holders, on the article's date, of a role whose title and organisation or country the words
  around the name give ("NATO chief", "the Kremlin spokesman", "governor of the Belgorod region"), a title the
  tagger glued to the name included ("United Kingdom Walerii Zaluschnji" after "Ambassador to the");
- **place**: places of the country named nearby, and regions when the name carries a designator
  ("the Harkiw region");
- **article**: an actor the same article names correctly elsewhere ("Zelensky ... Zelenskogo");
- **given name**: the pack people whose given name the written one is ("Dmitry Medved").

The pools come from ``name_pools``, the likeness from ``name_noise``. A country or a given name draws dozens of
candidates, so among them only a spelling of the name or a cut of it counts, not a sound-alike (Sergey
Kislyak is not Sergiy Kyslytsya). With no context at all, only a close spelling of a long name that is not a
given name and keeps its first letter links, helped when the noise has a known shape (another scheme, a
scanner's letter shapes, one syllable lost, letters lost and none changed), or, under a given name of the same
initial, a Slavic surname with one vowel misheard. The given name itself is context in proportion to how few
pack people bear it: borne by one to three, it narrows the set as a title does, so a surname heard or scanned
wrong links under it ("Keith Kc1logg"), unless that surname is nearer another pack person's. These limits
come from real news, full of people absent from the packs: "Harry Truman", "the Trumps", "Donald Trump Jr.",
"Michael Barone" must not become pack actors. Every answer carries its evidence and a confidence; below
``actors.THRESHOLD`` (or without a margin over the next candidate) the name is not linked and the best
candidate is only kept for review (``parallax actors review``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz

from parallax.knowledge.genders import given_name_gender
from parallax.knowledge.names import GIVEN_NAMES, alias_key, fold
from parallax.knowledge.registry import Registry
from parallax.model import Actor, Analysis, Entity
from parallax.nlp import name_pools as pools
from parallax.nlp.name_noise import letters_lost, scanner_swap, slavic_vowel_slip, stems, syllable_lost, translit, weak_similarity
from parallax.nlp.roles import TITLE_WORDS

MARGIN = 0.08  # over the next candidate: a weak match is only trusted when nothing else comes close
RARE_GIVEN = 3  # pack people sharing a given name for it to narrow the candidates (see rescue)
REVIEW_FLOOR = 0.65  # rejected candidates above this are kept for review; below it they are noise
_PLACE_TYPES = frozenset("town city village settlement region oblast krai province district port".split())
# evidence that comes from the context (the rest is likeness alone)
_CONTEXT = frozenset({"role", "role nearby", "region", "place", "place type", "article", "country", "given name"})
# likeness that is a spelling of the name, not merely its sound or a part of it
_SPELLING = frozenset({"string", "ending", "transliteration", "ocr"})
# context that draws a handful of candidates (a country or a given name draws dozens)
_NARROW = frozenset({"role", "role nearby", "region", "place type", "article"})
_SUFFIXES = frozenset("jr sr ii iii iv junior senior".split())


@dataclass(frozen=True)
class NoisyLink:
    """The outcome of a rescue: the actor linked (None when the name stays a corpus actor), the best
    candidate considered, the confidence, and the evidence it rests on ("role", "place", "article",
    "given name", and the kind of likeness: "phonetic", "ending", "ocr" ...)."""

    actor_id: str | None
    candidate: str
    confidence: float
    evidence: tuple[str, ...]


@lru_cache(maxsize=100_000)
def _key(name: str) -> str:
    return alias_key(name)


@lru_cache(maxsize=20_000)
def _given_key(token: str) -> str:
    """A written given name as the packs key it, read through other transliteration schemes (Maksjm): the
    group's first spelling, keyed as a name is ("kirill" keys as "kiril", the given name of Kyrylo ...)."""
    canonical = GIVEN_NAMES.get(token) or GIVEN_NAMES.get(translit(token))
    return alias_key(canonical) if canonical else token


def _first_name_agrees(tokens: list[str], actor: Actor) -> bool | None:
    """True when the written given name is the actor's (however spelled), False when it is plainly another
    name, None when there is none to compare or it is too garbled to tell."""
    if len(tokens) < 2 or actor.kind != "person":
        return None
    given = _given_key(tokens[0])
    best = 0.0
    for first in pools.given_names(actor):
        # (an initial of the packs, "J." of J.D. Vance, is only the very initial: John is not his given name)
        if given == first or (len(given) >= 3 and len(first) > 1
                              and (first.startswith(given) or given.startswith(first))):
            return True
        best = max(best, fuzz.ratio(translit(given), translit(first)))
    return True if best >= 80 else False if best < 50 else None


@lru_cache(maxsize=20_000)
def _initials(actor: Actor) -> frozenset[str]:
    return frozenset(n[:1] for n in (fold(actor.name).split()[:1] + [g for g in pools.given_names(actor)]))


_NAMES_BY_INITIAL: list = [None, {}]  # (the analysis last seen, its names by the initial of their last word)


def _article_candidates(entity: Entity, written: str, analysis: Analysis, registry: Registry) -> set[str]:
    """Actors that other names of the same article, of the same initial, resolve to exactly (looked up now:
    names resolved earlier in this article count too)."""
    if _NAMES_BY_INITIAL[0] is not analysis:
        by_initial: dict[str, list] = {}
        for other in analysis.entities:
            key = _key(other.name)
            if key:
                by_initial.setdefault(key.split()[-1][:1], []).append((other.id, other.kind, key))
        _NAMES_BY_INITIAL[:] = [analysis, by_initial]
    found = set()
    for other_id, kind, key in _NAMES_BY_INITIAL[1].get(written[:1], ()):
        if other_id != entity.id and kind == entity.kind:
            found.update(registry.by_key.get(key, ()))
    return found


def _body_words_before(tokens: list[str], keyed: int) -> list[str]:
    """The leading words of a name (folded, not keyed: the key respells them) that name a body ("security
    council" of "Security Council Shoigua"), when a name follows them that is no body nor title itself and the
    key has as many words; [] otherwise."""
    if len(tokens) != keyed:
        return []
    i = 0
    while i < len(tokens) - 1 and tokens[i] in pools.BODY_WORDS:
        i += 1
    if not i or any(t in pools.BODY_WORDS or t in TITLE_WORDS for t in tokens[i:]):
        return []
    return tokens[:i]


_JOINERS = frozenset("of the for to in on and".split())  # inside a title glued to a name ("Envoy for Syria")


def _title_glued_before(entity: Entity, index: pools.Index, on: date | None) -> tuple[list[str], set[str]]:
    """The leading words of a name that end a title glued to it by the tagger ("United Kingdom Walerii
    Zaluschnji" after "Ambassador to the", "Kremlin Special Presidential Envoy for Syria Lavreritiev" as one
    organisation), with the holders on the date of the role they name together with the title words before the
    name; ([], set()) when no such run is there. The longest run that names a role is taken, and what is left
    must be a name: one to three words, none a title, body or joining word."""
    words = fold(entity.name).lower().replace("'s", "").replace("’s", "").split()
    for i in range(len(words) - 1, 0, -1):
        head, tail = words[:i], words[i:]
        if len(tail) > 3 or head[-1] in _JOINERS \
                or any(w in TITLE_WORDS or w in pools.BODY_WORDS or w in _JOINERS for w in tail):
            continue
        content = frozenset(w for w in head if w not in _JOINERS)
        for around in (entity.descriptors, entity.descriptors | entity.title):
            run = content | around
            if run & TITLE_WORDS:
                holders = pools.role_holders(run, index, on, strict=True)
                if holders:
                    return head, holders
    return [], set()


@lru_cache(maxsize=20_000)
def _spellings(actor: Actor) -> frozenset[str]:
    """A person's surnames or a place's names as written, folded but not keyed: the key respells letters
    ("Orikhiv" keys as "orihiv"), and a scanner's letter shapes are read on the letters themselves."""
    names = (fold(n).lower().split() for n in (actor.name, *actor.aliases))
    return frozenset((w[-1] if actor.kind == "person" else " ".join(w)) for w in names if w)


def _cut_of_a_word(written: str, known: str) -> bool:
    """``written`` is ``known`` cut inside its one word, keeping four letters and half of it or more (Polt for
    Poltava, Zapori for Zaporizhzhia); a whole word of a longer name (Khan of Khan Younis) is no cut."""
    return " " not in known and len(written) >= 4 and 2 * len(written) >= len(known) and known.startswith(written)


def _plausible(written: str, keys) -> bool:
    """A cheap look before the close one: a weak likeness shares the first letter or half the letters."""
    return any(k[:1] == written[:1] or fuzz.ratio(written, k) >= 50 for k in keys)


def rescue(entity: Entity, analysis: Analysis, registry: Registry, on: date | None, threshold: float) -> NoisyLink | None:
    """The actor a name that resolved to nobody most plausibly is, given its context; see the module doc.
    ``threshold`` is the resolver's own (a weak link must be as sure as any other to be made)."""
    key = _key(entity.name)
    tokens = key.split()
    if not tokens or len(key) < 3 or registry.by_key.get(key) or (len(tokens) == 1 and registry.by_surname.get(tokens[0])):
        return None  # a name the registry knows as written: ``actors.link`` weighed it and said no
    as_written = key
    index = pools.index_of(registry)
    glued_title, glued_holders = _title_glued_before(entity, index, on) if entity.kind != "place" else ([], set())
    if glued_title:
        # a title the tagger glued to the name: what follows it is the name, and the title says whose
        tail = fold(entity.name).lower().replace("'s", "").replace("\u2019s", "").split()[len(glued_title):]
        tokens = _key(" ".join(tail)).split()
        key = " ".join(tokens)
        if len(key) < 3:
            return None
    peeled = _body_words_before(fold(entity.name).lower().split(), len(tokens)) \
        if entity.kind != "place" and not glued_title else []
    if peeled:
        # "Security Council Shoigua": the body is the end of a title the tagger glued to the name
        tokens = tokens[len(peeled):]
        key = " ".join(tokens)
        if len(key) < 3:
            return None
    # (the suffix as written: the key folds "II" into "i", which reads as a surname)
    written_words = {w.strip(".,") for w in fold(entity.name).lower().split()[1:]}
    if _SUFFIXES & (set(tokens[1:]) | written_words) or (len(tokens) > 1 and tokens[0] == tokens[-1]):
        return None  # Donald Trump Jr. is not his father; "John Cornyn John" is a page's clutter, not noise
    # a known surname under another given name ("Ron Paul" beside Rand Paul) is someone else, unless the given
    # name is its bearer's however spelled (Kjrjlo Budanow) or the title beside it says whose it is
    known_surname = len(tokens) > 1 and bool(registry.by_surname.get(tokens[-1]))
    region = pools.region_base(key) if entity.kind == "place" else None
    written = region or (tokens[-1] if entity.kind == "person" or peeled or glued_title or len(tokens) == 1 else key)
    kinds = {"person": ("person",), "place": ("place",)}.get(entity.kind, ("person", "place"))
    if peeled or glued_title:
        kinds = ("person",)
    # the tagger's kind of a lone garbled word is a guess ("Bogomaza said" as a place, "Zaporizhzhiu was quiet" as
    # a person): with nothing around it to say which, a spelling of either kind may answer (see below)
    either = len(tokens) == 1 and entity.kind in ("person", "place") and not region and not peeled \
        and not glued_title and not entity.descriptors and not entity.title & TITLE_WORDS and not entity.context & _PLACE_TYPES
    if either:
        kinds = ("person", "place")

    if region:
        # a region the packs do not hold by that name ("the Kamianohrad region") is a mention of its place
        places = [a for a in registry.by_key.get(region, ()) if registry.actors[a].kind == "place"]
        if len(places) == 1 and not index.regions.get(region):
            return NoisyLink(registry.corrections.target(places[0]), places[0], 0.9, ("region of the place",))
    sources: dict[str, set[str]] = {}

    def add(actor_ids, source: str) -> None:
        for a in actor_ids:
            # a region is named with its designator ("the Harkiw region"); a bare name is the town
            if a in registry.actors and registry.actors[a].kind in kinds and (a in index.region_ids) == bool(region):
                sources.setdefault(a, set()).add(source)

    words = entity.descriptors | entity.context
    titled: set[str] = set()
    if "person" in kinds:
        add(pools.country_people(words, index, on), "country")
        # the title right before the name: its descriptors, or the whole capitalised run when it holds a title
        # word ("Chairman of the State Duma"), with the body peeled off the name
        titled = glued_holders or pools.role_holders(entity.descriptors, index, on, strict=True)
        run = entity.title | set(peeled)
        if run & TITLE_WORDS and not glued_holders and (not titled or run - entity.descriptors):
            # the whole run, when it names a role, is surer than the few words of it that the descriptors kept:
            # "Adviser to the Director" is an adviser, not the director that the descriptor "director" names
            titled = pools.role_holders(frozenset(run | entity.descriptors), index, on, strict=True) or titled
        add(titled, "role")
        add(pools.role_holders(entity.context, index, on, strict=False), "role nearby")
    if "place" in kinds:
        if region:
            add(index.regions.values(), "region")
        in_country = pools.country_places(words, index)
        add(in_country, "place")
        if entity.context & _PLACE_TYPES:  # "the town of ...": a place of the packs (of that country if named)
            add((a for a in pools.places_alike(written, index) if not in_country or a in in_country), "place type")
    add(_article_candidates(entity, written, analysis, registry), "article")
    # a case ending taken off the name as written, before the key respells what it leaves ("Lubinetsa" keys as
    # "lubineka", its stem "Lubinets" as "lubinec"); a stem of four letters is any short name (Kanye is not Kani)
    folded = fold(entity.name).split()[len(glued_title):]
    unended = {_key(s) for s in stems(folded[-1]) if len(s) >= 5} - {"", written} \
        if not region and folded and len(tokens) == len(folded) else set()
    add(pools.names_alike(written, index), "phonetic")
    for stem in unended:  # only a stem that is a name of the packs counts (below): an exact lookup is enough
        add(set(registry.by_key.get(stem, ())) | set(registry.by_surname.get(stem, ())), "phonetic")

    def _nearer_elsewhere(written: str, sim: float, actor_id: str) -> bool:
        for other in sources:
            if other != actor_id and registry.actors[other].kind == "person":
                keys = index.keys_of.get(other) or pools.name_keys(registry.actors[other])
                if any(weak_similarity(written, k)[0] > sim for k in keys):
                    return True
        return False

    # the written name as spelled, for the scanner's shapes (the last word of a person's name, a place whole)
    raw = fold(entity.name).lower().split()[len(glued_title):]
    raw_written = "" if region or not raw else raw[-1] if written == tokens[-1] and kinds == ("person",) \
        else " ".join(raw)
    scored = []
    single_given = len(tokens) == 1 and given_name_gender(written) is not None
    # how many pack people the written given name names: borne by one or a few of them, it narrows the set as
    # a title does (Keith ... is Keith Kellogg or no one of the packs); borne by a dozen (Sergei), it does not.
    # Only a given name and a surname: a word between them that is none of the actor's ("Tom Vanden Brook")
    # says the whole name is someone else's
    namesakes = len(pools.namesakes(_given_key(tokens[0]), index)) if len(tokens) == 2 else 0
    for actor_id, found_by in sources.items():
        actor = registry.actors[actor_id]
        crossed = either and actor.kind != entity.kind
        keys = index.keys_of.get(actor_id) or pools.name_keys(actor)
        if region:
            keys = {pools.region_base(k) or k for k in keys}
        if not keys or not _plausible(written, keys):
            continue  # plainly unlike: no need for the close look
        sim, how, near = max((*weak_similarity(written, k), k) for k in keys)
        if sim < 0.9 and len(raw_written) >= 4 and any(scanner_swap(raw_written, k) for k in _spellings(actor)):
            # letters read as the shapes a scanner confuses, on the spelling itself (Hcstomcl, Orikbiv)
            sim, how = 0.9, "ocr"
        if sim < 0.92 and unended & keys:
            # the ending taken off before keying (Lubinetsa, Hnatovym)
            sim, how, near = 0.92, "ending", min(unended & keys)
        if len(tokens) > 1 and entity.kind != "person" and any(set(k.split()) < set(tokens) for k in keys):
            continue  # a longer name holding a known one ("Washington Navy Yard") is another thing
        first = _first_name_agrees(tokens, actor)
        same_given = bool(first) and _given_key(tokens[0]) in pools.given_names(actor)
        if first and near not in pools.given_names(actor):
            found_by = found_by | {"given name"}  # (Abdullah Abdullah is not King Abdullah by his given name)
        if how == "ocr letters" and len(written) < 4 and not (found_by & _NARROW - {"article"} or same_given):
            # a scanner's letter in a three-letter word: most are a letter from some name (Ken / Kerry, named
            # elsewhere in the story), unless a title, a place type or the very given name says whose (Marta Kcs)
            continue
        if "article" in found_by and (sim < 0.9 or (len(tokens) > 1 and not first) or written[:1] != near[:1]):
            found_by = found_by - {"article"}  # the same story's name joins only a close variant of it
            if not found_by:
                continue
        if (known_surname or sim == 1.0) and "role" not in found_by and not first:
            continue
        if written == near + "s":
            continue  # "the Clintons", "the Trumps": a family, not the one of it the packs hold
        if len(tokens) > 1 and not first and sim < 0.8 and (first is False or "role" not in found_by):
            # another given name (or one too far to tell) and a surname merely alike: Harry Truman is not
            # Donald Trump, nor Ariel Sharon a Palestinian minister; only the title right beside it can say so
            continue
        # (a surname nearer another pack person's is that person with a misheard given name: Tom Brece)
        rare_given = same_given and 0 < namesakes <= RARE_GIVEN and not _nearer_elsewhere(written, sim, actor_id)
        if found_by & _CONTEXT and not found_by & _NARROW and not rare_given \
                and not (how in _SPELLING or near.startswith(written)):
            # a country or a given name draws dozens: among them a sound-alike is as likely someone else
            # (Sergey Kislyak / Sergiy Kyslytsya, David Barron / David Barnea); a spelling or a cut is not
            continue
        if not found_by & _CONTEXT:
            # likeness alone: a spelling of a long enough name, not a given name, first letter kept; or, under a
            # given name of the same initial, a Slavic surname with one vowel misheard (Vera Gerasamov /
            # Valery Gerasimov)
            if len(tokens) > 1 and actor.kind == "person" and slavic_vowel_slip(written, near) \
                    and tokens[0][:1] in _initials(actor):
                sim, how = 0.92, "vowel"
            elif how == "ocr letters" and len(tokens) == 1 and len(written) >= 5 and scanner_swap(written, near):
                how = "ocr"
            elif len(tokens) > 1 or len(written) < 5 or single_given or written[:1] != near[:1] \
                    or how not in _SPELLING and not (how == "truncation" and letters_lost(written, near)):
                continue
        if crossed and (how not in _SPELLING or sim < 0.9 or found_by & _CONTEXT):
            continue  # the other kind than the tagger's: only a close spelling of it (Missouri is not Misri), and
            # no context read for this kind
        if how == "phonetic" and found_by & _CONTEXT <= {"place type", "place"} and len(written) <= 5 \
                and fuzz.ratio(written, near) < 70:
            continue  # a short word that merely sounds like a place of the world (Bird / Beirut): the place type
            # drew the pool by likeness itself, and short sound codes meet by chance
        if how == "truncation" and (single_given or actor.kind == "person" and len(written) < 4
                                    and "role" not in found_by and not same_given):
            continue  # "Put" is Putin beside his title or his given name; "Ron" is a given name, not a cut name
        confidence = _confidence(sim, found_by, first, how in _SPELLING or fuzz.ratio(written, near) >= 85)
        if not found_by & _CONTEXT and letters_lost(written, near):
            confidence += 0.07  # letters lost and none changed: the name's own letters, in order, in two pieces
        elif not found_by & _CONTEXT and (how in ("transliteration", "ocr") or syllable_lost(written, near)):
            confidence += 0.05  # a noise with a known shape (another scheme, a scanner's mark, one syllable lost)
        if how == "truncation" and found_by & {"place type", "place"} and _cut_of_a_word(written, near):
            confidence += 0.04  # the place type or country says a place: a cut keeping half of one is one
        if "given name" in found_by and same_given:
            # the very given name, not one merely alike (Michael Barone / Michel Barnier); the fewer pack people
            # bear it, the more it says whose surname was garbled
            confidence += (0.05 if namesakes == 1 else 0.03) if rare_given else 0.02
        evidence = tuple(sorted(found_by - {"phonetic"})) + ((how,) if how not in ("", "exact") else ())
        scored.append((round(confidence, 3), actor_id, evidence, sim))
    banned = registry.corrections.split_off.get(as_written, frozenset())
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


def _confidence(sim: float, found_by: set[str], first_name: bool | None, spelled: bool) -> float:
    """How sure a weak match is, given where the candidate came from: within the handful of holders of the
    role named beside the name a rough likeness is enough; across the whole pack it must be close."""
    if "role" in found_by:
        base = 0.45 + 0.5 * sim
    elif found_by & {"role nearby", "article", "place type", "given name"}:
        base = 0.40 + 0.5 * sim  # (a given name alone only with a spelling or a cut of the surname: see rescue)
    elif found_by & {"country", "place", "region"}:
        base = 0.37 + 0.5 * sim  # every person or place of a country, every region: a large set
    else:
        base = sim - 0.1  # likeness alone: only a close spelling of a long name reaches the threshold
    if len(found_by - {"phonetic"}) > 1:
        base += 0.04  # two independent reasons point at the same actor
    if first_name is False:
        # another given name: beside the title it names, a misheard one; elsewhere, more likely someone else
        base -= 0.03 if "role" in found_by or ("role nearby" in found_by and spelled) else \
            0.12 if found_by & _CONTEXT else 0.0
    return base
