"""Reading the statement database: search, speakers, one statement, export.

Every function takes an open :class:`~onrecord.store.Store` and returns plain typed
records, so the CLI, the API and the web pages share the same queries.  User input only
ever reaches SQL as bound parameters; full-text queries are reduced to words first.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from sqlalchemy import and_, func, or_, select, text

from ..store import Store
from ..store.canonical import fold
from ..store.fulltext import match_clause
from ..store.schema import articles, reports, speaker_merges, speakers, statements

TYPES = ("direct", "indirect", "mixed")


@dataclass(frozen=True)
class Filters:
    """What a search narrows to; every field optional."""

    query: str | None = None
    speaker: str | None = None
    outlet: str | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None  # YYYY-MM-DD, inclusive
    type: str | None = None
    category: str | None = None  # "speech" for quotations only


@dataclass(frozen=True)
class Hit:
    statement_id: int
    speaker: str | None  # canonical name, or the mention as written when unnamed
    speaker_id: int | None
    date: str | None
    outlet: str | None
    content: str
    type: str
    outlets: int  # how many outlets carried the statement
    reports: int
    article_title: str | None
    article_url: str | None

    def to_dict(self) -> dict:
        return asdict(self)


def _speaker_ids(conn, name: str) -> list[int]:
    """Speakers a user's name means: the canonical name, or any word of it."""
    norm = fold(name)
    if not norm:
        return []
    rows = conn.execute(
        select(speakers.c.id).where(
            or_(
                speakers.c.norm == norm,
                speakers.c.surname == norm,
                speakers.c.norm.like(f"%{_escape(norm)}%", escape="\\"),
            )
        )
    ).scalars()
    return list(rows)


def _escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(conn, dialect: str, f: Filters) -> tuple[list, dict] | None:
    """WHERE conditions on ``reports`` for the filters; None when nothing can match."""
    conditions: list = []
    params: dict = {}
    if f.query:
        clause = match_clause(dialect, f.query)
        if clause is not None:
            sql, p = clause
            conditions.append(text(sql))
            params.update(p)
    if f.speaker:
        ids = _speaker_ids(conn, f.speaker)
        if not ids:
            return None
        conditions.append(reports.c.speaker_id.in_(ids))
    if f.outlet:
        conditions.append(func.lower(reports.c.outlet) == f.outlet.lower())
    if f.since:
        conditions.append(reports.c.published >= f.since)
    if f.until:
        conditions.append(reports.c.published <= f.until)
    if f.type:
        conditions.append(reports.c.type == f.type)
    if f.category:
        conditions.append(reports.c.cue_category == f.category)
    return conditions, params


