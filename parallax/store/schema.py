"""The SQL schema (SQLAlchemy Core), the same on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
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

# Camps a user defined for one story (`parallax camps add --story ID`): when a story has any, its briefing
# uses them instead of the global camps above. No foreign key to stories: the rules are the user's words and
# outlive a story being re-clustered. A table of its own (not a story_id on camps) keeps camp ids unique per
# scope; create_all adds it to databases made before it existed.
story_camps = Table(
    "story_camps",
    metadata,
    Column("story_id", Integer, nullable=False),
    Column("id", String(200), nullable=False),
    Column("name", Text, nullable=False),
    Column("rule", JSON, nullable=False),
    Column("position", Integer, nullable=False),
    PrimaryKeyConstraint("story_id", "id"),
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
    Column("outlet_via", String(10)),  # credit | field | metadata | dateline | url
    Column("published_via", String(10)),  # metadata | text | user | mention | story (see parallax.analysis.dating)
    Column("fingerprint", String(64), nullable=False),
    Column("signature", JSON, nullable=False),
    Column("vector", JSON),  # term -> weight for story clustering; null until analysed
    # The title-and-lead sentence embedding (float16, parallax.nlp.embeddings), computed once in the NLP stage.
    # Null when there is none (not English, no model installed, or stored before embeddings: an older database
    # gets the column from create_missing_columns, and its articles cluster by their words alone).
    Column("embedding", LargeBinary),
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
    # The copy's own text fingerprint: a re-run finds the item unchanged instead of linking it again. Added after
    # version 1 (null on older rows, which are linked again once and get it).
    Column("fingerprint", String(64)),
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
    # A headline quote: start/end and the speaker offsets refer to the article's title, not its text.
    # Added after version 1; create_missing_columns adds it (false for every older row) to older databases.
    Column("in_title", Boolean, nullable=False, server_default=false()),
    # Wave 2 (added to older databases by create_missing_columns): the form of the report, how its speaker was
    # resolved and how sure that is, and every member of a group speaker (actor_id is the first).
    Column("form", String(10), nullable=False, server_default="statement"),
    Column("speaker_via", String(16)),
    Column("speaker_confidence", Float),
    Column("speaker_actor_ids", JSON),
    # The sentence embedding of the reported content (float16, parallax.nlp.embeddings.to_bytes), computed when
    # the statement matcher first meets the quote and kept so later runs compare old wordings without the model.
    Column("vector", LargeBinary),
    Index("ix_quotes_article", "article_id"),
    # Covers what the actor page aggregates (reports per day, statements), so its tens of thousands of quotes
    # for a head of state are read from the index alone.
    Index("ix_quotes_actor_day", "actor_id", "statement_id", "said_on", "article_id"),
    Index("ix_quotes_statement", "statement_id"),
)

# Names linked on weak evidence (a garbled name resolved from its context) and names left unlinked that had a
# plausible candidate: what `parallax actors review` lists for a person to confirm or correct.
link_reviews = Table(
    "link_reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("text", Text, nullable=False),  # the name as written
    Column("actor_id", String(200)),  # the actor it was linked to (the corpus actor it became when not linked)
    Column("candidate_id", String(200), nullable=False),  # the best pack actor it could be
    Column("linked", Boolean, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("evidence", Text, nullable=False),  # "role, phonetic, first name"
    Index("ix_link_reviews_article", "article_id"),
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


def create_missing_indexes(connection) -> None:
    """Indexes added to the schema after a database was created: create_all makes missing tables only.
    IF NOT EXISTS: two processes may open an older database at once."""
    from sqlalchemy import inspect
    from sqlalchemy.schema import CreateIndex

    inspector = inspect(connection)
    for table in metadata.sorted_tables:
        have = {ix["name"] for ix in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in have:
                connection.execute(CreateIndex(index, if_not_exists=True))


def create_missing_columns(connection) -> None:
    """Columns added to a table after a database was created: create_all leaves existing tables alone.
    Every such column is nullable or has a server default, so the rows already there stay valid."""
    from sqlalchemy import inspect

    inspector = inspect(connection)
    compiler = connection.dialect.ddl_compiler(connection.dialect, None)
    for table in metadata.sorted_tables:
        have = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in have:
                continue
            exists = " IF NOT EXISTS" if connection.dialect.name == "postgresql" else ""
            ddl = f"ALTER TABLE {compiler.preparer.format_table(table)} ADD COLUMN{exists} "
            try:
                connection.exec_driver_sql(ddl + compiler.get_column_specification(column))
            except Exception as exc:  # SQLite has no IF NOT EXISTS: another process added it first
                if "duplicate column" not in str(exc).lower():
                    raise
