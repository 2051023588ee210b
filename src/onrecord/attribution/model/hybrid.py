"""The model's relations joined by what the rules find and PolNeAR never taught it.

PolNeAR annotates no attribution inside another one's content ("each token belongs to
at most one relation"), so the model reports either the Security Council's warning or
"..., TASS news agency reported" around it, never both; onrecord's relay chain is built
from exactly such pairs.  Nor does the model know follow-on quotes (a paragraph that is
only a quotation continues the last quoted speaker).  The rules know both, and run
anyway: their findings are among the model's features.  Where the rules read a
construction exactly and the tagger does not (passive hearsay, a source the parse makes
plain, a quote whose cue sits beside it rather than in the headline), their relation
wins.  What each step is worth on PolNeAR dev is in docs/benchmarks.md §7.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import replace

from ...nlp import check_time
from ...records import Attribution, Offsets
from ..frames import QuoteIndex
from ..intervals import SpanIndex, lines, overlaps_any, per_text
from ..passes import (
    exact_constructions,
    untangled,
    with_follow_ons,
    without_borrowed_quotes,
    yielding,
)
from ..quotes import Quote, statement_type
from . import spans

# A rule attribution that shares nothing with the model's is added only when the rules
# are this sure of it (or it is a "Name: statement" headline, a form news articles use
# far more than PolNeAR's): it keeps what the rules find plainly on text unlike
# PolNeAR's, at no cost on PolNeAR (docs/benchmarks.md §7).
FREE_RULE_CONFIDENCE = 0.75


def _inside(spans: tuple[Offsets, ...], outer: tuple[Offsets, ...]) -> bool:
    return bool(spans) and all(any(s <= a and b <= e for s, e in outer) for a, b in spans)


def _paragraph(text: str, offset: int) -> int:
    return lines(text).previous_break(offset)


def _cue_in_content_paragraph(a: Attribution, text: str) -> bool:
    cue = _paragraph(text, a.cue[0][0])
    return any(cue == _paragraph(text, s) for s, _ in a.content)


def _displaced(found: list[Attribution], rules: list[Attribution], text: str) -> list[Attribution]:
    """The model's relations, each replaced by the rules' one for the same content when
    the model took its cue from another paragraph (a headline: "Dockers strike at
    Rivna" over "'We cannot afford a long stoppage,' Reyes told the Gazette") and the
    rules found a sure cue beside the quote."""
    out: list[Attribution] = []
    taken: set[Attribution] = set()  # (``r not in out``, by equality, as a set)
    # The rules' relations that may replace one, by their content fragments.
    sure = SpanIndex(
        (s, e, k)
        for k, r in enumerate(rules)
        if r.cue and r.continues is None and r.confidence >= FREE_RULE_CONFIDENCE
        for s, e in r.content
    )
    for a in found:
        better = None
        if a.cue and not _cue_in_content_paragraph(a, text):
            # The first of the rules' relations (in their order) that qualifies.
            near = sorted({k for s, e in a.content for k in sure.overlapping(s, e)})
            for k in near:
                r = rules[k]
                if r not in taken and _cue_in_content_paragraph(r, text):
                    better = r
                    break
        chosen = better or a
        out.append(chosen)
        taken.add(chosen)
    return out


def _with_rule_sources(
    found: list[Attribution], rules: list[Attribution], text: str
) -> list[Attribution]:
    """A model relation without a source takes the source the rules give the same cue
    (the tagger sometimes leaves out a source the parse makes plain: "it said"), and
    its content loses that source where the tagger had taken it in ("...informants,"
    Kadyrov was quoted as saying)."""
    out = []
    cues = SpanIndex((s, e, k) for k, r in enumerate(rules) if r.source for s, e in r.cue)
    for a in found:
        if not a.source:
            # The first of the rules' relations (in their order) with a source and a cue
            # overlapping this one's.
            same = min((k for s, e in a.cue for k in cues.overlapping(s, e)), default=None)
            if same is not None:
                source = rules[same].source
                content = spans.unquoted(text, spans.without(text, a.content, source))
                if content:
                    kind = statement_type(text, content)
                    a = replace(a, source=source, content=content, type=kind)
        out.append(a)
    return out


def joined(
    found: list[Attribution],
    rules: list[Attribution],
    quotes: list[Quote],
    text: str,
    reports: Callable[[Attribution], bool] = lambda a: True,
) -> list[Attribution]:
    """``found`` (the model's, in reading order) with the rules' nested, enclosing and
    plainly separate attributions, and follow-on quotes over the whole.  A nested one
    is taken only when ``reports`` says its cue reports something (said, warned,
    believed, showed): "the city would revisit the library cuts", inside the mayor's
    statement, is what she said the city would do, not a statement of the city's."""
    found = _with_rule_sources(_displaced(found, rules, text), rules, text)
    exact = exact_constructions(rules, text)
    found = [*yielding(found, exact, text), *exact]
    claimed = SpanIndex((s, e, None) for a in found for s, e in (*a.cue, *a.source))
    everything = SpanIndex((s, e, None) for a in found for s, e in (*a.cue, *a.source, *a.content))
    contents = SpanIndex((s, e, a) for a in found for s, e in a.content)
    cues = SpanIndex((s, e, a) for a in found for s, e in a.cue)
    extra = []
    for r in rules:
        check_time()
        if not r.cue or r.continues is not None:
            continue  # follow-ons are worked out again over the joined list
        if overlaps_any(claimed, r.cue) or overlaps_any(claimed, r.source):
            continue
        # (each test as the scan over ``found`` it replaces: a content holding all of
        # r's cue, a cue inside r's content)
        s, e = r.cue[0]
        nested = any(_inside(r.cue, a.content) for a in contents.enclosing(s, e)) and reports(r)
        enclosing = any(
            _inside(a.cue, r.content) for fs, fe in r.content for a in cues.overlapping(fs, fe)
        )
        separate = not overlaps_any(everything, r.cue) and not overlaps_any(everything, r.content)
        plain = r.confidence >= FREE_RULE_CONFIDENCE or text[r.cue[0][0] : r.cue[0][1]] == ":"
        if nested or enclosing or (separate and plain):
            extra.append(r)
    out = sorted([*found, *yielding(extra, exact, text)], key=lambda a: a.cue[0][0])
    out = _relays_with_fronted_phrases(out, text)
    out = without_borrowed_quotes(untangled(out, text), text)
    return with_follow_ons(out, QuoteIndex(quotes), text)


# A phrase fronted before a relayed speaker: "In September, ", "On Monday, ".
_FRONTED = re.compile(r"[^\n\"“”‘’,.;:!?]{2,60},\s+$")


_SENTENCE_END = re.compile(r"[.?!] ")


def _sentence_start(text: str, offset: int) -> int:
    """After the last '. ', '? ' or '! ' or line break before ``offset`` (1 when there
    is none, as ``text.rfind(". ", 0, offset) + 2`` gives)."""
    line_start = lines(text).line_start(offset)
    ends = per_text("sentence_ends", text, _sentence_ends)
    k = bisect.bisect_right(ends, offset - 2) - 1
    return max(line_start, ends[k] + 2 if k >= 0 else 1)


def _sentence_ends(text: str) -> list[int]:
    return [m.start() for m in _SENTENCE_END.finditer(text)]


def _relays_with_fronted_phrases(found: list[Attribution], text: str) -> list[Attribution]:
    """A statement that relays another carries all of it: in "In September, Russia's
    Security Council warned ..., TASS reported", TASS reported the September too.  The
    tagger follows PolNeAR, which leaves such a phrase out of a content about as often
    as it takes it in; a relaying content that starts at the relayed speaker takes in
    the phrase fronted before it."""
    out = []
    by_source: dict[int, list[Attribution]] = {}
    for r in found:
        if r.source:
            by_source.setdefault(r.source[0][0], []).append(r)
    for a in found:
        first = a.content[0] if a.content else None
        relayed = first is not None and any(
            r is not a and _inside(r.cue, a.content) for r in by_source.get(first[0], ())
        )
        if relayed:
            start = _sentence_start(text, first[0])
            if start < first[0] and _FRONTED.fullmatch(text[start : first[0]]):
                content = ((start, first[1]), *a.content[1:])
                a = replace(a, content=content, type=statement_type(text, content))
        out.append(a)
    return out
