"""Opening a statement database: where it is, what engine, and whether it is one we can
use — before anything is written to it.

``--db`` / ``ONRECORD_DB`` take a path (SQLite) or a URL (``sqlite:///…``,
``postgresql://…``).  Every failure becomes a :class:`StoreError` with one line naming
the database and the problem: not a database, locked, unreachable, made by a newer
onrecord, or not an onrecord database at all.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from ..errors import OnrecordError, one_line
from . import migrations
from .schema import SCHEMA_VERSION

ENV = "ONRECORD_DB"
QUICK_CHECK_MAX_BYTES = 64 * 2**20
# How long a writer waits for another one (a second ingest on the same SQLite file).
BUSY_TIMEOUT_S = 60
# SQLite page cache of a connection that writes, in KiB (SQLite's default is 2 MiB).
WRITER_CACHE_KIB = 64 * 1024
# WAL pages a writing connection lets accumulate before it checkpoints them into the
# database (SQLite's default is 1,000, 4 MiB).  The LSH and full-text indexes take
# inserts at random places, and on a large database the same pages are written back
# over and over; 10,000 (40 MiB of WAL) took storing into the 1M-statement benchmark
# database from 7.2-7.6 s to 6.1-6.3 s (docs/benchmarks.md §6).
WRITER_AUTOCHECKPOINT_PAGES = 10_000
# The advisory lock PostgreSQL writers share (any constant; "onrecord" in ASCII).
WRITE_LOCK = 0x6F6E7265636F7264


# Every engine this process has made, weakly held: the background writer asks, before
# it forks, whether one still holds a connection (see connections_open).
_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()
_ENGINES_LOCK = threading.Lock()

LOCKED = "database is locked by another process"
NOT_YET = "no onrecord database here yet (run `onrecord ingest`)"


class StoreError(OnrecordError):
    """A database onrecord cannot use; the message is one line."""


def default_path() -> Path:
    """Where the database lives when neither --db nor ONRECORD_DB says."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "onrecord" / "onrecord.db"


def resolve_url(db: str | None) -> str:
    """A SQLAlchemy URL from --db, ONRECORD_DB or the default path.

    An empty or blank value given on purpose (``--db ''``, a script's unset variable) is
    refused rather than read as "the default": writing to a database nobody named is the
    surprise it would be.  An empty ONRECORD_DB counts as unset, as shells write it."""
    if db is not None and not db.strip():
        raise StoreError("the database path or URL is empty (give a file path or a URL)")
    db = db or os.environ.get(ENV, "").strip() or str(default_path())
    if "://" not in db:
        return "sqlite:///" + str(Path(db).expanduser())
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db


def display(url: str) -> str:
    """The URL as shown to a user: the path for SQLite, no password for PostgreSQL."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        # Not even a URL SQLAlchemy reads: as given, less any password.
        return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url).replace("+psycopg", "")
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True).replace("+psycopg", "")


def _sqlite_engine(url: str, create: bool) -> Engine:
    path = make_url(url).database
    if path and path != ":memory:":
        p = Path(path)
        if p.exists() and p.is_dir():
            raise StoreError(f"{path}: is a folder, not a database file")
        if p.exists():
            _check_sqlite_file(p)
        elif not create:  # a read never leaves an empty file (or folder) behind
            raise StoreError(f"{path}: {NOT_YET}")
        else:
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{path}: cannot create its folder ({exc.strerror})") from None
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # noqa: ANN001
        # WAL lets readers work while a batch is written; foreign keys cascade deletes.
        dbapi_conn.isolation_level = None  # SQLAlchemy issues BEGIN itself (see below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):  # noqa: ANN001
        # A writer takes the write lock at the start, so two writers queue instead of
        # deadlocking when both try to upgrade a read lock; readers never block writers.
        write = conn.get_execution_options().get("onrecord_write", False)
        if write and not conn.info.get("onrecord_cache"):
            # A writer's inserts land all over the LSH and full-text indexes: a page
            # cache of SQLite's default 2 MiB rereads most of them from the OS each time.
            conn.exec_driver_sql(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
            conn.exec_driver_sql(f"PRAGMA wal_autocheckpoint = {WRITER_AUTOCHECKPOINT_PAGES}")
            conn.info["onrecord_cache"] = True
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not an SQLite database, read-only, without writing.

    The file is read through SQLite only, never opened and closed here: closing any
    descriptor of a file drops every POSIX lock this process holds on it, those of the
    SQLite connections it already has open to the same database included (another
    Store, a reader beside a writer).  Another process would then see it as unused and
    delete its write-ahead log and shared index, from under those connections: a stale
    read, or a commit into a deleted log."""
    if not os.access(path, os.R_OK):
        raise StoreError(f"{path}: cannot read it (Permission denied)")
    # A process killed while writing (kill -9, a power cut) in rollback-journal mode
    # leaves a hot journal, which only a writing connection can roll back: that is
    # SQLite's own recovery, so the check may write then, and only then.
    journal = Path(f"{path}-journal")
    recover = journal.exists() and journal.stat().st_size > 0
    mode = "rw" if recover else "ro"
    # Reading a database in WAL mode makes SQLite create its -wal and -shm files, which
    # only a writing connection removes when it closes: if the database is refused,
    # they are removed here, so that a refused file is left as it was found.
    beside = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    found = {p for p in beside if p.exists()}
    try:
        try:
            con = sqlite3.connect(f"file:{path}?mode={mode}", uri=True, timeout=BUSY_TIMEOUT_S)
            try:
                con.execute("PRAGMA schema_version").fetchone()
                con.execute("SELECT count(*) FROM sqlite_master").fetchone()
                # A full check reads every page: worth it for a small file, not for the
                # gigabyte a million statements take (damage there surfaces, as one
                # line, when the damaged page is read).
                quick = None
                if path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
                    quick = con.execute("PRAGMA quick_check").fetchone()
            finally:
                con.close()
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc):
                raise StoreError(f"{path}: {LOCKED}") from None
            if getattr(exc, "sqlite_errorname", "") == "SQLITE_NOTADB":
                raise StoreError(f"{path}: not a database (not an SQLite file)") from None
            raise StoreError(f"{path}: corrupt or unreadable database ({exc})") from None
        if quick and quick[0] != "ok":
            raise StoreError(f"{path}: corrupt database ({quick[0]})")
    except StoreError:
        wal, shm = beside
        if not found and wal.exists() and wal.stat().st_size == 0:
            for p in beside:
                p.unlink(missing_ok=True)
        raise


