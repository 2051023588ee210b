"""One statement with every report of it and the relay chain of each."""

from __future__ import annotations

import json

from sqlalchemy import select

from ..store import Store
from ..store.schema import articles, reports, speakers, statements
from .carriers import carrier_name, distinct_carriers
from .results import Report, StatementView


def statement(store: Store, statement_id: int) -> StatementView | None:
    """One statement with every report of it, oldest first, and their relay chains:
    three queries however many reports (the statement, its reports, and the reports of
    their articles that a relay chain may pass through)."""
    with store.engine.connect() as conn:
        st = conn.execute(
            select(statements, speakers.c.name.label("canonical"))
            .outerjoin(speakers, speakers.c.id == statements.c.speaker_id)
            .where(statements.c.id == statement_id)
        ).first()
        if st is None:
            return None
        rows = conn.execute(
            select(
                reports,
                articles.c.title,
                articles.c.url,
                articles.c.source,
                speakers.c.name.label("canonical"),
            )
            .join(articles, articles.c.id == reports.c.article_id)
            .outerjoin(speakers, speakers.c.id == reports.c.speaker_id)
            .where(reports.c.statement_id == statement_id)
            .order_by(reports.c.published.is_(None), reports.c.published, reports.c.id)
        ).all()
        siblings = _relays_by_article(conn, sorted({r.article_id for r in rows}))
    views = [
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
            relay_chain=relay_chain(r._mapping, siblings.get(r.article_id, {})),
            time=r.time_date or r.time_text,
            record=json.loads(r.record),
        )
        for r in rows
    ]
    return StatementView(
        id=st.id,
        speaker=st.canonical or (views[0].speaker_text if views else None),
        speaker_id=st.speaker_id,
        content=st.content,
        type=st.type,
        first_seen=st.first_seen,
        outlets=st.outlets,
        carried_by=distinct_carriers(carrier_name(vars(r)) for r in views),
        reports=views,
    )


def _relays_by_article(conn, article_ids: list[int]) -> dict[int, dict[str, dict]]:
    """Every report of the articles, by article and by its key in the article ("s3"):
    what a relay chain follows."""
    found: dict[int, dict[str, dict]] = {}
    for s in conn.execute(
        select(
            reports.c.article_id,
            reports.c.key,
            reports.c.relay_key,
            reports.c.relay_name,
        ).where(reports.c.article_id.in_(article_ids))
    ):
        found.setdefault(s.article_id, {})[s.key] = dict(s._mapping)
    return found


def relay_chain(report_row, by_key: dict[str, dict]) -> list[str]:
    """Who passed the statement on, from the speaker to the outlet that published it:
    ['Ramzan Kadyrov', 'Interfax', 'TASS', 'The Moscow Times']."""
    chain = [
        report_row.get("canonical")
        or report_row["speaker_name"]
        or report_row["speaker_text"]
        or "(unnamed)"
    ]
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
