"""The web app and the JSON API, through the real app (no browser here; see
test_browser.py): pages and their JSON twins, errors, limits, the ingest token, and a
hostile article whose HTML must never reach a page unescaped."""

import json
import re

import pytest
from fastapi.testclient import TestClient

from onrecord import extract
from onrecord.store import Store
from onrecord.web import create_app
from onrecord.web.app import MAX_BODY, MAX_QUERY_STRING

HARBOUR = (
    "Dockers strike at Rivna\n\n"
    "“We cannot afford a long stoppage,” Port Authority director Paul Reyes told the "
    "Harbour Gazette on Sunday.\n\n"
    "Union chair Marta Kowal said the workers would not back down."
)
WIRE = (
    "Rivna strike enters second day\n\n"
    "“We cannot afford a long stoppage,” Paul Reyes told the Harbour Gazette.\n\n"
    "Exports fell by a third in the spring, the statistics office reported."
)
HOSTILE = (
    "<script>alert('title')</script> Council <b>vote</b>\n\n"
    "“<script>alert(1)</script> We will <img src=x onerror=alert(2)> win,” said Eve "
    "<i>Mallory</i>, the spokeswoman.\n\n"
    "She said the \"<a href='javascript:alert(3)'>plan</a>\" was final."
)
TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "web.db"
    with Store(str(path)) as store:
        store.add(
            extract(
                HARBOUR,
                url="https://gazette.test/1",
                outlet="Harbour Gazette",
                published="2024-03-11",
            )
        )
        store.add(
            extract(WIRE, url="https://wire.test/2", outlet="Nordic Wire", published="2024-03-12")
        )
        store.add(
            extract(
                HOSTILE,
                url="https://evil.test/<x>",
                outlet="<b>Evil</b> Times",
                title="<script>alert('t')</script>",
                published="2024-03-13",
            )
        )
    return str(path)


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


HTML = {"accept": "text/html"}


def test_search_page_and_its_json_twin_show_the_same_statements(client):
    page = client.get("/?q=stoppage", headers=HTML)
    api = client.get("/api/search?q=stoppage").json()
    assert page.status_code == 200
    assert [h["content"] for h in api["items"]] == ["We cannot afford a long stoppage,"]
    hit = api["items"][0]
    assert (hit["speaker"], hit["outlets"], hit["reports"]) == ("Paul Reyes", 2, 2)
    assert hit["carried_by"] == ["Harbour Gazette", "Nordic Wire"]
    assert "We cannot afford a long stoppage," in page.text
    assert (
        'carried by <span class="outlet">Harbour Gazette</span> and '
        '<span class="outlet">Nordic Wire</span>' in page.text
    )


def test_search_filters(client):
    by_outlet = client.get("/api/search?outlet=Nordic Wire").json()["items"]
    assert {h["outlet"] for h in by_outlet} == {"Nordic Wire"}
    by_date = client.get("/api/search?since=2024-03-13").json()["items"]
    assert {h["date"] for h in by_date} == {"2024-03-13"}
    by_speaker = client.get("/api/search?speaker=Kowal").json()["items"]
    assert [h["speaker"] for h in by_speaker] == ["Marta Kowal"]
    direct = client.get("/api/search?type=direct").json()["items"]
    assert direct and all(h["type"] == "direct" for h in direct)


def test_pagination_links(client):
    first = client.get("/api/search?limit=1").json()
    assert len(first["items"]) == 1 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert second["offset"] == 1
    assert second["items"][0]["statement_id"] != first["items"][0]["statement_id"]


def test_speaker_page(client):
    speaker_id = client.get("/api/search?speaker=Reyes").json()["items"][0]["speaker_id"]
    profile = client.get(f"/api/speakers/{speaker_id}").json()
    assert profile["name"] == "Paul Reyes"
    assert "Port Authority director" in profile["roles"]
    assert profile["outlets"] == [
        {"outlet": "Harbour Gazette", "statements": 1},
        {"outlet": "Nordic Wire", "statements": 1},
    ]
    assert profile["timeline"] == [{"month": "2024-03", "statements": 2}]
    assert "stoppage" in {t["term"] for t in profile["terms"]}
    page = client.get(f"/speakers/{speaker_id}", headers=HTML)
    assert page.status_code == 200
    assert "<svg" in page.text and "2024-03: 2" in page.text


