"""The statement database's tests run on SQLite and on PostgreSQL.

``db_url`` gives each test an empty database of either kind.  PostgreSQL is a
throwaway cluster started once per session in a temporary folder (listening on a unix
socket there only), or the server at ``$ONRECORD_TEST_PG`` (a role that may create
databases).  Without PostgreSQL's binaries the PostgreSQL cases are skipped;
``.ci/run`` installs them.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest

PG_ENV = "ONRECORD_TEST_PG"
_numbers = itertools.count(1)


def _pg_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(versions[0]).parent if versions else None


class PgServer:
    """Where test databases are created: ``new()`` gives the URL of an empty one."""

    def __init__(self, admin_url: str, external: bool) -> None:
        self.admin_url = admin_url
        self.external = external
        self.created: list[str] = []

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(sql)

    def new(self) -> str:
        name = f"onrecord_test_{os.getpid()}_{next(_numbers)}"
        self._admin(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        head, _, query = self.admin_url.partition("?")
        base = head.rsplit("/", 1)[0]
        return f"{base}/{name}" + (f"?{query}" if query else "")

    def drop_all(self) -> None:
        for name in self.created:
            with contextlib.suppress(Exception):  # best effort, on someone else's server
                self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class PgCluster:
    """A throwaway PostgreSQL cluster in a temporary folder, listening on a unix socket
    there only: ``start()``, ``stop()`` (immediate: as if the server died) and ``start()``
    again, ``admin_url`` while it runs, ``remove()`` at the end."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        # A short path: the socket's full name must fit in 107 bytes.
        self.base = Path(tempfile.mkdtemp(prefix="onrecord-pg-"))
        self.data = self.base / "data"
        self.running = False
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.base, owner.pw_uid, owner.pw_gid)
        self._run(
            [str(bindir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"]
            + ["-E", "UTF8", "--locale=C", "--no-sync"]
        )

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@/postgres?host={quote(str(self.base))}"

    def _run(self, cmd: list[str]) -> None:
        try:
            subprocess.run(_as_postgres(cmd), check=True, capture_output=True, text=True)
        except subprocess.CalledProcessError as exc:
            log = self.base / "log"
            detail = (exc.stderr or "").strip() or (log.read_text() if log.exists() else "")
            pytest.fail(f"PostgreSQL: {' '.join(cmd[:1])} failed: {detail[-500:]}")

    def start(self) -> None:
        options = f"-k {self.base} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
        self._run(
            [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.base / "log")]
            + ["-w", "-o", options, "start"]
        )
        self.running = True

    def stop(self) -> None:
        self.running = False
        self._run([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"])

    def remove(self) -> None:
        if self.running:
            with contextlib.suppress(BaseException):
                self.stop()
        shutil.rmtree(self.base, ignore_errors=True)


def pg_cluster_or_skip() -> PgCluster:
    """A new, started cluster; the test is skipped where PostgreSQL is not installed."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (no initdb; apt-get install postgresql)")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no `postgres` user to run PostgreSQL")
    cluster = PgCluster(bindir)
    try:
        cluster.start()
    except BaseException:
        cluster.remove()
        raise
    return cluster


@pytest.fixture(scope="session")
def pg_server():
    if os.environ.get(PG_ENV):
        server = PgServer(os.environ[PG_ENV], external=True)
        yield server
        server.drop_all()
        return
    cluster = pg_cluster_or_skip()
    try:
        yield PgServer(cluster.admin_url, external=False)
    finally:
        cluster.remove()


@pytest.fixture
def own_pg():
    """A PostgreSQL cluster of the test's own, which it may stop and start again (the
    server going away) without touching the one the other tests share."""
    cluster = pg_cluster_or_skip()
    try:
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture(scope="session")
def new_database(request, tmp_path_factory):
    """``new_database("sqlite" | "postgresql")``: the path or URL of an empty database
    (for fixtures of a wider scope than ``db_url``)."""

    def new(kind: str) -> str:
        if kind == "sqlite":
            return str(tmp_path_factory.mktemp("sqlite") / "onrecord.db")
        return request.getfixturevalue("pg_server").new()

    return new


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, new_database) -> str:
    """An empty database: a file path for SQLite, a ``postgresql://`` URL."""
    return new_database(request.param)
