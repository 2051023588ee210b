"""`onrecord build-lexicon`: recount the cue lexicon from a gold-annotated corpus.

The counts (lemma, part of speech, frame → occurrences, occurrences as a gold cue head)
calibrate the rule-based detector.  The shipped table was made with
``onrecord build-lexicon ../shared/polnear/train``; it holds no text from the corpus.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..errors import OnrecordError
from . import app
from .console import error


@app.command("build-lexicon")
def build_lexicon_command(
    gold_dir: Annotated[
        Path,
        typer.Argument(
            metavar="GOLD_DIR", help="A brat gold folder (PolNeAR layout).", show_default=False
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            dir_okay=False,
            help="Where to write the counts (default: the table the package loads).",
        ),
    ] = None,
) -> None:
    """Count cue words in their frames over gold annotations (calibrates the rules)."""
    console = Console(stderr=True, highlight=False, markup=False)
    from .. import nlp
    from ..attribution.lexicon import COUNTS_FILE, shipped
    from ..eval.brat import load_gold
    from ..training.cue_counts import count, write_counts

    try:
        documents = load_gold(gold_dir)
    except OnrecordError as exc:
        error(str(exc))
        raise typer.Exit(2) from None
    target = out or Path(str(shipped(COUNTS_FILE)))
    docs = nlp.parse_many(d.text for d in documents)
    examples = (
        (doc, [r.cue for r in gold.relations if r.cue])
        for doc, gold in zip(docs, documents, strict=True)
    )
    if console.is_terminal:
        from rich.progress import track

        examples = track(examples, total=len(documents), description="parsing", console=console)
    rows = write_counts(
        count(examples),
        target,
        f"counted by `onrecord build-lexicon` over {len(documents)} articles of {gold_dir.name}",
    )
    console.print(f"{rows} rows written to {target}")
