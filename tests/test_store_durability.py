"""Durability: an ingest killed with SIGKILL part-way leaves no partial article and a
re-run finishes the batch; two ingests at once on one database both succeed, with no
duplicate and nothing lost.  Real processes, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select
from store_corpus import cli

from onrecord.ingest import iter_articles
from onrecord.pipeline import Extractor
from onrecord.store import Store
from onrecord.store.db import display, resolve_url
from onrecord.store.schema import SCHEMA_VERSION, articles, reports, speakers, statements

ONRECORD = str(Path(sys.executable).parent / "onrecord")
FIRST = "Ana Bruno Carla Dmitri Edda Farid Greta Hugo Ines Jonas".split()
LAST = "Aalto Bakker Costa".split()
MAYOR = (
    '"We will not let the harbour flood again, not while I am mayor of this town," '
    "Mayor Elena Lindqvist said on {day}."
)
DAYS = "Monday Tuesday Wednesday Thursday Friday".split()


def notice(i: int) -> dict:
    """A short article: a berth manager on the repairs to their berth; every third one
    also carries the mayor's words (one statement, one speaker, across articles)."""
    name = f"{FIRST[i % 10]} {LAST[i // 10 % 3]}"
    paragraphs = [
        f"Berth {i} repairs",
        f"Berth manager {name} said on Monday that berth {i} would reopen after {i + 2} "
        "weeks of repairs.",
        f'"The boats from berth {i} will be moved to the north quay until the work on '
        f'berth {i} is done," {name.split()[-1]} said.',
    ]
    if i % 3 == 0:
        paragraphs.append(MAYOR.format(day=DAYS[i % 5]))
    return {
        "text": "\n\n".join(paragraphs) + "\n",
        "url": f"https://harbourpost.example/berth-{i}",
        "outlet": ("Harbour Post", "Coastal Herald", "Harbour Gazette")[i % 3],
        "published": f"2024-04-{i % 28 + 1:02d}",
    }


