"""`onrecord serve` over PostgreSQL while the database server goes away and comes back:
every request gets the documented 503 (JSON for the API, the error page for a browser),
the log one line per request and no traceback, and the server recovers by itself.

The test runs a PostgreSQL cluster of its own (``own_pg``: the shared one stays up for
the other tests); skipped where PostgreSQL's programs are not installed."""

from __future__ import annotations

import contextlib
import time

import httpx
import pytest
from web_support import ONRECORD, database_with_one_article, serve

TOKEN = "outage-token"
HTML = {"accept": "text/html"}


def _until(check, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while True:
        with contextlib.suppress(httpx.HTTPError):
            result = check()
            if result:
                return result
        if time.monotonic() > deadline:
            pytest.fail("gave up waiting")
        time.sleep(0.2)


ARTICLE = {
    "text": "Ferry fares to rise\n\n“Fuel has doubled in a year,” said Ines Moreau, the "
    "operator's chief executive, on Tuesday.",
    "url": "https://outage.test/ferry",
    "outlet": "Coast Courier",
    "published": "2024-05-07",
}


def test_a_database_outage_is_a_503_and_the_server_recovers(own_pg, tmp_path):
    import psycopg

    if ONRECORD is None:
        pytest.skip("needs the onrecord command")
    with psycopg.connect(own_pg.admin_url, autocommit=True) as conn:
        conn.execute("CREATE DATABASE news")
    db = database_with_one_article(own_pg.admin_url.replace("/postgres?", "/news?"))
    log = tmp_path / "serve.log"
    with serve(db, TOKEN, log) as served, httpx.Client(base_url=served.base, timeout=60) as client:
        speaker = _until(lambda: client.get("/api/search?q=stoppage").json()["items"][0])
        auth = {"Authorization": f"Bearer {TOKEN}"}
        # Ingest works before the outage (and its worker is up).
        first = {**ARTICLE, "url": "https://outage.test/before", "title": "Before"}
        assert client.post("/api/articles", json=first, headers=auth).status_code == 201
        reads = [
            "/api/search?q=stoppage",
            f"/api/speakers/{speaker['speaker_id']}",
            f"/api/statements/{speaker['statement_id']}",
            "/api/speakers",
        ]
        own_pg.stop()
        for path in reads:
            response = client.get(path)
            assert response.status_code == 503, (path, response.text)
            assert response.json()["error"]["status"] == 503
            assert "database is unavailable" in response.json()["error"]["message"]
            assert response.headers["retry-after"]
        page = client.get("/?q=stoppage", headers=HTML)
        assert page.status_code == 503 and "<h1>503</h1>" in page.text
        assert "frame-ancestors" in page.headers["content-security-policy"]
        posted = client.post("/api/articles", json=ARTICLE, headers=auth)
        assert posted.status_code == 503, posted.text
        assert "database is unavailable" in posted.json()["error"]["message"]
        failed = len(reads) + 1

        own_pg.start()
        for path in reads:
            assert _until(lambda p=path: client.get(p).status_code == 200)
        assert client.get("/?q=stoppage", headers=HTML).status_code == 200
        assert client.post("/api/articles", json=ARTICLE, headers=auth).status_code == 201
    lines = log.read_text().splitlines()
    assert not [line for line in lines if "Traceback" in line], "\n".join(lines)
    unavailable = [line for line in lines if "database unavailable" in line]
    assert len(unavailable) == failed, "\n".join(lines)
