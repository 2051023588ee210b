"""Enrichment: from detected spans to full statements.

``enrich(doc, article, attributions)`` works on whatever a detector produced — it only
reads the spans — and adds who the speaker is (name, role, kind), the channel, the
relay (an outer statement that carries this one, or a hearsay cue), and the time of
the utterance.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from spacy.tokens import Doc

from ..attribution.intervals import SpanIndex, TokenSet
from ..attribution.syntax import head_of
from ..nlp import check_time
from ..records import Article, Attribution, Offsets, Relay, Speaker, Statement, span_text
from .category import cue_category
from .channel import OUTLET_ANAPHORS, find_channel, outlet_named_before
from .mentions import MentionIndex
from .outlets import is_outlet_name
from .people import repair_people
from .relay import (
    carrier_name,
    carries,
    cited_source,
    hearsay_relay,
    medium_named,
    medium_of,
    medium_referred,
    medium_time,
    medium_word,
    outlet_relay,
    quoted_source,
)
from .speakers import SpeakerResolver
from .time import utterance_time


def _token_indices(doc: Doc, spans: tuple[Offsets, ...]) -> TokenSet:
    ranges = []
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            ranges.append((span.start, span.end))
    return TokenSet(ranges)


def _innermost_container(i: int, anchors: list[int], contents: SpanIndex) -> int | None:
    """The statement whose content holds statement ``i``'s cue (the shortest such; of
    two as short, the first).  ``contents``: every content fragment, with
    (its length, its statement's index)."""
    held = [x for x in contents.holding(anchors[i]) if x[1] != i]
    return min(held)[1] if held else None


class Enriched(NamedTuple):
    statements: list[Statement]
    people: list[str]  # full names of everyone the article names


def _spoken(attributions: list[Attribution]) -> tuple[tuple[Offsets, ...], ...]:
    """The contents of statements someone makes: the people they talk about are no
    antecedents, where a sourceless "Trump sometimes seems fixated on China" is no
    statement of anyone's and hides no one."""
    return tuple(a.content for a in attributions if a.source or a.continues is not None)


def enrich(doc: Doc, article: Article, attributions: list[Attribution]) -> Enriched:
    text = article.text
    repair_people(doc)
    index = MentionIndex(doc)
    resolver = SpeakerResolver(doc, index, _spoken(attributions))
    ids = [f"s{k + 1}" for k in range(len(attributions))]
    statements: list[Statement] = []
    outlets: list[tuple[int, str]] | None = None  # the news outlets named, when asked
    for k, a in enumerate(attributions):
        check_time()
        cue_text = span_text(text, a.cue)
        if a.continues is not None and a.continues < len(statements):
            prev = statements[a.continues].speaker
            speaker = Speaker(text=None, name=prev.name, role=prev.role, kind=prev.kind)
        else:
            speaker = resolver.resolve(a.source)
        head = head_of(doc, a.cue)
        channel = time = relay = None
        if head is not None:
            excluded = _token_indices(doc, a.content) | _token_indices(doc, a.source)
            channel = find_channel(head, excluded)
            if channel is not None and channel.name in OUTLET_ANAPHORS:
                if outlets is None:
                    outlets = [(o, n) for o, n in index.org_mentions if is_outlet_name(n)]
                channel = outlet_named_before(channel, outlets)
            time = utterance_time(head, excluded, article.published)
            relay = hearsay_relay(head, resolver) or outlet_relay(
                head, channel, excluded, article.outlet
            )
            content = _token_indices(doc, a.content)
            cited = cited_source(head, speaker, resolver) or quoted_source(head, resolver, content)
            if cited is not None:
                # "Reuters, citing two officials, reported ...": the officials speak,
                # Reuters relays them
                speaker, relay = cited
            if time is None:
                time = medium_time(head, channel, article.published)
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
    # Nested attributions form a chain where the outer speaker publishes: a statement
    # inside a report's content was relayed by it ("..., TASS news agency reported").
    anchors = [a.cue[0][0] if a.cue else a.content[0][0] for a in attributions]
    contents = SpanIndex(
        (s, e, (e - s, j)) for j, a in enumerate(attributions) for s, e in a.content
    )
    for i, st in enumerate(statements):
        outer = _innermost_container(i, anchors, contents)
        if outer is None:
            continue
        carrier = statements[outer]
        if not carries(carrier, article.outlet):
            continue  # "the prosecutor's office said he told her ...": no publisher's report
        statements[i] = replace(
            st,
            relayed_by=Relay(
                statement=carrier.id,
                name=carrier_name(carrier.speaker),
                spans=carrier.speaker.spans,
            ),
        )
    statements = _with_documents_followed(_with_provenance_carried(statements))
    people = [name for name in index.people if len(name.split()) > 1]
    return Enriched(statements, people)


def _with_documents_followed(statements: list[Statement]) -> list[Statement]:
    """A statement made "in the memo", "in the recording", "in one email" after the
    article said a publisher obtained that memo, recording or emails came through the
    same publisher ("... according to audio obtained by the Tribune. In the recording,
    Halloran tells ...")."""
    obtained: dict[str, Relay] = {}
    by_id = {st.id: st for st in statements}
    out = []
    for st in statements:
        own = medium_of(st.speaker)
        if own is not None and st.relayed_by is None:
            # "The statement, which was obtained by Variety, claimed ...": the document
            # speaks, and came through Variety
            relay = Relay(statement=None, name=carrier_name(st.speaker), spans=st.speaker.spans)
            st = replace(st, relayed_by=relay)
        carrier = by_id.get(st.relayed_by.statement or "") if st.relayed_by else None
        medium = own or (medium_of(carrier.speaker) if carrier is not None else None)
        if medium is None and st.relayed_by is not None and st.channel is not None:
            medium = medium_word(st.channel.name or "")  # "a 2014 interview ... unearthed"
        if medium is not None and st.relayed_by is not None:
            obtained[medium] = st.relayed_by
        elif st.relayed_by is None:
            back_to = medium_referred(st.channel) or medium_named(st.speaker)
            if back_to in obtained:
                st = replace(st, relayed_by=obtained[back_to])
        out.append(st)
    return out


def _with_provenance_carried(statements: list[Statement]) -> list[Statement]:
    """A follow-on quote was said where and when the quote it follows was, and came
    through the same relay: ('"...," Ruiz told NBC on Friday. "..."' — both quotes are
    to NBC, on Friday)."""
    by_id = {st.id: st for st in statements}
    out = []
    for st in statements:
        first = by_id.get(st.continues) if st.continues else None
        if first is not None:
            st = replace(
                st,
                channel=st.channel or first.channel,
                time=st.time or first.time,
                relayed_by=st.relayed_by or first.relayed_by,
            )
            by_id[st.id] = st
        out.append(st)
    return out
