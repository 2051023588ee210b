"""Gzip files member by member, for WARC files: damage costs the records it touches only.

A ``.warc.gz`` file is normally one gzip member per WARC record.  The ``gzip`` module
reads members one after another and stops at the first corrupt one, so one bad byte in
the middle of a crawl loses every record after it.  :class:`GzipMembers` reads the same
way but, after damage, can :meth:`~GzipMembers.resync`: move on to the next gzip member
header (``1f 8b 08``) after the damaged one that decompresses whole and begins a WARC
record, so that every intact record after the damage is still read.

It never returns bytes of two members from one read, so that a reader above it (warcio,
with its read-ahead) does not meet the next member's damage while it reads a record.
Memory is bounded by the chunk size, whatever a member expands to.
"""

from __future__ import annotations

import io
import zlib
from typing import BinaryIO

MAGIC = b"\x1f\x8b\x08"
_CHUNK = 1 << 16
# Resynchronising checks that a candidate member decompresses whole; past this much
# output it is taken as sound.
_CHECK_LIMIT = 256 * 1024 * 1024
# At most this much of what a damaged member decompresses to before the damage is kept.
_SALVAGE_LIMIT = 4 * 1024 * 1024


class GzipDamage(Exception):
    """Corrupt, cut-off or foreign data where a gzip member should be.  Not an EOFError:
    warcio takes that for the end of the archive."""

    def __init__(self, reason: str, start: int, member: int, truncated: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.start = start  # offset in the file where the damaged member begins
        self.member = member  # its index (0-based) among the members
        self.truncated = truncated


class GzipMembers(io.RawIOBase):
    """The decompressed bytes of the gzip stream ``raw``, member after member.

    Raises :class:`GzipDamage` where the data is bad (after returning everything
    decompressed before it), and keeps raising it until :meth:`resync` succeeds.
    ``member`` is the index of the member being read.
    """

    def __init__(self, raw: BinaryIO, *, seekable: bool = False) -> None:
        self._raw = raw
        self._seekable = seekable
        self._buf = b""  # compressed bytes not yet decompressed
        self._at = 0  # offset in the file of self._buf[0]
        self._d = None
        self._start = 0  # offset in the file where the current member begins
        self.member = -1
        self.damage: GzipDamage | None = None
        self._salvaged = b""  # decompressed before damage, not yet read

    def readable(self) -> bool:
        return True

    def _fill(self) -> bool:
        data = self._raw.read(_CHUNK)
        if not data:
            return False
        self._buf += data
        return True

    def _damaged(self, reason: str, truncated: bool = False) -> GzipDamage:
        self.damage = GzipDamage(reason, self._start, self.member, truncated)
        self._d = None
        return self.damage

    def readinto(self, buffer) -> int:
        if self._salvaged:
            n = min(len(buffer), len(self._salvaged))
            buffer[:n] = self._salvaged[:n]
            self._salvaged = self._salvaged[n:]
            return n
        if self.damage is not None:
            raise self.damage
        while True:
            if self._d is None:
                while len(self._buf) < len(MAGIC) and self._fill():
                    pass
                if not self._buf:
                    return 0  # the end, between members
                if self._rest_is_padding():
                    return 0
                self._start = self._at
                self.member += 1
                if not self._buf.startswith(MAGIC):
                    raise self._damaged("not a gzip member (a damaged header or foreign data)")
                self._d = zlib.decompressobj(wbits=31)
            if not self._buf and not self._fill():
                raise self._damaged(
                    "truncated gzip file (the compressed data ends early)", truncated=True
                )
            fed = len(self._buf)
            saved = self._d.copy()
            try:
                out = self._d.decompress(self._buf, len(buffer))
            except zlib.error:
                self._salvage(saved)
                if self._salvaged:
                    return self.readinto(buffer)
                raise self.damage from None
            if self._d.eof:
                rest = self._d.unused_data
                self._d = None
            else:
                rest = self._d.unconsumed_tail
            self._at += fed - len(rest)
            self._buf = rest
            if out:
                buffer[: len(out)] = out
                return len(out)

    def _salvage(self, d) -> None:
        """After a decompression error: what ``d`` (the state before the failing call)
        decompresses before the error, fed a little at a time, kept for the next reads;
        the damage is raised once it is read."""
        out = []
        size = 0
        step = 256
        for i in range(0, len(self._buf), step):
            try:
                out.append(d.decompress(self._buf[i : i + step]))
            except zlib.error:
                break
            size += len(out[-1])
            if size > _SALVAGE_LIMIT or d.eof:
                break
        self._damaged("corrupt gzip data")
        self._salvaged = b"".join(out)

    def _rest_is_padding(self) -> bool:
        """Whether all that is left is zero bytes (some writers pad the file)."""
        if self._buf.strip(b"\x00"):
            return False
        while self._fill():
            if self._buf.strip(b"\x00"):
                return False
            self._at += len(self._buf)
            self._buf = b""
        return True

    # ------------------------------------------------------------------ resync

    def resync(self, starts: bytes = b"WARC/") -> tuple[int, int] | None:
        """After damage, move to the next member (after the damaged one's start) that
        decompresses whole and whose data begins with ``starts``.

        Returns ``(offset of that member, members lost)``: the damaged member (also when
        only its gzip header is damaged) and every damaged member header in the stretch
        skipped.  None where the stream cannot seek or no such member follows (the damage
        stays).
        """
        damage = self.damage
        if damage is None or not self._seekable:
            return None
        lost = 1 if self._is_header(damage.start) or self._bare(damage.start, starts) else 0
        for candidate in self._candidates(damage.start + 1):
            whole, begins = self._check(candidate, starts)
            if whole and begins:
                self._raw.seek(candidate)
                self._buf, self._at, self._d, self.damage = b"", candidate, None, None
                self._start, self._salvaged = candidate, b""
                return candidate, lost
            if begins or self._is_header(candidate):
                lost += 1
        return None

    def _is_header(self, pos: int) -> bool:
        """Whether a gzip member header starts at ``pos`` (magic, deflate, no reserved
        flag bits: one chance in 2**27 for random bytes)."""
        self._raw.seek(pos)
        head = self._raw.read(4)
        return head.startswith(MAGIC) and len(head) == 4 and not head[3] & 0xE0

    def _bare(self, pos: int, starts: bytes) -> bool:
        """Whether the data at ``pos`` is a member with a damaged gzip header: deflate data
        that begins with ``starts`` where a plain 10-byte header ends."""
        self._raw.seek(pos + 10)
        try:
            out = zlib.decompressobj(wbits=-15).decompress(self._raw.read(4096), len(starts))
        except zlib.error:
            return False
        return out.startswith(starts)

    def _candidates(self, pos: int):
        """Offsets of gzip member headers from ``pos`` on (the caller may seek between)."""
        while True:
            self._raw.seek(pos)
            chunk = self._raw.read(1 << 20)
            if len(chunk) < len(MAGIC):
                return
            i = chunk.find(MAGIC)
            if i >= 0:
                yield pos + i
                pos += i + 1
            else:
                pos += len(chunk) - (len(MAGIC) - 1)

    def _check(self, pos: int, starts: bytes) -> tuple[bool, bool]:
        """(whether the member at ``pos`` decompresses whole, whether its data begins with
        ``starts``); a member cut off by the end of the file counts as whole."""
        self._raw.seek(pos)
        d = zlib.decompressobj(wbits=31)
        try:  # the beginning first, so that damage further on does not hide it
            head = d.decompress(self._raw.read(_CHUNK), len(starts))
        except zlib.error:
            return False, False
        if not head.startswith(starts):
            return False, False
        produced = len(head)
        while not d.eof and produced <= _CHECK_LIMIT:
            chunk = d.unconsumed_tail or self._raw.read(_CHUNK)
            if not chunk:
                return True, True  # cut off: its record will say so
            try:
                produced += len(d.decompress(chunk, _CHUNK))
            except zlib.error:
                return False, True
        return True, True
