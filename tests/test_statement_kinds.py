"""What a reader sees of each kind of statement.  The views for people — the extract
table, `search`, `speakers`, the web pages and their API twins — show speech and belief,
say what they left out, and show every kind when asked (`--all-statements`, `all=1`);
JSON and export keep every statement with its category, and counts agree with lists.

The article has one statement of each of three kinds (checked first, so that a change in
the detector shows up as that, not as a broken view): Okafor's quote (speech), her
stance against the increase, and the mayor's belief."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from onrecord import extract
from onrecord.cli import _register, app
from onrecord.search import Filters, article, list_speakers, search, speaker_profile
from onrecord.store import Store
from onrecord.store.db import resolve_url
from onrecord.web import create_app

FARES = (
    "Bus fares in Riverton\n\n"
    "A plan to raise bus fares in Riverton by 20 percent goes before the city council this "
    "week.\n\n"
    '"We cannot ask families to pay more for a service that is already late every '
    'morning," said Councillor Ruth Okafor, who chairs the transport committee.\n\n'
    "Okafor opposed the increase.\n\n"
    "Mayor Daniel Fenn believes the transit authority can close its budget gap without "
    "higher fares.\n"
)
# One statement only, a stance.
BERG = "Drivers and the fares\n\nUnion leader Tom Berg opposed the fare increase.\n"
SAID = "We cannot ask families to pay more"
BELIEVES = "the transit authority can close its budget gap"
OPPOSED = "the increase"
HTML = {"accept": "text/html"}

_register()


def cli(*args: str):
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def test_the_article_has_a_statement_of_each_kind():
    kinds = [(s.cue_text, s.cue_category, s.speaker.name) for s in extract(FARES).statements]
    assert kinds == [
        ("said", "speech", "Ruth Okafor"),
        ("opposed", "stance", "Ruth Okafor"),
        ("believes", "belief", "Daniel Fenn"),
    ]


def rows(table: str) -> list[str]:
    """The numbers of a table's rows."""
    return re.findall(r"^\s+(\d+)\s+(?:direct|indirect|mixed)\s", table, re.M)


