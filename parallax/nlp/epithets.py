"""Epithets: a definite description of a person the article never described with that noun.

News writing names someone once and then varies: "Donald Trump ... The New York businessman said", "Jonas
Ekdal ... the Norland nominee told reporters". When no one in the article carries the description's role (the
speaker stage tries that first), the description still points back to a person already named in full: the one
the article is most about (a person just introduced as a subject, if one fits: "Lars Holm ... met the mayor.
The grain magnate said"), among the people the description does not contradict:

* a gendered noun ("the businessman", "the spokeswoman") agrees with the person's gender;
* a party ("the Republican", "the GOP nominee") agrees with the party the article gave the person;
* an office ("the nominee", "the governor") does not fit someone the article gave another office ("Jane Roe,
  the campaign's spokeswoman", "the economist Lena Sorvik"), nor someone it gave no office but introduced as
  someone's relative ("Ida Roe, the nominee's daughter"): a trait ("the businessman", "the billionaire")
  goes with any office.

Descriptions that are how articles speak of people they never name ("the official", "the aide", "the
spokesman") and descriptions of someone else's relation ("Marek's lawyer", "his wife") take part in none of
this: they stay unnamed. Headlines use the same test (parallax.nlp.title_speakers).
"""

from __future__ import annotations

from spacy.tokens import Token

from parallax.nlp.kinship import KIN_NOUNS
from parallax.nlp.titles import GENDERED_TITLES, HONORIFICS, PERSON_TITLES, TITLE_ABBREVIATIONS

# The most an epithet's credit is trusted (the share of mentions its person has among those it may be, capped
# here, where the briefing starts marking credits uncertain); a role the knowledge packs give someone on the
# article's date outranks it (parallax.app).
EPITHET_CEILING = 0.6
# Party words, each to the party it names: "GOP" is Republican, "Democrat" Democratic.
PARTIES = {"republican": "republican", "gop": "republican", "democrat": "democratic", "democratic": "democratic",
           "dem": "democratic", "libertarian": "libertarian", "green": "green", "labour": "labour",
           "conservative": "conservative", "tory": "conservative", "liberal": "liberal"}
# Nouns for a person's standing rather than an office; they go with any office.
TRAITS = frozenset("businessman businesswoman billionaire mogul tycoon magnate developer".split())
# Nouns used for people an article does not name: "the official said" is no one named before.
UNNAMED_NOUNS = frozenset("""official aide adviser advisor spokesman spokeswoman spokesperson spokesmen deputy
    source representative rep chief head manager coach anchor moderator pollster strategist""".split())
# Qualifiers of an office: "the president" is not the vice president.
QUALIFIERS = frozenset("vice deputy acting assistant former".split())
_GENDERED = {**GENDERED_TITLES, "lady": "female", "mother": "female", "father": "male"}
_OFFICES = (PERSON_TITLES - frozenset(HONORIFICS) - TRAITS) | frozenset(TITLE_ABBREVIATIONS.values())
_SAME_OFFICE = {"nominee": {"candidate"}, "candidate": {"nominee"}, "lawmaker": {"senator", "representative",
                "congressman", "congresswoman"}, "leader": {"president", "premier", "chancellor", "minister"},
                "judge": {"justice"}, "justice": {"judge"}}


def epithet_noun(head: Token) -> str | None:
    """The noun of a definite singular description that may be an epithet for someone named before, else
    None: "the GOP nominee" -> "nominee", "the Republican" -> "republican"; never "a senator", "the official",
    "Marek's lawyer" or "his wife"."""
    noun = head.lemma_.lower()
    if head.tag_ in ("NNS", "NNPS") or not (noun in _OFFICES or noun in TRAITS or noun in PARTIES
                                            or noun in _GENDERED) or noun in UNNAMED_NOUNS:
        return None
    determiners = {c.lower_ for c in head.lefts if c.dep_ == "det"}
    owners = [c for c in head.lefts if c.dep_ == "poss"]
    if not determiners & {"the", "this", "that"} or any(o.ent_type_ not in ("GPE", "LOC") for o in owners):
        return None  # "a senator", "Marek's lawyer"; "Brevnia's tax commissioner" is an office of a place
    return noun


def party_of(words) -> set[str]:
    return {PARTIES[w] for w in words if w in PARTIES}


def may_be(noun: str, modifiers: set[str], descriptors: frozenset[str], gender: str | None,
           synonyms: frozenset[str] = frozenset()) -> bool:
    """Whether a person with these descriptors (and gender, when known) may be the one the description
    ``noun`` with ``modifiers`` stands for; ``synonyms`` are other titles of the same office."""
    wanted = _GENDERED.get(noun)
    if wanted and gender not in (None, wanted):
        return False
    parties, theirs = party_of(modifiers | {noun}), party_of(descriptors)
    if parties and theirs and not parties & theirs:
        return False
    # "Sen. Ida Marsh" holds the office "senator": abbreviated titles are written out before they are compared
    descriptors = frozenset(TITLE_ABBREVIATIONS.get(d, d) for d in descriptors)
    if noun in _OFFICES:
        # (a former office says nothing of the present one, and a flat set of words cannot tell which was former)
        offices = set() if "former" in descriptors else {d for d in descriptors if d in _OFFICES}
        if offices and not offices & ({noun} | _SAME_OFFICE.get(noun, set()) | synonyms):
            return False
        if not offices and descriptors & KIN_NOUNS:
            return False  # "the nominee" is not the one introduced as the nominee's daughter
    return True
