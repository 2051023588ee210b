"""Options that several commands take, declared once so that each command reads and
checks them alike."""

from __future__ import annotations

from typing import Annotated

import typer

from ..ingest import normalise_published

# --detector, the same on every command that extracts.
DetectorOption = Annotated[
    str,
    typer.Option(
        help="Which detector finds the statements: model (default), rules, or model-lm "
        "(more accurate, about 4x slower; needs the language model wheel).",
    ),
]

# --db, the same on every command that reads or writes the statement database.
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH|URL",
        help="SQLite file or postgresql:// URL (default: $ONRECORD_DB, else the file "
        "`onrecord info` shows).",
        show_default=False,
    ),
]


def check_url(value: str | None) -> str | None:
    """--url: an http(s) URL, else a usage error."""
    from ..ingest.urls import shown, url_problem

    problem = url_problem(value.strip()) if value else None
    if problem:
        raise typer.BadParameter(f"{shown(value)}: {problem}")
    return value


def check_published(value: str | None) -> str | None:
    """--published: a date (given as YYYY-MM-DD), else a usage error."""
    try:
        return normalise_published(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


# What an article does not say itself, given for every input of one command.
PublishedOption = Annotated[
    str | None,
    typer.Option(
        metavar="YYYY-MM-DD",
        callback=check_published,
        help="Publication date for articles that do not give one.",
    ),
]
OutletOption = Annotated[str | None, typer.Option(help="Outlet for articles that do not name one.")]
UrlOption = Annotated[
    str | None,
    typer.Option(
        callback=check_url,
        help="URL for articles that do not give one (http or https).",
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")]
# --all-statements: the views for people (the extract table, `search`, `speakers`) show
# speech and belief unless asked; JSON output of `extract` and `export` always has all.
AllStatementsOption = Annotated[
    bool,
    typer.Option(
        "--all-statements",
        help="Show statements of every kind (evidence, stance, other), not only speech and belief.",
    ),
]
