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
from .channel import medium_relay, medium_year, told_outlet, via_outlet
from .outlets import is_broadcaster, is_outlet_name, is_print_outlet, same_outlet
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
    obtained = medium_relay(head, channel)
    if obtained is not None and not is_publisher(obtained[1], [t.lower_ for t in obtained[0]]):
        obtained = None  # ("a paper published in Biochemical Society Transactions")
    via = via_outlet(head, excluded) or obtained
    if via is not None:
        toks, name = via
        return Relay(name=name, spans=((toks[0].idx, toks[-1].idx + len(toks[-1])),))
    if channel is None or not told_outlet(channel, head) or is_broadcaster(channel.name):
        return None
    # (with no outlet known for the article, whether it is another publisher is not:
    # "in an interview with the Interfax news agency" stays a channel)
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
    if obtained_by_publisher(speaker.text):
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
    ("according to audio obtained by the Tribune": the Tribune; "a memo released by the
    leak site OpenVault": OpenVault), else its speaker."""
    return obtained_by_publisher(speaker.text) or speaker.name or speaker.text


def _obtained(text: str | None) -> tuple[re.Match[str], str] | None:
    """Where the words say a publisher obtained a document ("obtained by the Tribune",
    "leaked to the Ledger", "released by the leak site OpenVault"): the match and the
    publisher; not the body that issued it ("data released by MOTIE") nor the journal a
    paper appeared in ("published in the journal Nature Astronomy"), which are the
    source's own."""
    found = _OBTAINED_BY.search(text or "")
    if not found:
        return None
    phrase = found.group(1)
    name = publisher_named(phrase)
    return (found, name) if is_publisher(name, phrase.lower().split()) else None


def obtained_by_publisher(text: str | None) -> str | None:
    """The publisher a document came through, where the words say so."""
    obtained = _obtained(text)
    return obtained[1] if obtained else None


def is_publisher(name: str, words: list[str]) -> bool:
    """``name`` (written with ``words``) is a news outlet or a leak site."""
    leaks = any("leak" in w for w in words) or "site" in words or "website" in words
    return leaks or is_outlet_name(name) or publishes([name], "organization")


def publisher_named(phrase: str) -> str:
    """The name in a phrase naming a publisher: its last run of capitalised words ("the
    leak site OpenVault" → OpenVault), else the phrase less its article."""
    words = phrase.split()
    run: list[str] = []
    for w in reversed(words):
        if w[:1].isupper() or (run and w.lower() in ("of", "for", "and", "&")):
            run.insert(0, w)
        elif run:
            break
    while run and not run[0][:1].isupper():
        run.pop(0)
    return organisation_name(" ".join(run) if run else phrase)


# A document a publisher obtained, was given or published: the publisher relays what
# the document says ("emails obtained by the Harbour Gazette", "a memo leaked to the
# Ledger", "first reported by the Ledger", "published in the Courier").
_OBTAINED_BY = re.compile(
    r"\b(?:obtained|unearthed|released|published|leaked|reviewed|seen|reported|provided"
    r"|shared)\s+(?:by|to|in|with)\s+(?!this\b|our\b)(.+)$"
)


def medium_of(speaker: Speaker) -> str | None:
    """The kind of document a carrier is, where it is one a publisher obtained: "audio
    obtained by the Tribune" → recording, "An internal memo released by ..." → memo."""
    obtained = _obtained(speaker.text)
    if obtained is None:
        return None
    before = (speaker.text or "")[: obtained[0].start()].split()
    return medium_word(before[-1]) if before else None


# Words for one kind of document: a later "In the recording" is the audio obtained.
_SAME_MEDIUM = {"audio": "recording", "tape": "recording", "recordings": "recording"}


def medium_word(word: str) -> str:
    low = word.lower().strip(",.;:")
    low = _SAME_MEDIUM.get(low, low)
    return low[:-1] if low.endswith("s") and not low.endswith("ss") else low


_BACK_TO = re.compile(
    r"^(?:in|from)\s+(?:the\s+same|the|that|this|one|another|an?)\s+([\w-]+)", re.I
)


def medium_named(speaker: Speaker) -> str | None:
    """The document a speaker is, written as one already met: "the statement continued",
    "the memo says"."""
    words = (speaker.text or "").split()
    if len(words) == 2 and words[0].lower() in ("the", "that"):
        return medium_word(words[1])
    return None


def medium_referred(channel: Channel | None) -> str | None:
    """The document a channel points back to: "In the memo" → memo, "In one email" →
    email, "In the same interview" → interview."""
    found = _BACK_TO.match(channel.text) if channel is not None else None
    return medium_word(found.group(1)) if found else None


def cited_source(
    cue_head: Token, speaker: Speaker, resolver: SpeakerResolver
) -> tuple[Speaker, Relay] | None:
    """ "Reuters, citing two officials at the commission, reported that ...",
    "Interfax, citing a Defence Ministry statement, said ...": a publisher citing a
    source relays it, and the source is who speaks.  A person citing figures ("the
    councillor said, citing agency figures") still speaks for herself."""
    written = [w for w in (speaker.name, speaker.text) if w]
    if not written or not publishes(written, speaker.kind, cue_head.text):
        return None
    for c in kids(cue_head):
        if c.dep_ not in ("advcl", "xcomp", "prep") or c.lemma_.lower() != "cite":
            continue
        cited = [d for d in kids(c) if d.dep_ in ("dobj", "pobj")]
        if not cited:
            continue
        source = resolver.resolve(_spans_of(cited[0]), remember=False)
        relay = Relay(
            name=speaker.name or organisation_name(speaker.text or ""), spans=speaker.spans
        )
        return source, relay
    return None


def quoted_source(
    cue_head: Token, resolver: SpeakerResolver, content: TokenSet
) -> tuple[Speaker, Relay] | None:
    """ "The Vesti website quoted Gennady Belov as saying ...", "TASS quoted the ministry
    as saying ...": the one quoted speaks, the one quoting relays.  (A detection whose
    content is the person quoted is no statement of theirs.)"""
    verb = cue_head
    if cue_head.lemma_ == "say" and cue_head.dep_ in ("pcomp", "pobj"):
        as_ = cue_head.head
        verb = as_.head if as_.lower_ == "as" and as_.dep_ == "prep" else cue_head
    if verb.lemma_.lower() not in ("quote", "cite"):
        return None
    if not any(c.dep_ == "prep" and c.lower_ == "as" for c in kids(verb)):
        return None
    quoted = [c for c in kids(verb) if c.dep_ == "dobj"]
    quoting = [c for c in kids(verb) if c.dep_ == "nsubj"]
    if not quoted or not quoting or quoted[0].i in content:
        return None
    source = resolver.resolve(_spans_of(quoted[0]))
    by = resolver.resolve(_spans_of(quoting[0]), remember=False)
    name = by.name if by.kind != "person" or by.name else None
    return source, Relay(name=name or publisher_named(by.text or ""), spans=by.spans)


def _spans_of(token: Token) -> tuple[tuple[int, int], ...]:
    toks = subtree(token)
    return ((toks[0].idx, toks[-1].idx + len(toks[-1])),)