def test_statement_page_highlights_it_in_its_article(client):
    hit = client.get("/api/search?q=stoppage").json()["items"][0]
    data = client.get(f"/api/statements/{hit['statement_id']}").json()
    assert [r["outlet"] for r in data["reports"]] == ["Harbour Gazette", "Nordic Wire"]
    assert data["reports"][0]["relay_chain"] == ["Paul Reyes", "Harbour Gazette"]
    page = client.get(f"/statements/{hit['statement_id']}", headers=HTML).text
    assert '<mark class="m-content' in page
    assert "We cannot afford a long stoppage," in page
    assert '<mark class="m-cue' in page and ">told</mark>" in page
    assert '<mark class="m-time' in page and ">on Sunday</mark>" in page


def test_article_page_marks_every_statement(client):
    hit = client.get("/api/search?q=exports").json()["items"][0]
    statement = client.get(f"/api/statements/{hit['statement_id']}").json()
    article_id = statement["reports"][0]["article_id"]
    article = client.get(f"/api/articles/{article_id}").json()
    page = client.get(f"/articles/{article_id}", headers=HTML).text
    assert article["statements"]
    for record in article["statements"]:
        assert f'data-statement="{record["id"]}"' in page
        assert f'id="{record["id"]}"' in page


def test_hostile_article_is_escaped_everywhere(client):
    hits = client.get("/api/search?q=win").json()["items"]
    assert hits
    statement_id = hits[0]["statement_id"]
    article_id = client.get(f"/api/statements/{statement_id}").json()["reports"][0]["article_id"]
    pages = [
        client.get("/?q=win", headers=HTML).text,
        client.get("/?outlet=<b>Evil</b> Times", headers=HTML).text,
        client.get(f"/statements/{statement_id}", headers=HTML).text,
        client.get(f"/articles/{article_id}", headers=HTML).text,
        client.get("/speakers", headers=HTML).text,
        client.get("/?q=<script>alert(9)</script>", headers=HTML).text,
    ]
    for page in pages:
        for raw in ("<script>alert", "<img src=x", "<b>Evil", "<a href='javascript", "<i>Mallory"):
            assert raw not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[2]
    assert "&lt;b&gt;Evil&lt;/b&gt; Times" in pages[1]


def test_security_headers(client):
    response = client.get("/", headers=HTML)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_every_response_carries_the_security_headers(client):
    over = {"content-type": "application/json", "content-length": str(50 * 2**20)}
    responses = {
        "query too long": client.get("/api/search?q=" + "a" * (MAX_QUERY_STRING + 10)),
        "body too big": client.post("/api/articles", content=b"{}", headers=over),
        "ingest off": client.post("/api/articles", json={"text": "x"}),
        "missing static file": client.get("/static/missing.css"),
        "missing page": client.get("/statements/999999", headers=HTML),
        "wrong method": client.delete("/api/search"),
        "static file": client.get("/static/style.css"),
        "schema": client.get("/openapi.json"),
        "head": client.head("/"),
    }
    for what, response in responses.items():
        headers = response.headers
        assert "frame-ancestors 'none'" in headers.get("content-security-policy", ""), what
        assert headers.get("x-frame-options") == "DENY", what
        assert headers.get("x-content-type-options") == "nosniff", what
        assert headers.get("referrer-policy") == "same-origin", what


def test_head_is_get_without_the_body(client):
    for path in ("/", "/speakers", "/api/search?q=stoppage", "/static/style.css"):
        head, get = client.head(path), client.get(path)
        assert head.status_code == 200 == get.status_code, path
        assert head.content == b"" and get.content
        assert head.headers["content-type"] == get.headers["content-type"]
    assert client.head("/statements/999999").status_code == 404


def test_a_chunked_body_over_the_limit_is_refused_whatever_its_length_says(db):
    sent = 0

    def body():  # no Content-Length: the body is sent in chunks
        nonlocal sent
        while sent < 2 * MAX_BODY:
            sent += 2**20
            yield b"a" * 2**20

    auth = {"authorization": f"Bearer {TOKEN}", "content-type": "application/json"}
    client = TestClient(create_app(db, token=TOKEN))  # no lifespan: no extraction worker
    response = client.post("/api/articles", content=body(), headers=auth)
    assert response.status_code == 413
    assert response.json()["error"]["message"] == f"request body over {MAX_BODY // 2**20} MB"
    sent = 0
    off = TestClient(create_app(db)).post("/api/articles", content=body(), headers=auth)
    assert off.status_code == 403


