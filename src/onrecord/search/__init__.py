"""Reading the statement database: search, speakers, one statement, export.

Every function takes an open :class:`~onrecord.store.Store` and returns plain typed
records, so the CLI, the API and the web pages share the same queries.  User input only
ever reaches SQL as bound parameters; full-text queries are reduced to words first.
"""

from __future__ import annotations

import heapq
import itertools
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from sqlalchemy import and_, func, or_, select, text, true

from ..ingest.urls import url_problem
from ..store import Store, fulltext
from ..store.canonical import PRONOUNS, fold, fold_organisation
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
    """Speakers a user's name means: the name as stored ("Elena Lindqvist"), the name
    without its title or an organisation without its descriptor ("Mayor Lindqvist",
    "the Nordpress news agency"), a surname, or a part of a name.  A title narrows
    several people with one surname to those known by it."""
    from ..enrich.mentions import organisation_name, strip_titles

    titles, words = strip_titles(name.split())
    org = organisation_name(name)
    forms = {fold(name), fold(" ".join(words)), fold(org), fold_organisation(org)} - {""}
    if not forms:
        return []
    full = {f for f in forms if len(f.split()) > 1}
    if full:  # a full name means that person only, when there is one
        exact = list(conn.execute(select(speakers.c.id).where(speakers.c.norm.in_(full))).scalars())
        if exact:
            return exact
    found = list(
        conn.execute(
            select(speakers.c.id).where(
                or_(
                    speakers.c.norm.in_(forms),
                    speakers.c.surname.in_(forms),
                    *(speakers.c.norm.like(f"%{_escape(f)}%", escape="\\") for f in forms),
                )
            )
        ).scalars()
    )
    if titles and len(found) > 1:
        wanted = {fold(t) for t in titles}
        roles = conn.execute(
            select(reports.c.speaker_id, reports.c.speaker_role)
            .where(reports.c.speaker_id.in_(found), reports.c.speaker_role.is_not(None))
            .distinct()
        )
        titled = {r.speaker_id for r in roles if wanted & set(fold(r.speaker_role).split())}
        if titled:
            return sorted(titled)
    return found


def _escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(conn, dialect: str, f: Filters) -> tuple[list, dict] | None:
    """WHERE conditions on ``reports`` for the filters; None when nothing can match."""
    conditions: list = []
    params: dict = {}
    if f.query:
        clause = match_clause(dialect, f.query, fulltext.layout(conn))
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


# -- search ------------------------------------------------------------------------------
#
# A hit is a statement.  The newest of its matching reports stands for it — by
# publication date, then by the order reports were stored, undated reports last — and
# hits come in the order of those reports.  Rather than group every matching report (a
# common word matches tens of thousands of a million), search walks the matching
# reports newest first, in growing batches, keeping the first report of each statement
# until the page is full; reports of one statement cluster in time, so a page of 20
# rarely needs more than 40 reports.  What the walk follows is chosen per query:
#
# * PostgreSQL: one ordered query with every condition, planned from the server's
#   statistics (custom plans only: a generic plan cannot tell a common word from a rare
#   one, and chooses badly for one or the other).
# * SQLite, no words: the index of the speaker or the outlet filter, whichever has
#   fewer reports (a speaker given by several ids: one ordered walk per id, merged),
#   else the date index; the other conditions are checked row by row.
# * SQLite, words: the FTS table, whose rowids are in search order (fulltext.py; a date
#   range is a rowid range), checking the other conditions on each batch; or, when a
#   speaker or outlet filter is the cheaper way in (a small cost model below), that
#   filter's walk, asking the FTS table which of its reports have the words.

_FIRST_BATCH = 64
_MAX_BATCH = 50_000
_COUNT_CAP = 20_000  # filters are counted up to this many reports
_INTERSECT = 60_000  # words with fewer matches may be read whole to check a filter's reports
_PROBE = 200  # a filter's reports checked against the FTS table at once
# Costs in microseconds (SQLite, 1M reports, warm, measured with
# benchmarks/store_speed.py): a report reached through the FTS table or through an
# index; one FTS match read when reading all of them; one report checked against the
# FTS table on its own.
_COST_ROW, _COST_MATCH, _COST_PROBE = 2.5, 0.45, 30.0


