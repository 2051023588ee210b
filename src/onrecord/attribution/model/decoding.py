"""From tag scores to attribution relations.

1. Constrained Viterbi: the best tag sequence in which every ``I-x`` continues a ``B-x``
   or ``I-x`` (plus the learned transition scores when the tagger has a CRF layer).
2. Segments: maximal runs of one role.
3. Linking: every cue segment is one relation; each content and source segment joins the
   cue it belongs to (a learned pairwise score over distance, layout and the dependency
   parse, or the nearest plausible cue when no linker is loaded).  A content that comes
   in several segments ("Q1," she said, "Q2.") is one relation with several fragments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from spacy.tokens import Doc

from ...nlp import check_time
from ...records import Offsets
from ..syntax import doc_text

# One tag per token, BIO over the three roles (no attribution nests in PolNeAR, so one
# tag per token is enough).  The tagger's output columns are in this order.
TAGS = ("O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content")
TAG_INDEX = {t: k for k, t in enumerate(TAGS)}
N_TAGS = len(TAGS)
_NEG = -1e9


def _allowed() -> np.ndarray:
    ok = np.ones((N_TAGS, N_TAGS), dtype=bool)
    for j, tag in enumerate(TAGS):
        if tag.startswith("I-"):
            for i, prev in enumerate(TAGS):
                ok[i, j] = prev != "O" and prev[2:] == tag[2:]
    return ok


ALLOWED = _allowed()
START_OK = np.array([not t.startswith("I-") for t in TAGS])


def viterbi(scores: np.ndarray, transitions: np.ndarray | None = None) -> np.ndarray:
    """The best tag path under the BIO constraints; scores: (n, n_tags)."""
    n = len(scores)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    trans = np.where(ALLOWED, 0.0, _NEG)
    if transitions is not None:
        trans = trans + transitions
    score = scores[0] + np.where(START_OK, 0.0, _NEG)
    back = np.zeros((n, N_TAGS), dtype=np.int64)
    for t in range(1, n):
        cand = score[:, None] + trans
        back[t] = cand.argmax(axis=0)
        score = cand[back[t], np.arange(N_TAGS)] + scores[t]
    path = np.zeros(n, dtype=np.int64)
    path[-1] = int(score.argmax())
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


@dataclass
class Segment:
    role: str
    start: int  # token index
    end: int  # exclusive
    score: float = 1.0

    def overlaps(self, lo: int, hi: int) -> bool:
        return self.start < hi and lo < self.end


def segments(path: np.ndarray, probs: np.ndarray | None = None) -> list[Segment]:
    """Maximal B/I runs of each role, in order."""
    out: list[Segment] = []
    cur: Segment | None = None
    for i, t in enumerate(path):
        tag = TAGS[int(t)]
        if tag.startswith("B-"):
            if cur is not None:
                out.append(cur)
            cur = Segment(tag[2:], i, i + 1)
        elif tag.startswith("I-") and cur is not None and cur.role == tag[2:]:
            cur.end = i + 1
        else:
            if cur is not None:
                out.append(cur)
            cur = None
    if cur is not None:
        out.append(cur)
    if probs is not None:
        for s in out:
            # The mean probability of the tags the path took over the segment.
            s.score = float(np.exp(probs[np.arange(s.start, s.end), path[s.start : s.end]]).mean())
    return out


@dataclass
class Relation:
    cue: Segment
    source: Segment | None = None
    content: list[Segment] = field(default_factory=list)


def char_spans(doc: Doc, segs: list[Segment]) -> tuple[Offsets, ...]:
    """Character spans of token segments, trimmed of spaces at the edges."""
    out = []
    for s in sorted(segs, key=lambda s: s.start):
        toks = [t for t in doc[s.start : s.end] if not t.is_space]
        if not toks:
            continue
        a, b = toks[0].idx, toks[-1].idx + len(toks[-1])
        out.append((a, b))
    # Merge fragments that touch or are separated only by whitespace.
    merged: list[list[int]] = []
    text = doc_text(doc)
    for a, b in out:
        if merged and not text[merged[-1][1] : a].strip():
            merged[-1][1] = b
        else:
            merged.append([a, b])
    return tuple((a, b) for a, b in merged)


# -- linking ---------------------------------------------------------------------------

DIST_BINS = (0, 1, 2, 3, 6, 11, 21, 41, 81)
ROOT_DEPS = (
    "nsubj",
    "nsubjpass",
    "ccomp",
    "dobj",
    "xcomp",
    "pobj",
    "prep",
    "advcl",
    "conj",
    "parataxis",
    "dep",
    "npadvmod",
)
# How many cues on each side of a segment are considered for it.
NEAREST = 4
MAX_DISTANCE = 200


class DocInfo:
    """Per-document arrays the linker reads: sentence and line of each token, heads."""

    def __init__(self, doc: Doc, in_quote: np.ndarray | None = None) -> None:
        from spacy.attrs import DEP, IS_SPACE, SENT_START

        from .features import head_indices

        n = len(doc)
        self.doc = doc
        self.heads = head_indices(doc)
        arr = doc.to_array([DEP, IS_SPACE, SENT_START])
        strings = doc.vocab.strings
        self.deps = [strings[int(h)] for h in arr[:, 0]]
        starts = (arr[:, 2].astype(np.int64) > 0).astype(np.int64)
        if n:
            starts[0] = 0
        self.sent = np.cumsum(starts)
        breaks = np.zeros(n, dtype=np.int64)
        if n:
            breaks[1:] = arr[:-1, 1] > 0
        self.line = np.cumsum(breaks)
        self.in_quote = in_quote if in_quote is not None else np.zeros(n, dtype=np.float32)

    def root(self, seg: Segment) -> int:
        for i in range(seg.start, seg.end):
            h = self.heads[i]
            if h < seg.start or h >= seg.end or h == i:
                return i
        return seg.start

    def ancestor(self, a: int, b: int, limit: int = 8) -> bool:
        """a is an ancestor of b (within ``limit`` steps)."""
        for _ in range(limit):
            nb = self.heads[b]
            if nb == b:
                return False
            b = nb
            if b == a:
                return True
        return False


N_PAIR_FEATURES = 2 * len(DIST_BINS) + 3 + 3 + 3 + 5 + len(ROOT_DEPS) + 1 + 4 + 3 + 2


def pair_features(
    info: DocInfo,
    cue: Segment,
    seg: Segment,
    cue_root: int,
    seg_root: int,
    cues_between: int,
    same_between: int,
    rank: int,
) -> np.ndarray:
    f = np.zeros(N_PAIR_FEATURES, dtype=np.float32)
    before = seg.end <= cue.start
    dist = cue.start - seg.end if before else max(0, seg.start - cue.end)
    b = int(np.searchsorted(DIST_BINS, dist, side="right")) - 1
    f[b + (0 if before else len(DIST_BINS))] = 1.0
    k = 2 * len(DIST_BINS)
    sc, ss = info.sent[cue_root], info.sent[seg_root]
    f[k + (0 if sc == ss else 1 if abs(sc - ss) == 1 else 2)] = 1.0
    k += 3
    f[k + min(cues_between, 2)] = 1.0
    k += 3
    f[k + min(same_between, 2)] = 1.0
    k += 3
    f[k] = info.line[cue_root] == info.line[seg_root]
    f[k + 1] = info.ancestor(cue_root, seg_root)
    f[k + 2] = info.ancestor(seg_root, cue_root)
    f[k + 3] = info.heads[seg_root] == cue_root
    f[k + 4] = cue.start <= info.heads[seg_root] < cue.end or (
        cue.start <= info.heads[info.heads[seg_root]] < cue.end
    )
    k += 5
    if info.heads[seg_root] == cue_root or f[k - 1]:
        dep = info.deps[seg_root]
        if dep in ROOT_DEPS:
            f[k + ROOT_DEPS.index(dep)] = 1.0
    k += len(ROOT_DEPS)
    f[k] = info.heads[cue_root] == seg_root
    k += 1
    f[k] = info.in_quote[seg.start]
    f[k + 1] = info.in_quote[cue.start]
    f[k + 2] = seg.score
    f[k + 3] = cue.score
    k += 4
    f[k + min(rank, 2)] = 1.0
    k += 3
    f[k] = min(seg.end - seg.start, 60) / 60.0
    f[k + 1] = 1.0
    return f


class Linker:
    """A small MLP per role scoring (cue, segment) pairs; see :func:`link`."""

    def __init__(self, weights: dict[str, np.ndarray] | None) -> None:
        self.weights = weights

    def score(self, role: str, x: np.ndarray) -> np.ndarray:
        if self.weights is None:
            return _heuristic(x)
        w = self.weights
        h = np.maximum(x @ w[f"{role}.0.weight"].T + w[f"{role}.0.bias"], 0.0)
        z = h @ w[f"{role}.2.weight"].T + w[f"{role}.2.bias"]
        return 1.0 / (1.0 + np.exp(-z[:, 0]))


def _heuristic(x: np.ndarray) -> np.ndarray:
    """Without a trained linker: nearer is better, the same sentence much better."""
    k = 2 * len(DIST_BINS)
    near = x[:, :k] @ np.tile(np.linspace(1.0, 0.1, len(DIST_BINS)), 2)
    return 0.5 * near + 0.4 * x[:, k] + 0.1 * x[:, k + 1]


def candidate_pairs(info: DocInfo, segs: list[Segment]) -> tuple[list[tuple[int, int]], np.ndarray]:
    """(cue index, segment index) pairs worth scoring and their features; indices into
    ``segs``."""
    cue_ids = [k for k, s in enumerate(segs) if s.role == "cue"]
    roots = [info.root(s) for s in segs]
    cue_starts = np.array([segs[k].start for k in cue_ids], dtype=np.int64)
    pairs: list[tuple[int, int]] = []
    rows: list[np.ndarray] = []
    by_role: dict[str, list[int]] = {}
    for s in segs:
        by_role.setdefault(s.role, []).append(s.start)
    starts_by_role = {r: np.array(v, dtype=np.int64) for r, v in by_role.items()}
    for j, seg in enumerate(segs):
        if not j & 255:
            check_time()
        if seg.role == "cue" or not cue_ids:
            continue
        pos = int(np.searchsorted(cue_starts, seg.start))
        left = list(range(pos - 1, max(-1, pos - 1 - NEAREST), -1))
        right = list(range(pos, min(len(cue_ids), pos + NEAREST)))
        same = starts_by_role[seg.role]
        for side in (left, right):
            for rank, c in enumerate(side):
                cue = segs[cue_ids[c]]
                lo, hi = (seg.end, cue.start) if seg.end <= cue.start else (cue.end, seg.start)
                if hi - lo > MAX_DISTANCE:
                    break
                between = abs(c - pos) if side is right else pos - 1 - c
                same_between = int(
                    np.searchsorted(same, hi, side="left") - np.searchsorted(same, lo, side="left")
                )
                pairs.append((cue_ids[c], j))
                rows.append(
                    pair_features(
                        info, cue, seg, roots[cue_ids[c]], roots[j], between, same_between, rank
                    )
                )
    x = np.stack(rows) if rows else np.zeros((0, N_PAIR_FEATURES), dtype=np.float32)
    return pairs, x


def link(info: DocInfo, segs: list[Segment], linker: Linker) -> list[Relation]:
    """Relations from segments: every cue one relation; each content segment joins its
    best-scoring cue, and each cue takes its best-scoring source."""
    pairs, x = candidate_pairs(info, segs)
    relations = {k: Relation(cue=s) for k, s in enumerate(segs) if s.role == "cue"}
    if not pairs:
        return [relations[k] for k in sorted(relations)]
    roles = np.array([segs[j].role for _, j in pairs])
    scores = np.zeros(len(pairs), dtype=np.float32)
    for role in ("source", "content"):
        mask = roles == role
        if mask.any():
            scores[mask] = linker.score(role, x[mask])
    best: dict[int, tuple[float, int]] = {}
    for (c, j), sc in zip(pairs, scores, strict=True):
        if segs[j].role == "content" and (j not in best or sc > best[j][0]):
            best[j] = (float(sc), c)
    for j, (_, c) in best.items():
        relations[c].content.append(segs[j])
    # Each cue takes its best source; a source may serve several cues ("X said ... and
    # added ...").
    threshold = 0.5 if linker.weights is not None else 0.0
    chosen: dict[int, tuple[float, int]] = {}
    for (c, j), sc in zip(pairs, scores, strict=True):
        if segs[j].role == "source" and sc >= threshold and (c not in chosen or sc > chosen[c][0]):
            chosen[c] = (float(sc), j)
    for c, (_, j) in chosen.items():
        relations[c].source = segs[j]
    return [relations[k] for k in sorted(relations)]
