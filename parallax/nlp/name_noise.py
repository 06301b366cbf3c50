"""How plausibly one name key is a noisy rendering of another: the likeness measure of ``noisy_names``.

Ordinary spelling variants already meet under ``alias_key``; what is left is the noise real pipelines add,
and each kind has its own fold under which the two spellings become equal or close:

- a case ending kept from Russian or Ukrainian ("Zelenskogo", "Peskova", "Kyieva", "Yeyskom");
- a consonant skeleton or a sound code (Metaphone) shared despite vowels heard wrong;
- another transliteration scheme (German "Sudscha", Polish "Charkow", French "Oursoula");
- letters a scanner confuses ("rn" for "m", "1" for "l", "c" for "o");
- a first letter misheard, or a name cut to its first syllables.

``weak_similarity`` gives the best of these as a score and the name of the noise that explains it; the
caller decides, from the context, how much likeness it needs.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jellyfish
from rapidfuzz import fuzz

from parallax.knowledge.names import name_stem

# Russian and Ukrainian case endings as machine translation leaves them on a name, longest first.
_ENDINGS = tuple(sorted("ogo ego omu emu oy oi ym im om akh ami ova eva ovoi ovym iy yi ii a y u e i".split(),
                        key=len, reverse=True))

# Letters a scanner or a bad font confuses, each group read as one: rn/m, cl/d, vv/w, ii/u, i/l/1, o/0/c/e,
# s/5, u/v, b/h/8.
_OCR_PAIRS = (("rn", "m"), ("cl", "d"), ("vv", "w"), ("ii", "u"))
_OCR_LETTERS = str.maketrans("il1|0ce5ubh8", "llllooosvbbb")
_OCR_DIGITS = str.maketrans("1|05", "llos")


def ocr_marks(token: str) -> str:
    """Only the scanner's marks undone: split letters (rn, cl, vv, ii) and digits for letters."""
    for pair, letter in _OCR_PAIRS:
        token = token.replace(pair, letter)
    return token.translate(_OCR_DIGITS)


def scanned(token: str) -> bool:
    """The word carries a mark no speller makes: a digit inside letters (Zo1otov, Mcska1kova)."""
    return any(c.isdigit() for c in token) and any(c.isalpha() for c in token)


@lru_cache(maxsize=100_000)
def _ocr(token: str) -> str:
    for pair, letter in _OCR_PAIRS + (("ri", "n"),):
        token = token.replace(pair, letter)
    return token.translate(_OCR_LETTERS)


# German, Polish and French renderings of Cyrillic letters, brought to the English ones the packs use; German
# "sch" is both ж and ш, so zh and sh are read as one.
_SCHEMES = re.compile(r"tsch|sch|tch|cz|sz|zh|ch|ou|dj|j|zs")
_ENGLISH = {"tsch": "ch", "sch": "sh", "tch": "ch", "cz": "ch", "sz": "sh", "zh": "sh", "ch": "h", "ou": "u",
            "dj": "j", "j": "y", "zs": "sh"}


@lru_cache(maxsize=100_000)
def translit(token: str) -> str:
    """The token with other transliteration schemes brought to the English one (a comparison key only)."""
    return _SCHEMES.sub(lambda m: _ENGLISH[m.group(0)], token)


@lru_cache(maxsize=100_000)
def skeleton(token: str) -> str:
    """The name's consonant skeleton (``name_stem``), remembered: the same names come back article after article."""
    return name_stem(token)


@lru_cache(maxsize=100_000)
def sound(token: str) -> str:
    return jellyfish.metaphone(token)


def _stem_of_known(token: str) -> str:
    """A pack name without the final vowel a case ending replaces: of an adjectival surname (Zelenski ->
    zelensk), of a feminine noun (Bucha -> buch) or of a Ukrainian -ko surname; another final o or e does not
    decline (Store is not Story)."""
    if token.endswith("ko") and len(token) >= 6:
        return token[:-1]  # a Ukrainian -ko surname declines (Marchenko, Marchenka; Klitschko, Klitschkovi)
    return token[:-1] if token[-1:] in "iya" and len(token) >= 5 else token


@lru_cache(maxsize=100_000)
def stems(token: str) -> tuple[str, ...]:
    """Every reading of the token without one case ending ("hnatovym": hnat, hnatov), longest ending first."""
    return tuple(token[: -len(e)] for e in _ENDINGS if token.endswith(e) and len(token) - len(e) >= 4)


@lru_cache(maxsize=100_000)
def strip_ending(token: str) -> str:
    for ending in _ENDINGS:
        if token.endswith(ending) and len(token) - len(ending) >= 4:
            return token[: -len(ending)]
    return token


