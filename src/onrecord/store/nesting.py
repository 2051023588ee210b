"""Statements inside statements: a report, and the statement it reports.

"The prosecutor's office said Mercer told the caller he would 'put a bullet in her
head'": the office's statement holds Mercer's.  They are two statements with two
speakers, whatever their words share, so:

* :func:`apart` gives, for each statement of an article, the statements of the same
  article nested in it or holding it: the clustering never puts a report in the same
  statement as one of those (nor lets it take a stored statement that one of those is
  more like), and so never gives the words of one speaker to the other;
* :func:`real_relays` keeps a statement's relay only where it is one: the statement
  reached the article through another publisher's report ("X said Y, TASS reported",
  "was quoted by Reuters as saying").  Enrichment marks every statement held by another
  as relayed by the outer speaker; a prosecutor's office paraphrasing a defendant did
  not relay the defendant's words, and a witness recounting a question did not publish
  it.  Whether a speaker is a publisher is read off its name (:func:`is_publisher`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from ..names import organisation_name, publishes
from ..records import ArticleResult, Offsets, Relay, Speaker, Statement
from .schema import reports


def _covers(outer: tuple[Offsets, ...], inner: tuple[Offsets, ...]) -> bool:
    """Every fragment of ``inner`` lies within a fragment of ``outer``, and ``outer``
    is longer: the same span twice is one quote found twice, not a nesting."""
    if not outer or not inner:
        return False
    longer = sum(e - s for s, e in outer) > sum(e - s for s, e in inner)
    return longer and all(any(os <= s and e <= oe for os, oe in outer) for s, e in inner)


def apart(statements: Sequence[Statement]) -> dict[str, set[str]]:
    """For each statement (by id), the statements of the same article whose content
    holds its content or lies within it."""
    found = sorted(
        (min(s for s, _ in st.content_spans), max(e for _, e in st.content_spans), k, st)
        for k, st in enumerate(statements)
        if st.content_spans
    )
    out: dict[str, set[str]] = {}
    for i, (_start, end, _k, outer) in enumerate(found):
        # Sorted by start: what it may hold or lie in starts before its end.
        for start, _end, _j, inner in found[i + 1 :]:
            if start >= end:
                break
            for a, b in ((outer, inner), (inner, outer)):
                if _covers(a.content_spans, b.content_spans):
                    out.setdefault(a.id, set()).add(b.id)
                    out.setdefault(b.id, set()).add(a.id)
    return out


def is_publisher(
    speaker: Speaker, is_outlet: Callable[[str], bool], cue: str | None = None
) -> bool:
    """A speaker that publishes news: named as an outlet is (``is_outlet``: an outlet
    the database or the article knows), or a publisher by its name or its cue
    (:func:`onrecord.names.publishes`)."""
    written = [w for w in (speaker.name, speaker.text) if w]
    if any(is_outlet(organisation_name(w)) for w in written):
        return True
    return publishes(written, speaker.kind, cue)


def real_relays(
    statements: tuple[Statement, ...], is_outlet: Callable[[str], bool]
) -> dict[str, Relay | None]:
    """Each statement's relay as the store keeps it (by statement id): the one the
    extraction found where its carrier is a publisher; None where it is not."""
    by_id = {st.id: st for st in statements}
    out: dict[str, Relay | None] = {}
    for st in statements:
        relay = st.relayed_by
        carrier = by_id.get(relay.statement) if relay and relay.statement else None
        if relay is None or (carrier is None and relay.name is None):
            out[st.id] = relay  # none, or "reportedly": relayed, by whom is not said
            continue
        if carrier is not None:
            real = is_publisher(carrier.speaker, is_outlet, carrier.cue_text)
        else:  # "was quoted by Reuters as saying"
            real = is_publisher(Speaker(text=relay.name, name=relay.name), is_outlet)
        out[st.id] = relay if real else None
    return out


def known_outlets(conn: Connection, result: ArticleResult) -> Callable[[str], bool]:
    """Whether a name is an outlet's: the article's own, one a statement of it was given
    to ("told the Harbour Gazette"), or one of a stored article (case folded, as the
    outlet index has them)."""
    known = {(result.article.outlet or "").casefold()} | {
        st.channel.name.casefold() for st in result.statements if st.channel
    }

    def is_outlet(name: str) -> bool:
        name = name.casefold()
        if not name:
            return False
        if name not in known:
            stored = select(reports.c.id).where(func.lower(reports.c.outlet) == name).limit(1)
            if conn.execute(stored).first() is None:
                return False
            known.add(name)
        return True

    return is_outlet
