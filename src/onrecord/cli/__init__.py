"""The `onrecord` command: a thin layer over the library, one module per command."""

from __future__ import annotations

import os
import sys

import typer

from ..errors import OnrecordError

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
    _without_torch(sys.argv[1:])
    _register()
    try:
        app()
    except OnrecordError as exc:  # a command that let one through: still one line
        _last_resort(str(exc), 2)
    except KeyboardInterrupt:
        _last_resort("interrupted", 130)
    except Exception as exc:  # never a traceback on a user's terminal
        from .console import unexpected

        _last_resort(unexpected(exc), 1)


def _last_resort(message: str, code: int) -> None:
    from .console import error

    error(message)
    raise SystemExit(code)


def _without_torch(args: list[str]) -> None:
    """Keep PyTorch out of every command but `train`.  spaCy's thinc imports torch
    whenever it is installed (the test and train extras install it), which adds about two
    seconds to every start; nothing else onrecord runs uses it (the trained models run
    in numpy).  Only the console command does this: a program importing onrecord as a
    library keeps torch available."""
    if "train" in args or "torch" in sys.modules:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` raises ImportError
