"""Detail views over the database: a speaker's profile and one article with its
statements.  Shared by the API and the web pages."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select

from ..store import Store
from ..store.schema import articles, reports, speaker_merges, speakers
from . import _alias as alias

# Words too common to say what a speaker talks about.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own same she should so some such than that
    the their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves said says say told will would could should may might
    must shall us one two also there's it's we're they're don't can't won't i'm""".split()
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


@dataclass(frozen=True)
class SpeakerProfile:
    id: int
    name: str
    kind: str
    statements: int
    aliases: list[str]
    roles: list[str]
    timeline: list[tuple[str, int]]  # (YYYY-MM, statements)
    terms: list[tuple[str, int]]
    outlets: list[tuple[str, int]]
    why: list[dict] = field(default_factory=list)
    recent: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def speaker_profile(store: Store, speaker_id: int, recent: int = 20) -> SpeakerProfile | None:
    with store.engine.connect() as conn:
        sp = conn.execute(select(speakers).where(speakers.c.id == speaker_id)).first()
        if sp is None:
            return None
        month = func.substr(reports.c.published, 1, 7)
        timeline = [
            (m, n)
            for m, n in conn.execute(
                select(month, func.count())
                .where(reports.c.speaker_id == speaker_id, reports.c.published.is_not(None))
                .group_by(month)
                .order_by(month)
            )
        ]
        outlets = [
            (o, n)
            for o, n in conn.execute(
                select(reports.c.outlet, func.count())
                .where(reports.c.speaker_id == speaker_id, reports.c.outlet.is_not(None))
                .group_by(reports.c.outlet)
                .order_by(func.count().desc(), reports.c.outlet)
                .limit(15)
            )
        ]
        rows = conn.execute(
            select(
                reports.c.statement_id,
                reports.c.content,
                reports.c.speaker_text,
                reports.c.speaker_name,
                reports.c.speaker_role,
                reports.c.published,
                reports.c.outlet,
                reports.c.type,
            )
            .where(reports.c.speaker_id == speaker_id)
            .order_by(
                reports.c.published.is_(None), reports.c.published.desc(), reports.c.id.desc()
            )
            .limit(2000)
        ).all()
        why = [
            {"alias": m.alias, "reason": m.reason, "article_id": m.article_id}
            for m in conn.execute(
                select(speaker_merges).where(speaker_merges.c.speaker_id == speaker_id)
            )
        ]
    aliases = Counter(a for r in rows for a in {r.speaker_text, r.speaker_name} if alias(a))
    roles = Counter(r.speaker_role for r in rows if r.speaker_role)
    terms = Counter(
        w
        for r in rows
        for w in (m.group(0).lower().strip("'’-") for m in _WORD.finditer(r.content))
        if len(w) > 2 and w not in STOPWORDS
    )
    seen: set[int] = set()
    latest = []
    for r in rows:
        if r.statement_id in seen:
            continue
        seen.add(r.statement_id)
        latest.append(
            {
                "statement_id": r.statement_id,
                "content": r.content,
                "date": r.published,
                "outlet": r.outlet,
                "type": r.type,
            }
        )
        if len(latest) >= recent:
            break
    return SpeakerProfile(
        id=sp.id,
        name=sp.name,
        kind=sp.kind,
        statements=sp.statements,
        aliases=[a for a, _ in aliases.most_common(20)],
        roles=[r for r, _ in roles.most_common(10)],
        timeline=timeline,
        terms=terms.most_common(20),
        outlets=outlets,
        why=why,
        recent=latest,
    )


@dataclass(frozen=True)
class ArticleView:
    id: int
    url: str | None
    title: str | None
    outlet: str | None
    published: str | None
    source: str | None
    text: str
    statements: list[dict]  # the statement records, each with "statement_id", "speaker_id"

    def to_dict(self) -> dict:
        return asdict(self)


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
    )
