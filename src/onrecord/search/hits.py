"""Search: one page of statements whose reports match, newest report first."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select, text

from ..store import Store
from ..store.schema import articles, reports, speakers, statements
from .carriers import carriers_in
from .filters import Filters
from .plan import plan
from .results import Hit
from .walk import matching


def search(store: Store, filters: Filters, limit: int = 20, offset: int = 0) -> list[Hit]:
    """Statements whose reports match, newest report first, one hit per statement."""
    need = offset + limit
    with store.engine.connect() as conn:
        p = plan(conn, store.dialect, filters)
        if p is None or limit <= 0:
            return []
        if p.dialect == "postgresql":
            conn.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        chosen: list[int] = []
        seen: set[int] = set()
        for report_id, statement_id in matching(conn, p, need):
            if statement_id not in seen:
                seen.add(statement_id)
                chosen.append(report_id)
                if len(chosen) >= need:
                    break
        page = chosen[offset:]
        if not page:
            return []
        query = (
            select(
                reports.c.id.label("report_id"),
                statements.c.id,
                statements.c.content,
                statements.c.type,
                statements.c.outlets,
                statements.c.reports,
                speakers.c.name.label("canonical"),
                speakers.c.id.label("speaker_id"),
                reports.c.speaker_text,
                reports.c.outlet,
                reports.c.published,
                articles.c.title,
                articles.c.url,
            )
            .select_from(reports)
            .join(statements, statements.c.id == reports.c.statement_id)
            .join(articles, articles.c.id == reports.c.article_id)
            .outerjoin(speakers, speakers.c.id == statements.c.speaker_id)
            .where(reports.c.id.in_(page))
        )
        found = {r.report_id: r for r in conn.execute(query)}
        rows = [found[i] for i in page if i in found]
        names = carriers_in(conn, [r.id for r in rows])
    return [
        Hit(
            statement_id=r.id,
            speaker=r.canonical or r.speaker_text,
            speaker_id=r.speaker_id,
            date=r.published,
            outlet=r.outlet,
            content=r.content,
            type=r.type,
            outlets=r.outlets,
            carried_by=names.get(r.id, []),
            reports=r.reports,
            article_title=r.title,
            article_url=r.url,
        )
        for r in rows
    ]


def others_match(store: Store, filters: Filters, shown: int) -> bool:
    """Whether statements of the kinds ``filters`` leaves out match too, once all
    ``shown`` statements it lets in are shown: a view says so, rather than let them be
    silently missing.  (Some do when a search of every kind finds more than ``shown``.)"""
    if filters.categories is None:
        return False
    return bool(search(store, replace(filters, categories=None), limit=1, offset=shown))
