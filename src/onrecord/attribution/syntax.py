"""Dependency-parse helpers shared by the detectors: token sets to character spans,
subjects, and the parts of a cue phrase.  Pure functions over spaCy tokens.

spaCy's ``Token.children``, ``lefts``, ``rights`` and ``subtree`` walk the document from
a token's edge, so each call costs as much as the token's stretch of the sentence, and a
deep tree makes ``subtree`` quadratic; ``Span.ents`` and ``Token.sent`` go over the whole
document.  Called for every token of a long sentence, they made the detectors quadratic
in its length.  The helpers here read one index per document instead (built on first use
and kept in ``doc.user_data``): the children of every token, the extent of every subtree,
the sentences and the entities.  They return what spaCy returns, in the same order.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

import numpy as np
from spacy.attrs import DEP, HEAD
from spacy.tokens import Doc, Span, Token

from ..records import Offsets

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# Dependents of a cue verb that belong to the cue phrase ("has not yet said", "pointed out").
CUE_PHRASE_DEPS = ("aux", "auxpass", "neg", "prt")
# Adverbs that sit inside a cue phrase ("also said", "repeatedly warned"); wh-words and
# discourse connectives ("however", "when") stay out.
CUE_ADVERBS = frozenset(
    """also repeatedly first previously further immediately later then often openly
    privately publicly again recently still even now long only already once reportedly
    initially subsequently explicitly flatly falsely wrongly rightly bluntly simply never
    frequently consistently quickly quietly loudly emphatically angrily""".split()
)
_EDGE_PUNCT = set(" \t\n\r,;:—–-")


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once: spaCy rebuilds the string on every access."""
    text = doc.user_data.get("onrecord_text")
    if text is None:
        text = doc.user_data["onrecord_text"] = doc.text
    return text


