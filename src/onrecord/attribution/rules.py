"""The rule-based detector: cue words in their syntactic frame, quotation marks, and the
dependency parse.

For every word that can head a cue (a verb, "according to", a noun such as "claim", a
colon after a name) it reads the frame the word sits in, asks the lexicon how likely that
word in that frame introduces an attribution, and, above a threshold, takes the source
from the subject and the content from the clause, object or quotation the frame points
to.  Quotations then take precedence over clauses for the content's boundaries; quotes
split by the attribution and follow-on quote paragraphs join the statement they continue.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from ..nlp import check_time
from ..records import Article, Attribution, Offsets
from . import register
from .intervals import SpanIndex, lines, overlaps_any
from .lexicon import CueLexicon, default_lexicon
from .quotes import ALL_MARKS, Quote, find_quotes, statement_type
from .syntax import (
    children,
    cue_phrase,
    doc_text,
    fragments,
    kids,
    lefts,
    rights,
    sentence,
    subject_of,
    subtree,
    subtree_indices,
)

DEFAULT_THRESHOLD = 0.3
STRONG_CUE = 0.6
# "was cited as saying" is attribution whatever the counts say about "cite".
HEARSAY_P = 0.85
CANDIDATE_POS = ("VERB", "AUX", "NOUN")
# Prepositions that introduce the content of a cue ("warned of", "spoke about").
CONTENT_PREPS = frozenset(
    ["of", "about", "on", "for", "against", "to", "over", "with", "at", "into", "as", "in", "from"]
)
# Verbs whose direct object is the addressee, not the content ("told reporters that").
ADDRESSEE_VERBS = frozenset(
    ["tell", "inform", "notify", "assure", "remind", "ask", "warn", "urge", "advise"]
)
# Passive hearsay: "X was cited / quoted as saying ..."
HEARSAY_VERBS = frozenset(["cite", "quote", "report", "say"])
SPEECH_FORMS = frozenset(["say", "saying", "said", "tell", "telling", "told"])
_QUOTE_GAP = set(" \t\n\r,:;—–-")


@dataclass
class Candidate:
    head: Token
    frame: str
    p: float
    cue: set[int]
    source: set[int] = field(default_factory=set)
    content: tuple[Offsets, ...] = ()
    quote: Quote | None = None

    @property
    def start(self) -> int:
        return self.head.idx


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
    found = _quote_before(token, quotes) or _quote_after(token, quotes)
    return found


# Dependents that may stand between a quote and the cue verb on each side:
# '"…," the minister also said' (subject, adverbs) and 'said on Sunday in a statement:
# "…"' (circumstances, the addressee of "told", an inverted subject).
_BEFORE_DEPS = frozenset(("nsubj", "nsubjpass", "aux", "auxpass", "neg", "advmod", "npadvmod"))
_AFTER_DEPS = frozenset(
    ("nsubj", "nsubjpass", "prep", "npadvmod", "advmod", "agent", "prt", "dative", "punct")
)


def _attribution_tokens(token: Token, side: str = "after") -> set[int]:
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


def _quote_before(token: Token, quotes: QuoteIndex) -> Quote | None:
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
    if not _gap_ok(text, q.end, start, _attribution_tokens(token, "before"), doc):
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


def _quote_after(token: Token, quotes: QuoteIndex) -> Quote | None:
    """`X said: "..."` / `X said, "..."`: a quote opening just after the attribution."""
    doc = token.doc
    end = token.idx + len(token)
    q = quotes.starting_after(end, sentence(token).end_char + 3)
    if q is None:
        return None
    gap = doc_text(doc)[end : q.start]
    if "\n" in gap and not gap.rstrip().endswith(":"):
        return None
    allowed = _attribution_tokens(token, "after")
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


# The dashes that sign a quotation ('"..." ― Name').
SIGNATURE_DASHES = frozenset(("―", "—", "–", "--"))


def _short_name(tokens: list[Token]) -> bool:
    """Up to six tokens that name someone: no verb, pronoun or number, and either a
    named entity or words a name is written in (capitalised, all capitals: headlines
    capitalise every word and the tagger often calls a name a noun)."""
    if not tokens or len(tokens) > 6:
        return False
    if any(t.pos_ in ("VERB", "AUX", "PRON", "NUM", "ADP", "CCONJ") for t in tokens):
        return False
    if any(t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") for t in tokens):
        return True
    name_like = all(
        t.pos_ == "PROPN" or t.text.istitle() or (t.is_upper and t.is_alpha) or t.is_punct
        for t in tokens
    )
    return name_like and tokens[0].pos_ != "DET" and not tokens[0].is_punct


def _inverted_name(head: Token) -> set[int]:
    """'..., said Per Lundqvist, chairman of ...' where the parser missed the subject
    (here it took "Per" for a preposition): the name right after the cue."""
    for c in rights(head):
        if c.is_punct or c.is_space:
            continue
        words = subtree(c)
        first = words[0]
        if first.i == head.i + 1 and (first.pos_ == "PROPN" or first.ent_type_ == "PERSON"):
            return {t.i for t in words}
        return set()
    return set()


def _noun_phrase(token: Token) -> set[int]:
    """A subject's span: its subtree without relative clauses ("Christie, who has
    campaigned for Trump, said" has the source "Christie")."""
    clauses = [c for c in rights(token) if c.dep_ in ("relcl", "acl")]
    idx = subtree_indices(token, exclude=clauses)
    if clauses:
        # Drop the comma that opened the clause.
        last = max(idx)
        while last in idx and token.doc[last].is_punct and last > token.i:
            idx.discard(last)
            last -= 1
    return idx


