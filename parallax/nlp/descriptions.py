"""Definite descriptions of sources that are no person: documents and outlets.

* a document speaks for whoever issued it: "a Quinnipiac poll", "the FBI's records", "a new report by
  Politico", "a web video released by the committee"; "the poll" / "the study" later in the article is the
  last such document of its family that had an issuer;
* "the newspaper", "the network", "the website" is the last outlet the article named.

Nothing is guessed: a document with no issuer in sight ("a new poll") and an outlet noun with no outlet
before it stay unnamed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Token

from parallax.nlp.cues import INTENT_VERBS, SPEECH_VERBS, STANCE_VERBS

# Families of documents: "the study" may take up "a Reuters survey", never "the ad".
_FAMILIES = {
    "finding": "poll survey study analysis report research data datum database census tally review audit estimate"
    .split(),
    "ad": "ad advert advertisement clip spot video commercial".split(),
    "text": "article piece story feature profile editorial column op-ed book memoir transcript account".split(),
    "paper": "statement memo letter filing record document complaint release email brief submission affidavit"
    .split(),
}
DOCUMENT_FAMILY = {noun: family for family, nouns in _FAMILIES.items() for noun in nouns}
OUTLET_NOUNS = frozenset("""newspaper paper daily network broadcaster channel outlet magazine website site tabloid
    station publication""".split())
# Words that make a body's name an outlet's ("The Dallas Morning News", "Fox News Channel").
_OUTLET_WORDS = frozenset("""times post news journal tribune herald gazette telegraph guardian network tv radio
    broadcasting magazine daily chronicle press media channel reuters bloomberg politico observer examiner
    sun star mirror express independent economist atlantic hill breitbart""".split())
_ISSUER_DEPS = frozenset({"compound", "poss", "nmod"})
# How far back (tokens) "the poll" looks for the document it takes up: a few pages, so that a long transcript's
# every "the poll" does not rescan all of it.
_DOCUMENT_REACH = 5000
# Verbs whose subject issues their object: "the Post ran a feature", "the campaign released an ad".
_ISSUING_VERBS = frozenset("""publish release run issue conduct air post unveil launch commission send write
    sign file submit""".split())
_BY = frozenset({"by", "from"})
# Where an owner publishes what it issues: "a document on the Roe campaign's website".
_SITES = frozenset({"website", "site", "page", "blog", "feed"})
_OUTLETS_PACK = Path(__file__).resolve().parent.parent / "knowledge" / "packs" / "outlets.yaml"


_PACK_NAME = re.compile(r"[{,]\s*name:\s*([^,}\]]+)")
_PACK_ALIASES = re.compile(r"aliases:\s*\[([^\]]*)\]")
_CAPITALISED_RUN = re.compile(r"[A-Z][\w'’.&]*(?:[ -][A-Z][\w'’.&]*)*")


@lru_cache(maxsize=1)
def known_outlets() -> frozenset[str]:
    """Names and aliases of the shipped outlets pack, lower-cased ("rt", "cnn", "new york times"). Read from
    its flow-style lines directly: the YAML loader costs a tenth of a second a process for a word list."""
    if not _OUTLETS_PACK.is_file():
        return frozenset()
    names = set()
    for line in _OUTLETS_PACK.read_text(encoding="utf-8").splitlines():
        if not line.lstrip().startswith("- {"):
            continue
        found = _PACK_NAME.findall(line)
        aliases = _PACK_ALIASES.search(line)
        found += aliases.group(1).split(",") if aliases else []
        names.update(_bare(n.strip().strip("'\"")) for n in found if n.strip())
    return frozenset(names)


def outlet_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the pack's outlets written with capitals ("USA TODAY", "RT", "Politico"): up to
    three words inside a run of capitalised words, longest first."""
    known, found = known_outlets(), []
    for run in _CAPITALISED_RUN.finditer(text):
        words = [(m.start() + run.start(), m.end() + run.start()) for m in re.finditer(r"[^ -]+", run.group())]
        i = 0
        while i < len(words):
            for size in (3, 2, 1):
                piece = words[i:i + size]
                joint = text[piece[-1][1]:piece[-1][1] + 1] == "/" if piece else False  # "Reuters/Ipsos poll"
                joint = joint or (piece and piece[0][0] > 0 and text[piece[0][0] - 1] == "/")
                if len(piece) == size and not joint and _bare(text[piece[0][0]:piece[-1][1]]) in known:
                    found.append((piece[0][0], piece[-1][1]))
                    i += size - 1
                    break
            i += 1
    return found


