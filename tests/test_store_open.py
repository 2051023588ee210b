"""Opening a statement database: an older one is brought forward with its data; one that
cannot be used (corrupt, not SQLite, locked, unreachable, from a newer onrecord, someone
else's) is one line on stderr, exit status 2, and nothing written."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    inspect,
    text,
)
from store_corpus import GAZETTE_WALL, cli, extracted

from onrecord.search import Filters, list_speakers, search
from onrecord.store import Store, StoreError
from onrecord.store import db as store_db
from onrecord.store.db import resolve_url
from onrecord.store.schema import SCHEMA_VERSION

# -- version 1, as it was: no articles.people, no speaker_merges ----------------------

v1 = MetaData()
Table(
    "onrecord_meta",
    v1,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
Table(
    "articles",
    v1,
    Column("id", Integer, primary_key=True),
    Column("key", String(2048), nullable=False, unique=True),
    Column("url", Text),
    Column("title", Text),
    Column("outlet", Text),
    Column("published", String(10)),
    Column("language", String(16)),
    Column("source", Text),
    Column("text", Text, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("ingested_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)
Table(
    "speakers",
    v1,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("norm", String(512), nullable=False),
    Column("surname", String(256), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("statements", Integer, nullable=False),
    UniqueConstraint("norm", "kind", name="uq_speakers_norm_kind"),
)
Table(
    "statements",
    v1,
    Column("id", Integer, primary_key=True),
    Column("speaker_id", Integer, ForeignKey("speakers.id", ondelete="SET NULL")),
    Column("content", Text, nullable=False),
    Column("norm", Text, nullable=False),
    Column("type", String(8), nullable=False),
    Column("signature", LargeBinary, nullable=False),
    Column("first_seen", String(10)),
    Column("first_article_id", Integer, ForeignKey("articles.id", ondelete="SET NULL")),
    Column("reports", Integer, nullable=False),
    Column("outlets", Integer, nullable=False),
)
Table(
    "lsh_bands",
    v1,
    Column("band", Integer, nullable=False),
    Column("hash", BigInteger, nullable=False),
    Column("statement_id", Integer, ForeignKey("statements.id", ondelete="CASCADE")),
)
Table(
    "reports",
    v1,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("statement_id", Integer, ForeignKey("statements.id"), nullable=False),
    Column("key", String(16), nullable=False),
    Column("speaker_id", Integer, ForeignKey("speakers.id", ondelete="SET NULL")),
    Column("speaker_text", Text),
    Column("speaker_name", Text),
    Column("speaker_role", Text),
    Column("speaker_kind", String(16)),
    Column("cue", Text),
    Column("cue_category", String(16)),
    Column("content", Text, nullable=False),
    Column("type", String(8), nullable=False),
    Column("channel", Text),
    Column("relay_name", Text),
    Column("relay_key", String(16)),
    Column("time_text", Text),
    Column("time_date", String(10)),
    Column("confidence", Float, nullable=False),
    Column("outlet", Text),
    Column("published", String(10)),
    Column("record", Text, nullable=False),
    UniqueConstraint("article_id", "key", name="uq_report_key"),
)

OLD_QUOTE = "The lighthouse will be painted red and white again before the summer"


# Full-text search was there from the start, so.
V1_FULLTEXT = {
    "sqlite": [
        """CREATE VIRTUAL TABLE reports_fts USING fts5(content, content='reports',
            content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
        """CREATE TRIGGER reports_fts_insert AFTER INSERT ON reports BEGIN
            INSERT INTO reports_fts(rowid, content) VALUES (new.id, new.content); END""",
        """CREATE TRIGGER reports_fts_delete AFTER DELETE ON reports BEGIN
            INSERT INTO reports_fts(reports_fts, rowid, content)
            VALUES ('delete', old.id, old.content); END""",
        """CREATE TRIGGER reports_fts_update AFTER UPDATE OF content ON reports BEGIN
            INSERT INTO reports_fts(reports_fts, rowid, content)
            VALUES ('delete', old.id, old.content);
            INSERT INTO reports_fts(rowid, content) VALUES (new.id, new.content); END""",
    ],
    "postgresql": [
        """ALTER TABLE reports ADD COLUMN tsv tsvector
            GENERATED ALWAYS AS (to_tsvector('english', content)) STORED""",
        "CREATE INDEX ix_reports_tsv ON reports USING GIN (tsv)",
    ],
}