class _Tree:
    """The parse of one document as plain lists: heads, dependency labels, children in
    order, and for every subtree its extent and whether it is projective all the way
    down (then its tokens are exactly the index range between its edges)."""

    __slots__ = ("heads", "deps", "kids", "lo", "hi", "flat")

    def __init__(self, doc: Doc) -> None:
        n = len(doc)
        arr = doc.to_array([HEAD, DEP]) if n else np.zeros((0, 2), dtype=np.uint64)
        heads = (np.arange(n, dtype=np.int64) + arr[:, 0].astype(np.int64)).tolist()
        strings = doc.vocab.strings
        labels: dict[int, str] = {}
        deps = []
        for d in arr[:, 1].tolist():
            label = labels.get(d)
            if label is None:
                label = labels[d] = strings[d]
            deps.append(label)
        kids: list[list[int]] = [[] for _ in range(n)]
        for i, h in enumerate(heads):
            if h != i and 0 <= h < n:
                kids[h].append(i)
        # Post-order over every tree (children before their head).
        order: list[int] = []
        stack = [i for i, h in enumerate(heads) if h == i or not 0 <= h < n]
        while stack:
            i = stack.pop()
            order.append(i)
            stack.extend(kids[i])
        lo = list(range(n))
        hi = list(range(n))
        size = [1] * n
        flat = [False] * n  # stays False for a token no root reaches (a cycle)
        for i in reversed(order):
            ok = True
            for c in kids[i]:
                if lo[c] < lo[i]:
                    lo[i] = lo[c]
                if hi[c] > hi[i]:
                    hi[i] = hi[c]
                size[i] += size[c]
                ok = ok and flat[c]
            flat[i] = ok and size[i] == hi[i] - lo[i] + 1
        self.heads = heads
        self.deps = deps
        self.kids = kids
        self.lo = lo
        self.hi = hi
        self.flat = flat

    def order(self, i: int) -> list[int]:
        """The indices of ``i``'s subtree in the order of spaCy's ``Token.subtree``:
        left children's subtrees, the token, right children's subtrees."""
        if self.flat[i]:
            return list(range(self.lo[i], self.hi[i] + 1))
        out: list[int] = []
        seen: set[int] = set()
        stack: list[tuple[int, bool]] = [(i, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                out.append(node)
                continue
            if node in seen:
                continue
            seen.add(node)
            ks = self.kids[node]
            stack.extend((c, False) for c in reversed(ks) if c > node)
            stack.append((node, True))
            stack.extend((c, False) for c in reversed(ks) if c < node)
        return out

    def indices(self, i: int) -> set[int]:
        if self.flat[i]:
            return set(range(self.lo[i], self.hi[i] + 1))
        return set(self.order(i))


def _tree(doc: Doc) -> _Tree:
    tree = doc.user_data.get("onrecord_tree")
    if tree is None:
        tree = doc.user_data["onrecord_tree"] = _Tree(doc)
    return tree


def head_of(doc: Doc, spans: tuple[Offsets, ...]) -> Token | None:
    """The syntactic head of the first of ``spans`` (a cue's head word), or None."""
    if not spans:
        return None
    span = doc.char_span(spans[0][0], spans[0][1], alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def kids(token: Token) -> list[Token]:
    """``list(token.children)``: the token's children in document order."""
    doc = token.doc
    return [doc[i] for i in _tree(doc).kids[token.i]]


def lefts(token: Token) -> list[Token]:
    """``list(token.lefts)``."""
    doc, i = token.doc, token.i
    return [doc[c] for c in _tree(doc).kids[i] if c < i]


def rights(token: Token) -> list[Token]:
    """``list(token.rights)``."""
    doc, i = token.doc, token.i
    return [doc[c] for c in _tree(doc).kids[i] if c > i]


def subtree(token: Token) -> list[Token]:
    """``list(token.subtree)``, in the same order."""
    doc = token.doc
    return [doc[i] for i in _tree(doc).order(token.i)]


def children(token: Token, *deps: str) -> list[Token]:
    """The token's children with one of the dependency labels ``deps``, in order."""
    doc = token.doc
    tree = _tree(doc)
    labels = tree.deps
    return [doc[c] for c in tree.kids[token.i] if labels[c] in deps]


def sentence(token: Token) -> Span:
    """``token.sent`` in constant time: spaCy's walks the whole document each call."""
    doc = token.doc
    index = doc.user_data.get("onrecord_sents")
    if index is None:
        sents = list(doc.sents)
        owner = [0] * len(doc)
        for k, sent in enumerate(sents):
            owner[sent.start : sent.end] = [k] * (sent.end - sent.start)
        index = doc.user_data["onrecord_sents"] = (sents, owner)
    sents, owner = index
    return sents[owner[token.i]]


def entities(span: Span) -> list[Span]:
    """``span.ents`` (the entities that lie wholly inside the span, in order) without
    going over every entity of the document."""
    doc = span.doc
    index = doc.user_data.get("onrecord_ents")
    if index is None:
        ents = list(doc.ents)
        index = doc.user_data["onrecord_ents"] = (ents, [e.start for e in ents])
    ents, starts = index
    out = []
    for k in range(bisect.bisect_left(starts, span.start), len(ents)):
        if ents[k].end > span.end:
            break
        out.append(ents[k])
    return out


def fragments(doc: Doc, indices: Iterable[int], trim: bool = True) -> tuple[Offsets, ...]:
    """Character spans covering the given token indices, one per contiguous run,
    with punctuation and spaces trimmed at the ends of each run (unless ``trim`` is
    False: a cue may be punctuation itself, the colon of "Kadyrov: ...")."""
    idx = sorted(set(indices))
    if not idx:
        return ()
    runs: list[list[int]] = [[idx[0]]]
    for i in idx[1:]:
        if i == runs[-1][-1] + 1 or all(doc[j].is_space for j in range(runs[-1][-1] + 1, i)):
            runs[-1].append(i)
        else:
            runs.append([i])
    out = []
    text = doc_text(doc)
    for run in runs:
        s = doc[run[0]].idx
        e = doc[run[-1]].idx + len(doc[run[-1]].text)
        while trim and s < e and text[s] in _EDGE_PUNCT:
            s += 1
        while trim and e > s and text[e - 1] in _EDGE_PUNCT:
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)


def subtree_indices(token: Token, exclude: Iterable[Token] = ()) -> set[int]:
    """Indices of a token's subtree, minus the subtrees of ``exclude`` tokens."""
    tree = _tree(token.doc)
    out = tree.indices(token.i)
    for x in exclude:
        out -= tree.indices(x.i)
    return out


def subject_of(verb: Token, depth: int = 3) -> Token | None:
    """The grammatical subject of a verb, following coordination, participles and
    control verbs ("He stood and said", "..., saying that", "declined to say")."""
    for _ in range(depth):
        subj = children(verb, *SUBJECT_DEPS)
        if subj:
            # Two subjects means the parser took a dateline for one ("MOSCOW, March 11 —
            # Deputy Minister Voronin warned"): the one nearest the verb is the speaker.
            return min(subj, key=lambda t: abs(verb.i - t.i))
        if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
            verb = verb.head
            continue
        return None
    return None


def cue_phrase(head: Token) -> set[int]:
    """The token indices of a cue phrase around its head ("has also said")."""
    out = {head.i}
    for c in kids(head):
        if (
            c.dep_ in CUE_PHRASE_DEPS
            or c.dep_ == "advmod"
            and c.lower_ in CUE_ADVERBS
            and c.i < head.i
        ):
            out.add(c.i)
    # Keep the phrase contiguous around the head: an aux far to the left of the subject
    # ("Did Trump say") still counts, but only the run adjacent to the head is taken.
    ordered = sorted(out)
    pos = ordered.index(head.i)
    keep = {head.i}
    low = high = head.i
    for i in reversed(ordered[:pos]):
        if all(j in out or head.doc[j].is_space for j in range(i + 1, low)):
            keep.add(i)
            low = min(low, i)
    for i in ordered[pos + 1 :]:
        if all(j in out for j in range(high + 1, i)):
            keep.add(i)
            high = max(high, i)
    return keep


def name_root(doc: Doc, start: int) -> Token | None:
    """The head token of a name that starts at character ``start``."""
    token = token_at(doc, start)
    if token is None:
        return None
    # (up to the name's last word, not the noun a name modifies: "Trump campaign
    # strategists plan" does not make Trump a subject)
    while (
        token.dep_ in ("compound", "flat")
        and 0 < token.head.i - token.i <= 4
        and token.head.pos_ == "PROPN"
    ):
        token = token.head
    return token


def token_at(doc: Doc, offset: int) -> Token | None:
    starts = doc.user_data.get("onrecord_token_starts")
    if starts is None:
        starts = doc.user_data["onrecord_token_starts"] = [t.idx for t in doc]
    k = bisect.bisect_right(starts, offset) - 1
    return doc[k] if k >= 0 else None
