"""The data behind every page and API endpoint, computed once: each web page renders
exactly what its JSON twin returns."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from ..search import Filters, list_speakers, search, statement
from ..search.detail import article, speaker_profile
from ..store import Store
from .highlight import Mark, colour_of, segments, statement_marks

MAX_LIMIT = 100
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value: str | None, max_len: int = 500) -> str | None:
    """A user's text parameter: control characters out (PostgreSQL refuses NUL), trimmed."""
    if value is None:
        return None
    value = _CONTROL.sub("", value).strip()[:max_len]
    return value or None


def search_view(store: Store, filters: Filters, limit: int, offset: int, base: str) -> dict:
    hits = search(store, filters, limit=limit + 1, offset=offset)
    more = len(hits) > limit
    hits = hits[:limit]
    params = {k: v for k, v in vars(filters).items() if v}
    if "query" in params:
        params["q"] = params.pop("query")
    if params.get("category") == "speech":
        params.pop("category")
        params["quotes"] = "true"

    def page(off: int) -> str:
        return base + "?" + urlencode({**params, "limit": limit, "offset": off})

    return {
        "filters": {k: v for k, v in vars(filters).items()},
        "items": [h.to_dict() for h in hits],
        "limit": limit,
        "offset": offset,
        "next": page(offset + limit) if more else None,
        "previous": page(max(0, offset - limit)) if offset > 0 else None,
    }


def speakers_view(store: Store, query: str | None, limit: int) -> dict:
    found = list_speakers(store, query, limit=limit)
    return {"query": query, "items": [s.to_dict() for s in found]}


def speaker_view(store: Store, speaker_id: int) -> dict | None:
    profile = speaker_profile(store, speaker_id)
    if profile is None:
        return None
    data = profile.to_dict()
    data["timeline"] = [{"month": m, "statements": n} for m, n in profile.timeline]
    data["terms"] = [{"term": t, "count": n} for t, n in profile.terms]
    data["outlets"] = [{"outlet": o, "statements": n} for o, n in profile.outlets]
    return data


def statement_view(store: Store, statement_id: int) -> dict | None:
    view = statement(store, statement_id)
    return view.to_dict() if view else None


def article_view(store: Store, article_id: int) -> dict | None:
    view = article(store, article_id)
    return view.to_dict() if view else None


# -- what only pages need -------------------------------------------------------------


def article_segments(view: dict, only: str | None = None) -> list:
    """The article text in segments, every statement marked and coloured by speaker;
    with ``only`` (a statement id in the article), that statement's parts in detail."""
    marks: list[Mark] = []
    for record in view["statements"]:
        colour = statement_colour(record)
        detailed = only is None or record.get("id") == only
        if only is not None and not detailed:
            continue
        marks.extend(statement_marks(record, colour, parts=detailed))
    return segments(view["text"], marks)


def statement_colour(record: dict) -> int:
    """One colour per speaker, the same in the text and in the list beside it."""
    return colour_of(record.get("speaker_id") or (record.get("speaker") or {}).get("name"))


def timeline_bars(timeline: list, width: int = 600, height: int = 120) -> dict:
    """An SVG bar chart of statements per month, drawn on the server (no script)."""
    if not timeline:
        return {"bars": [], "width": width, "height": height}
    points = [(p["month"], p["statements"]) for p in timeline]
    top = max(n for _, n in points) or 1
    step = width / len(points)
    bars = []
    for i, (month, n) in enumerate(points):
        h = max(2.0, (height - 20) * n / top)
        bars.append(
            {
                "x": round(i * step + 1, 1),
                "y": round(height - 16 - h, 1),
                "w": round(max(step - 2, 1), 1),
                "h": round(h, 1),
                "label": month,
                "count": n,
            }
        )
    return {
        "bars": bars,
        "width": width,
        "height": height,
        "first": points[0][0],
        "last": points[-1][0],
        "top": top,
    }