class RuleDetector:
    name = "rules"

    def __init__(
        self, lexicon: CueLexicon | None = None, threshold: float = DEFAULT_THRESHOLD
    ) -> None:
        self.lexicon = lexicon or default_lexicon()
        self.threshold = threshold

    # -- candidates -----------------------------------------------------------------

    def _candidates(self, doc: Doc, quotes: QuoteIndex, excluded) -> list[Candidate]:
        found: list[Candidate] = []
        boilerplate = SpanIndex((s, e, None) for s, e in excluded)
        for token in doc:
            if not token.i & 255:
                check_time()
            if boilerplate and boilerplate.any_holding(token.idx):
                continue
            cand = None
            if token.lower_ == "according" and any(c.lower_ == "to" for c in kids(token)):
                cand = self._according_to(token)
            elif token.text in SIGNATURE_DASHES:
                cand = self._signed(token, quotes)
            elif token.pos_ in CANDIDATE_POS and token.dep_ != "amod":
                # (an adjectival participle, "the so-called 'harbour tax'", reports nothing)
                speech_of_governor = _hearsay_speech(token.head.head)
                if speech_of_governor is not None and speech_of_governor.i == token.i:
                    continue  # "saying" in "was quoted as saying": part of that cue
                frame = frame_of(token, quotes)
                p = self.lexicon.probability(token.lemma_.lower(), token.pos_, frame)
                if _hearsay_speech(token) is not None:
                    p = max(p, HEARSAY_P)
                if p < STRONG_CUE and quotes.containing(token.idx) is not None:
                    # Inside a quotation only clear reporting ("he told me, '...'") is
                    # speech of another speaker; "we're scaring ourselves" is not.
                    continue
                if p >= self.threshold:
                    cand = self._build(token, frame, p, quotes)
            elif token.text == ":" and token.i > 0:
                cand = self._colon(token)
            if cand is not None and cand.content:
                found.append(cand)
        return found

    def _build(self, head: Token, frame: str, p: float, quotes: QuoteIndex) -> Candidate:
        cand = Candidate(head=head, frame=frame, p=p, cue=cue_phrase(head))
        doc = head.doc
        if head.pos_ == "NOUN":
            poss = children(head, "poss")
            if poss:
                # "The minister's claim": the source is "The minister", not the "'s".
                cand.source = {i for i in subtree_indices(poss[0]) if doc[i].dep_ != "case"}
                cand.cue.discard(poss[0].i)
            clause = [c for c in kids(head) if c.dep_ in ("acl", "ccomp", "relcl")]
            if frame == "clause" and clause:
                cand.content = fragments(doc, subtree_indices(clause[0]))
            elif frame.startswith("prep:"):
                prep = children(head, "prep")[0]
                cand.cue.add(prep.i)
                cand.content = fragments(doc, subtree_indices(prep) - {prep.i})
            return cand

        subj = subject_of(head)
        passive = bool(children(head, "auxpass"))
        agent = children(head, "agent")
        speech = None
        if passive and head.lemma_.lower() in HEARSAY_VERBS:
            speech = self._hearsay(cand)
        elif passive and agent:
            pobj = children(agent[0], "pobj")
            if pobj:
                cand.source = _noun_phrase(pobj[0])
        elif subj is not None and subj.dep_ != "nsubjpass":
            cand.source = _noun_phrase(subj)
        elif _quote_before(head, quotes) is not None:
            cand.source = _inverted_name(head)

        cand.content, cand.quote = self._verb_content(head, frame, cand, quotes)
        if speech is not None and cand.quote is None and _content_clause(speech) is not None:
            # "was quoted as saying that ...": the clause hangs on "saying".
            cand.content = fragments(doc, subtree_indices(_content_clause(speech)))
        return cand

    def _verb_content(
        self, head: Token, frame: str, cand: Candidate, quotes: QuoteIndex
    ) -> tuple[tuple[Offsets, ...], Quote | None]:
        """The content of a verb cue: the quote it frames, its clause, its object, or
        the sentence it trails ("The economy is strong, the minister said")."""
        doc = head.doc
        if frame.startswith("acomp:"):
            return self._adjective_content(head, cand)
        # A quote before the cue needs a speaker after it ('"…," Reyes said'); with none,
        # the quote is what the sentence is about ('"Built to last" is painted on it').
        before = _quote_before(head, quotes) if cand.source else None
        quote = before or _quote_after(head, quotes)
        clause = _content_clause(head)
        if quote is not None and (clause is None or _covers(quote, subtree_indices(clause), doc)):
            return quote.fragments, quote
        if clause is not None:
            idx = subtree_indices(clause)
            inner = quotes.containing(clause.idx)
            if inner is not None and inner.start < clause.idx and _covers(inner, idx, doc):
                return inner.fragments, inner
            if clause.i < head.i:
                # "A, but B, the source added": everything the attribution trails, not
                # just the one clause the parser hung on it.
                trailing = _trailing_content(head, cand)
                if clause.i in trailing:
                    idx = trailing
            return fragments(doc, idx), None
        xcomp = children(head, "xcomp")
        objects = children(head, "dobj")
        if xcomp and frame in ("xcomp", "ccomp", "quote"):
            idx = subtree_indices(xcomp[0])
            # "urged Republicans to join": the object is who is to act, part of the content.
            for obj in objects:
                if obj.i < xcomp[0].i:
                    idx |= subtree_indices(obj)
            return fragments(doc, idx), None
        if objects and frame in ("dobj", "ccomp", "quote"):
            obj = objects[0]
            idx = subtree_indices(obj)
            for c in kids(head):
                if c.i > obj.i and (
                    c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ in ("as", "of", "for"))
                ):
                    idx |= subtree_indices(c)
            return fragments(doc, idx), None
        if frame.startswith("prep:"):
            prep = next(p for p in children(head, "prep") if p.i > head.i)
            pobj = children(prep, "pobj")
            if prep.lower_ in CONTENT_PREPS and pobj and not _circumstance(pobj[0]):
                cand.cue.add(prep.i)
                return fragments(doc, subtree_indices(prep) - {prep.i}), None
        if head.dep_ == "parataxis" and cand.source:
            # "The economy, the minister said, is strong": the cue hangs off the content.
            return fragments(doc, subtree_indices(head.head, exclude=[head])), None
        return fragments(doc, _trailing_content(head, cand)), None

    def _adjective_content(
        self, head: Token, cand: Candidate
    ) -> tuple[tuple[Offsets, ...], Quote | None]:
        """'was sure Trump would win', 'is critical of the plan', 'is eager to go'."""
        doc = head.doc
        adj = children(head, "acomp")[0]
        cand.cue.add(adj.i)
        clause = children(head, "ccomp") or children(adj, "ccomp", "xcomp")
        if clause:
            return fragments(doc, subtree_indices(clause[0])), None
        for prep in children(adj, "prep"):
            pobj = children(prep, "pobj", "pcomp")
            if pobj:
                cand.cue.add(prep.i)
                return fragments(doc, subtree_indices(prep) - {prep.i}), None
        return (), None

    def _hearsay(self, cand: Candidate) -> Token | None:
        """'X was cited as saying': the cue runs to the speech verb, the source is X.
        Returns the speech verb, whose clause (if any) is the content."""
        head = cand.head
        subj = children(head, "nsubjpass")
        if subj:
            cand.source = _noun_phrase(subj[0])
        speech = _hearsay_speech(head)
        if speech is not None:
            cand.cue |= {speech.head.i, speech.i}
            return speech
        for x in children(head, "xcomp"):
            # "is reported to have said"
            if x.lemma_ == "say":
                cand.cue |= {t.i for t in subtree(x) if t.i <= x.i and t.dep_ == "aux"}
                cand.cue.add(x.i)
                return x
        return None

    def _according_to(self, token: Token) -> Candidate | None:
        to = next(c for c in kids(token) if c.lower_ == "to")
        pobj = children(to, "pobj")
        if not pobj:
            return None
        cand = Candidate(head=token, frame="according", p=0.9, cue={token.i, to.i})
        cand.source = subtree_indices(pobj[0])
        sent = sentence(token)
        prep = subtree_indices(token)
        clause = token.head
        if clause.i == token.i or sentence(clause) != sent:
            return None
        # The rest of the sentence, without its full stop (as every indirect content).
        last = next((t for t in reversed(sent) if not t.is_space), sent[-1])
        idx = {t.i for t in sent if t.i not in prep and not (t == last and t.text in ".!?")}
        cand.content = fragments(token.doc, idx)
        return cand

    def _colon(self, colon: Token) -> Candidate | None:
        """'Kadyrov: "..."' or a headline 'Putin: The West is ...' — a short name at the
        start of a line, a colon, and the rest of the line."""
        doc = colon.doc
        text = doc_text(doc)
        newlines = lines(text)
        line_start = newlines.line_start(colon.idx)
        line_end = newlines.line_end(colon.idx)
        line = doc.char_span(line_start, line_end, alignment_mode="expand")
        if line is None:
            return None
        # The words before the colon, from the colon back: more than six that are not
        # quotation marks are no short name, and the rest of the line is not read.
        before = []
        words = 0
        for i in range(colon.i - 1, line.start - 1, -1):
            t = doc[i]
            if t.is_space:
                continue
            before.append(t)
            if t.text not in ALL_MARKS:
                words += 1
                if words > 6:
                    return None
        before.reverse()
        # A transcript turn opens its paragraph with a quotation mark: '"HOST: ...'.
        while before and before[0].text in ALL_MARKS:
            before.pop(0)
        if not _short_name(before):
            return None
        after = [doc[i] for i in range(colon.i + 1, line.end) if not doc[i].is_space]
        while after and after[-1].text in ALL_MARKS:
            after.pop()  # the mark that closes the last turn of a quoted transcript
        if len(after) < 3:
            return None
        cand = Candidate(head=colon, frame="colon", p=0.5, cue={colon.i})
        cand.source = {t.i for t in before}
        cand.content = fragments(doc, {t.i for t in after})
        return cand

    def _signed(self, dash: Token, quotes: QuoteIndex) -> Candidate | None:
        """A quotation signed with a dash: '"The mayor dodged every question." ― Ana Ruiz' (reader
        comments, quote lists, embedded posts): the quote, the dash, and a short name
        that ends its line or sentence."""
        doc = dash.doc
        text = doc_text(doc)
        quote = quotes.ending_before(dash.idx, dash.idx - 3)
        if quote is None or text[quote.end : dash.idx].strip(" \t\xa0"):
            return None
        name = []
        for t in doc[dash.i + 1 :]:
            if t.is_space and "\n" in t.text:
                break
            if t.is_space:
                continue
            if t.text in (".", ",", ";") or t.text in ALL_MARKS or t.text == "(":
                break
            name.append(t)
            if len(name) > 6:
                return None
        if not _short_name(name):
            return None
        cand = Candidate(head=dash, frame="signed", p=0.8, cue={dash.i}, quote=quote)
        cand.source = {t.i for t in name}
        cand.content = quote.fragments
        return cand

    # -- assembly -------------------------------------------------------------------

    def detect(self, doc: Doc, article: Article) -> list[Attribution]:
        text = doc_text(doc)
        quotes = QuoteIndex(find_quotes(text, article.excluded))
        cands = self._candidates(doc, quotes, article.excluded)
        cands = self._resolve_overlaps(cands)
        self._split_coordinated(cands, doc)
        self._join_split_quotes(cands, quotes, doc)
        out: list[Attribution] = []
        for c in sorted(cands, key=lambda c: c.start):
            content = _without_dateline(text, c.content)
            source = fragments(doc, c.source)
            cue = fragments(doc, c.cue, trim=False)
            if not cue or not content:
                continue
            out.append(
                Attribution(
                    cue=cue,
                    content=content,
                    source=source,
                    type=statement_type(text, content),
                    confidence=_confidence(c, source),
                )
            )
        exact = exact_constructions(out, text)
        out = sorted([*yielding(out, exact, text), *exact], key=lambda a: a.cue[0][0])
        return with_follow_ons(untangled(out, text), quotes, text)

    def _resolve_overlaps(self, cands: list[Candidate]) -> list[Candidate]:
        """Two candidates claiming the same quote or cue: keep the likelier one."""
        by_quote: dict[int, Candidate] = {}
        keep: list[Candidate] = []
        kept_cues: set[int] = set()
        for c in sorted(cands, key=lambda c: -c.p):
            if c.quote is not None:
                other = by_quote.get(c.quote.start)
                if other is not None:
                    continue
                by_quote[c.quote.start] = c
            if c.head.i in kept_cues:
                continue
            keep.append(c)
            kept_cues |= c.cue
        return keep

    def _split_coordinated(self, cands: list[Candidate], doc: Doc) -> None:
        """'A said X, while B said Y': the parser often hangs the second attribution
        inside the first one's clause; the first content ends where the second begins."""
        around = SpanIndex(
            (a.content[0][0], a.content[-1][1], a) for a in cands if a.content and a.quote is None
        )
        for b in cands:
            if b.p < STRONG_CUE or not b.source or b.quote is not None:
                continue
            clause = b.head
            markers = [c for c in lefts(clause) if c.dep_ in ("mark", "cc")]
            if clause.dep_ not in ("advcl", "conj") or not markers:
                continue
            if markers[0].lower_ not in ("while", "whereas", "but", "and", "although", "though"):
                continue
            cut = doc[clause.left_edge.i].idx
            # (contents only ever shrink here, so the index finds every one that may
            # still hold the cut; each is checked as it is now)
            for a in around.holding(cut):
                if a is b or not a.content or a.quote is not None:
                    continue
                if a.content[0][0] < cut < a.content[-1][1]:
                    a.content = cut_before(doc_text(doc), a.content, cut)

    def _join_split_quotes(self, cands: list[Candidate], quotes: QuoteIndex, doc: Doc) -> None:
        """Quotes that continue a statement join its content.

        '"Q1," X said. "Q2."' and a paragraph that is only a quotation right after the
        statement's paragraph ('X said: "Q1" ¶ "Q2" ¶ "Q3"') continue the same speaker,
        as long as no cue of their own claims them.
        """
        text = doc_text(doc)
        # Which quotes no content takes: quotes do not overlap, so those a span overlaps
        # are a run of consecutive ones, marked as a range.
        starts = quotes.starts
        ends = [q.end for q in quotes.quotes]
        covered = [0] * (len(starts) + 1)
        for c in cands:
            for s, e in c.content:
                lo = bisect.bisect_right(ends, s)
                hi = bisect.bisect_left(starts, e)
                if lo < hi:
                    covered[lo] += 1
                    covered[hi] -= 1
        taken: set[int] = set()
        depth = 0
        for k in range(len(starts)):
            depth += covered[k]
            if depth > 0:
                taken.add(starts[k])
        cue_starts = sorted(doc[i].idx for c in cands for i in c.cue)

        def free(q: Quote) -> bool:
            return q.start not in taken

        for c in sorted(cands, key=lambda c: c.start):
            if c.quote is None or c.frame == "signed":
                continue  # (a signature closes its quotation)
            end = max(c.content[-1][1], _attribution_end(c))
            while True:
                nxt = quotes.starting_after(end, end + 5)
                if nxt is None or not free(nxt):
                    break
                gap = text[end : nxt.start]
                if gap.strip(" \t\n.,;:") or gap.count("\n") > 2:
                    break
                k = bisect.bisect_left(cue_starts, nxt.start)
                if k < len(cue_starts) and cue_starts[k] < _sentence_end(doc, nxt):
                    break  # the quote has an attribution of its own
                c.content = c.content + nxt.fragments
                taken.add(nxt.start)
                end = nxt.end


