"""Which detector found an article's statements is stored with the article (schema
version 5), shown in the API's article view and exported as the column ``detector``; a
database of version 4 gains the column, NULL for the articles it holds.  What is stored
is what the result carries (``ArticleResult.detector``, filled by the pipeline: the
detector's name and version)."""

from __future__ import annotations

import dataclasses
import hashlib
import json

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect, text
from store_corpus import GAZETTE_WALL, HERALD_WALL, cli, extracted

from onrecord import __version__
from onrecord.attribution.model.detector import default_folder
from onrecord.attribution.rules import VERSION as RULES_VERSION
from onrecord.records import ArticleResult
from onrecord.search import Filters, article, export_rows
from onrecord.store import Store
from onrecord.store.db import resolve_url
from onrecord.store.schema import SCHEMA_VERSION
from onrecord.store.writer import fingerprint
from onrecord.web import create_app


def detected(result: ArticleResult, detector: str | None) -> ArticleResult:
    return dataclasses.replace(result, detector=detector)


def as_version_4(url: str) -> None:
    """The database as schema version 4 left it: no articles.detector."""
    engine = create_engine(resolve_url(url))
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE articles DROP COLUMN detector"))
        conn.execute(text("UPDATE onrecord_meta SET value = '4' WHERE key = 'schema_version'"))
    engine.dispose()


def test_a_version_4_database_gains_the_detector_column(db_url):
    with Store(db_url) as store:
        old_id = store.add(extracted(GAZETTE_WALL)).article_id
    as_version_4(db_url)
    with Store(db_url) as store:
        with store.engine.connect() as conn:
            version = conn.execute(
                text("SELECT value FROM onrecord_meta WHERE key = 'schema_version'")
            ).scalar()
            columns = {c["name"] for c in inspect(conn).get_columns("articles")}
        assert version == str(SCHEMA_VERSION)
        assert "detector" in columns
        assert article(store, old_id).detector is None
        new = store.add(detected(extracted(HERALD_WALL), "model 2026-12-01"))
        assert new.outcome == "new"
        assert article(store, new.article_id).detector == "model 2026-12-01"
        exported = {r["url"]: r["detector"] for r in export_rows(store, Filters())}
        assert exported == {GAZETTE_WALL.url: None, HERALD_WALL.url: "model 2026-12-01"}
    # Opening it again changes nothing.
    with Store(db_url) as store:
        assert store.counts()["articles"] == 2


def test_the_detector_is_in_the_api_and_the_export(tmp_path):
    db = str(tmp_path / "detector.db")
    with Store(db) as store:
        added = store.add(detected(extracted(GAZETTE_WALL), "rules 0.1.0"))
    with TestClient(create_app(db)) as client:
        shown = client.get(f"/api/articles/{added.article_id}").json()
        schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert shown["detector"] == "rules 0.1.0"
    assert "detector" in schema["ArticleView"]["properties"]
    rows = cli("export", "--db", db).stdout.splitlines()
    assert {json.loads(r)["detector"] for r in rows} == {"rules 0.1.0"}


def test_another_detector_makes_the_article_an_update(tmp_path):
    result = extracted(GAZETTE_WALL)
    with Store(str(tmp_path / "again.db")) as store:
        first = store.add(detected(result, "rules 0.1.0"))
        assert store.add(detected(result, "rules 0.1.0"))[:2] == ("unchanged", 0)
        again = store.add(detected(result, "model 2026-12-01"))
        assert (again.outcome, again.article_id) == ("updated", first.article_id)
        assert article(store, first.article_id).detector == "model 2026-12-01"


def test_a_result_naming_no_detector_keeps_its_fingerprint():
    """What was stored before results named their detector, and a result not made by
    the pipeline, keep the hash they had."""
    result = detected(extracted(GAZETTE_WALL), None)
    record = result.to_dict()
    article = {k: v for k, v in record["article"].items() if k != "source"}
    payload = json.dumps(
        {"article": article, "statements": record["statements"], "v": __version__},
        sort_keys=True,
        ensure_ascii=False,
    )
    assert fingerprint(result) == hashlib.sha256(payload.encode("utf-8")).hexdigest()
    assert fingerprint(detected(result, None)) == fingerprint(result)
    assert fingerprint(detected(result, "rules 0.1.0")) != fingerprint(result)


def test_the_stored_article_names_the_detector_and_its_version(tmp_path):
    """The default model by the date its weights were trained (config.json), the rules
    by their VERSION, whether stored from the library or by `onrecord ingest`."""
    model = json.loads((default_folder() / "config.json").read_text(encoding="utf-8"))
    by_model = extracted(GAZETTE_WALL)
    assert by_model.detector == f"model {model['version']}"
    assert by_model.to_dict()["detector"] == by_model.detector
    db = str(tmp_path / "named.db")
    with Store(db) as store:
        added = store.add(by_model)
        assert article(store, added.article_id).detector == f"model {model['version']}"
    story = tmp_path / "story.txt"
    story.write_text(HERALD_WALL.text, encoding="utf-8")
    result = cli("ingest", str(story), "--db", db, "--detector", "rules")
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        stored = {row["detector"] for row in export_rows(store, Filters())}
    assert stored == {f"model {model['version']}", f"rules {RULES_VERSION}"}