def feed(path: Path, numbers) -> Path:
    path.write_text("".join(json.dumps(notice(i)) + "\n" for i in numbers), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def extracted_notices(tmp_path_factory) -> dict[str, object]:
    """What `onrecord extract` gives for each of the 30 notices: url -> ArticleResult,
    in the order of the feed (extracted once for the module)."""
    path = feed(tmp_path_factory.mktemp("notices") / "all.jsonl", range(30))
    return {r.article.url: r for r in Extractor().extract_many(iter_articles([str(path)]))}


def expected(results: dict, numbers) -> dict[str, list[dict]]:
    """The statements each of the notices ``numbers`` has: url -> statement records."""
    urls = [notice(i)["url"] for i in numbers]
    return {u: [s.to_dict() for s in results[u].statements] for u in urls}


def ingest(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [ONRECORD, "ingest", "--no-progress", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


class ArticleCount:
    """How many articles the database holds, read without onrecord, as often as asked
    (0 while there is no database yet)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.conn = None

    def __call__(self) -> int:
        try:
            if self.conn is None:
                if "://" in self.url:
                    import psycopg

                    self.conn = psycopg.connect(self.url, autocommit=True)
                elif Path(self.url).exists():
                    self.conn = sqlite3.connect(f"file:{self.url}?mode=ro", uri=True)
                else:
                    return 0
            return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except Exception:  # noqa: BLE001 - no schema yet
            return 0

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def until_one_is_stored(proc: subprocess.Popen, url: str) -> None:
    """Return as soon as the ingest ``proc`` has committed its first article to ``url``."""
    stored = ArticleCount(url)
    deadline = time.monotonic() + 60
    try:
        while stored() < 1:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.005)
    finally:
        stored.close()


def check_whole(url: str, want: dict[str, list[dict]]) -> dict[str, int]:
    """Every stored article has exactly the reports extraction gives it, the counts
    kept on statements and speakers agree with the reports; returns the table sizes."""
    with Store(url, create=False) as store, store.engine.connect() as conn:
        rows = conn.execute(select(articles.c.id, articles.c.url)).all()
        assert len({u for _, u in rows}) == len(rows)
        for article_id, article_url in rows:
            got = [
                json.loads(r)
                for r in conn.execute(
                    select(reports.c.record)
                    .where(reports.c.article_id == article_id)
                    .order_by(reports.c.id)
                ).scalars()
            ]
            assert got == want[article_url], article_url
        per_statement = dict(
            conn.execute(
                select(reports.c.statement_id, func.count()).group_by(reports.c.statement_id)
            ).all()
        )
        kept = dict(conn.execute(select(statements.c.id, statements.c.reports)).all())
        assert kept == per_statement  # no statement without a report, counts right
        per_speaker = dict(
            conn.execute(
                select(reports.c.speaker_id, func.count())
                .where(reports.c.speaker_id.is_not(None))
                .group_by(reports.c.speaker_id)
            ).all()
        )
        assert dict(conn.execute(select(speakers.c.id, speakers.c.statements)).all()) == (
            per_speaker
        )
        # One statement per thing said: no cluster created twice.
        said = Counter(conn.execute(select(statements.c.speaker_id, statements.c.norm)).all())
        assert [k for k, n in said.items() if n > 1] == []
        counts = store.counts()
    if "://" not in url:
        con = sqlite3.connect(url)
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        con.close()
    return counts


def test_kill_9_in_the_middle_of_a_batch_loses_nothing_and_duplicates_nothing(
    db_url, tmp_path, extracted_notices
):
    path = feed(tmp_path / "notices.jsonl", range(30))
    want = expected(extracted_notices, range(30))
    proc = ingest(str(path), "--db", db_url)
    # Killed as soon as the first transaction is in: the writer stores at most 16
    # articles in one (group commit), so the rest of the 30 are still to come.
    until_one_is_stored(proc, db_url)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL

    killed = check_whole(db_url, want)
    assert 1 <= killed["articles"] < 30

    again = cli("ingest", str(path), "--db", db_url)  # in-process: spaCy is loaded here
    assert again.exit_code == 0, again.output
    shown = display(resolve_url(db_url))
    assert again.stderr.splitlines()[-1] == (
        f"{shown}: {30 - killed['articles']} new, 0 updated, {killed['articles']} "
        f"unchanged, 0 failed; {sum(len(v) for v in want.values()) - killed['reports']} "
        "statements added"
    )
    final = check_whole(db_url, want)
    assert final["articles"] == 30
    assert final["reports"] == sum(len(v) for v in want.values())
    # The same as one uninterrupted ingest.
    with Store(str(tmp_path / "clean.db")) as clean:
        for result in extracted_notices.values():
            clean.add(result)
        assert clean.counts() == final


def test_two_ingests_at_once_on_one_database(db_url, tmp_path, extracted_notices):
    first = feed(tmp_path / "first.jsonl", range(0, 20))
    second = feed(tmp_path / "second.jsonl", range(10, 30))
    want = expected(extracted_notices, range(30))
    Store(db_url).close()  # (both would create it; see test_two_create_it_at_once)
    a, b = ingest(str(first), "--db", db_url), ingest(str(second), "--db", db_url)
    (_, err_a), (_, err_b) = a.communicate(timeout=120), b.communicate(timeout=120)
    assert (a.returncode, b.returncode) == (0, 0), err_a + err_b
    shown = display(resolve_url(db_url))
    summary = re.compile(
        re.escape(shown) + r": (\d+) new, 0 updated, (\d+) unchanged, 0 failed; \d+ "
        "statements added"
    )
    found = [summary.fullmatch(err.splitlines()[-1]) for err in (err_a, err_b)]
    assert all(found), (err_a, err_b)
    new, unchanged = zip(*[(int(m[1]), int(m[2])) for m in found], strict=True)
    # Each stored its 10 own articles; the 10 both had went to whichever came first, and
    # were unchanged for the other.
    assert sum(new) == 30 and min(new) >= 10 and sum(unchanged) == 10, (err_a, err_b)
    counts = check_whole(db_url, want)
    assert counts["articles"] == 30
    assert counts["reports"] == sum(len(v) for v in want.values())


def test_two_create_it_at_once(db_url):
    """Two processes opening a database that does not exist yet: both see it made once."""
    code = (
        "import sys; from onrecord.store import Store; s = Store(sys.argv[1]); "
        "print(s.info()['schema_version']); s.close()"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, db_url], stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    assert [p.communicate(timeout=60)[0] for p in procs] == [f"{SCHEMA_VERSION}\n"] * 4
    with Store(db_url) as store:
        assert store.counts()["articles"] == 0


KILLED_WRITER = """
import os, signal, sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("PRAGMA journal_mode = DELETE")
con.execute("PRAGMA cache_size = 10")  # so that pages reach the file before commit
con.execute("BEGIN IMMEDIATE")
for i in range(5000):
    con.execute("INSERT INTO onrecord_meta VALUES (?, ?)", (f"junk{i}", "x" * 200))
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_writer_killed_in_rollback_journal_mode_leaves_a_database_that_opens(tmp_path):
    """A database in rollback-journal mode (an older one, or one set so by hand) whose
    writer was killed mid-transaction has a hot journal: opening it rolls that back."""
    db = tmp_path / "onrecord.db"
    Store(str(db)).close()
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITER, str(db)])
    assert killed.returncode == -signal.SIGKILL
    journal = tmp_path / "onrecord.db-journal"
    assert journal.exists() and journal.stat().st_size > 0
    result = cli("search", "harbour", "--db", str(db))
    assert result.exit_code == 0, result.output
    with Store(str(db)) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM onrecord_meta").scalar() == 1
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    con.close()


def _started_ingest(cluster, path: Path, **env: str) -> tuple[subprocess.Popen, str]:
    """An ingest of ``path`` into a new database on ``cluster``, once its first article
    is stored: (the process, the database URL)."""
    import psycopg

    with psycopg.connect(cluster.admin_url, autocommit=True) as admin:
        admin.execute("CREATE DATABASE news")
    url = cluster.admin_url.replace("/postgres?", "/news?")
    proc = subprocess.Popen(
        [ONRECORD, "ingest", "--no-progress", str(path), "--db", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )
    until_one_is_stored(proc, url)
    return proc, url


def test_a_database_server_restart_mid_ingest_costs_a_pause_not_articles(
    own_pg, tmp_path, extracted_notices
):
    path = feed(tmp_path / "notices.jsonl", list(range(30)) * 3)  # 90 lines, 30 articles
    proc, url = _started_ingest(own_pg, path)
    own_pg.stop()
    time.sleep(1.5)
    own_pg.start()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert err.splitlines()[-1].endswith(
        "30 new, 0 updated, 60 unchanged, 0 failed; 70 statements added"
    ), err
    assert check_whole(url, expected(extracted_notices, range(30)))["articles"] == 30


def test_a_database_server_gone_for_good_stops_the_ingest_with_one_line(
    own_pg, tmp_path, extracted_notices
):
    """The server does not come back within $ONRECORD_DB_WAIT: one `error:` line says so
    and stops the batch (not one line per remaining article), nothing else reaches the
    terminal (psycopg's own "error ignored terminating ..." warning did), what was stored
    is whole, and once the server is back the same command stores the rest."""
    path = feed(tmp_path / "notices.jsonl", list(range(30)) * 4)  # 120 lines, 30 articles
    want = expected(extracted_notices, range(30))
    proc, url = _started_ingest(own_pg, path, ONRECORD_DB_WAIT="1")
    own_pg.stop()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert re.fullmatch(
        r"error: postgresql://postgres@/news\?host=\S+: the database went away \(.+\); "
        r"stopped\. What was stored is kept: run the same command again to store the rest",
        lines[0],
    ), err
    assert re.search(
        r": \d+ new, 0 updated, \d+ unchanged, 0 failed; \d+ statements added$", lines[1]
    ), err

    own_pg.start()
    check_whole(url, want)  # what was stored before the server went is whole
    again = cli("ingest", str(path), "--db", url)
    assert again.exit_code == 0, again.output
    assert check_whole(url, want)["articles"] == 30


def test_psycopg_warnings_stay_off_the_terminal(pg_server):
    """psycopg warns on its own logger when a server drops mid-pipeline; with logging
    unconfigured, Python would print that to stderr beside onrecord's one-line error.
    (In a fresh interpreter: pytest configures logging in its own.)"""
    code = (
        "import logging, sys\n"
        "from onrecord.store import Store\n"
        "Store(sys.argv[1]).close()\n"
        "logging.getLogger('psycopg').warning('error ignored terminating <pipeline>')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, pg_server.new()], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
