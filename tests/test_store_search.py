"""Reading the statement database: search and its filters, reach, one statement with its
relay chains, export — on SQLite and PostgreSQL alike, over the same seven articles."""

from __future__ import annotations

import contextlib
import csv
import io
import json

import pytest
from sqlalchemy import event
from store_corpus import COST, FLOOD, NOBODY, STORIES, cli, extracted, fill

from onrecord.records import DEFAULT_CATEGORIES
from onrecord.search import Filters, list_speakers, search, statement


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db(request, new_database):
    """A database holding the seven articles: its URL and an open Store."""
    url = new_database(request.param)
    store = fill(url)
    yield url, store
    store.close()


def found(db, **filters) -> list[tuple[str | None, str]]:
    """(speaker, content) of each hit, in the order search gives them."""
    return [(h.speaker, h.content) for h in search(db[1], Filters(**filters), limit=100)]


def statement_id(db, content: str) -> int:
    (hit,) = [h for h in search(db[1], Filters(), limit=100) if h.content.startswith(content)]
    return hit.statement_id


FLOOD_FULL = FLOOD + ","
AGENCY_FLOOD = (
    '"We will not let the harbor flood again ... not while I am mayor of this town," '
    "Lindqvist told the Harbour Gazette"
)


def test_words_find_every_outlets_version_as_one_statement(db):
    hits = search(db[1], Filters(query="harbour flood"))
    # The mayor's words, and the agency's report of them (a statement of its own).
    assert [(h.speaker, h.content, h.outlets, h.reports) for h in hits] == [
        ("Elena Lindqvist", FLOOD_FULL, 4, 4),
        ("Baltic News Agency", AGENCY_FLOOD, 1, 1),
    ]
    # The newest report stands for the statement.
    assert (hits[0].date, hits[0].outlet) == ("2024-03-14", "Baltic Times")
    assert hits[0].article_url == "https://baltictimes.example/harbour-wall-row"
    # "harbor" is in one report of each only: the statements are found through them
    # (both reports of 2024-03-13; the later stored first).
    assert [h.content for h in search(db[1], Filters(query="harbor"))] == [
        AGENCY_FLOOD,
        FLOOD_FULL,
    ]


def test_a_quoted_phrase_matches_as_a_phrase(db):
    assert found(db, query='"most expensive wall"') == [
        ("Tomas Brandt", COST.replace("the province", "this province") + ".")
    ]
    assert found(db, query='"wall expensive"') == []
    assert found(db, query="wall expensive") == [
        ("Tomas Brandt", COST.replace("the province", "this province") + ".")
    ]
    assert found(db, query="nothing-like-this") == []


def test_stop_words_are_words_on_both_engines(db):
    # PostgreSQL's own English configuration would drop every word of these.
    assert {c for _, c in found(db, query='"not while I am"')} == {FLOOD_FULL, AGENCY_FLOOD}
    assert [c for _, c in found(db, query='"this is the most"')] == [
        COST.replace("the province", "this province") + "."
    ]
    # And words still match their other forms, as before.
    assert {c for _, c in found(db, query='"flooding again"')} == {FLOOD_FULL, AGENCY_FLOOD}


def test_speaker_by_full_name_or_surname(db):
    elena = found(db, speaker="Elena Lindqvist")
    assert {s for s, _ in elena} == {"Elena Lindqvist"}
    # ("defended the sea wall" is a stance, which search shows only when asked for all)
    assert len(elena) == 4
    assert found(db, speaker="elena  LINDQVIST") == elena
    # A surname: everyone by that name, and the mentions no one could be told from.
    everyone = found(db, speaker="Lindqvist")
    assert {s for s, _ in everyone} == {"Elena Lindqvist", "Marco Lindqvist", "Lindqvist"}
    assert found(db, speaker="Brandt") == found(db, speaker="Tomas Brandt")
    # ("criticised the cost" is a stance too)
    assert {c for _, c in found(db, speaker="Brandt")} == {
        COST.replace("the province", "this province") + ".",
        "We will win this fight.",
    }
    assert found(db, speaker="Nobody Known") == []


