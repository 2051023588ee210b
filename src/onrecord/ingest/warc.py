"""WARC: every HTML response of a crawl, one article each, named ``path#N`` (the N-th
record of the file, counting every record, 1-based).

Records are read a chunk at a time, and warcio may read at most MAX_HEADERS for one
record's headers, so memory stays bounded.  A gzipped file is decompressed member by
member (:mod:`.gzmembers`): a damaged stretch is one error (named after its first
record, or after the file when it lies between records) and reading resumes at the next
intact member.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from typing import BinaryIO

from ..errors import InputError, one_line
from ..records import Article
from .article import MAX_BYTES, too_large
from .gzmembers import GzipDamage, GzipMembers
from .html import charset_of, html_article
from .streams import CHUNK, GZIP_MAGIC, Prefixed
from .urls import drop_bad_url

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


def read_warc_file(path: str, meta: dict) -> Iterator[Article | InputError]:
    if os.path.getsize(path) == 0:
        yield InputError("empty file", path)
        return
    # Gzip is decompressed here rather than by warcio: then a WARC compressed as one
    # gzip member (not record by record) reads too, a cut-off file says so, and reading
    # goes on after a corrupt member (see gzmembers).
    # What the file holds decides, not its name: a .warc.gz that is not compressed, or a
    # .warc that is, reads all the same.
    with open(path, "rb") as f:
        if f.read(2) == GZIP_MAGIC:
            f.seek(0)
            yield from read_warc(GzipMembers(f, seekable=True), path, meta)
        else:
            f.seek(0)
            yield from read_warc(f, path, meta)


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
        while record.raw_stream.read(CHUNK):
            pass


def read_warc(stream: BinaryIO, source: str, meta: dict) -> Iterator[Article | InputError]:
    """Every HTML response of a WARC stream (uncompressed, or decompressed by a
    :class:`GzipMembers`, which lets reading go on after a damaged stretch)."""
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
    yield from _read_records(Prefixed(head, guard), guard, gz, source, meta, number)


def _read_records(
    start: Prefixed, guard: _Budget, gz: GzipMembers | None, source: str, meta: dict, number: int
) -> Iterator[Article | InputError]:
    """The records from ``start`` (the WARC/ header already read, put back in front of
    ``guard``) on: ``number`` records came before it."""
    from warcio.archiveiterator import ArchiveIterator

    records = ArchiveIterator(start)
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
    message = one_line(exc)
    if message.startswith("Invalid WARC record"):
        return "broken WARC record (invalid header)"
    if "non-chunked gzip" in message:
        return "broken WARC file (gzip members do not match records)"
    return f"broken WARC record ({message[:80]})"


def _warc_page(record, where: str, meta: dict) -> tuple[Article | InputError, bool]:
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
        return InputError(f"internal error: {one_line(exc, with_type=True)}", where), False
    return article, False
