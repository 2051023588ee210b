"""errors.one_line: every message onrecord makes of an exception is one line."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from onrecord.errors import InputError, one_line


def test_a_message_meant_to_be_read_is_its_first_line():
    assert one_line(ValueError("the file is locked\nby another process")) == "the file is locked"
    assert one_line(InputError("empty file", "a.txt")) == "a.txt: empty file"
    assert one_line(OSError("  padded  ")) == "padded"


def test_a_database_error_is_its_drivers_own_message():
    wrapped = OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked"))
    assert "[SQL: SELECT 1]" in str(wrapped)  # what the wrapper adds, on lines of its own
    assert one_line(wrapped) == "database is locked"


@pytest.mark.parametrize("with_type", [False, True])
def test_an_exception_that_says_nothing_is_its_type(with_type):
    assert one_line(RuntimeError(), with_type=with_type) == "RuntimeError"
    assert one_line(RuntimeError(" \n "), with_type=with_type) == "RuntimeError"


def test_with_type_the_whole_message_is_folded_onto_one_line():
    assert one_line(KeyError("url"), with_type=True) == "KeyError: 'url'"
    exc = RuntimeError("detector blew up\non two   lines ")
    assert one_line(exc, with_type=True) == "RuntimeError: detector blew up on two lines"
    wrapped = OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked"))
    assert one_line(wrapped, with_type=True).startswith(
        "OperationalError: (sqlite3.OperationalError) database is locked [SQL: SELECT 1]"
    )
