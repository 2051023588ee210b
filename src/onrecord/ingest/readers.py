"""Sources to articles: files, folders, glob patterns, stdin; text, HTML, WARC, JSONL.

Every problem with an input becomes an :class:`InputError` in the stream, in place of the
article it would have been, and reading goes on with the next record or file.  Sources
are named so that the user can find the record: the path for a file of one article,
``path#N`` for the N-th record of a WARC file (counting every record, 1-based),
``path:LINE`` for a JSONL line, ``stdin`` (``stdin:LINE``, ``stdin#N``) for standard input.
A damaged stretch of a gzipped WARC file is one error (named after its first record, or
after the file when it lies between records) and reading resumes at the next intact gzip
member (see :mod:`.gzmembers`).  Memory stays bounded whatever the input: files are read
up to the 10 MB limit, JSONL line by line, WARC records a chunk at a time.
"""

from __future__ import annotations

import contextlib
import glob
import gzip
import io
import json
import os
import sys
import zlib
from collections.abc import Iterator, Mapping, Sequence
from typing import BinaryIO

from ..errors import InputError
from ..records import Article
from .article import (
    MAX_BYTES,
    article_from_text,
    build_article,
    clean_metadata,
    decode_utf8,
    merge,
    too_large,
)
from .gzmembers import GzipDamage, GzipMembers
from .html import charset_of, html_article
from .urls import drop_bad_url

Item = Article | InputError

KINDS = {".txt": "text", ".html": "html", ".htm": "html", ".warc": "warc", ".jsonl": "jsonl"}
EXTENSIONS = tuple(KINDS) + tuple(ext + ".gz" for ext in KINDS)
_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 16


def kind_of(path: str) -> str | None:
    """``text``, ``html``, ``warc``, ``jsonl`` by extension (``.gz`` allowed), else None."""
    name = path.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return KINDS.get(os.path.splitext(name)[1])


def _is_gzip_name(path: str) -> bool:
    return path.lower().endswith(".gz")


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


def _gzip_reason(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "truncated gzip file (the compressed data ends early)"
    if isinstance(exc, gzip.BadGzipFile):
        return f"not a valid gzip file ({exc})"
    if isinstance(exc, zlib.error):
        return "corrupt gzip data"
    return f"unreadable gzip file ({exc})"


_GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)


def internal_error(exc: BaseException) -> str:
    """One line for an exception onrecord did not expect."""
    message = " ".join(str(exc).split())
    return f"internal error: {type(exc).__name__}" + (f": {message}" if message else "")


def _read_limited(stream: BinaryIO) -> bytes:
    """Up to MAX_BYTES; raises InputError if there is more."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(too_large())
    return data


def _read_file(path: str) -> bytes:
    """The bytes of a one-article file, decompressed if gzipped, at most MAX_BYTES."""
    if _is_gzip_name(path):
        with gzip.open(path, "rb") as f:
            try:
                data = f.read(MAX_BYTES + 1)
            except _GZIP_ERRORS as exc:
                raise InputError(_gzip_reason(exc)) from None
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
            yield from _read_warc_file(path, meta)
        elif kind == "jsonl":
            yield from _read_jsonl_file(path, meta)
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
            yield from _read_jsonl(io.BytesIO(data), path, meta)
            return
        if kind == "warc":
            yield from _read_warc(io.BytesIO(data), path, meta)
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


class _Prefixed(io.RawIOBase):
    """A stream that returns ``prefix`` and then the rest of ``stream``."""

    def __init__(self, prefix: bytes, stream: BinaryIO) -> None:
        self._prefix = prefix
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_stream(stream: BinaryIO, source: str, meta: dict) -> Iterator[Item]:
    """Standard input: sniffed (gzip, WARC, HTML, JSONL, else text)."""
    try:
        head = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        yield InputError(_os_reason(exc), source)
        return
    rest = _Prefixed(head, stream)
    if head.startswith(_GZIP_MAGIC):
        try:
            inner = gzip.GzipFile(fileobj=io.BytesIO(head)).read(5)
        except _GZIP_ERRORS:
            inner = b""
        if inner == b"WARC/":
            yield from _read_warc(GzipMembers(io.BufferedReader(rest)), source, meta)
            return
        unzipped = gzip.GzipFile(fileobj=io.BufferedReader(rest))
        try:
            data = unzipped.read(MAX_BYTES + 1)
        except _GZIP_ERRORS as exc:
            yield InputError(_gzip_reason(exc), source)
            return
        if len(data) > MAX_BYTES:  # JSONL is read line by line; anything else is too large
            if _looks_jsonl(data.split(b"\n", 1)[0]):
                yield from _read_jsonl(io.BufferedReader(_Prefixed(data, unzipped)), source, meta)
            else:
                yield InputError(too_large(), source)
            return
        head, rest = data, None
    elif head.startswith(b"WARC/"):
        yield from _read_warc(io.BufferedReader(rest), source, meta)
        return
    elif len(head) > MAX_BYTES:
        first = head.split(b"\n", 1)[0]
        if _looks_jsonl(first):
            yield from _read_jsonl(io.BufferedReader(rest), source, meta)
        else:
            yield InputError(too_large(), source)
        return
    if not head.strip():
        yield InputError("empty input" if not head else "empty input (only whitespace)", source)
        return
    kind = _sniff(head)
    try:
        if kind == "warc":
            yield from _read_warc(io.BytesIO(head), source, meta)
        elif kind == "jsonl":
            yield from _read_jsonl(io.BytesIO(head), source, meta)
        elif kind == "html":
            yield html_article(head, source=source, defaults=meta)
        else:
            yield build_article(decode_utf8(head), source=source, metadata=meta)
    except InputError as exc:
        yield InputError(exc.reason, exc.source or source)


# ---------------------------------------------------------------------------- JSONL


def _read_jsonl_file(path: str, meta: dict) -> Iterator[Item]:
    if os.path.getsize(path) == 0:
        yield InputError("empty file", path)
        return
    opener = gzip.open if _is_gzip_name(path) else open
    with opener(path, "rb") as f:
        yield from _read_jsonl(f, path, meta)


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
                more = stream.readline(_CHUNK)
                if not more or more.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, line


def _read_jsonl(stream: BinaryIO, source: str, meta: dict) -> Iterator[Item]:
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
                yield InputError(internal_error(exc), where)
    except _GZIP_ERRORS as exc:
        yield InputError(_gzip_reason(exc), source)
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


# ---------------------------------------------------------------------------- WARC


# Bytes warcio may read to parse one record's WARC and HTTP headers: more, and the file is
# not a WARC file a crawler wrote (a header line of gigabytes must not be read into memory).
MAX_HEADERS = 4 * 1024 * 1024


class _HeadersTooLong(Exception):
    pass


class _Budget(io.RawIOBase):
    """A stream that raises _HeadersTooLong when more than ``budget`` bytes are read while
    a budget is set (``None``: no limit)."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self.budget: int | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.budget is not None and self.budget < 0:
            raise _HeadersTooLong()
        data = self._stream.read(len(buffer))
        if self.budget is not None:
            self.budget -= len(data)
            if self.budget < 0:
                raise _HeadersTooLong()
        buffer[: len(data)] = data
        return len(data)


