"""Publication dates: whatever form they come in, ``YYYY-MM-DD`` out, or a clear error."""

from __future__ import annotations

import datetime as dt
import re

# 2024-03-07, 2024/03/07, 2024-03-07T09:30:00Z, 2024-03-07 09:30+01:00: the date part as
# written (the publisher's local date), never shifted to another time zone.
_ISO = re.compile(
    r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?$",
    re.IGNORECASE,
)
# Dates in words must name the month and the year: "last week" or "Monday" are not dates.
_MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)(?:[a-z]*)\.?(?:\s|,|$)", re.I
)
_YEAR = re.compile(r"\b\d{4}\b")


def normalise_published(value: object) -> str | None:
    """``YYYY-MM-DD`` for a date given as ISO 8601 or in words ("7 March 2024").

    ``None`` and blank strings give ``None``.  Raises ``ValueError`` with a message that
    reads well on its own for anything else, including all-numeric forms other than ISO
    ("03/07/2024" could be March or July).
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError(f"invalid published date {value!r} (expected YYYY-MM-DD)")
    text = value.strip()
    if not text:
        return None
    m = _ISO.match(text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            raise ValueError(f"invalid published date {value!r} (no such day)") from None
    if _MONTH.search(text) and _YEAR.search(text):
        parsed = _parse_words(text)
        if parsed:
            return parsed
    raise ValueError(f"invalid published date {value!r} (expected YYYY-MM-DD)")


def _parse_words(text: str) -> str | None:
    """English dates with a month name, e.g. "March 7, 2024" or "Thu, 7 Mar 2024"."""
    import dateparser  # slow to import; only needed for these forms

    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "STRICT_PARSING": True,
            "REQUIRE_PARTS": ["day", "month", "year"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date().isoformat() if parsed else None
