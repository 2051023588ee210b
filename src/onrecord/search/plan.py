"""The one filter compiler: :class:`Filters` as SQL conditions on ``reports``.

Search (which walks the conditions newest first, walk.py) and export (which reads them
all in id order) share it.  User input reaches SQL only as bound parameters, full-text
queries reduced to words first (store.fulltext).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from ..store import fulltext
from ..store.fulltext import match_clause
from ..store.schema import REPORT_FIELDS
from .filters import Filters
from .speakers import speaker_ids

# The report fields a Filters field selects exactly: {filter name: column}.
EXACT = {f.filter: f.column for f in REPORT_FIELDS if f.filter}


@dataclass
class Plan:
    """The conditions of a search, each by name, with their parameters."""

    dialect: str
    layout: str  # store.fulltext.layout
    params: dict = field(default_factory=dict)
    match: str | None = None  # the words, as a condition on reports
    fts: str | None = None  # the words as an FTS5 expression (SQLite, keyed layout)
    speaker_ids: list[int] = field(default_factory=list)
    outlet: str | None = None
    rest: list[str] = field(default_factory=list)  # the exact fields: type, categories
    dates: list[str] = field(default_factory=list)
    low: int | None = None  # search-key range of the dates (SQLite)
    high: int | None = None

    @property
    def words(self) -> str | None:
        """The words as a condition for a walk over reports; None where the walk starts
        from the FTS table instead (the keyed layout)."""
        return None if self.fts else self.match

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

    def where(self) -> list[str]:
        """Every condition, the words included."""
        return ([self.match] if self.match else []) + self.rows()


def plan(conn, dialect: str, f: Filters) -> Plan | None:
    """The plan for ``f``; None when nothing can match (a speaker no one is, no
    category)."""
    p = Plan(dialect, fulltext.layout(conn))
    if f.query:
        clause = match_clause(dialect, f.query, p.layout)
        if clause:
            p.match, params = clause
            p.params.update(params)
            if p.layout == fulltext.KEYED:
                p.fts = fulltext.fts5_query(f.query)
    if f.speaker:
        p.speaker_ids = speaker_ids(conn, f.speaker)
        if not p.speaker_ids:
            return None
        p.params.update({f"sp{i}": v for i, v in enumerate(p.speaker_ids)})
    if f.outlet:
        p.outlet = "lower(reports.outlet) = :outlet"
        p.params["outlet"] = f.outlet.lower()
    for name in (x.name for x in fields(f) if x.name in EXACT):
        value = getattr(f, name)
        if isinstance(value, (set, frozenset)):  # one of these (categories)
            if not value:
                return None
            names = [f"eq_{name}{i}" for i in range(len(value))]
            p.rest.append(f"reports.{EXACT[name]} IN ({', '.join(':' + n for n in names)})")
            p.params.update(zip(names, sorted(value), strict=True))
        elif value:
            p.rest.append(f"reports.{EXACT[name]} = :eq_{name}")
            p.params[f"eq_{name}"] = value
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
