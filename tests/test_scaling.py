"""Cost in proportion to the article: time and memory measured on adversarial shapes of
growing length (benchmarks/scaling.py writes them), an article at the 10 MB input limit,
the time limit, and the exact offsets of a text parsed in pieces.

Times are CPU seconds (``time.process_time``, medians where cheap), so that a loaded
machine does not make them flaky; the bounds allow n·log n growth with a wide margin,
against which the quadratic paths these tests were written for grew 10-100 times over.
"""

from __future__ import annotations

import importlib.util
import json
import math
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from onrecord import nlp
from onrecord.nlp import TimeLimitExceeded
from onrecord.pipeline import Extractor, _masked
from onrecord.records import Article

BENCHMARK = Path(__file__).parents[1] / "benchmarks" / "scaling.py"
_spec = importlib.util.spec_from_file_location("scaling_benchmark", BENCHMARK)
scaling = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scaling)
SHAPES = scaling.SHAPES

MB = 1024 * 1024


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    ex = Extractor(time_limit=None)
    ex.extract(Article(text="Officials said on Monday that the plan would work."))
    return ex


def _cpu(fn, runs: int = 1) -> float:
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def _bound(n0: int, n1: int, margin: float) -> float:
    """n·log n growth from n0 to n1 characters, times ``margin``."""
    return n1 * math.log(n1) / (n0 * math.log(n0)) * margin


# The shapes whose cost grew fastest before: one sentence of 5,000 tokens (the parse
# helpers walked it per token), thousands of unbalanced quotation marks (each single
# mark rescanned its paragraph), a relay chain (each statement's content held all the
# later ones), hundreds of names (each looked up against all the others).
# benchmarks/scaling.py measures the others.
SCALED = ("sentence", "unbalanced", "relay", "names")
SIZES = (2_000, 6_000, 18_000)


@pytest.fixture(scope="module")
def timings() -> dict[str, list[float]]:
    """CPU seconds per shape and size, measured by benchmarks/scaling.py in a process of
    its own: it pins numpy to one thread before loading it (here, a second BLAS thread
    would spin and count), and detection is the median of three runs."""
    run = subprocess.run(
        [sys.executable, str(BENCHMARK), "--json", "--no-memory", "--runs", "3"]
        + ["--sizes", ",".join(map(str, SIZES)), "--shapes", ",".join(SCALED)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return {row["shape"]: row["seconds"] for row in json.loads(run.stdout)}


@pytest.mark.parametrize("shape", SCALED)
def test_time_grows_in_proportion(timings, shape):
    small, mid, large = timings[shape]
    assert large / mid <= _bound(SIZES[1], SIZES[2], 1.75), (shape, small, mid, large)
    assert large / small <= _bound(SIZES[0], SIZES[2], 2.5), (shape, small, mid, large)


def test_line_breaks_are_sentence_starts_in_time_in_proportion():
    # Setting ``token.is_sent_start`` checks the whole Doc for a parse: one line break
    # at a time, 25,000 short lines took 15 seconds.
    component = nlp.load().get_pipe(nlp.PARAGRAPHS)

    def cost(n: int) -> float:
        doc = nlp.load().make_doc(SHAPES["short_lines"](n))
        return _cpu(lambda: component(doc), runs=3)

    small, large = cost(25_000), cost(100_000)
    assert large / small <= _bound(25_000, 100_000, 2.5), (small, large)


def test_memory_grows_in_proportion(extractor):
    def peak(n: int) -> float:
        article = Article(text=SHAPES["unbalanced"](n))
        tracemalloc.start()
        try:
            extractor.extract(article)
            return tracemalloc.get_traced_memory()[1] / MB
        finally:
            tracemalloc.stop()

    small, large = peak(1_500), peak(6_000)
    assert large <= 4 * small * 1.5, (small, large)
    assert large < 150, (small, large)


@pytest.fixture
def small_pieces(monkeypatch):
    """Texts over 20,000 characters parsed in pieces of 4,000 (as over 100,000 and
    10,000 are), so that the pieces are tested on texts that parse quickly."""
    monkeypatch.setattr(nlp, "LONG_TEXT", 20_000)
    monkeypatch.setattr(nlp, "CHUNK_CHARS", 4_000)


def test_an_article_at_the_10_mb_limit_is_skipped_within_its_time_limit():
    text = SHAPES["paragraph"](10 * MB)
    neighbour = "“We will not raise taxes,” the mayor said on Monday."
    articles = [Article(text=neighbour, source="a"), Article(text=text, source="big")]
    articles.append(Article(text=neighbour, source="b"))
    failed = []
    ex = Extractor(time_limit=1.0)
    t0 = time.monotonic()
    tracemalloc.start()
    try:
        results = list(ex.extract_many(articles, on_error=lambda a, e: failed.append((a, e))))
        peak = tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - t0
    assert [r.article.source for r in results] == ["a", "b"]
    assert all(r.statements for r in results)
    assert [(a.source, str(e)) for a, e in failed] == [
        ("big", "skipped: extraction took over 1 s (time limit)")
    ]
    assert isinstance(failed[0][1], TimeLimitExceeded)
    # One piece of text (10,000 characters) may run past the limit before it is seen.
    assert elapsed < 15, elapsed
    assert peak < 400, peak


def test_a_text_parsed_in_pieces_keeps_its_offsets(small_pieces):
    # Paragraphs, a paragraph longer than a piece, runs of brackets and a word longer
    # than the tokenizer is given at once, white space runs at the cuts.
    parts = [
        SHAPES["quotes"](5_000),
        "\n\n\n",
        SHAPES["sentence"](6_000),
        "\n",
        "(" * 1_500 + "x" + ")" * 500,
        " \t \n",
        SHAPES["colons"](5_000),
        "y" * 5_000,
        "\n" * 300,
        SHAPES["unbalanced"](3_000),
    ]
    text = "".join(parts)
    assert len(text) > nlp.LONG_TEXT
    doc = nlp.parse(text)
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t)] == t.text for t in doc)
    assert max(len(s) for s in doc.sents) <= nlp.MAX_SENTENCE_TOKENS
    # The pieces are cut where a paragraph ends whenever one is near.
    bounds = nlp.chunk_bounds(text)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))


