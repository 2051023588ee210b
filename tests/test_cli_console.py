"""cli/console.py: what every command writes to stderr looks alike."""

from __future__ import annotations

from onrecord.cli.console import Reporter, cannot_write, error, unexpected


def test_an_error_is_one_line_on_stderr(capsys):
    error("a.txt: not\nvalid   JSON " + "x" * 200)
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "error: a.txt: not valid JSON " + "x" * 200 + "\n"  # never wrapped


def test_the_messages_for_what_no_command_expected_and_an_unwritable_file():
    assert unexpected(KeyError("url")) == "unexpected KeyError: 'url'"
    assert unexpected(RuntimeError()) == "unexpected RuntimeError"
    missing = FileNotFoundError(2, "No such file or directory")
    assert cannot_write("x.json", missing) == "cannot write x.json: no such file or directory"


def test_the_reporter_counts_failures_and_sums_up(capsys):
    report = Reporter(quiet=False)
    report.error("b.txt", "empty file")
    report.error(None, "stopped")
    report.summary(1, 2)
    assert report.failed == 2
    assert capsys.readouterr().err.splitlines() == [
        "error: b.txt: empty file",
        "error: stopped",
        "1 article, 2 statements, 2 failed",
    ]
