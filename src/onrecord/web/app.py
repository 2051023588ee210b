"""The web app and JSON API over a statement database (`onrecord serve`).

Read-only unless an ingest token is configured: then ``POST /api/articles`` with
``Authorization: Bearer <token>`` stores an article.  Every page has a JSON twin under
``/api``; both come from the same view functions (views.py).
"""

from __future__ import annotations

import hmac
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import OnrecordError
from ..search import Filters
from ..store import Store
from . import views

HERE = Path(__file__).parent
MAX_BODY = 12 * 1024 * 1024  # an article (10 MB) and its JSON overhead
# Long enough for every parameter at its maximum length, percent-encoded.
MAX_QUERY_STRING = 32768
DATE = r"^\d{4}-\d{2}-\d{2}$"
# Request parameters shared by the API and the pages.
Id = Annotated[int, PathParam(ge=1, le=2**31 - 1)]
Text = Annotated[str | None, Query(max_length=500)]
Limit = Annotated[int, Query(ge=1, le=views.MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


class Settings:
    def __init__(self, db: str | None, token: str | None) -> None:
        self.db = db
        self.token = token or None


def create_app(db: str | None = None, token: str | None = None) -> FastAPI:
    """The app over the database ``db`` (a path or URL); ``token`` enables ingest."""
    settings = Settings(db, token)
    store = Store(db, create=True)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="onrecord",
        version=__version__,
        description="Who said what, to whom or through which outlet, and when.",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.store = store
    app.state.settings = settings
    app.state.extract_lock = threading.Lock()
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["version"] = __version__
    templates.env.globals["colour"] = views.statement_colour
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def limits(request: Request, call_next):
        if len(request.url.query) > MAX_QUERY_STRING:
            return _error(request, 400, "query string too long")
        length = request.headers.get("content-length")
        if length is not None:
            try:
                too_big = int(length) > MAX_BODY
            except ValueError:
                return _error(request, 400, "bad Content-Length")
            if too_big:
                return _error(request, 413, f"request body over {MAX_BODY // 2**20} MB")
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
        )
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        # Keep the exception's headers: a 405 must say what is Allowed.
        return _error(request, exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body"))
        message = (
            f"{where}: {first.get('msg', 'invalid')}" if where else first.get("msg", "invalid")
        )
        return _error(request, 422, message)

    @app.exception_handler(OnrecordError)
    async def store_error(request: Request, exc: OnrecordError):
        return _error(request, 503, str(exc))

    from .api import router as api_router
    from .pages import router as page_router

    app.include_router(api_router)
    app.include_router(page_router)

    return app


def _error(request: Request, status: int, message: str, headers: dict | None = None):
    """One error shape: JSON for the API, a page for people."""
    message = " ".join(message.split())
    if request.url.path.startswith("/api") or "text/html" not in request.headers.get("accept", ""):
        body = {"error": {"status": status, "message": message}}
        return JSONResponse(body, status_code=status, headers=headers)
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": message},
        status_code=status,
        headers=headers,
    )


def check_token(request: Request, authorization: str | None) -> None:
    """Ingest needs the configured token, compared in constant time."""
    expected = request.app.state.settings.token
    if not expected:
        raise HTTPException(403, "ingest through the API is off (no token configured)")
    given = ""
    if authorization and authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
    if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        raise HTTPException(401, "missing or wrong token")


def filters_from(
    q: str | None,
    speaker: str | None,
    outlet: str | None,
    since: str | None,
    until: str | None,
    type: str | None,
    quotes: bool,
) -> Filters:
    from ..ingest import normalise_published

    try:
        since = normalise_published(since) if since else None
        until = normalise_published(until) if until else None
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    return Filters(
        query=views.clean(q),
        speaker=views.clean(speaker),
        outlet=views.clean(outlet),
        since=since,
        until=until,
        type=type,
        category="speech" if quotes else None,
    )