def make_v1(url: str) -> None:
    """A database as onrecord's first schema made it, with one stored report."""
    engine = create_engine(resolve_url(url))
    with engine.begin() as conn:
        v1.create_all(conn)
        for ddl in V1_FULLTEXT[conn.dialect.name]:
            conn.execute(text(ddl))
        t = v1.tables
        conn.execute(t["onrecord_meta"].insert().values(key="schema_version", value="1"))
        article = conn.execute(
            t["articles"]
            .insert()
            .values(
                key="https://islandweekly.example/lighthouse",
                url="https://islandweekly.example/lighthouse",
                outlet="Island Weekly",
                published="2023-06-01",
                text=f'"{OLD_QUOTE}," Ingrid Holm said.',
                fingerprint="0" * 64,
                ingested_at="2023-06-01T10:00:00+00:00",
                updated_at="2023-06-01T10:00:00+00:00",
            )
        ).inserted_primary_key[0]
        speaker = conn.execute(
            t["speakers"].insert().values(
                name="Ingrid Holm", norm="ingrid holm", surname="holm", kind="person",
                statements=1,
            )
        ).inserted_primary_key[0]  # fmt: skip
        statement = conn.execute(
            t["statements"].insert().values(
                speaker_id=speaker, content=OLD_QUOTE, norm=OLD_QUOTE.lower(), type="direct",
                signature=b"\0" * 512, first_seen="2023-06-01", first_article_id=article,
                reports=1, outlets=1,
            )
        ).inserted_primary_key[0]  # fmt: skip
        conn.execute(
            t["reports"].insert().values(
                article_id=article, statement_id=statement, key="s1", speaker_id=speaker,
                speaker_text="Ingrid Holm", speaker_name="Ingrid Holm", speaker_kind="person",
                cue="said", cue_category="speech", content=OLD_QUOTE, type="direct",
                confidence=0.9, outlet="Island Weekly", published="2023-06-01", record="{}",
            )
        )  # fmt: skip
    engine.dispose()


def test_a_version_1_database_is_brought_forward_with_its_data(db_url):
    make_v1(db_url)
    with Store(db_url) as store:
        with store.engine.connect() as conn:
            version = conn.execute(
                text("SELECT value FROM onrecord_meta WHERE key = 'schema_version'")
            ).scalar()
            columns = {c["name"] for c in inspect(conn).get_columns("articles")}
            people = conn.execute(text("SELECT people FROM articles")).scalars().all()
            assert inspect(conn).has_table("speaker_merges")
        assert version == str(SCHEMA_VERSION)
        assert "people" in columns and "detector" in columns
        assert people == ["[]"]
        # Stop words are searchable (PostgreSQL's full-text column was rebuilt).
        assert len(search(store, Filters(query='"will be painted"'))) == 1
        (hit,) = search(store, Filters(query="lighthouse painted"))
        assert (hit.speaker, hit.content, hit.date, hit.outlet) == (
            "Ingrid Holm",
            OLD_QUOTE,
            "2023-06-01",
            "Island Weekly",
        )
        # And it takes new articles as a new one would, reasons for merges included.
        assert store.add(extracted(GAZETTE_WALL))[0] == "new"
        assert store.counts()["articles"] == 2
        assert list_speakers(store, "Tomas Brandt", why=True)[0].why
    # Opening it again changes nothing.
    with Store(db_url) as store:
        assert store.counts()["articles"] == 2


