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
