"""Names under noise: pack names corrupted the way real pipelines corrupt them, resolved in a sentence.

Cases are generated from the shipped packs with a fixed seed (see names_noisy.md for every noise type with a
real example): speech-to-text (a surname heard as a common word or name; a first name misheard), machine
translation (another transliteration scheme; a Russian or Ukrainian case ending), truncation and syllable
loss, OCR letter confusions. Each is placed in a sentence giving a role, a place type, a country or no context,
next to as many decoys that must not link (real people absent from the packs, surnames that are common words,
invented names), in the same contexts. Every sentence runs through the whole pipeline: the English model,
entities, places, then resolution against the packs on the benchmark's date.

    PYTHONPATH=. python benchmarks/names_noisy.py [--verbose] [--per-type N] [--seed S]
    PYTHONPATH=. python benchmarks/names_noisy.py --cost 200 --skip 1000   # CPU cost and weak links on real news

Reports accuracy (the expected pack actor, or none for a decoy), link precision (links to the right actor / all
links to pack actors) and abstention (no link to a pack actor), by noise type and by context type.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from datetime import date

from parallax.knowledge.names import alias_key
from parallax.knowledge.packs import load_shipped
from parallax.knowledge.registry import Registry
from parallax.model import Actor

SEED = 20260601
ON = date(2025, 6, 1)
WAR = ("Russia", "Ukraine")
BODIES = ("NATO", "European Commission", "European Council", "European Union", "United Nations", "Kremlin",
          "White House", "State Department", "Pentagon")

# Words and names speech-to-text puts in place of a surname it does not know.
HEARD_AS = """
root rude ruddy rudy rutt lover love laugh lava lavra leave beach peas pesky pescow pesco piss zen zealand
sell celeste cell sober sybil seeble sibyl bella bell below bellows bull shy shoe shoigu shrug pool poll putt
put puttin button mishap misha mission medved med meadow murder kola kuleba cooler coolibah trump tramp
rubio ruby rube vance vans lance wits witch kellogg kale hague hegg head rain raina bros brown cost costa
coaster kallas callous callus castle leyen lion line gut guitars guterres gutters term yermak yeah ermac make
umer humor umar umbrella sirs sirius sears stern stole stolen merz mare mertz march macron macaroon macaroni
star starmer stammer lam lamy lemme field fidan fiddle hakan hack era erdman erdo hurdle guard gard garden
bud budan budanov bird sir sky serious ski gene genie jerry gerald gerasim gear gaze cooler kid kidd
""".split()
GIVEN = """mark mike max mary maria mitch dimitri dennis david daniel donna sergio sam seth sean andrew andy
anton arthur alex alan olga oleg ian ivan ira igor ilya peter paul pete keith kirk kevin vlad victor vera
yuri uri jerry jim john joe ted tom tony emma emil eric""".split()
# Real people who are in no shipped pack (checked at run time): the role beside them must not pull them in.
OUTSIDERS = """Farah Dakhlallah|Allison Hart|Oleksiy Danilov|Marta Kos
|Dan Jorgensen|Andrius Kubilius|Jutta Urpilainen|Roman Starovoit|Ilya Ivanov
|Anna Nikolaeva|Pavel Zarubin|Olga Skabeeva|Vitaliy Kim|Serhiy Lysak|Ihor Terekhov|Yevhen Yerin|Andriy Kovalenko
|Dmytro Lykhovii|Nataliya Humeniuk|Vadym Filashkin|Oleg Melnichenko|Alexei Navalny
|Yulia Navalnaya|Ilya Yashin|Vladimir Kara-Murza|Yevgeny Prigozhin|Dmitry Utkin
|Sergei Surovikin|Anders Fogh Rasmussen|Jean Asselborn|Radek Sikorski|Gabrielius Landsbergis
|Edgars Rinkevics""".replace("\n", "").split("|")
# Real towns of the war zone that no shipped pack holds (checked at run time): near namesakes must not pull them.
OUTSIDE_PLACES = """Trostianets Pervomaisk Starobilsk Bashtanka Snihurivka Vasylivka Polohy Oleshky Skadovsk Henichesk
Kreminna Svatove Rubizhne Lysychansk Popasna Soledar Selydove Ocheretyne Novohrodivka Dobropillia Druzhkivka
Bilozerske Shakhtarsk Snizhne Yenakiieve Horlivka Makiivka Debaltseve Alchevsk Oboyan Shchigry Zheleznogorsk
Kurchatov Gubkin Rossosh Boguchar Millerovo Novoshakhtinsk Bataysk Azov Starobesheve Volnovakha""".split()
COMMON_SURNAMES = "Baker Walker Fisher Hunter Carter Mason Cook Turner Miller Porter Parker Baxter Sawyer Weaver".split()


# -- noise -------------------------------------------------------------------------------------------------


def _key(text: str) -> str:
    return alias_key(text)


def heard_as_word(surname: str, rng: random.Random, known: Registry) -> str | None:
    """Speech-to-text: the surname becomes a common word or name that sounds like it (same first sound,
    close metaphone code), never a name the packs hold: that would be another person, not noise."""
    import jellyfish
    from rapidfuzz import fuzz

    target = jellyfish.metaphone(surname)
    scored = sorted(((fuzz.ratio(jellyfish.metaphone(w), target), w) for w in HEARD_AS
                     if w[0] == surname[0].lower() and _key(w) != _key(surname)
                     and _key(w) not in known.by_key and _key(w) not in known.by_surname), reverse=True)
    good = [w for s, w in scored[:2] if s >= 75]
    return rng.choice(good).capitalize() if good else None


def misheard_first(first: str, surname: str, rng: random.Random) -> str | None:
    """Speech-to-text: another given name of the same first letter, and the surname's vowels misheard."""
    others = [g for g in GIVEN if g[0] == first[0].lower() and g != first.lower()]
    if not others:
        return None
    return f"{rng.choice(others).capitalize()} {vowels_confused(surname, rng)}"


