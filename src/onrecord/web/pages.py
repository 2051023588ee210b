"""The web pages: search, speakers, a speaker, a statement, an article.  Server-rendered
and readable without JavaScript; each shows the same data as its /api twin."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from ..search import TYPES, article, speaker_profile, statement
from ..search.filters import clean
from . import views
from .params import DATE, Id, Limit, Offset, Text, filters

router = APIRouter(include_in_schema=False)
# A form leaves a field it did not fill empty: "" is no filter here.
FormDate = Annotated[str | None, Query(pattern=f"({DATE})|^$")]


def _page(request: Request, template: str, **context) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context)


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Text = None,
    speaker: Text = None,
    outlet: Text = None,
    since: FormDate = None,
    until: FormDate = None,
    type: Literal[(*TYPES, "")] | None = None,
    quotes: bool = False,
    limit: Limit = 20,
    offset: Offset = 0,
):
    chosen = filters(q, speaker, outlet, since, until, type, quotes)
    data = views.search_page(request.app.state.store, chosen, limit, offset, "/")
    api = "/api/search" + (f"?{request.url.query}" if request.url.query else "")
    return _page(request, "search.html", data=data, api=api, title="Search")


@router.get("/speakers", response_class=HTMLResponse)
def speakers_page(request: Request, q: Text = None):
    data = views.speaker_list(request.app.state.store, clean(q), 100)
    return _page(request, "speakers.html", data=data, title="Speakers")


@router.get("/speakers/{speaker_id}", response_class=HTMLResponse)
def speaker_page(request: Request, speaker_id: Id):
    data = speaker_profile(request.app.state.store, speaker_id)
    if data is None:
        raise HTTPException(404, f"no speaker {speaker_id}")
    chart = views.timeline_bars(data.timeline)
    return _page(request, "speaker.html", data=data, chart=chart, title=data.name)


@router.get("/statements/{statement_id}", response_class=HTMLResponse)
def statement_page(request: Request, statement_id: Id):
    store = request.app.state.store
    data = statement(store, statement_id)
    if data is None:
        raise HTTPException(404, f"no statement {statement_id}")
    first = data.reports[0] if data.reports else None
    segments = []
    if first is not None:
        segments = views.article_segments(article(store, first.article_id), only=first.key)
    return _page(
        request, "statement.html", data=data, first=first, segments=segments, title="Statement"
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: Id):
    data = article(request.app.state.store, article_id)
    if data is None:
        raise HTTPException(404, f"no article {article_id}")
    return _page(
        request,
        "article.html",
        data=data,
        segments=views.article_segments(data),
        title=data.title or f"Article {article_id}",
    )
