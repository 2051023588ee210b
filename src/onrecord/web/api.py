"""The JSON API: /api/search, /api/speakers, /api/statements, /api/articles."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Header, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from ..search import (
    TYPES,
    ArticleView,
    SpeakerProfile,
    StatementView,
    article,
    speaker_profile,
    statement,
)
from ..search.filters import clean
from . import models, views
from .ingest import IngestRefused, Stored
from .middleware import check_token
from .params import DATE, All, Id, Limit, Offset, Quotes, Text, filters

ERRORS = {
    400: {"model": models.Error},
    401: {"model": models.Error},
    403: {"model": models.Error},
    404: {"model": models.Error},
    408: {"model": models.Error},
    413: {"model": models.Error},
    414: {"model": models.Error},
    422: {"model": models.Error},
    503: {"model": models.Error},
}
# Dates as strings with the date format: strict YYYY-MM-DD, no timestamps.
Date = Annotated[
    str | None,
    Query(pattern=DATE, description="YYYY-MM-DD", json_schema_extra={"format": "date"}),
]

router = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)


@router.get("/search", response_model=models.SearchPage, summary="Search statements")
def api_search(
    request: Request,
    q: Text = None,
    speaker: Text = None,
    outlet: Text = None,
    since: Date = None,
    until: Date = None,
    type: Literal[TYPES] | None = None,
    quotes: Quotes = False,
    all: All = False,
    limit: Limit = 20,
    offset: Offset = 0,
):
    """Full-text search over what was said, with filters; one hit per statement, newest
    first.  Speech and belief unless `all` (every kind) or `quotes` (speech alone).
    `next`/`previous` are the URLs of the neighbouring pages."""
    chosen = filters(q, speaker, outlet, since, until, type, quotes, all)
    return views.search_page(request.app.state.store, chosen, limit, offset, "/api/search")


@router.get("/speakers", response_model=models.SpeakerList, summary="List speakers")
def api_speakers(request: Request, q: Text = None, all: All = False, limit: Limit = 50):
    """Canonical speakers (matching `q`), with aliases and roles, most statements first:
    statements of speech and belief counted, unless `all` (every kind)."""
    return views.speaker_list(request.app.state.store, clean(q), limit, all)


@router.get("/speakers/{speaker_id}", response_model=SpeakerProfile)
def api_speaker(request: Request, speaker_id: Id, all: All = False):
    """One speaker: aliases, roles, statements per month, top terms, outlets, recent
    statements (speech and belief, unless `all`), and why each alias was merged."""
    view = speaker_profile(request.app.state.store, speaker_id, all_kinds=all)
    if view is None:
        raise HTTPException(404, f"no speaker {speaker_id}")
    return view


@router.get("/statements/{statement_id}", response_model=StatementView)
def api_statement(request: Request, statement_id: Id):
    """One statement with every report of it across articles and their relay chains."""
    view = statement(request.app.state.store, statement_id)
    if view is None:
        raise HTTPException(404, f"no statement {statement_id}")
    return view


@router.get("/articles/{article_id}", response_model=ArticleView)
def api_article(request: Request, article_id: Id, all: All = False):
    """One article: its text and its statement records (offsets into the text) of speech
    and belief, or of every kind with `all`, and the detector that found them."""
    view = article(request.app.state.store, article_id, all_kinds=all)
    if view is None:
        raise HTTPException(404, f"no article {article_id}")
    return view


@router.post(
    "/articles",
    response_model=models.Ingested,
    status_code=201,
    summary="Ingest an article (needs the token)",
)
async def api_ingest(
    request: Request,
    body: models.ArticleIn,
    authorization: Annotated[str | None, Header()] = None,
):
    """Extract the statements of an article (`text` or `html`) and store them; returns
    the stored article.  Needs `Authorization: Bearer <token>`; off when the server has
    no token configured.  An article is extracted within a time budget (422 past it);
    when too many wait, the answer is 503 with a Retry-After.  The article comes back
    with every statement stored, of every kind."""
    # The token gate has refused a request without the token before its body was read;
    # checked again so that this route is safe on its own.
    check_token(request.app.state.settings.token, authorization)
    if bool(body.text) == bool(body.html):
        raise HTTPException(422, "give exactly one of text or html")
    state = request.app.state
    try:
        stored = await asyncio.wrap_future(state.ingest.submit(body.model_dump()))
    except IngestRefused as refused:
        headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else None
        raise HTTPException(refused.status, refused.message, headers=headers) from None
    return await run_in_threadpool(_stored_article, state.store, stored)


def _stored_article(store, stored: Stored) -> models.Ingested:
    return models.Ingested(
        outcome=stored.outcome,
        article_id=stored.article_id,
        article=article(store, stored.article_id, all_kinds=True),
    )