def vowels_confused(word: str, rng: random.Random) -> str:
    letters = list(word)
    spots = [i for i in range(1, len(letters)) if letters[i] in "aeiouy"]
    if spots:
        i = rng.choice(spots)
        letters[i] = rng.choice([v for v in "aeiou" if v != letters[i]])
    return "".join(letters)


_SCHEMES = (  # German, Polish and French renderings of Cyrillic, and the loose English of aggregators
    {"kh": "ch", "zh": "sch", "sh": "sch", "ch": "tsch", "v": "w", "y": "j", "ts": "z"},
    {"kh": "ch", "zh": "ż", "sh": "sz", "ch": "cz", "v": "w", "y": "j", "ts": "c"},
    {"zh": "j", "sh": "ch", "ch": "tch", "u": "ou", "y": "i"},
    {"kh": "h", "iy": "ij", "yi": "ii", "ia": "ya", "ya": "ia", "ie": "ye"},
)


def transliterated(name: str, rng: random.Random) -> str | None:
    """Every letter group replaced at once, as a scheme would spell it from the Cyrillic (no chains)."""
    import re

    scheme = rng.choice(_SCHEMES)
    pattern = re.compile("|".join(sorted(scheme, key=len, reverse=True)), re.IGNORECASE)

    def swap(m):
        new = scheme[m.group(0).lower()]
        return new.capitalize() if m.group(0)[0].isupper() else new
    out = pattern.sub(swap, name)
    return out if out != name else None


def case_ending(word: str, kind: str, rng: random.Random) -> str | None:
    """Machine translation keeps the Russian or Ukrainian case: Zelenskogo, Peskova, Kyieva, Kharkova."""
    w = word
    if kind == "place":
        if w.endswith(("a", "ia", "ya")):
            return w[:-1] + rng.choice(["y", "i", "u", "oi"])
        if w.endswith(("y", "i")):
            return w[:-1] + rng.choice(["akh", "ami"])
        return w + rng.choice(["a", "u", "e", "om"])
    if w.endswith(("sky", "skyi", "skiy", "skyy", "ski")):
        stem = w[: w.rfind("sk") + 2]
        return stem + rng.choice(["ogo", "omu", "ym"])
    if w.endswith(("ov", "ev", "in", "yn")):
        return w + rng.choice(["a", "u", "ym", "e"])
    if w.endswith("a"):
        return w[:-1] + rng.choice(["y", "oi", "u"])
    if w.endswith("o"):
        return w[:-1] + rng.choice(["a", "u"])
    return w + rng.choice(["a", "u"])


