"""The request parameters the API and the pages share, and the filters they make."""

from __future__ import annotations

from typing import Annotated

from fastapi import HTTPException, Query
from fastapi import Path as PathParam

from ..search import Filters

MAX_LIMIT = 100
DATE = r"^\d{4}-\d{2}-\d{2}$"
Id = Annotated[int, PathParam(ge=1, le=2**31 - 1)]
Text = Annotated[str | None, Query(max_length=500)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
# The kinds of statement a list shows: speech and belief unless `all` (every kind) or
# `quotes` (speech alone); as `--all-statements` and `--quotes` on the command line.
All = Annotated[
    bool,
    Query(
        description="Statements of every kind (evidence, stance, other), not only speech "
        "and belief."
    ),
]
Quotes = Annotated[bool, Query(description="Only speech (said, told, warned …).")]


def filters(
    q: str | None,
    speaker: str | None,
    outlet: str | None,
    since: str | None,
    until: str | None,
    type: str | None,
    quotes: bool,
    all: bool,
) -> Filters:
    """:meth:`Filters.parse`, a date that is not one answered with 422."""
    try:
        return Filters.parse(q, speaker, outlet, since, until, type, quotes, all)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
