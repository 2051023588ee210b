"""From the tagger's token segments to the spans of onrecord's record.

The tagger learned PolNeAR's spans; the record has conventions of its own where they
serve a reader better and cost (almost) nothing on the benchmark: a content without the
quotation marks around it but with the punctuation inside them, a cue without the
circumstances that enrichment reports separately.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable

from spacy.tokens import Doc

from ...records import Offsets
from ..passes import rstrip_span
from .decoding import Segment

_OPENING = frozenset("“„«‹‘‚\"'")
_CLOSING = frozenset("”»›’\"'")
_INNER_PUNCTUATION = ".,!?;:—–-…"

# Children of a cue's head word that are circumstances of the speech act, not part of
# it: "said Sunday in an interview with Interfax" is the cue "said", with a time and a
# channel that enrichment reads from the parse.  PolNeAR's annotators mostly agree (523
# dev cues are "said" alone, about 30 "said" with a time or a place); the tagger
# sometimes takes the circumstances in.  Cut only when what follows is nominal: "went
# on to discuss" or "warned of" keep their preposition (what each choice scored on dev:
# docs/benchmarks.md §7).
_CIRCUMSTANCE_DEPS = frozenset({"npadvmod", "prep", "advcl", "tmod", "obl"})


def cue_core(doc: Doc, seg: Segment) -> Segment:
    """The cue segment cut before the first circumstance after its head word."""
    toks = doc[seg.start : seg.end]
    root = toks.root
    for t in toks:
        if t.i <= root.i:
            continue
        child = t  # the child of the head word that ``t`` hangs from
        while child.head.i != root.i and child.head.i != child.i:
            child = child.head
        if child.head.i != root.i or child.dep_ not in _CIRCUMSTANCE_DEPS:
            continue
        if child.dep_ == "prep" and child.lower_ == "as":  # "was cited as saying"
            continue
        tail = doc[t.i : seg.end]
        nominal = any(x.pos_ in ("NOUN", "PROPN", "NUM") for x in tail)
        if nominal and not any(x.pos_ in ("VERB", "AUX") for x in tail) and t.i > seg.start:
            return Segment(seg.role, seg.start, t.i, seg.score)
        return seg
    return seg


def rstripped(text: str, spans: tuple[Offsets, ...]) -> tuple[Offsets, ...]:
    """Cue and source without trailing punctuation ("said:" → "said", "Lindqvist, the
    union chairman," → "... chairman"), unless it is all there is (the colon of
    "Kadyrov: ...")."""
    return tuple(rstrip_span(text, s, e) or (s, e) for s, e in spans)


def unquoted(text: str, spans: tuple[Offsets, ...]) -> tuple[Offsets, ...]:
    """Content fragments without the quotation marks around them (PolNeAR's spans take
    the marks in; onrecord's record gives what was said, as the rules do)."""
    out = []
    for s, e in spans:
        if e - s >= 2 and text[s] in _OPENING and text[e - 1] in _CLOSING:
            s, e = s + 1, e - 1
        elif (
            e - s >= 2
            and text[s] in _OPENING
            and text[s] not in "'"
            and not any(c in _CLOSING for c in text[s + 1 : e])
        ):
            s += 1  # a quote that runs on past the fragment (its mark closes it elsewhere)
        elif e - s >= 2 and text[e - 1] in "”»":
            e -= 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)


def with_inner_punctuation(
    text: str, spans: tuple[Offsets, ...], quote_ends: frozenset[int]
) -> tuple[Offsets, ...]:
    """A quoted fragment takes in the punctuation before the end of its quotation
    ("position clear." before the closing mark or the paragraph break of a quote that
    runs on), as the rules' contents do: it is part of what was said.  The tagger leaves
    such marks out about half the time; exact-match scores trim them either way."""
    out = []
    for s, e in spans:
        end = e
        while end < len(text) and text[end] in _INNER_PUNCTUATION:
            end += 1
        out.append((s, end if end > e and end in quote_ends else e))
    return tuple(out)


def without_narration(
    text: str,
    content: tuple[Offsets, ...],
    cue: tuple[Offsets, ...],
    quoted: Quoted | Iterable[Offsets],
) -> tuple[Offsets, ...]:
    """A quoted content without an unquoted fragment the tagger added right after the
    cue: in "'We will not raise income tax,' she said, to applause from the benches" the
    applause is the reporter's, not the speaker's.  Only when another fragment is a
    quotation (a mixed content of one piece keeps its unquoted words), and only a
    fragment that follows the cue with nothing but a comma or a dash between (its
    figures on dev and in the store: docs/benchmarks.md §7)."""
    if len(content) < 2:
        return content
    quotations = quoted if isinstance(quoted, Quoted) else Quoted(quoted)

    def inside(s: int, e: int) -> bool:
        return quotations.encloses(s, e)

    if not any(inside(s, e) for s, e in content):
        return content
    cue_end = cue[-1][1]
    kept = tuple(
        (s, e) for s, e in content if inside(s, e) or s < cue_end or text[cue_end:s].strip(" ,;—–-")
    )
    return kept or content


class Quoted:
    """A document's quotation fragments, asked whether one of them encloses a span (the
    furthest end among the fragments that start at or before it, by bisection)."""

    def __init__(self, spans: Iterable[Offsets]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach = list(itertools.accumulate((e for _, e in ordered), max))

    def encloses(self, s: int, e: int) -> bool:
        k = bisect.bisect_right(self.starts, s) - 1
        return k >= 0 and self.reach[k] >= e


def without(
    text: str, content: tuple[Offsets, ...], others: tuple[Offsets, ...]
) -> tuple[Offsets, ...]:
    """Content fragments with the relation's own source and cue cut out ("...
    informants," Kadyrov was quoted as saying: the tagger sometimes runs the content on
    over the source), each piece trimmed of the spaces left where it was cut."""
    out: list[Offsets] = []
    for s, e in content:
        pieces = [(s, e)]
        for cut_s, cut_e in others:
            pieces = [
                part
                for ps, pe in pieces
                for part in ((ps, min(pe, cut_s)), (max(ps, cut_e), pe))
                if part[1] > part[0]
            ]
        for ps, pe in pieces:
            if pe != e:
                while pe > ps and text[pe - 1].isspace():
                    pe -= 1
            if ps != s:
                while ps < pe and text[ps].isspace():
                    ps += 1
            if pe > ps:
                out.append((ps, pe))
    return tuple(out)
