"""Where a word that may head a cue stands: its syntactic frame, and the quotations
beside it.

The frame (see :mod:`.lexicon`) is what the cue lexicon is keyed by.  The rule-based
detector, the trained model's features and the cue counts of ``build-lexicon`` and
``train`` all read it through :func:`frame_of`, with the article's quotations in a
:class:`QuoteIndex`.  :func:`quote_before` and :func:`quote_after` find the quotation a
cue closes or introduces, :func:`attribution_tokens` the words that may stand between
the two.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Doc, Token

from .intervals import lines
from .quotes import Quote
from .syntax import children, doc_text, kids, sentence, subtree_indices

# The parts of speech of a word that may head a cue (the lexicon's counts are kept for
# these).
CANDIDATE_POS = ("VERB", "AUX", "NOUN")
# Verbs whose direct object is the addressee, not the content ("told reporters that").
ADDRESSEE_VERBS = frozenset(
    ["tell", "inform", "notify", "assure", "remind", "ask", "warn", "urge", "advise"]
)
_QUOTE_GAP = set(" \t\n\r,:;—–-")


class QuoteIndex:
    """Quotations of one article, searchable by offset."""

    def __init__(self, quotes: list[Quote]) -> None:
        self.quotes = quotes
        self.starts = [q.start for q in quotes]

    def containing(self, offset: int) -> Quote | None:
        k = bisect.bisect_right(self.starts, offset) - 1
        if k >= 0 and self.quotes[k].start <= offset < self.quotes[k].end:
            return self.quotes[k]
        return None

    def ending_before(self, offset: int, limit: int) -> Quote | None:
        """The last quote that ends at or before ``offset`` and after ``limit``."""
        k = bisect.bisect_right(self.starts, offset) - 1
        while k >= 0:
            q = self.quotes[k]
            if q.end <= offset:
                return q if q.end > limit else None
            k -= 1
        return None

    def starting_after(self, offset: int, limit: int) -> Quote | None:
        k = bisect.bisect_left(self.starts, offset)
        if k < len(self.quotes) and self.quotes[k].start < limit:
            return self.quotes[k]
        return None


def frame_of(token: Token, quotes: QuoteIndex) -> str:
    """The syntactic frame of a potential cue word (see lexicon.py)."""
    if token.pos_ == "NOUN":
        for c in kids(token):
            if c.dep_ in ("acl", "ccomp", "relcl") and any(
                m.dep_ == "mark" and m.lower_ in ("that", "to") for m in kids(c)
            ):
                return "clause"
            if c.dep_ == "acl" and c.tag_ == "VB":  # "a proposal to ban ..."
                return "clause"
        preps = children(token, "prep")
        if preps:
            return "prep:" + preps[0].lower_
        return "none"
    if token.lemma_ == "be":
        # "was sure that ...", "is critical of ...": the adjective carries the meaning.
        acomp = children(token, "acomp")
        if acomp:
            return "acomp:" + acomp[0].lemma_.lower()
    if children(token, "ccomp"):
        return "ccomp"
    if _adjacent_quote(token, quotes) is not None:
        return "quote"
    if children(token, "xcomp"):
        return "xcomp"
    if children(token, "dobj"):
        return "dobj"
    preps = [p for p in children(token, "prep") if p.i > token.i]
    if preps:
        return "prep:" + preps[0].lower_
    return "none"


def _gap_ok(text: str, start: int, end: int, allowed: set[int], doc: Doc) -> bool:
    """True when text[start:end] holds only separators and tokens from ``allowed``."""
    if end < start:
        return False
    span = doc.char_span(start, end, alignment_mode="expand") if end > start else None
    if span is None:
        return all(ch in _QUOTE_GAP for ch in text[start:end])
    return all(t.i in allowed or t.is_punct or t.is_space for t in span)


def _adjacent_quote(token: Token, quotes: QuoteIndex) -> Quote | None:
    """A quotation the cue word introduces or closes, if any."""
    found = quote_before(token, quotes) or quote_after(token, quotes)
    return found


# Dependents that may stand between a quote and the cue verb on each side:
# '"…," the minister also said' (subject, adverbs) and 'said on Sunday in a statement:
# "…"' (circumstances, the addressee of "told", an inverted subject).
_BEFORE_DEPS = frozenset(("nsubj", "nsubjpass", "aux", "auxpass", "neg", "advmod", "npadvmod"))
_AFTER_DEPS = frozenset(
    ("nsubj", "nsubjpass", "prep", "npadvmod", "advmod", "agent", "prt", "dative", "punct")
)


def attribution_tokens(token: Token, side: str = "after") -> set[int]:
    """Tokens that may sit between a cue and its quote on one side of the cue."""
    deps = _BEFORE_DEPS if side == "before" else _AFTER_DEPS
    addressee = token.lemma_.lower() in ADDRESSEE_VERBS
    out = {token.i}
    for c in kids(token):
        if c.dep_ == "punct" and not c.is_punct:
            continue  # a misparsed clause hung on as punctuation
        if c.dep_ in deps or c.dep_ == "punct" or (c.dep_ == "dobj" and addressee):
            out |= subtree_indices(c)
    return out


def quote_before(token: Token, quotes: QuoteIndex) -> Quote | None:
    """`"...," X said` / `"...," said X`: a quote closing just before the attribution."""
    doc = token.doc
    start = token.idx
    q = quotes.ending_before(start, sentence(token).start_char - 2)
    if q is None:
        # A quote of several sentences may open before the sentence spaCy gave us.
        q = quotes.ending_before(start, -1)
        if q is None or q.end < sentence(token).start_char - 1:
            return None
    text = doc_text(doc)
    if "\n" in text[q.end : start]:
        return None
    if not _gap_ok(text, q.end, start, attribution_tokens(token, "before"), doc):
        return None
    if not _opens_its_sentence(doc, q):
        return None  # 'He said the plan was "a disgrace," the agency reported'
    if any(q.start <= s.idx < q.end for s in children(token, "nsubj", "nsubjpass")):
        return None  # '"Built to last" is painted on the gate': the quote is the subject
    return q


def _opens_its_sentence(doc: Doc, q: Quote) -> bool:
    """The quote stands at the start of its sentence (or line): nothing but
    punctuation before it, so it is the whole of what is reported."""
    text = doc_text(doc)
    line_start = lines(text).line_start(q.start)
    opening = doc.char_span(q.start, q.start + 1, alignment_mode="expand")
    start = line_start
    if opening is not None and len(opening):
        start = max(line_start, sentence(opening[0]).start_char)
    return not any(ch.isalnum() for ch in text[start : q.start])


def quote_after(token: Token, quotes: QuoteIndex) -> Quote | None:
    """`X said: "..."` / `X said, "..."`: a quote opening just after the attribution."""
    doc = token.doc
    end = token.idx + len(token)
    q = quotes.starting_after(end, sentence(token).end_char + 3)
    if q is None:
        return None
    gap = doc_text(doc)[end : q.start]
    if "\n" in gap and not gap.rstrip().endswith(":"):
        return None
    allowed = attribution_tokens(token, "after")
    if not _gap_ok(doc_text(doc), end, q.start, allowed, doc):
        return None
    inner = doc.char_span(q.fragments[0][0], q.fragments[0][1], alignment_mode="expand")
    if inner is not None and len(inner) and inner[0].i in allowed:
        return None  # the quote belongs to a phrase of the cue ("warned of ... 'x'")
    if not _closes_its_sentence(doc, q):
        return None  # 'called the plan "a disgrace" and left': a quoted phrase
    return q


def _closes_its_sentence(doc: Doc, q: Quote) -> bool:
    text = doc_text(doc)
    line_end = lines(text).line_end(q.end)
    closing = doc.char_span(q.end - 1, q.end, alignment_mode="expand")
    end = line_end
    if closing is not None and len(closing):
        end = min(line_end, sentence(closing[-1]).end_char)
    return not any(ch.isalnum() for ch in text[q.end : end])
