"""`onrecord extract`: articles in, attributed statements out.

Results go to stdout (or ``--output``); messages, one line per failed input, the progress
bar and the closing summary go to stderr.  The batch goes on past a bad input, and the
exit status says whether anything failed: 0 all read, 1 some input failed, 2 bad usage.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, TextIO

import typer

from ..attribution import DEFAULT_DETECTOR
from ..errors import OnrecordError
from ..output import make_writer
from . import app
from .batch import PROGRESS_MIN, extracted, make_extractor
from .console import Reporter, cannot_write, unexpected
from .options import DetectorOption, OutletOption, PublishedOption, QuietOption, UrlOption


class Format(str, Enum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


def _default_format(output: Path | None) -> Format:
    if output is not None:
        suffix = output.suffix.lower()
        return Format.jsonl if suffix in (".jsonl", ".ndjson") else Format.json
    return Format.table if sys.stdout.isatty() else Format.json


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
    all_statements: Annotated[
        bool,
        typer.Option(
            "--all-statements",
            help="In the table, statements of every kind (evidence, stance, other), not "
            "only speech and belief. JSON always holds them all, with their category.",
        ),
    ] = False,
    published: PublishedOption = None,
    outlet: OutletOption = None,
    url: UrlOption = None,
    title: Annotated[
        str | None, typer.Option(help="Title for articles that do not give one.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", dir_okay=False, help="Write results to this file."),
    ] = None,
    detector: DetectorOption = DEFAULT_DETECTOR,
    quiet: QuietOption = False,
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
    code = _run_reported(
        paths,
        fmt=(format or _default_format(output)).value,
        all_statements=all_statements,
        metadata={"published": published, "outlet": outlet, "url": url, "title": title},
        output=output,
        detector=detector,
        report=Reporter(quiet),
        progress=progress,
    )
    raise typer.Exit(code)


def _run_reported(paths: list[str], *, report: Reporter, **options) -> int:
    """:func:`_run`, with whatever stops it said in one line: the exit status."""
    try:
        return _run(paths, report=report, **options)
    except BrokenPipeError:  # `onrecord extract ... | head`: the reader has gone
        _silence_stdout()
        return 1
    except OnrecordError as exc:
        report.fatal(str(exc))
        return 1
    except Exception as exc:  # never a traceback
        report.fatal(unexpected(exc))
        return 1


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that the flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _run(
    paths: list[str],
    *,
    fmt: str,
    all_statements: bool,
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
            report.fatal(cannot_write(output, exc))
            return 2
    else:
        stream = sys.stdout
    writer = make_writer(fmt, stream, all_statements)
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
