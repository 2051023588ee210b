"""How search walks the reports that match a plan: newest first, in growing batches.

A hit is a statement.  The newest of its matching reports stands for it — by
publication date, then by the order reports were stored, undated reports last — and
hits come in the order of those reports.  Rather than group every matching report (a
common word matches tens of thousands of a million), search walks the matching
reports newest first, in growing batches, keeping the first report of each statement
until the page is full; reports of one statement cluster in time, so a page of 20
rarely needs more than 40 reports.  What the walk follows is chosen per query:

* PostgreSQL: one ordered query with every condition, planned from the server's
  statistics (custom plans only: a generic plan cannot tell a common word from a rare
  one, and chooses badly for one or the other).
* SQLite, no words: the index of the speaker or the outlet filter, whichever has
  fewer reports (a speaker given by several ids: one ordered walk per id, merged),
  else the date index; the other conditions are checked row by row.
* SQLite, words: the FTS table, whose rowids are in search order (fulltext.py; a date
  range is a rowid range), checking the other conditions on each batch; or, when a
  speaker or outlet filter is the cheaper way in (a small cost model below), that
  filter's walk, asking the FTS table which of its reports have the words.
"""

from __future__ import annotations

import heapq
import itertools
import json
from collections.abc import Iterator

from sqlalchemy import text

from ..store import fulltext
from .plan import Plan

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


def _newest_first(row) -> tuple:
    return (row.published is not None, row.published or "", row.id)


def _walk(
    conn, p: Plan, conds: list[str], size: int, key: bool = False, fence: bool = False
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


def _filter_walk(conn, p: Plan, driver: str | None, size: int, key: bool = False) -> Iterator:
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


def _fts_range(p: Plan) -> str:
    out = ""
    if p.low is not None:
        out += f" AND rowid >= {int(p.low)}"
    if p.high is not None:
        out += f" AND rowid <= {int(p.high)}"
    return out


def _fts_walk(conn, p: Plan, size: int) -> Iterator[tuple[int, int]]:
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


def _fts_probe(conn, p: Plan, driver: str, size: int, read_all: bool) -> Iterator[tuple[int, int]]:
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


def _fewest(conn, p: Plan) -> tuple[str | None, int]:
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


def _estimate(conn, p: Plan, conds: list[str]) -> float:
    """The PostgreSQL planner's estimate of the reports meeting ``conds``."""
    where = " AND ".join(conds) or "TRUE"
    plan = conn.execute(
        text(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM reports WHERE {where}"), p.params
    ).scalar()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


def _fence_for_postgres(conn, p: Plan, size: int) -> bool:
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


def matching(conn, p: Plan, need: int) -> Iterator[tuple[int, int]]:
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
