"""Token features for the attribution tagger: what the spaCy parse already knows, the
quotation marks, the cue lexicon, and what the rule-based detector found.

Every token gets a row of categorical ids (hashed into fixed buckets, so no vocabulary is
stored) and a row of dense values.  Nothing here is learned; the same code runs when
training and when detecting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.attrs import (
    DEP,
    ENT_IOB,
    ENT_TYPE,
    HEAD,
    IDX,
    IS_PUNCT,
    IS_SPACE,
    IS_TITLE,
    IS_UPPER,
    LEMMA,
    LENGTH,
    LIKE_NUM,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    SUFFIX,
    TAG,
)
from spacy.symbols import IDS as _SYMBOLS
from spacy.tokens import Doc

from ...nlp import check_time
from ...records import Article, Attribution
from ..frames import CANDIDATE_POS, QuoteIndex, frame_of
from ..lexicon import CueLexicon
from ..quotes import ALL_MARKS, Quote, find_quotes
from ..rules import RuleDetector
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
    # the nearest ancestor that may be a cue (p_cue >= ANCESTOR_P): its p_cue, how far up
    # it is, and how the token's branch hangs on it (subject, clause, object, ...)
    "anc_p",
    "anc_near",
    *(
        f"anc_{d}"
        for d in (
            "self",
            *(
                x
                for x in (
                    "nsubj",
                    "nsubjpass",
                    "ccomp",
                    "dobj",
                    "xcomp",
                    "prep",
                    "advcl",
                    "conj",
                    "parataxis",
                    "other",
                )
            ),
        )
    ),
    # what the rules found
    *(f"rule_{r}" for r in ROLES),
    *(f"rule_{r}_begin" for r in ROLES),
    "rule_confidence",
    *(f"rule_{t}" for t in TYPES),
    "rule_follow_on",
    "rule_cue_dist_before",
    "rule_cue_dist_after",
)
ANCESTOR_P = 0.2
ANCESTOR_DEPS = (
    "nsubj",
    "nsubjpass",
    "ccomp",
    "dobj",
    "xcomp",
    "prep",
    "advcl",
    "conj",
    "parataxis",
)
DENSE_DIM = TENSOR_DIM + len(DENSE_NAMES)
INDEX = {name: TENSOR_DIM + k for k, name in enumerate(DENSE_NAMES)}


_CANDIDATE_POS_IDS = np.array([_SYMBOLS[p] for p in CANDIDATE_POS], dtype=np.uint64)
_MARKS = (*ALL_MARKS, "``", "''")


def _mark_hashes(strings) -> np.ndarray:
    return np.array([strings.add(m) for m in _MARKS], dtype=np.uint64)


@dataclass
class DocFeatures:
    ids: np.ndarray  # (n_tokens, len(FIELDS)) int64
    dense: np.ndarray  # (n_tokens, DENSE_DIM) float32
    rules: list[Attribution]  # the rule-based detector's output on the same doc
    quotes: list[Quote]  # the quotations (the detector's span adjustments read them)


def head_indices(doc: Doc) -> np.ndarray:
    """The index of each token's syntactic head (itself for a root)."""
    rel = doc.to_array(HEAD).astype(np.int64)
    return np.arange(len(doc), dtype=np.int64) + rel


def token_offsets(doc: Doc) -> tuple[np.ndarray, np.ndarray]:
    """Start and end character offsets of every token."""
    arr = doc.to_array([IDX, LENGTH]).astype(np.int64)
    return arr[:, 0], arr[:, 0] + arr[:, 1]


def _bucket(values: np.ndarray, size: int) -> np.ndarray:
    return (values % np.uint64(size)).astype(np.int64)


def categorical(doc: Doc) -> np.ndarray:
    n = len(doc)
    arr = doc.to_array([LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE, ENT_IOB, SUFFIX])
    heads = head_indices(doc)
    suffix = arr[:, 7]
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


def dense(
    doc: Doc, lexicon: CueLexicon, rules: list[Attribution], quotes: list[Quote]
) -> np.ndarray:
    """The dense rows (``DENSE_DIM`` values a token): spaCy's token vectors, then the
    values ``DENSE_NAMES`` names."""
    n = len(doc)
    out = np.zeros((n, DENSE_DIM), dtype=np.float32)
    if not n:
        return out
    tensor = doc.tensor
    if tensor is not None and tensor.shape == (n, TENSOR_DIM):
        out[:, :TENSOR_DIM] = tensor
    idx, ends = token_offsets(doc)
    # The words that may head a cue.
    candidate = np.isin(doc.to_array(POS), _CANDIDATE_POS_IDS)
    _quote_marks(out, quotes, idx)
    heads = _layout(out, doc, idx, candidate)
    p_cue = _cue_probabilities(out, doc, lexicon, quotes, candidate, heads)
    _likely_ancestors(out, doc, p_cue, heads)
    _rule_relations(out, rules, idx, ends)
    return out


def _quote_marks(out: np.ndarray, quotes: list[Quote], idx: np.ndarray) -> None:
    """Which tokens a quotation holds (and whether it closes), and which open or close one."""
    n = len(out)
    col = INDEX
    for q in quotes:
        a = np.searchsorted(idx, q.start, side="left")
        b = np.searchsorted(idx, q.end, side="left")
        out[a:b, col["in_quote"]] = 1.0
        out[a:b, col["quote_closed"]] = 1.0 if q.closed else 0.5
        if a < n:
            out[a, col["mark_opens"]] = 1.0
        if 0 < b <= n:
            out[b - 1, col["mark_closes"]] = 1.0


