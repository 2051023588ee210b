"""The `onrecord` command: a thin layer over the library, one module per command."""

from __future__ import annotations

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
    _register()
    app()
