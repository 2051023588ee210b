"""The batch that `extract` and `ingest` share: inputs read, extracted in order, a
progress bar on stderr, one line for each input or article that fails."""

from __future__ import annotations

import sys
from collections.abc import Iterator

from ..errors import InputError, OnrecordError, one_line
from ..ingest import expand_inputs, iter_articles, kind_of
from ..records import Article, ArticleResult
from .console import Reporter, progress_bar

# More inputs than this, and a progress bar is shown (on a terminal).
PROGRESS_MIN = 5


def make_extractor(detector: str, report: Reporter):
    """The pipeline for ``detector``, or None (reported) for an unknown one."""
    from ..ingest.language import preload

    preload()  # beside spaCy's loading, not after it
    from ..pipeline import Extractor

    try:
        return Extractor(detector=detector)
    except ValueError as exc:  # unknown detector
        report.fatal(str(exc))
        return None


def extracted(
    paths: list[str],
    *,
    metadata: dict,
    extractor,
    report: Reporter,
    progress: bool | None,
    label: str = "extracting",
) -> Iterator[ArticleResult]:
    """Every input read and extracted (``extractor.extract_many``), each result as soon
    as it is ready, in input order; a progress bar on stderr when wanted.

    What fails costs itself only, with one line, and its neighbours go on: an input
    that is no article, an article over the time limit
    (``error: big.txt: skipped: extraction took over 60 s (time limit)``), one the
    extractor raised on (``error: a.txt: internal error: KeyError: 'url'``)."""
    files = expand_inputs(paths)
    stdin = getattr(sys.stdin, "buffer", sys.stdin) if "-" in files else None
    bar = _progress(report, files, progress, label)
    task = None
    if bar is not None:
        single = all(f != "-" and kind_of(f) in ("text", "html") for f in files)
        task = bar.add_task(label, total=len(files) if single else None)
        bar.start()

    def advance() -> None:
        if bar is not None:
            bar.advance(task)

    def articles() -> Iterator[Article]:
        for item in iter_articles(files, stdin=stdin, **metadata):
            if isinstance(item, InputError):
                report.error(item.source, item.reason)
                advance()
            else:
                yield item

    def failed(article: Article, exc: Exception) -> None:
        if isinstance(exc, OnrecordError):
            reason = str(exc)
        else:
            reason = f"internal error: {one_line(exc, with_type=True)}"
        report.error(article.source, reason)

    try:
        for result in extractor.extract_many(articles(), on_error=failed):
            yield result
            advance()
    finally:
        if bar is not None:
            bar.stop()


def _progress(report: Reporter, files: list[str], wanted: bool | None, label: str):
    """A rich progress bar on stderr, or None."""
    if report.quiet or wanted is False:
        return None
    if wanted is None and (not report.console.is_terminal or len(files) <= PROGRESS_MIN):
        return None
    return progress_bar(report.console, label)
