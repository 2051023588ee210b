"""Index structures over one article's text and spans, so that the questions the
detectors and enrichment ask for every token, quote or statement ("where does this line
start?", "which contents hold this offset?", "does this span overlap any cue?") cost a
logarithm, not a pass over the text or over every other statement.

Each answers exactly what the plain scan it replaces answered; they matter only for long
texts, where the scans made the detection quadratic in the article's length.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class Lines:
    """Where the newlines of a text are."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = [m.start() for m in re.finditer("\n", text)]
        self._nonblank: list[int] | None = None

    def previous_break(self, offset: int) -> int:
        """``text.rfind("\\n", 0, offset)``: the last newline before ``offset``, or -1."""
        k = bisect.bisect_left(self.breaks, offset) - 1
        return self.breaks[k] if k >= 0 else -1

    def next_break(self, offset: int) -> int:
        """``text.find("\\n", offset)``: the first newline at or after ``offset``, or -1."""
        k = bisect.bisect_left(self.breaks, max(offset, 0))
        return self.breaks[k] if k < len(self.breaks) else -1

    def line_start(self, offset: int) -> int:
        return self.previous_break(offset) + 1

    def line_end(self, offset: int) -> int:
        """The end of the line holding ``offset`` (the text's end on the last line)."""
        end = self.next_break(offset)
        return len(self.text) if end < 0 else end

    def nonblank_pieces(self, start: int, end: int) -> int:
        """``len([p for p in text[start:end].split("\\n") if p.strip()])``."""
        if end <= start:
            return 0
        text = self.text
        if self._nonblank is None:
            # For line k (text between break k-1 and break k), whether it holds anything
            # but white space; counted cumulatively.
            bounds = [-1, *self.breaks, len(text)]
            counts = [0]
            for k in range(len(bounds) - 1):
                blank = not text[bounds[k] + 1 : bounds[k + 1]].strip()
                counts.append(counts[-1] + (0 if blank else 1))
            self._nonblank = counts
        first = bisect.bisect_left(self.breaks, start)  # the first break inside
        last = bisect.bisect_left(self.breaks, end) - 1  # the last break inside
        if last < first:  # no newline: one piece
            return 1 if text[start:end].strip() else 0
        n = 1 if text[start : self.breaks[first]].strip() else 0
        n += 1 if text[self.breaks[last] + 1 : end].strip() else 0
        # Whole lines between the first and the last break inside: lines first+1..last.
        n += self._nonblank[last + 1] - self._nonblank[first + 1]
        return n


_LOCAL = threading.local()


def per_text(key: str, text: str, build: Callable[[str], T]) -> T:
    """``build(text)``, kept for the text this thread works on now (the same string
    object: the detectors pass ``doc_text(doc)``), so that it is built once per article
    and nothing outlives the next one."""
    cache = getattr(_LOCAL, "cache", None)
    if cache is None:
        cache = _LOCAL.cache = {}
    hit = cache.get(key)
    if hit is not None and hit[0] is text:
        return hit[1]
    value = build(text)
    cache[key] = (text, value)
    return value


def lines(text: str) -> Lines:
    """The :class:`Lines` of ``text``, built once."""
    return per_text("lines", text, Lines)


