"""Someone's relation as a speaker: "Marek's lawyer said" is the person the article named as Marek's lawyer.

Articles introduce a relation once with its name ("An attorney for Marek, Jon Dale, said ...", "Marek's lawyer,
Jon Dale", "Marek's lawyer Jon Dale") and later write only "Marek's lawyer". The description resolves to that
person when the earlier phrase has the same owner (the same entity) and a noun of the same relation; otherwise
it stays unnamed, as before: the relation of a named person is someone else, never that person.

In a writer's own voice "my father said" is the person the piece introduced as the writer's father ("my father,
Jon Dale") or, by gender, one of "my parents, Jon and Ida Dale".
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

_KINDS = (
    {"lawyer", "attorney", "counsel", "solicitor"},
    {"spokesman", "spokeswoman", "spokesperson"},
    {"adviser", "advisor", "aide", "strategist"},
    {"doctor", "physician"},
    {"wife"}, {"husband"}, {"son"}, {"daughter"}, {"brother"}, {"sister"}, {"father"}, {"mother"},
    {"agent"}, {"manager"}, {"publicist"},
)
RELATION_NOUNS = {noun: kind for kind in _KINDS for noun in kind}
_OWNING_PREPOSITIONS = frozenset({"for", "of", "to"})
# How far back (tokens) the relation may have been named: a long article's every "Marek's lawyer said" must not
# rescan all of it.
_REACH = 2000


def owned_relation(head: Token, token_entity: dict[int, int]) -> tuple[frozenset[str], int] | None:
    """(the relation's nouns, the owner's entity) of "Marek's lawyer", else None."""
    kind = RELATION_NOUNS.get(head.lemma_.lower())
    owner = next((token_entity[c.i] for c in head.lefts if c.dep_ == "poss" and c.i in token_entity), None)
    return (frozenset(kind), owner) if kind is not None and owner is not None else None


def named_relation(doc: Doc, index, head: Token) -> int | None:
    """The person named earlier as the same owner's relation of the same kind, the nearest first."""
    found = owned_relation(head, index.token_entity)
    if found is None:
        return None
    kind, owner = found
    for tok in reversed(doc[max(0, head.i - _REACH):head.i]):
        if tok.lower_ not in kind or _owner(tok, index.token_entity) != owner:
            continue
        person = _named_beside(tok, index, owner)
        if person is not None:
            return person
    return None


def _owner(noun: Token, token_entity: dict[int, int]) -> int | None:
    """Whose relation the noun is: "Marek's lawyer", "a lawyer for Marek"."""
    for child in noun.children:
        if child.dep_ in ("poss", "compound") and child.i in token_entity:
            return token_entity[child.i]
        if child.dep_ == "prep" and child.lower_ in _OWNING_PREPOSITIONS:
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and obj.i in token_entity:
                return token_entity[obj.i]
    return None


def _named_beside(noun: Token, index, owner: int) -> int | None:
    """The person named in apposition with the relation noun ("Marek's lawyer, Jon Dale", "Jon Dale, Marek's
    lawyer", "Marek's lawyer Jon Dale"); the parser sometimes hangs the name on the owner instead ("a lawyer for
    Marek, Jon Dale")."""
    token_entity = index.token_entity
    beside = [c for c in noun.children if c.dep_ == "appos"]
    if noun.dep_ in ("appos", "compound"):
        beside.append(noun.head)
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in _OWNING_PREPOSITIONS:
            for obj in child.children:
                beside += [c for c in obj.children if c.dep_ == "appos"]
    for tok in beside:
        entity = token_entity.get(tok.i)
        if entity is not None and entity != owner and index.entity(entity).kind == "person":
            return entity
    return None


_FIRST_PERSON_OWNERS = frozenset({"my", "our"})
# The member of a pair a relation noun picks by gender: "my mother" of "my parents, Jon and Ida Dale".
_PAIRS = {"parents": {"father": "male", "mother": "female"}, "grandparents": {"grandfather": "male",
          "grandmother": "female"}}


def _mine(noun: Token) -> bool:
    return any(c.dep_ == "poss" and c.lower_ in _FIRST_PERSON_OWNERS for c in noun.children)


def first_person_relation(doc: Doc, index, head: Token, gender_of) -> int | None:
    """The person named in the article as the writer's relation ``head`` ("my father"), the nearest naming
    first, before or after; ``gender_of(entity)`` tells a pair apart. None when the piece never names them."""
    noun = head.lemma_.lower()
    kind = RELATION_NOUNS.get(noun)
    if kind is None or not _mine(head):
        return None
    pairs = {pair for pair, members in _PAIRS.items() if noun in members}
    lo, hi = max(0, head.i - _REACH), min(len(doc), head.i + _REACH)
    for tok in sorted(doc[lo:hi], key=lambda t: abs(t.i - head.i)):
        word = tok.lower_
        if tok.i == head.i or not (word in kind or word in pairs) or not _mine(tok):
            continue
        names = [c for c in tok.children if c.dep_ == "appos"]
        names += [c for n in names for c in n.conjuncts]
        people = list(dict.fromkeys(index.token_entity[t.i] for t in names if t.i in index.token_entity
                                    and index.entity(index.token_entity[t.i]).kind == "person"))
        if word in kind and len(people) == 1:
            return people[0]
        if word in pairs and len(people) == 2:
            wanted = _PAIRS[word][noun]
            fits = [p for p in people if gender_of(p) == wanted] or [p for p in people if gender_of(p) is None]
            if len(fits) == 1:
                return fits[0]
    return None
