"""Quotation marks: where direct speech starts and ends.

News text mixes straight, curly, guillemet and single quotes, splits quotes around the
attribution, runs a quote over several paragraphs (each paragraph reopens the quote, only
the last one closes it), and has stray or unbalanced marks.  This module turns that into
:class:`Quote` regions, without ever failing on odd input.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..records import Offsets, StatementType

# Marks that can only open, only close, or do either (decided from context).
DOUBLE_OPEN = "“„«‹"
DOUBLE_CLOSE = "”»›"
SINGLE_OPEN = "‘‚"
SINGLE_CLOSE = "’"
ALL_MARKS = DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN + SINGLE_CLOSE + "\"'"

# Characters that make a quote mark an opener when they precede it.
_OPEN_CONTEXT = set(" \t\n\r([{—–-/:;") | {""}
_WORD = re.compile(r"\w")
_MARK = re.compile("[" + re.escape(ALL_MARKS) + "]")
_PARAGRAPH = re.compile(r"[^\n]+")
# A quote shorter than this (after trimming) is a scare quote or a title, not speech.
MIN_SPEECH_CHARS = 1


@dataclass(frozen=True)
class Quote:
    """A run of quoted text, possibly over several paragraphs.

    ``fragments`` are the inner spans (without the marks), one per paragraph.
    ``closed`` is False when the quote ran to a paragraph end with no closing mark and
    nothing continued it (an unbalanced mark): callers should trust it less.
    """

    start: int  # offset of the opening mark
    end: int  # offset just after the closing mark (or the paragraph end)
    fragments: tuple[Offsets, ...]
    closed: bool = True

    @property
    def inner(self) -> Offsets:
        return self.fragments[0][0], self.fragments[-1][1]

    def words(self, text: str) -> int:
        return sum(len(text[s:e].split()) for s, e in self.fragments)


def _is_opener(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return before in _OPEN_CONTEXT and after not in (" ", "\n", "\t", "")


def _is_closer(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return before not in (" ", "\n", "\t", "") and not _WORD.match(after or " ")


def _kind(c: str) -> str:
    return "double" if c in '“”„«»‹›"' else "single" if c in "‘’‚'" else ""


def _paragraph_quotes(text: str, start: int, end: int) -> list[tuple[int, int | None]]:
    """Top-level (opening offset, closing offset or None) pairs inside one paragraph.

    Either kind of mark may open a top-level quote; inside it only the same kind closes
    it, so nested quotes ('…“x”…' or "…'x'…") stay inside their parent.  A single mark
    that never closes was an apostrophe ('em, 'til): it is dropped and the scan resumes.
    (Where a single quote closes is looked up among the paragraph's possible closers,
    rather than found by scanning on and back again, which was quadratic in a paragraph
    of apostrophes.)
    """
    pairs: list[tuple[int, int | None]] = []
    open_at: int | None = None
    open_kind = ""
    marks = [m.start() for m in _MARK.finditer(text, start, end)]
    single_closers = [i for i in marks if text[i] in "’‚'" and _is_closer(text, i)]
    m = 0
    while m < len(marks):
        i = marks[m]
        c = text[i]
        kind = _kind(c)
        if open_at is None:
            if c in DOUBLE_OPEN + SINGLE_OPEN or (c in "\"'“" and _is_opener(text, i)):
                open_at, open_kind = i, kind
                if kind == "single":
                    # The first single mark after it that can close closes it; with none,
                    # it was an apostrophe and the scan goes on after it.
                    k = bisect.bisect_right(single_closers, i)
                    if k < len(single_closers):
                        pairs.append((i, single_closers[k]))
                        m = bisect.bisect_right(marks, single_closers[k])
                    else:
                        m += 1
                    open_at = None
                    continue
        elif kind == open_kind:
            if kind == "single":
                closes = c != "‘" and _is_closer(text, i)
            else:
                closes = c in DOUBLE_CLOSE + '"“'
                if c in "«„" and c not in DOUBLE_CLOSE:
                    # A second opener before any closer: the first mark was stray.
                    open_at = i
                    m += 1
                    continue
            if closes:
                pairs.append((open_at, i))
                open_at = None
        m += 1
    if open_at is not None:
        pairs.append((open_at, None))
    return pairs


def _trim(text: str, s: int, e: int) -> Offsets:
    while s < e and (text[s].isspace() or text[s] == _FILLER):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] == _FILLER):
        e -= 1
    return s, e


# Two apostrophes or two backticks stand for a double quote in some house styles
# (''like this'') and in ASCII-era text (``like this''): they are read as one mark, the
# second character becoming a filler that trimming skips.
_FILLER = "\x01"


def _normalise(text: str) -> str:
    if "''" not in text and "``" not in text:
        return text
    return text.replace("''", '"' + _FILLER).replace("``", '"' + _FILLER)


def find_quotes(text: str, excluded: tuple[Offsets, ...] = ()) -> list[Quote]:
    """Every quotation in ``text``, in order, joining quotes that run over paragraphs."""
    text = _normalise(text)
    quotes: list[Quote] = []
    pending: list[Offsets] = []  # fragments of a quote still open at a paragraph end
    pending_start = 0
    boilerplate = _Regions(excluded)
    for para in _PARAGRAPH.finditer(text):
        p_start, p_end = para.span()
        if boilerplate.holds(p_start):
            continue
        pairs = _paragraph_quotes(text, p_start, p_end)
        if pending:
            # The quote continues only if this paragraph reopens it at its very start.
            lead = p_start
            while lead < p_end and text[lead].isspace():
                lead += 1
            if pairs and pairs[0][0] == lead:
                pass
            else:
                quotes.extend(_unclosed(pending_start, pending))
                pending = []
        for k, (o, c) in enumerate(pairs):
            if c is None:
                frag = _trim(text, o + 1, p_end)
                if k == 0 and pending:
                    pending.append(frag)
                else:
                    pending_start = o
                    pending = [frag]
                continue
            frag = _trim(text, o + 1, c)
            close = c + 2 if c + 1 < len(text) and text[c + 1] == _FILLER else c + 1
            if k == 0 and pending:
                quotes.append(Quote(pending_start, close, (*pending, frag)))
                pending = []
            elif frag[1] - frag[0] >= MIN_SPEECH_CHARS:
                quotes.append(Quote(o, close, (frag,)))
    if pending:
        quotes.extend(_unclosed(pending_start, pending))
    return quotes


def _unclosed(start: int, fragments: list[Offsets]) -> list[Quote]:
    """A quote never closed, as the words it holds: none when a mark opens nothing
    (the last character of a text, or of a paragraph)."""
    held = tuple((s, e) for s, e in fragments if e > s)
    return [Quote(start, held[-1][1], held, closed=False)] if held else []


class _Regions:
    """Whether an offset lies in one of some regions, by bisection."""

    def __init__(self, regions: tuple[Offsets, ...]) -> None:
        ordered = sorted(regions)
        self.starts = [s for s, _ in ordered]
        self.reach = []  # the furthest end among the regions up to each one
        far = -1
        for _, e in ordered:
            far = max(far, e)
            self.reach.append(far)

    def holds(self, offset: int) -> bool:
        k = bisect.bisect_right(self.starts, offset) - 1
        return k >= 0 and self.reach[k] > offset


_EDGE = " \t\n\r.,;:!?\"'“”‘’«»‹›„‚()[]—–-…"


def trim_edges(text: str, s: int, e: int) -> Offsets:
    """Shrink a span past spaces and punctuation at both edges (the exact-match rule)."""
    while s < e and text[s] in _EDGE:
        s += 1
    while e > s and text[e - 1] in _EDGE:
        e -= 1
    return s, e


def statement_type(text: str, spans: tuple[Offsets, ...] | list[Offsets]) -> StatementType:
    """direct, mixed or indirect, from where quote marks fall in the content.

    direct: the content is quoted from its first word to its last (marks just outside or
    at its trimmed edges); mixed: part of it is quoted; indirect: no quotation marks.
    """
    if not spans:
        return "indirect"
    first = trim_edges(text, *spans[0])
    last = trim_edges(text, *spans[-1])

    def opens_at(i: int) -> bool:
        j = i - 1
        while j >= 0 and text[j] in " \t\n\r…":
            j -= 1
        return j >= 0 and text[j] in DOUBLE_OPEN + SINGLE_OPEN + "\"'“"

    def closes_at(i: int) -> bool:
        j = i
        while j < len(text) and text[j] in " \t,.;:!?…":
            j += 1
        return j < len(text) and text[j] in DOUBLE_CLOSE + SINGLE_CLOSE + "\"'“"

    if first[1] > first[0] and opens_at(first[0]) and closes_at(last[1]):
        inner_marks = any(
            _INNER_MARK.search(text, max(s, first[0]), min(e, last[1])) for s, e in spans
        )
        if not inner_marks:
            return "direct"
        return "mixed"
    if any(_QUOTING_MARK.search(text, s, e) for s, e in spans):
        return "mixed"
    return "indirect"


# (searched for, not looped over in Python: a content may be a long quotation)
_INNER_MARK = re.compile('[“”«»"]')
_QUOTING_MARK = re.compile('[“”«»„"‘]')