CIRCUMSTANCE_ENTS = frozenset(("DATE", "TIME", "GPE", "LOC", "FAC", "EVENT"))
# Nouns that name the occasion or medium of a statement, not its content.
OCCASION_NOUNS = frozenset(
    """time interview statement conference briefing rally event speech debate hearing
    meeting news show program programme video post tweet letter op-ed email call
    appearance town hall forum summit session""".split()
)


PLATFORM_NAMES = frozenset(
    "twitter facebook youtube instagram telegram tiktok television tv radio".split()
)


def _circumstance(noun: Token) -> bool:
    """A prepositional object that says when, where or how ("at the time", "on
    Sunday", "in an interview", "on YouTube"), not what was said."""
    lemma = noun.lemma_.lower()
    return noun.ent_type_ in CIRCUMSTANCE_ENTS or lemma in OCCASION_NOUNS or lemma in PLATFORM_NAMES


def _content_clause(head: Token) -> Token | None:
    """The clause a verb reports: a that-clause the parser hung on a circumstance
    ("said at the time that ...", "said in a statement that ..."), else its ccomp."""
    for prep in children(head, "prep"):
        for pobj in children(prep, "pobj"):
            if not _circumstance(pobj):
                continue
            for c in kids(pobj):
                if c.dep_ in ("relcl", "acl") and any(t.lower_ == "that" for t in lefts(c)):
                    return c
    for c in children(head, "ccomp"):
        # "... a video in which fighters said ...", misattached: a relative clause.
        if any(
            t.dep_ == "prep" and any(p.lower_ in ("which", "whom", "whose") for p in kids(t))
            for t in lefts(c)
        ):
            continue
        return c
    return None


