"""The shapes only the web has: a page of results with its links, the article a client
posts, and errors.  Everything else the API answers is a result type of
:mod:`onrecord.search.results`, declared there once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import BaseModel, Field, field_validator

from ..search import ArticleView, Filters, Hit, SpeakerInfo, http_url


class ErrorBody(BaseModel):
    status: int
    message: str


class Error(BaseModel):
    error: ErrorBody


@dataclass(frozen=True)
class SearchPage:
    """One page of search hits, with the URLs of its neighbours."""

    filters: Filters
    items: list[Hit]
    limit: int
    offset: int
    next: str | None
    previous: str | None
    other_kinds: Annotated[
        bool,
        Field(
            description="On the last page: whether statements of kinds the filters leave "
            "out match too (all=1 shows them; quotes, if given, still narrows to speech)."
        ),
    ] = False


@dataclass(frozen=True)
class SpeakerList:
    query: str | None
    items: list[SpeakerInfo]


@dataclass(frozen=True)
class Ingested:
    outcome: Annotated[str, Field(description="new, updated or unchanged")]
    article_id: int
    article: ArticleView


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
