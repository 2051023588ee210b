"""Writing :class:`ArticleResult` records: ``json``, ``jsonl`` or a ``table`` for people.

The table shows the statements of the kinds people read the record for (speech and
belief: records.DEFAULT_CATEGORIES) and says how many of other kinds it left out;
``all_statements`` shows every one.  Both JSON formats always hold every statement, with
its ``cue.category``.

Every format is written as results come (a JSON array is streamed element by element), so
that a long batch shows its first results at once and never has to fit in memory.  The
record is ``ArticleResult.to_dict()`` in both JSON formats.

    >>> writer = make_writer("jsonl", sys.stdout)
    >>> for result in results:
    ...     writer.write(result)
    >>> writer.close()
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TextIO

from .records import DEFAULT_CATEGORIES, ArticleResult, category_order

FORMATS = ("json", "jsonl", "table")
CONTENT_WIDTH = 100  # characters of a statement's content shown in a table


class JsonWriter:
    """A pretty JSON array, one element per article, streamed."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.count = 0

    def write(self, result: ArticleResult) -> None:
        body = json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
        body = "\n".join("  " + line for line in body.splitlines())
        self.stream.write(("[\n" if self.count == 0 else ",\n") + body)
        self.stream.flush()
        self.count += 1

    def close(self) -> None:
        self.stream.write("\n]\n" if self.count else "[]\n")
        self.stream.flush()


class JsonlWriter:
    """One JSON object per line, flushed as each article is done."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, result: ArticleResult) -> None:
        self.stream.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        self.stream.flush()

    def close(self) -> None:
        self.stream.flush()


def _short(text: str | None, width: int) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def speaker_label(speaker: dict) -> str:
    """``text → name, role``, leaving out what is missing or what the text already says
    ("Transport Minister Ilse Varga" needs no "→ Ilse Varga, Transport Minister")."""
    text = speaker.get("text")
    said = (text or "").casefold()
    resolved = [
        v for v in (speaker.get("name"), speaker.get("role")) if v and v.casefold() not in said
    ]
    if text and resolved:
        return f"{text} → {', '.join(resolved)}"
    if text:
        return text
    if resolved:
        return ", ".join(resolved)
    return "—"


def time_label(time: dict | None) -> str:
    if not time:
        return ""
    text, date = time.get("text") or "", time.get("date")
    # Show only as much of the date as is meant: "In September (2014-09)".
    if date and time.get("precision") == "month":
        date = date[:7]
    elif date and time.get("precision") == "year":
        date = date[:4]
    if date and date != text:
        return f"{text} ({date})" if text else date
    return text


def relay_label(relay: dict | None) -> str:
    """'TASS (s14)', or '(unnamed)' for a hearsay cue that names no relay."""
    if not relay:
        return ""
    name = relay.get("name") or "(unnamed)"
    return f"{name} ({relay['statement']})" if relay.get("statement") else name


def _columns() -> int:
    """The width of a table written to a file or a pipe: $COLUMNS when the user set it,
    else 160 (wide enough that the content column stays readable)."""
    import os

    try:
        return max(60, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return 160


# The table's columns and each one's share of the width left once "#", "type" and "conf"
# have theirs: every column gets narrower on a narrow terminal and none is cut off the
# right edge, nor has its heading folded.
COLUMNS = (
    ("#", 0),
    ("type", 0),
    ("speaker", 4),
    ("cue", 2),
    ("content", 6),
    ("channel", 2),
    ("relay", 2),
    ("time", 2),
    ("conf", 0),
)
FIXED = {"#": 3, "type": 8, "conf": 4}


def column_widths(total: int) -> dict[str, int]:
    """Each column's width in a table ``total`` characters wide (three between columns:
    a space either side of the blank rule)."""
    shared = [(name, share) for name, share in COLUMNS if share]
    room = total - sum(FIXED.values()) - 3 * (len(COLUMNS) - 1)
    widths = {
        name: max(len(name), room * share // sum(s for _, s in shared)) for name, share in shared
    }
    # The content takes up what rounding left over, or gives what the headings' widths
    # took beyond the room.
    widths["content"] = max(len("content"), widths["content"] + room - sum(widths.values()))
    return {**FIXED, **widths}


def hidden_note(left_out: Counter) -> str:
    """What the table left out, so that nothing disappears silently: '3 more statements
    of other kinds (evidence, stance, other): --all-statements shows them'."""
    n = sum(left_out.values())
    kinds = ", ".join(category_order(left_out))
    if n == 1:
        return f"1 more statement of another kind ({kinds}): --all-statements shows it"
    return f"{n} more statements of other kinds ({kinds}): --all-statements shows them"