def _trailing_content(head: Token, cand: Candidate) -> set[int]:
    """'<clause>, TASS reported.' — an attribution after the clause it reports, however
    the parser attached it: the sentence before the attribution is the content."""
    if not cand.source:
        return set()
    sent = sentence(head)
    first = min(cand.source | cand.cue)
    if first <= sent.start + 2:
        return set()
    comma = head.doc[first - 1]
    if comma.text not in (",", "—", "–", "-"):
        return set()
    # Nothing but circumstances may follow the cue ("reported at the time") up to the
    # end of the sentence.
    own = subtree_indices(head)
    for t in kids(head):
        if t.i > head.i and t.dep_ not in ("prep", "npadvmod", "advmod", "punct", "agent"):
            return set()
    if any(t.i not in own and not (t.is_punct or t.is_space) for t in sent if t.i > head.i):
        return set()
    return {t.i for t in sent if t.i < comma.i and not t.is_space}


# "SOLHOLM, March 12 (Nordic Wire) - " / "LONDON (Reuters) — ": where, when and who filed.
_DATELINE = re.compile(
    r"[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?(?:\s*\([^)\n]{1,40}\))?"
    r"\s*[-—–]+\s*"
)


def _without_dateline(text: str, spans: tuple[Offsets, ...]) -> tuple[Offsets, ...]:
    """A wire story's dateline is not part of what its first sentence reports."""
    if not spans:
        return spans
    (s, e), rest = spans[0], spans[1:]
    m = _DATELINE.match(text, s)
    if m is None or m.end() >= e:
        return spans
    return ((m.end(), e), *rest)


