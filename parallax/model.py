"""The domain of Parallax as plain, immutable data.

Every stage takes and returns these objects; none of them knows how it is stored or rendered.
Offsets (``start``/``end``) are character offsets into ``Article.text``, the cleaned text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

ActorKind = Literal["person", "organization", "place", "other"]
QuoteKind = Literal["direct", "mixed", "indirect"]


@dataclass(frozen=True)
class ItemError:
    """One input item that could not be used, and why. Shown to the user as one line."""

    item: str
    reason: str

    def __str__(self) -> str:
        return f"{self.item}: {self.reason}"


@dataclass(frozen=True)
class Document:
    """One raw item read from a source, decoded to text but not yet cleaned or split.

    ``text`` keeps the line structure of the input (one paragraph per line) because cleaning and
    splitting rely on it. Metadata comes from the container (HTML meta, JSON fields, feed entries).
    """

    source: str
    text: str
    title: str | None = None
    outlet: str | None = None
    published: date | None = None
    url: str | None = None
    language: str | None = None  # declared by the container (e.g. <html lang>), checked later
    # Where ``outlet`` came from: "field" (the input named it) or "metadata" (a page's site name, a weaker
    # claim than the URL's host when a pack knows that host).
    outlet_via: str = "field"


@dataclass(frozen=True)
class Article:
    """One cleaned article: the unit that is analysed, stored and exported."""

    source: str
    part: int
    title: str
    text: str
    outlet: str | None
    published: date | None
    language: str
    url: str | None = None
    outlet_via: str | None = None  # credit | field | metadata | dateline; how the outlet was named
    # how the publication date was obtained: metadata | text | user, or after clustering for an article that stated
    # none: mention (a full date in its lead) | story (its date words read against its story's dates)
    published_via: str | None = None

    @property
    def is_english(self) -> bool:
        return self.language == "en"


@dataclass(frozen=True)
class Entity:
    """One referent inside one article: all its name mentions, clustered (``Lavrov``, ``Sergei Lavrov``).

    ``descriptors`` are lower-cased title and nationality words seen next to the name in this article
    ("russian", "foreign", "minister"); they let a later "the Russian minister" find this entity.
    """

    id: int
    name: str
    kind: ActorKind
    gender: Literal["male", "female"] | None = None
    descriptors: frozenset[str] = frozenset()
    # the entity a body belongs to: the person of "the Trump campaign", the country of "the Korvian government"
    owner: int | None = None
    context: frozenset[str] = frozenset()  # words near its mentions, for resolving a garbled name
    # the capitalised run of words right before a mention ("Chairman of the State Duma ..."): maybe a title
    title: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Mention:
    """A name in the text that refers to an in-article entity."""

    start: int
    end: int
    text: str
    entity: int  # Entity.id within the same article


@dataclass(frozen=True)
class Speaker:
    """Who a quote is attributed to, as written locally ("she", "the ambassador", "Lavrov")."""

    text: str
    start: int
    end: int
    entity: int | None  # Entity.id when resolved in the article; None for unnamed sources
    # every member of a group speaker ("Volostny and Verbytska said"); ``entity`` is the first of them
    members: tuple[int, ...] = ()
    # how the local mention was resolved: name, alias, surname, pronoun, description, role, group, continuation
    via: str | None = None
    confidence: float | None = None  # 0-1; None when unresolved


@dataclass(frozen=True)
class Quote:
    """Reported speech: what was said (``text`` = the content span), by whom, when.

    ``in_title``: the quote is in the headline ("Volostny: “We will not back down”"), so its offsets and its
    speaker's refer to ``Article.title``, not to ``Article.text``.
    """

    start: int
    end: int
    text: str
    kind: QuoteKind
    cue: str | None
    speaker: Speaker | None
    said_on: date | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    in_title: bool = False
    # statement (a proposition: direct quotes, "said that ..."), stance (endorsed / condemned / called for X)
    # or topic (discussed / raised concerns about X)
    form: str = "statement"


@dataclass(frozen=True)
class Analysis:
    """What the NLP stage finds in one article."""

    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    # The sentence embedding of title and lead (float16 bytes, parallax.nlp.embeddings), what story clustering
    # compares meanings by; None when the article is not in English or no embedding model is installed.
    embedding: bytes | None = None


@dataclass(frozen=True)
class Role:
    title: str
    organisation: str | None = None
    country: str | None = None
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Actor:
    """A canonical person, organisation or place, from a knowledge pack or found in the corpus."""

    id: str
    name: str
    kind: ActorKind
    aliases: tuple[str, ...] = ()
    gender: Literal["male", "female"] | None = None
    roles: tuple[Role, ...] = ()
    country: str | None = None


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    country: str | None = None
    ownership: str | None = None  # typology: state-funded, public, private, wire, aggregator, ...


@dataclass(frozen=True)
class CampRule:
    """Puts an outlet in a camp when any listed field matches (outlet ids, countries, ownership)."""

    outlets: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    ownership: tuple[str, ...] = ()


@dataclass(frozen=True)
class Camp:
    id: str
    name: str
    rule: CampRule = field(default_factory=CampRule)


@dataclass(frozen=True)
class Pack:
    """A knowledge pack: actors, outlets and camps loaded from YAML."""

    actors: tuple[Actor, ...] = ()
    outlets: tuple[Outlet, ...] = ()
    camps: tuple[Camp, ...] = ()