def truncated(word: str, rng: random.Random) -> str | None:
    """A name cut to its first syllables (Sud- for Sudzha) or with a middle syllable lost."""
    if len(word) < 6:
        return None
    if rng.random() < 0.5:
        cut = max(3, round(len(word) * rng.uniform(0.45, 0.6)))
        return word[:cut]
    vowels = [i for i in range(2, len(word) - 2) if word[i] in "aeiouy"]
    if not vowels:
        return None
    i = rng.choice(vowels)
    return word[:i] + word[i + 2:]


_OCR = (("m", "rn"), ("d", "cl"), ("w", "vv"), ("o", "c"), ("l", "1"), ("e", "c"), ("h", "b"), ("u", "v"),
        ("i", "l"), ("n", "ri"))


def ocr(word: str, rng: random.Random) -> str | None:
    options = [(a, b) for a, b in _OCR if a in word[1:]]
    if not options:
        return None
    out = word
    for a, b in rng.sample(options, min(len(options), rng.choice((1, 2)))):
        i = out.find(a, 1)
        out = out[:i] + b + out[i + len(a):]
    return out


NOISE = ("stt_word", "stt_first", "mt_translit", "mt_case", "truncation", "ocr")


def corrupt(actor: Actor, noise: str, rng: random.Random, known: Registry) -> str | None:
    parts = actor.name.split()
    person = actor.kind == "person" and len(parts) >= 2
    first, last = (" ".join(parts[:-1]), parts[-1]) if person else ("", actor.name)
    if noise == "stt_first":
        return misheard_first(parts[0], last, rng) if person else None
    if noise == "mt_translit":
        return transliterated(actor.name, rng)
    if noise == "stt_word":
        new = heard_as_word(last, rng, known)
    elif noise == "mt_case":
        new = case_ending(last, actor.kind, rng)
    elif noise == "truncation":
        new = truncated(last, rng)
    else:
        new = ocr(last, rng)
    if not new:
        return None
    # a person's first name is often dropped in copy; keep it half the time
    return f"{first} {new}" if person and rng.random() < 0.5 else new


# -- sentences ---------------------------------------------------------------------------------------------

_DEMONYM = {"Russia": "Russian", "Ukraine": "Ukrainian", "United States": "US", "Belarus": "Belarusian",
            "Turkey": "Turkish", "France": "French", "Germany": "German", "United Kingdom": "British"}


def _active_role(actor: Actor):
    return next((r for r in actor.roles if (r.start is None or r.start <= ON) and (r.end is None or ON <= r.end)), None)


def role_phrase(actor: Actor, rng: random.Random) -> str | None:
    role = _active_role(actor)
    if role is None:
        return None
    title = role.title.split(" and ")[0]
    if role.organisation in BODIES:
        if "Secretary General" in title or "Secretary-General" in title:
            title = rng.choice([title, "chief"])
        return f"{role.organisation} {title}"
    if not role.country:
        return None
    return rng.choice([f"{role.country}'s {title}", f"{_DEMONYM.get(role.country, role.country)} {title}"])


def sentence(name: str, kind: str, context: str, actor: Actor | None, rng: random.Random) -> tuple[str, int] | None:
    """A sentence holding ``name`` in the given kind of context, and the offset of the name in it."""
    country = (actor.country if actor is not None else None) or rng.choice(WAR)
    if kind == "person":
        if context == "role":
            phrase = role_phrase(actor, rng) if actor is not None else \
                rng.choice(["NATO spokesperson", "Kremlin spokesman", "Ukraine's Foreign Minister", "UN chief",
                            "Russia's Defence Minister", "Ukrainian Prime Minister"])
            if phrase is None:
                return None
            before = f"{phrase} "
        elif context == "country":
            before = f"{_DEMONYM.get(country, country)} official "
        elif context == "place":
            return None
        else:
            before = ""
        after = rng.choice([" said on Tuesday that the talks had stalled.", " told reporters the proposal was unacceptable.",
                            " said there would be no ceasefire without guarantees."])
        text = f"{before}{name}{after}"
        return text[0].upper() + text[1:], len(before)
    if context == "place":
        before, after = rng.choice([("Residents of the town of ", " were evacuated overnight."),
                                    ("Shelling hit the village of ", " on Monday, officials said."),
                                    ("Drones struck the city of ", " before dawn.")])
        if actor is not None and actor.id.endswith(("-oblast", "-krai")):
            return None
    elif context == "country":
        before, after = "Explosions were reported in ", f", {country}, on Sunday."
    elif context == "role":
        return None
    else:
        before, after = rng.choice([("", " was quiet on Tuesday."), ("Talks on ", " resumed on Friday.")])
    return f"{before}{name}{after}", len(before)


