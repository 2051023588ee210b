"""The `onrecord` command: a thin layer over the library, one module per command."""

from __future__ import annotations

import os

import typer

app = typer.Typer(
    name="onrecord",
    help="Who said what, to whom or through which outlet, and when: attributed statements "
    "from news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Who said what, to whom or through which outlet, and when."""


def _register() -> None:
    from . import database, evaluate, extract, lexicon, serve, train  # noqa: F401  (each module adds its command to `app`)


def main() -> None:
    # One BLAS/OpenMP thread: the small English model gains nothing from more (it is
    # about 20% faster with one on two cores), and `ingest` stores on the other core.
    # Set before numpy is first imported; a user's own setting wins.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    _register()
    app()
