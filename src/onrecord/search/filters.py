"""The one filter model: what a search or an export narrows to.

The CLI's options and the web's query parameters name the filters alike (``q``,
``speaker``, ``outlet``, ``since``, ``until``, ``type``, ``quotes``): :meth:`Filters.parse`
turns them into :class:`Filters`, :meth:`Filters.params` turns filters back into them
(for the links of the next and previous pages).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import get_args

from ..records import StatementType

TYPES: tuple[str, ...] = get_args(StatementType)  # direct, indirect, mixed
# The category `quotes` selects: speech (said, told, warned), not belief or evidence.
QUOTES = "speech"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Filters:
    """What a search narrows to; every field optional.  ``type`` and ``category`` match
    the report fields that name them (store.schema.REPORT_FIELDS, ``filter``)."""

    query: str | None = None
    speaker: str | None = None
    outlet: str | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None  # YYYY-MM-DD, inclusive
    type: str | None = None
    category: str | None = None  # "speech" for quotations only

    @classmethod
    def parse(
        cls,
        q: str | None = None,
        speaker: str | None = None,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        type: str | Enum | None = None,
        quotes: bool = False,
    ) -> Filters:
        """The filters a user gave as options or query parameters: text without control
        characters and surrounding space (blank is no filter), dates as YYYY-MM-DD (a
        date that is not one raises ValueError, its message one line for the user)."""
        from ..ingest import normalise_published

        return cls(
            query=clean(q),
            speaker=clean(speaker),
            outlet=clean(outlet),
            since=normalise_published(since) if since else None,
            until=normalise_published(until) if until else None,
            type=(type.value if isinstance(type, Enum) else type) or None,
            category=QUOTES if quotes else None,
        )

    def params(self) -> dict[str, str]:
        """The query parameters :meth:`parse` reads these filters from."""
        params = {k: v for k, v in vars(self).items() if v}
        if "query" in params:
            params["q"] = params.pop("query")
        if params.get("category") == QUOTES:
            params.pop("category")
            params["quotes"] = "true"
        return params


def clean(value: str | None) -> str | None:
    """A user's text: control characters out (PostgreSQL refuses NUL), trimmed; None
    when nothing is left."""
    if value is None:
        return None
    value = _CONTROL.sub("", value).strip()
    return value or None
