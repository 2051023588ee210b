"""Full-text search over report contents, in each database's own way.

SQLite: a contentless FTS5 table kept in step with ``reports`` by triggers.  Its rowid
is not the report's id but a *search key*: the publication date and the report id in one
integer (``yyyymmdd << 36 | id``; undated reports have date 0), so that FTS5 hands back
matches already in the order search shows them, newest first — the 20 newest reports
with a word among a million are read without touching the others — and a date range is
a rowid range.  The report id is the key's low 36 bits.

PostgreSQL: a generated ``tsvector`` column with a GIN index; the planner chooses between
it and the date index from its statistics.  It uses onrecord's own text search
configuration, English stemming without a stop-word list, so that both engines find the
same reports (schema version 4; :func:`keep_stop_words` rebuilds an older column).

Databases made before the search key (schema version 2 and earlier) have an FTS5 table
whose rowid is the report id (``LEGACY``); :func:`layout` tells them apart, search works
on both (the legacy one without the fast paths), and :func:`upgrade` converts one in
place — the step a migration calls.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.engine import Connection

KEY_SHIFT = 36
ID_MASK = (1 << KEY_SHIFT) - 1
NO_DATE_END = 1 << KEY_SHIFT  # keys below this are undated reports


def key_sql(row: str) -> str:
    """The search key of a ``reports`` row (``new``, ``old`` or an alias) in SQL."""
    return (
        f"((coalesce(CAST(replace({row}.published, '-', '') AS INTEGER), 0) << {KEY_SHIFT})"
        f" | {row}.id)"
    )


_TOKENIZE = "tokenize='porter unicode61 remove_diacritics 2'"

SQLITE_DDL = [
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS reports_fts USING fts5(
        content, content='', {_TOKENIZE})""",
    f"""CREATE TRIGGER IF NOT EXISTS reports_fts_insert AFTER INSERT ON reports BEGIN
        INSERT INTO reports_fts(rowid, content) VALUES ({key_sql("new")}, new.content);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS reports_fts_delete AFTER DELETE ON reports BEGIN
        INSERT INTO reports_fts(reports_fts, rowid, content)
        VALUES ('delete', {key_sql("old")}, old.content);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS reports_fts_update
        AFTER UPDATE OF content, published ON reports BEGIN
        INSERT INTO reports_fts(reports_fts, rowid, content)
        VALUES ('delete', {key_sql("old")}, old.content);
        INSERT INTO reports_fts(rowid, content) VALUES ({key_sql("new")}, new.content);
    END""",
]
SQLITE_FILL = (
    f"INSERT INTO reports_fts(rowid, content) SELECT {key_sql('reports')}, content FROM reports"
)
SQLITE_TRIGGERS = ("reports_fts_insert", "reports_fts_delete", "reports_fts_update")

# PostgreSQL's 'english' configuration drops stop words, so "not while I am mayor" or
# "to be or not to be" would find nothing there that SQLite's FTS5 (which keeps every
# word) finds.  onrecord's own configuration stems English the same way and keeps them.
TS_CONFIG = "onrecord"
POSTGRES_CONFIG = f"""DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = '{TS_CONFIG}_english') THEN
        CREATE TEXT SEARCH DICTIONARY {TS_CONFIG}_english (TEMPLATE = snowball, LANGUAGE = english);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{TS_CONFIG}') THEN
        CREATE TEXT SEARCH CONFIGURATION {TS_CONFIG} (COPY = english);
        ALTER TEXT SEARCH CONFIGURATION {TS_CONFIG}
            ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
            WITH {TS_CONFIG}_english;
    END IF;
END $$"""
POSTGRES_DDL = [
    POSTGRES_CONFIG,
    f"""ALTER TABLE reports ADD COLUMN IF NOT EXISTS tsv tsvector
        GENERATED ALWAYS AS (to_tsvector('{TS_CONFIG}', content)) STORED""",
    "CREATE INDEX IF NOT EXISTS ix_reports_tsv ON reports USING GIN (tsv)",
]

