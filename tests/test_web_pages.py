"""What a newcomer sees on the pages: a timeline that reads as a chart even for one
month, top terms that say what this speaker talks about (not "whether" or what everyone
says), who carried a statement by name even when the article has no outlet or date, and
an article's URL as a link only when it is a web address."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from onrecord import extract
from onrecord.ingest import article_from_text
from onrecord.search import MonthCount
from onrecord.store import Store
from onrecord.store.schema import articles
from onrecord.web import create_app
from onrecord.web.views import MAX_BAR, MIN_MONTHS, timeline_bars

HTML = {"accept": "text/html"}
MINISTER = [
    "“The desalination plant will open whether or not the harbour board agrees,” said "
    "Mara Lindqvist, the water minister.",
    "“Without desalination the harbour towns will run dry soon,” said Mara Lindqvist, the "
    "water minister.",
    "“The harbour needs a new pier soon, whether the council pays or not,” said Mara "
    "Lindqvist, the water minister.",
]
OTHERS = [
    "“The harbour must stay open to the fishing fleet,” said Jon Berg, the mayor.",
    "“Our harbour is the heart of this town,” said Eva Holm, a local trader.",
    "“Nobody will close the harbour on my watch,” said Lars Dahl, the port manager.",
    "“The harbour fees are too high,” said Ana Lund, who runs the ferry company.",
    "“Tourists come for the harbour and the old fort,” said Per Nyberg, a guide.",
]
UNSAFE = ["javascript:alert(1)", " JavaScript:alert(2)", "data:text/html,<script>x</script>"]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("pages") / "pages.db")
    with Store(path) as store:
        for i, sentence in enumerate(MINISTER):
            store.add(
                extract(
                    f"Water plan {i}\n\n{sentence}",
                    url=f"https://coast.test/{i}",
                    outlet="Coast Post",
                    published="2024-03-1" + str(i),
                )
            )
        for i, sentence in enumerate(OTHERS):
            store.add(
                extract(
                    f"Harbour {i}\n\n{sentence}",
                    url=f"https://bay.test/{i}",
                    outlet="Bay News",
                    published="2023-06-0" + str(i + 1),
                )
            )
        # An undated article from a file, with no outlet: "carried by" names the file.
        store.add(
            extract(
                article_from_text(
                    "Fort to reopen\n\n“The fort will reopen in May,” said Ola Strand, "
                    "the museum director.",
                    source="notes/fort.txt",
                )
            )
        )
        # Articles stored before URLs were checked: a script or data "URL".
        for i, url in enumerate(UNSAFE):
            store.add(
                extract(
                    f"Old record {i}\n\n“The pier is safe,” said Kari Moe, the engineer {i}.",
                    url=f"https://placeholder.test/{i}",
                )
            )
            with store.engine.begin() as conn:
                conn.execute(
                    update(articles)
                    .where(articles.c.url == f"https://placeholder.test/{i}")
                    .values(url=url)
                )
    return path


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


def _speaker_id(client, name: str) -> int:
    hits = client.get("/api/search", params={"speaker": name}).json()["items"]
    assert hits, name
    return hits[0]["speaker_id"]


def test_top_terms_say_what_this_speaker_talks_about(client):
    profile = client.get(f"/api/speakers/{_speaker_id(client, 'Lindqvist')}").json()
    terms = [t["term"] for t in profile["terms"]]
    assert terms[0] == "desalination"
    # Said by everyone, so ranked below what only this speaker says, though said more.
    counts = {t["term"]: t["count"] for t in profile["terms"]}
    assert counts["harbour"] == 3 > counts["desalination"] == 2
    assert terms.index("harbour") > terms.index("desalination")
    assert not {"whether", "without", "soon", "not", "the", "said"} & set(terms)


def test_a_timeline_of_one_month_is_a_chart_of_a_year(client):
    speaker_id = _speaker_id(client, "Lindqvist")
    assert client.get(f"/api/speakers/{speaker_id}").json()["timeline"] == [
        {"month": "2024-03", "statements": 3}
    ]
    page = client.get(f"/speakers/{speaker_id}", headers=HTML).text
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', page)]
    assert len(widths) == 1 and widths[0] <= MAX_BAR  # a bar, not a slab
    labels = re.findall(r'<text class="x"[^>]*>([^<]+)</text>', page)
    assert len(labels) >= 4 and "Mar 2024" in labels, labels
    assert "2024-03: 3 statements" in page


def test_timeline_months_keep_their_distance():
    chart = timeline_bars([MonthCount("2023-11", 4), MonthCount("2024-02", 1)])
    first, second = chart["bars"]
    step = (chart["width"] - chart["left"]) / MIN_MONTHS
    assert second["x"] - first["x"] == pytest.approx(3 * step, abs=0.2)  # Nov → Feb
    assert first["h"] == pytest.approx(4 * second["h"], rel=0.01)
    # Over five years the labels are years, a handful of them.
    long = timeline_bars([MonthCount("2019-01", 1), MonthCount("2023-12", 1)])
    assert [t["label"] for t in long["ticks"]] == ["2019", "2020", "2021", "2022", "2023"]


def test_who_carried_a_statement_is_named_even_without_outlet_or_date(client):
    hit = client.get("/api/search", params={"q": "fort reopen"}).json()["items"][0]
    assert hit["date"] is None and hit["outlet"] is None
    assert hit["carried_by"] == ["notes/fort.txt"]
    page = client.get("/", params={"q": "fort reopen"}, headers=HTML).text
    assert 'carried by <span class="outlet">notes/fort.txt</span>' in page
    statement = client.get(f"/statements/{hit['statement_id']}", headers=HTML).text
    assert 'carried by <span class="outlet">notes/fort.txt</span>' in statement
    dated = client.get("/api/search", params={"q": "fishing fleet"}).json()["items"][0]
    assert dated["carried_by"] == ["Bay News"]


def test_an_article_url_is_a_link_only_when_it_is_a_web_address(client, db):
    with Store(db) as store, store.engine.connect() as conn:
        ids = dict(conn.execute(select(articles.c.url, articles.c.id)).all())
    safe = client.get(f"/articles/{ids['https://coast.test/0']}", headers=HTML).text
    assert 'href="https://coast.test/0"' in safe and "original</a>" in safe
    for url in UNSAFE:
        page = client.get(f"/articles/{ids[url]}", headers=HTML)
        assert page.status_code == 200
        hrefs = re.findall(r'href="([^"]*)"', page.text)
        assert all(h.startswith(("/", "https://", "http://")) for h in hrefs), hrefs
        assert "original</a>" not in page.text


def test_the_api_refuses_a_url_that_is_not_a_web_address(db):
    client = TestClient(create_app(db, token="pages-token"))  # no lifespan: no worker
    for url in [*UNSAFE, "ftp://files.test/a", "https://", "//no-scheme.test/a"]:
        response = client.post(
            "/api/articles",
            json={"text": "The mayor said the bridge would open.", "url": url},
            headers={"Authorization": "Bearer pages-token"},
        )
        assert response.status_code == 422, (url, response.text)
        assert response.json()["error"]["message"].startswith("url:")
