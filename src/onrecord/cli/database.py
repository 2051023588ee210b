"""The statement-database commands: `ingest`, `search`, `speakers`, `show`, `export`,
`info`.

All take ``--db PATH|URL`` (else ``ONRECORD_DB``, else the default file `info` shows).
A database that cannot be used — corrupt, locked, unreachable, from a newer onrecord —
is one line on stderr and exit status 2, with nothing written.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..attribution import DEFAULT_DETECTOR
from ..errors import OnrecordError, one_line
from . import app
from .batch import extracted, make_extractor
from .console import Reporter, cannot_write, error
from .options import (
    AllStatementsOption,
    DbOption,
    DetectorOption,
    OutletOption,
    PublishedOption,
    QuietOption,
    UrlOption,
)


class ListFormat(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def _open(db: str | None, create: bool = False):
    from ..store import Store

    try:
        return Store(db, create=create)
    except OnrecordError as exc:
        error(str(exc))
        raise typer.Exit(2) from None


def _filters(query, speaker, outlet, since, until, type_, quotes, every):
    """The options' filters (:meth:`Filters.parse`, as the web reads its parameters); a
    date that is not one is a usage error."""
    from ..search import Filters

    try:
        return Filters.parse(query, speaker, outlet, since, until, type_, quotes, every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


class StatementType(str, Enum):
    direct = "direct"
    indirect = "indirect"
    mixed = "mixed"


@app.command()
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH", help="The same inputs as `extract`.", show_default=False),
    ],
    db: DbOption = None,
    published: PublishedOption = None,
    outlet: OutletOption = None,
    url: UrlOption = None,
    detector: DetectorOption = DEFAULT_DETECTOR,
    quiet: QuietOption = False,
    progress: Annotated[bool | None, typer.Option("--progress/--no-progress")] = None,
) -> None:
    """Extract statements and store them: re-ingesting an article updates it in place."""
    report = Reporter(quiet)
    store = _open(db, create=True)
    extractor = make_extractor(detector, report)
    if extractor is None:
        raise typer.Exit(2)
    from ..store import BackgroundWriter

    outcomes = {"new": 0, "updated": 0, "unchanged": 0}
    added = 0

    def done(source, stored) -> None:
        nonlocal added
        outcomes[stored.outcome] += 1
        added += stored.statements

    def failed(source, message) -> None:
        report.error(source, message)

    # The store opened above has checked (and created or upgraded) the database; the
    # writer process opens its own connection to it.
    store.close()
    writer = BackgroundWriter(db, done, failed)
    stopped = None
    try:
        for result in extracted(
            paths,
            metadata={"published": published, "outlet": outlet, "url": url, "title": None},
            extractor=extractor,
            report=report,
            progress=progress,
            label="ingesting",
        ):
            writer.submit(result)
    except OnrecordError as exc:
        stopped = exc
    finally:
        try:
            writer.close()  # the articles already extracted are stored before we stop
        except OnrecordError as exc:
            stopped = stopped or exc
        store.close()
    if stopped is not None:
        report.fatal(str(stopped))
    if not quiet:
        report.console.print(
            f"{store.name}: {outcomes['new']} new, {outcomes['updated']} updated, "
            f"{outcomes['unchanged']} unchanged, {report.failed} failed; "
            f"{added} statements added"
        )
    if stopped is not None:
        raise typer.Exit(1)
    raise typer.Exit(1 if report.failed else 0)


@contextmanager
def _reading(store) -> Iterator[None]:
    """Reads from an open store: a database error on the way (the server went away, a
    damaged page) is one line and exit status 2, like one found on opening."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        yield
    except SQLAlchemyError as exc:
        error(f"{store.name}: {one_line(exc)}")
        raise typer.Exit(2) from None
    finally:
        store.close()


