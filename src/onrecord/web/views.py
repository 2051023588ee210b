"""The data behind every page and API endpoint, computed once: each web page renders
exactly what its JSON twin returns (the result types of onrecord.search, and the page
shapes of models.py)."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from ..search import ArticleView, Filters, MonthCount, list_speakers, others_match, search
from ..store import Store
from .highlight import Mark, colour_of, segments, statement_marks
from .models import SearchPage, SpeakerList


def search_page(store: Store, filters: Filters, limit: int, offset: int, base: str) -> SearchPage:
    """A page of hits, and the URLs (under ``base``) of the pages before and after it;
    the last page says whether statements of other kinds match too."""
    hits = search(store, filters, limit=limit + 1, offset=offset)
    params = filters.params()
    last = len(hits) <= limit

    def page(off: int) -> str:
        return base + "?" + urlencode({**params, "limit": limit, "offset": off})

    return SearchPage(
        filters=filters,
        items=hits[:limit],
        limit=limit,
        offset=offset,
        next=None if last else page(offset + limit),
        previous=page(max(0, offset - limit)) if offset > 0 else None,
        other_kinds=last and others_match(store, filters, offset + len(hits)),
    )


def kinds_link(base: str, params: dict, all_kinds: bool) -> dict:
    """The link that switches a page between speech and belief and every kind of
    statement, keeping its other parameters (``quotes`` aside: `all` undoes it) and
    going back to the first page."""
    kept = {k: v for k, v in params.items() if k not in ("all", "quotes", "offset") and v}
    if not all_kinds:
        kept["all"] = "1"
    query = urlencode(kept)
    return {
        "href": base + (f"?{query}" if query else ""),
        "label": "only speech and belief" if all_kinds else "show all kinds of statements",
    }


def speaker_list(store: Store, query: str | None, limit: int, all_kinds: bool) -> SpeakerList:
    return SpeakerList(
        query=query, items=list_speakers(store, query, limit=limit, all_kinds=all_kinds)
    )


# -- what only pages need -------------------------------------------------------------


def article_segments(view: ArticleView, only: str | None = None) -> list:
    """The article text in segments, every statement marked and coloured by speaker;
    with ``only`` (a statement id in the article), that statement's parts in detail."""
    marks: list[Mark] = []
    for record in view.statements:
        colour = statement_colour(record)
        detailed = only is None or record.get("id") == only
        if only is not None and not detailed:
            continue
        marks.extend(statement_marks(record, colour, parts=detailed))
    return segments(view.text, marks)


def statement_colour(record: dict) -> int:
    """One colour per speaker, the same in the text and in the list beside it."""
    return colour_of(record.get("speaker_id") or (record.get("speaker") or {}).get("name"))


MIN_MONTHS = 12  # a shorter timeline is drawn as a year, its months in the middle
MAX_BAR = 28  # px: a few months are bars, not slabs
MONTH_NAMES = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def timeline_bars(timeline: list[MonthCount], width: int = 800, height: int = 160) -> dict:
    """An SVG bar chart of statements per month, drawn on the server (no script): every
    month from the first to the last (at least a year of them), bars at most MAX_BAR
    wide, labelled months along the bottom and the busiest month's count on the left."""
    if not timeline:
        return {"bars": [], "width": width, "height": height}
    counts = {p.month: p.statements for p in timeline}
    months = _padded(_month_range(min(counts), max(counts)), MIN_MONTHS)
    left, bottom, top_margin = 30, 20, 10
    plot_w, plot_h = width - left, height - bottom - top_margin
    baseline = height - bottom
    top = max(counts.values()) or 1
    step = plot_w / len(months)
    bar_w = min(step * 0.8, MAX_BAR)
    bars = []
    for i, month in enumerate(months):
        n = counts.get(month, 0)
        if n == 0:
            continue
        h = max(2.0, plot_h * n / top)
        bars.append(
            {
                "x": round(left + i * step + (step - bar_w) / 2, 1),
                "y": round(baseline - h, 1),
                "w": round(bar_w, 1),
                "h": round(h, 1),
                "label": month,
                "count": n,
            }
        )
    ticks = [
        {"x": round(left + (i + 0.5) * step, 1), "label": label}
        for i, label in _month_ticks(months, months.index(min(counts)))
    ]
    return {
        "bars": bars,
        "ticks": ticks,
        "width": width,
        "height": height,
        "left": left,
        "baseline": baseline,
        "top_y": top_margin,
        "first": min(counts),
        "last": max(counts),
        "top": top,
    }


def _month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (YYYY-MM), both included."""
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _padded(months: list[str], at_least: int) -> list[str]:
    """``months`` with months added on both sides up to ``at_least`` of them."""
    missing = max(0, at_least - len(months))
    before, after = missing // 2, missing - missing // 2
    return _month_range(_shift(months[0], -before), _shift(months[-1], after))


def _shift(month: str, by: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _month_ticks(months: list[str], anchor: int, most: int = 7) -> list[tuple[int, str]]:
    """(index, label) of the months to label: every few months ("Mar 2024"), the month
    at ``anchor`` (the first with statements) among them, over up to four years; the
    years alone (at their Januaries) over a longer span."""
    if len(months) > 48:
        januaries = [i for i, m in enumerate(months) if m.endswith("-01")]
        every = math.ceil(len(januaries) / most)
        return [(i, months[i][:4]) for i in januaries[::every]]
    every = math.ceil(len(months) / most)
    return [(i, _month_label(months[i])) for i in range(anchor % every, len(months), every)]


def _month_label(month: str) -> str:
    return f"{MONTH_NAMES[int(month[5:7]) - 1]} {month[:4]}"
