"""What reading the database gives: plain frozen dataclasses, declared once.

They are the library's results and, unchanged, the API's response models (FastAPI
describes them in /openapi.json, field descriptions included), so a field added here is
in the CLI's JSON, the API and its schema at once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Annotated, Any

from pydantic import Field

CarriedBy = Annotated[
    list[str],
    Field(
        description="Who carried it: outlet names, or for an article without one, the "
        "article's site, title or source."
    ),
]


class _Result:
    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Hit(_Result):
    """A statement found by search, as its newest matching report shows it."""

    statement_id: int
    speaker: str | None  # canonical name, or the mention as written when unnamed
    speaker_id: int | None
    date: str | None
    outlet: str | None
    content: str
    type: str
    outlets: Annotated[int, Field(description="How many outlets carried the statement.")]
    carried_by: CarriedBy
    reports: int
    article_title: str | None
    article_url: str | None


# A count of statements: of the kinds the view shows (speech and belief by default).
Statements = Annotated[
    int, Field(description="Statements of the kinds shown: speech and belief, unless all=1.")
]
OtherKinds = Annotated[
    int, Field(description="Statements of other kinds, left out (all=1 shows them).")
]


@dataclass(frozen=True)
class SpeakerInfo(_Result):
    id: int
    name: str
    kind: str
    statements: Statements
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    why: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Report(_Result):
    """One article's report of a statement."""

    id: int
    article_id: int
    key: str
    outlet: str | None
    published: str | None
    title: str | None
    url: str | None
    source: str | None
    speaker_text: str | None
    speaker_name: str | None
    speaker_role: str | None
    cue: str | None
    content: str
    channel: str | None
    relay_chain: list[str]
    time: str | None
    record: dict[str, Any]


@dataclass(frozen=True)
class StatementView(_Result):
    """One statement with every report of it, oldest first."""

    id: int
    speaker: str | None
    speaker_id: int | None
    content: str
    type: str
    first_seen: str | None
    outlets: int
    carried_by: CarriedBy
    reports: list[Report]


@dataclass(frozen=True)
class MonthCount:
    month: Annotated[str, Field(description="YYYY-MM")]
    statements: int


@dataclass(frozen=True)
class TermCount:
    term: str
    count: int


@dataclass(frozen=True)
class OutletCount:
    outlet: str
    statements: int


@dataclass(frozen=True)
class SpeakerProfile(_Result):
    id: int
    name: str
    kind: str
    statements: Statements
    other_kinds: OtherKinds
    aliases: list[str]
    roles: list[str]
    timeline: list[MonthCount]
    terms: list[TermCount]
    outlets: list[OutletCount]
    why: list[dict[str, Any]] = field(default_factory=list)
    recent: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ArticleView(_Result):
    id: int
    url: str | None
    title: str | None
    outlet: str | None
    published: str | None
    source: str | None
    text: str
    # The statement records, each with "statement_id" and "speaker_id".
    statements: Annotated[
        list[dict[str, Any]],
        Field(
            description="Its statement records of the kinds shown: speech and belief, unless all=1."
        ),
    ]
    detector: Annotated[
        str | None,
        Field(description="The detector that found the statements, with its version."),
    ] = None
    other_kinds: OtherKinds = 0
