"""Who carried a statement: its outlets, or for an article that names none, the article
itself (its site, title or source); and which URLs may become links."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from ..ingest.urls import url_problem
from ..store import Store
from ..store.schema import articles, reports

# Most names listed for the outlets that carried a statement.
MAX_CARRIERS = 10


def carriers(store: Store, statement_ids: list[int]) -> dict[int, list[str]]:
    """Who carried each statement, earliest first."""
    with store.engine.connect() as conn:
        return carriers_in(conn, statement_ids)


def carriers_in(conn, statement_ids: list[int]) -> dict[int, list[str]]:
    """:func:`carriers` on an open connection: one query for all the statements."""
    if not statement_ids:
        return {}
    query = (
        select(
            reports.c.statement_id,
            reports.c.outlet,
            reports.c.article_id,
            articles.c.url,
            articles.c.title,
            articles.c.source,
        )
        .join(articles, articles.c.id == reports.c.article_id)
        .where(reports.c.statement_id.in_(statement_ids))
        .order_by(reports.c.published.is_(None), reports.c.published, reports.c.id)
    )
    found: dict[int, list[str]] = {}
    for row in conn.execute(query):
        found.setdefault(row.statement_id, []).append(carrier_name(row._mapping))
    return {sid: distinct_carriers(names) for sid, names in found.items()}


def carrier_name(report) -> str:
    """The outlet of a report, or what names its article when it has no outlet."""
    if report.get("outlet"):
        return report["outlet"]
    url = http_url(report.get("url"))
    return (
        (urlsplit(url).hostname if url else None)
        or report.get("title")
        or report.get("source")
        or f"article {report['article_id']}"
    )


def distinct_carriers(names) -> list[str]:
    return list(dict.fromkeys(names))[:MAX_CARRIERS]


def http_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address with a host, else None: only such a URL
    may become a link (a javascript: or data: one would run or show what it carries).
    Ingest keeps no other kind; this guards what an older onrecord stored."""
    if not url:
        return None
    url = url.strip()
    return url if url_problem(url) is None else None