def _read_warc_file(path: str, meta: dict) -> Iterator[Item]:
    if os.path.getsize(path) == 0:
        yield InputError("empty file", path)
        return
    # Gzip is decompressed here rather than by warcio: then a WARC compressed as one
    # gzip member (not record by record) reads too, a cut-off file says so, and reading
    # goes on after a corrupt member (see gzmembers).
    # What the file holds decides, not its name: a .warc.gz that is not compressed, or a
    # .warc that is, reads all the same.
    with open(path, "rb") as f:
        if f.read(2) == _GZIP_MAGIC:
            f.seek(0)
            yield from _read_warc(GzipMembers(f, seekable=True), path, meta)
        else:
            f.seek(0)
            yield from _read_warc(f, path, meta)


@contextlib.contextmanager
def _quiet_stderr():
    """warcio prints warnings about bad records straight to stderr; keep them out."""
    with contextlib.redirect_stderr(io.StringIO()):
        yield


def _html_content_type(record) -> str | None:
    headers = record.http_headers
    if headers is None:
        return None
    ctype = headers.get_header("Content-Type") or ""
    if "html" not in ctype.lower():
        return None
    return ctype


def _drain(record) -> None:
    """Read the rest of a record, a chunk at a time (warcio would otherwise do it when
    asked for the next record, inside the header budget)."""
    with _quiet_stderr():
        while record.raw_stream.read(_CHUNK):
            pass