def test_speaker_by_alias(db):
    assert found(db, speaker="Mayor Lindqvist") == found(db, speaker="Elena Lindqvist")
    assert found(db, speaker="the Nordpress news agency") == found(db, speaker="Nordpress")


def test_outlet_dates_and_type(db):
    times = found(db, outlet="baltic times")
    assert sorted(times) == sorted(
        [
            ("Nordpress", "A vote on the final design will be held in April"),
            ("Elena Lindqvist", FLOOD_FULL),
            ("Tomas Brandt", "We will win this fight."),
            ("Tomas Brandt", COST.replace("the province", "this province") + "."),
        ]
    )
    since = search(db[1], Filters(since="2024-03-15"), limit=100)
    assert {h.date for h in since} == {"2024-03-15", "2024-03-16", "2024-03-17"}
    until = search(db[1], Filters(until="2024-03-11"), limit=100)
    assert {h.outlet for h in until} == {"Harbour Gazette"}
    # Every statement of the first article of the kinds shown by default (its headline's
    # "approves" is not speech or belief); all of them with every kind.
    first = extracted(STORIES[0]).statements
    assert len(until) == len([s for s in first if s.cue_category in DEFAULT_CATEGORIES])
    every = search(db[1], Filters(until="2024-03-11", categories=None), limit=100)
    assert len(every) == len(first) > len(until)
    window = search(db[1], Filters(since="2024-03-12", until="2024-03-12"), limit=100)
    assert {(h.date, h.outlet) for h in window} == {("2024-03-12", "Coastal Herald")}
    assert found(db, type="mixed") == [("Baltic News Agency", AGENCY_FLOOD)]
    assert found(db, query="fight", type="direct") == [
        ("Tomas Brandt", "We will win this fight."),
        ("Elena Lindqvist", "We will win this fight,"),
    ]
    assert found(db, query="boats", speaker="Reyes", outlet="Harbour Post") == [
        ("Sofia Reyes", "The boats have been here for three hundred years and they will stay,")
    ]
    assert found(db, query="boats", outlet="Coastal Herald") == []


def test_reach_counts_outlets_not_reports(db):
    hits = {h.content: h for h in search(db[1], Filters(), limit=100)}
    assert (hits[FLOOD_FULL].outlets, hits[FLOOD_FULL].reports) == (4, 4)
    nobody = hits[NOBODY + ","]
    assert (nobody.speaker, nobody.outlets, nobody.reports) == ("Marco Lindqvist", 2, 2)
    assert hits["We will win this fight,"].outlets == 1


def test_show_gives_every_report_and_its_relay_chain(db):
    view = statement(db[1], statement_id(db, FLOOD))
    assert (view.speaker, view.content, view.first_seen, view.outlets) == (
        "Elena Lindqvist",
        FLOOD_FULL,
        "2024-03-11",
        4,
    )
    assert [(r.outlet, r.published, r.content, r.relay_chain) for r in view.reports] == [
        ("Harbour Gazette", "2024-03-11", FLOOD_FULL, ["Elena Lindqvist", "Harbour Gazette"]),
        (
            "Coastal Herald",
            "2024-03-12",
            FLOOD_FULL,
            ["Elena Lindqvist", "Harbour Gazette", "Coastal Herald"],
        ),
        (
            "Northern Courier",
            "2024-03-13",
            "We will not let the harbor flood again ... not while I am mayor of this town,",
            ["Elena Lindqvist", "Harbour Gazette", "Baltic News Agency", "Northern Courier"],
        ),
        (
            "Baltic Times",
            "2024-03-14",
            "We will not let the harbour flood again,",
            ["Elena Lindqvist", "Baltic Times"],
        ),
    ]
    assert statement(db[1], 10**6) is None


def test_carried_by_names_the_outlets_as_the_web_pages_do():
    from onrecord.cli.database import carried_by

    assert carried_by(["Harbour Gazette"], 1) == "carried by Harbour Gazette"
    assert carried_by(["A", "B"], 2) == "carried by A and B"
    assert carried_by(["A", "B", "C"], 3) == "carried by A, B and C"
    assert carried_by(["A", "B", "C", "D"], 11) == "carried by A, B, C and 8 more outlets"
    assert carried_by([], 2) == "carried by 2 outlets"