# What a database's full text looks like.
KEYED = "sqlite"  # FTS5, rowid = search key
LEGACY = "sqlite-legacy"  # FTS5 over reports by id (schema version 2 and before)
POSTGRES = "postgresql"

_WORD = re.compile(r"\w+", re.UNICODE)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def create(conn: Connection) -> None:
    ddl = SQLITE_DDL if conn.dialect.name == "sqlite" else POSTGRES_DDL
    for statement in ddl:
        conn.execute(text(statement))


def layout(conn: Connection) -> str:
    if conn.dialect.name != "sqlite":
        return POSTGRES
    sql = conn.execute(
        text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'reports_fts'")
    ).scalar()
    return LEGACY if sql and "content='reports'" in sql.replace('"', "'") else KEYED


def upgrade(conn: Connection) -> bool:
    """Give an SQLite database made before the search key the keyed FTS table, filled
    from its reports; True if it did anything.  Idempotent; about 20 s per million
    reports.  Nothing to do on PostgreSQL or an up-to-date database."""
    if layout(conn) != LEGACY:
        return False
    for trigger in SQLITE_TRIGGERS:
        conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
    conn.execute(text("DROP TABLE reports_fts"))
    create(conn)
    conn.execute(text(SQLITE_FILL))
    return True


def keep_stop_words(conn: Connection) -> bool:
    """PostgreSQL: rebuild the full-text column with onrecord's configuration (see
    ``TS_CONFIG``); True if it did anything.  The step from schema version 3, which
    runs once: PostgreSQL rewrites the reports table to do it.  Nothing to do on
    SQLite."""
    if conn.dialect.name == "sqlite":
        return False
    conn.execute(text("DROP INDEX IF EXISTS ix_reports_tsv"))
    conn.execute(text("ALTER TABLE reports DROP COLUMN IF EXISTS tsv"))
    create(conn)
    return True


def words(query: str) -> list[str]:
    """The words of a user's query; operators and punctuation are not passed through,
    so no query can be a syntax error (or an injection) in either engine."""
    return _WORD.findall(query)


def terms(query: str) -> list[list[str]]:
    """The query as terms that must all match: a quoted phrase is one term."""
    phrases = re.findall(r'"([^"]+)"', query)
    rest = re.sub(r'"[^"]*"', " ", query)
    return [words(p) for p in phrases if words(p)] + [[w] for w in words(rest)]


def fts5_query(query: str) -> str | None:
    """The FTS5 MATCH expression for all the terms of ``query``; None without words."""
    found = terms(query)
    return " AND ".join('"' + " ".join(t) + '"' for t in found) if found else None


def tsquery(query: str) -> str | None:
    found = terms(query)
    return " & ".join("(" + " <-> ".join(t) + ")" for t in found) if found else None


def day_key(day: str | None, end: bool = False) -> int | None:
    """The first (or, with ``end``, last) search key of a YYYY-MM-DD day; None for
    anything else (such a bound is then applied to ``published`` as written)."""
    if not day or not _DAY.fullmatch(day):
        return None
    base = int(day.replace("-", "")) << KEY_SHIFT
    return base | ID_MASK if end else base


def match_clause(dialect: str, query: str, kind: str | None = None) -> tuple[str, dict] | None:
    """(SQL condition on ``reports``, parameters) for all the words of ``query``, a
    quoted phrase matching as a phrase; None when the query has no words.  ``kind`` is
    the database's :func:`layout` (SQLite: the keyed layout unless told otherwise)."""
    if dialect == "sqlite":
        fts = fts5_query(query)
        if fts is None:
            return None
        if kind == LEGACY:
            sql = "reports.id IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH :fts)"
        else:
            sql = (
                f"reports.id IN (SELECT rowid & {ID_MASK} FROM reports_fts "
                "WHERE reports_fts MATCH :fts)"
            )
        return sql, {"fts": fts}
    tsq = tsquery(query)
    if tsq is None:
        return None
    return f"reports.tsv @@ to_tsquery('{TS_CONFIG}', :tsq)", {"tsq": tsq}
