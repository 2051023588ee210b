"""Passes over a detector's attributions, shared by the rule-based detector and the
trained model's join with the rules (``model/hybrid.py``).

* :func:`exact_constructions` and :func:`yielding`: the statements of constructions read
  exactly (passive hearsay, a quotation signed with a dash, a transcript turn), and
  what the others yield to them;
* :func:`untangled`: no two statements inside each other's content;
* :func:`with_follow_ons`: a paragraph that is only a quotation continues the last
  quoted speaker (and :func:`without_borrowed_quotes`: it is no later cue's content);
* :func:`cut_before` and :func:`rstrip_span`: a content cut short, trimmed at its end.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc

from ..names import is_medium
from ..nlp import check_time
from ..records import Attribution, Offsets
from .frames import QuoteIndex
from .intervals import SpanIndex, lines, overlaps_any
from .quotes import ALL_MARKS, statement_type
from .syntax import entities

# The dashes that sign a quotation ('"..." ― Name').
SIGNATURE_DASHES = frozenset(("―", "—", "–", "--"))

# A quotation paragraph this many paragraphs after a quoting statement still continues it
# ("X said: '...'" ¶ narrative ¶ "Another quote."); further away it is left alone.
FOLLOW_ON_PARAGRAPHS = 2


def without_borrowed_quotes(found: list[Attribution], text: str) -> list[Attribution]:
    """A cue's content never reaches back into an earlier paragraph that is only a
    quotation: in ``"The cranes are coming." ¶ He told reporters that each day cost
    millions.`` the quotation continues the speaker before it (a follow-on quote), and
    "told" says only what follows it.  Such fragments are dropped, and the statement's
    type is read again from what is left."""
    newlines = lines(text)
    out = []
    for a in found:
        if not a.cue or len(a.content) < 2:
            out.append(a)
            continue
        cue_para = newlines.line_start(a.cue[0][0])
        kept = tuple(
            (s, e)
            for s, e in a.content
            if not (e <= cue_para and _opens_paragraph(text, s) and _quote_paragraph(text, s, e))
        )
        if kept and kept != a.content:
            a = replace(a, content=kept, type=statement_type(text, kept))
        out.append(a)
    return out


def _quote_paragraph(text: str, start: int, end: int) -> bool:
    """``[start, end)`` is, with its quotation marks, all of its paragraph."""
    newlines = lines(text)
    para = text[newlines.line_start(start) : newlines.line_end(end)].strip()
    return para[:1] in ALL_MARKS and para.rstrip(".,;")[-1:] in ALL_MARKS


def with_follow_ons(found: list[Attribution], quotes: QuoteIndex, text: str) -> list[Attribution]:
    """A paragraph that is nothing but a quotation, with no attribution of its own,
    continues the last quoted speaker before it (adjacent ones already joined that
    speaker's content): it becomes a statement with ``continues`` set."""
    covered = SpanIndex((s, e, None) for a in found for s, e in (*a.content, *a.cue))
    newlines = lines(text)
    # The statements by where their content ends, to find the last one before a quote
    # (the first in ``found`` among those ending at the same offset).
    by_end = sorted((a.content[-1][1], k) for k, a in enumerate(found))
    ends = [e for e, _ in by_end]
    out = list(found)
    for q in quotes.quotes:
        check_time()
        if not q.closed or covered.any_overlapping(q.start, q.end):
            continue
        para_start = newlines.line_start(q.start)
        para_end = newlines.line_end(q.end)
        if _nonblank_before(text, para_start, q.start) or _TRAILER.search(text, q.end, para_end):
            continue
        if q.words(text) < 4:
            continue
        j = bisect.bisect_right(ends, q.start) - 1
        if j < 0:
            continue
        k = by_end[bisect.bisect_left(ends, ends[j])][1]
        last = found[k]
        if last.type == "indirect" or not last.source:
            continue
        if newlines.nonblank_pieces(last.content[-1][1], para_start) > FOLLOW_ON_PARAGRAPHS:
            continue
        out.append(
            Attribution(
                cue=(),
                content=q.fragments,
                source=(),
                type="direct",
                confidence=round(last.confidence * 0.8, 3),
                continues=k,
            )
        )
    # Reading order, with ``continues`` renumbered to match.
    order = sorted(range(len(out)), key=lambda i: (out[i].cue or out[i].content)[0][0])
    position = {old: new for new, old in enumerate(order)}
    return [
        replace(out[i], continues=position[out[i].continues])
        if out[i].continues is not None
        else out[i]
        for i in order
    ]


def _holds(spans: Sequence[Offsets], offset: int) -> bool:
    return any(s <= offset < e for s, e in spans)


def _opens_paragraph(text: str, offset: int) -> bool:
    """Only quotation marks and spaces stand between the paragraph start and offset."""
    start = lines(text).line_start(offset)
    return not text[start:offset].strip(" \t\xa0" + ALL_MARKS)


# Anything after a quotation but a full stop, a comma, a semicolon or a space.
_TRAILER = re.compile(r"[^ .,;]")


def _nonblank_before(text: str, start: int, end: int) -> bool:
    """``bool(text[start:end].strip())``, reading back from ``end`` only over the
    white space there."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end > start


def exact_constructions(found: list[Attribution], text: str) -> list[Attribution]:
    """The statements of constructions read exactly, which others yield to.

    Passive hearsay ("an executive was cited by the Kommersant daily as saying that
    ..."): the speaker, one cue in two pieces, and the outlet as the relay (a tagger
    splits it into two relations with the outlet as the source).  A quotation signed
    with a dash ('"..." ― Ana Ruiz') and a transcript turn ('"HOST: ...', a
    name and a colon opening the paragraph): the speaker is printed beside the quote,
    whatever cue a narrator's sentence nearby may seem to offer."""
    out = []
    for a in found:
        if not a.cue or a.continues is not None:
            continue
        cue = text[a.cue[0][0] : a.cue[0][1]]
        hearsay = len(a.cue) > 1 and text[a.cue[-1][0] : a.cue[-1][1]].lower().startswith("as ")
        turn = cue == ":" and bool(a.source) and _opens_paragraph(text, a.source[0][0])
        if hearsay or turn or cue in SIGNATURE_DASHES:
            out.append(a)
    return out


def yielding(found: list[Attribution], exact: list[Attribution], text: str) -> list[Attribution]:
    """``found`` without what the ``exact`` statements own: a statement whose cue
    overlaps one of theirs goes; its content loses any fragment holding their cue and,
    unless the statement is nested in theirs, any fragment of their content."""
    if not exact:
        return found
    members = set(exact)
    cues = SpanIndex((s, e, r) for r in exact for s, e in r.cue)
    contents = SpanIndex((s, e, r) for r in exact for s, e in r.content)

    def owned(fragment: Offsets, at: int) -> bool:
        # Their cue, or the content of one that does not hold ``at`` (our cue).
        return cues.any_overlapping(*fragment) or any(
            not _holds(r.content, at) for r in contents.overlapping(*fragment)
        )

    out = []
    for a in found:
        if a in members or overlaps_any(cues, a.cue):
            continue
        if a.cue:
            at = a.cue[0][0]
            if any(owned(f, at) for f in a.content):
                content = tuple(f for f in a.content if not owned(f, at))
                if not content:
                    continue
                a = replace(a, content=content, type=statement_type(text, content))
        out.append(a)
    return out


def untangled(found: list[Attribution], text: str) -> list[Attribution]:
    """No two statements inside each other's content.

    In "Varga said the government had no plans to step in, the Baltic News Agency
    reported", the agency's statement carries Varga's, and Varga's content ends before
    ", the Baltic News Agency reported": a content that runs on over the cue of a later
    statement whose own content takes this one's cue in is cut where that statement's
    attribution clause starts.
    """

    out = list(found)
    # Where each statement's content was at first (a content is only ever cut shorter,
    # so the statements whose content holds a cue now are among those found here).
    contents = SpanIndex((s, e, j) for j, b in enumerate(found) if b.cue for s, e in b.content)
    for i, a in enumerate(out):
        if not a.cue:
            continue
        check_time()
        for j in sorted(set(contents.holding(a.cue[0][0]))):
            b = out[j]
            if b is a or not b.cue or b.cue[0][0] <= a.cue[0][0]:
                continue
            if _holds(a.content, b.cue[0][0]) and _holds(b.content, a.cue[0][0]):
                clause = min(x for x, _ in (*b.source, *b.cue) if x > a.cue[0][0])
                kept = cut_before(text, a.content, clause)
                if kept:
                    out[i] = a = replace(a, content=kept, type=statement_type(text, kept))
    return out


def cut_before(text: str, spans: tuple[Offsets, ...], cut: int) -> tuple[Offsets, ...]:
    """The fragments of ``spans`` before offset ``cut``, trimmed at their ends."""
    kept = (rstrip_span(text, s, min(e, cut)) for s, e in spans if s < cut)
    return tuple(span for span in kept if span is not None)


def rstrip_span(text: str, s: int, e: int) -> Offsets | None:
    """The span without trailing spaces and punctuation (None when nothing is left)."""
    while e > s and text[e - 1] in " \t\n,;:—–-":
        e -= 1
    return (s, e) if e > s else None


# Prepositions that put a statement in a medium or at a venue.
_MEDIUM_PREPS = frozenset(("in", "during", "at"))  # ("a source on the panel" is one of it)


def sources_without_media(found: list[Attribution], doc: Doc) -> list[Attribution]:
    """Sources after their cue cut before a medium the parser hung on the name: in "said
    executive chair Mara Lind in an email to staff", the source is Mara Lind, and the
    email is the statement's channel."""
    text = doc.text
    out = []
    for a in found:
        cut = None
        if not a.source or not a.cue or a.source[0][0] < a.cue[0][0]:
            # (before the verb the phrase says who the source is: "a narrator in the
            # Clinton ad", "one source on the panel")
            out.append(a)
            continue
        for s, e in a.source:
            span = doc.char_span(s, e, alignment_mode="expand")
            for t in span or ():
                if t.dep_ != "prep" or t.lower_ not in _MEDIUM_PREPS or t.i == span.start:
                    continue
                medium = any(c.dep_ == "pobj" and is_medium(c) for c in t.children)
                if medium:
                    cut = t.idx
                    break
            if cut is not None:
                break
        trimmed = cut_before(text, a.source, cut) if cut is not None else a.source
        out.append(replace(a, source=trimmed) if trimmed and trimmed != a.source else a)
    return out


# Dependencies by which a date hangs on a verb as the time of the act.
_TIME_DEPS = frozenset(("npadvmod", "tmod"))


def contents_without_times(found: list[Attribution], doc: Doc) -> list[Attribution]:
    """Indirect contents without the time of saying at their edges: in "officials said
    Monday the victim was ..." and "acknowledged staffing shortages Tuesday" the day is
    when it was said, not part of what was said (a day that is the subject stays:
    "said Monday was the deadline")."""
    text = doc.text
    out = []
    for a in found:
        span = _content_span(doc, a)
        if span is None:
            out.append(a)
            continue
        dates = [e for e in entities(span) if e.label_ in ("DATE", "TIME")]
        dates = [e for e in dates if e.root.dep_ in _TIME_DEPS]
        start, end = a.content[0][0], a.content[-1][1]
        cue_end = doc.char_span(*a.cue[-1], alignment_mode="expand")
        for e in dates:
            opens = e.start == span.start and cue_end is not None and e.start == cue_end.end
            if opens and e.end < span.end:
                start = doc[e.end].idx  # "said Monday the victim was ..."
            elif (
                e.end == span.end
                and e.start > span.start
                and not span.start <= e.root.head.i < span.end
            ):
                kept = rstrip_span(text, start, e.start_char)  # "... shortages Tuesday"
                end = kept[1] if kept else end
        if (start, end) == (a.content[0][0], a.content[-1][1]):
            out.append(a)
            continue
        content = [*a.content]
        content[0] = (start, content[0][1])
        content[-1] = (content[-1][0], end)
        if all(s < e for s, e in content):
            a = replace(a, content=tuple(content))
        out.append(a)
    return out


def _content_span(doc: Doc, a: Attribution):
    """The tokens of an indirect content with a cue, when they are more than two."""
    if a.type != "indirect" or not a.content or not a.cue:
        return None
    span = doc.char_span(a.content[0][0], a.content[-1][1], alignment_mode="expand")
    return span if span is not None and len(span) > 2 else None
