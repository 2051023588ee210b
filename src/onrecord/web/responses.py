"""The headers every response carries and the one shape of every error, shared by the
routes, the exception handlers and the ASGI middleware (which answers some requests
before any route sees them)."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from starlette.requests import Request

# Scripts, styles and images only from this server; no plugins, no <base> hijack, no
# form posting elsewhere, and no framing by any page (clickjacking).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def wants_json(request: Request) -> bool:
    """The API always answers JSON; elsewhere only a browser (asking for HTML) gets a page."""
    return request.url.path.startswith("/api") or "text/html" not in request.headers.get(
        "accept", ""
    )


def error_response(request: Request, status: int, message: str, headers: dict | None = None):
    """One error shape: ``{"error": {"status", "message"}}`` for the API, a page for people."""
    message = " ".join(message.split())
    headers = {**SECURITY_HEADERS, **(headers or {})}
    if wants_json(request):
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
