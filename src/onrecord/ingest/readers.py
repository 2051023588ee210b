"""Sources to articles: files, folders, glob patterns, stdin; text, HTML, WARC, JSONL.

Every problem with an input becomes an :class:`InputError` in the stream, in place of the
article it would have been, and reading goes on with the next record or file.  Sources
are named so that the user can find the record: the path for a file of one article,
``path#N`` for the N-th record of a WARC file (counting every record, 1-based),
``path:LINE`` for a JSONL line, ``stdin`` (``stdin:LINE``, ``stdin#N``) for standard input.
Memory stays bounded whatever the input: files are read up to the 10 MB limit, JSONL
line by line (:mod:`.jsonl`), WARC records a chunk at a time (:mod:`.warc`).

This module finds the inputs (files, folders, patterns, stdin), tells what each holds
(by its name, else by sniffing its first bytes) and hands it to the reader for that.
"""

from __future__ import annotations

import glob
import gzip
import io
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import BinaryIO

from ..errors import InputError, one_line
from ..records import Article
from .article import MAX_BYTES, build_article, clean_metadata, decode_utf8, too_large
from .gzmembers import GzipMembers
from .html import html_article
from .jsonl import read_jsonl, read_jsonl_file
from .streams import GZIP_ERRORS, GZIP_MAGIC, Prefixed, gzip_reason, is_gzip_name
from .warc import read_warc, read_warc_file

Item = Article | InputError

KINDS = {".txt": "text", ".html": "html", ".htm": "html", ".warc": "warc", ".jsonl": "jsonl"}
EXTENSIONS = tuple(KINDS) + tuple(ext + ".gz" for ext in KINDS)


def kind_of(path: str) -> str | None:
    """``text``, ``html``, ``warc``, ``jsonl`` by extension (``.gz`` allowed), else None."""
    name = path.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return KINDS.get(os.path.splitext(name)[1])


def _known(name: str) -> bool:
    return name.lower().endswith(EXTENSIONS)


# ---------------------------------------------------------------------------- expansion


def _walk(folder: str) -> list[str]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(root, f) for f in files if not f.startswith(".") and _known(f))
    return sorted(found)


def expand_inputs(inputs: Sequence[str]) -> list[str]:
    """Paths to read, in order, each once: files as given, folders walked recursively
    (files with a known extension, sorted, hidden ones skipped), glob patterns expanded,
    ``-`` for stdin.

    What cannot be expanded stays as it is, so that :func:`read_input` reports it: a path
    that does not exist, a pattern that matches nothing, a folder with no readable files.
    """
    out: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        if path not in seen:
            seen.add(path)
            out.append(path)

    for item in inputs:
        if item == "-":
            add(item)
        elif os.path.isdir(item):
            files = _walk(item)
            for f in files or [item]:
                add(f)
        elif not os.path.exists(item) and glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            files = []
            for m in matches:
                if os.path.isdir(m):
                    files.extend(_walk(m))
                else:
                    files.append(m)
            for f in files or [item]:
                add(f)
        else:
            add(item)
    return out


# ---------------------------------------------------------------------------- reading


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return (exc.strerror or str(exc)).lower()


