"""The statement database: many articles, one record of who said what.

``Store(db)`` opens (creating or upgrading) the database at a path or URL — SQLite by
default, PostgreSQL with ``postgresql://…`` — and ``Store.add(result)`` stores one
extracted article in one transaction.  Reading it is :mod:`onrecord.search`.
"""

from __future__ import annotations

import contextlib

from sqlalchemy import func, select

from ..errors import OnrecordError, one_line
from ..processes import die_with_parent
from ..records import ArticleResult
from .db import (
    StoreError,
    connect,
    connections_open,
    default_path,
    display,
    resolve_url,
    server_version,
)
from .db import write_transaction as _write
from .schema import SCHEMA_VERSION, articles, reports, speakers, statements
from .writer import Added, Outcome, article_key, store_article

# Most articles the background writer stores in one transaction.
GROUP = 16
# How long the background writer waits for a database server that went away (a
# restart, a failover) before it gives up the batch; $ONRECORD_DB_WAIT overrides it.
WAIT_ENV = "ONRECORD_DB_WAIT"
WAIT_S = 30.0

__all__ = [
    "Added",
    "BackgroundWriter",
    "Store",
    "StoreError",
    "Outcome",
    "article_key",
    "default_path",
]


class BackgroundWriter:
    """Stores results in a process of its own while the caller extracts the next ones.

    Parsing keeps one core busy and storing is mostly Python and database work, which
    on a thread would queue for the same interpreter lock; in a second process it runs
    beside the parse, so a batch takes about as long as its extraction alone.
    ``submit`` blocks when ``depth`` results wait (memory stays bounded); ``close``
    waits for the last article.  Articles are stored in the order submitted; those
    already waiting when the writer is ready (up to ``group``) are stored together in
    one transaction (:meth:`Store.add_many`), each still all or nothing.  The process
    dies with its parent (a killed batch leaves no writer behind, and no partial
    article).  ``on_done(source, added)`` (an :class:`Added`) and
    ``on_error(source, message)`` are called in the caller's process.
    """

    def __init__(
        self, db: str | None, on_done, on_error, depth: int = 32, group: int = GROUP
    ) -> None:
        import multiprocessing

        context = multiprocessing.get_context(start_method())
        self.on_done = on_done
        self.on_error = on_error
        self.inbox = context.Queue(maxsize=depth)
        self.outbox = context.Queue()
        self.process = context.Process(
            target=_writer_main, args=(db, self.inbox, self.outbox, group), daemon=True
        )
        self.process.start()
        self.closed = False
        self.lost: str | None = None  # why the writer gave up, once it has

    def submit(self, result: ArticleResult) -> None:
        """Queue one result; raises :class:`StoreError` once the database is gone."""
        import queue

        while True:
            self._drain(block=False)
            try:
                self.inbox.put(result, timeout=0.2)
                return
            except queue.Full:
                if not self.process.is_alive():
                    self._drain(block=False)
                    raise StoreError(self.lost or "the database writer stopped") from None

    def _drain(self, block: bool) -> bool:
        """Report what the writer has finished; True once it has said it is done."""
        import queue

        while True:
            try:
                item = self.outbox.get(block=block, timeout=None if block else 0)
            except queue.Empty:
                return False
            if item is None:
                return True
            kind, source, *rest = item
            if kind == "lost":
                self.lost = rest[0]
                raise StoreError(self.lost)
            if kind == "ok":
                self.on_done(source, Added(*rest))
            else:
                self.on_error(source, rest[0])

    def close(self) -> None:
        """Wait for the last article; raises :class:`StoreError` if the database went
        away on the way (the articles stored before stay stored)."""
        import queue

        if self.closed:
            return
        self.closed = True
        if self.lost is None:
            with contextlib.suppress(queue.Full):
                self.inbox.put(None, timeout=1 if not self.process.is_alive() else None)
        try:
            while self.process.is_alive() or not self.outbox.empty():
                if self._drain(block=True):
                    break
        finally:
            self.process.join()


def start_method() -> str:
    """How the background writer's process starts: "fork" unless this process holds a
    database connection, "spawn" if it does.

    A forked child inherits the parent's SQLite connections, and SQLite's per-process
    lock bookkeeping with them, which SQLite forbids carrying across fork() (the child's
    own connection to the same file shares that bookkeeping: locks it believes held are
    not, and the reads that follow can be stale).  A library caller may well keep a Store
    open on the database it ingests into; so may one that dropped a Store without
    closing it, whose engine waits for the garbage collector.  A spawned writer is a new
    interpreter that inherits nothing.  It costs a start: about 0.4 s more than a fork
    to store the first article (0.78-0.89 s against 0.38-0.46 s on a 2-core machine:
    a new Python importing SQLAlchemy and the store), which is why it is used only when
    needed.  `onrecord ingest` closes its own Store before starting the writer, and
    forks.  (A script that starts a spawned writer needs the ``if __name__ ==
    "__main__":`` guard, as for any spawned process: the child imports its main module.)
    """
    import os

    if not hasattr(os, "fork") or connections_open():
        return "spawn"
    return "fork"