def _quiet_driver() -> None:
    """psycopg logs a warning of its own when the server drops in the middle of a
    pipeline ("error ignored terminating ..."); with logging unconfigured, Python prints
    it to stderr beside the one-line error onrecord already gives for the same failure.
    A null handler keeps it off the terminal; an application that configures logging
    still receives it through the root logger."""
    driver = logging.getLogger("psycopg")
    if not any(isinstance(h, logging.NullHandler) for h in driver.handlers):
        driver.addHandler(logging.NullHandler())


def connect(db: str | None = None, *, create: bool = True) -> Engine:
    """An engine for a usable, up-to-date onrecord database.

    Creates the schema in an empty database (when ``create``), upgrades an older one,
    and refuses anything else with a :class:`StoreError`.
    """
    url = resolve_url(db)
    shown = display(url)
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        raise StoreError(f"{shown}: not a database path or URL") from None
    except ValueError:  # SQLAlchemy reads the port as a number
        raise StoreError(f"{shown}: not a database URL (bad port)") from None
    if backend == "sqlite":
        engine = _sqlite_engine(url, create)
    elif backend == "postgresql":
        _quiet_driver()
        engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    else:
        raise StoreError(f"{shown}: unsupported database (use a file path or postgresql://)")
    with _ENGINES_LOCK:
        _ENGINES.add(engine)
    try:
        with engine.connect() as conn:
            # Tables first, then the version: another process creating the database
            # commits both at once, so tables seen here mean its version is seen next
            # (the other order could read "no version" before its commit and "tables"
            # after it, and call the fresh database someone else's).
            has_tables = bool(inspect(conn).get_table_names())
            found = migrations.version(conn)
    except DBAPIError as exc:
        engine.dispose()
        raise _open_error(shown, exc, "cannot open") from None
    if found is None and has_tables:
        engine.dispose()
        raise StoreError(f"{shown}: not an onrecord database (it has other tables)")
    if found is not None and found > SCHEMA_VERSION:
        engine.dispose()
        raise StoreError(
            f"{shown}: made by a newer onrecord (schema version {found}, this one reads up "
            f"to {SCHEMA_VERSION}); upgrade onrecord"
        )
    if found is None and not create:
        engine.dispose()
        raise StoreError(f"{shown}: {NOT_YET}")
    # Opened to write (create): take the write lock once now, so that a database another
    # process keeps locked is one error here rather than one per article; a reader
    # takes it only to bring an older database forward.
    writing = create or found < SCHEMA_VERSION
    if writing:
        try:
            with write_transaction(engine) as conn:
                # Again, under the lock: another process may have done it meanwhile.
                found = migrations.version(conn)
                if found is None:
                    migrations.create(conn)
                elif found < SCHEMA_VERSION:
                    migrations.upgrade(conn, found)
        except DBAPIError as exc:
            engine.dispose()
            raise _open_error(shown, exc, "cannot write") from None
    if backend == "sqlite" and writing:
        _use_wal(engine, shown)
    return engine


def connections_open() -> bool:
    """Whether an engine made by :func:`connect` in this process still holds a
    database connection, idle in its pool or in use.  An engine counts until it is
    disposed (``Store.close``) or collected: a Store dropped without ``close()`` can
    leave its engine, and an open connection, waiting for the garbage collector."""
    with _ENGINES_LOCK:
        engines = list(_ENGINES)
    for engine in engines:
        pool = engine.pool
        counts = (getattr(pool, "checkedin", None), getattr(pool, "checkedout", None))
        if None in counts or any(count() for count in counts):
            return True  # a pool that does not count its connections may hold some
    return False


def _open_error(shown: str, exc: DBAPIError, doing: str) -> StoreError:
    reason = one_line(exc).rstrip(".")
    if "locked" in reason:
        return StoreError(f"{shown}: {LOCKED}")
    return StoreError(f"{shown}: {doing} ({reason})")


def _use_wal(engine: Engine, shown: str) -> None:
    """Write-ahead logging, once the database is known to be ours: readers never wait
    for a writer, and a killed writer leaves nothing a reader must repair."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
        if mode.lower() != "wal":
            cur.execute("PRAGMA journal_mode = WAL")
        cur.close()
    except sqlite3.OperationalError as exc:
        # Locked by another process: it stays in its journal mode, which works too.
        if "locked" not in str(exc):
            engine.dispose()
            raise StoreError(f"{shown}: cannot write ({exc})") from None
    finally:
        raw.close()


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One write transaction: committed on success, rolled back on any error.  On
    PostgreSQL, writers take a transaction-scoped advisory lock, so that two ingest
    processes never create the same speaker or statement twice."""
    with engine.connect() as conn:
        conn = conn.execution_options(onrecord_write=True)
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
            yield conn


def server_version(engine: Engine) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return "SQLite " + conn.execute(text("select sqlite_version()")).scalar()
        return conn.execute(text("show server_version")).scalar().split()[0]