@lru_cache(maxsize=200_000)
def weak_similarity(written: str, known: str) -> tuple[float, str]:
    """0..1: how plausibly ``written`` is a noisy rendering of the name key ``known``, and which kind of noise
    explains it best (string, ending, phonetic, transliteration, ocr, ocr letters, truncation)."""
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
    a, b = strip_ending(written), _stem_of_known(known)
    if written.endswith("ei"):
        a = written  # an English -ey (Barney, keyed "barnei") is no case ending: Barney is not Barnea
    if a != written and (a == b or a == known) and len(a) >= 4:
        consider(0.92, "ending")
    elif a != written:
        consider(0.9 * fuzz.ratio(a, b) / 100, "ending")
    sa, sb = skeleton(written), skeleton(known)
    # a shared skeleton or sound code says more the longer it is: "kzk" fits Kozak and Kozytskomu alike
    if sa == sb:
        consider((0.75, 0.75, 0.75, 0.8, 0.86)[min(len(sb), 4)] if len(sb) < 5 else 0.9, "phonetic")
    elif len(sb) >= 3:
        consider(0.85 * fuzz.ratio(sa, sb) / 100, "phonetic")
    ta, tb = translit(written), translit(known)
    if ta != written or tb != known:
        # (both brought to one scheme, or the written one to the English of the packs: "cz" is their "ch",
        # which the common fold reads as the German "ch" of "Charkiw")
        consider(0.95 * max(fuzz.ratio(ta, tb), fuzz.ratio(ta, known)) / 100, "transliteration")
    if _ocr(written) == _ocr(known):
        # a digit or a split letter (Zo1otov, Rnacron) is a scanner's mark; one letter read as another
        # (Lavrcv) is as likely an ordinary word (keeper / Cooper) unless the word also carries a digit
        marked = ocr_marks(written) == ocr_marks(known) or scanned(written)
        consider(0.9, "ocr" if marked else "ocr letters")
    if written[0] != known[0] and len(written) >= 4:
        consider(0.9 * fuzz.ratio(written[1:], known[1:]) / 100, "phonetic")  # first letter misheard
    ma, mb = sound(written), sound(known)
    if ma and mb:
        consider(((0.78, 0.78, 0.78, 0.84)[len(mb)] if len(mb) < 4 else 0.88) if ma == mb
                 else 0.8 * fuzz.ratio(ma, mb) / 100, "phonetic")
    if len(written) >= 3 and known.startswith(written) and len(written) < len(known):
        consider(0.6 + 0.3 * len(written) / len(known), "truncation")  # Sud... for Sudzha
    return round(best[0], 3), best[1]


# Endings of Slavic surnames (as keyed: Zaluzhnyi is "zaluzhni"), the feminine ones included (Moskalkova)
_SLAVIC_SURNAME = re.compile(r"(?:ov|ev|yov|in|yn|ova|eva|ina|yna|enko|nko|ko|ski|sk|uk|yuk|ak|yak|ich|ych|vich)$")


def slavic_vowel_slip(written: str, known: str) -> bool:
    """One vowel of a Slavic surname heard as another and nothing else (Aksyenov / Aksyonov, Klymunko /
    Klymenko): the vowels are what transliteration and hearing blur in such names. Other surnames are left
    alone: Salmon is not Salman, nor O'Malley Milley."""
    if len(written) != len(known) or len(known) < 5 or not _SLAVIC_SURNAME.search(known):
        return False
    diffs = [(a, b) for a, b in zip(written, known) if a != b]
    return len(diffs) == 1 and diffs[0][0] in "aeiouy" and diffs[0][1] in "aeiouy"


def syllable_lost(written: str, known: str) -> bool:
    """``known`` with one run of one to three letters dropped inside it (Chernihiv / Cherniv, Arakhamia /
    Arakhia); letters dropped here and there (Tulkarem / Tulare) are another name."""
    lost = len(known) - len(written)
    if not 1 <= lost <= 3 or len(written) < 5:
        return False
    return any(known[:i] + known[i + lost:] == written for i in range(1, len(written)))


def letters_lost(written: str, known: str) -> bool:
    """``known`` with letters dropped and none changed: its start kept and one run of it lost inside or at its
    end (Glkov / Gladkov, Gerasim / Gerasimov), five letters or more and three fifths of it left. An ordinary
    word meets a name letter for letter, in order, in such length seldom; a misheard one (Gerasimenko) keeps the
    whole name instead."""
    lost = len(known) - len(written)
    if len(written) < 5 or lost < 1 or 5 * len(written) < 3 * len(known):
        return False
    return any(known[:i] + known[i + lost:] == written for i in range(1, len(written) + 1))


# Letters a scanner reads for others, as (read, meant): a consonant-shaped mark where a vowel was, or the reverse.
_SCANNER_SWAPS = frozenset({("c", "o"), ("c", "e"), ("l", "i"), ("i", "l"), ("v", "u"), ("h", "b"), ("b", "h")})


@lru_cache(maxsize=200_000)
def scanner_swap(written: str, known: str) -> bool:
    """``written`` is ``known`` with letters read as the shapes a scanner confuses: "c" for "o" or "e", "l"
    for "i", "ri" for "n" (Hlukhlv / Hlukhiv, Ycysk / Yeysk, Trukhariov / Trukhanov). A vowel for a vowel
    (Hanson / Hansen) is an ordinary spelling of another name, and does not count."""
    if written == known:
        return False
    # a split letter undone first (either reading where the name has the pair itself), then letter by letter:
    # one word often carries both marks (Irplri / Irpin, Kcriotop / Konotop)
    readings = {written.translate(_OCR_DIGITS)}
    for pair, letter in (("ri", "n"), ("rn", "m"), ("cl", "d"), ("vv", "w")):
        if pair in known:
            continue
        # each occurrence read either way: "Bclgorocl" is Belgorod with one "cl" a "d" and the other "el"
        todo = [r for r in readings if pair in r]
        while todo and len(readings) < 64:
            r = todo.pop()
            for i in (i for i in range(len(r) - 1) if r.startswith(pair, i)):
                new = r[:i] + letter + r[i + 2:]
                if new not in readings:
                    readings.add(new)
                    todo.append(new)
    return any(len(r) == len(known) and all(a == b or (a, b) in _SCANNER_SWAPS for a, b in zip(r, known))
               for r in readings)
