"""Export: every matching report, one flat row each, by named columns.

The columns are one list, :data:`EXPORT`: the report fields declared for export in
store.schema.REPORT_FIELDS (``export``), placed among what comes from the statement, the
speaker and the article; a report field declared later comes after them all.  Each
column knows its kind (int, float or str), from which `onrecord export` types its
Parquet columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Float, Integer, func, select, text

from ..store import Store
from ..store.schema import REPORT_FIELDS, articles, reports, speakers, statements
from .filters import Filters
from .plan import plan


@dataclass(frozen=True)
class ExportColumn:
    name: str
    sql: object  # a SQLAlchemy column expression

    @property
    def kind(self) -> str:
        """int, float or str: what the column holds."""
        kind = getattr(self.sql, "type", None)
        if isinstance(kind, Integer):
            return "int"
        return "float" if isinstance(kind, Float) else "str"


def _columns() -> tuple[ExportColumn, ...]:
    fields = {f.export: reports.c[f.column] for f in REPORT_FIELDS if f.export}

    def declared(*names: str) -> list[ExportColumn]:
        return [ExportColumn(name, fields.pop(name)) for name in names]

    placed = [
        ExportColumn("report_id", reports.c.id),
        ExportColumn("statement_id", reports.c.statement_id),
        ExportColumn("speaker", speakers.c.name),  # canonical
        *declared(
            "speaker_text",
            "speaker_role",
            "cue",
            "cue_category",  # speech, belief …: export holds every kind
            "content",
            "type",
            "channel",
            "relay",
        ),
        # The date it resolves to, else the time as written.
        ExportColumn(
            "time", func.coalesce(func.nullif(reports.c.time_date, ""), reports.c.time_text)
        ),
        ExportColumn("outlet", reports.c.outlet),
        ExportColumn("published", reports.c.published),
        ExportColumn("title", articles.c.title),
        ExportColumn("url", articles.c.url),
        *declared("confidence"),
        ExportColumn("statement_outlets", statements.c.outlets),
        ExportColumn("detector", articles.c.detector),
    ]
    return (*placed, *(ExportColumn(name, column) for name, column in fields.items()))


EXPORT = _columns()
EXPORT_COLUMNS = tuple(c.name for c in EXPORT)


def export_rows(store: Store, filters: Filters, batch: int = 5000) -> Iterator[dict]:
    """Every matching report, one flat row each ({column: value}, in EXPORT's order),
    in the order stored, streamed."""
    with store.engine.connect() as conn:
        p = plan(conn, store.dialect, filters)
        if p is None:
            return
        query = (
            select(*(c.sql.label(c.name) for c in EXPORT))
            .select_from(reports)
            .join(articles, articles.c.id == reports.c.article_id)
            .join(statements, statements.c.id == reports.c.statement_id)
            .outerjoin(speakers, speakers.c.id == reports.c.speaker_id)
            .where(*(text(condition) for condition in p.where()))
            .order_by(reports.c.id)
        )
        result = conn.execution_options(stream_results=True).execute(query, p.params)
        for r in result.yield_per(batch):
            yield dict(r._mapping)