def test_a_body_that_stops_coming_is_refused():
    import anyio

    from onrecord.web.middleware import RequestLimits

    async def reads_its_body(scope, receive, send):
        while (await receive()).get("more_body"):
            pass
        raise AssertionError("the body never ended")

    async def one_chunk_then_silence():
        if not sent:
            sent.append(1)
            return {"type": "http.request", "body": b'{"text": "', "more_body": True}
        await anyio.sleep(60)

    sent: list = []
    answered: list = []

    async def send(message):
        answered.append(message)

    limits = RequestLimits(reads_its_body, max_body=MAX_BODY, max_query=100, body_timeout=0.2)
    scope = {"type": "http", "method": "POST", "path": "/api/articles", "headers": []}

    async def main():
        with anyio.fail_after(10):  # answered long before
            await limits(scope, one_chunk_then_silence, send)

    anyio.run(main)
    assert answered[0]["status"] == 408
    assert json.loads(answered[1]["body"])["error"]["status"] == 408


def test_api_docs_are_served_from_this_server(client):
    page = client.get("/api/docs", headers=HTML)
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert "/openapi.json" in sources
    assert all(s.startswith("/") for s in sources), sources  # nothing from a CDN
    for asset in (s for s in sources if s.startswith("/api/docs/assets/")):
        assert client.get(asset).status_code == 200, asset


def test_errors_have_one_shape(client):
    missing = client.get("/api/statements/999999")
    assert missing.status_code == 404
    assert missing.json() == {"error": {"status": 404, "message": "no statement 999999"}}
    bad = client.get("/api/search?since=yesterday")
    assert bad.status_code == 422 and bad.json()["error"]["status"] == 422
    bad_date = client.get("/api/search?since=2024-02-31")
    assert bad_date.status_code == 422
    huge_id = client.get("/api/speakers/99999999999999999999")
    assert huge_id.status_code == 422
    page = client.get("/statements/999999", headers=HTML)
    assert page.status_code == 404 and "<h1>404</h1>" in page.text


def test_parameters_never_reach_sql_as_text(client):
    for value in ("'; DROP TABLE reports; --", '" OR 1=1 --', "NEAR(", "*", "\\", "%_%"):
        for name in ("q", "speaker", "outlet"):
            response = client.get("/api/search", params={name: value})
            assert response.status_code == 200, (name, value)
    assert client.get("/api/search?q=stoppage").json()["items"]  # the table is still there


def test_limits(client):
    long = client.get("/api/search?q=" + "a" * (MAX_QUERY_STRING + 10))
    assert long.status_code == 400
    assert long.json()["error"]["message"] == "query string too long"
    too_many = client.get("/api/search?limit=1000")
    assert too_many.status_code == 422
    big = client.post(
        "/api/articles",
        content=b"{}",
        headers={"content-type": "application/json", "content-length": str(50 * 2**20)},
    )
    assert big.status_code == 413


def test_ingest_is_off_without_a_token(client):
    response = client.post("/api/articles", json={"text": "The mayor said the bridge would open."})
    assert response.status_code == 403
    assert "off" in response.json()["error"]["message"]


def test_ingest_with_the_token_then_find_the_statement(db):
    with TestClient(create_app(db, token=TOKEN)) as c:
        article = {
            "text": "Bridge to reopen\n\nThe mayor, Lena Fischer, said the Old Bridge would "
            "reopen to traffic on Friday.",
            "url": "https://ledger.test/bridge",
            "outlet": "Ledger",
            "published": "2024-04-02",
        }
        assert c.post("/api/articles", json=article).status_code == 401
        wrong = {"authorization": "Bearer not-the-token"}
        assert c.post("/api/articles", json=article, headers=wrong).status_code == 401
        right = {"authorization": f"Bearer {TOKEN}"}
        created = c.post("/api/articles", json=article, headers=right)
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["outcome"] == "new"
        assert [s["speaker"]["name"] for s in body["article"]["statements"]] == ["Lena Fischer"]
        again = c.post("/api/articles", json=article, headers=right).json()
        assert again["outcome"] == "unchanged"
        hits = c.get("/api/search?q=Old Bridge").json()["items"]
        assert [h["speaker"] for h in hits] == ["Lena Fischer"]
        bad = c.post("/api/articles", json={"text": "   "}, headers=right)
        assert bad.status_code == 422
        both = c.post("/api/articles", json={"text": "a", "html": "<p>a</p>"}, headers=right)
        assert both.status_code == 422


def test_openapi_schema_describes_the_api(client):
    schema = client.get("/openapi.json").json()
    assert {
        "/api/search",
        "/api/speakers",
        "/api/speakers/{speaker_id}",
        "/api/statements/{statement_id}",
        "/api/articles",
        "/api/articles/{article_id}",
    } <= set(schema["paths"])
    assert "/" not in schema["paths"]  # pages are not part of the API
    json.dumps(schema)
