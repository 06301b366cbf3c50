"""Country adjectives and short forms, so that context words ("Russian", "US", "Emirati") meet the country
names used in pack roles ("Russia", "United States", "United Arab Emirates")."""

from __future__ import annotations

from parallax.knowledge.names import fold

# Only the words that do not already share a stem with the country name (Russian/Russia does).
_DEMONYMS = {
    "United States": "us usa america american americans washington",
    "United Kingdom": "uk britain british briton england english london",
    "France": "french paris",
    "Germany": "german berlin",
    "Netherlands": "dutch holland",
    "China": "chinese beijing",
    "Japan": "japanese tokyo",
    "Turkey": "turkish turkiye ankara",
    "Israel": "israeli",
    "Palestine": "palestinian palestinians",
    "Iran": "iranian tehran",
    "Iraq": "iraqi baghdad",
    "Saudi Arabia": "saudi riyadh",
    "United Arab Emirates": "uae emirati emirates",
    "Qatar": "qatari doha",
    "Oman": "omani",
    "Kuwait": "kuwaiti",
    "Bahrain": "bahraini",
    "Yemen": "yemeni",
    "Lebanon": "lebanese beirut",
    "Syria": "syrian damascus",
    "Jordan": "jordanian amman",
    "Egypt": "egyptian cairo",
    "Ukraine": "ukrainian kyiv kiev",
    "Russia": "russian moscow",
    "Belarus": "belarusian belarusian minsk",
    "Poland": "polish warsaw",
    "Hungary": "hungarian budapest",
    "Slovakia": "slovak",
    "Czech Republic": "czech czechia prague",
    "Finland": "finnish helsinki",
    "Sweden": "swedish stockholm",
    "Norway": "norwegian oslo",
    "Denmark": "danish copenhagen",
    "Spain": "spanish madrid",
    "Italy": "italian rome",
    "Greece": "greek athens",
    "Switzerland": "swiss bern",
    "Belgium": "belgian",
    "Ireland": "irish dublin",
    "Portugal": "portuguese lisbon",
    "Latvia": "latvian riga",
    "Lithuania": "lithuanian vilnius",
    "Estonia": "estonian tallinn",
    "Romania": "romanian bucharest",
    "Moldova": "moldovan chisinau",
    "Georgia": "georgian tbilisi",
    "Armenia": "armenian yerevan",
    "Azerbaijan": "azerbaijani azeri baku",
    "Kazakhstan": "kazakh",
    "Uzbekistan": "uzbek",
    "India": "indian delhi",
    "Pakistan": "pakistani islamabad",
    "Afghanistan": "afghan kabul",
    "South Korea": "korean seoul",
    "North Korea": "korean pyongyang",
    "Brazil": "brazilian",
    "Argentina": "argentine argentinian",
    "Mexico": "mexican",
    "Canada": "canadian ottawa",
    "Australia": "australian canberra",
    "Indonesia": "indonesian jakarta",
    "South Africa": "african pretoria",
    "Sudan": "sudanese khartoum",
    "Ethiopia": "ethiopian",
    "Venezuela": "venezuelan caracas",
    "Vatican": "papal holy see",
    "Serbia": "serbian belgrade",
    "Austria": "austrian vienna",
    "Cyprus": "cypriot",
    "Philippines": "philippine filipino manila",
    "Vietnam": "vietnamese hanoi",
}

# Organisations that text names by a short form or adjective ("NATO's", "EU", "UN").
_ORGANISATION_WORDS = {
    "United Nations": "un",
    "European Union": "eu european brussels",
    "European Commission": "eu commission brussels",
    "European Council": "eu",
    "NATO": "nato alliance",
    "Kremlin": "kremlin russian russia",
    "White House": "white house us american",
    "Pentagon": "pentagon us american",
    "State Department": "state department us american",
}


def _table(source: dict[str, str]) -> dict[str, frozenset[str]]:
    return {fold(name): frozenset(words.split()) | frozenset(fold(name).split()) for name, words in source.items()}


COUNTRY_WORDS = _table(_DEMONYMS)
ORGANISATION_WORDS = _table(_ORGANISATION_WORDS)


def place_words(name: str | None) -> frozenset[str]:
    """Every word that can stand for a country or organisation name in a description."""
    if not name:
        return frozenset()
    key = fold(name)
    return COUNTRY_WORDS.get(key, frozenset()) | ORGANISATION_WORDS.get(key, frozenset()) | frozenset(key.split())