def test_boilerplate_masking_keeps_offsets_in_a_long_text(extractor, small_pieces):
    statement = "“We will not raise taxes,” the mayor said on Monday.\n"
    appeal = "Support our journalism: donate today, said the editor.\n"
    text = (statement + appeal) * 300  # 32,000 characters, in pieces
    assert not nlp.is_plain(text)
    excluded = []
    at = 0
    for _ in range(300):
        at += len(statement)
        excluded.append((at, at + len(appeal)))
        at += len(appeal)
    article = Article(text=text, excluded=tuple(excluded))
    masked = _masked(article)
    assert len(masked) == len(text)
    assert masked.count("\n") == text.count("\n")
    assert "donate" not in masked and masked.count("mayor") == 300
    result = extractor.extract(article)
    assert len(result.statements) == 300
    for s in result.statements:
        assert text[s.content_spans[0][0] : s.content_spans[-1][1]] == "We will not raise taxes,"
        assert s.cue_text == "said"


def test_a_long_sentence_is_capped_and_ordinary_ones_are_not():
    ordinary = "The mayor said on Monday that the council would review the plan. " * 20
    doc = nlp.parse(ordinary)
    assert [len(s) for s in doc.sents] == [13] * 20
    long = SHAPES["sentence"](12_000)
    first = nlp.load()(long)
    assert max(len(s) for s in first.sents) > nlp.MAX_SENTENCE_TOKENS
    capped = nlp.parse(long)
    assert [t.text for t in capped] == [t.text for t in first]
    assert max(len(s) for s in capped.sents) <= nlp.MAX_SENTENCE_TOKENS


def test_results_come_one_by_one_in_input_order(extractor):
    pulled = []

    def articles():
        for k in range(40):
            pulled.append(k)
            text = f"The mayor said on day {k} that the plan would work."
            yield Article(text=text, source=str(k))

    results = extractor.extract_many(articles())
    first = next(results)
    assert first.article.source == "0" and pulled == [0]  # nothing read ahead of it
    rest = list(results)
    assert [r.article.source for r in [first, *rest]] == [str(k) for k in range(40)]


def test_the_command_skips_an_article_over_its_time_limit(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from onrecord.cli import _register, app
    from onrecord.cli import extract as command

    _register()
    small = "“We will not raise taxes,” the mayor said on Monday.\n"
    paths = [tmp_path / "a.txt", tmp_path / "big.txt", tmp_path / "b.txt"]
    paths[0].write_text(small, encoding="utf-8")
    paths[1].write_text(SHAPES["paragraph"](300_000), encoding="utf-8")
    paths[2].write_text(small.replace("mayor", "governor"), encoding="utf-8")
    monkeypatch.setattr(
        command, "make_extractor", lambda detector, report: Extractor(detector, time_limit=0.5)
    )
    parse = nlp.parse
    long_parses = []

    def counting(text: str):
        if len(text) > nlp.LONG_TEXT:
            long_parses.append(len(text))
        return parse(text)

    monkeypatch.setattr(nlp, "parse", counting)
    single = len(app.registered_commands) + len(app.registered_groups) == 1
    args = [*map(str, paths), "--format", "jsonl"]
    argv = args if single and app.registered_callback is None else ["extract", *args]
    result = CliRunner().invoke(app, argv, catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"error: {paths[1]}: skipped: extraction took over 0.5 s (time limit)"
    )
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["article"]["source"] for r in records] == [str(paths[0]), str(paths[2])]
    assert long_parses == [300_000]  # tried once, not again on its own
