"""Pure ASGI middleware: what must hold for every request before, or whatever, a route
does with it.

- ``SecurityHeaders``: every response carries the security headers, errors included.
- ``HeadAsGet``: HEAD is answered as GET without the body.
- ``RequestLimits``: a query string or a body over its limit is refused; the body is
  counted as it arrives (a chunked body declares no length), never buffered here.
- ``TokenGate``: a route that needs the ingest token is refused without it before a
  byte of its body is read (FastAPI reads and parses a body before any dependency or
  route code runs).
"""

from __future__ import annotations

import hmac

import anyio
from fastapi import HTTPException
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .responses import SECURITY_HEADERS, error_response

# An error answered before the request body was read: the rest of the body is not
# wanted, so the connection closes instead of the server reading it to find the next
# request.
CLOSE = {"connection": "close"}


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:  # a page may set a policy of its own
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """Every GET route answers HEAD too: the same status and headers, no body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)


class BodyTooLarge(HTTPException):
    def __init__(self, max_body: int) -> None:
        super().__init__(413, f"request body over {max_body // 2**20} MB", headers=CLOSE)


class BodyTooSlow(HTTPException):
    def __init__(self, seconds: float) -> None:
        super().__init__(408, f"no part of the request body came for {seconds:g} s", headers=CLOSE)


class RequestLimits:
    """Refuse a query string over ``max_query`` bytes (400) and a body over ``max_body``
    bytes (413): at once when its Content-Length says so, and otherwise as soon as the
    bytes received pass the limit, whatever the length claimed.  A body that stops
    coming for ``body_timeout`` seconds is refused (408) rather than waited for."""

    def __init__(
        self, app: ASGIApp, max_body: int, max_query: int, body_timeout: float = 30.0
    ) -> None:
        self.app = app
        self.max_body = max_body
        self.max_query = max_query
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        refusal = self._refusal(scope)
        if refusal is not None:
            response = error_response(Request(scope), *refusal, headers=CLOSE)
            return await response(scope, receive, send)
        await self._counting(scope, receive, send)

    def _refusal(self, scope: Scope) -> tuple[int, str] | None:
        if len(scope.get("query_string", b"")) > self.max_query:
            return 400, "query string too long"
        length = Headers(scope=scope).get("content-length")
        if length is None:
            return None
        if not length.isdigit():
            return 400, "bad Content-Length"
        if int(length) > self.max_body:
            return 413, BodyTooLarge(self.max_body).detail
        return None

    async def _counting(self, scope: Scope, receive: Receive, send: Send) -> None:
        received = 0
        body_done = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, body_done
            if body_done:  # after the body, receive() waits for a disconnect: no limit
                return await receive()
            try:
                with anyio.fail_after(self.body_timeout):
                    message = await receive()
            except TimeoutError:
                raise BodyTooSlow(self.body_timeout) from None
            if message["type"] == "http.request":
                body_done = not message.get("more_body", False)
                received += len(message.get("body", b""))
                if received > self.max_body:
                    # Raised where the route reads its body, and answered there as an
                    # HTTP error like any other.
                    raise BodyTooLarge(self.max_body)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except (BodyTooLarge, BodyTooSlow) as exc:  # read by code that let it through
            if started:
                raise
            response = error_response(Request(scope), exc.status_code, exc.detail, CLOSE)
            await response(scope, receive, send)


def check_token(expected: str | None, authorization: str | None) -> None:
    """Ingest needs the configured token, compared in constant time."""
    if not expected:
        raise HTTPException(403, "ingest through the API is off (no token configured)")
    given = ""
    if authorization and authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
    if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        raise HTTPException(401, "missing or wrong token")


class TokenGate:
    """Refuse a request to one of ``routes`` ({(method, path)}) unless it carries the
    token ``expected``, before its body is read."""

    def __init__(self, app: ASGIApp, routes: set[tuple[str, str]], expected: str | None) -> None:
        self.app = app
        self.routes = routes
        self.expected = expected

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (scope["method"], _route_path(scope)) in self.routes:
            try:
                check_token(self.expected, Headers(scope=scope).get("authorization"))
            except HTTPException as refused:
                headers = {**(refused.headers or {}), **CLOSE}
                response = error_response(
                    Request(scope), refused.status_code, refused.detail, headers
                )
                return await response(scope, receive, send)
        await self.app(scope, receive, send)


def _route_path(scope: Scope) -> str:
    """The path as the routes see it: without the prefix the app is mounted under."""
    path, root = scope["path"], scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path
