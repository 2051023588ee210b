"""Hostile HTTP against a real `onrecord serve` (a subprocess on a loopback port, over a
small database): bodies over the limit, chunked or lying in their Content-Length, with
and without the token, ingest on and off; slow clients; oversize heads and query
strings; many connections; HEAD and odd methods.  The server must answer each with the
documented error, stay responsive for everyone else, and keep its memory bounded."""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import threading
import time

import httpx
import pytest
from web_support import ONRECORD, Served, database_with_one_article, free_port, serve

from onrecord.web.app import MAX_BODY, MAX_QUERY_STRING
from onrecord.web.protocol import HEAD_TIMEOUT_S

TOKEN = "adversarial-token"
pytestmark = pytest.mark.skipif(ONRECORD is None, reason="the onrecord command is not installed")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return database_with_one_article(str(tmp_path_factory.mktemp("adversarial") / "web.db"))


@pytest.fixture(scope="module")
def reader(db):
    """A server with ingest off."""
    with serve(db, token=None) as server:
        yield server


@pytest.fixture(scope="module")
def ingester(db):
    """A server with ingest on."""
    with serve(db, token=TOKEN) as server:
        yield server


# -- raw HTTP, for what an HTTP client library would not send ---------------------------


def _read_response(sock: socket.socket, timeout: float = 10) -> tuple[int, dict, bytes]:
    """Status, headers and body of one response (read until the body is complete or the
    connection closes)."""
    sock.settimeout(timeout)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", -1))
    with contextlib.suppress(OSError):
        while length < 0 or len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
    return status, headers, body[:length] if length >= 0 else body


def chunked_post(
    server: Served, total: int, headers: dict | None = None, chunk: int = 256 * 1024
) -> tuple[int, dict, bytes, int]:
    """POST /api/articles a chunked body of ``total`` bytes (no Content-Length), stopping
    as soon as the server answers or closes: (status, headers, body, bytes sent)."""
    sock = socket.create_connection(("127.0.0.1", server.port))
    head = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
    sock.sendall(
        b"POST /api/articles HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        + head.encode()
        + b"Transfer-Encoding: chunked\r\n\r\n"
    )
    piece = b'{"text": "' + b"a" * chunk
    sent = 0
    try:
        while sent < total:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:  # the server has answered (or closed): stop sending
                break
            sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            sent += len(piece)
            piece = b"a" * chunk
    except (BrokenPipeError, ConnectionResetError):
        pass
    try:
        status, response_headers, body = _read_response(sock)
    finally:
        sock.close()
    return status, response_headers, body, sent


def raw_request(server: Served, data: bytes) -> tuple[int, dict, bytes]:
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(data)  # the server may answer, and close, before all is sent
        return _read_response(sock)


def _error(body: bytes) -> dict:
    return json.loads(body)["error"]


# -- bodies ---------------------------------------------------------------------------

BIG = 120 * 2**20  # a chunked body far over the limit (12 MB)


def test_chunked_body_without_the_token_is_refused_before_it_is_read(reader, ingester):
    before = reader.rss_mb()
    status, headers, body, sent = chunked_post(reader, BIG)
    assert status == 403 and "off" in _error(body)["message"]
    assert sent < BIG  # answered while the body was still coming
    assert headers.get("connection") == "close"
    status, _, body, sent = chunked_post(ingester, BIG, headers={"Authorization": "Bearer wrong"})
    assert status == 401 and sent < BIG
    status, _, body, sent = chunked_post(ingester, BIG)
    assert status == 401 and sent < BIG
    assert reader.rss_mb() - before < 20
    assert reader.healthy() and ingester.healthy()


