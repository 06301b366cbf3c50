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
    "pope patriarch judge justice crown ayatollah cardinal sultan lord lady dame rabbi imam marshal admiral "
    "sheikha".split()
)

# One given name, many spellings: Ukrainian and Russian forms, transliterations and the English form that
# machine translation substitutes ("Oleksandr" / "Aleksandr" / "Alexander"). Applied to the first token of a
# name of two or more words, so "Dmytro Kuleba" and "Dmitry Kuleba" share a key.
_GIVEN_NAME_GROUPS = """
alexander oleksandr aleksandr alexandr aleksander olexandr alyaksandr aliaksandr
vladimir volodymyr volodimir wladimir uladzimir wolodymyr vladimer
andrei andriy andrii andrij andrey andrej andrew
sergei serhiy serhii sergiy sergii sergey sergej serguei siarhei serge
dmitri dmytro dmitry dmitriy dmitrij
mikhail mykhailo mykhaylo michail mihail
alexei oleksiy oleksii alexey aleksei aleksey alexi olexiy
yuri yuriy yurii yury jurij iouri
nikolai mykola nikolay nicolai nikolaj
pavel pavlo
petr petro pyotr piotr peter
igor ihor
gennady hennadiy hennadii gennadiy gennadi hennady
vitaly vitaliy vitalii vitali
yevgeny yevhen yevgeniy evgeny evgeniy evgenii eugene jewgeni
kirill kyrylo kiril
maxim maksym maksim
denis denys
valery valerii valeriy valeri
georgy heorhiy heorhii georgiy georgii heorhy
oleg oleh
vasily vasyl vasiliy vassily
grigory hryhoriy grigoriy hryhorii
anatoly anatoliy anatolii
yulia yuliia yuliya julia iuliia
olena elena yelena
iryna irina
olga olha
tatyana tatiana tetiana tetyana
mohammed mohammad muhammad mohamed mohamad muhammed mohammet
hossein hussein husain hussain hossain
"""
GIVEN_NAMES = {
    variant: group.split()[0] for group in _GIVEN_NAME_GROUPS.strip().splitlines() for variant in group.split()
}

_NON_WORD = re.compile(r"[^\w\s-]")
_SPACES = re.compile(r"[\s\-]+")
_TRANSLIT = (
    (re.compile(r"(?:iy|yy|yi|yj|ij|ii)$"), "i"),  # Zelenskiy, Zelenskyy, Zelenskyi, Selenskyj -> zelenski
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


# Cyrillic letters that look like Latin ones: garbled copies mix them into Latin names ("Mаcron").
_HOMOGLYPHS = str.maketrans("аеорсухкмтіј", "aeopcyxkmtij")
_MIXED = re.compile(r"\w*(?:[a-z][а-яіїєґј]|[а-яіїєґј][a-z])\w*")


def fold(text: str) -> str:
    """Lower-case, strip diacritics and punctuation, collapse spaces."""
    text = _MIXED.sub(lambda m: m.group(0).translate(_HOMOGLYPHS), text.lower())
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
    if len(tokens) > 1:
        tokens[0] = GIVEN_NAMES.get(tokens[0], tokens[0])
    return [_token_key(tok) for tok in tokens]


def alias_key(name: str) -> str:
    """The lookup key of a name: equal for ordinary transliteration variants of it."""
    return " ".join(name_tokens(name))


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-") or "actor"


# Cyrillic to Latin as English-language media spell it (Russian and Ukrainian letters together): "Волостный" ->
# "volostnyy", whose ``alias_key`` equals that of "Volostny".
_CYRILLIC = dict(
    zip(
        "абвгґдеёєжзиіїйклмнопрстуфхцчшщъыьэюя",
        "a b v g g d e e ye zh z i i yi y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(),
    )
)
_CYRILLIC = {k: ("" if v == "_" else v) for k, v in _CYRILLIC.items()}
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
# Russian and Ukrainian case endings (transliterated), longest first; English spellings lose their final
# vowel the same way, so "Volostny", "Волостного" and "Волостному" share the stem "volostn". A final s goes
# too (German genitive "Aldmarks"; "Paris" loses it in every script alike), and German j for й ("Sergej").
_NAME_ENDINGS = tuple(
    sorted(
        "ogo ego omu emu oi ei iei ym im om em akh ah iakh iah ami iami ov ev yu iyu uyu ia iya aya yaya ie ye ikh ykh "
        "ii yi ej a e i o u y s j".split(),
        key=len,
        reverse=True,
    )
)


def transliterate(text: str) -> str:
    """Cyrillic letters spelled in Latin; other characters unchanged (lower-cases Cyrillic)."""
    if not _CYRILLIC_LETTER.search(text):
        return text
    return "".join(_CYRILLIC.get(ch, ch) for ch in text.lower())


def name_stem(word: str) -> str:
    """A key under which one name's spellings across scripts and grammatical cases meet: transliterated,
    folded like ``alias_key``, without a case ending or final vowel, then reduced to its first letter and its
    consonants ("Бревнии", "Brevnia" -> "brvn").
    Lossy on purpose: it is a clustering feature, not an identity."""
    token = _token_key(fold(transliterate(word)).replace(" ", ""))
    for ending in _NAME_ENDINGS:
        if token.endswith(ending) and len(token) - len(ending) >= 3:
            token = token[: -len(ending)]
            break
    # Ukrainian г is h (Грабець / Hrabets, Russian Грабец / Grabets), German sch is ш; vowels are where
    # transliteration and English spelling part most (Trump / Трамп, Kyiv / Київ, Russia / Россия), so
    # only the first letter and the consonants are kept.
    token = re.sub(r"c(?![eiy])", "k", token.replace("g", "h").replace("sch", "sh"))  # Macron / Макрон
    token = token[:1] + re.sub(r"[aeiouy]+", "", token[1:])
    return re.sub(r"(.)\1+", r"\1", token)
