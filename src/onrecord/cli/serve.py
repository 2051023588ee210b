"""`onrecord serve`: the web app and the JSON API over a statement database."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from ..errors import OnrecordError
from . import app
from .console import error
from .options import DbOption

TOKEN_ENV = "ONRECORD_API_TOKEN"
BUDGET_ENV = "ONRECORD_INGEST_BUDGET"
# Most bytes of a request's head (request line and headers): above the app's own limit
# on query strings, so that a long query gets the app's JSON error, not uvicorn's.
MAX_HEAD = 64 * 1024


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    ingest_budget: Annotated[
        float,
        typer.Option(
            min=1, help="Seconds one article posted to the API may take to extract (then 422)."
        ),
    ] = 60.0,
) -> None:
    """Serve the web app and the JSON API (read-only unless $ONRECORD_API_TOKEN is set,
    which enables POST /api/articles with that bearer token)."""
    import uvicorn

    from ..web import create_app
    from ..web.protocol import HeadTimeoutH11Protocol

    token = os.environ.get(TOKEN_ENV) or None
    try:
        create_app(db, token).state.store.close()  # fail now, in one line, on a bad db
    except OnrecordError as exc:
        error(str(exc))
        raise typer.Exit(2) from None
    if db:
        os.environ["ONRECORD_DB"] = db
    os.environ[BUDGET_ENV] = str(ingest_budget)
    announce = (
        f"onrecord: serving http://{_url_host(host)}:{port}/  (API: /api, docs: /api/docs; "
        f"ingest {'on' if token else 'off'}) — Ctrl-C stops it"
    )
    config = uvicorn.Config(
        "onrecord.web.server:app",
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        http=HeadTimeoutH11Protocol,
        h11_max_incomplete_event_size=MAX_HEAD,
        timeout_keep_alive=5,
    )
    _run(config, announce)


def _url_host(host: str) -> str:
    """The address to put in a URL: an IPv6 one in brackets, 'all addresses' as the
    local one a browser on this machine can open."""
    if host in ("0.0.0.0", "::", ""):
        return "127.0.0.1" if host != "::" else "[::1]"
    return f"[{host}]" if ":" in host else host


def _run(config, announce: str) -> None:
    """uvicorn.run, saying ``announce`` on stderr once the server takes connections (a
    browser opened before that line would find nothing), and only once."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    class Announcing(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=sockets)
            if self.started and config.workers == 1:
                typer.echo(announce, err=True)

    server = Announcing(config=config)
    try:
        if config.workers > 1:
            sock = config.bind_socket()  # bound here: connections queue until a worker is up
            typer.echo(announce, err=True)
            Multiprocess(config, sockets=[sock]).run()
            return
        server.run()
    except KeyboardInterrupt:
        return
    if not server.started:  # uvicorn has logged why (the address in use, say)
        raise typer.Exit(1)
