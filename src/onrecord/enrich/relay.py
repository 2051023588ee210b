"""Relays and the other provenance read off a statement's circumstances.

* a hearsay cue: "was cited as saying", "was quoted by Reuters as saying";
* another publisher's report: "via USA Today", "told the Ledger" (in another
  publisher's article), material "obtained by the Tribune" or that "the Ledger
  unearthed";
* the carrier of a nested statement ("..., TASS reported"), named by the publisher that
  obtained the carrying document when the article says so;
* the year of a medium as the time of what was said in it ("a 2013 interview").
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from ..attribution.intervals import TokenSet
from ..attribution.syntax import kids, subtree
from ..names import organisation_name, publishes
from ..records import Channel, Relay, Speaker, Statement, Time
from .channel import (
    is_broadcaster,
    is_print_outlet,
    medium_relay,
    medium_year,
    same_outlet,
    told_outlet,
    via_outlet,
)
from .speakers import SpeakerResolver
from .time import resolve


def hearsay_relay(cue_head: Token, resolver: SpeakerResolver) -> Relay | None:
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


def outlet_relay(
    head: Token, channel: Channel | None, excluded: TokenSet, own: str | None
) -> Relay | None:
    """How the article came to know a statement from another publisher: "via USA
    Today", or "told the Ledger" (a print or online outlet: this article can only know
    it from the Ledger's report; a broadcaster is a channel only, and the article's own
    outlet relays nothing)."""
    via = via_outlet(head, excluded) or medium_relay(head, channel)
    if via is not None:
        toks, name = via
        return Relay(name=name, spans=((toks[0].idx, toks[-1].idx + len(toks[-1])),))
    if channel is None or not told_outlet(channel, head) or is_broadcaster(channel.name):
        return None
    # (with no outlet known for the article, whether it is another publisher is not)
    if not own or not is_print_outlet(channel.name) or same_outlet(own, channel.name):
        return None
    return Relay(name=channel.name, spans=channel.spans)


def medium_time(head: Token, channel: Channel | None, published: str | None) -> Time | None:
    """ "In a 2013 interview, Ortiz said": the year of the medium is the statement's."""
    year = medium_year(head, channel)
    if year is None:
        return None
    date, precision = resolve(year.text, published)
    return Time(
        text=year.text,
        spans=((year.idx, year.idx + len(year)),),
        date=date or f"{year.text}-01-01",
        precision=precision or "year",
    )


def carries(carrier: Statement, own_outlet: str | None) -> bool:
    """A statement that carries another is a relay when its speaker publishes news
    ("..., TASS reported", "according to the Ledger") or is material a publisher
    obtained ("according to audio obtained by the Tribune"), and is not the article's
    own outlet."""
    speaker = carrier.speaker
    written = [w for w in (speaker.name, speaker.text) if w]
    if _OBTAINED_BY.search(speaker.text or ""):
        return True
    if own_outlet and any(same_outlet(own_outlet, w) for w in written):
        return False
    # ("the Brookfield Ledger reported": an organisation that reports is an outlet,
    # whatever its name)
    reports = (carrier.cue_text or "").lower().split()[-1:] in (["reported"], ["reports"])
    return (speaker.kind == "organization" and reports) or publishes(
        written, speaker.kind, carrier.cue_text
    )


def carrier_name(speaker: Speaker) -> str | None:
    """Who carries a statement: the publisher that obtained the carrying document
    ("according to audio obtained by the Tribune": the Tribune), else its speaker."""
    found = _OBTAINED_BY.search(speaker.text or "")
    if found:
        return organisation_name(found.group(1))
    return speaker.name or speaker.text


_OBTAINED_BY = re.compile(
    r"\b(?:obtained|unearthed|released|published|leaked|reviewed|seen)\s+by\s+(.+)$"
)
