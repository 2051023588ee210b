"""The API's response and request shapes: what /openapi.json promises."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

from ..search import http_url


class ErrorBody(BaseModel):
    status: int
    message: str


class Error(BaseModel):
    error: ErrorBody


class HitOut(BaseModel):
    statement_id: int
    speaker: str | None
    speaker_id: int | None
    date: str | None
    outlet: str | None
    content: str
    type: str
    outlets: int = Field(description="How many outlets carried the statement.")
    carried_by: list[str] = Field(
        description="Who carried it: outlet names, or for an article without one, the "
        "article's site, title or source."
    )
    reports: int
    article_title: str | None
    article_url: str | None


class SearchOut(BaseModel):
    filters: dict[str, Any]
    items: list[HitOut]
    limit: int
    offset: int
    next: str | None
    previous: str | None


class SpeakerOut(BaseModel):
    id: int
    name: str
    kind: str
    statements: int
    aliases: list[str]
    roles: list[str]
    why: list[dict[str, Any]]


class SpeakersOut(BaseModel):
    query: str | None
    items: list[SpeakerOut]


class MonthCount(BaseModel):
    month: str = Field(description="YYYY-MM")
    statements: int


class TermCount(BaseModel):
    term: str
    count: int


class OutletCount(BaseModel):
    outlet: str
    statements: int


class SpeakerProfileOut(BaseModel):
    id: int
    name: str
    kind: str
    statements: int
    aliases: list[str]
    roles: list[str]
    timeline: list[MonthCount]
    terms: list[TermCount]
    outlets: list[OutletCount]
    why: list[dict[str, Any]]
    recent: list[dict[str, Any]]


class ReportOut(BaseModel):
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


class StatementOut(BaseModel):
    id: int
    speaker: str | None
    speaker_id: int | None
    content: str
    type: str
    first_seen: str | None
    outlets: int
    carried_by: list[str]
    reports: list[ReportOut]


class ArticleOut(BaseModel):
    id: int
    url: str | None
    title: str | None
    outlet: str | None
    published: str | None
    source: str | None
    text: str
    statements: list[dict[str, Any]]


class ArticleIn(BaseModel):
    """An article to ingest: plain text or an HTML page, with what is known about it."""

    text: str | None = Field(default=None, max_length=10_000_000)
    html: str | None = Field(default=None, max_length=10_000_000)
    url: str | None = Field(
        default=None, max_length=2048, pattern=r"^[Hh][Tt][Tt][Pp][Ss]?://", description="http(s)"
    )
    title: str | None = Field(default=None, max_length=1000)
    outlet: str | None = Field(default=None, max_length=200)
    published: str | None = Field(
        default=None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD"
    )

    @field_validator("url")
    @classmethod
    def _web_address(cls, url: str | None) -> str | None:
        # A javascript: or data: "URL" would become a link on the article's page.
        if url is not None and http_url(url) is None:
            raise ValueError("url must be an http:// or https:// address")
        return url


class IngestOut(BaseModel):
    outcome: str = Field(description="new, updated or unchanged")
    article_id: int
    article: ArticleOut