def _writer_main(db: str | None, inbox, outbox, group: int = GROUP) -> None:
    import gc
    import queue

    die_with_parent()
    # Forked (see start_method): what the parent had loaded (the parser's models) is left
    # out of garbage collection here, which would otherwise walk it, and copy its pages,
    # again and again.
    gc.freeze()
    wait = _wait_s()
    store = Store(db, create=True)
    try:
        done = False
        while not done:
            batch = [inbox.get()]
            # Whatever else is already waiting goes in the same transaction.
            while len(batch) < group and batch[-1] is not None:
                try:
                    batch.append(inbox.get_nowait())
                except queue.Empty:
                    break
            if batch[-1] is None:
                done = True
                batch.pop()
            outcomes = _add_patiently(store, batch, wait)
            for result, outcome in zip(batch, outcomes, strict=True):
                source = result.article.source
                if isinstance(outcome, Exception):
                    if _went_away(store, outcome):
                        # Stop here: every article after this one would fail the same
                        # way, one line each, and its extraction would be wasted.
                        outbox.put(("lost", source, _lost_message(store, outcome)))
                        return
                    outbox.put(("error", source, _message(outcome)))
                else:
                    outbox.put(("ok", source, *outcome))
    finally:
        store.close()
        outbox.put(None)


def _wait_s() -> float:
    import os

    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, WAIT_S)))
    except ValueError:
        return WAIT_S


def _went_away(store: Store, exc: Exception) -> bool:
    """The database server went away (a connection lost or refused), as opposed to a
    problem with this article.  SQLite has no server: its errors are the article's or
    the file's, and it already waits for a lock itself."""
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return store.dialect != "sqlite" and isinstance(exc, (OperationalError, InterfaceError))


def _add_patiently(store: Store, batch: list[ArticleResult], wait: float) -> list:
    """``store.add_many(batch)``, trying again the articles that failed because the
    server went away, for up to ``wait`` seconds: a restart costs a pause, not the
    batch.  The outcomes, in order (an exception for an article still not stored)."""
    import time

    outcomes = store.add_many(batch)
    deadline = time.monotonic() + wait
    pause = 0.25
    while True:
        lost = [i for i, o in enumerate(outcomes) if isinstance(o, Exception)]
        lost = [i for i in lost if _went_away(store, outcomes[i])]
        if not lost or time.monotonic() >= deadline:
            return outcomes
        time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
        pause = min(pause * 2, 4.0)
        for i, outcome in zip(lost, store.add_many([batch[i] for i in lost]), strict=True):
            outcomes[i] = outcome


def _lost_message(store: Store, exc: Exception) -> str:
    return (
        f"{store.name}: the database went away ({one_line(exc)}); stopped. What was stored is "
        "kept: run the same command again to store the rest"
    )


def _message(exc: Exception) -> str:
    """One line for an article that was not stored."""
    if isinstance(exc, OnrecordError):
        return str(exc)
    return f"not stored ({one_line(exc)})"  # a database error


class Store:
    """An open statement database."""

    def __init__(self, db: str | None = None, *, create: bool = True) -> None:
        self.url = resolve_url(db)
        self.engine = connect(db, create=create)

    @property
    def name(self) -> str:
        return display(self.url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def add(self, result: ArticleResult) -> Added:
        """Store one article and its statements: new, updated or unchanged, how many
        statements, and the article's id."""
        with _write(self.engine) as conn:
            return store_article(conn, result)

    def add_many(self, results: list[ArticleResult]) -> list[Added | Exception]:
        """Store several articles in one transaction: the outcome of each, in order.

        The group commits wholly or not at all.  If storing any of its articles
        raises, the transaction is rolled back and the articles are stored again one
        by one (:meth:`add`), so that the one that fails has its exception as its
        outcome and the others are stored."""
        if not results:
            return []
        try:
            with _write(self.engine) as conn:
                return [store_article(conn, result) for result in results]
        except Exception as exc:
            if len(results) == 1:
                return [exc]
        out: list[Added | Exception] = []
        for result in results:
            try:
                out.append(self.add(result))
            except Exception as exc:  # this article's: report it, store the others
                out.append(exc)
        return out

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                name: conn.execute(select(func.count()).select_from(table)).scalar()
                for name, table in (
                    ("articles", articles),
                    ("reports", reports),
                    ("statements", statements),
                    ("speakers", speakers),
                )
            }

    def info(self) -> dict:
        return {
            "database": self.name,
            "engine": server_version(self.engine),
            "schema_version": SCHEMA_VERSION,
            **self.counts(),
        }

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
