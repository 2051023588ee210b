"""Errors a user may see. Each renders as one line naming the input and the reason."""

from __future__ import annotations


class OnrecordError(Exception):
    """Base class: anything onrecord reports to a user instead of a traceback."""


class InputError(OnrecordError, ValueError):
    """An input that cannot become an article (empty, binary, not English, ...)."""

    def __init__(self, reason: str, source: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}" if self.source else self.reason


def one_line(exc: BaseException, *, with_type: bool = False) -> str:
    """An exception as one line, for a message to a user or a log.

    By default, the first line of what it says: for an error its writer meant to be
    read (a refused input, a file or database that cannot be used).  A database error
    gives its driver's own message (``exc.orig``: SQLAlchemy's wrapper adds the SQL
    statement and a link on lines of their own); one that says nothing, its type's
    name.

    ``with_type=True``: the type's name and then all it says, folded onto one line
    (``KeyError: 'url'``), for an exception nobody expected: there the type is the
    first clue, and no part of the message may be lost.
    """
    if with_type:
        name = type(exc).__name__
        text = " ".join(str(exc).split())
        return f"{name}: {text}" if text else name
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