def test_chunked_body_over_the_limit_with_the_token_gets_413_and_memory_stays_bounded(
    ingester,
):
    before = ingester.rss_mb()
    status, headers, body, sent = chunked_post(
        ingester, BIG, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    grew = ingester.rss_mb() - before
    assert status == 413, body
    assert _error(body)["message"] == f"request body over {MAX_BODY // 2**20} MB"
    assert MAX_BODY <= sent < BIG
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert grew < 50, f"the server grew by {grew:.0f} MB"
    assert ingester.healthy()


def test_a_content_length_over_the_limit_is_refused_before_the_body(ingester):
    status, headers, body = raw_request(
        ingester,
        b"POST /api/articles HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        + f"Authorization: Bearer {TOKEN}\r\nContent-Length: {50 * 2**20}\r\n\r\n".encode(),
    )
    assert status == 413 and _error(body)["status"] == 413
    assert headers["referrer-policy"] == "same-origin"


def test_a_body_longer_than_its_content_length_is_cut_there(ingester):
    # Content-Length says 20 bytes; what follows them is not part of this request.
    status, _, body = raw_request(
        ingester,
        b"POST /api/articles HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
        + f"Authorization: Bearer {TOKEN}\r\nContent-Length: 20\r\n\r\n".encode()
        + b'{"text": "'
        + b"a" * 5_000_000
        + b'"}',
    )
    assert status == 422 and _error(body)["status"] == 422
    assert ingester.healthy()


# -- slow and many clients ------------------------------------------------------------


def test_a_slowloris_neither_blocks_others_nor_keeps_its_connection(reader):
    slow = [socket.create_connection(("127.0.0.1", reader.port)) for _ in range(20)]
    head = b"GET / HTTP/1.1\r\nHost: t\r\n" + b"X-Slow: " + b"a" * 200
    closed_after: dict[int, float] = {}
    start = time.monotonic()

    def trickle(i: int, sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            for byte in head:
                sock.sendall(bytes([byte]))
                time.sleep(0.2)  # 200 bytes: 40 s, longer than the head may take
                if select.select([sock], [], [], 0)[0] and not sock.recv(1):
                    break
        closed_after[i] = time.monotonic() - start

    threads = [threading.Thread(target=trickle, args=(i, s)) for i, s in enumerate(slow)]
    for t in threads:
        t.start()
    latencies = []
    while time.monotonic() - start < HEAD_TIMEOUT_S - 1:
        t0 = time.monotonic()
        assert reader.healthy()
        latencies.append(time.monotonic() - t0)
        time.sleep(0.2)
    for t in threads:
        t.join(timeout=HEAD_TIMEOUT_S + 10)
    for sock in slow:
        sock.close()
    assert max(latencies) < 1.0, latencies
    assert len(closed_after) == len(slow)
    assert all(HEAD_TIMEOUT_S - 1 < s < HEAD_TIMEOUT_S + 5 for s in closed_after.values())


def test_many_connections_at_once(reader):
    idle = [socket.create_connection(("127.0.0.1", reader.port)) for _ in range(300)]
    try:
        results: list[int] = []

        def fetch() -> None:
            results.append(
                httpx.get(reader.base + "/api/search?q=stoppage", timeout=10).status_code
            )

        threads = [threading.Thread(target=fetch) for _ in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == [200] * 50
    finally:
        for sock in idle:
            sock.close()


# -- heads, query strings, methods ----------------------------------------------------


def test_an_oversize_head_is_refused_and_the_server_goes_on(reader):
    status, _, _ = raw_request(
        reader, b"GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n"
    )
    assert status in (400, 431)
    assert reader.healthy()


def test_an_oversize_query_string_gets_the_documented_error(reader):
    response = httpx.get(reader.base + "/api/search?q=" + "a" * (MAX_QUERY_STRING + 10))
    assert response.status_code == 400
    assert response.json() == {"error": {"status": 400, "message": "query string too long"}}
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_head_and_odd_methods(reader):
    page = httpx.head(reader.base + "/")
    assert page.status_code == 200 and page.content == b""
    assert page.headers["x-frame-options"] == "DENY"
    assert httpx.head(reader.base + "/api/search?q=stoppage").status_code == 200
    assert httpx.head(reader.base + "/static/style.css").status_code == 200
    wrong = httpx.request("DELETE", reader.base + "/api/search")
    assert wrong.status_code == 405 and _error(wrong.content)["status"] == 405
    status, _, _ = raw_request(reader, b"BREW / HTTP/1.1\r\nHost: t\r\n\r\n")
    assert status == 405
    status, _, _ = raw_request(reader, b"\x16\x03\x01 not http at all\r\n\r\n")
    assert status == 400
    assert reader.healthy()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_says_where_it_is_once_it_answers_there(db, workers):
    """`make demo` ends in `onrecord serve`, which never returns: the line it prints is
    the signal that the URL works, so by then the page must answer."""
    port = free_port()
    process = subprocess.Popen(
        [ONRECORD, "serve", "--db", db, "--port", str(port), "--workers", workers],
        env={**os.environ, "ONRECORD_API_TOKEN": ""},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        line = process.stderr.readline()
        assert line.startswith(f"onrecord: serving http://127.0.0.1:{port}/ "), line
        assert "Ctrl-C stops it" in line
        if workers == "1":  # ready means ready: the first request is answered
            assert httpx.get(f"http://127.0.0.1:{port}/", timeout=10).status_code == 200
        answered = None
        deadline = time.monotonic() + 30  # workers > 1: connections queue until one is up
        while answered is None and time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                answered = httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code
        assert answered == 200
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
