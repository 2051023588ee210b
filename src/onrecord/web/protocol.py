"""uvicorn's HTTP/1.1 protocol (h11) with a deadline on the request head.

uvicorn closes an idle kept-alive connection after ``timeout_keep_alive``, but a client
that sends a request's head a byte at a time (slowloris) resets that timer with every
byte and keeps its connection, and its file descriptor, for as long as it likes.  Here
the whole head (request line and headers) must arrive within ``HEAD_TIMEOUT_S`` of the
connection becoming ready for a request, or the connection is closed.  Other clients are
never blocked by a slow one (each connection is its own coroutine); this bounds how long
each slow one holds on.
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_TIMEOUT_S = 10.0


class HeadTimeoutH11Protocol(H11Protocol):
    head_timeout_s = HEAD_TIMEOUT_S

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._head_timer: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._watch_head()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch_head()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._watch_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def _waiting_for_head(self) -> bool:
        return self.conn.their_state is h11.IDLE and not self.transport.is_closing()

    def _watch_head(self) -> None:
        """Start the deadline when a head is awaited (not again at each byte of it);
        stop it once the head has come."""
        if not self._waiting_for_head():
            self._stop_head_timer()
        elif self._head_timer is None:
            self._head_timer = self.loop.call_later(self.head_timeout_s, self._head_too_slow)

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        response_pending = self.cycle is not None and not self.cycle.response_complete
        if self._waiting_for_head() and not response_pending:
            self.transport.close()
