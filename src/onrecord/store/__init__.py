"""The statement database: many articles, one record of who said what.

``Store(db)`` opens (creating or upgrading) the database at a path or URL — SQLite by
default, PostgreSQL with ``postgresql://…`` — and ``Store.add(result)`` stores one
extracted article in one transaction.  Reading it is :mod:`onrecord.search`.
"""

from __future__ import annotations

from sqlalchemy import func, select

from ..records import ArticleResult
from .db import StoreError, connect, default_path, display, resolve_url, server_version
from .db import write_transaction as _write
from .schema import SCHEMA_VERSION, articles, reports, speakers, statements
from .writer import Outcome, article_key, store_article

__all__ = ["BackgroundWriter", "Store", "StoreError", "Outcome", "article_key", "default_path"]


class BackgroundWriter:
    """Stores results on a thread of its own while the caller extracts the next ones.

    Parsing holds one core and storing mostly waits on the database, so on two cores a
    batch takes about as long as its extraction alone.  ``submit`` blocks when the
    queue is full (memory stays bounded); ``close`` waits for the last article.  Each
    article is still stored in its own transaction, in the order submitted.
    """

    def __init__(self, store: Store, on_done, on_error, depth: int = 32) -> None:
        import queue
        import threading

        self.store = store
        self.on_done = on_done  # (result, outcome, n) -> None
        self.on_error = on_error  # (result, exception) -> None
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.thread = threading.Thread(target=self._run, name="onrecord-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            result = self.queue.get()
            if result is None:
                return
            try:
                outcome, n = self.store.add(result)
            except Exception as exc:  # reported per article; the batch goes on
                self.on_error(result, exc)
            else:
                self.on_done(result, outcome, n)

    def submit(self, result: ArticleResult) -> None:
        self.queue.put(result)

    def close(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()


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

    def add(self, result: ArticleResult) -> tuple[Outcome, int]:
        """Store one article and its statements (new, updated or unchanged)."""
        with _write(self.engine) as conn:
            return store_article(conn, result)

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
