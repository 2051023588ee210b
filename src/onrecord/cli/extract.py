"""`onrecord extract`: articles in, attributed statements out.

Results go to stdout (or ``--output``); messages, one line per failed input, the progress
bar and the closing summary go to stderr.  The batch goes on past a bad input, and the
exit status says whether anything failed: 0 all read, 1 some input failed, 2 bad usage.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.text import Text

from ..attribution import DEFAULT_DETECTOR
from ..errors import InputError, OnrecordError
from ..ingest import expand_inputs, iter_articles, kind_of, normalise_published
from ..ingest.readers import internal_error
from ..output import make_writer
from ..records import Article, ArticleResult
from . import app

# --detector, the same on every command that extracts.
DetectorOption = Annotated[
    str,
    typer.Option(
        help="Which detector finds the statements: model (default), rules, or model-lm "
        "(more accurate, about 4x slower; needs the language model wheel).",
    ),
]

# More inputs than this, and a progress bar is shown (on a terminal).
PROGRESS_MIN = 5


class Format(str, Enum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


def _check_url(value: str | None) -> str | None:
    from ..ingest.urls import shown, url_problem

    problem = url_problem(value.strip()) if value else None
    if problem:
        raise typer.BadParameter(f"{shown(value)}: {problem}")
    return value


def _check_published(value: str | None) -> str | None:
    try:
        return normalise_published(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


class Reporter:
    """Messages on stderr: one line per failure, the summary; counts what went wrong."""

    def __init__(self, quiet: bool) -> None:
        self.console = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
        self.quiet = quiet
        self.failed = 0

    def error(self, source: str | None, reason: str) -> None:
        self.failed += 1
        where = f"{source}: " if source else ""
        self.fatal(where + reason)

    def fatal(self, message: str) -> None:
        message = " ".join(message.split())  # always one line
        self.console.print(Text.assemble(("error:", "bold red"), f" {message}"))

    def summary(self, articles: int, statements: int) -> None:
        if self.quiet:
            return
        parts = [_count(articles, "article"), _count(statements, "statement")]
        if self.failed:
            parts.append(f"{self.failed} failed")
        self.console.print(", ".join(parts))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _default_format(output: Path | None) -> Format:
    if output is not None:
        suffix = output.suffix.lower()
        return Format.jsonl if suffix in (".jsonl", ".ndjson") else Format.json
    return Format.table if sys.stdout.isatty() else Format.json


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _extract_all(
    extractor, articles: Iterable[Article], report: Reporter
) -> Iterator[ArticleResult]:
    """``extractor.extract_many``, each result as soon as it is ready, in input order.
    An article that fails costs itself only: over the time limit it is skipped with one
    line (``error: big.txt: skipped: extraction took over 60 s (time limit)``), after an
    unexpected error with another, and its neighbours go on (none is run twice)."""

    def failed(article: Article, exc: Exception) -> None:
        reason = str(exc) if isinstance(exc, OnrecordError) else internal_error(exc)
        report.error(article.source, reason)

    yield from extractor.extract_many(articles, on_error=failed)


def _progress(report: Reporter, files: list[str], wanted: bool | None, label: str):
    """A rich progress bar on stderr, or None."""
    if report.quiet or wanted is False:
        return None
    if wanted is None and (not report.console.is_terminal or len(files) <= PROGRESS_MIN):
        return None
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=report.console,
        transient=True,
    )


@app.command()
def extract(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH",
            help="Files (.txt, .html, .htm, .warc, .jsonl, optionally .gz), folders, glob "
            "patterns, or - for stdin.",
            show_default=False,
        ),
    ],
    format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="Output format (default: table on a terminal, else json).",
            show_default=False,
        ),
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(
            metavar="YYYY-MM-DD",
            callback=_check_published,
            help="Publication date for articles that do not give one.",
        ),
    ] = None,
    outlet: Annotated[
        str | None, typer.Option(help="Outlet for articles that do not name one.")
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(
            callback=_check_url, help="URL for articles that do not give one (http or https)."
        ),
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="Title for articles that do not give one.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", dir_okay=False, help="Write results to this file."),
    ] = None,
    detector: DetectorOption = DEFAULT_DETECTOR,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")
    ] = False,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="Force the progress bar on or off (default: on when stderr is a terminal and "
            f"there are more than {PROGRESS_MIN} inputs).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Extract attributed statements from news articles.

    Who said what, through which outlet, when: text, HTML, WARC and JSONL in, one JSON
    record per article out (or an aligned table on a terminal).
    """
    report = Reporter(quiet)
    try:
        code = _run(
            paths,
            fmt=(format or _default_format(output)).value,
            metadata={"published": published, "outlet": outlet, "url": url, "title": title},
            output=output,
            detector=detector,
            report=report,
            progress=progress,
        )
    except BrokenPipeError:  # `onrecord extract ... | head`: the reader has gone
        _silence_stdout()
        code = 1
    except OnrecordError as exc:
        report.fatal(str(exc))
        code = 1
    except Exception as exc:  # never a traceback
        report.fatal(f"unexpected {_one_line(exc)}")
        code = 1
    raise typer.Exit(code)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def extracted(
    paths: list[str],
    *,
    metadata: dict,
    extractor,
    report: Reporter,
    progress: bool | None,
    label: str = "extracting",
) -> Iterator[ArticleResult]:
    """Every input read, extracted, in order: failures reported as one line each on the
    way, a progress bar on stderr when wanted.  Shared by ``extract`` and ``ingest``."""
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

    try:
        for result in _extract_all(extractor, articles(), report):
            yield result
            advance()
    finally:
        if bar is not None:
            bar.stop()


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


def _run(
    paths: list[str],
    *,
    fmt: str,
    metadata: dict,
    output: Path | None,
    detector: str,
    report: Reporter,
    progress: bool | None,
) -> int:
    extractor = make_extractor(detector, report)
    if extractor is None:
        return 2
    if output is not None:
        try:
            stream: TextIO = open(output, "w", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            report.fatal(f"cannot write {output}: {(exc.strerror or str(exc)).lower()}")
            return 2
    else:
        stream = sys.stdout
    writer = make_writer(fmt, stream)
    n_articles = n_statements = 0
    try:
        for result in extracted(
            paths, metadata=metadata, extractor=extractor, report=report, progress=progress
        ):
            writer.write(result)
            n_articles += 1
            n_statements += len(result.statements)
        writer.close()
    finally:
        if output is not None:
            stream.close()
    report.summary(n_articles, n_statements)
    return 1 if report.failed else 0