@dataclass
class _Plan:
    dialect: str
    layout: str
    params: dict = field(default_factory=dict)
    fts: str | None = None  # FTS5 expression (SQLite, keyed layout)
    words: str | None = None  # the words as a condition on reports (other layouts)
    speaker_ids: list[int] = field(default_factory=list)
    outlet: str | None = None
    rest: list[str] = field(default_factory=list)  # type, category
    dates: list[str] = field(default_factory=list)
    low: int | None = None  # search-key range of the dates (SQLite)
    high: int | None = None

    @property
    def speaker(self) -> str | None:
        if not self.speaker_ids:
            return None
        return (
            f"reports.speaker_id IN ({', '.join(f':sp{i}' for i in range(len(self.speaker_ids)))})"
        )

    def rows(self, off: tuple[str, ...] = (), skip: tuple[str, ...] = ()) -> list[str]:
        """Every condition but the words; those named in ``skip`` left out, those in
        ``off`` kept from choosing the index (SQLite's unary +)."""
        out = []
        for name in ("speaker", "outlet"):
            cond = getattr(self, name)
            if cond and name not in skip:
                out.append("+" + cond if name in off else cond)
        return out + self.rest + self.dates


def _plan(conn, dialect: str, f: Filters) -> _Plan | None:
    p = _Plan(dialect, fulltext.layout(conn))
    if f.query:
        if p.layout == fulltext.KEYED:
            p.fts = fulltext.fts5_query(f.query)
            if p.fts:
                p.params["fts"] = p.fts
        else:
            clause = match_clause(dialect, f.query, p.layout)
            if clause:
                p.words, params = clause
                p.params.update(params)
    if f.speaker:
        p.speaker_ids = _speaker_ids(conn, f.speaker)
        if not p.speaker_ids:
            return None
        p.params.update({f"sp{i}": v for i, v in enumerate(p.speaker_ids)})
    if f.outlet:
        p.outlet = "lower(reports.outlet) = :outlet"
        p.params["outlet"] = f.outlet.lower()
    for name, column in (("type", "type"), ("category", "cue_category")):
        value = getattr(f, name)
        if value:
            p.rest.append(f"reports.{column} = :{name}")
            p.params[name] = value
    if f.since:
        p.dates.append("reports.published >= :since")
        p.params["since"] = f.since
    if f.until:
        p.dates.append("reports.published <= :until")
        p.params["until"] = f.until
    if p.fts and p.dates:
        low, high = fulltext.day_key(f.since), fulltext.day_key(f.until, end=True)
        if (f.since is None or low is not None) and (f.until is None or high is not None):
            # Also the FTS rowid range (the conditions stay, and agree: undated out).
            p.low = max(low or 0, fulltext.NO_DATE_END)
            p.high = high
    return p


def _newest_first(row) -> tuple:
    return (row.published is not None, row.published or "", row.id)


def _walk(
    conn, p: _Plan, conds: list[str], size: int, key: bool = False, fence: bool = False
) -> Iterator:
    """The reports meeting ``conds`` (id, statement_id, published and, with ``key``,
    the search key k), newest first, in batches growing from ``size``.  ``fence``
    (PostgreSQL): find every matching report first, then sort, rather than walk the
    date index and test each report."""
    where = " AND ".join(conds) + " AND " if conds else ""
    columns = "reports.id, reports.statement_id, reports.published"
    if key:
        columns += f", {fulltext.key_sql('reports')} AS k"

    def ordered(cond: str, order: str) -> str:
        sql = f"SELECT {columns} FROM reports WHERE {where}{cond}"
        if not fence:
            return f"{sql} ORDER BY {order} LIMIT {size}"
        outer = order.replace("reports.", "s.")
        return f"SELECT * FROM ({sql} OFFSET 0) AS s ORDER BY {outer} LIMIT {size}"

    after: tuple | None = None
    while True:  # dated reports, keyset paging on (published, id)
        page = ""
        params = dict(p.params)
        if after:
            page = " AND reports.published <= :kp AND (reports.published < :kp OR reports.id < :ki)"
            params.update(kp=after[0], ki=after[1])
        rows = conn.execute(
            text(
                ordered(
                    f"reports.published IS NOT NULL{page}",
                    "reports.published DESC, reports.id DESC",
                )
            ),
            params,
        ).all()
        yield from rows
        if len(rows) < size:
            break
        after = (rows[-1].published, rows[-1].id)
        size = min(size * 4, _MAX_BATCH)
    if p.dates:
        return  # a date filter leaves undated reports out
    last: int | None = None
    while True:
        page = " AND reports.id < :ki" if last is not None else ""
        rows = conn.execute(
            text(ordered(f"reports.published IS NULL{page}", "reports.id DESC")),
            {**p.params, "ki": last},
        ).all()
        yield from rows
        if len(rows) < size:
            break
        last = rows[-1].id
        size = min(size * 4, _MAX_BATCH)


