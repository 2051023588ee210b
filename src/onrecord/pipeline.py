"""The whole chain for one or many articles: parse → detect → enrich.

``Extractor`` keeps the loaded detector and the time spent in each stage, so that the
CLI, the evaluation and benchmarks all run the same code and can say where time went.
Each article has a time budget (``time_limit``, 60 s by default): one that takes longer
is abandoned with :class:`~onrecord.nlp.TimeLimitExceeded` instead of holding up the
batch.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator

from spacy.tokens import Doc

from . import nlp
from .attribution import DEFAULT_DETECTOR, detect, get_detector, label
from .enrich import enrich
from .records import Article, ArticleResult

# Seconds an article may take, parse, detection and enrichment together (None: no limit).
DEFAULT_TIME_LIMIT = 60.0
# extract_many parses a batch of articles at a time: the first of one article, so that
# its result comes at once, then each twice the one before, up to batch_size articles
# and BATCH_CHARS characters (sixteen news articles have about 80,000; 200,000 take
# about ten seconds to parse).
BATCH_CHARS = 200_000

_NOT_NEWLINE = re.compile(r"[^\n]")

ErrorHandler = Callable[[Article, Exception], None]


def _masked(article: Article) -> str:
    """The text spaCy sees: excluded boilerplate blanked out, offsets unchanged."""
    if not article.excluded:
        return article.text
    text = article.text
    parts = []
    at = 0
    for s, e in sorted(article.excluded):
        s = max(s, at)
        if e <= s:
            continue
        parts.append(text[at:s])
        parts.append(_NOT_NEWLINE.sub(" ", text[s:e]))
        at = e
    parts.append(text[at:])
    return "".join(parts)


class Extractor:
    """Extract attributed statements; reuse one instance for many articles."""

    def __init__(
        self,
        detector: str = DEFAULT_DETECTOR,
        batch_size: int = 16,
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        detector_settings: dict | None = None,
    ) -> None:
        """``detector_settings``: settings of the detector other than its defaults (see
        ``onrecord.attribution.default_config``)."""
        self.detector = get_detector(detector, **(detector_settings or {}))
        self.detector_label = label(self.detector)
        self.batch_size = batch_size
        self.time_limit = time_limit
        self.timings = {"parse": 0.0, "detect": 0.0, "enrich": 0.0}
        self.articles = 0

    def _finish(self, doc: Doc, article: Article) -> ArticleResult:
        t0 = time.perf_counter()
        attributions = detect(self.detector, doc, article)
        t1 = time.perf_counter()
        statements, people = enrich(doc, article, attributions)
        t2 = time.perf_counter()
        self.timings["detect"] += t1 - t0
        self.timings["enrich"] += t2 - t1
        self.articles += 1
        return ArticleResult(
            article=article,
            statements=tuple(statements),
            warnings=tuple(article.notes),  # what ingest noticed
            people=tuple(people),
            detector=self.detector_label,
        )

    def _parse(self, text: str) -> Doc:
        t0 = time.perf_counter()
        try:
            return nlp.parse(text)
        finally:
            self.timings["parse"] += time.perf_counter() - t0

    def extract(self, article: Article) -> ArticleResult:
        """One article; raises :class:`~onrecord.nlp.TimeLimitExceeded` when it takes
        longer than ``time_limit`` seconds."""
        with nlp.time_limit(self.time_limit):
            return self._finish(self._parse(_masked(article)), article)

    def extract_many(
        self, articles: Iterable[Article], on_error: ErrorHandler | None = None
    ) -> Iterator[ArticleResult]:
        """Results in input order, each as soon as it is ready; parsing is batched.

        The one way to extract many articles (the CLI, ``ingest``, ``eval``): an article
        that fails costs itself only.  ``on_error(article, exception)`` is called for an
        article that fails (over the time limit, or an unexpected error) in its place in
        the order, after the results before it and before those after it; the article
        is left out and the others go on.  Without ``on_error`` the exception
        propagates."""
        batch: list[Article] = []
        chars = 0
        wanted = 1
        for article in articles:
            batch.append(article)
            chars += len(article.text)
            if len(batch) >= wanted or chars >= BATCH_CHARS:
                yield from self._run_batch(batch, on_error)
                batch, chars = [], 0
                wanted = min(2 * wanted, self.batch_size)
        if batch:
            yield from self._run_batch(batch, on_error)

    def _run_batch(
        self, batch: list[Article], on_error: ErrorHandler | None
    ) -> Iterator[ArticleResult]:
        texts = [_masked(a) for a in batch]
        # Articles of ordinary length are parsed together; a long one on its own, within
        # its time budget.
        plain = [k for k, text in enumerate(texts) if nlp.is_plain(text)]
        docs: dict[int, Doc] = {}
        t0 = time.perf_counter()
        try:
            parsed = nlp.parse_many((texts[k] for k in plain), batch_size=self.batch_size)
            docs = dict(zip(plain, parsed, strict=True))
        except Exception:
            if on_error is None:
                raise
            docs = {}  # each article is parsed again on its own, and fails on its own
        self.timings["parse"] += time.perf_counter() - t0
        for k, article in enumerate(batch):
            try:
                with nlp.time_limit(self.time_limit):
                    doc = docs.pop(k, None)
                    if doc is None:
                        doc = self._parse(texts[k])
                    result = self._finish(doc, article)
            except Exception as exc:
                if on_error is None:
                    raise
                on_error(article, exc)
                continue
            yield result
