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

__all__ = ["Store", "StoreError", "Outcome", "article_key", "default_path"]


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
