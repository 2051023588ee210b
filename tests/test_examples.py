"""The bundled examples, run through the real `onrecord` command as the README's demo
does: every example is read, yields statements, drops its publisher appeal, and carries
the metadata its container gives.  Detection is still being tuned, so counts are loose;
what is checked here holds by construction of the examples."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TXT = "examples/port-strike.txt"
HTML = "examples/council-budget.html"
WARC = "examples/wire.warc.gz"
SOURCES = [HTML, TXT, f"{WARC}#2", f"{WARC}#3"]  # the order of `extract examples/`

# The first lines of the appeals, and the last line of the txt one.
TXT_APPEAL_FIRST = "A message from the Harbour Gazette:"
TXT_APPEAL_LAST = "Remind me later"
HTML_APPEAL_FIRST = "Sign up for our Morning Courier newsletter"

ONRECORD = Path(sys.executable).parent / "onrecord"


def onrecord(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(ONRECORD), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _make_warc():
    spec = importlib.util.spec_from_file_location("make_warc", EXAMPLES / "make_warc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def jsonl_run() -> subprocess.CompletedProcess:
    return onrecord("extract", "examples/", "--format", "jsonl")


@pytest.fixture(scope="module")
def records(jsonl_run) -> dict[str, dict]:
    assert jsonl_run.returncode == 0, jsonl_run.stderr
    lines = jsonl_run.stdout.splitlines()
    parsed = [json.loads(line) for line in lines]
    return {r["article"]["source"]: r for r in parsed}


def overlaps(spans: list[list[int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def statement_spans(statement: dict) -> list[list[int]]:
    spans = list(statement["content"]["spans"]) + list(statement["cue"]["spans"])
    return spans + list(statement["speaker"]["spans"])


def paragraph_at(text: str, first_line: str) -> tuple[int, int]:
    start = text.find(first_line)
    assert start >= 0, f"{first_line!r} not in the article text"
    end = text.find("\n", start)
    return start, len(text) if end < 0 else end


# ---------------------------------------------------------------------------- the batch


def test_jsonl_is_one_record_per_line_with_the_documented_keys(jsonl_run):
    assert jsonl_run.returncode == 0, jsonl_run.stderr
    lines = jsonl_run.stdout.splitlines()
    assert len(lines) == 4
    for line in lines:
        record = json.loads(line)
        assert isinstance(record, dict)
        assert {"article", "statements", "warnings"} <= set(record)
        assert isinstance(record["statements"], list)
        assert isinstance(record["warnings"], list)


def test_every_example_yields_articles_with_statements(records):
    # 3 inputs, 4 articles: the sources of the WARC file are not read a second time.
    assert list(records) == SOURCES
    for source, record in records.items():
        assert len(record["statements"]) >= 3, source
        assert record["article"]["language"] == "en"


def test_offsets_index_the_article_text(records):
    assert records[TXT]["article"]["text"] == (ROOT / TXT).read_text(encoding="utf-8")
    for source, record in records.items():
        text = record["article"]["text"]
        for s in record["statements"]:
            content = " … ".join(text[a:b] for a, b in s["content"]["spans"])
            assert content == s["content"]["text"], source


def test_the_readme_demo_runs():
    result = onrecord("extract", "examples/", "--format", "table")
    assert result.returncode == 0, result.stderr
    for source in (TXT, HTML, WARC):
        assert source in result.stdout
    assert result.stdout.count("dropped publisher appeal") == 2
    assert "4 articles" in result.stderr


def test_json_format_holds_the_same_articles(records):
    result = onrecord("extract", "examples/", "--format", "json")
    assert result.returncode == 0, result.stderr
    array = json.loads(result.stdout)
    assert [r["article"]["source"] for r in array] == SOURCES
    assert [len(r["statements"]) for r in array] == [len(records[s]["statements"]) for s in SOURCES]


# ---------------------------------------------------------------------------- the appeals


def test_txt_appeal_is_dropped_and_reported(records):
    record = records[TXT]
    text = record["article"]["text"]
    start = text.find(TXT_APPEAL_FIRST)
    assert start > 0
    end = text.find(TXT_APPEAL_LAST, start) + len(TXT_APPEAL_LAST)
    assert end > start
    for s in record["statements"]:
        assert not overlaps(statement_spans(s), start, end), s["content"]["text"]
    dropped = [w for w in record["warnings"] if "appeal" in w.lower()]
    assert len(dropped) == 1
    assert TXT_APPEAL_FIRST in dropped[0] or str(start) in dropped[0]


def test_html_appeal_is_dropped_and_reported(records):
    record = records[HTML]
    text = record["article"]["text"]
    start, end = paragraph_at(text, HTML_APPEAL_FIRST)
    # The appeal sits in the middle of the article, with statements on both sides.
    assert any(s["content"]["spans"][0][0] < start for s in record["statements"])
    assert any(s["content"]["spans"][0][0] > end for s in record["statements"])
    for s in record["statements"]:
        assert not overlaps(statement_spans(s), start, end), s["content"]["text"]
    dropped = [w for w in record["warnings"] if "appeal" in w.lower()]
    assert len(dropped) == 1
    assert HTML_APPEAL_FIRST in dropped[0] or str(start) in dropped[0]


def test_wire_stories_have_no_appeal(records):
    for source in (f"{WARC}#2", f"{WARC}#3"):
        assert not [w for w in records[source]["warnings"] if "appeal" in w.lower()]


# ---------------------------------------------------------------------------- metadata


def test_html_metadata(records):
    article = records[HTML]["article"]
    assert article["title"] == (
        "Millbrook council passes leaner budget after fight over library hours"
    )
    assert article["outlet"] == "The Millbrook Courier"
    assert article["published"] == "2024-03-13"
    assert article["url"] == (
        "https://www.millbrookcourier.example/news/2024/03/13/council-budget-library-hours"
    )
    # The page's clutter is not article text.
    for clutter in ("We use cookies", "Most read", "Route 9 bridge", "All rights reserved"):
        assert clutter not in article["text"]


def test_txt_metadata_is_empty(records):
    article = records[TXT]["article"]
    assert article["url"] is None
    assert article["outlet"] is None
    assert article["published"] is None


def test_warc_records_carry_their_target_uri(records):
    uris = [uri for uri, _ in _make_warc().PAGES.values()]
    assert [records[f"{WARC}#{n}"]["article"]["url"] for n in (2, 3)] == uris
    for n in (2, 3):
        article = records[f"{WARC}#{n}"]["article"]
        assert article["outlet"] == "Nordic Wire"
        assert article["published"] == "2024-03-12"
        assert article["title"] and "Nordic Wire" not in article["title"]


def test_warc_is_rebuilt_from_its_sources_byte_for_byte(tmp_path):
    built = _make_warc().build(tmp_path / "wire.warc.gz")
    assert built.read_bytes() == (EXAMPLES / "wire.warc.gz").read_bytes()