class SpanIndex(Generic[T]):
    """Intervals ``[start, end)`` with a payload each, searchable by overlap.

    A segment tree of the largest end over the intervals sorted by start: the intervals
    that start before some offset and end after another are found in O(log n) each.
    """

    def __init__(self, items: Iterable[tuple[int, int, T]]) -> None:
        ordered = sorted(items, key=lambda x: (x[0], x[1]))
        self.starts = [s for s, _, _ in ordered]
        self.ends = [e for _, e, _ in ordered]
        self.payloads = [p for _, _, p in ordered]
        size = 1
        while size < len(ordered):
            size *= 2
        self._size = size
        tree = [-(1 << 62)] * (2 * size)
        tree[size : size + len(ordered)] = self.ends
        for k in range(size - 1, 0, -1):
            tree[k] = max(tree[2 * k], tree[2 * k + 1])
        self._tree = tree

    def __len__(self) -> int:
        return len(self.starts)

    def _ending_after(self, hi: int, threshold: int) -> Iterator[int]:
        """Positions j < hi (in the sorted order) with ends[j] > threshold, ascending."""
        if hi <= 0 or self._tree[1] <= threshold:
            return
        tree, size = self._tree, self._size
        # Depth-first over nodes (node, node_lo, node_hi), leftmost first.
        stack = [(1, 0, size)]
        while stack:
            node, lo, top = stack.pop()
            if lo >= hi or tree[node] <= threshold:
                continue
            if node >= size:
                yield node - size
                continue
            mid = (lo + top) // 2
            stack.append((2 * node + 1, mid, top))
            stack.append((2 * node, lo, mid))

    def overlapping(self, start: int, end: int) -> Iterator[T]:
        """Payloads of the intervals sharing a position with ``[start, end)``
        (``s < end and start < e``), by start."""
        hi = bisect.bisect_left(self.starts, end)
        for j in self._ending_after(hi, start):
            yield self.payloads[j]

    def any_overlapping(self, start: int, end: int) -> bool:
        hi = bisect.bisect_left(self.starts, end)
        return next(self._ending_after(hi, start), -1) >= 0

    def holding(self, offset: int) -> Iterator[T]:
        """Payloads of the intervals with ``s <= offset < e``."""
        hi = bisect.bisect_right(self.starts, offset)
        for j in self._ending_after(hi, offset):
            yield self.payloads[j]

    def any_holding(self, offset: int) -> bool:
        hi = bisect.bisect_right(self.starts, offset)
        return next(self._ending_after(hi, offset), -1) >= 0

    def enclosing(self, start: int, end: int) -> Iterator[T]:
        """Payloads of the intervals with ``s <= start and end <= e``."""
        hi = bisect.bisect_right(self.starts, start)
        for j in self._ending_after(hi, end - 1):
            yield self.payloads[j]


def overlaps_any(index: SpanIndex, spans: Sequence[tuple[int, int]]) -> bool:
    """Some span of ``spans`` overlaps some interval of ``index``."""
    return any(index.any_overlapping(s, e) for s, e in spans)


class TokenSet:
    """A set of token indices kept as ranges (the tokens of a few spans, however long
    they are), plus a few single indices: ``i in s`` and ``s | {...}`` as for a set."""

    def __init__(self, ranges: Iterable[tuple[int, int]], extra: Iterable[int] = ()) -> None:
        merged: list[tuple[int, int]] = []
        for s, e in sorted(r for r in ranges if r[1] > r[0]):
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        self._ranges = merged
        self._starts = [s for s, _ in merged]
        self._extra = frozenset(extra)

    def __contains__(self, i: object) -> bool:
        if i in self._extra:
            return True
        if not isinstance(i, int):
            return False
        k = bisect.bisect_right(self._starts, i) - 1
        return k >= 0 and i < self._ranges[k][1]

    def __or__(self, other: Iterable[int] | TokenSet) -> TokenSet:
        if isinstance(other, TokenSet):
            return TokenSet([*self._ranges, *other._ranges], self._extra | other._extra)
        return TokenSet(self._ranges, self._extra | frozenset(other))


def capitalised_as_headline(line: str, min_words: int = 3) -> bool:
    """A line of ``min_words`` to 20 words that capitalises three words in four, as a
    headline does ("Ted Cruz Refuses to Disavow Lindsey Graham Endorsement"): a sentence
    full of names still writes its verbs and prepositions in lower case ("Jorge Ramos
    asked Hillary Clinton about Benghazi on Wednesday.")."""
    words = [w for w in line.split() if w[:1].isalpha()]
    capitalised = sum(w[:1].isupper() for w in words)
    return min_words <= len(words) <= 20 and capitalised >= 0.75 * len(words)