def test_a_version_1_database_is_brought_forward_by_a_read_too(db_url):
    make_v1(db_url)
    result = cli("search", "lighthouse", "--format", "json", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert "Ingrid Holm" in result.stdout
    with Store(db_url, create=False) as store:
        assert store.info()["schema_version"] == SCHEMA_VERSION


# -- databases that cannot be used ---------------------------------------------------

COMMANDS = [
    ("search", "harbour"),
    ("speakers",),
    ("show", "1"),
    ("export", "--format", "jsonl"),
    ("info",),
    ("ingest", "IN"),
]


def refused(args, db: str, tmp_path: Path) -> str:
    """The one line a command gives on stderr for an unusable database (exit status 2)."""
    feed = tmp_path / "in.txt"
    feed.write_text(GAZETTE_WALL.text, encoding="utf-8")
    args = [str(feed) if a == "IN" else a for a in args]
    started = time.monotonic()
    result = cli(*args, "--db", db)
    assert time.monotonic() - started < 15
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    return line


def fingerprint(path: Path) -> dict[str, str]:
    """The bytes of a database and of every file SQLite keeps beside it."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.parent.iterdir())
        if p.name.startswith(path.name)
    }


def empty_store(path: Path) -> None:
    Store(str(path)).close()


def test_a_text_file_named_like_a_database(tmp_path):
    db = tmp_path / "x.db"
    db.write_text("these are my notes, not a database\n", encoding="utf-8")
    before = fingerprint(db)
    for args in COMMANDS:
        assert refused(args, str(db), tmp_path) == (
            f"error: {db}: not a database (not an SQLite file)"
        )
    assert fingerprint(db) == before


def test_a_corrupt_database(tmp_path):
    db = tmp_path / "onrecord.db"
    with Store(str(db)) as store:
        store.add(extracted(GAZETTE_WALL))
    data = bytearray(db.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    data[2 * page : 4 * page] = b"\xa5" * (2 * page)  # two pages of tables, overwritten
    db.write_bytes(bytes(data))
    before = fingerprint(db)
    for args in COMMANDS:
        line = refused(args, str(db), tmp_path)
        assert line.startswith(f"error: {db}: corrupt "), line
    assert fingerprint(db) == before


def test_a_truncated_database(tmp_path):
    db = tmp_path / "onrecord.db"
    with Store(str(db)) as store:
        store.add(extracted(GAZETTE_WALL))
    db.write_bytes(db.read_bytes()[:5000])
    before = fingerprint(db)
    line = refused(("search", "harbour"), str(db), tmp_path)
    assert line.startswith(f"error: {db}: corrupt ")
    assert fingerprint(db) == before


def test_opening_the_database_again_keeps_the_locks_of_those_open(tmp_path):
    """Opening a database checks the file; that check must not drop the locks which the
    process's connections already open to it hold (closing any descriptor of a file
    drops them all).  Without them another process, reading and closing, takes itself
    for the last one and deletes the write-ahead log and its index from under them: what
    is committed after that is invisible to this process, which reads a stale copy."""
    db = tmp_path / "onrecord.db"
    with Store(str(db)) as first:
        with first.engine.connect() as conn:  # kept in the pool, open and in WAL mode
            assert conn.execute(text("SELECT count(*) FROM articles")).scalar() == 0
        Store(str(db)).close()  # the same database, opened (and checked) again
        for code in (
            "con.execute('SELECT count(*) FROM articles').fetchone()",
            "con.execute(\"INSERT INTO onrecord_meta VALUES ('written', 'later')\")",
        ):
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    f"import sqlite3, sys\n"
                    f"con = sqlite3.connect(sys.argv[1], isolation_level=None)\n{code}\n"
                    "con.close()",
                    str(db),
                ],
                check=True,
            )
        assert Path(f"{db}-wal").exists()  # still in use here: not the other's to delete
        with Store(str(db)) as again, again.engine.connect() as conn:
            found = conn.execute(
                text("SELECT value FROM onrecord_meta WHERE key = 'written'")
            ).scalar()
    assert found == "later"


LOCKER = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN EXCLUSIVE")
con.execute("INSERT INTO onrecord_meta VALUES ('locked', 'yes')")
print("locked", flush=True)
sys.stdin.read()
con.execute("ROLLBACK")
"""


def locked_by_another_process(db: Path):
    locker = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert locker.stdout.readline() == "locked\n"
    return locker


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_database_another_process_holds_locked(journal, tmp_path, monkeypatch):
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_S", 1)
    db = tmp_path / "onrecord.db"
    empty_store(db)
    con = sqlite3.connect(db)
    assert con.execute(f"PRAGMA journal_mode = {journal}").fetchone() == (journal,)
    con.close()
    locker = locked_by_another_process(db)
    try:
        before = fingerprint(db)
        lock = f"error: {db}: database is locked by another process"
        # A writer cannot go on while another holds the lock.
        assert refused(("ingest", "IN"), str(db), tmp_path) == lock
        if journal == "delete":  # the lock keeps readers out too
            assert refused(("search", "harbour"), str(db), tmp_path) == lock
        else:  # with write-ahead logging, readers read on
            assert cli("search", "harbour", "--db", str(db)).exit_code == 0
        assert fingerprint(db) == before
    finally:
        locker.communicate("")
    assert locker.returncode == 0
    # Usable again, and nothing of the locker's left.
    with Store(str(db)) as store, store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM onrecord_meta")).scalar() == 1


