"""`onrecord extract` end to end, and `onrecord.extract()`: the plumbing (articles,
metadata, offsets, failures, exit codes, formats), not the quality of detection."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import onrecord
from onrecord.cli import _register, app
from onrecord.pipeline import Extractor
from onrecord.records import Article

DATA = Path(__file__).parent / "data" / "ingest"
COUNCIL = DATA / "council.txt"
APPEAL = DATA / "appeal.txt"
GERMAN = DATA / "german.txt"
PAGE = DATA / "article.html"

_register()


def run(*args: str, input: bytes | str | None = None):
    # While `extract` is the only command, typer runs it without its name.
    single = len(app.registered_commands) + len(app.registered_groups) == 1
    argv = list(args) if single and app.registered_callback is None else ["extract", *args]
    result = CliRunner().invoke(app, argv, input=input, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def stderr_lines(result) -> list[str]:
    return result.stderr.splitlines()


def spans_text(text: str, spans: list[list[int]]) -> str:
    return " … ".join(text[s:e] for s, e in spans)


def test_json_batch_goes_on_past_a_missing_file(tmp_path):
    missing = tmp_path / "missing.txt"
    result = run(
        str(COUNCIL), str(missing), str(APPEAL), "--published", "2024-05-13", "--outlet", "Wire"
    )
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    assert [r["article"]["source"] for r in records] == [str(COUNCIL), str(APPEAL)]
    for record in records:
        article = record["article"]
        assert article["published"] == "2024-05-13"
        assert article["outlet"] == "Wire"
        assert article["language"] == "en"
        text = article["text"]
        for s in record["statements"]:  # offsets index the article text exactly
            assert spans_text(text, s["content"]["spans"]) == s["content"]["text"]
            assert spans_text(text, s["cue"]["spans"]) == s["cue"]["text"]
    assert records[0]["article"]["text"] == COUNCIL.read_text(encoding="utf-8")
    assert records[1]["warnings"][0].startswith("dropped publisher appeal: 7 paragraphs")
    statements = sum(len(r["statements"]) for r in records)
    assert stderr_lines(result) == [
        f"error: {missing}: no such file or directory",
        f"2 articles, {statements} statement{'' if statements == 1 else 's'}, 1 failed",
    ]


def test_no_statement_comes_from_the_appeal():
    result = run(str(APPEAL), "--format", "jsonl")
    assert result.exit_code == 0
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    start = record["article"]["text"].index("A Note from The Lindenford Ledger:")
    for s in record["statements"]:
        for _a, b in s["content"]["spans"] + s["cue"]["spans"] + s["speaker"]["spans"]:
            assert b <= start


def test_jsonl_one_line_per_article_and_bad_inputs_one_line_each(tmp_path):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    result = run(str(GERMAN), str(COUNCIL), str(binary), str(PAGE), "--format", "jsonl")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [json.loads(line)["article"]["source"] for line in lines] == [str(COUNCIL), str(PAGE)]
    errors = stderr_lines(result)[:-1]
    assert errors == [
        f"error: {GERMAN}: not English (looks like German, p=1.00)",
        f"error: {binary}: binary file (contains NUL bytes)",
    ]
    assert stderr_lines(result)[-1].startswith("2 articles, ")
    assert stderr_lines(result)[-1].endswith(", 2 failed")


def test_all_good_exits_0_and_html_metadata_wins_over_options():
    result = run(str(PAGE), "--outlet", "Option Outlet", "--title", "Option title")
    assert result.exit_code == 0
    (record,) = json.loads(result.stdout)
    assert record["article"]["outlet"] == "The Port Ellis Tribune"
    assert record["article"]["title"] == "Harbor council approves ferry subsidy after long debate"
    assert record["article"]["published"] == "2024-05-13"
    assert "failed" not in result.stderr
    assert stderr_lines(result)[-1].startswith("1 article, ")


def test_table_format():
    result = run(str(APPEAL), "--format", "table", "--outlet", "Ledger", "--title", "Flood")
    assert result.exit_code == 0
    out = result.stdout
    assert out.splitlines()[0] == f"{APPEAL} · Flood · Ledger"
    header = next(line for line in out.splitlines() if "speaker" in line)
    for column in (
        "#",
        "type",
        "speaker",
        "cue",
        "content",
        "channel",
        "relay",
        "time",
        "conf",
    ):
        assert column in header.split()
    assert "note: dropped publisher appeal: 7 paragraphs" in out


@pytest.mark.parametrize("columns", ["80", "100", "160"])
def test_a_table_fits_the_terminal_with_every_column(columns, monkeypatch):
    """On a narrow terminal every column gets narrower; none is cut off the right edge
    (at 100 columns `time` and `conf` used to vanish)."""
    monkeypatch.setenv("COLUMNS", columns)
    result = run(str(COUNCIL), "--format", "table")
    lines = result.stdout.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= int(columns)
    header = next(line for line in lines if "speaker" in line).split()
    assert header == ["#", "type", "speaker", "cue", "content", "channel", "relay", "time", "conf"]
    confidences = [
        line.split()[-1] for line in lines if re.match(r"\s*\d+\s+(direct|indirect|mixed)", line)
    ]
    assert confidences and all(re.fullmatch(r"[01]\.\d\d", c) for c in confidences)


def test_a_speaker_is_labelled_once_when_the_text_already_names_them():
    from onrecord.output import speaker_label

    minister = {
        "text": "Transport Minister Ilse Varga",
        "name": "Ilse Varga",
        "role": "Transport Minister",
    }
    assert speaker_label(minister) == "Transport Minister Ilse Varga"
    surname = {"text": "Varga", "name": "Ilse Varga", "role": "Transport Minister"}
    assert speaker_label(surname) == "Varga → Ilse Varga, Transport Minister"
    assert speaker_label({"text": None, "name": None, "role": None}) == "—"


def test_output_file_and_format_from_its_suffix(tmp_path):
    out = tmp_path / "results.jsonl"
    result = run(str(COUNCIL), str(PAGE), "--output", str(out), "--quiet")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == ""  # --quiet: no summary
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["article"]["source"] for line in lines] == [str(COUNCIL), str(PAGE)]


def test_quiet_still_reports_errors(tmp_path):
    result = run(str(tmp_path / "nope.html"), "--quiet")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []
    assert stderr_lines(result) == [f"error: {tmp_path / 'nope.html'}: no such file or directory"]


def test_stdin():
    text = COUNCIL.read_text(encoding="utf-8")
    result = run("-", "--url", "https://tribune.test/ferry", input=text.encode())
    assert result.exit_code == 0
    (record,) = json.loads(result.stdout)
    assert record["article"]["source"] == "stdin"
    assert record["article"]["url"] == "https://tribune.test/ferry"
    assert record["article"]["text"] == text


@pytest.mark.parametrize("value", ["2024-13-01", "yesterday", "05/13/2024"])
def test_bad_published_is_a_usage_error(value):
    result = run(str(COUNCIL), "--published", value)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Invalid value for '--published'" in result.stderr
    assert "invalid published date" in " ".join(result.stderr.split())


@pytest.mark.parametrize(
    "value, reason",
    [
        ("javascript:alert(1)", "not an http or https URL (scheme javascript:)"),
        ("data:text/html,<b>hi</b>", "not an http or https URL (scheme data:)"),
        ("/story/1", "not an absolute http or https URL"),
    ],
)
def test_a_url_that_cannot_be_a_link_is_a_usage_error(value, reason):
    result = run(str(COUNCIL), "--url", value)
    assert result.exit_code == 2
    assert result.stdout == ""
    message = " ".join(result.stderr.replace("│", " ").split())
    assert f"Invalid value for '--url': {value!r}: {reason}" in message


def test_unknown_detector():
    result = run(str(COUNCIL), "--detector", "nope")
    assert result.exit_code == 2
    assert stderr_lines(result)[0].startswith("error: unknown detector 'nope' (available: ")


def test_unexpected_error_costs_one_article(monkeypatch):
    finish = Extractor._finish

    def flaky(self, doc, article):
        if "Lindenford" in article.text:
            raise RuntimeError("detector blew up\non two lines")
        return finish(self, doc, article)

    monkeypatch.setattr(Extractor, "_finish", flaky)
    result = run(str(COUNCIL), str(APPEAL), str(PAGE), "--format", "jsonl")
    assert result.exit_code == 1
    sources = [json.loads(line)["article"]["source"] for line in result.stdout.splitlines()]
    assert sources == [str(COUNCIL), str(PAGE)]
    assert stderr_lines(result)[0] == (
        f"error: {APPEAL}: internal error: RuntimeError: detector blew up on two lines"
    )
    assert stderr_lines(result)[-1].endswith(", 1 failed")


def test_library_extract_from_text_and_article():
    text = COUNCIL.read_text(encoding="utf-8")
    result = onrecord.extract(text, published="May 13, 2024", outlet="Tribune")
    assert isinstance(result, onrecord.ArticleResult)
    assert result.article.text == text
    assert result.article.published == "2024-05-13"
    assert result.article.outlet == "Tribune"
    for s in result.statements:
        assert isinstance(s, onrecord.Statement)
        assert spans_text(text, [list(x) for x in s.content_spans]) == s.content_text

    article = Article(text=text, outlet="Own outlet")
    filled = onrecord.extract(article, outlet="Other", url="https://t.test/a").article
    assert filled.outlet == "Own outlet"
    assert filled.url == "https://t.test/a"
    assert filled.id == Article(text=text, url="https://t.test/a").id
    with pytest.raises(onrecord.InputError, match="not English"):
        onrecord.extract(GERMAN.read_text(encoding="utf-8"))
