"""Full-text search over report contents, in each database's own way.

SQLite: an FTS5 table kept in step with ``reports`` by triggers (external content, so the
text is stored once).  PostgreSQL: a generated ``tsvector`` column with a GIN index.
``match_clause`` gives the WHERE fragment and parameters for a user's query in either.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.engine import Connection

SQLITE_DDL = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS reports_fts USING fts5(
        content, content='reports', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS reports_fts_insert AFTER INSERT ON reports BEGIN
        INSERT INTO reports_fts(rowid, content) VALUES (new.id, new.content);
    END""",
    """CREATE TRIGGER IF NOT EXISTS reports_fts_delete AFTER DELETE ON reports BEGIN
        INSERT INTO reports_fts(reports_fts, rowid, content)
        VALUES ('delete', old.id, old.content);
    END""",
    """CREATE TRIGGER IF NOT EXISTS reports_fts_update AFTER UPDATE OF content ON reports BEGIN
        INSERT INTO reports_fts(reports_fts, rowid, content)
        VALUES ('delete', old.id, old.content);
        INSERT INTO reports_fts(rowid, content) VALUES (new.id, new.content);
    END""",
]

POSTGRES_DDL = [
    """ALTER TABLE reports ADD COLUMN IF NOT EXISTS tsv tsvector
        GENERATED ALWAYS AS (to_tsvector('english', content)) STORED""",
    "CREATE INDEX IF NOT EXISTS ix_reports_tsv ON reports USING GIN (tsv)",
]

_WORD = re.compile(r"\w+", re.UNICODE)


def create(conn: Connection) -> None:
    ddl = SQLITE_DDL if conn.dialect.name == "sqlite" else POSTGRES_DDL
    for statement in ddl:
        conn.execute(text(statement))


def words(query: str) -> list[str]:
    """The words of a user's query; operators and punctuation are not passed through,
    so no query can be a syntax error (or an injection) in either engine."""
    return _WORD.findall(query)


def match_clause(dialect: str, query: str) -> tuple[str, dict] | None:
    """(SQL condition on ``reports.id`` / ``reports``, parameters) for all the words of
    ``query``, a quoted phrase matching as a phrase; None when the query has no words."""
    phrases = re.findall(r'"([^"]+)"', query)
    rest = re.sub(r'"[^"]*"', " ", query)
    terms = [words(p) for p in phrases if words(p)] + [[w] for w in words(rest)]
    if not terms:
        return None
    if dialect == "sqlite":
        fts = " AND ".join('"' + " ".join(t) + '"' for t in terms)
        return "reports.id IN (SELECT rowid FROM reports_fts WHERE reports_fts MATCH :fts)", {
            "fts": fts
        }
    tsquery = " & ".join("(" + " <-> ".join(t) + ")" for t in terms)
    return "reports.tsv @@ to_tsquery('english', :tsq)", {"tsq": tsquery}
