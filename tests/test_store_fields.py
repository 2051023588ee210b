"""A value of the statement record stored on each report is declared once, in
store.schema.REPORT_FIELDS: the reports table, the writer, the export columns and the
search filters follow from that line.

The proof: a copy of the package with one line added to REPORT_FIELDS (the time's
precision, which the record has and the store did not keep), run in a process of its
own, stores it, exports it (JSONL, CSV, Parquet) and filters on it; the API carries it
in the statement records it returns."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import inspect

from onrecord.search import EXPORT, EXPORT_COLUMNS
from onrecord.store import Store
from onrecord.store.schema import REPORT_FIELDS, reports

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "onrecord"
# The one line a new field takes.
NEW_FIELD = (
    '    ReportField("time_precision", String(8), "time.precision", '
    'export="precision", filter="precision"),\n'
)

CHECK = r"""
import json, sys
from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy import inspect
from typer.testing import CliRunner

from onrecord.cli import _register, app
from onrecord.records import Article, ArticleResult, Speaker, Statement, Time
from onrecord.search import EXPORT_COLUMNS, Filters, export_rows, search
from onrecord.store import Store
from onrecord.web import create_app

db, folder = sys.argv[1], sys.argv[2]
text = "Ferry news\n\n\"The ferry will sail again on Sunday,\" Ana Ruiz said."
article = Article(text=text, url="https://ferry.example/1", outlet="Ferry Post",
                  published="2024-03-11")
start = text.index("The ferry")
said = text.index("said")
sunday = text.index("on Sunday")
statement = Statement(
    id="s1", type="direct", cue_spans=((said, said + 4),),
    content_spans=((start, start + 35),),
    speaker=Speaker("Ana Ruiz", ((said - 9, said - 1),), name="Ana Ruiz", kind="person"),
    cue_text="said", cue_category="speech", content_text=text[start:start + 35],
    time=Time("on Sunday", ((sunday, sunday + 9),), date="2024-03-10", precision="day"),
    confidence=0.8,
)
with Store(db) as store:
    store.add(ArticleResult(article=article, statements=(statement,)))


@dataclass(frozen=True)
class More(Filters):
    precision: str | None = None


out = {"columns": EXPORT_COLUMNS}
with Store(db) as store:
    with store.engine.connect() as conn:
        out["table"] = [c["name"] for c in inspect(conn).get_columns("reports")]
    out["rows"] = list(export_rows(store, Filters()))
    out["day"] = [h.statement_id for h in search(store, More(precision="day"))]
    out["week"] = [h.statement_id for h in search(store, More(precision="week"))]
    out["export_week"] = list(export_rows(store, More(precision="week")))
_register()
runner = CliRunner()
csv_out = folder + "/out.csv"
parquet_out = folder + "/out.parquet"
for fmt, path in (("csv", csv_out), ("parquet", parquet_out)):
    result = runner.invoke(app, ["export", "-f", fmt, "-o", path, "--db", db])
    assert result.exit_code == 0, result.output
out["csv_header"] = open(csv_out, encoding="utf-8").readline().strip().split(",")
import pyarrow.parquet as pq
out["parquet"] = {f.name: str(f.type) for f in pq.read_schema(parquet_out)}
with TestClient(create_app(db)) as client:
    shown = client.get("/api/statements/1").json()
    out["api_statement"] = shown["reports"][0]["record"]["time"]
    out["api_article"] = client.get("/api/articles/1").json()["statements"][0]["time"]
print(json.dumps(out))
"""


def package_with_a_new_field(root: Path) -> Path:
    """A copy of the onrecord package (links to its files) whose store/schema.py has one
    more line in REPORT_FIELDS."""
    copy = root / "onrecord"
    copy.mkdir(parents=True)
    for item in PACKAGE.iterdir():
        if item.name not in ("store", "__pycache__"):
            (copy / item.name).symlink_to(item)
    (copy / "store").mkdir()
    for item in (PACKAGE / "store").iterdir():
        if item.name not in ("schema.py", "__pycache__"):
            (copy / "store" / item.name).symlink_to(item)
    schema = (PACKAGE / "store" / "schema.py").read_text(encoding="utf-8")
    opening = schema.index("REPORT_FIELDS: tuple[ReportField, ...] = (\n")
    closing = schema.index("\n)\n", opening) + 1
    edited = schema[:closing] + NEW_FIELD + schema[closing:]
    (copy / "store" / "schema.py").write_text(edited, encoding="utf-8")
    return root


def test_a_field_declared_once_is_stored_exported_filtered_and_in_the_api(tmp_path):
    root = package_with_a_new_field(tmp_path / "pkg")
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", CHECK, str(tmp_path / "fields.db"), str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.splitlines()[-1])
    assert "time_precision" in out["table"]
    assert out["columns"] == [*EXPORT_COLUMNS, "precision"]
    (row,) = out["rows"]
    assert (row["precision"], row["time"], row["speaker_text"]) == ("day", "2024-03-10", "Ana Ruiz")
    assert out["day"] == [1] and out["week"] == [] and out["export_week"] == []
    assert out["csv_header"] == out["columns"]
    assert out["parquet"]["precision"] == "string"
    assert out["api_statement"]["precision"] == out["api_article"]["precision"] == "day"
    shutil.rmtree(root)


def test_the_reports_table_and_the_export_columns_follow_the_declared_fields(tmp_path):
    declared = [f.column for f in REPORT_FIELDS]
    columns = [c.name for c in reports.columns]
    assert columns == ["id", "article_id", "statement_id", "key", "speaker_id", *declared] + [
        "outlet",
        "published",
        "record",
    ]
    with Store(str(tmp_path / "fields.db")) as store, store.engine.connect() as conn:
        assert [c["name"] for c in inspect(conn).get_columns("reports")] == columns
    exported = [f.export for f in REPORT_FIELDS if f.export]
    assert [c for c in EXPORT_COLUMNS if c in exported] == exported
    # Export is by name, each column with its kind (the Parquet types follow it).
    assert EXPORT_COLUMNS == (
        "report_id", "statement_id", "speaker", "speaker_text", "speaker_role", "cue",
        "cue_category", "content", "type", "channel", "relay", "time", "outlet", "published",
        "title", "url", "confidence", "statement_outlets", "detector",
    )  # fmt: skip
    kinds = {c.name: c.kind for c in EXPORT}
    assert {n for n, k in kinds.items() if k == "int"} == {
        "report_id",
        "statement_id",
        "statement_outlets",
    }
    assert {n for n, k in kinds.items() if k == "float"} == {"confidence"}
