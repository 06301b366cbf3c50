"""The SQL schema (SQLAlchemy Core), the same on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = 1

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

outlets = Table(
    "outlets",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Column("country", Text),
    Column("ownership", Text),
    Column("domains", JSON, nullable=False),
    Column("aliases", JSON, nullable=False),
)

camps = Table(
    "camps",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Column("rule", JSON, nullable=False),
    Column("position", Integer, nullable=False),
)

actors = Table(
    "actors",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("name", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("gender", String(10)),
    Column("country", Text),
    Column("origin", String(10), nullable=False),  # pack | corpus
    Column("roles", JSON, nullable=False),
)

aliases = Table(
    "aliases",
    metadata,
    Column("actor_id", String(200), ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
    Column("alias", Text, nullable=False),
    Column("key", Text, nullable=False),  # normalised form used for lookup
    UniqueConstraint("actor_id", "key"),
    Index("ix_aliases_key", "key"),
)

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("first_date", Date),
    Column("last_date", Date),
    Column("centroid", JSON, nullable=False),  # term -> weight, the summed article vectors (trimmed)
    Column("size", Integer, nullable=False),
    Column("title_score", Float, nullable=False),  # how central the article that gave the title is
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text, nullable=False),
    Column("part", Integer, nullable=False),
    Column("outlet", Text),
    Column("title", Text, nullable=False),
    Column("published", Date),
    Column("language", String(8), nullable=False),
    Column("url", Text),
    Column("text", Text, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("signature", JSON, nullable=False),
    Column("vector", JSON),  # term -> weight for story clustering; null until analysed
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="SET NULL")),
    Column("ingested_at", DateTime, nullable=False),
    UniqueConstraint("source", "part"),
    Index("ix_articles_fingerprint", "fingerprint"),
    Index("ix_articles_story", "story_id"),
)

# Near-duplicate candidates are found through LSH bands of the MinHash signature.
article_bands = Table(
    "article_bands",
    metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("band", String(64), nullable=False),
    Index("ix_article_bands_band", "band"),
)

# A copy is an input item whose article was already stored (the same wire story from two feeds):
# stored once, and the copy keeps its own source and outlet so coverage still counts it.
copies = Table(
    "copies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("source", Text, nullable=False),
    Column("part", Integer, nullable=False),
    Column("outlet", Text),
    Column("published", Date),
    Column("similarity", Float, nullable=False),
    UniqueConstraint("source", "part"),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("actor_id", String(200), ForeignKey("actors.id", ondelete="SET NULL")),
    Index("ix_mentions_article", "article_id"),
    # (actor, text) rather than actor alone: "how was this actor written" is answered from the index.
    Index("ix_mentions_actor_text", "actor_id", "text"),
)

statements = Table(
    "statements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("actor_id", String(200), ForeignKey("actors.id", ondelete="CASCADE"), nullable=False),
    Column("said_on", Date),
    Column("text", Text, nullable=False),  # the first wording seen, for display
    Index("ix_statements_actor", "actor_id"),
)

quotes = Table(
    "quotes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("cue", Text),
    Column("said_on", Date),
    Column("speaker_text", Text),
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
    Column("actor_id", String(200), ForeignKey("actors.id", ondelete="SET NULL")),
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="SET NULL")),
    Index("ix_quotes_article", "article_id"),
    Index("ix_quotes_actor", "actor_id"),
    Index("ix_quotes_statement", "statement_id"),
)

# Corrections a user made with `parallax actors merge` / `split`; resolution applies them on every ingest.
corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(10), nullable=False),  # merge | split
    Column("actor_id", String(200), nullable=False),  # merge: the actor merged away; split: the actor left
    Column("target_id", String(200)),  # merge: the actor kept; split: the new actor
    Column("key", Text),  # split: the name key taken off actor_id
)