@pytest.fixture(scope="module")
def fares(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("kinds") / "fares.txt"
    path.write_text(FARES, encoding="utf-8")
    return str(path)


def test_the_table_shows_speech_and_belief_and_says_what_it_left_out(fares, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    shown = cli("extract", fares, "--format", "table")
    assert shown.exit_code == 0, shown.output
    assert "said" in shown.stdout and "believes" in shown.stdout
    assert "opposed" not in shown.stdout
    assert "1 more statement of another kind (stance): --all-statements shows it" in shown.stdout
    # Rows keep the record's numbers: what the JSON calls s3 is row 3.
    assert rows(shown.stdout) == ["1", "3"]
    every = cli("extract", fares, "--format", "table", "--all-statements")
    assert "opposed" in every.stdout and "more statement" not in every.stdout
    assert rows(every.stdout) == ["1", "2", "3"]
    # The summary counts what was found, of every kind.
    assert "1 article, 3 statements" in shown.stderr


def test_json_keeps_every_statement_with_its_category(fares):
    for fmt in ("json", "jsonl"):
        done = cli("extract", fares, "--format", fmt)
        record = json.loads(done.stdout)[0] if fmt == "json" else json.loads(done.stdout)
        categories = [s["cue"]["category"] for s in record["statements"]]
        assert categories == ["speech", "stance", "belief"]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db(request, new_database) -> str:
    url = new_database(request.param)
    with Store(url) as store:
        store.add(
            extract(
                FARES,
                url="https://riverton.test/fares",
                outlet="Riverton Record",
                published="2024-03-05",
            )
        )
    return url


def contents(hits) -> list[str]:
    return sorted(h["content"] if isinstance(h, dict) else h.content for h in hits)


def starts(found: list[str]) -> set[str]:
    """Which of the three statements ``found`` holds."""
    return {s for s in (SAID, BELIEVES, OPPOSED) for c in found if c.startswith(s)}


def test_search_shows_speech_and_belief_unless_asked(db):
    with Store(db) as store:
        assert starts(contents(search(store, Filters()))) == {SAID, BELIEVES}
        assert starts(contents(search(store, Filters(categories=None)))) == {
            SAID,
            BELIEVES,
            OPPOSED,
        }
        assert starts(contents(search(store, Filters.parse(quotes=True)))) == {SAID}
    default = json.loads(cli("search", "--db", db, "-f", "json").stdout)
    assert starts(contents(default)) == {SAID, BELIEVES}
    every = json.loads(cli("search", "--db", db, "-f", "json", "--all-statements").stdout)
    assert starts(contents(every)) == {SAID, BELIEVES, OPPOSED}
    quotes = json.loads(cli("search", "--db", db, "-f", "json", "--quotes").stdout)
    assert starts(contents(quotes)) == {SAID}


def test_a_search_says_when_statements_of_other_kinds_match(db):
    note = "more statements of other kinds match: --all-statements shows them"
    hidden = cli("search", "increase", "--db", db)
    assert hidden.exit_code == 0
    assert "the increase" not in hidden.stdout and note in hidden.stderr
    shown = cli("search", "increase", "--db", db, "--all-statements")
    assert "the increase" in shown.stdout and note not in shown.stderr
    assert note not in cli("search", "families", "--db", db).stderr  # nothing left out
    assert note not in cli("search", "increase", "--db", db, "--quotes").stderr  # asked


def test_export_keeps_every_kind_with_its_category(db):
    rows = [json.loads(line) for line in cli("export", "--db", db).stdout.splitlines()]
    assert sorted(r["cue_category"] for r in rows) == ["belief", "speech", "stance"]
    quotes = cli("export", "--db", db, "--quotes").stdout.splitlines()
    assert [json.loads(line)["cue_category"] for line in quotes] == ["speech"]


def test_speaker_counts_follow_the_kinds_shown(db):
    with Store(db) as store:
        counts = {s.name: s.statements for s in list_speakers(store)}
        assert counts == {"Ruth Okafor": 1, "Daniel Fenn": 1}
        every = {s.name: s.statements for s in list_speakers(store, all_kinds=True)}
        assert every == {"Ruth Okafor": 2, "Daniel Fenn": 1}
        (okafor,) = list_speakers(store, "Okafor")
        profile = speaker_profile(store, okafor.id)
        assert (profile.statements, profile.other_kinds) == (1, 1)
        assert [r["content"][:34] for r in profile.recent] == [SAID]
        assert sum(m.statements for m in profile.timeline) == 1
        full = speaker_profile(store, okafor.id, all_kinds=True)
        assert (full.statements, full.other_kinds, len(full.recent)) == (2, 0, 2)
    table = cli("speakers", "Okafor", "--db", db).stdout
    assert re.search(r"Ruth Okafor\s+person\s+1\s", table), table
    table = cli("speakers", "Okafor", "--db", db, "--all-statements").stdout
    assert re.search(r"Ruth Okafor\s+person\s+2\s", table), table


@pytest.fixture(scope="module")
def client(db):
    with TestClient(create_app(db)) as c:
        yield c


def page_text(client, url: str) -> str:
    """What a reader of the page at ``url`` sees, as one line of words."""
    body = client.get(url, headers=HTML).text
    main = body[body.index("<main>") : body.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def kinds_link(client, url: str) -> str:
    body = client.get(url, headers=HTML).text
    (href,) = re.findall(r'class="kinds" href="([^"]*)"', body)
    return href.replace("&amp;", "&")


def test_the_search_page_shows_speech_and_belief_and_links_to_every_kind(client):
    page = page_text(client, "/?outlet=Riverton+Record")
    assert SAID in page and BELIEVES in page and "opposed" not in page
    assert "Statements 1–2" in page and "show all kinds of statements" in page
    # The link keeps the other filters; the page it leads to switches back.
    every = kinds_link(client, "/?outlet=Riverton+Record")
    assert every == "/?outlet=Riverton+Record&all=1"
    page = page_text(client, every)
    assert "Statements 1–3" in page and "only speech and belief" in page
    assert kinds_link(client, every) == "/?outlet=Riverton+Record"
    # A search that finds only a stance says that statements of other kinds match.
    page = page_text(client, "/?q=increase")
    assert "No statements match" in page and "Statements of other kinds match too" in page
    assert OPPOSED in page_text(client, "/?q=increase&all=1")


def test_speaker_and_article_pages_count_what_they_list(client):
    (okafor,) = client.get("/api/speakers", params={"q": "Okafor"}).json()["items"]
    assert okafor["statements"] == 1
    page = page_text(client, f"/speakers/{okafor['id']}")
    assert "1 statement · 1 more of other kinds · show all kinds of statements" in page
    assert "opposed" not in page and OPPOSED not in page.split("Latest statements")[1]
    page = page_text(client, f"/speakers/{okafor['id']}?all=1")
    assert "2 statements · every kind of statement · only speech and belief" in page
    assert re.search(r"Ruth Okafor person 1 ", page_text(client, "/speakers"))
    assert re.search(r"Ruth Okafor person 2 ", page_text(client, "/speakers?all=1"))
    page = page_text(client, "/articles/1")  # the one article
    assert "2 statements · 1 more of other kinds" in page
    assert "3 statements · every kind of statement" in page_text(client, "/articles/1?all=1")


def test_the_api_lists_follow_the_pages(client):
    found = client.get("/api/search").json()
    assert starts(contents(found["items"])) == {SAID, BELIEVES}
    assert found["filters"]["categories"] == ["speech", "belief"]
    assert found["other_kinds"] is True
    every = client.get("/api/search", params={"all": 1}).json()
    assert len(every["items"]) == 3 and every["filters"]["categories"] is None
    assert every["other_kinds"] is False
    shown = client.get("/api/articles/1").json()
    assert [s["cue"]["category"] for s in shown["statements"]] == ["speech", "belief"]
    assert shown["other_kinds"] == 1
    full = client.get("/api/articles/1", params={"all": 1}).json()
    assert [s["cue"]["category"] for s in full["statements"]] == ["speech", "stance", "belief"]
    speakers = client.get("/api/speakers", params={"all": 1}).json()["items"]
    assert {s["name"]: s["statements"] for s in speakers}["Ruth Okafor"] == 2


def test_a_statement_of_another_kind_still_has_its_page(client):
    (hit,) = client.get("/api/search", params={"q": "increase", "all": 1}).json()["items"]
    page = page_text(client, f"/statements/{hit['statement_id']}")
    assert OPPOSED in page and "opposed" in page


def test_a_version_5_database_counts_each_speakers_statements_of_the_kinds_shown(db_url):
    with Store(db_url) as store:
        store.add(extract(FARES, url="https://riverton.test/fares"))
        store.add(extract(BERG, url="https://riverton.test/berg"))
    engine = create_engine(resolve_url(db_url))
    with engine.begin() as conn:  # as schema version 5 left it
        conn.execute(text("ALTER TABLE speakers DROP COLUMN default_statements"))
        conn.execute(text("UPDATE onrecord_meta SET value = '5' WHERE key = 'schema_version'"))
    engine.dispose()
    with Store(db_url) as store:
        # A speaker of other kinds only is still listed, with none of speech and belief.
        assert [(s.name, s.statements) for s in list_speakers(store)] == [
            ("Daniel Fenn", 1),
            ("Ruth Okafor", 1),
            ("Tom Berg", 0),
        ]
        assert article(store, 1).other_kinds == 1
        assert [s.statements for s in list_speakers(store, "Berg", all_kinds=True)] == [1]
