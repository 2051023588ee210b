"""The whole chain for one or many articles: parse → detect → enrich.

``Extractor`` keeps the loaded detector and the time spent in each stage, so that the
CLI, the evaluation and benchmarks all run the same code and can say where time went.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from . import nlp
from .attribution import DEFAULT_DETECTOR, get_detector
from .enrich import enrich
from .records import Article, ArticleResult


def _masked(article: Article) -> str:
    """The text spaCy sees: excluded boilerplate blanked out, offsets unchanged."""
    if not article.excluded:
        return article.text
    chars = list(article.text)
    for s, e in article.excluded:
        for i in range(s, e):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


class Extractor:
    """Extract attributed statements; reuse one instance for many articles."""

    def __init__(self, detector: str = DEFAULT_DETECTOR, batch_size: int = 16) -> None:
        self.detector = get_detector(detector)
        self.batch_size = batch_size
        self.timings = {"parse": 0.0, "detect": 0.0, "enrich": 0.0}
        self.articles = 0

    def _finish(self, doc: Doc, article: Article) -> ArticleResult:
        t0 = time.perf_counter()
        attributions = self.detector.detect(doc, article)
        t1 = time.perf_counter()
        statements, warnings, people = enrich(doc, article, attributions)
        t2 = time.perf_counter()
        self.timings["detect"] += t1 - t0
        self.timings["enrich"] += t2 - t1
        self.articles += 1
        notes = tuple(article.notes) + tuple(warnings)
        return ArticleResult(
            article=article, statements=tuple(statements), warnings=notes, people=tuple(people)
        )

    def extract(self, article: Article) -> ArticleResult:
        t0 = time.perf_counter()
        doc = nlp.parse(_masked(article))
        self.timings["parse"] += time.perf_counter() - t0
        return self._finish(doc, article)

    def extract_many(self, articles: Iterable[Article]) -> Iterator[ArticleResult]:
        """Results in input order; parsing is batched."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= self.batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Article]) -> Iterator[ArticleResult]:
        t0 = time.perf_counter()
        docs = list(nlp.parse_many((_masked(a) for a in batch), batch_size=self.batch_size))
        self.timings["parse"] += time.perf_counter() - t0
        for doc, article in zip(docs, batch, strict=True):
            yield self._finish(doc, article)