# -- cases -------------------------------------------------------------------------------------------------


def make_cases(pack, registry: Registry, rng: random.Random, per_type: int) -> list[dict]:
    people = sorted((a for a in pack.actors if a.kind == "person" and len(a.name.split()) >= 2 and _active_role(a)
                     and ((_active_role(a).country in WAR) or _active_role(a).organisation in BODIES)), key=lambda a: a.id)
    places = sorted((a for a in pack.actors if a.kind == "place" and a.country in WAR
                     and not a.id.endswith(("-oblast", "-krai")) and " " not in a.name), key=lambda a: a.id)
    closest = _Closest(pack)
    cases: list[dict] = []
    for noise in NOISE:
        made = 0
        attempts = 0
        while made < per_type and attempts < per_type * 20:
            attempts += 1
            actor = rng.choice(people) if (noise == "stt_first" or rng.random() < 0.6) else rng.choice(places)
            name = corrupt(actor, noise, rng, registry)
            if not name or _key(name) in registry.by_key or _closer_to_another(name, actor, closest):
                continue  # unchanged, a spelling the packs already list, or nearer another name: not noise
            context = rng.choice(("role", "country", "none") if actor.kind == "person" else ("place", "country", "none"))
            made_sentence = sentence(name, actor.kind, context, actor, rng)
            if made_sentence is None:
                continue
            text, at = made_sentence
            cases.append({"noise": noise, "context": context, "text": text, "start": at, "end": at + len(name),
                          "name": name, "expect": actor.id})
            made += 1
    # as many decoys, in the same contexts
    outsiders = [n for n in OUTSIDERS if _key(n) not in registry.by_key and _key(n).split()[-1] not in registry.by_surname]
    towns = [n for n in OUTSIDE_PLACES if _key(n) not in registry.by_key]
    corrupted = len(cases)
    while len(cases) < 2 * corrupted:
        source = rng.choice(("outsider", "common", "invented", "town"))
        kind = "place" if source == "town" or (source == "invented" and rng.random() < 0.3) else "person"
        name = rng.choice(outsiders) if source == "outsider" else rng.choice(towns) if source == "town" else \
            f"{rng.choice(GIVEN).capitalize()} {rng.choice(COMMON_SURNAMES)}" if source == "common" else \
            invented(rng, kind)
        context = rng.choice(("role", "country", "none") if kind == "person" else ("place", "country", "none"))
        made_sentence = sentence(name, kind, context, None, rng)
        if made_sentence is None:
            continue
        text, at = made_sentence
        cases.append({"noise": f"decoy_{source}", "context": context, "text": text, "start": at,
                      "end": at + len(name), "name": name, "expect": None})
    return cases


class _Closest:
    """The pack actor whose name key a written name is plainly closest to."""

    def __init__(self, pack):
        self.keys, self.owners = [], []
        for a in pack.actors:
            for n in (a.name, *a.aliases):
                k = _key(n)
                if k:
                    self.keys.append(k.split()[-1] if a.kind == "person" else k)
                    self.owners.append(a.id)

    def ratios(self, written: str) -> dict[str, float]:
        from rapidfuzz import fuzz, process

        best: dict[str, float] = {}
        for _k, score, i in process.extract(written, self.keys, scorer=fuzz.ratio, limit=20):
            best[self.owners[i]] = max(score, best.get(self.owners[i], 0))
        return best


def _closer_to_another(name: str, actor: Actor, closest: _Closest) -> bool:
    """A corruption nearer another pack name than its own (Pesco for Pasechnik, beside Peskov) is beyond what
    any reader could undo; such cases are not generated."""
    written = _key(name).split()[-1] if actor.kind == "person" else _key(name)
    ratios = closest.ratios(written)
    own = ratios.get(actor.id, 0)
    return any(score > own for other, score in ratios.items() if other != actor.id)


