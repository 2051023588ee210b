"""Token features for the attribution tagger: what the spaCy parse already knows, the
quotation marks, the cue lexicon, and what the rule-based detector found.

Every token gets a row of categorical ids (hashed into fixed buckets, so no vocabulary is
stored) and a row of dense values.  Nothing here is learned; the same code runs when
training and when detecting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, LEMMA, LOWER, POS, TAG
from spacy.tokens import Doc

from ...records import Article, Attribution
from ..lexicon import CueLexicon
from ..quotes import ALL_MARKS, find_quotes
from ..rules import CANDIDATE_POS, QuoteIndex, RuleDetector, frame_of
from ..syntax import doc_text

# Categorical fields: (name, number of hash buckets).  The embedding tables are sized
# from this; changing it needs retraining.
FIELDS = (
    ("lower", 20011),
    ("lemma", 20011),
    ("pos", 211),
    ("tag", 1009),
    ("dep", 1009),
    ("ent", 1009),
    ("head_lemma", 20011),
    ("head_dep", 1009),
    ("suffix", 5003),
)
# Fields that share an embedding table with another (the head's lemma is a lemma).
SHARED = {"head_lemma": "lemma"}

TENSOR_DIM = 96  # en_core_web_sm's tok2vec width
ROLES = ("source", "cue", "content")
TYPES = ("direct", "mixed", "indirect")
DENSE_NAMES = (
    # quotation marks
    "mark",
    "mark_opens",
    "mark_closes",
    "in_quote",
    "quote_closed",
    # layout
    "sent_start",
    "sent_end",
    "line_start",
    "line_end",
    "headline",
    # the token itself
    "title",
    "upper",
    "punct",
    "space",
    "num",
    # the cue lexicon: P(cue head | lemma, pos, frame) here, at the head, two heads up
    "p_cue",
    "p_head",
    "p_head2",
    "p_ancestor_max",
    "colon_line",
    # what the rules found
    *(f"rule_{r}" for r in ROLES),
    *(f"rule_{r}_begin" for r in ROLES),
    "rule_confidence",
    *(f"rule_{t}" for t in TYPES),
    "rule_follow_on",
    "rule_cue_dist_before",
    "rule_cue_dist_after",
)
DENSE_DIM = TENSOR_DIM + len(DENSE_NAMES)
_INDEX = {name: TENSOR_DIM + k for k, name in enumerate(DENSE_NAMES)}


@dataclass
class DocFeatures:
    ids: np.ndarray  # (n_tokens, len(FIELDS)) int64
    dense: np.ndarray  # (n_tokens, DENSE_DIM) float32
    rules: list[Attribution]  # the rule-based detector's output on the same doc


def _bucket(values: np.ndarray, size: int) -> np.ndarray:
    return (values % np.uint64(size)).astype(np.int64)


def categorical(doc: Doc) -> np.ndarray:
    n = len(doc)
    arr = doc.to_array([LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE, ENT_IOB])
    heads = np.fromiter((t.head.i for t in doc), dtype=np.int64, count=n)
    suffix = np.fromiter((t.suffix for t in doc), dtype=np.uint64, count=n)
    ent = arr[:, 5] * np.uint64(3) + arr[:, 6]
    sizes = dict(FIELDS)
    cols = {
        "lower": arr[:, 0],
        "lemma": arr[:, 1],
        "pos": arr[:, 2],
        "tag": arr[:, 3],
        "dep": arr[:, 4],
        "ent": ent,
        "head_lemma": arr[heads, 1] if n else arr[:, 1],
        "head_dep": arr[heads, 4] if n else arr[:, 4],
        "suffix": suffix,
    }
    out = np.zeros((n, len(FIELDS)), dtype=np.int64)
    for k, (name, _) in enumerate(FIELDS):
        out[:, k] = _bucket(cols[name], sizes[name])
    return out


def dense(doc: Doc, article: Article, lexicon: CueLexicon, rules: list[Attribution]) -> np.ndarray:
    n = len(doc)
    out = np.zeros((n, DENSE_DIM), dtype=np.float32)
    if not n:
        return out
    tensor = doc.tensor
    if tensor is not None and tensor.shape == (n, TENSOR_DIM):
        out[:, :TENSOR_DIM] = tensor
    text = doc_text(doc)
    idx = np.fromiter((t.idx for t in doc), dtype=np.int64, count=n)
    ends = idx + np.fromiter((len(t) for t in doc), dtype=np.int64, count=n)
    col = _INDEX

    # Quotation marks.
    quotes = find_quotes(text, article.excluded)
    for q in quotes:
        a = np.searchsorted(idx, q.start, side="left")
        b = np.searchsorted(idx, q.end, side="left")
        out[a:b, col["in_quote"]] = 1.0
        out[a:b, col["quote_closed"]] = 1.0 if q.closed else 0.5
        if a < n:
            out[a, col["mark_opens"]] = 1.0
        if 0 < b <= n:
            out[b - 1, col["mark_closes"]] = 1.0

    # Layout and the token itself.
    first_line_end = text.find("\n")
    first_line_end = len(text) if first_line_end < 0 else first_line_end
    p_cue = np.zeros(n, dtype=np.float32)
    qindex = QuoteIndex(quotes)
    heads = np.zeros(n, dtype=np.int64)
    for t in doc:
        i = t.i
        heads[i] = t.head.i
        row = out[i]
        if t.text in ALL_MARKS or t.text in ("``", "''"):
            row[col["mark"]] = 1.0
        if t.is_sent_start:
            row[col["sent_start"]] = 1.0
            if i:
                out[i - 1, col["sent_end"]] = 1.0
        if i == 0 or "\n" in doc[i - 1].whitespace_ or doc[i - 1].is_space:
            row[col["line_start"]] = 1.0
        if "\n" in t.whitespace_ or (i + 1 < n and doc[i + 1].is_space):
            row[col["line_end"]] = 1.0
        if t.idx < first_line_end:
            row[col["headline"]] = 1.0
        row[col["title"]] = t.is_title
        row[col["upper"]] = t.is_upper
        row[col["punct"]] = t.is_punct
        row[col["space"]] = t.is_space
        row[col["num"]] = t.like_num
        if t.pos_ in CANDIDATE_POS:
            p_cue[i] = lexicon.probability(t.lemma_.lower(), t.pos_, frame_of(t, qindex))
        elif t.text == ":":
            row[col["colon_line"]] = 1.0
    out[n - 1, col["sent_end"]] = 1.0
    out[:, col["p_cue"]] = p_cue
    h1 = heads
    h2 = heads[heads]
    out[:, col["p_head"]] = p_cue[h1]
    out[:, col["p_head2"]] = p_cue[h2]
    h3 = heads[h2]
    h4 = heads[h3]
    out[:, col["p_ancestor_max"]] = np.maximum.reduce([p_cue[h1], p_cue[h2], p_cue[h3], p_cue[h4]])

    # The rule-based detector's relations.
    cue_tokens: list[int] = []
    for a in rules:
        for role in ROLES:
            spans = getattr(a, role)
            for s, e in spans:
                lo = int(np.searchsorted(ends, s, side="right"))
                hi = int(np.searchsorted(idx, e, side="left"))
                if hi <= lo:
                    continue
                out[lo:hi, col[f"rule_{role}"]] = 1.0
                out[lo, col[f"rule_{role}_begin"]] = 1.0
                if role == "content":
                    out[lo:hi, col["rule_confidence"]] = a.confidence
                    out[lo:hi, col[f"rule_{a.type}"]] = 1.0
                    if a.continues is not None:
                        out[lo:hi, col["rule_follow_on"]] = 1.0
                if role == "cue":
                    cue_tokens.append(lo)
    # Distance (in tokens, squashed) to the nearest rule cue before and after.
    if cue_tokens:
        cues = np.array(sorted(set(cue_tokens)), dtype=np.int64)
        pos = np.arange(n)
        k = np.searchsorted(cues, pos, side="right")
        before = np.where(k > 0, pos - cues[np.maximum(k - 1, 0)], 10_000)
        k2 = np.searchsorted(cues, pos, side="left")
        after = np.where(k2 < len(cues), cues[np.minimum(k2, len(cues) - 1)] - pos, 10_000)
        out[:, col["rule_cue_dist_before"]] = np.exp(-before / 20.0)
        out[:, col["rule_cue_dist_after"]] = np.exp(-after / 20.0)
    return out


def featurize(doc: Doc, article: Article, lexicon: CueLexicon) -> DocFeatures:
    """The features of one parsed article; ``lexicon`` calibrates the rules and p_cue."""
    rules = RuleDetector(lexicon=lexicon).detect(doc, article)
    return DocFeatures(ids=categorical(doc), dense=dense(doc, article, lexicon, rules), rules=rules)