class TableWriter:
    """Per article a heading line, then a table of its statements (those of ``categories``;
    None: all) and its warnings."""

    def __init__(
        self,
        stream: TextIO,
        width: int | None = None,
        categories: frozenset[str] | None = DEFAULT_CATEGORIES,
    ) -> None:
        from rich.console import Console

        isatty = getattr(stream, "isatty", lambda: False)()
        self.console = Console(
            file=stream,
            width=width or (None if isatty else _columns()),
            highlight=False,
            emoji=False,
            markup=False,
        )
        self.categories = categories
        self.count = 0

    def write(self, result: ArticleResult) -> None:
        from rich import box
        from rich.table import Table
        from rich.text import Text

        record = result.to_dict()
        article = record["article"]
        if self.count:
            self.console.print()
        heading = Text()
        heading.append(article.get("source") or "(text)", style="bold")
        for key in ("title", "outlet", "published"):
            if article.get(key):
                heading.append(" · ")
                heading.append(article[key], style="bold" if key == "title" else None)
        self.console.print(heading)
        # Numbered as in the record (s1, s2 …), so that a relay's "(s15)" and the JSON
        # still point at the right row when some are left out.
        statements, left_out = [], Counter()
        for i, s in enumerate(record["statements"], 1):
            category = (s.get("cue") or {}).get("category") or "other"
            if self.categories is None or category in self.categories:
                statements.append((i, s))
            else:
                left_out[category] += 1
        if statements:
            table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
            widths = column_widths(self.console.width)
            for name, _share in COLUMNS:
                table.add_column(
                    name,
                    overflow="fold",
                    width=widths[name],
                    no_wrap=name in ("#", "type", "conf"),
                    justify="right" if name in ("#", "conf") else "left",
                )
            for i, s in statements:
                table.add_row(
                    *(
                        Text(value)
                        for value in (
                            str(i),
                            s.get("type") or "",
                            speaker_label(s.get("speaker") or {}),
                            (s.get("cue") or {}).get("text") or "",
                            _short((s.get("content") or {}).get("text"), CONTENT_WIDTH),
                            (s.get("channel") or {}).get("name") or "",
                            relay_label(s.get("relayed_by")),
                            time_label(s.get("time")),
                            f"{s.get('confidence', 0):.2f}",
                        )
                    )
                )
            self.console.print(table)
        elif not left_out:
            self.console.print(Text("  no statements found", style="dim"))
        if left_out:
            self.console.print(Text(f"  {hidden_note(left_out)}", style="dim"))
        for warning in record.get("warnings") or ():
            self.console.print(Text(f"  note: {warning}", style="dim"))
        self.count += 1

    def close(self) -> None:
        self.console.file.flush()


def make_writer(
    fmt: str, stream: TextIO, all_statements: bool = False
) -> JsonWriter | JsonlWriter | TableWriter:
    """A writer with ``write(result)`` and ``close()`` (which leaves ``stream`` open).
    ``all_statements``: the table shows statements of every kind (JSON always does)."""
    if fmt == "json":
        return JsonWriter(stream)
    if fmt == "jsonl":
        return JsonlWriter(stream)
    if fmt == "table":
        return TableWriter(stream, categories=None if all_statements else DEFAULT_CATEGORIES)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