def test_cli_show_and_search(db):
    url, _ = db
    sid = statement_id(db, FLOOD)
    shown = cli("show", str(sid), "--db", url)
    assert shown.exit_code == 0
    lines = shown.stdout.splitlines()
    assert lines[:3] == [
        f"statement {sid} · Elena Lindqvist · direct",
        FLOOD_FULL,
        "first seen 2024-03-11 · carried by Harbour Gazette, Coastal Herald, Northern Courier "
        "and 1 more outlet, 4 reports",
    ]
    assert (
        "      Lindqvist told · Elena Lindqvist → Harbour Gazette → Baltic News Agency → "
        "Northern Courier" in lines
    )
    missing = cli("show", "999999", "--db", url)
    assert missing.exit_code == 1
    assert missing.stderr.startswith("error: no statement 999999 in ")

    as_json = cli("search", "harbour flood", "--format", "json", "--db", url)
    assert as_json.exit_code == 0, as_json.output
    hits = json.loads(as_json.stdout)
    assert [(h["speaker"], h["outlets"], h["date"], h["outlet"]) for h in hits] == [
        ("Elena Lindqvist", 4, "2024-03-14", "Baltic Times"),
        ("Baltic News Agency", 1, "2024-03-13", "Northern Courier"),
    ]
    lines = cli("search", "flood", "--speaker", "Elena Lindqvist", "-f", "jsonl", "--db", url)
    assert [json.loads(x)["statement_id"] for x in lines.stdout.splitlines()] == [sid]
    table = cli("search", "flood", "--speaker", "Elena Lindqvist", "--db", url)
    assert "4 outlets" in table.stdout
    bad = cli("search", "--since", "last week", "--db", url)
    assert bad.exit_code == 2


def test_speakers_list_aliases_roles_and_counts(db):
    url, _ = db
    result = cli("speakers", "Lindqvist", "--format", "json", "--db", url)
    assert result.exit_code == 0
    people = {s["name"]: s for s in json.loads(result.stdout)}
    assert sorted(people) == ["Elena Lindqvist", "Lindqvist", "Marco Lindqvist"]
    elena = people["Elena Lindqvist"]
    assert elena["statements"] == 7  # speech and belief (not "defended the sea wall")
    assert set(elena["aliases"]) == {
        "Elena Lindqvist",
        "Lindqvist",
        "Mayor Elena Lindqvist",
        "Elena Lindqvist, the mayor of Port Halden",
        "Mayor Lindqvist",
    }
    assert set(elena["roles"]) == {"Mayor", "mayor of Port Halden"}
    assert people["Marco Lindqvist"]["roles"] == [
        "chairman of the fishermen's union",
        "union chairman",
    ]
    assert people["Lindqvist"]["statements"] == 1
    table = cli("speakers", "--db", url)
    assert table.exit_code == 0
    assert table.stdout.splitlines()[0].split() == [
        "id",
        "speaker",
        "kind",
        "statements",
        "aliases",
        "roles",
    ]


