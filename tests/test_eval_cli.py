"""`onrecord eval` and `onrecord.eval.evaluate` end to end: the report's shape and the
gold counts, not the quality of detection (the detector is work in progress)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from onrecord.cli import _register, app
from onrecord.eval import evaluate

DATA = Path(__file__).parent / "data" / "eval"
POLNEAR_DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "polnear" / "dev"
ROLES = ("source", "cue", "content")
TYPES = ("direct", "mixed", "indirect")
PRF = {"precision", "recall", "f1", "tp", "fp", "fn"}

_register()


def run(*args: str):
    result = CliRunner().invoke(app, ["eval", *args], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def check_shape(report: dict) -> None:
    assert set(report) >= {
        "onrecord_version",
        "detector",
        "n_articles",
        "gold_relations",
        "predicted_relations",
        "roles",
        "relations",
        "by_type",
        "throughput",
        "input_errors",
        "failed_articles",
    }
    for role in ROLES:
        for mode in ("exact", "overlap"):
            counts = report["roles"][role][mode]
            assert set(counts) == PRF
            assert 0.0 <= counts["precision"] <= 1.0 and 0.0 <= counts["f1"] <= 1.0
            assert counts["tp"] + counts["fn"] == report["roles"][role]["gold"]
            assert counts["tp"] + counts["fp"] == report["roles"][role]["predicted"]
        # An exact match is also an overlap.
        assert report["roles"][role]["exact"]["tp"] <= report["roles"][role]["overlap"]["tp"]
    rel = report["relations"]
    assert set(rel) == PRF
    assert rel["tp"] + rel["fn"] == report["gold_relations"]
    assert rel["tp"] + rel["fp"] == report["predicted_relations"]
    assert set(report["by_type"]) == set(TYPES)
    assert sum(report["by_type"][t]["gold_relations"] for t in TYPES) == report["gold_relations"]
    assert sum(report["by_type"][t]["predicted"] for t in TYPES) == report["predicted_relations"]
    speed = report["throughput"]
    assert speed["articles_per_second"] > 0
    assert set(speed["stage_seconds"]) == {"parse", "detect", "enrich"}
    assert 0.0 <= speed["parse_share"] <= 1.0


def test_json_report_on_the_fixture_corpus():
    result = run(str(DATA), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    check_shape(report)
    assert report["detector"] == "model"  # the default
    assert report["n_articles"] == 3
    assert report["gold_relations"] == 6
    roles = report["roles"]
    # Distinct spans: 5 sources (one relation has none), 6 cues, 6 contents.
    assert (roles["source"]["gold"], roles["cue"]["gold"], roles["content"]["gold"]) == (5, 6, 6)
    assert report["by_type"]["direct"]["gold_relations"] >= 1
    assert report["input_errors"] == report["failed_articles"] == report["gold_skipped"] == 0


def test_text_report_limit_and_dump(tmp_path):
    dump = tmp_path / "details.jsonl"
    result = run(str(DATA), "--limit", "2", "--dump", str(dump))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "2 articles" in out
    for word in ("source", "cue", "content", "relations", "direct", "mixed", "indirect"):
        assert word in out
    assert "articles/s" in out and "%" in out
    lines = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    assert [d["stem"] for d in lines] == ["alpha", "beta"]
    alpha = lines[0]
    assert alpha["gold"] == 3
    assert len(alpha["unmatched_gold"]) == alpha["gold"] - alpha["matched"]
    assert len(alpha["unmatched_predicted"]) == alpha["predicted"] - alpha["matched"]
    text = (DATA / "text" / "alpha.txt").read_text(encoding="utf-8")
    for item in alpha["unmatched_gold"] + alpha["unmatched_predicted"]:
        assert set(item) >= {"index", "id", "type", "source", "cue", "content", "spans"}
        s, e = item["spans"]["content"][0]
        assert item["content"].startswith(text[s:e])


def test_evaluate_keeps_details_for_every_article():
    report = evaluate(DATA, keep_details=True)
    assert [d.stem for d in report.details] == ["alpha", "beta", "gamma"]
    gamma = report.details[2]
    assert gamma.gold == 0 and gamma.unmatched_gold == []
    assert len(gamma.unmatched_predicted) == gamma.predicted  # all false positives
    check_shape(report.to_dict())
    assert evaluate(DATA, limit=1).details is None


def test_progress_is_reported():
    calls = []
    evaluate(DATA, progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (3, 3)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/nonexistent/gold"], "no such folder"),
        ([str(DATA / "text")], "not a brat gold folder"),
        ([str(DATA), "--detector", "nosuch"], "unknown detector"),
    ],
)
def test_bad_usage_is_one_line_and_status_2(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0]


def test_an_unwritable_dump_file(tmp_path):
    result = run(str(DATA), "--dump", str(tmp_path / "missing" / "x.jsonl"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot write")


@pytest.mark.skipif(not POLNEAR_DEV.is_dir(), reason="../shared/polnear is not available")
def test_on_polnear_dev():
    result = run(str(POLNEAR_DEV), "--limit", "3", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    check_shape(report)
    assert report["n_articles"] == 3
    assert report["gold_relations"] > 0
