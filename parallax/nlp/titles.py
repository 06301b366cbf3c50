"""The words around names: titles, honorifics and the words of organisations' names.

Shared by the entity model (which strips titles from names and keeps them as descriptors) and the speaker stage
(which resolves "the minister" through them).
"""

from __future__ import annotations

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})

HONORIFICS = {"mr": "male", "mrs": "female", "ms": "female", "miss": "female", "sir": "male",
              "dame": "female", "lord": "male", "lady": "female", "madam": "female"}

# Nouns that name a person's role; they make a neighbouring name a person and become descriptors.
PERSON_TITLES = frozenset("""
    president leader minister premier spokesman spokeswoman spokesperson ambassador envoy governor mayor
    chancellor general commander negotiator diplomat official secretary chief senator sen rep representative
    dr gen col colonel lieutenant lt major maj captain capt admiral adm king queen prince princess pope sheikh
    emir director chairman chairwoman chair head adviser advisor aide deputy vice prosecutor judge lawmaker
    mp spokesmen commissioner counsellor counselor coach manager gov nominee candidate businessman
    businesswoman billionaire mogul lawyer attorney economist professor strategist pollster anchor moderator
    founder ceo congressman congresswoman justice doctor physician
""".split()) | frozenset(HONORIFICS)
# Abbreviated titles, written out so that "the senator" finds "Sen. Ida Marsh".
TITLE_ABBREVIATIONS = {"sen": "senator", "gov": "governor", "rep": "representative", "pres": "president",
                       "gen": "general", "sec": "secretary", "amb": "ambassador"}

# Role nouns that say the bearer's sex; a weaker sign than an honorific or a given name.
GENDERED_TITLES = {"spokeswoman": "female", "chairwoman": "female", "congresswoman": "female",
                   "queen": "female", "princess": "female", "businesswoman": "female",
                   "spokesman": "male", "chairman": "male", "congressman": "male", "king": "male",
                   "prince": "male", "businessman": "male", "lady": "female"}

# Modifiers that belong to a title ("Foreign Minister", "Prime Minister") and are stripped with it.
TITLE_MODIFIERS = frozenset("""
    foreign prime defence defense interior finance economy justice health deputy vice acting former top
    senior chief press state the first ex special presidential military army armed forces navy government
    opposition party ministry
""".split())

ORG_KEYWORDS = frozenset("""
    ministry council agency party news office department committee union army forces service services
    commission parliament government bank company corp inc ltd group institute university times post press
    tv radio network organisation organization alliance nato un eu kremlin court assembly senate congress
    fund association federation command center centre foundation coalition institution bureau authority society
    league
""".split())

PLACE_PREPOSITIONS = frozenset("in to from into across near at toward towards on outside around over".split())

# Role synonyms that let "the leader" find a "president" or "prime minister".
ROLE_SYNONYMS = {
    "leader": {"president", "premier", "prime", "chancellor", "leader"},
    "head": {"president", "premier", "prime", "chancellor", "leader", "head", "chief", "director"},
    "spokeswoman": {"spokeswoman", "spokesperson", "spokesman"},
    "spokesman": {"spokeswoman", "spokesperson", "spokesman"},
    "spokesperson": {"spokeswoman", "spokesperson", "spokesman"},
    "diplomat": {"diplomat", "minister", "ambassador", "envoy"},
    "envoy": {"envoy", "ambassador", "diplomat", "negotiator", "mediator"},
    "mediator": {"mediator", "envoy", "negotiator"},
    "negotiator": {"negotiator", "envoy", "mediator"},
    "nominee": {"nominee", "candidate"},
    "candidate": {"candidate", "nominee"},
    "congressman": {"congressman", "representative"},
    "congresswoman": {"congresswoman", "representative"},
    "lawmaker": {"lawmaker", "senator", "representative", "congressman", "congresswoman", "mp"},
    "judge": {"judge", "justice"},
    "justice": {"justice", "judge"},
    "doctor": {"doctor", "physician", "dr"},
    "physician": {"physician", "doctor", "dr"},
}


def same_stem(a: str, b: str) -> bool:
    """"valdorian" ~ "valdoria", "russian" ~ "russia": nationality adjectives against country names."""
    if a == b:
        return True
    n = min(len(a), len(b))
    return n >= 4 and a[:max(4, n - 2)] == b[:max(4, n - 2)]
