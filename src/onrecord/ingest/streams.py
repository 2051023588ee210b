"""Byte-stream pieces the readers share: gzip's magic number and the reasons its errors
give, and a stream that gives back what was read ahead to sniff it."""

from __future__ import annotations

import gzip
import io
import zlib
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"
# What the gzip module raises on a damaged or cut-off file.
GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)
# How much is read at a time where a whole record or line need not be held.
CHUNK = 1 << 16


def is_gzip_name(path: str) -> bool:
    return path.lower().endswith(".gz")


def gzip_reason(exc: BaseException) -> str:
    """One line for a gzip file that cannot be read."""
    if isinstance(exc, EOFError):
        return "truncated gzip file (the compressed data ends early)"
    if isinstance(exc, gzip.BadGzipFile):
        return f"not a valid gzip file ({exc})"
    if isinstance(exc, zlib.error):
        return "corrupt gzip data"
    return f"unreadable gzip file ({exc})"


class Prefixed(io.RawIOBase):
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
