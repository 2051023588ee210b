"""Messages on stderr, alike on every command: ``error: …`` on one line (the label in
bold red on a terminal), and the :class:`Reporter` that counts a batch's failures."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from ..errors import one_line


def stderr_console() -> Console:
    """A console on stderr that prints text as it is: no markup, no highlighting, and
    no line broken at the terminal's width (a message is one line, whatever its length)."""
    return Console(stderr=True, highlight=False, soft_wrap=True, markup=False)


def error(message: str, console: Console | None = None) -> None:
    """``error: message``, its white space folded onto one line.  ``console``: the one a
    progress bar runs on, if any (the bar is then kept below the message)."""
    message = " ".join(message.split())
    (console or stderr_console()).print(Text.assemble(("error:", "bold red"), f" {message}"))


def unexpected(exc: BaseException) -> str:
    """The message for an exception no command expected: its type first, the clue a bug
    report needs (``unexpected KeyError: 'url'``)."""
    return f"unexpected {one_line(exc, with_type=True)}"


def cannot_write(path, exc: OSError) -> str:
    """The message for an output file that cannot be opened: ``cannot write x.json:
    permission denied``."""
    return f"cannot write {path}: {(exc.strerror or str(exc)).lower()}"


def progress_bar(console: Console, label: str):
    """A progress bar on ``console`` (counts, the time elapsed), gone once it stops."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


class Reporter:
    """Messages on stderr: one line per failure, the summary; counts what went wrong."""

    def __init__(self, quiet: bool) -> None:
        self.console = stderr_console()
        self.quiet = quiet
        self.failed = 0

    def error(self, source: str | None, reason: str) -> None:
        self.failed += 1
        where = f"{source}: " if source else ""
        self.fatal(where + reason)

    def fatal(self, message: str) -> None:
        error(message, self.console)

    def summary(self, articles: int, statements: int) -> None:
        if self.quiet:
            return
        parts = [_count(articles, "article"), _count(statements, "statement")]
        if self.failed:
            parts.append(f"{self.failed} failed")
        self.console.print(", ".join(parts))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
