"""The typed records that cross stage boundaries.

Every stage of onrecord hands one of these to the next: ``ingest`` makes an
:class:`Article`, ``attribution`` makes :class:`Attribution` spans over it, ``enrich``
turns those into :class:`Statement` records, and :class:`ArticleResult` is what the
library, the CLI and the store see.  ``to_dict`` gives the JSON contract; its field
names are public and may be extended but never renamed.

All offsets are character offsets into ``Article.text``, end exclusive.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

Offsets = tuple[int, int]
StatementType = Literal["direct", "indirect", "mixed"]
SpeakerKind = Literal["person", "organization", "group", "unknown"]
# What kind of act a cue reports (Statement.cue_category), in the order views list them.
CATEGORIES = ("speech", "belief", "intention", "evidence", "stance", "other")
# What the views for people show unless asked for all (the extract table, `search`, the
# web pages): what was said and what was thought.  A poll that "shows", a party that
# "supports", a board that "approved" are attributions too, but rarely what a reader of
# the record looks for; JSON and exports keep them, with their category.
DEFAULT_CATEGORIES = frozenset({"speech", "belief"})


def category_order(categories) -> list[str]:
    """Categories in the order of CATEGORIES (any other after them, alphabetically)."""
    rank = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(categories, key=lambda c: (rank.get(c, len(rank)), c))


def _spans_json(spans: tuple[Offsets, ...]) -> list[list[int]]:
    return [[s, e] for s, e in spans]


def span_text(text: str, spans: tuple[Offsets, ...]) -> str | None:
    """The surface string of (possibly discontinuous) spans, fragments joined by ' … '."""
    if not spans:
        return None
    return " … ".join(text[s:e] for s, e in spans)


@dataclass(frozen=True)
class Article:
    """A clean article: the text onrecord reads, and what is known about it."""

    text: str
    source: str | None = None  # where it came from: a path, "stdin", "file.warc.gz#3"
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # YYYY-MM-DD
    language: str | None = None
    # Regions of ``text`` that are publisher boilerplate (donation or newsletter appeals):
    # kept so offsets stay exact, but never read for statements.
    excluded: tuple[Offsets, ...] = ()
    # Things ingest noticed that the user should see in the record's warnings.
    notes: tuple[str, ...] = ()
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            key = self.url or self.text
            object.__setattr__(self, "id", hashlib.sha1(key.encode("utf-8")).hexdigest()[:16])

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "language": self.language,
            "text": self.text,
        }


@dataclass(frozen=True)
class Attribution:
    """What a detector finds: the spans of one attribution relation, nothing resolved.

    This is the boundary between detection (rules or a learned model) and enrichment,
    which never asks which detector produced it.
    """

    cue: tuple[Offsets, ...]
    content: tuple[Offsets, ...]
    source: tuple[Offsets, ...] = ()
    type: StatementType = "indirect"
    confidence: float = 0.5
    # A follow-on quote with no cue of its own inherits the speaker of this attribution
    # (an index into the detector's output list).
    continues: int | None = None


@dataclass(frozen=True)
class Speaker:
    text: str | None
    spans: tuple[Offsets, ...] = ()
    name: str | None = None
    role: str | None = None
    kind: SpeakerKind = "unknown"

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "spans": _spans_json(self.spans),
            "name": self.name,
            "role": self.role,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Channel:
    text: str
    spans: tuple[Offsets, ...]
    name: str
    # Whom a letter or an email was sent to ("in an email to The Associated Press": the
    # channel is email, the AP its recipient), when the article says.
    to: str | None = None

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "spans": _spans_json(self.spans),
            "name": self.name,
            "to": self.to,
        }


@dataclass(frozen=True)
class Relay:
    name: str | None  # None: relayed ("was cited as saying"), but by whom is not said
    spans: tuple[Offsets, ...]
    statement: str | None = None  # id of the statement through which it was relayed

    def to_dict(self) -> dict:
        return {"statement": self.statement, "name": self.name, "spans": _spans_json(self.spans)}


@dataclass(frozen=True)
class Time:
    text: str
    spans: tuple[Offsets, ...]
    date: str | None = None  # YYYY-MM-DD when it can be resolved
    # How much of ``date`` is meant: "day", "week", "month" (the 1st stands for the
    # month) or "year" (January 1st stands for the year).
    precision: str | None = None

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "spans": _spans_json(self.spans),
            "date": self.date,
            "precision": self.precision,
        }


@dataclass(frozen=True)
class Statement:
    id: str
    type: StatementType
    cue_spans: tuple[Offsets, ...]
    content_spans: tuple[Offsets, ...]
    speaker: Speaker
    cue_text: str | None = None
    # What kind of act the cue reports: "speech" (said, warned, according to), "belief"
    # (thinks, expects), "intention" (agreed to, plans to), "evidence" (a poll shows),
    # "stance" (supports), or "other" (enrich.category says which is which).
    cue_category: str = "other"
    content_text: str | None = None
    channel: Channel | None = None
    relayed_by: Relay | None = None
    time: Time | None = None
    confidence: float = 0.5
    # Set on follow-on quotes: the statement whose speaker this one inherits.
    continues: str | None = None

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "type": self.type,
            "cue": {
                "text": self.cue_text,
                "spans": _spans_json(self.cue_spans),
                "category": self.cue_category,
            },
            "content": {"text": self.content_text, "spans": _spans_json(self.content_spans)},
            "speaker": self.speaker.to_dict(),
            "channel": self.channel.to_dict() if self.channel else None,
            "relayed_by": self.relayed_by.to_dict() if self.relayed_by else None,
            "time": self.time.to_dict() if self.time else None,
            "confidence": round(self.confidence, 3),
            "continues": self.continues,
        }


@dataclass(frozen=True)
class ArticleResult:
    """One article and every statement found in it: the unit of output."""

    article: Article
    statements: tuple[Statement, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    # Full names of the people the article names, speakers or not: evidence for telling
    # "Kadyrov" in one article from another Kadyrov in another.
    people: tuple[str, ...] = ()
    # The detector that found the statements: its name and version with a space between
    # ("model 2026-12-01", "rules 2026-12-02"; see onrecord.attribution.label).  None when
    # the result was not made by the pipeline.
    detector: str | None = None

    def to_dict(self) -> dict:
        return {
            "article": self.article.to_dict(),
            "statements": [s.to_dict() for s in self.statements],
            "warnings": list(self.warnings),
            "people": list(self.people),
            "detector": self.detector,
        }