@app.command()
def search(
    query: Annotated[str | None, typer.Argument(help="Words to find in what was said.")] = None,
    speaker: Annotated[str | None, typer.Option(help="Canonical name, alias or surname.")] = None,
    outlet: Annotated[str | None, typer.Option()] = None,
    since: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD")] = None,
    type_: Annotated[StatementType | None, typer.Option("--type")] = None,
    quotes: Annotated[
        bool, typer.Option("--quotes", help="Only speech (said, told, warned …).")
    ] = False,
    all_statements: AllStatementsOption = False,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    db: DbOption = None,
) -> None:
    """Full-text search over statements, with filters; one hit per statement.  Speech and
    belief unless --all-statements."""
    from ..search import others_match
    from ..search import search as run_search

    filters = _filters(query, speaker, outlet, since, until, type_, quotes, all_statements)
    store = _open(db)
    with _reading(store):
        hits = run_search(store, filters, limit=limit)
        # A short list may hide statements of other kinds; the table says so (not when
        # --quotes asked for speech alone: --all-statements would not undo it).
        others = format is ListFormat.table and not quotes and len(hits) < limit
        others = others and others_match(store, filters, len(hits))
    if format is ListFormat.table:
        table = Table(box=None, pad_edge=False)
        for col in ("id", "speaker", "date", "outlet", "reach", "content"):
            table.add_column(col, overflow="fold", no_wrap=col in ("id", "date", "reach"))
        for h in hits:
            table.add_row(
                str(h.statement_id),
                h.speaker or "",
                h.date or "",
                h.outlet or "",
                f"{h.outlets} outlet{'s' if h.outlets != 1 else ''}",
                h.content,
            )
        Console(highlight=False, markup=False).print(table)
        if others:
            sys.stdout.flush()  # the table first, where both go to one place
            Console(stderr=True, highlight=False, markup=False).print(
                "more statements of other kinds match: --all-statements shows them",
                style="dim",
            )
    else:
        _dump([h.to_dict() for h in hits], format)


def _dump(items: list[dict], format: ListFormat) -> None:
    if format is ListFormat.json:
        json.dump(items, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for item in items:
            sys.stdout.write(json.dumps(item, ensure_ascii=False) + "\n")


@app.command()
def speakers(
    query: Annotated[str | None, typer.Argument(help="A name, alias or surname.")] = None,
    why: Annotated[bool, typer.Option("--why", help="Show why each alias was merged.")] = False,
    all_statements: AllStatementsOption = False,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 50,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    db: DbOption = None,
) -> None:
    """Canonical speakers: aliases, roles seen, statement counts (of speech and belief,
    unless --all-statements)."""
    from ..search import list_speakers

    store = _open(db)
    with _reading(store):
        found = list_speakers(store, query, limit=limit, why=why, all_kinds=all_statements)
    if format is not ListFormat.table:
        _dump([s.to_dict() for s in found], format)
        return
    # soft_wrap: a line (a reason, a path) is never broken at the terminal's width.
    console = Console(highlight=False, markup=False, soft_wrap=True)
    table = Table(box=None, pad_edge=False)
    for col in ("id", "speaker", "kind", "statements", "aliases", "roles"):
        table.add_column(col, overflow="fold")
    for s in found:
        table.add_row(
            str(s.id),
            s.name,
            s.kind,
            str(s.statements),
            "; ".join(a for a in s.aliases if a != s.name)[:200],
            "; ".join(s.roles)[:200],
        )
    console.print(table)
    if why:
        for s in found:
            for w in s.why:
                where = w["article"] or f"article {w['article_id']}"
                console.print(f"  {s.name} ← '{w['alias']}': {w['reason']} ({where})")


@app.command()
def show(
    statement_id: Annotated[int, typer.Argument(metavar="STATEMENT_ID")],
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    db: DbOption = None,
) -> None:
    """One statement: every report of it across articles, relay chains, first seen."""
    from ..search import statement

    store = _open(db)
    with _reading(store):
        view = statement(store, statement_id)
    if view is None:
        error(f"no statement {statement_id} in {store.name}")
        raise typer.Exit(1)
    if format is not ListFormat.table:
        _dump([view.to_dict()], format)
        return
    console = Console(highlight=False, markup=False, soft_wrap=True)
    console.print(Text(f"statement {view.id} · {view.speaker or '(unnamed)'} · {view.type}"))
    console.print(Text(view.content))
    console.print(
        f"first seen {view.first_seen or 'undated'} · {carried_by(view.carried_by, view.outlets)}, "
        f"{len(view.reports)} report{'s' if len(view.reports) != 1 else ''}"
    )
    for r in view.reports:
        where = r.title or r.url or r.source or f"article {r.article_id}"
        console.print(Text(f"  {r.published or 'undated'}  {r.outlet or ''}  {where}"))
        console.print(
            Text(
                f"      {r.speaker_text or '—'} {r.cue or ''} · "
                + " → ".join(r.relay_chain)
                + (f" · {r.time}" if r.time else "")
            )
        )


def carried_by(names: list[str], count: int, shown: int = 3) -> str:
    """'carried by A', 'A and B', 'A, B and C', 'A, B, C and 8 more outlets' (as the web
    pages say it); the count alone when no name is known."""
    names = names[:shown]
    if not names:
        return f"carried by {count} outlet{'s' if count != 1 else ''}"
    more = max(count - len(names), 0)
    parts = names + ([f"{more} more outlet{'s' if more != 1 else ''}"] if more else [])
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"carried by {listed}"


@app.command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f")] = ExportFormat.jsonl,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", dir_okay=False, help="Default: stdout.")
    ] = None,
    query: Annotated[str | None, typer.Option("--query")] = None,
    speaker: Annotated[str | None, typer.Option()] = None,
    outlet: Annotated[str | None, typer.Option()] = None,
    since: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD")] = None,
    type_: Annotated[StatementType | None, typer.Option("--type")] = None,
    quotes: Annotated[bool, typer.Option("--quotes", help="Only speech.")] = False,
    db: DbOption = None,
) -> None:
    """Every matching report, one row each, as JSONL, CSV or Parquet: statements of every
    kind (the cue_category column says which), unless --quotes."""
    from ..search import EXPORT, export_rows

    if format is ExportFormat.parquet and output is None:
        error("--format parquet needs --output FILE")
        raise typer.Exit(2)
    filters = _filters(query, speaker, outlet, since, until, type_, quotes, every=True)
    store = _open(db)
    with _reading(store):
        try:
            rows = export_rows(store, filters)
            n = _write_export(rows, format, output, EXPORT)
        except OSError as exc:
            error(cannot_write(output, exc))
            raise typer.Exit(2) from None
    Console(stderr=True, highlight=False).print(f"{n} rows exported")


