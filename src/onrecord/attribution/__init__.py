"""Detection: find attribution spans (source, cue, content) in a parsed article.

Every detector has one signature, ``detect(doc, article) -> list[Attribution]``, and is
registered by name; which one runs is configuration (``--detector``), and enrichment
never asks which detector produced the spans.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from spacy.tokens import Doc

from ..records import Article, Attribution


class Detector(Protocol):
    name: str

    def detect(self, doc: Doc, article: Article) -> list[Attribution]: ...


_REGISTRY: dict[str, Callable[[], Detector]] = {}


def register(name: str) -> Callable[[Callable[[], Detector]], Callable[[], Detector]]:
    """Register a detector factory under ``name`` (the value of ``--detector``)."""

    def wrap(factory: Callable[[], Detector]) -> Callable[[], Detector]:
        _REGISTRY[name] = factory
        return factory

    return wrap


def available() -> list[str]:
    _load_builtins()
    return sorted(_REGISTRY)


def get_detector(name: str = "rules") -> Detector:
    _load_builtins()
    try:
        return _REGISTRY[name]()
    except KeyError:
        raise ValueError(
            f"unknown detector {name!r} (available: {', '.join(sorted(_REGISTRY))})"
        ) from None


def _load_builtins() -> None:
    from . import model, rules  # noqa: F401  (register "model" and "rules")