# A quotation paragraph this many paragraphs after a quoting statement still continues it
# ("X said: '...'" ¶ narrative ¶ "Another quote."); further away it is left alone.
FOLLOW_ON_PARAGRAPHS = 2


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


def overlaps(spans: Sequence[Offsets], others: Sequence[Offsets]) -> bool:
    """Some span of ``spans`` shares a character with some span of ``others``."""
    return any(a < e and s < b for a, b in spans for s, e in others)


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


def _sentence_end(doc: Doc, quote: Quote) -> int:
    """Where the sentence that closes ``quote`` ends (or the quote, if later)."""
    span = doc.char_span(quote.end - 1, quote.end, alignment_mode="expand")
    return (
        max(quote.end, sentence(span[0]).end_char) if span is not None and len(span) else quote.end
    )


def _attribution_end(c: Candidate) -> int:
    """Where the attribution clause after a quote ends: the cue, its subject and
    circumstances, up to (not into) the next quotation mark."""
    doc = c.head.doc
    allowed = _attribution_tokens(c.head) | c.cue | c.source
    i = max(c.cue | {c.head.i})
    while i + 1 < len(doc) and (i + 1) in allowed and doc[i + 1].text not in ALL_MARKS:
        i += 1
    return doc[i].idx + len(doc[i])


