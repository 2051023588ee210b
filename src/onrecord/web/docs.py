"""/api/docs: Swagger UI over /openapi.json, from files installed with the package
``fastapi-offline`` (no CDN: the pages' policy allows scripts and styles from this server
only, and a server may reach no CDN).  Without that package the page says where the
schema is."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS = "/api/docs"
ASSETS = "/api/docs/assets"


def swagger_ui_files() -> Path | None:
    """The folder with swagger-ui-bundle.js and swagger-ui.css, if installed."""
    try:
        import fastapi_offline
    except ImportError:
        return None
    folder = Path(fastapi_offline.__file__).parent / "static"
    return folder if (folder / "swagger-ui-bundle.js").is_file() else None


def install(app: FastAPI) -> None:
    files = swagger_ui_files()
    if files is not None:
        app.mount(ASSETS, StaticFiles(directory=str(files)), name="swagger-ui")

    @app.get(DOCS, include_in_schema=False, response_class=HTMLResponse)
    def api_docs(request: Request):
        return request.app.state.templates.TemplateResponse(
            request,
            "docs.html",
            {"title": "API", "swagger": files is not None, "assets": ASSETS},
        )
