"""One article with its statement records: of the kinds shown by default (speech and
belief), or of every kind."""

from __future__ import annotations

import json

from sqlalchemy import select

from ..records import DEFAULT_CATEGORIES
from ..store import Store
from ..store.schema import articles, reports
from .results import ArticleView


def article(store: Store, article_id: int, all_kinds: bool = False) -> ArticleView | None:
    """The article, its statement records of the kinds shown by default or of every kind
    (``all_kinds``), and how many of other kinds were left out."""
    with store.engine.connect() as conn:
        row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
        if row is None:
            return None
        found = conn.execute(
            select(
                reports.c.record,
                reports.c.statement_id,
                reports.c.speaker_id,
                reports.c.cue_category,
            )
            .where(reports.c.article_id == article_id)
            .order_by(reports.c.id)
        ).all()
    records = []
    left_out = 0
    for r in found:
        if not all_kinds and r.cue_category not in DEFAULT_CATEGORIES:
            left_out += 1
            continue
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
        other_kinds=left_out,
    )