def _filter_walk(conn, p: _Plan, driver: str | None, size: int, key: bool = False) -> Iterator:
    """The reports meeting every condition but the words, newest first, following the
    index of ``driver`` ("speaker", "outlet"; None: the date index)."""
    off = tuple(n for n in ("speaker", "outlet") if n != driver)
    if driver == "speaker" and len(p.speaker_ids) > 1:
        # One ordered walk per speaker id, merged (SQLite cannot merge them itself).
        rest = ([p.words] if p.words else []) + p.rows(skip=("speaker",), off=off)
        walks = [
            _walk(conn, p, [f"reports.speaker_id = :sp{i}", *rest], size, key)
            for i in range(len(p.speaker_ids))
        ]
        return heapq.merge(*walks, key=_newest_first, reverse=True)
    return _walk(conn, p, ([p.words] if p.words else []) + p.rows(off=off), size, key)


def _fts_range(p: _Plan) -> str:
    out = ""
    if p.low is not None:
        out += f" AND rowid >= {int(p.low)}"
    if p.high is not None:
        out += f" AND rowid <= {int(p.high)}"
    return out


def _fts_walk(conn, p: _Plan, size: int) -> Iterator[tuple[int, int]]:
    """The reports with the words, newest first, straight from the FTS table; the other
    conditions are checked on each batch."""
    check = " AND ".join(["reports.id IS NOT NULL", *(f"({c})" for c in p.rows())])
    after: int | None = None
    while True:
        page = f" AND rowid < {int(after)}" if after is not None else ""
        rows = conn.execute(
            text(
                f"SELECT m.k, reports.statement_id, ({check}) AS ok FROM "
                "(SELECT rowid AS k FROM reports_fts WHERE reports_fts MATCH :fts"
                f"{_fts_range(p)}{page} ORDER BY rowid DESC LIMIT {size}) AS m "
                f"LEFT JOIN reports ON reports.id = (m.k & {fulltext.ID_MASK}) "
                "ORDER BY m.k DESC"
            ),
            p.params,
        ).all()
        for k, statement_id, ok in rows:
            if ok:
                yield k & fulltext.ID_MASK, statement_id
        if len(rows) < size:
            break
        after = rows[-1].k
        size = min(size * 4, _MAX_BATCH)


def _fts_probe(conn, p: _Plan, driver: str, size: int, read_all: bool) -> Iterator[tuple[int, int]]:
    """A filter's reports, newest first, those with the words: checked against all the
    matches read at once (``read_all``), or against the FTS table a chunk at a time."""
    fts = f"SELECT rowid FROM reports_fts WHERE reports_fts MATCH :fts{_fts_range(p)}"
    known = set(conn.execute(text(fts), p.params).scalars()) if read_all else None
    rows = _filter_walk(conn, p, driver, size, key=True)
    while chunk := list(itertools.islice(rows, _PROBE)):
        if known is None:
            listed = ", ".join(str(int(r.k)) for r in chunk)
            hit = set(conn.execute(text(f"{fts} AND rowid IN ({listed})"), p.params).scalars())
        else:
            hit = known
        yield from ((r.id, r.statement_id) for r in chunk if r.k in hit)


def _count(conn, sql: str, params: dict, cap: int) -> int:
    return conn.execute(text(f"SELECT count(*) FROM ({sql} LIMIT {cap})"), params).scalar()


def _fewest(conn, p: _Plan) -> tuple[str | None, int]:
    """The speaker or outlet filter with the fewest reports (counted up to a cap)."""
    best, fewest = None, _COUNT_CAP
    for name in ("speaker", "outlet"):
        cond = getattr(p, name)
        if cond:
            sql = f"SELECT 1 FROM reports WHERE {' AND '.join([cond, *p.dates])}"
            n = _count(conn, sql, p.params, _COUNT_CAP)
            if best is None or n < fewest:
                best, fewest = name, n
    return best, fewest