@pytest.mark.parametrize(
    "url, message",
    [
        (
            "postgresql://nobody@127.0.0.1:1/x",
            "postgresql://nobody@127.0.0.1:1/x: cannot open (connection failed: connection to "
            'server at "127.0.0.1", port 1 failed: Connection refused)',
        ),
        (
            "postgresql://nobody:secret@db.example:port/x",
            "postgresql://nobody:***@db.example:port/x: not a database URL (bad port)",
        ),
        (
            "mysql://nobody@127.0.0.1/x",
            "mysql://nobody@127.0.0.1/x: unsupported database (use a file path or postgresql://)",
        ),
    ],
)
@pytest.mark.parametrize("args", COMMANDS[:1] + COMMANDS[-1:], ids=lambda a: a[0])
def test_a_wrong_url(url, message, args, tmp_path):
    assert refused(args, url, tmp_path) == f"error: {message}"


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
@pytest.mark.parametrize("db", ["", "  "], ids=["empty", "blank"])
def test_an_empty_db_option_is_refused_not_read_as_the_default(args, db, tmp_path, monkeypatch):
    """`--db "$DB"` with $DB unset must not quietly write to the default database."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    line = refused(args, db, tmp_path)
    assert line == "error: the database path or URL is empty (give a file path or a URL)"
    assert not (tmp_path / "data").exists()


def test_no_database_yet_is_not_created_by_a_read(tmp_path):
    db = tmp_path / "new" / "onrecord.db"
    line = refused(("search", "harbour"), str(db), tmp_path)
    assert line == f"error: {db}: no onrecord database here yet (run `onrecord ingest`)"
    assert not (tmp_path / "new").exists()
    with pytest.raises(StoreError, match="is a folder"):
        Store(str(tmp_path))


def set_version(url: str, version: int) -> None:
    engine = create_engine(resolve_url(url))
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE onrecord_meta SET value = :v WHERE key = 'schema_version'"),
            {"v": str(version)},
        )
    engine.dispose()


def contents(url: str) -> dict:
    """Every row of every table (the proof that nothing was written)."""
    engine = create_engine(resolve_url(url))
    with engine.connect() as conn:
        names = sorted(inspect(conn).get_table_names())
        out = {
            name: sorted(map(repr, conn.execute(text(f'SELECT * FROM "{name}"')).all()))
            for name in names
            if not name.startswith("reports_fts")
        }
    engine.dispose()
    return out


def test_a_database_from_a_newer_onrecord(db_url, tmp_path):
    with Store(db_url) as store:
        store.add(extracted(GAZETTE_WALL))
        shown = store.name
    set_version(db_url, 99)
    before = contents(db_url)
    files = fingerprint(Path(db_url)) if "://" not in db_url else None
    for args in COMMANDS:
        assert refused(args, db_url, tmp_path) == (
            f"error: {shown}: made by a newer onrecord (schema version 99, this one reads up "
            f"to {SCHEMA_VERSION}); upgrade onrecord"
        )
    assert contents(db_url) == before
    if files is not None:
        assert fingerprint(Path(db_url)) == files


def test_someone_elses_database(db_url, tmp_path):
    engine = create_engine(resolve_url(db_url))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total FLOAT)"))
        conn.execute(text("INSERT INTO invoices VALUES (1, 99.5)"))
    engine.dispose()
    before = contents(db_url)
    shown = store_db.display(resolve_url(db_url))
    for args in (("ingest", "IN"), ("search", "harbour")):
        assert refused(args, db_url, tmp_path) == (
            f"error: {shown}: not an onrecord database (it has other tables)"
        )
    assert contents(db_url) == before


# The full-text table of versions 1 and 2: external content, row ids = report ids.
LEGACY_FTS = [
    "DROP TRIGGER IF EXISTS reports_fts_insert",
    "DROP TRIGGER IF EXISTS reports_fts_delete",
    "DROP TRIGGER IF EXISTS reports_fts_update",
    "DROP TABLE reports_fts",
    """CREATE VIRTUAL TABLE reports_fts USING fts5(content, content='reports',
        content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
    "INSERT INTO reports_fts(reports_fts) VALUES ('rebuild')",
    "DROP INDEX IF EXISTS ix_reports_outlet_folded",
    "CREATE INDEX ix_reports_outlet_published ON reports (outlet, published)",
    "UPDATE onrecord_meta SET value = '2' WHERE key = 'schema_version'",
]


def test_a_version_2_sqlite_database_gets_the_dated_search_index(tmp_path):
    path = tmp_path / "v2.db"
    with Store(str(path)) as store:
        store.add(extracted(GAZETTE_WALL))
        before = [h.content for h in search(store, Filters(query="flood"))]
    assert before
    con = sqlite3.connect(path)
    for statement in LEGACY_FTS:
        con.execute(statement)
    con.commit()
    con.close()
    with Store(str(path)) as store:
        after = [h.content for h in search(store, Filters(query="flood"))]
        with store.engine.connect() as conn:
            from onrecord.store import fulltext

            assert fulltext.layout(conn) == fulltext.KEYED
    assert after == before
    con = sqlite3.connect(path)
    version = con.execute("SELECT value FROM onrecord_meta WHERE key='schema_version'").fetchone()
    indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    con.close()
    assert version == (str(SCHEMA_VERSION),)
    assert "ix_reports_outlet_folded" in indexes and "ix_reports_outlet_published" not in indexes
