"""Detection: find attribution spans (source, cue, content) in a parsed article.

Every detector has one signature, ``detect(doc, article) -> list[Attribution]``, and is
registered by name; which one runs is configuration (``--detector``), and enrichment
never asks which detector produced the spans.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # spaCy is not imported until a detector runs (the CLI starts fast)
    from spacy.tokens import Doc

    from ..records import Article, Attribution


class Detector(Protocol):
    name: str

    def detect(self, doc: Doc, article: Article) -> list[Attribution]: ...


_REGISTRY: dict[str, Callable[[], Detector]] = {}

# What runs when nobody says: the trained model (with the rules' nested statements and
# follow-on quotes joined in).  ``rules`` stays a choice: no weights, and easier to read.
DEFAULT_DETECTOR = "model"


def register(name: str) -> Callable[[Callable[[], Detector]], Callable[[], Detector]]:
    """Register a detector factory under ``name`` (the value of ``--detector``)."""

    def wrap(factory: Callable[[], Detector]) -> Callable[[], Detector]:
        _REGISTRY[name] = factory
        return factory

    return wrap


def available() -> list[str]:
    _load_builtins()
    return sorted(_REGISTRY)


def get_detector(name: str = DEFAULT_DETECTOR) -> Detector:
    _load_builtins()
    try:
        return _REGISTRY[name]()
    except KeyError:
        raise ValueError(
            f"unknown detector {name!r} (available: {', '.join(sorted(_REGISTRY))})"
        ) from None


def detect(detector: Detector, doc: Doc, article: Article) -> list[Attribution]:
    """The attributions ``detector`` finds in ``doc``, less any whose content holds no
    letter or digit: a quotation mark or a dash on its own says nothing, whichever
    detector took it for a statement."""
    found = detector.detect(doc, article)
    text = article.text
    kept = [k for k, a in enumerate(found) if any(_WORD.search(text, s, e) for s, e in a.content)]
    if len(kept) == len(found):
        return found
    new_index = {old: new for new, old in enumerate(kept)}
    return [
        replace(found[k], continues=new_index.get(found[k].continues))  # type: ignore[arg-type]
        for k in kept
    ]


_WORD = re.compile(r"[^\W_]")


def _load_builtins() -> None:
    from . import model, rules  # noqa: F401  (register "model" and "rules")