def _write_export(rows, format: ExportFormat, output: Path | None, columns) -> int:
    """Write ``rows`` with the named ``columns`` (search.EXPORT); how many rows."""
    n = 0
    if format is ExportFormat.parquet:
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer = None
        batch: list[dict] = []

        def flush():
            nonlocal writer
            table = pa.Table.from_pylist(batch, schema=_parquet_schema(pa, columns))
            if writer is None:
                writer = pq.ParquetWriter(output, table.schema)
            writer.write_table(table)

        for row in rows:
            batch.append(row)
            n += 1
            if len(batch) >= 10000:
                flush()
                batch = []
        if batch or writer is None:
            flush()
        writer.close()
        return n
    stream = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout  # noqa: SIM115
    try:
        if format is ExportFormat.csv:
            writer = csv.DictWriter(stream, fieldnames=[c.name for c in columns])
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
                n += 1
        else:
            for row in rows:
                stream.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
    finally:
        if output:
            stream.close()
    return n


def _parquet_schema(pa, columns):
    kinds = {"int": pa.int64(), "float": pa.float64(), "str": pa.string()}
    return pa.schema([(c.name, kinds[c.kind]) for c in columns])


@app.command()
def info(db: DbOption = None) -> None:
    """Where the database is, what engine, and how much it holds."""
    from ..store import default_path

    try:
        exists = _exists(db)
    except OnrecordError as exc:
        error(str(exc))
        raise typer.Exit(2) from None
    store = _open(db, create=False) if exists else None
    console = Console(highlight=False, markup=False, soft_wrap=True)
    if store is None:
        from ..store.db import display, resolve_url

        console.print(f"database  {display(resolve_url(db))} (not created yet)")
        console.print(f"default   {default_path()}")
        return
    with _reading(store):
        details = store.info()
    for key, value in details.items():
        console.print(f"{key:<15} {value}")


def _exists(db: str | None) -> bool:
    from sqlalchemy.engine import make_url

    from ..store.db import resolve_url

    url = resolve_url(db)
    if not url.startswith("sqlite"):
        return True
    path = make_url(url).database
    return bool(path) and Path(path).exists()