def _hearsay_speech(verb: Token) -> Token | None:
    """The speech verb of a passive hearsay cue: "saying" in "was quoted as saying"."""
    if verb.lemma_.lower() not in HEARSAY_VERBS or not children(verb, "auxpass", "nsubjpass"):
        return None
    for prep in children(verb, "prep"):
        if prep.lower_ == "as":
            for c in kids(prep):
                if c.dep_ in ("pcomp", "pobj") and c.lower_ in SPEECH_FORMS:
                    return c
    return None


def _covers(quote: Quote, idx: set[int], doc: Doc) -> bool:
    """The clause lies mostly inside the quote."""
    inside = sum(1 for i in idx if quote.start <= doc[i].idx < quote.end)
    return inside >= 0.6 * len(idx)


def _confidence(c: Candidate, source: tuple[Offsets, ...]) -> float:
    score = 0.35 + 0.5 * c.p
    if c.quote is not None:
        score += 0.1
    if not source:
        score -= 0.15
    return max(0.05, min(0.99, score))


@register("rules")
def _make() -> RuleDetector:
    return RuleDetector()


__all__ = [
    "QuoteIndex",
    "exact_constructions",
    "overlaps",
    "yielding",
    "RuleDetector",
    "Span",
    "frame_of",
    "rstrip_span",
    "untangled",
    "with_follow_ons",
]
