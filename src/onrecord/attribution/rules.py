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
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ..nlp import check_time
from ..records import Article, Attribution, Offsets
from . import register
from .frames import (
    CANDIDATE_POS,
    QuoteIndex,
    attribution_tokens,
    frame_of,
    quote_after,
    quote_before,
)
from .intervals import SpanIndex, lines
from .lexicon import CueLexicon, default_lexicon
from .passes import (
    SIGNATURE_DASHES,
    cut_before,
    exact_constructions,
    untangled,
    with_follow_ons,
    yielding,
)
from .phrases import (
    HEARSAY_VERBS,
    circumstance,
    content_clause,
    covers,
    hearsay_speech,
    inverted_name,
    noun_phrase,
    short_name,
    trailing_content,
    without_dateline,
)
from .quotes import ALL_MARKS, Quote, find_quotes, statement_type
from .syntax import (
    children,
    cue_phrase,
    doc_text,
    fragments,
    kids,
    lefts,
    sentence,
    subject_of,
    subtree,
    subtree_indices,
)

# The rules' version, which a result names them by ("rules 2026-12-02"): the date of
# the last change to what they find (their code, data/reporting_verbs.txt or
# data/cue_counts.tsv).  Change it with them.
VERSION = "2026-12-02"
DEFAULT_THRESHOLD = 0.3
STRONG_CUE = 0.6
# "was cited as saying" is attribution whatever the counts say about "cite".
HEARSAY_P = 0.85
# Prepositions that introduce the content of a cue ("warned of", "spoke about").
CONTENT_PREPS = frozenset(
    ["of", "about", "on", "for", "against", "to", "over", "with", "at", "into", "as", "in", "from"]
)


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


class RuleDetector:
    name = "rules"
    version = VERSION

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
                speech_of_governor = hearsay_speech(token.head.head)
                if speech_of_governor is not None and speech_of_governor.i == token.i:
                    continue  # "saying" in "was quoted as saying": part of that cue
                frame = frame_of(token, quotes)
                p = self.lexicon.probability(token.lemma_.lower(), token.pos_, frame)
                if hearsay_speech(token) is not None:
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
                cand.source = noun_phrase(pobj[0])
        elif subj is not None and subj.dep_ != "nsubjpass":
            cand.source = noun_phrase(subj)
        elif quote_before(head, quotes) is not None:
            cand.source = inverted_name(head)

        cand.content, cand.quote = self._verb_content(head, frame, cand, quotes)
        if speech is not None and cand.quote is None and content_clause(speech) is not None:
            # "was quoted as saying that ...": the clause hangs on "saying".
            cand.content = fragments(doc, subtree_indices(content_clause(speech)))
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
        before = quote_before(head, quotes) if cand.source else None
        quote = before or quote_after(head, quotes)
        clause = content_clause(head)
        if quote is not None and (clause is None or covers(quote, subtree_indices(clause), doc)):
            return quote.fragments, quote
        if clause is not None:
            idx = subtree_indices(clause)
            inner = quotes.containing(clause.idx)
            if inner is not None and inner.start < clause.idx and covers(inner, idx, doc):
                return inner.fragments, inner
            if clause.i < head.i:
                # "A, but B, the source added": everything the attribution trails, not
                # just the one clause the parser hung on it.
                trailing = trailing_content(head, cand.source, cand.cue)
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
            if prep.lower_ in CONTENT_PREPS and pobj and not circumstance(pobj[0]):
                cand.cue.add(prep.i)
                return fragments(doc, subtree_indices(prep) - {prep.i}), None
        if head.dep_ == "parataxis" and cand.source:
            # "The economy, the minister said, is strong": the cue hangs off the content.
            return fragments(doc, subtree_indices(head.head, exclude=[head])), None
        return fragments(doc, trailing_content(head, cand.source, cand.cue)), None

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
            cand.source = noun_phrase(subj[0])
        speech = hearsay_speech(head)
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
        if not short_name(before):
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
        if not short_name(name):
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
            content = without_dateline(text, c.content)
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
    allowed = attribution_tokens(c.head) | c.cue | c.source
    i = max(c.cue | {c.head.i})
    while i + 1 < len(doc) and (i + 1) in allowed and doc[i + 1].text not in ALL_MARKS:
        i += 1
    return doc[i].idx + len(doc[i])


def _confidence(c: Candidate, source: tuple[Offsets, ...]) -> float:
    score = 0.35 + 0.5 * c.p
    if c.quote is not None:
        score += 0.1
    if not source:
        score -= 0.15
    return max(0.05, min(0.99, score))


@register("rules", default_config={"threshold": DEFAULT_THRESHOLD})
def make_rules(threshold: float) -> RuleDetector:
    """``threshold``: how likely a word in its frame must be to head a cue (the cue
    lexicon's probability) for the rules to read an attribution around it."""
    return RuleDetector(threshold=threshold)