def test_export_jsonl_csv_parquet(db, tmp_path):
    import pyarrow.parquet as pq

    url, _ = db
    everything = cli("export", "--format", "jsonl", "--db", url)
    assert everything.exit_code == 0
    rows = [json.loads(x) for x in everything.stdout.splitlines()]
    assert len(rows) == sum(len(extracted(s).statements) for s in STORIES)
    assert everything.stderr.strip() == f"{len(rows)} rows exported"

    filtered = cli("export", "--query", "flood", "--speaker", "Elena Lindqvist", "--db", url)
    mayor = [json.loads(x) for x in filtered.stdout.splitlines()]
    assert [(r["outlet"], r["statement_outlets"], r["speaker"]) for r in mayor] == [
        ("Harbour Gazette", 4, "Elena Lindqvist"),
        ("Coastal Herald", 4, "Elena Lindqvist"),
        ("Northern Courier", 4, "Elena Lindqvist"),
        ("Baltic Times", 4, "Elena Lindqvist"),
    ]
    courier = mayor[2]
    assert (courier["channel"], courier["relay"], courier["speaker_text"]) == (
        "Harbour Gazette",
        "Baltic News Agency",
        "Lindqvist",
    )

    out = tmp_path / "mayor.csv"
    as_csv = cli(
        "export", "-f", "csv", "-o", str(out), "--query", "flood", "--speaker", "Elena Lindqvist",
        "--db", url,
    )  # fmt: skip
    assert as_csv.exit_code == 0
    read = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["content"] for r in read] == [r["content"] for r in mayor]
    assert read[0]["statement_outlets"] == "4"

    parquet = tmp_path / "all.parquet"
    as_parquet = cli(
        "export", "-f", "parquet", "-o", str(parquet), "--since", "2024-03-17", "--db", url
    )
    assert as_parquet.exit_code == 0
    table = pq.read_table(parquet)
    assert table.num_rows == len(extracted(STORIES[-1]).statements)
    assert set(table.column("outlet").to_pylist()) == {"Harbour Post"}
    assert table.schema.field("confidence").type == "double"
    assert table.column("report_id").type == "int64"
    none = tmp_path / "none.parquet"
    empty = cli("export", "-f", "parquet", "-o", str(none), "--speaker", "Nobody", "--db", url)
    assert empty.exit_code == 0
    assert pq.read_table(none).num_rows == 0
    assert cli("export", "-f", "parquet", "--db", url).exit_code == 2  # needs --output


@contextlib.contextmanager
def counted(store):
    """The queries ``store`` runs meanwhile (a list, filled as they run)."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):  # not SQLite's BEGIN
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", note)


def test_a_statement_and_the_speakers_take_a_few_queries_however_many_reports(db):
    """No query per report (relay chains) or per speaker (aliases, roles, reasons)."""
    store = db[1]
    sid = statement_id(db, FLOOD)
    with counted(store) as seen:
        view = statement(store, sid)
    assert len(view.reports) == 4
    assert len(seen) == 3  # the statement, its reports, the reports of their articles
    with counted(store) as seen:
        everyone = list_speakers(store, why=True)
    assert len(everyone) > 5
    assert len(seen) == 3  # the speakers, their names and roles, the reasons
    with counted(store) as seen:
        hits = search(store, Filters(query="harbour"))
    assert len(hits) > 2 and all(h.carried_by for h in hits)
    assert sum("reports.statement_id IN" in q for q in seen) == 1  # carriers: one query


def test_filters_from_options_and_back():
    parsed = Filters.parse(
        q=" harbour\x00 flood ",
        speaker="\tLindqvist ",
        outlet="",
        since="11 March 2024",
        until=None,
        type="direct",
        quotes=True,
    )
    assert parsed == Filters(
        query="harbour flood",
        speaker="Lindqvist",
        since="2024-03-11",
        type="direct",
        categories=frozenset({"speech"}),
    )
    params = parsed.params()
    assert params == {
        "speaker": "Lindqvist",
        "since": "2024-03-11",
        "type": "direct",
        "q": "harbour flood",
        "quotes": "true",
    }
    back = {**params, "quotes": params["quotes"] == "true"}
    assert Filters.parse(**back) == parsed
    with pytest.raises(ValueError, match="no such day"):
        Filters.parse(since="2024-02-30")
    # Speech and belief unless asked: every kind with `all`, speech alone with `quotes`
    # (which `all` does not undo).
    assert Filters.parse() == Filters() == Filters(categories=frozenset({"speech", "belief"}))
    assert Filters().params() == {}
    every = Filters.parse(q="flood", all=True)
    assert every.categories is None
    assert every.params() == {"q": "flood", "all": "1"}
    assert Filters.parse(q="flood", all=every.params()["all"] == "1") == every
    assert Filters.parse(quotes=True, all=True).categories == frozenset({"speech"})