def invented(rng: random.Random, kind: str = "person") -> str:
    syllables = "ka ro ve li tan mor sel vik dra bo nes ha ul pet ris gor am zen lo".split()
    word = lambda n: "".join(rng.choice(syllables) for _ in range(n)).capitalize()  # noqa: E731
    return word(3) + rng.choice(["ivka", "ove", "sk", "ino"]) if kind == "place" else f"{word(2)} {word(3)}"


# -- running -----------------------------------------------------------------------------------------------


class _Rollback:
    """Undo what one resolution added to the registry, so every case meets the packs alone."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.lengths = (len(registry.keys), len(registry.single_keys))

    def undo(self, resolution) -> None:
        r = self.registry
        for actor in resolution.new_actors:
            r.actors.pop(actor.id, None)
        for actor_id, _alias, key in resolution.new_aliases:
            r.by_key.get(key, set()).discard(actor_id)
            if not r.by_key.get(key):
                r.by_key.pop(key, None)
            for owners in (r.by_surname.get(key.split()[-1]), r.by_surname.get(key.split()[0])):
                if owners is not None and actor_id not in {a for a in owners if a in r.actors}:
                    owners.discard(actor_id)
        del r.keys[self.lengths[0]:], r.key_owner[self.lengths[0]:]
        del r.single_keys[self.lengths[1]:], r.single_owner[self.lengths[1]:]


def run(cases: list[dict], registry: Registry, pack_ids: set[str], nlp=None) -> list[dict]:
    from parallax.nlp import analyse_doc, english_pipeline
    from parallax.nlp.actors import resolve

    nlp = nlp or english_pipeline()
    results = []
    docs = nlp.pipe([c["text"] for c in cases], batch_size=64)
    for case, doc in zip(cases, docs):
        analysis = analyse_doc(doc, ON)
        rollback = _Rollback(registry)
        resolution = resolve(analysis, registry, ON)
        rollback.undo(resolution)
        hit = [m for m in analysis.mentions if m.start < case["end"] and case["start"] < m.end]
        links = {resolution.actor_of.get(m.entity) for m in hit} - {None}
        pack_links = links & pack_ids
        got = pack_links.pop() if len(pack_links) == 1 else (None if not pack_links else "several")
        evidence = [resolution.evidence[m.entity] for m in hit if m.entity in resolution.evidence]
        results.append({**case, "got": got, "found": bool(hit), "evidence": evidence})
    return results


def score(rows: list[dict]) -> dict:
    total = len(rows)
    right = sum(r["got"] == r["expect"] for r in rows)
    links = [r for r in rows if r["got"] is not None]
    return {"cases": total, "accuracy": right / total if total else 0.0,
            "link_precision": sum(r["got"] == r["expect"] for r in links) / len(links) if links else 1.0,
            "abstention": (total - len(links)) / total if total else 0.0}


def _table(title: str, groups: dict[str, list[dict]]) -> None:
    print(f"{title:22} {'cases':>5} {'accuracy':>9} {'precision':>9} {'abstain':>8}")
    for name, rows in groups.items():
        s = score(rows)
        print(f"{name:22} {s['cases']:5d} {s['accuracy']:9.3f} {s['link_precision']:9.3f} {s['abstention']:8.3f}")


def cost(n: int, skip: int = 0, repeat: int = 1) -> None:
    """Resolution CPU time with and without the noisy-name rescue on n real articles of
    ../shared/data/article_bias_prediction (after the first ``skip`` of 50 words or more; parsed once; each
    resolution pass starts from the packs alone; with ``repeat`` the least of that many passes, since one pass
    scatters with the machine's load), and every weak link the rescue made there, to be read."""
    import gzip
    import json
    from pathlib import Path

    import parallax.nlp.actors as actors
    from parallax.nlp import analyse_doc, english_pipeline
    from parallax.nlp.name_pools import index_of

    data = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "article_bias_prediction" / "articles.jsonl.gz"
    if not data.exists():
        print(f"cost: skipped, {data} is absent")
        return
    texts = []
    with gzip.open(data, "rt", encoding="utf-8") as src:
        for line in src:
            row = json.loads(line)
            body = (row.get("content_original") or "").strip()
            if len(body.split()) >= 50:
                texts.append((row.get("ID"), body))
            if len(texts) == skip + n:
                break
    texts = texts[skip:]
    nlp = english_pipeline()
    started = time.process_time()
    analyses = [analyse_doc(doc, ON) for doc in nlp.pipe([t for _, t in texts], batch_size=32)]
    parse = time.process_time() - started
    pack = load_shipped()
    started = time.process_time()
    index_of(Registry.of(list(pack.actors)))
    build = time.process_time() - started - _registry_time(pack)
    timings, samples = {}, []
    real_rescue = actors.rescue
    for round_ in range(max(1, repeat)):
        for label, rescue in (("without rescue", lambda *a, **k: None), ("with rescue", real_rescue)):
            actors.rescue = rescue
            registry = Registry.of(list(pack.actors))
            index_of(registry)  # built once per registry: timed apart above
            started = time.process_time()
            for (article_id, text), analysis in zip(texts, analyses):
                resolution = actors.resolve(analysis, registry, ON)
                if label == "with rescue" and round_ == 0:
                    for m in analysis.mentions:
                        e = resolution.evidence.get(m.entity)
                        if e is not None and e.actor_id:
                            around = text[max(0, m.start - 60): m.end + 60].replace("\n", " ")
                            samples.append(f"{article_id} {text[m.start:m.end]!r} -> {e.actor_id} ({e.confidence}: "
                                           f"{', '.join(e.evidence)})\n      ...{around}...")
            spent = time.process_time() - started
            timings[label] = min(spent, timings.get(label, spent))
    actors.rescue = real_rescue
    extra = timings["with rescue"] - timings["without rescue"]
    print(f"CPU time on {len(texts)} articles (from #{skip}): spaCy + NLP stage {1000 * parse / len(texts):.1f} ms/article; "
          f"resolution {1000 * timings['without rescue'] / len(texts):.2f} ms/article without rescue, "
          f"{1000 * timings['with rescue'] / len(texts):.2f} with (+{1000 * extra / len(texts):.2f} ms, "
          f"{100 * extra / parse:.1f}% of the NLP stage); the rescue's index, once per registry: {1000 * build:.0f} ms")
    print(f"weak links made (every mention): {len(samples)}")
    for line in samples:
        print("  ", line)


def _registry_time(pack) -> float:
    started = time.process_time()
    Registry.of(list(pack.actors))
    return time.process_time() - started


def _seeds(text: str) -> list[int]:
    """"1-10" or "1,4,9" (or a mix) as a list of seeds."""
    seeds = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        seeds.extend(range(int(lo), int(hi) + 1) if hi else [int(lo)])
    return seeds


def headline(results: list[dict]) -> dict[str, float]:
    """The issue's targets on one run: accuracy with a role or place context, with none, link precision."""
    corrupted = [r for r in results if r["expect"] is not None]
    return {"with role or place context": score([r for r in corrupted if r["context"] in ("role", "place")])["accuracy"],
            "no context": score([r for r in corrupted if r["context"] == "none"])["accuracy"],
            "country context": score([r for r in corrupted if r["context"] == "country"])["accuracy"],
            "link precision": score(results)["link_precision"],
            "abstention": score(results)["abstention"],
            "decoys accuracy": score([r for r in results if r["expect"] is None])["accuracy"]}


def report(results: list[dict], verbose: bool = False) -> None:
    """The tables by noise type and by context type (corrupted names and decoys apart), and the targets."""
    corrupted = [r for r in results if r["expect"] is not None]
    by_noise, by_context, decoy_context = defaultdict(list), defaultdict(list), defaultdict(list)
    for r in results:
        by_noise[r["noise"]].append(r)
        (by_context if r["expect"] else decoy_context)[r["context"]].append(r)
    _table("noise type", dict(by_noise))
    print()
    _table("context (corrupted)", dict(by_context))
    _table("context (decoys)", dict(decoy_context))
    print()
    with_context = [r for r in corrupted if r["context"] in ("role", "place")]
    without = [r for r in corrupted if r["context"] == "none"]
    print(f"corrupted, role or place context: accuracy {score(with_context)['accuracy']:.3f} ({len(with_context)})")
    print(f"corrupted, no context:            accuracy {score(without)['accuracy']:.3f} ({len(without)})")
    print(f"corrupted, country context:       accuracy {score([r for r in corrupted if r['context'] == 'country'])['accuracy']:.3f}")
    overall = score(results)
    print(f"ALL: accuracy {overall['accuracy']:.3f}  link precision {overall['link_precision']:.3f}  "
          f"abstention {overall['abstention']:.3f}  (names the model found: {sum(r['found'] for r in results)}/{len(results)})")
    if verbose:
        for r in results:
            if r["got"] != r["expect"]:
                print(f"  [{r.get('seed', '')} {r['noise']}/{r['context']}] {r['text']!r}: expected {r['expect']}, "
                      f"got {r['got']}{'' if r['found'] else ' (no mention found)'} {r['evidence']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="print every wrong case")
    parser.add_argument("--per-type", type=int, default=60, help="corrupted names per noise type")
    parser.add_argument("--seed", type=int, default=SEED, help="another seed draws other cases (a held-out check)")
    parser.add_argument("--seeds", type=_seeds, metavar="A-B",
                        help="instead, one run per seed (\"1-10\", \"3,5,8\"): the targets per seed, their mean, "
                             "spread and worst, and the tables over all the seeds' cases pooled")
    parser.add_argument("--cost", type=int, default=0, metavar="N",
                        help="instead, time resolution with and without the rescue on N real articles, and list "
                             "the weak links it made there")
    parser.add_argument("--skip", type=int, default=0, metavar="K", help="with --cost: start after K articles")
    parser.add_argument("--repeat", type=int, default=1, metavar="R",
                        help="with --cost: time each pass R times and keep the least (CPU time scatters with load)")
    args = parser.parse_args(argv)
    if args.cost:
        cost(args.cost, args.skip, args.repeat)
        return 0
    from parallax.nlp import english_pipeline

    pack = load_shipped()
    registry = Registry.of(list(pack.actors))
    pack_ids = {a.id for a in pack.actors}
    nlp = english_pipeline()
    if args.seeds:
        return _many_seeds(args.seeds, args.per_type, pack, registry, pack_ids, nlp, args.verbose)
    cases = make_cases(pack, registry, random.Random(args.seed), args.per_type)
    started = time.perf_counter()
    results = run(cases, registry, pack_ids, nlp)
    elapsed = time.perf_counter() - started
    corrupted = [r for r in results if r["expect"] is not None]
    print(f"date {ON}  seed {args.seed}  corrupted names: {len(corrupted)}  decoys: {len(results) - len(corrupted)}")
    report(results, args.verbose)
    print(f"time: {1000 * elapsed / max(1, len(results)):.1f} ms per sentence (parse, entities, resolution)")
    return 0


def _many_seeds(seeds: list[int], per_type: int, pack, registry: Registry, pack_ids: set[str], nlp,
                verbose: bool) -> int:
    """One draw per seed: how far the targets move from one draw to the next (a rule fitted to one draw shows
    here as a spread), then the tables over every case of every seed."""
    import statistics

    pooled, per_seed = [], {}
    for seed in seeds:
        registry = Registry.of(list(pack.actors))  # each draw meets the packs alone, as a single run does
        results = run(make_cases(pack, registry, random.Random(seed), per_type), registry, pack_ids, nlp)
        pooled.extend({**r, "seed": seed} for r in results)
        per_seed[seed] = headline(results)
        print(f"seed {seed:>9}: " + "  ".join(f"{k} {v:.3f}" for k, v in per_seed[seed].items()), flush=True)
    print()
    print(f"{'over ' + str(len(seeds)) + ' seeds':28} {'mean':>6} {'sd':>6} {'min':>6} {'max':>6}")
    for k in next(iter(per_seed.values())):
        values = [h[k] for h in per_seed.values()]
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        print(f"{k:28} {statistics.mean(values):6.3f} {sd:6.3f} {min(values):6.3f} {max(values):6.3f}")
    print(f"\nevery seed's cases pooled ({len(pooled)}):")
    report(pooled, verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
