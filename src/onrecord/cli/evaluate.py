"""`onrecord eval`: score the extractor against a brat gold corpus (PolNeAR layout).

The report goes to stdout (aligned text, or JSON with ``--json``); the progress bar and
errors go to stderr.  Exit status: 0 done, 1 an unexpected failure, 2 bad usage (a
folder that is not a gold corpus, an unknown detector, an unwritable ``--dump`` file).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer

from ..attribution import DEFAULT_DETECTOR
from ..errors import OnrecordError
from . import app
from .console import cannot_write, error, progress_bar, stderr_console, unexpected
from .options import DetectorOption


@app.command("eval")
def evaluate_command(
    gold_dir: Annotated[
        Path,
        typer.Argument(
            metavar="GOLD_DIR",
            help="A brat gold folder: text/*.txt and attributions/*.ann (PolNeAR layout).",
            show_default=False,
        ),
    ],
    detector: DetectorOption = DEFAULT_DETECTOR,
    as_json: Annotated[bool, typer.Option("--json", help="The report as JSON.")] = False,
    limit: Annotated[
        int | None,
        typer.Option(min=1, metavar="N", help="Only the first N articles (by file name)."),
    ] = None,
    nested: Annotated[
        bool,
        typer.Option(
            "--nested",
            help="Also score statements nested in another statement's content (PolNeAR "
            "annotates none, so by default they are left out).",
        ),
    ] = False,
    dump: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            dir_okay=False,
            help="Write each article's unmatched gold and predicted relations as JSONL.",
        ),
    ] = None,
) -> None:
    """Score extraction against brat gold annotations (PolNeAR layout).

    Per role (source, cue, content) exact and overlap P/R/F1, whole relations, recall by
    statement type, and throughput.
    """
    console = stderr_console()
    from ..eval import evaluate

    stream = _open_dump(dump, console)
    bar = progress_bar(console, "evaluating") if console.is_terminal else None
    task = None

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.update(task, completed=done, total=total)

    try:
        if bar is not None:
            task = bar.add_task("eval", total=None)
            bar.start()
        try:
            report = evaluate(
                gold_dir,
                detector=detector,
                limit=limit,
                progress=progress,
                keep_details=stream is not None,
                nested=nested,
            )
        finally:
            if bar is not None:
                bar.stop()
    except (OnrecordError, ValueError) as exc:  # not a gold folder, unknown detector
        error(str(exc), console)
        code = 2
    except Exception as exc:  # never a traceback
        error(unexpected(exc), console)
        code = 1
    else:
        _write(report, stream, as_json)
        code = 0
    finally:
        if stream is not None:
            stream.close()
    raise typer.Exit(code)


def _open_dump(dump: Path | None, console) -> TextIO | None:
    """The --dump file, opened for writing (exit status 2 if it cannot be)."""
    if dump is None:
        return None
    try:
        return open(dump, "w", encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        error(cannot_write(dump, exc), console)
        raise typer.Exit(2) from None


def _write(report, dump: TextIO | None, as_json: bool) -> None:
    """The details to the --dump file, the report to stdout."""
    if dump is not None:
        for record in report.iter_details():
            dump.write(json.dumps(record, ensure_ascii=False) + "\n")
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(), indent=2) + "\n")
    else:
        sys.stdout.write(report.to_text() + "\n")
