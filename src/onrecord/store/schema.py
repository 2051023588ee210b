"""The statement database schema: one SQLAlchemy Core description for SQLite and
PostgreSQL.

An *article* has *reports*: each statement extracted from it.  Reports of the same
utterance — the same quote carried by ten outlets — share a *statement* (a cluster), and
every report's speaker, where one is named, is a canonical *speaker*.  A speaker's
aliases and roles are read off its reports (so they never drift from them); *merges*
keep why an alias that is not the plain name joined the speaker.  ``lsh_bands``
index the MinHash signatures of statements, for finding near-duplicates as new reports
arrive.  Full-text search sits beside these tables: an FTS5 table on SQLite, a tsvector
column with a GIN index on PostgreSQL (see :mod:`.fulltext`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)

# Bumped by every migration (see migrations.py); a database with a higher version was
# made by a newer onrecord and is refused rather than misread.
SCHEMA_VERSION = 6


@dataclass(frozen=True)
class ReportField:
    """A value of the statement record stored on each of its reports: declared here once,
    the ``reports`` table gets its column, the writer fills it, ``onrecord export`` has it
    as a column (``export``) and search filters on it (``filter``: the field of
    :class:`onrecord.search.Filters` that must equal it)."""

    column: str
    type: Any  # a SQLAlchemy type
    source: str  # attribute path in records.Statement: "speaker.role", "channel.name"
    export: str | None = None  # its column in `onrecord export`; None: not exported
    filter: str | None = None  # the Filters field that selects it (a value, or a set)
    nullable: bool = True
    default: Any = None  # stored when the record has none (content: "")

    def value(self, statement: Any) -> Any:
        """What the statement record gives for this field (None along the way: None)."""
        value = statement
        for part in self.source.split("."):
            value = getattr(value, part)
            if value is None:
                break
        return self.default if value is None else value


# Every report's own values, in column order.  A new one: a line here (and, for a
# database already made, a migration step that adds its column: migrations.py).
REPORT_FIELDS: tuple[ReportField, ...] = (
    ReportField("speaker_text", Text, "speaker.text", export="speaker_text"),
    ReportField("speaker_name", Text, "speaker.name"),
    ReportField("speaker_role", Text, "speaker.role", export="speaker_role"),
    ReportField("speaker_kind", String(16), "speaker.kind"),
    ReportField("cue", Text, "cue_text", export="cue"),
    ReportField(
        "cue_category", String(16), "cue_category", export="cue_category", filter="categories"
    ),
    ReportField("content", Text, "content_text", export="content", nullable=False, default=""),
    ReportField("type", String(8), "type", export="type", filter="type", nullable=False),
    ReportField("channel", Text, "channel.name", export="channel"),
    ReportField("relay_name", Text, "relayed_by.name", export="relay"),
    ReportField("relay_key", String(16), "relayed_by.statement"),
    ReportField("time_text", Text, "time.text"),
    ReportField("time_date", String(10), "time.date"),
    ReportField("confidence", Float, "confidence", export="confidence", nullable=False),
)

metadata = MetaData()

meta = Table(
    "onrecord_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    # The URL, or "sha1:<hash of the text>" when there is none: re-ingesting an article
    # with the same key updates it in place.
    Column("key", String(2048), nullable=False, unique=True),
    Column("url", Text),
    Column("title", Text),
    Column("outlet", Text),
    Column("published", String(10)),  # YYYY-MM-DD
    Column("language", String(16)),
    Column("source", Text),
    Column("text", Text, nullable=False),
    # What the stored statements were extracted from and with: a re-ingest with the same
    # fingerprint is "unchanged".
    Column("fingerprint", String(64), nullable=False),
    Column("people", Text, nullable=False, default="[]"),  # JSON list of full names
    Column("ingested_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    # Which detector found its statements, with its version ("model 2026-12-01"); NULL
    # when the extraction did not say (and for articles stored before schema version 5).
    Column("detector", Text),
)

speakers = Table(
    "speakers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),  # canonical, as written at its fullest
    Column("norm", String(512), nullable=False),  # folded form used to match names
    Column("surname", String(256), nullable=False),  # folded last word, for surname matches
    Column("kind", String(16), nullable=False),
    Column("statements", Integer, nullable=False, default=0),  # reports naming it
    # Those of them of the kinds the views show by default (records.DEFAULT_CATEGORIES:
    # speech and belief), so that the speakers page counts what its lists show without
    # reading every report (counting them on the fly took a second on 1M reports).
    Column("default_statements", Integer, nullable=False, default=0),
    UniqueConstraint("norm", "kind", name="uq_speakers_norm_kind"),
)
Index("ix_speakers_surname", speakers.c.surname)

speaker_merges = Table(
    "speaker_merges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("speaker_id", Integer, ForeignKey("speakers.id", ondelete="CASCADE"), nullable=False),
    Column("alias", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="SET NULL")),
    Column("created_at", String(32), nullable=False),
)
Index("ix_merges_speaker", speaker_merges.c.speaker_id)

statements = Table(
    "statements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("speaker_id", Integer, ForeignKey("speakers.id", ondelete="SET NULL")),
    Column("content", Text, nullable=False),  # the longest report's content
    Column("norm", Text, nullable=False),  # folded content the clustering compares
    Column("type", String(8), nullable=False),
    Column("signature", LargeBinary, nullable=False),  # MinHash of the folded content
    Column("first_seen", String(10)),  # earliest publication date among its reports
    Column("first_article_id", Integer, ForeignKey("articles.id", ondelete="SET NULL")),
    Column("reports", Integer, nullable=False, default=0),
    Column("outlets", Integer, nullable=False, default=0),
)
Index("ix_statements_speaker", statements.c.speaker_id)

lsh_bands = Table(
    "lsh_bands",
    metadata,
    Column("band", Integer, nullable=False),
    Column("hash", BigInteger, nullable=False),
    Column(
        "statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE"), nullable=False
    ),
)
Index("ix_lsh_lookup", lsh_bands.c.band, lsh_bands.c.hash)
Index("ix_lsh_statement", lsh_bands.c.statement_id)

reports = Table(
    "reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("statement_id", Integer, ForeignKey("statements.id"), nullable=False),
    Column("key", String(16), nullable=False),  # "s3": the statement's id in its article
    Column("speaker_id", Integer, ForeignKey("speakers.id", ondelete="SET NULL")),
    *(Column(f.column, f.type, nullable=f.nullable) for f in REPORT_FIELDS),
    # Copied from the article, so that search filters need no join.
    Column("outlet", Text),
    Column("published", String(10)),
    Column("record", Text, nullable=False),  # the statement's JSON record, spans included
    UniqueConstraint("article_id", "key", name="uq_report_key"),
)
# Search walks reports newest first (see onrecord.search): by speaker, by outlet (as the
# outlet filter compares it, case folded) or by date alone.
Index("ix_reports_statement", reports.c.statement_id)
Index("ix_reports_speaker_published", reports.c.speaker_id, reports.c.published)
Index("ix_reports_outlet_folded", func.lower(reports.c.outlet), reports.c.published)
Index("ix_reports_published", reports.c.published)