def _estimate(conn, p: _Plan, conds: list[str]) -> float:
    """The PostgreSQL planner's estimate of the reports meeting ``conds``."""
    where = " AND ".join(conds) or "TRUE"
    plan = conn.execute(
        text(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM reports WHERE {where}"), p.params
    ).scalar()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


def _fence_for_postgres(conn, p: _Plan, size: int) -> bool:
    """Whether to read every report with the words and sort them, rather than let the
    planner walk an ordered index testing the words on each report it passes — which
    it prefers under a LIMIT even when the words are rare.  From its own estimates:
    reading the matches costs about 1.8 us a report, the walk 0.65 us for each report
    it passes (measured on 1M reports)."""
    rest = p.rows()
    matches = _estimate(conn, p, [p.words])
    walked = _estimate(conn, p, rest)
    found = _estimate(conn, p, [p.words, *rest])
    passed = min(walked, size * walked / max(found, 1.0))
    return matches * 1.8 < passed * 0.65


def _matching(conn, p: _Plan, need: int) -> Iterator[tuple[int, int]]:
    """(report id, statement id) of the matching reports, newest first."""
    size = max(2 * need, _FIRST_BATCH)
    if p.dialect != "sqlite":
        conds = ([p.words] if p.words else []) + p.rows()
        fence = bool(p.words) and _fence_for_postgres(conn, p, size)
        return ((r.id, r.statement_id) for r in _walk(conn, p, conds, size, fence=fence))
    driver, few = _fewest(conn, p)
    if not p.fts:
        return ((r.id, r.statement_id) for r in _filter_walk(conn, p, driver, size))
    if driver is None:
        return _fts_walk(conn, p, size)
    # Words and a speaker or outlet: walk the FTS table checking the filter, or walk
    # the filter's reports checking the words (against all the matches read at once, or
    # a chunk at a time)?  Expected rows from the shares, assuming independence.
    fts = f"SELECT rowid FROM reports_fts WHERE reports_fts MATCH :fts{_fts_range(p)}"
    matches = _count(conn, fts, p.params, _INTERSECT)
    total = conn.execute(text("SELECT max(id) FROM reports")).scalar() or 1
    wanted = 2 * need  # reports, for need statements
    via_fts = wanted * total / max(few, 1)
    if matches < _INTERSECT:
        via_fts = min(via_fts, matches)
    via_filter = min(few, wanted * total / max(matches, 1))
    costs = {
        "fts": via_fts * _COST_ROW,
        "probe": via_filter * (_COST_ROW + _COST_PROBE),
    }
    if matches < _INTERSECT:
        costs["intersect"] = matches * _COST_MATCH + via_filter * _COST_ROW
    way = min(costs, key=costs.get)
    # The first batch: the rows expected, and some (a batch too small costs a query).
    expected = via_fts if way == "fts" else via_filter
    size = int(min(max(size, 1.25 * expected), _MAX_BATCH))
    if way == "fts":
        return _fts_walk(conn, p, size)
    return _fts_probe(conn, p, driver, size, read_all=way == "intersect")


def search(store: Store, filters: Filters, limit: int = 20, offset: int = 0) -> list[Hit]:
    """Statements whose reports match, newest report first, one hit per statement."""
    need = offset + limit
    with store.engine.connect() as conn:
        p = _plan(conn, store.dialect, filters)
        if p is None or limit <= 0:
            return []
        if p.dialect == "postgresql":
            conn.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        chosen: list[int] = []
        seen: set[int] = set()
        for report_id, statement_id in _matching(conn, p, need):
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


def _alias(a: str | None) -> bool:
    return bool(a) and a.lower() not in PRONOUNS


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


# Most names listed for the outlets that carried a statement.
MAX_CARRIERS = 10


def carriers(store: Store, statement_ids: list[int]) -> dict[int, list[str]]:
    """Who carried each statement, earliest first: its outlets, or for an article that
    names none, the article itself (its site, title or source)."""
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
    with store.engine.connect() as conn:
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
            .where(and_(true(), *conditions))
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
