"""The web pages: search, speakers, a speaker, a statement, an article.  Server-rendered
and readable without JavaScript; each shows the same data as its /api twin.  The lists
show speech and belief unless `all=1`, and each says how to switch (views.kinds_link)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from ..search import TYPES, article, speaker_profile, statement
from ..search.filters import clean
from . import views
from .params import DATE, All, Id, Limit, Offset, Quotes, Text, filters

router = APIRouter(include_in_schema=False)
# A form leaves a field it did not fill empty: "" is no filter here.
FormDate = Annotated[str | None, Query(pattern=f"({DATE})|^$")]


def _page(request: Request, template: str, **context) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context)


def _twin(request: Request, path: str) -> str:
    """The URL of the page's JSON twin, with the page's parameters (`all` among them)."""
    return path + (f"?{request.url.query}" if request.url.query else "")


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Text = None,
    speaker: Text = None,
    outlet: Text = None,
    since: FormDate = None,
    until: FormDate = None,
    type: Literal[(*TYPES, "")] | None = None,
    quotes: Quotes = False,
    all: All = False,
    limit: Limit = 20,
    offset: Offset = 0,
):
    chosen = filters(q, speaker, outlet, since, until, type, quotes, all)
    data = views.search_page(request.app.state.store, chosen, limit, offset, "/")
    api = _twin(request, "/api/search")
    kinds = views.kinds_link("/", chosen.params(), chosen.categories is None)
    return _page(request, "search.html", data=data, api=api, kinds=kinds, title="Search")


@router.get("/speakers", response_class=HTMLResponse)
def speakers_page(request: Request, q: Text = None, all: All = False):
    data = views.speaker_list(request.app.state.store, clean(q), 100, all)
    kinds = views.kinds_link("/speakers", {"q": data.query}, all)
    api = _twin(request, "/api/speakers")
    return _page(
        request, "speakers.html", data=data, kinds=kinds, all=all, api=api, title="Speakers"
    )


@router.get("/speakers/{speaker_id}", response_class=HTMLResponse)
def speaker_page(request: Request, speaker_id: Id, all: All = False):
    data = speaker_profile(request.app.state.store, speaker_id, all_kinds=all)
    if data is None:
        raise HTTPException(404, f"no speaker {speaker_id}")
    chart = views.timeline_bars(data.timeline)
    kinds = views.kinds_link(f"/speakers/{speaker_id}", {}, all)
    api = _twin(request, f"/api/speakers/{speaker_id}")
    return _page(
        request,
        "speaker.html",
        data=data,
        chart=chart,
        kinds=kinds,
        all=all,
        api=api,
        title=data.name,
    )


@router.get("/statements/{statement_id}", response_class=HTMLResponse)
def statement_page(request: Request, statement_id: Id):
    store = request.app.state.store
    data = statement(store, statement_id)
    if data is None:
        raise HTTPException(404, f"no statement {statement_id}")
    first = data.reports[0] if data.reports else None
    segments = []
    if first is not None:  # its article's records of every kind: this one may be any kind
        view = article(store, first.article_id, all_kinds=True)
        segments = views.article_segments(view, only=first.key)
    return _page(
        request, "statement.html", data=data, first=first, segments=segments, title="Statement"
    )


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: Id, all: All = False):
    data = article(request.app.state.store, article_id, all_kinds=all)
    if data is None:
        raise HTTPException(404, f"no article {article_id}")
    return _page(
        request,
        "article.html",
        data=data,
        segments=views.article_segments(data),
        kinds=views.kinds_link(f"/articles/{article_id}", {}, all),
        all=all,
        api=_twin(request, f"/api/articles/{article_id}"),
        title=data.title or f"Article {article_id}",
    )
