"""Schema versions and the steps between them.

A new database is created at the current version in one go.  An older one is brought
forward step by step, each step in the same transaction as the version bump, so a
crash leaves the database at the old version or the new one, never in between.  A
database from a newer onrecord is refused (see db.py).

Version history
  1  articles, speakers (aliases, roles), statements, reports, LSH bands, full text
  2  articles.people (names an article mentions) and speaker_merges (why aliases were
     merged, for `onrecord speakers --why`)
  3  full-text rows keyed by publication date (SQLite), so that search walks matches
     newest first; the outlet index on lower(outlet), which the outlet filter uses
  4  PostgreSQL's full text keeps stop words ("not", "while"), as SQLite's always did
  5  articles.detector: which detector (name and version) found an article's statements
     (NULL for the articles stored before)
  6  speakers.default_statements: a speaker's reports of the kinds the views show by
     default (speech and belief), counted once for the speakers already there
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Table, func, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.schema import CreateIndex

from ..records import DEFAULT_CATEGORIES
from . import fulltext
from .schema import SCHEMA_VERSION, articles, meta, metadata, reports, speaker_merges, speakers


def add_columns(conn: Connection, table: Table, *names: str) -> None:
    """Add the nullable columns ``names`` of ``table`` (as schema.py declares them) to a
    database that lacks them: NULL for the rows already there.  A report field declared
    in schema.REPORT_FIELDS after a database was made comes in with a step that calls
    ``add_columns(conn, reports, "its_column")``."""
    present = {c["name"] for c in inspect(conn).get_columns(table.name)}
    for name in names:
        if name in present:
            continue
        column = table.c[name]
        kind = column.type.compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {name} {kind}"))


def _v1_to_v2(conn: Connection) -> None:
    columns = {c["name"] for c in inspect(conn).get_columns("articles")}
    if "people" not in columns:
        conn.execute(text("ALTER TABLE articles ADD COLUMN people TEXT NOT NULL DEFAULT '[]'"))
    speaker_merges.create(conn, checkfirst=True)
    for index in speaker_merges.indexes:
        index.create(conn, checkfirst=True)


def _v2_to_v3(conn: Connection) -> None:
    fulltext.upgrade(conn)  # SQLite: full-text rows keyed by date (no-op on PostgreSQL)
    conn.execute(text("DROP INDEX IF EXISTS ix_reports_outlet_published"))
    for index in reports.indexes:
        # IF NOT EXISTS in SQL: reflection cannot see an index on lower(outlet).
        conn.execute(CreateIndex(index, if_not_exists=True))


def _v3_to_v4(conn: Connection) -> None:
    fulltext.keep_stop_words(conn)  # PostgreSQL only


def _v4_to_v5(conn: Connection) -> None:
    add_columns(conn, articles, "detector")


def _v5_to_v6(conn: Connection) -> None:
    columns = {c["name"] for c in inspect(conn).get_columns("speakers")}
    if "default_statements" not in columns:
        conn.execute(
            text("ALTER TABLE speakers ADD COLUMN default_statements INTEGER NOT NULL DEFAULT 0")
        )
    # One pass over the reports (about 2 s a million on SQLite), as the writer counts.
    shown = (
        select(func.count())
        .where(
            reports.c.speaker_id == speakers.c.id,
            reports.c.cue_category.in_(sorted(DEFAULT_CATEGORIES)),
        )
        .scalar_subquery()
    )
    conn.execute(speakers.update().values(default_statements=shown))


# STEPS[v] brings a database from version v to v + 1.
STEPS: dict[int, Callable[[Connection], None]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
    5: _v5_to_v6,
}
assert sorted(STEPS) == list(range(1, SCHEMA_VERSION)), "a migration step is missing"


def version(conn: Connection) -> int | None:
    """The schema version recorded in the database, None if it has no onrecord tables."""
    if not inspect(conn).has_table(meta.name):
        return None
    value = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    return int(value) if value is not None else None


def _set_version(conn: Connection, v: int) -> None:
    updated = conn.execute(
        meta.update().where(meta.c.key == "schema_version").values(value=str(v))
    ).rowcount
    if not updated:
        conn.execute(meta.insert().values(key="schema_version", value=str(v)))


def create(conn: Connection) -> None:
    """A fresh database at the current version."""
    metadata.create_all(conn)
    fulltext.create(conn)
    _set_version(conn, SCHEMA_VERSION)


def upgrade(conn: Connection, from_version: int) -> list[int]:
    """Run every step from ``from_version``; returns the versions passed through."""
    passed = []
    for v in range(from_version, SCHEMA_VERSION):
        STEPS[v](conn)
        _set_version(conn, v + 1)
        passed.append(v + 1)
    return passed
