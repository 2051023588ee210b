"""Storing articles: new, updated in place, unchanged; never a duplicate; on SQLite and
PostgreSQL alike."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest
from sqlalchemy import func, select
from store_corpus import (
    GAZETTE_WALL,
    POST_QUAY,
    STORIES,
    Story,
    cli,
    extracted,
    fill,
    jsonl,
    table_counts,
)

from onrecord.search import list_speakers
from onrecord.store import Store, start_method
from onrecord.store.db import display, resolve_url
from onrecord.store.schema import SCHEMA_VERSION, articles, reports

# The gazette corrects its story: the opposition leader's paragraph goes, the mayor's
# quote stays.
GAZETTE_CORRECTED = replace(
    GAZETTE_WALL,
    text=GAZETTE_WALL.text.split("Tomas Brandt")[0].rstrip() + "\n",
)


def test_reingesting_changes_nothing_and_a_changed_article_is_updated_in_place(db_url):
    store = fill(db_url)
    try:
        before = table_counts(store)
        assert before["articles"] == len(STORIES)
        assert before["reports"] == sum(len(extracted(s).statements) for s in STORIES)
        again = [store.add(extracted(s)) for s in STORIES]
        assert [a[:2] for a in again] == [("unchanged", 0)] * len(STORIES)
        assert table_counts(store) == before

        with store.engine.connect() as conn:
            (gazette_id,) = conn.execute(
                select(articles.c.id).where(articles.c.url == GAZETTE_WALL.url)
            ).one()
        # Each article's id comes back, an unchanged one's too.
        assert again[[s.url for s in STORIES].index(GAZETTE_WALL.url)].article_id == gazette_id
        corrected = GAZETTE_CORRECTED.extract()
        assert store.add(corrected) == ("updated", len(corrected.statements), gazette_id)
        assert store.add(corrected) == ("unchanged", 0, gazette_id)
        after = table_counts(store)
        assert after["articles"] == len(STORIES)
        removed = len(extracted(GAZETTE_WALL).statements) - len(corrected.statements)
        assert after["reports"] == before["reports"] - removed
        with store.engine.connect() as conn:
            row = conn.execute(
                select(articles.c.id, articles.c.text).where(articles.c.url == GAZETTE_WALL.url)
            ).one()
            keys = conn.execute(
                select(reports.c.key, reports.c.content)
                .where(reports.c.article_id == row.id)
                .order_by(reports.c.id)
            ).all()
        assert row == (gazette_id, GAZETTE_CORRECTED.text)
        assert keys == [(s.id, s.content_text) for s in corrected.statements]
        # Tomas Brandt is now known only from the Baltic Times ("Opposition leader Brandt").
        (brandt,) = list_speakers(store, "Tomas Brandt")
        assert brandt.statements == 2
        assert brandt.aliases == ["Brandt", "Opposition leader Brandt"]
    finally:
        store.close()


def test_a_speaker_no_article_names_any_more_is_gone(db_url):
    solo = Story(
        "solo",
        "Harbour news\n\n"
        '"The pier will reopen in May," the harbour master, Ingrid Holm, said on Monday.\n',
        "Harbour Post",
        "2024-04-01",
        "https://harbourpost.example/pier",
    )
    store = fill(db_url, [solo])
    try:
        assert [s.name for s in list_speakers(store)] == ["Ingrid Holm"]
        corrected = replace(solo, text="Harbour news\n\nThe pier will reopen in May.\n")
        assert store.add(corrected.extract())[:2] == ("updated", 0)
        assert list_speakers(store) == []
        counts = table_counts(store)
        assert counts["articles"] == 1
        assert {k: v for k, v in counts.items() if k not in ("articles", "onrecord_meta")} == {
            "lsh_bands": 0,
            "reports": 0,
            "speaker_merges": 0,
            "speakers": 0,
            "statements": 0,
        }
    finally:
        store.close()


def test_an_article_without_url_is_known_by_its_text(db_url):
    assert POST_QUAY.url is None
    store = fill(db_url, [POST_QUAY])
    try:
        assert store.add(extracted(POST_QUAY))[:2] == ("unchanged", 0)
        # The same text from another feed, with another date: the same article, updated.
        redated = replace(POST_QUAY, published="2024-03-18").extract()
        assert store.add(redated)[0] == "updated"
        # Other text, no URL: another article.
        other = replace(POST_QUAY, text=POST_QUAY.text.replace("Saturday", "Sunday"))
        added = store.add(other.extract())
        assert added.outcome == "new" and added.article_id == 2
        assert table_counts(store)["articles"] == 2
    finally:
        store.close()


def test_cli_ingest_summarises_new_updated_unchanged_failed(db_url, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(jsonl(), encoding="utf-8")
    statements = sum(len(extracted(s).statements) for s in STORIES)

    first = cli("ingest", str(feed), "--db", db_url)
    assert first.exit_code == 0, first.output
    shown = display(resolve_url(db_url))
    assert first.stderr.splitlines() == [
        f"{shown}: 7 new, 0 updated, 0 unchanged, 0 failed; {statements} statements added"
    ]

    again = cli("ingest", str(feed), "--db", db_url)
    assert again.exit_code == 0
    assert again.stderr.splitlines() == [
        f"{shown}: 0 new, 0 updated, 7 unchanged, 0 failed; 0 statements added"
    ]

    corrected = GAZETTE_CORRECTED.extract()
    lines = jsonl([GAZETTE_CORRECTED, *STORIES[1:]]).splitlines()
    lines.insert(2, "{not json")
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    changed = cli("ingest", str(feed), "--db", db_url)
    assert changed.exit_code == 1
    assert changed.stderr.splitlines() == [
        f"error: {feed}:3: not valid JSON "
        "(Expecting property name enclosed in double quotes at column 2)",
        f"{shown}: 0 new, 1 updated, 6 unchanged, 1 failed; "
        f"{len(corrected.statements)} statements added",
    ]

    with Store(db_url) as store:
        counts = table_counts(store)
    assert counts["articles"] == 7
    assert counts["reports"] == statements - (
        len(extracted(GAZETTE_WALL).statements) - len(corrected.statements)
    )


def test_cli_info_names_the_database_and_counts(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("ONRECORD_DB", db_url)
    fill(db_url, [GAZETTE_WALL]).close()
    result = cli("info")
    assert result.exit_code == 0
    info = dict(line.split(None, 1) for line in result.stdout.splitlines())
    assert info["database"] == display(resolve_url(db_url))
    assert info["schema_version"] == str(SCHEMA_VERSION)
    assert info["articles"] == "1"
    assert info["reports"] == str(len(extracted(GAZETTE_WALL).statements))


def test_info_shows_the_default_file_and_creates_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("ONRECORD_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = cli("info")
    assert result.exit_code == 0
    default = tmp_path / "data" / "onrecord" / "onrecord.db"
    assert result.stdout.splitlines() == [
        f"database  {default} (not created yet)",
        f"default   {default}",
    ]
    missing = cli("search", "harbour")
    assert missing.exit_code == 2
    assert missing.stderr.splitlines() == [
        f"error: {default}: no onrecord database here yet (run `onrecord ingest`)"
    ]
    assert not (tmp_path / "data").exists()


def test_each_report_keeps_its_statement_record(db_url):
    store = fill(db_url, [GAZETTE_WALL])
    try:
        with store.engine.connect() as conn:
            stored = [
                json.loads(r.record)
                for r in conn.execute(select(reports.c.record).order_by(reports.c.id))
            ]
    finally:
        store.close()
    assert stored == [s.to_dict() for s in extracted(GAZETTE_WALL).statements]


@pytest.mark.parametrize(
    "option, value, reason",
    [
        ("--url", "javascript:alert(1)", "not an http or https URL (scheme javascript:)"),
        ("--published", "2024-13-01", "invalid published date '2024-13-01' (no such day)"),
    ],
)
def test_ingest_checks_its_options_as_extract_does(tmp_path, option, value, reason):
    story = tmp_path / "story.txt"
    story.write_text(GAZETTE_WALL.text, encoding="utf-8")
    db = tmp_path / "onrecord.db"
    result = cli("ingest", str(story), "--db", str(db), option, value)
    assert result.exit_code == 2
    message = " ".join(result.stderr.replace("│", " ").split())
    assert f"Invalid value for '{option}': " in message and reason in message
    assert not db.exists()  # refused before anything was opened


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_store_kept_open_across_an_ingest_reads_what_it_stored(db_url, tmp_path):
    """A library caller keeps a Store open on the database while `onrecord ingest`
    stores into it: the ingest's writer process must not carry that connection (SQLite
    forbids using one across fork()), and the open Store reads every article once."""
    feed = tmp_path / "feed.jsonl"
    feed.write_text(jsonl(), encoding="utf-8")
    with fill(str(tmp_path / "plain.db")) as plain:
        want = table_counts(plain)
    with Store(db_url) as store:
        assert store.counts()["articles"] == 0  # a connection now waits in its pool
        with store.engine.connect() as held:  # and one is in use throughout,
            # in a read transaction when the writer starts
            assert held.execute(select(func.count()).select_from(reports)).scalar() == 0
            assert start_method() == "spawn"  # the writer inherits none of this
            first = cli("ingest", str(feed), "--db", db_url)
            held.rollback()
            assert first.exit_code == 0, first.output
            assert table_counts(store) == want
            again = cli("ingest", str(feed), "--db", db_url)
            assert again.exit_code == 0, again.output
            assert "0 new, 0 updated, 7 unchanged" in again.stderr
            assert table_counts(store) == want
            stored = held.execute(select(func.count()).select_from(reports)).scalar()
            assert stored == want["reports"]


def test_the_writer_forks_only_when_no_connection_would_go_with_it(tmp_path):
    """In a process of its own, so that no other test's Store is open in it."""
    db = str(tmp_path / "methods.db")
    script = (
        "from onrecord.store import Store, start_method\n"
        "print(start_method())\n"
        f"store = Store({db!r})\n"
        "print(start_method())\n"
        "store.close()\n"
        "print(start_method())\n"
        f"Store({db!r}).name  # dropped without close(): its engine waits for the gc\n"
        "print(start_method())\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert ran.stdout.split() == ["fork", "spawn", "fork", "spawn"], ran.stderr
