"""The web app and JSON API over a statement database (`onrecord serve`).

Read-only unless an ingest token is configured: then ``POST /api/articles`` with
``Authorization: Bearer <token>`` stores an article.  Every page has a JSON twin under
``/api``; both come from the same queries (onrecord.search) and views (views.py).

    app         create_app(): settings, middleware, error handlers, the routers
    api, pages  the JSON API and the pages over it; params: the parameters they share
    views       what a page of results holds; what only pages draw (highlights, charts)
    models      the shapes only the web has (a page of hits, a posted article, errors)
    ingest      POST /api/articles' extraction worker
    middleware, protocol, responses, docs, server: limits, headers, errors, /api/docs,
                the app uvicorn loads
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import exc as sa
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import OnrecordError, one_line
from ..search import TYPES, http_url
from ..store import Store
from . import docs, views
from .api import router as api_router
from .ingest import DEFAULT_BUDGET_S, DEFAULT_QUEUE, IngestWorker
from .middleware import HeadAsGet, RequestLimits, SecurityHeaders, TokenGate
from .pages import router as page_router
from .responses import error_response

HERE = Path(__file__).parent
MAX_BODY = 12 * 1024 * 1024  # an article (10 MB) and its JSON overhead
# Long enough for every parameter at its maximum length, percent-encoded.
MAX_QUERY_STRING = 32768
INGEST = ("POST", "/api/articles")
# Database errors that mean "the database is not there now" rather than a bug.
OUTAGES = (sa.OperationalError, sa.InterfaceError, sa.DisconnectionError, sa.TimeoutError)
log = logging.getLogger("onrecord.web")


class Settings:
    def __init__(self, db: str | None, token: str | None) -> None:
        self.db = db
        self.token = token or None


def create_app(
    db: str | None = None,
    token: str | None = None,
    ingest_budget_s: float = DEFAULT_BUDGET_S,
    ingest_queue: int = DEFAULT_QUEUE,
) -> FastAPI:
    """The app over the database ``db`` (a path or URL); ``token`` enables ingest, each
    article extracted within ``ingest_budget_s`` seconds, ``ingest_queue`` waiting."""
    settings = Settings(db, token)
    store = Store(db, create=True)
    ingest = IngestWorker(db, budget_s=ingest_budget_s, queue_size=ingest_queue)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        if settings.token:
            ingest.start()
        yield
        ingest.close()
        store.close()

    app = FastAPI(
        lifespan=lifespan,
        title="onrecord",
        version=__version__,
        description="Who said what, to whom or through which outlet, and when.\n\n"
        "Lists (search, speakers, a speaker, an article) hold statements of speech and "
        "belief, as the pages show them; `all=1` gives every kind (evidence, stance, "
        "other), and `other_kinds` says what was left out.",
        docs_url=None,  # served by docs.py, from local files
        redoc_url=None,
    )
    app.state.store = store
    app.state.settings = settings
    app.state.ingest = ingest
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["version"] = __version__
    templates.env.globals["colour"] = views.statement_colour
    templates.env.globals["types"] = TYPES
    templates.env.filters["web_url"] = http_url
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    docs.install(app)

    # The last added runs first: headers on everything, then HEAD, limits, the token.
    app.add_middleware(TokenGate, routes={INGEST}, expected=settings.token)
    app.add_middleware(RequestLimits, max_body=MAX_BODY, max_query=MAX_QUERY_STRING)
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)
    _add_error_handlers(app)
    app.include_router(api_router)
    app.include_router(page_router)

    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        # Keep the exception's headers: a 405 must say what is Allowed.
        return error_response(request, exc.status_code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body"))
        message = (
            f"{where}: {first.get('msg', 'invalid')}" if where else first.get("msg", "invalid")
        )
        return error_response(request, 422, message)

    @app.exception_handler(OnrecordError)
    async def store_error(request: Request, exc: OnrecordError):
        return error_response(request, 503, str(exc))

    async def database_error(request: Request, exc: sa.SQLAlchemyError):
        if not isinstance(exc, OUTAGES) and not getattr(exc, "connection_invalidated", False):
            raise exc  # a bug, not an outage: a 500 with its traceback in the log
        log.warning(
            "onrecord: database unavailable (%s %s): %s",
            request.method,
            request.url.path,
            one_line(exc),
        )
        return error_response(
            request,
            503,
            "the database is unavailable; try again shortly",
            headers={"Retry-After": "5"},
        )

    for error in (sa.DBAPIError, sa.DisconnectionError, sa.TimeoutError):
        app.add_exception_handler(error, database_error)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):
        # Answered outside every middleware: the headers come with error_response.
        return error_response(request, 500, "internal server error")
