"""Name normalisation: the keys under which spelling variants of one name meet.

Transliteration from Cyrillic gives several Latin spellings of one name (Zelenskyy / Zelensky /
Zelenskiy, Sergey / Sergei, Kharkiv / Harkiv); ``alias_key`` maps those ordinary variants to one key so
that exact lookup already finds them, leaving fuzzy matching for real garbling.
"""

from __future__ import annotations

import re
import unicodedata

HONORIFICS = frozenset(
    "mr mrs ms miss dr sir madam mister prof professor gen general col colonel lt sgt capt captain "
    "president premier minister chancellor senator rep representative gov governor mayor ambassador "
    "secretary spokesman spokeswoman spokesperson envoy king queen prince princess sheikh emir "
    "pope patriarch judge justice".split()
)

_NON_WORD = re.compile(r"[^\w\s-]")
_SPACES = re.compile(r"[\s\-]+")
_TRANSLIT = (
    (re.compile(r"(?:iy|yy|yi|ij|ii)$"), "i"),  # Zelenskiy, Zelenskyy, Zelenskyi -> zelenski
    (re.compile(r"(?<=[^aeiou])y$"), "i"),  # Zelensky -> zelenski
    (re.compile(r"ey$"), "ei"),  # Sergey -> sergei
    (re.compile(r"kh"), "h"),  # Kharkiv / Harkiv
    (re.compile(r"t[sz]"), "c"),  # Hrabets / Hrabec, one Cyrillic letter three ways
    (re.compile(r"ck|c(?=[aou])|q"), "k"),  # Marco / Marko
    (re.compile(r"(?<=[aeiou])j(?=[aeiou])"), "y"),  # Majdan / Maydan
    (re.compile(r"w"), "v"),  # German-style transliteration
    (re.compile(r"ph"), "f"),
    (re.compile(r"(.)\1+"), r"\1"),  # doubled letters
)


def fold(text: str) -> str:
    """Lower-case, strip diacritics and punctuation, collapse spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("’", "'").lower()
    text = re.sub(r"'s\b", "", text)
    text = _NON_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _token_key(token: str) -> str:
    for pattern, repl in _TRANSLIT:
        token = pattern.sub(repl, token)
    return token


def name_tokens(name: str) -> list[str]:
    """The normalised tokens of a name, without honorifics and titles in front."""
    tokens = fold(name).split()
    while len(tokens) > 1 and tokens[0] in HONORIFICS:
        tokens = tokens[1:]
    if tokens and tokens[0] == "the" and len(tokens) > 1:
        tokens = tokens[1:]
    return [_token_key(tok) for tok in tokens]


def alias_key(name: str) -> str:
    """The lookup key of a name: equal for ordinary transliteration variants of it."""
    return " ".join(name_tokens(name))


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "actor"
