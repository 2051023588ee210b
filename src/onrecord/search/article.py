"""One article with every statement record in it."""

from __future__ import annotations

import json

from sqlalchemy import select

from ..store import Store
from ..store.schema import articles, reports
from .results import ArticleView


def article(store: Store, article_id: int) -> ArticleView | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
        if row is None:
            return None
        found = conn.execute(
            select(reports.c.record, reports.c.statement_id, reports.c.speaker_id)
            .where(reports.c.article_id == article_id)
            .order_by(reports.c.id)
        ).all()
    records = []
    for r in found:
        record = json.loads(r.record)
        record["statement_id"] = r.statement_id
        record["speaker_id"] = r.speaker_id
        records.append(record)
    return ArticleView(
        id=row.id,
        url=row.url,
        title=row.title,
        outlet=row.outlet,
        published=row.published,
        source=row.source,
        text=row.text,
        statements=records,
        detector=row.detector,
    )