def _read_warc(stream: BinaryIO, source: str, meta: dict) -> Iterator[Item]:
    """Every HTML response of a WARC stream (uncompressed, or decompressed by a
    :class:`GzipMembers`, which lets reading go on after a damaged stretch)."""
    from warcio.archiveiterator import ArchiveIterator

    gz = stream if isinstance(stream, GzipMembers) else None
    guard = _Budget(stream)
    number = 0  # records begun, counting every record of the file
    try:
        head = guard.read(5)
    except GzipDamage as damage:  # in the first record
        error, number, resumed = _resync(gz, damage, source, 0, None)
        yield error if resumed else InputError(damage.reason, source)
        if not resumed:
            return
        head = guard.read(5)
    if head != b"WARC/":
        reason = "empty file" if not head else "not a WARC file (no WARC/1.x header)"
        yield InputError(reason, source)
        return
    records = ArchiveIterator(_Prefixed(head, guard))
    pages = 0
    member = -1  # the gzip member in which the last record began
    while True:
        guard.budget = MAX_HEADERS
        try:
            with _quiet_stderr():
                record = next(records, None)
        except GzipDamage as damage:
            # In the member of the last record (after its end), or in a new one.
            after = number if (number and damage.member == member) else None
            error, number, resumed = _resync(gz, damage, source, number, after)
            yield error
            if not resumed:
                return
            records = ArchiveIterator(guard)
            continue
        except _HeadersTooLong:
            yield InputError(
                f"broken WARC record (headers over {MAX_HEADERS // (1024 * 1024)} MB); "
                "the rest of the file was skipped",
                f"{source}#{number + 1}",
            )
            return
        except Exception as exc:  # warcio: ArchiveLoadFailed
            yield InputError(
                f"{_warc_reason(exc)}; the rest of the file was skipped", f"{source}#{number + 1}"
            )
            return
        finally:
            guard.budget = None
        if record is None:
            break
        number += 1
        member = gz.member if gz is not None else -1
        item, broken = None, False
        try:
            if _is_html_page(record):
                pages += 1
                item, broken = _warc_page(record, f"{source}#{number}", meta)
        except GzipDamage as damage:  # inside this record
            error, number, resumed = _resync(gz, damage, source, number - 1, None)
            yield error
            if not resumed:
                return
            records = ArchiveIterator(guard)
            continue
        if item is not None:
            yield item
        if broken:  # the file ended inside this record: nothing more to read
            return
        try:
            _drain(record)
        except GzipDamage as damage:  # in the rest of this record
            read = isinstance(item, Article)
            before, after = (number, number) if read else (number - 1, None)
            error, number, resumed = _resync(gz, damage, source, before, after)
            yield error
            if not resumed:
                return
            records = ArchiveIterator(guard)
    if pages == 0:
        yield InputError("no HTML responses in this WARC file", source)


def _is_html_page(record) -> bool:
    if record.rec_type != "response" or _html_content_type(record) is None:
        return False
    return (record.http_headers.get_statuscode() or "").startswith("2")


def _resync(
    gz: GzipMembers | None, damage: GzipDamage, source: str, number: int, after: int | None
) -> tuple[InputError, int, bool]:
    """The error line for a damaged stretch of a gzipped WARC file; the number of the last
    record before reading resumes (records lost in the stretch counted); and whether it
    resumes (else the rest of the file is lost).

    ``number``: records before the damaged one; ``after``: the record the damage comes
    after, when it lies in that record's own gzip member, past its end.
    """
    where = f"{source}#{number + 1}" if after is None else source
    suffix = f" after record #{after}" if after is not None else ""
    found = gz.resync() if gz is not None and not damage.truncated else None
    if found is None:
        rest = "" if damage.truncated else "; the rest of the file was skipped"
        return InputError(f"{damage.reason}{suffix}{rest}", where), number, False
    resume, lost = found
    if after is not None:
        lost = max(lost - 1, 0)  # the damaged member began with the record already read
    elif lost == 0:  # foreign data between two members: no record in it
        where = source
        suffix = f" after record #{number}" if number else ""
    records = "no record lost" if lost == 0 else f"{lost} record{'' if lost == 1 else 's'} lost"
    reason = (
        f"{damage.reason} in bytes {damage.start}-{resume}{suffix}: {records}; "
        "reading goes on with the next intact record"
    )
    return InputError(reason, where), number + lost, True


def _warc_reason(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if message.startswith("Invalid WARC record"):
        return "broken WARC record (invalid header)"
    if "non-chunked gzip" in message:
        return "broken WARC file (gzip members do not match records)"
    return f"broken WARC record ({message[:80]})"


def _warc_page(record, where: str, meta: dict) -> tuple[Item, bool]:
    """The article of one HTML response, and whether the file ends inside it.  Damage to
    the gzip stream (GzipDamage) is left to the caller."""
    ctype = _html_content_type(record) or ""
    try:
        declared = int(record.rec_headers.get_header("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BYTES + 65536:
        return InputError(too_large(declared), where), False
    try:
        with _quiet_stderr():
            body = record.content_stream().read(MAX_BYTES + 1)
    except GzipDamage:
        raise
    except Exception as exc:  # bad chunked or content encoding in the HTTP payload
        return InputError(f"unreadable HTTP payload ({type(exc).__name__})", where), False
    if len(body) > MAX_BYTES:
        return InputError(too_large(), where), False
    if getattr(record.raw_stream, "limit", 0):
        return InputError("truncated WARC record (the file ends inside it)", where), True
    if not body.strip():
        return InputError("empty HTML", where), False
    url = record.rec_headers.get_header("WARC-Target-URI")
    notes: list[str] = []
    overrides = drop_bad_url({"url": url.strip() if url else None}, notes, " (WARC-Target-URI)")
    try:
        article = html_article(
            body,
            source=where,
            overrides=overrides,
            defaults=meta,
            charset=charset_of(ctype),
            notes=tuple(notes),
        )
    except InputError as exc:
        return exc, False
    except Exception as exc:  # a bug must cost one record, not the file
        return InputError(internal_error(exc), where), False
    return article, False


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
            yield InputError(internal_error(exc), path if path != "-" else "stdin")


__all__ = [
    "EXTENSIONS",
    "article_from_text",
    "expand_inputs",
    "iter_articles",
    "kind_of",
    "read_input",
]
