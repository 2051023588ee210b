"""The one filter model: what a search or an export narrows to.

The CLI's options and the web's query parameters name the filters alike (``q``,
``speaker``, ``outlet``, ``since``, ``until``, ``type``, ``quotes``, ``all``):
:meth:`Filters.parse` turns them into :class:`Filters`, :meth:`Filters.params` turns
filters back into them (for the links of the next and previous pages).

The kinds of statement (``categories``, the cue's category) are speech and belief unless
asked otherwise (records.DEFAULT_CATEGORIES): ``quotes`` narrows to speech, ``all``
(`--all-statements` on the command line) widens to every kind.  Export, machine output,
asks for every kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, get_args

from pydantic import Field, PlainSerializer

from ..records import DEFAULT_CATEGORIES, StatementType, category_order

TYPES: tuple[str, ...] = get_args(StatementType)  # direct, indirect, mixed
# What `quotes` selects: speech (said, told, warned), not belief or evidence.
QUOTES = frozenset({"speech"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def in_order(categories: frozenset[str] | None) -> list[str] | None:
    """The categories in the order views list them (so that the API's JSON is the same
    every time, which a set's order is not)."""
    return None if categories is None else category_order(categories)


Categories = Annotated[
    frozenset[str] | None,
    PlainSerializer(in_order, return_type=list[str] | None),
    Field(description="The kinds of statement (cue categories) shown; null: every kind."),
]


@dataclass(frozen=True)
class Filters:
    """What a search narrows to.  ``type`` and ``categories`` match the report fields
    that name them (store.schema.REPORT_FIELDS, ``filter``): a value must equal the
    field, a set of values must hold it."""

    query: str | None = None
    speaker: str | None = None
    outlet: str | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None  # YYYY-MM-DD, inclusive
    type: str | None = None
    # The cue categories to show (speech and belief unless asked); None: every kind.
    categories: Categories = DEFAULT_CATEGORIES

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
        all: bool = False,  # the query parameter's name
    ) -> Filters:
        """The filters a user gave as options or query parameters: text without control
        characters and surrounding space (blank is no filter), dates as YYYY-MM-DD (a
        date that is not one raises ValueError, its message one line for the user);
        speech and belief, or speech alone (``quotes``), or every kind (``all``)."""
        from ..ingest import normalise_published

        return cls(
            query=clean(q),
            speaker=clean(speaker),
            outlet=clean(outlet),
            since=normalise_published(since) if since else None,
            until=normalise_published(until) if until else None,
            type=(type.value if isinstance(type, Enum) else type) or None,
            categories=kinds(quotes, all),
        )

    def params(self) -> dict[str, str]:
        """The query parameters :meth:`parse` reads these filters from (ValueError for
        categories no parameter names)."""
        params = {k: v for k, v in vars(self).items() if v and k != "categories"}
        if "query" in params:
            params["q"] = params.pop("query")
        if self.categories == QUOTES:
            params["quotes"] = "true"
        elif self.categories is None:
            params["all"] = "1"
        elif self.categories != DEFAULT_CATEGORIES:
            raise ValueError(f"no parameter selects the categories {sorted(self.categories)}")
        return params


def kinds(quotes: bool = False, every: bool = False) -> frozenset[str] | None:
    """The categories the options ask for: speech alone (``quotes``, which ``every`` does
    not undo), every kind (None), else speech and belief."""
    if quotes:
        return QUOTES
    return None if every else DEFAULT_CATEGORIES


def clean(value: str | None) -> str | None:
    """A user's text: control characters out (PostgreSQL refuses NUL), trimmed; None
    when nothing is left."""
    if value is None:
        return None
    value = _CONTROL.sub("", value).strip()
    return value or None