def _layout(out: np.ndarray, doc: Doc, idx: np.ndarray, candidate: np.ndarray) -> np.ndarray:
    """Sentence and line edges, the headline, the token's shape and whether it is a
    quotation mark or a colon that heads no cue; returns each token's head index."""
    n = len(doc)
    col = INDEX
    text = doc_text(doc)
    arr = doc.to_array([IS_SPACE, IS_TITLE, IS_UPPER, IS_PUNCT, LIKE_NUM, SENT_START, HEAD])
    arr = arr.astype(np.int64)
    space = arr[:, 0] > 0
    for name, k in (("space", 0), ("title", 1), ("upper", 2), ("punct", 3), ("num", 4)):
        out[:, col[name]] = arr[:, k] > 0
    sent_start = arr[:, 5] > 0
    sent_start[0] = True
    out[:, col["sent_start"]] = sent_start
    out[:-1, col["sent_end"]] = sent_start[1:]
    out[n - 1, col["sent_end"]] = 1.0
    line_start = np.ones(n, dtype=bool)
    line_start[1:] = space[:-1]
    out[:, col["line_start"]] = line_start
    out[:-1, col["line_end"]] = space[1:]
    first_line_end = text.find("\n")
    first_line_end = len(text) if first_line_end < 0 else first_line_end
    out[:, col["headline"]] = idx < first_line_end
    orth = doc.to_array(ORTH)
    strings = doc.vocab.strings
    out[:, col["mark"]] = np.isin(orth, _mark_hashes(strings))
    out[:, col["colon_line"]] = (orth == strings[":"]) & ~candidate
    return np.arange(n, dtype=np.int64) + arr[:, 6]


def _cue_probabilities(
    out: np.ndarray,
    doc: Doc,
    lexicon: CueLexicon,
    quotes: list[Quote],
    candidate: np.ndarray,
    heads: np.ndarray,
) -> np.ndarray:
    """P(cue head) of each word that may head a cue, of its head, its head's head and
    the likeliest of four ancestors; returns the tokens' own."""
    col = INDEX
    p_cue = np.zeros(len(doc), dtype=np.float32)
    qindex = QuoteIndex(quotes)
    probability = lexicon.probability
    for k, i in enumerate(np.flatnonzero(candidate)):
        if not k & 1023:
            check_time()
        t = doc[int(i)]
        p_cue[i] = probability(t.lemma_.lower(), t.pos_, frame_of(t, qindex))
    out[:, col["p_cue"]] = p_cue
    h1 = heads
    h2 = heads[heads]
    out[:, col["p_head"]] = p_cue[h1]
    out[:, col["p_head2"]] = p_cue[h2]
    h3 = heads[h2]
    h4 = heads[h3]
    out[:, col["p_ancestor_max"]] = np.maximum.reduce([p_cue[h1], p_cue[h2], p_cue[h3], p_cue[h4]])
    return p_cue


def _likely_ancestors(out: np.ndarray, doc: Doc, p_cue: np.ndarray, heads: np.ndarray) -> None:
    """The nearest likely cue above each token, and the branch the token is on."""
    col = INDEX
    likely = p_cue >= ANCESTOR_P
    dep_ids = doc.to_array(DEP)
    strings = doc.vocab.strings
    anc_cols = {strings.add(d): col[f"anc_{d}"] for d in ANCESTOR_DEPS}
    for i in range(len(doc)):
        if not i & 4095:
            check_time()
        if likely[i]:
            out[i, col["anc_p"]] = p_cue[i]
            out[i, col["anc_near"]] = 1.0
            out[i, col["anc_self"]] = 1.0
            continue
        child, node = i, heads[i]
        for depth in range(1, 8):
            if node == child:
                break
            if likely[node]:
                out[i, col["anc_p"]] = p_cue[node]
                out[i, col["anc_near"]] = 1.0 / depth
                out[i, anc_cols.get(int(dep_ids[child]), col["anc_other"])] = 1.0
                break
            child, node = node, heads[node]


def _rule_relations(
    out: np.ndarray, rules: list[Attribution], idx: np.ndarray, ends: np.ndarray
) -> None:
    """The rule-based detector's relations: the role of each token, where each span
    begins, its content's confidence and type, and how far the nearest rule cue is."""
    col = INDEX
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
    if not cue_tokens:
        return
    # Distance (in tokens, squashed) to the nearest rule cue before and after.
    n = len(out)
    cues = np.array(sorted(set(cue_tokens)), dtype=np.int64)
    pos = np.arange(n)
    k = np.searchsorted(cues, pos, side="right")
    before = np.where(k > 0, pos - cues[np.maximum(k - 1, 0)], 10_000)
    k2 = np.searchsorted(cues, pos, side="left")
    after = np.where(k2 < len(cues), cues[np.minimum(k2, len(cues) - 1)] - pos, 10_000)
    out[:, col["rule_cue_dist_before"]] = np.exp(-before / 20.0)
    out[:, col["rule_cue_dist_after"]] = np.exp(-after / 20.0)


def featurize(doc: Doc, article: Article, lexicon: CueLexicon) -> DocFeatures:
    """The features of one parsed article; ``lexicon`` calibrates the rules and p_cue."""
    rules = RuleDetector(lexicon=lexicon).detect(doc, article)
    quotes = find_quotes(doc_text(doc), article.excluded)
    return DocFeatures(
        ids=categorical(doc), dense=dense(doc, lexicon, rules, quotes), rules=rules, quotes=quotes
    )
