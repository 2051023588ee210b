"""JSONL: one article a line, ``{"text": ...}`` or ``{"html": ...}`` with its metadata
fields.  Read line by line (memory stays bounded whatever the file's size); a line that
cannot be an article is one InputError named ``path:LINE``, and reading goes on."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from typing import BinaryIO

from ..errors import InputError, one_line
from ..records import Article
from .article import MAX_BYTES, build_article, clean_metadata, merge, too_large
from .html import html_article
from .streams import CHUNK, GZIP_ERRORS, gzip_reason, is_gzip_name
from .urls import drop_bad_url


def read_jsonl_file(path: str, meta: dict) -> Iterator[Article | InputError]:
    if os.path.getsize(path) == 0:
        yield InputError("empty file", path)
        return
    opener = gzip.open if is_gzip_name(path) else open
    with opener(path, "rb") as f:
        yield from read_jsonl(f, path, meta)


def _lines(stream: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) with lines over MAX_BYTES given as None (and skipped)."""
    number = 0
    while True:
        line = stream.readline(MAX_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_BYTES and not line.endswith(b"\n"):
            while True:  # skip the rest of this line
                more = stream.readline(CHUNK)
                if not more or more.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, line


def read_jsonl(stream: BinaryIO, source: str, meta: dict) -> Iterator[Article | InputError]:
    records = 0
    try:
        for number, line in _lines(stream):
            where = f"{source}:{number}"
            if line is None:
                yield InputError(too_large(), where)
                records += 1
                continue
            if not line.strip():
                continue
            records += 1
            try:
                yield _jsonl_record(line, where, meta)
            except InputError as exc:
                yield InputError(exc.reason, where)
            except Exception as exc:  # a bug must cost one record, not the file
                yield InputError(f"internal error: {one_line(exc, with_type=True)}", where)
    except GZIP_ERRORS as exc:
        yield InputError(gzip_reason(exc), source)
        return
    if records == 0:
        yield InputError("empty file (only whitespace)", source)


def _jsonl_record(line: bytes, where: str, meta: dict) -> Article:
    line = line.rstrip(b"\r\n")
    try:
        raw = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 (invalid byte 0x{line[exc.start]:02x} at column {exc.start + 1})"
        ) from None
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise InputError("JSON nested too deep") from None
    if not isinstance(obj, dict):
        raise InputError(f"not a JSON object (found {type(obj).__name__})")
    fields = clean_metadata(obj, what="field ", check_urls=False)
    text, html = obj.get("text"), obj.get("html")
    for key, value in (("text", text), ("html", html)):
        if value is not None and not isinstance(value, str):
            raise InputError(f"field {key} must be a string, not {type(value).__name__}")
    if text is not None and text.strip():
        notes: list[str] = []
        fields = drop_bad_url(fields, notes, " (field url)")
        return build_article(text, source=where, metadata=merge(fields, meta), notes=tuple(notes))
    if html is not None and html.strip():
        notes = []
        fields = drop_bad_url(fields, notes, " (field url)")
        return html_article(html, source=where, overrides=fields, defaults=meta, notes=tuple(notes))
    if text is not None or html is not None:
        raise InputError("empty text")
    raise InputError('no "text" or "html" field')
