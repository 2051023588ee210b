"""One extraction driver, ``Extractor.extract_many(on_error=...)``, under everything
that extracts many articles (`extract`, `ingest`, `eval`): an article that fails costs
itself only.  It is reported once, in its place, and its neighbours come out; none is
extracted twice."""

from __future__ import annotations

from pathlib import Path

from store_corpus import STORIES, cli, extracted, jsonl

from onrecord.pipeline import Extractor
from onrecord.records import Article
from onrecord.store import Store
from onrecord.store.db import display, resolve_url

EVAL = Path(__file__).parent / "data" / "eval"
BLEW_UP = "detector blew up\non two lines"


def fail_on(monkeypatch, fails) -> list[str | None]:
    """Make the detector raise for each article ``fails(article)`` is true of; the
    sources of the articles it was run on, in order."""
    finish = Extractor._finish
    calls: list[str | None] = []

    def flaky(self, doc, article):
        calls.append(article.source)
        if fails(article):
            raise RuntimeError(BLEW_UP)
        return finish(self, doc, article)

    monkeypatch.setattr(Extractor, "_finish", flaky)
    return calls


def test_a_failure_is_reported_in_its_place_and_its_neighbours_come_out(monkeypatch):
    calls = fail_on(monkeypatch, lambda article: article.source == "b")
    said = "“We will not raise taxes,” the {} said on Monday."
    articles = [
        Article(text=said.format(who), source=source)
        for source, who in (("a", "mayor"), ("b", "governor"), ("c", "minister"), ("d", "judge"))
    ]
    events: list[tuple] = []
    for result in Extractor().extract_many(
        articles, on_error=lambda article, exc: events.append(("failed", article.source, exc))
    ):
        events.append(("result", result.article.source))
    assert [e[:2] for e in events] == [
        ("result", "a"),
        ("failed", "b"),
        ("result", "c"),
        ("result", "d"),
    ]
    assert str(events[1][2]) == BLEW_UP
    assert calls == ["a", "b", "c", "d"]


def test_eval_scores_an_article_that_fails_as_no_predictions_and_goes_on(monkeypatch):
    from onrecord.eval import evaluate

    calls = fail_on(monkeypatch, lambda article: article.source.endswith("beta.txt"))
    report = evaluate(EVAL, keep_details=True)
    assert report.failed == 1
    assert [d.error for d in report.details] == [
        None,
        "RuntimeError: detector blew up on two lines",
        None,
    ]
    alpha, beta, _ = report.details
    assert alpha.predicted > 0 and beta.predicted == 0 and beta.gold > 0
    assert "1 failed in extraction (scored with no predictions)" in report.to_text()
    scored = [source for source in calls if source is not None]  # less the warm-up
    assert [Path(source).name for source in scored] == ["alpha.txt", "beta.txt", "gamma.txt"]


def test_ingest_reports_an_article_that_fails_once_and_stores_its_neighbours(
    db_url, tmp_path, monkeypatch
):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(jsonl(), encoding="utf-8")
    others = [story for k, story in enumerate(STORIES) if k != 1]
    statements = sum(len(extracted(story).statements) for story in others)
    calls = fail_on(monkeypatch, lambda article: article.url == STORIES[1].url)

    result = cli("ingest", str(feed), "--db", db_url)
    assert result.exit_code == 1
    shown = display(resolve_url(db_url))
    assert result.stderr.splitlines() == [
        f"error: {feed}:2: internal error: RuntimeError: detector blew up on two lines",
        f"{shown}: {len(others)} new, 0 updated, 0 unchanged, 1 failed; "
        f"{statements} statements added",
    ]
    assert calls == [f"{feed}:{k + 1}" for k in range(len(STORIES))]
    with Store(db_url) as store:
        assert store.counts()["articles"] == len(others)