def _bare(name: str) -> str:
    return re.sub(r"^the\s+", "", name.lower().replace("’", "'")).strip()


def is_outlet(name: str) -> bool:
    bare = _bare(name)
    return bare in known_outlets() or bool(set(re.findall(r"[a-z]+", bare)) & _OUTLET_WORDS)


def issuer(head: Token, token_entity: dict[int, int]) -> int | None:
    """The entity that issued a document: named before its noun ("a Bloomberg poll", "the FBI's records",
    "the Washington Post-ABC News national poll") or after it by an agent ("a report by Politico", "an
    analysis released by the Department of Veterans Affairs")."""
    if head.tag_ == "NNS" and not any(c.dep_ == "poss" for c in head.lefts):
        return None  # "exit polls", "other studies", "WikiLeaks emails": documents in general, unnamed
    for child in sorted(head.lefts, key=lambda t: -t.i):
        if child.dep_ in _ISSUER_DEPS or child.dep_ == "amod" and child.pos_ == "PROPN":
            for tok in sorted(child.subtree, key=lambda t: -t.i):
                if tok.i in token_entity:
                    return token_entity[tok.i]
    verb = head.head
    if head.dep_ == "pobj" and head.head.lower_ == "in" and head.head.head.pos_ == "VERB" \
            and head.head.head.lemma_.lower() in SPEECH_VERBS | STANCE_VERBS | INTENT_VERBS:
        # "In a statement, the ministry called ...": the one who speaks in it
        subject = next((c for c in head.head.head.children if c.dep_ == "nsubj"), None)
        found = _named_in(subject, token_entity) if subject is not None else None
        if found is not None:
            return found
    if head.dep_ == "dobj" and verb.lemma_.lower() in _ISSUING_VERBS:
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        found = _named_in(subject, token_entity) if subject is not None else None
        if found is not None:
            return found
    for tok in head.subtree:
        if tok.i <= head.i or tok.i - head.i > 10:
            continue
        if (tok.dep_ == "agent" or (tok.dep_ == "prep" and tok.lower_ in _BY)):
            obj = next((c for c in tok.children if c.dep_ == "pobj"), None)
            found = _named_in(obj, token_entity) if obj is not None else None
            if found is not None:
                return found
        if tok.dep_ == "prep" and tok.head.i == head.i and tok.lower_ in ("on", "in"):
            # "a document on the Roe campaign's website": the site's owner published it
            site = next((c for c in tok.children if c.dep_ == "pobj" and c.lemma_.lower() in _SITES), None)
            owner = next((c for c in site.children if c.dep_ in ("poss", "compound")), None) if site is not None else None
            found = _named_in(owner, token_entity) if owner is not None else None
            if found is not None:
                return found
    return None


def _named_in(phrase: Token, token_entity: dict[int, int]) -> int | None:
    """The entity a phrase names: its head's own ("Donald Trump's campaign" is the campaign, not Trump), else
    the first inside it."""
    if phrase.i in token_entity:
        return token_entity[phrase.i]
    return next((token_entity[t.i] for t in phrase.subtree if t.i in token_entity), None)


def earlier_document(doc: Doc, noun: str, position: int, token_entity: dict[int, int],
                     quoted) -> int | None:
    """The issuer of the last document of the same family before ``position`` that had one; but the last
    new document with the same singular noun decides, issuer or not ("sent a letter ... the letter reads" is
    that letter, not a statement an official made before it)."""
    family = DOCUMENT_FAMILY.get(noun)
    for tok in reversed(doc[max(0, position - _DOCUMENT_REACH):position]):
        if DOCUMENT_FAMILY.get(tok.lemma_.lower()) == family and tok.pos_ == "NOUN" and not quoted(tok.i):
            by = issuer(tok, token_entity)
            if by is not None:
                return by
            # (a new one, "sent a letter": "this letter" and "the letter" take up an earlier one themselves)
            if tok.lemma_.lower() == noun and tok.tag_ == "NN" and not any(
                    c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.lefts):
                return None
    return None


def last_outlet(index, position: int, quoted) -> int | None:
    """The last outlet named before ``position`` outside quotations."""
    for s, _, entity in sorted(index.mention_tokens, reverse=True):
        if s < position and not quoted(s) and index.entity(entity).kind != "person" \
                and is_outlet(index.entity(entity).name):
            return entity
    return None