def _read_limited(stream: BinaryIO) -> bytes:
    """Up to MAX_BYTES; raises InputError if there is more."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(too_large())
    return data


def _read_file(path: str) -> bytes:
    """The bytes of a one-article file, decompressed if gzipped, at most MAX_BYTES."""
    if is_gzip_name(path):
        with gzip.open(path, "rb") as f:
            try:
                data = f.read(MAX_BYTES + 1)
            except GZIP_ERRORS as exc:
                raise InputError(gzip_reason(exc)) from None
        if len(data) > MAX_BYTES:
            raise InputError(f"too large (over {MAX_BYTES // (1024 * 1024)} MB decompressed)")
        return data
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        raise InputError(too_large(size))
    with open(path, "rb") as f:
        return _read_limited(f)


def read_input(
    path: str, *, defaults: Mapping[str, object] | None = None, stdin: BinaryIO | None = None
) -> Iterator[Item]:
    """Articles (or InputErrors, in their place) from one path, ``-`` for stdin.

    ``defaults`` (url, title, outlet, published) fill what the input itself does not say.
    A file of many articles (WARC, JSONL) yields one item per record.
    """
    try:
        meta = clean_metadata(defaults or {})
    except InputError as exc:
        raise InputError(exc.reason) from None
    if path == "-":
        yield from _read_stream(stdin or sys.stdin.buffer, "stdin", meta)
        return
    try:
        is_dir = os.path.isdir(path)
        if not is_dir:
            os.stat(path)
    except OSError as exc:
        reason = _os_reason(exc)
        if isinstance(exc, FileNotFoundError) and glob.has_magic(path):
            reason = "no files match this pattern"
        yield InputError(reason, path or "''")
        return
    except ValueError:  # a NUL character in the path
        yield InputError("not a valid path (contains a NUL character)", repr(path)[1:-1])
        return
    if is_dir:
        files = _walk(path)
        if not files:
            yield InputError("no .txt, .html, .htm, .warc or .jsonl files in this directory", path)
        for f in files:
            yield from read_input(f, defaults=meta)
        return
    kind = kind_of(path)
    try:
        if kind == "warc":
            yield from read_warc_file(path, meta)
        elif kind == "jsonl":
            yield from read_jsonl_file(path, meta)
        else:
            yield from _read_single_file(path, kind, meta)
    except OSError as exc:
        yield InputError(_os_reason(exc), path)


def _read_single_file(path: str, kind: str | None, meta: dict) -> Iterator[Item]:
    try:
        data = _read_file(path)
        if not data.strip():
            raise InputError("empty file" if not data else "empty file (only whitespace)")
        if kind is None:
            kind = _sniff(data)
        if kind == "jsonl":
            yield from read_jsonl(io.BytesIO(data), path, meta)
            return
        if kind == "warc":
            yield from read_warc(io.BytesIO(data), path, meta)
            return
        if kind == "html":
            yield html_article(data, source=path, defaults=meta)
        else:
            yield build_article(decode_utf8(data), source=path, metadata=meta)
    except InputError as exc:
        yield InputError(exc.reason, exc.source or path)


# ---------------------------------------------------------------------------- sniffing

_HTML_START = (b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml", b"<!--", b"<meta")


def _looks_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith(_HTML_START):
        return False
    return any(tag in data[:8192].lower() for tag in (b"<html", b"<body", b"<p", b"<div"))


def _looks_jsonl(data: bytes) -> bool:
    lines = [line for line in data.splitlines() if line.strip()]
    if not lines:
        return False
    for line in lines:
        if not line.lstrip().startswith(b"{"):
            return False
        try:
            if not isinstance(json.loads(line), dict):
                return False
        except RecursionError:  # an object nested too deep: a bad line of a JSONL file
            continue
        except ValueError:
            return False
    return True


def _sniff(data: bytes) -> str:
    if data.startswith(b"WARC/"):
        return "warc"
    if _looks_html(data):
        return "html"
    if _looks_jsonl(data):
        return "jsonl"
    return "text"


def _read_stream(stream: BinaryIO, source: str, meta: dict) -> Iterator[Item]:
    """Standard input: sniffed (gzip, WARC, HTML, JSONL, else text)."""
    try:
        head = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        yield InputError(_os_reason(exc), source)
        return
    rest = Prefixed(head, stream)
    if head.startswith(GZIP_MAGIC):
        try:
            inner = gzip.GzipFile(fileobj=io.BytesIO(head)).read(5)
        except GZIP_ERRORS:
            inner = b""
        if inner == b"WARC/":
            yield from read_warc(GzipMembers(io.BufferedReader(rest)), source, meta)
            return
        unzipped = gzip.GzipFile(fileobj=io.BufferedReader(rest))
        try:
            data = unzipped.read(MAX_BYTES + 1)
        except GZIP_ERRORS as exc:
            yield InputError(gzip_reason(exc), source)
            return
        if len(data) > MAX_BYTES:  # JSONL is read line by line; anything else is too large
            if _looks_jsonl(data.split(b"\n", 1)[0]):
                yield from read_jsonl(io.BufferedReader(Prefixed(data, unzipped)), source, meta)
            else:
                yield InputError(too_large(), source)
            return
        head, rest = data, None
    elif head.startswith(b"WARC/"):
        yield from read_warc(io.BufferedReader(rest), source, meta)
        return
    elif len(head) > MAX_BYTES:
        first = head.split(b"\n", 1)[0]
        if _looks_jsonl(first):
            yield from read_jsonl(io.BufferedReader(rest), source, meta)
        else:
            yield InputError(too_large(), source)
        return
    if not head.strip():
        yield InputError("empty input" if not head else "empty input (only whitespace)", source)
        return
    kind = _sniff(head)
    try:
        if kind == "warc":
            yield from read_warc(io.BytesIO(head), source, meta)
        elif kind == "jsonl":
            yield from read_jsonl(io.BytesIO(head), source, meta)
        elif kind == "html":
            yield html_article(head, source=source, defaults=meta)
        else:
            yield build_article(decode_utf8(head), source=source, metadata=meta)
    except InputError as exc:
        yield InputError(exc.reason, exc.source or source)


# ---------------------------------------------------------------------------- all inputs


def iter_articles(
    inputs: Sequence[str] | str, *, stdin: BinaryIO | None = None, **defaults: object
) -> Iterator[Item]:
    """Articles and InputErrors from all ``inputs`` (see :func:`expand_inputs`), in order.

    ``defaults``: ``url``, ``title``, ``outlet``, ``published``, filling what an input
    does not say.  Raises InputError at once for a ``published`` that is not a date or a
    ``url`` that is not an http(s) URL.
    """
    unknown = set(defaults) - {"url", "title", "outlet", "published"}
    if unknown:
        raise TypeError(f"unknown metadata: {', '.join(sorted(unknown))}")
    meta = clean_metadata(defaults)
    if isinstance(inputs, str):
        inputs = [inputs]
    for path in expand_inputs(inputs):
        try:
            yield from read_input(path, defaults=meta, stdin=stdin)
        except Exception as exc:  # a bug must cost one input, not the batch
            where = path if path != "-" else "stdin"
            yield InputError(f"internal error: {one_line(exc, with_type=True)}", where)


__all__ = [
    "EXTENSIONS",
    "expand_inputs",
    "iter_articles",
    "kind_of",
    "read_input",
]
