"""Enrichment: from detected spans to full statements.

``enrich(doc, article, attributions)`` works on whatever a detector produced — it only
reads the spans — and adds who the speaker is (name, role, kind), the channel, the
relay (an outer statement that carries this one, or a hearsay cue), and the time of
the utterance.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from spacy.tokens import Doc, Token

from ..attribution.intervals import SpanIndex, TokenSet
from ..attribution.syntax import kids, subtree
from ..names import organisation_name
from ..nlp import check_time
from ..records import (
    Article,
    Attribution,
    Channel,
    Offsets,
    Relay,
    Speaker,
    Statement,
    span_text,
)
from .category import cue_category
from .channel import (
    find_channel,
    is_broadcaster,
    is_print_outlet,
    same_outlet,
    told_outlet,
    via_outlet,
)
from .mentions import MentionIndex
from .people import repair_people
from .speakers import SpeakerResolver
from .time import utterance_time


def _head(doc: Doc, spans: tuple[Offsets, ...]) -> Token | None:
    if not spans:
        return None
    span = doc.char_span(spans[0][0], spans[0][1], alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _token_indices(doc: Doc, spans: tuple[Offsets, ...]) -> TokenSet:
    ranges = []
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            ranges.append((span.start, span.end))
    return TokenSet(ranges)


def _hearsay_relay(cue_head: Token, resolver: SpeakerResolver) -> Relay | None:
    """'was cited as saying', 'is reported to have said', 'reportedly said': relayed by
    someone; named when the passive has an agent ('was quoted by Reuters as saying')."""
    dependents = kids(cue_head)
    passive = any(c.dep_ == "auxpass" for c in dependents)
    hearsay = any(c.lower_ == "reportedly" for c in dependents) or (
        passive
        and any(
            (c.dep_ == "prep" and c.lower_ == "as") or (c.dep_ == "xcomp" and c.lemma_ == "say")
            for c in dependents
        )
    )
    if not hearsay:
        return None
    for c in dependents:
        if c.dep_ == "agent":
            pobj = [p for p in kids(c) if p.dep_ == "pobj"]
            if pobj:
                toks = subtree(pobj[0])
                spans = ((toks[0].idx, toks[-1].idx + len(toks[-1])),)
                # "by the agency" is the agency the article named; "by the Kommersant
                # daily" is Kommersant.
                relay = resolver.resolve(spans, remember=False)
                return Relay(name=relay.name or organisation_name(relay.text or ""), spans=spans)
    return Relay(name=None, spans=())


def _outlet_relay(
    head: Token, channel: Channel | None, excluded: TokenSet, own: str | None
) -> Relay | None:
    """How the article came to know a statement from another publisher: "via USA
    Today", or "told the Ledger" (a print or online outlet: this article can only know
    it from the Ledger's report; a broadcaster is a channel only, and the article's own
    outlet relays nothing)."""
    via = via_outlet(head, excluded)
    if via is not None:
        toks, name = via
        return Relay(name=name, spans=((toks[0].idx, toks[-1].idx + len(toks[-1])),))
    if channel is None or not told_outlet(channel, head) or is_broadcaster(channel.name):
        return None
    # (with no outlet known for the article, whether it is another publisher is not)
    if not own or not is_print_outlet(channel.name) or same_outlet(own, channel.name):
        return None
    return Relay(name=channel.name, spans=channel.spans)


def _innermost_container(i: int, anchors: list[int], contents: SpanIndex) -> int | None:
    """The statement whose content holds statement ``i``'s cue (the shortest such; of
    two as short, the first).  ``contents``: every content fragment, with
    (its length, its statement's index)."""
    held = [x for x in contents.holding(anchors[i]) if x[1] != i]
    return min(held)[1] if held else None


class Enriched(NamedTuple):
    statements: list[Statement]
    people: list[str]  # full names of everyone the article names


def enrich(doc: Doc, article: Article, attributions: list[Attribution]) -> Enriched:
    text = article.text
    repair_people(doc)
    index = MentionIndex(doc)
    resolver = SpeakerResolver(doc, index, tuple(a.content for a in attributions))
    ids = [f"s{k + 1}" for k in range(len(attributions))]
    statements: list[Statement] = []
    for k, a in enumerate(attributions):
        check_time()
        cue_text = span_text(text, a.cue)
        if a.continues is not None and a.continues < len(statements):
            prev = statements[a.continues].speaker
            speaker = Speaker(text=None, name=prev.name, role=prev.role, kind=prev.kind)
        else:
            speaker = resolver.resolve(a.source)
        head = _head(doc, a.cue)
        channel = time = relay = None
        if head is not None:
            excluded = _token_indices(doc, a.content) | _token_indices(doc, a.source)
            channel = find_channel(head, excluded)
            time = utterance_time(head, excluded, article.published)
            relay = _hearsay_relay(head, resolver) or _outlet_relay(
                head, channel, excluded, article.outlet
            )
        statements.append(
            Statement(
                id=ids[k],
                type=a.type,
                cue_spans=a.cue,
                content_spans=a.content,
                cue_text=cue_text,
                cue_category=cue_category(head, a, doc),
                content_text=span_text(text, a.content),
                speaker=speaker,
                channel=channel,
                relayed_by=relay,
                time=time,
                confidence=a.confidence,
                continues=ids[a.continues] if a.continues is not None else None,
            )
        )
    # Nested attributions form a chain: a statement inside another's content was
    # relayed by the outer speaker ("..., TASS news agency reported").
    anchors = [a.cue[0][0] if a.cue else a.content[0][0] for a in attributions]
    contents = SpanIndex(
        (s, e, (e - s, j)) for j, a in enumerate(attributions) for s, e in a.content
    )
    for i, st in enumerate(statements):
        outer = _innermost_container(i, anchors, contents)
        if outer is None:
            continue
        carrier = statements[outer]
        statements[i] = replace(
            st,
            relayed_by=Relay(
                statement=carrier.id,
                name=carrier.speaker.name or carrier.speaker.text,
                spans=carrier.speaker.spans,
            ),
        )
    people = [name for name in index.people if len(name.split()) > 1]
    return Enriched(statements, people)