def search(store: Store, filters: Filters, limit: int = 20, offset: int = 0) -> list[Hit]:
    """Statements whose reports match, newest report first, one hit per statement."""
    with store.engine.connect() as conn:
        built = _conditions(conn, store.dialect, filters)
        if built is None:
            return []
        conditions, params = built
        # The newest matching report of each statement stands for it.
        newest = (
            select(
                reports.c.statement_id,
                func.max(reports.c.id).label("report_id"),
            )
            .where(and_(*conditions))
            .group_by(reports.c.statement_id)
            .subquery()
        )
        query = (
            select(
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
            .select_from(newest)
            .join(reports, reports.c.id == newest.c.report_id)
            .join(statements, statements.c.id == newest.c.statement_id)
            .join(articles, articles.c.id == reports.c.article_id)
            .outerjoin(speakers, speakers.c.id == statements.c.speaker_id)
            .order_by(reports.c.published.desc(), reports.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        rows = conn.execute(query, params).all()
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
            reports=r.reports,
            article_title=r.title,
            article_url=r.url,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class SpeakerInfo:
    id: int
    name: str
    kind: str
    statements: int
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    why: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def list_speakers(
    store: Store, query: str | None = None, limit: int = 50, why: bool = False
) -> list[SpeakerInfo]:
    """Canonical speakers (matching ``query`` if given), most statements first."""
    with store.engine.connect() as conn:
        q = select(speakers).order_by(speakers.c.statements.desc(), speakers.c.name)
        if query:
            ids = _speaker_ids(conn, query)
            if not ids:
                return []
            q = q.where(speakers.c.id.in_(ids))
        rows = conn.execute(q.limit(limit)).all()
        out = []
        for r in rows:
            seen = conn.execute(
                select(reports.c.speaker_text, reports.c.speaker_name, reports.c.speaker_role)
                .where(reports.c.speaker_id == r.id)
                .limit(2000)
            ).all()
            aliases = _ranked(
                [a for row in seen for a in (row.speaker_text, row.speaker_name) if _alias(a)]
            )
            roles = _ranked([row.speaker_role for row in seen if row.speaker_role])
            reasons = []
            if why:
                reasons = [
                    {
                        "alias": m.alias,
                        "reason": m.reason,
                        "article": m.title or m.url or m.source,
                        "article_id": m.article_id,
                    }
                    for m in conn.execute(
                        select(
                            speaker_merges.c.alias,
                            speaker_merges.c.reason,
                            speaker_merges.c.article_id,
                            articles.c.title,
                            articles.c.url,
                            articles.c.source,
                        )
                        .outerjoin(articles, articles.c.id == speaker_merges.c.article_id)
                        .where(speaker_merges.c.speaker_id == r.id)
                        .order_by(speaker_merges.c.id)
                    )
                ]
            out.append(
                SpeakerInfo(
                    id=r.id,
                    name=r.name,
                    kind=r.kind,
                    statements=r.statements,
                    aliases=aliases,
                    roles=roles,
                    why=reasons,
                )
            )
    return out


_PRONOUNS = frozenset("he she they it who which that i we you him her them".split())


def _alias(a: str | None) -> bool:
    return bool(a) and a.lower() not in _PRONOUNS


def _ranked(values: list[str]) -> list[str]:
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return sorted(counts, key=lambda v: (-counts[v], v))


@dataclass(frozen=True)
class Report:
    id: int
    article_id: int
    key: str
    outlet: str | None
    published: str | None
    title: str | None
    url: str | None
    source: str | None
    speaker_text: str | None
    speaker_name: str | None
    speaker_role: str | None
    cue: str | None
    content: str
    channel: str | None
    relay_chain: list[str]
    time: str | None
    record: dict

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class StatementView:
    id: int
    speaker: str | None
    speaker_id: int | None
    content: str
    type: str
    first_seen: str | None
    outlets: int
    reports: list[Report]

    def to_dict(self) -> dict:
        return asdict(self)


def relay_chain(report_row, by_key: dict[str, dict]) -> list[str]:
    """Who passed the statement on, from the speaker to the outlet that published it:
    ['Ramzan Kadyrov', 'Interfax', 'TASS', 'The Moscow Times']."""
    chain = [report_row["speaker_name"] or report_row["speaker_text"] or "(unnamed)"]
    channel = report_row["channel"]
    if channel and channel[:1].isupper():  # an outlet or platform, not "statement"
        chain.append(channel)
    seen = {report_row["key"]}
    relay_key, relay_name = report_row["relay_key"], report_row["relay_name"]
    while relay_name or relay_key:
        if relay_name and relay_name not in chain:
            chain.append(relay_name)
        carrier = by_key.get(relay_key) if relay_key else None
        if carrier is None or carrier["key"] in seen:
            break
        seen.add(carrier["key"])
        relay_key, relay_name = carrier["relay_key"], carrier["relay_name"]
    if report_row["outlet"] and report_row["outlet"] != chain[-1]:
        chain.append(report_row["outlet"])
    return chain


def statement(store: Store, statement_id: int) -> StatementView | None:
    """One statement with every report of it, oldest first, and their relay chains."""
    with store.engine.connect() as conn:
        st = conn.execute(
            select(statements, speakers.c.name.label("canonical"))
            .outerjoin(speakers, speakers.c.id == statements.c.speaker_id)
            .where(statements.c.id == statement_id)
        ).first()
        if st is None:
            return None
        rows = conn.execute(
            select(reports, articles.c.title, articles.c.url, articles.c.source)
            .join(articles, articles.c.id == reports.c.article_id)
            .where(reports.c.statement_id == statement_id)
            .order_by(reports.c.published.is_(None), reports.c.published, reports.c.id)
        ).all()
        views = []
        for r in rows:
            siblings = {
                s.key: dict(s._mapping)
                for s in conn.execute(
                    select(
                        reports.c.key,
                        reports.c.relay_key,
                        reports.c.relay_name,
                        reports.c.speaker_name,
                        reports.c.speaker_text,
                    ).where(reports.c.article_id == r.article_id)
                )
            }
            m = dict(r._mapping)
            views.append(
                Report(
                    id=r.id,
                    article_id=r.article_id,
                    key=r.key,
                    outlet=r.outlet,
                    published=r.published,
                    title=r.title,
                    url=r.url,
                    source=r.source,
                    speaker_text=r.speaker_text,
                    speaker_name=r.speaker_name,
                    speaker_role=r.speaker_role,
                    cue=r.cue,
                    content=r.content,
                    channel=r.channel,
                    relay_chain=relay_chain(m, siblings),
                    time=r.time_date or r.time_text,
                    record=json.loads(r.record),
                )
            )
    return StatementView(
        id=st.id,
        speaker=st.canonical or (views[0].speaker_text if views else None),
        speaker_id=st.speaker_id,
        content=st.content,
        type=st.type,
        first_seen=st.first_seen,
        outlets=st.outlets,
        reports=views,
    )


EXPORT_COLUMNS = (
    "report_id",
    "statement_id",
    "speaker",
    "speaker_text",
    "speaker_role",
    "cue",
    "content",
    "type",
    "channel",
    "relay",
    "time",
    "outlet",
    "published",
    "title",
    "url",
    "confidence",
    "statement_outlets",
)


def export_rows(store: Store, filters: Filters, batch: int = 5000) -> Iterator[dict]:
    """Every matching report, one flat row each, streamed."""
    with store.engine.connect() as conn:
        built = _conditions(conn, store.dialect, filters)
        if built is None:
            return
        conditions, params = built
        query = (
            select(
                reports.c.id,
                reports.c.statement_id,
                speakers.c.name,
                reports.c.speaker_text,
                reports.c.speaker_role,
                reports.c.cue,
                reports.c.content,
                reports.c.type,
                reports.c.channel,
                reports.c.relay_name,
                reports.c.time_date,
                reports.c.time_text,
                reports.c.outlet,
                reports.c.published,
                articles.c.title,
                articles.c.url,
                reports.c.confidence,
                statements.c.outlets,
            )
            .join(articles, articles.c.id == reports.c.article_id)
            .join(statements, statements.c.id == reports.c.statement_id)
            .outerjoin(speakers, speakers.c.id == reports.c.speaker_id)
            .where(and_(*conditions))
            .order_by(reports.c.id)
        )
        result = conn.execution_options(stream_results=True).execute(query, params)
        for r in result.yield_per(batch):
            yield {
                "report_id": r[0],
                "statement_id": r[1],
                "speaker": r[2],
                "speaker_text": r[3],
                "speaker_role": r[4],
                "cue": r[5],
                "content": r[6],
                "type": r[7],
                "channel": r[8],
                "relay": r[9],
                "time": r[10] or r[11],
                "outlet": r[12],
                "published": r[13],
                "title": r[14],
                "url": r[15],
                "confidence": r[16],
                "statement_outlets": r[17],
            }
