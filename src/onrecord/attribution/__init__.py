"""Detection: find attribution spans (source, cue, content) in a parsed article.

Every detector has one signature, ``detect(doc, article) -> list[Attribution]``, a
``name`` and a ``version``, and is registered by name with its settings and their
defaults (as spaCy registers a pipeline component with ``@Language.factory(name,
default_config=...)``)::

    @register("rules", default_config={"threshold": 0.3})
    def make_rules(threshold: float) -> RuleDetector: ...

    get_detector("rules", threshold=0.5)

Which one runs is configuration (``--detector``), and enrichment never asks which
detector produced the spans; a result names it (:func:`label`) so that the store keeps
it with the article.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # spaCy is not imported until a detector runs (the CLI starts fast)
    from spacy.tokens import Doc

    from ..records import Article, Attribution


class Detector(Protocol):
    name: str
    # What changes when the detector finds other things: a trained model's weights (the
    # date they were trained), the rules' code and lexicon (the date they last changed).
    version: str

    def detect(self, doc: Doc, article: Article) -> list[Attribution]: ...


@dataclass(frozen=True)
class Factory:
    """A registered detector: what makes it, and the settings it takes with their
    defaults (``make(**settings)``)."""

    make: Callable[..., Detector]
    default_config: dict[str, Any]


_REGISTRY: dict[str, Factory] = {}

# What runs when nobody says: the trained model (with the rules' nested statements and
# follow-on quotes joined in).  ``rules`` stays a choice: no weights, and easier to read.
DEFAULT_DETECTOR = "model"


def register(
    name: str, default_config: dict[str, Any] | None = None
) -> Callable[[Callable[..., Detector]], Callable[..., Detector]]:
    """Register a detector factory under ``name`` (the value of ``--detector``).  The
    factory takes every setting of ``default_config`` as a keyword argument; those are
    all the settings the detector has."""

    def wrap(make: Callable[..., Detector]) -> Callable[..., Detector]:
        _REGISTRY[name] = Factory(make, dict(default_config or {}))
        return make

    return wrap


def available() -> list[str]:
    _load_builtins()
    return sorted(_REGISTRY)


def default_config(name: str) -> dict[str, Any]:
    """The settings detector ``name`` takes, with their defaults."""
    return dict(_factory(name).default_config)


def get_detector(name: str = DEFAULT_DETECTOR, **settings: Any) -> Detector:
    """The detector registered as ``name``, made with its default settings updated by
    ``settings``; ValueError (one line) for an unknown detector or setting, or a
    setting of the wrong type."""
    factory = _factory(name)
    defaults = factory.default_config
    for key, value in settings.items():
        if key not in defaults:
            takes = ", ".join(sorted(defaults)) or "none"
            raise ValueError(f"detector {name!r} has no setting {key!r} (its settings: {takes})")
        _check_type(name, key, value, defaults[key])
    return factory.make(**{**defaults, **settings})


def label(detector: Detector) -> str:
    """How a result names the detector that found its statements: its name and its
    version, with a space between ("model 2026-12-01", "rules 2026-12-02")."""
    return f"{detector.name} {detector.version}"


def _factory(name: str) -> Factory:
    _load_builtins()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(
            f"unknown detector {name!r} (available: {', '.join(sorted(_REGISTRY))})"
        ) from None


def _check_type(name: str, key: str, value: Any, default: Any) -> None:
    """A setting whose default is not None takes a value of the default's type (an int
    where a float is wanted)."""
    if default is None or value is None:
        return
    wanted = (int, float) if isinstance(default, float) else type(default)
    if isinstance(value, bool) is not isinstance(default, bool) or not isinstance(value, wanted):
        raise ValueError(
            f"setting {key!r} of detector {name!r} takes a {type(default).__name__}, not {value!r}"
        )


def detect(detector: Detector, doc: Doc, article: Article) -> list[Attribution]:
    """The attributions ``detector`` finds in ``doc``, less those no reader would take
    for a statement, whichever detector found them: a content that holds no letter or
    digit (a quotation mark or a dash on its own says nothing), and what
    :mod:`.screen` screens out (headers, denied statements, actions, doubles)."""
    from .lexicon import default_lexicon
    from .passes import contents_without_times, sources_without_media
    from .screen import screen

    found = contents_without_times(sources_without_media(detector.detect(doc, article), doc), doc)
    text = article.text
    keep = screen(doc, found, default_lexicon())
    kept = [
        k
        for k, a in enumerate(found)
        if keep[k] and any(_WORD.search(text, s, e) for s, e in a.content)
    ]
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
