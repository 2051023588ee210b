"""Training examples: gold relations as token tags, with the features the tagger reads.

The tagger labels every token with one of seven tags (``decoding.TAGS``), BIO over the
three roles (no attribution nests in PolNeAR, so one tag per token is enough).  The cue
counts that the features read are recounted from the training corpus; the training
documents' own features use counts from the *other* folds, so that a word's probability
of being a cue is never computed from the very token being labelled.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc

from ..attribution.lexicon import Counts, CueLexicon
from ..attribution.model import features
from ..attribution.model.decoding import TAG_INDEX, TAGS
from ..attribution.syntax import doc_text
from ..eval.brat import GoldDocument
from ..records import Article
from . import cue_counts

# Where training reports its progress, a line at a time.
Log = Callable[[str], None]

# When gold spans of two roles claim one token (rare), the cue wins, then the source.
ROLE_ORDER = ("content", "source", "cue")


def token_range(starts: np.ndarray, ends: np.ndarray, s: int, e: int) -> tuple[int, int]:
    """The tokens [lo, hi) that share a character with [s, e)."""
    lo = int(np.searchsorted(ends, s, side="right"))
    hi = int(np.searchsorted(starts, e, side="left"))
    return lo, hi


def offsets(doc: Doc) -> tuple[np.ndarray, np.ndarray]:
    n = len(doc)
    starts = np.fromiter((t.idx for t in doc), dtype=np.int64, count=n)
    ends = starts + np.fromiter((len(t) for t in doc), dtype=np.int64, count=n)
    return starts, ends


def gold_tags(doc: Doc, relations: Sequence) -> np.ndarray:
    """One tag id per token for the gold relations (objects with source/cue/content)."""
    starts, ends = offsets(doc)
    text = doc_text(doc)
    tags = np.zeros(len(doc), dtype=np.int64)
    for role in ROLE_ORDER:
        for r in relations:
            for s, e in getattr(r, role):
                while s < e and text[s].isspace():
                    s += 1
                while e > s and text[e - 1].isspace():
                    e -= 1
                lo, hi = token_range(starts, ends, s, e)
                if hi <= lo:
                    continue
                tags[lo] = TAG_INDEX[f"B-{role}"]
                tags[lo + 1 : hi] = TAG_INDEX[f"I-{role}"]
    return repair(tags)


def repair(tags: np.ndarray) -> np.ndarray:
    """Make a tag sequence valid BIO: an ``I-x`` that does not continue an ``x`` (the
    start of a window, or a span another role cut into) becomes ``B-x``."""
    tags = tags.copy()
    for i in range(len(tags)):
        tag = TAGS[tags[i]]
        if tag.startswith("I-") and (i == 0 or TAGS[tags[i - 1]][2:] != tag[2:]):
            tags[i] = TAG_INDEX["B-" + tag[2:]]
    return tags


@dataclass
class Example:
    ids: np.ndarray
    dense: np.ndarray
    tags: np.ndarray
    doc: Doc
    gold: GoldDocument
    rules: list
    lm: object = None  # training.lm.LMInput when a language model is tuned
    lm_vectors: np.ndarray | None = None  # its token vectors, for scoring on dev

    @property
    def in_quote(self) -> np.ndarray:
        return self.dense[:, features.INDEX["in_quote"]]


def parse(documents: list[GoldDocument], log: Log) -> list[Doc]:
    from .. import nlp

    docs = []
    t0 = time.perf_counter()
    for k, doc in enumerate(nlp.parse_many(d.text for d in documents)):
        docs.append(doc)
        if (k + 1) % 100 == 0:
            log(f"  parsed {k + 1}/{len(documents)} ({time.perf_counter() - t0:.0f} s)")
    return docs


def lexicons(
    docs: list[Doc], documents: list[GoldDocument], folds: int, classes: dict[str, str]
) -> tuple[dict[cue_counts.Key, Counts], list[CueLexicon]]:
    """The full cue counts, and one lexicon per document from the other folds' counts
    (with the hand list's ``classes``)."""
    per_doc = [
        cue_counts.doc_counts(doc, [r.cue for r in g.relations if r.cue])
        for doc, g in zip(docs, documents, strict=True)
    ]
    fold_of = [k % folds for k in range(len(docs))]
    total, cue = Counter(), Counter()
    for t, c in per_doc:
        total.update(t)
        cue.update(c)
    full = cue_counts.kept(total, cue)
    per_fold = []
    for f in range(folds):
        t_f, c_f = Counter(total), Counter(cue)
        for k, (t, c) in enumerate(per_doc):
            if fold_of[k] == f:
                t_f.subtract(t)
                c_f.subtract(c)
        t_f = Counter({k: v for k, v in t_f.items() if v > 0})
        c_f = Counter({k: v for k, v in c_f.items() if v > 0})
        per_fold.append(CueLexicon(cue_counts.kept(t_f, c_f), classes))
    return full, [per_fold[f] for f in fold_of]


def examples(
    docs: list[Doc], documents: list[GoldDocument], lexicon_for: Callable[[int], CueLexicon]
) -> list[Example]:
    out = []
    for k, (doc, g) in enumerate(zip(docs, documents, strict=True)):
        f = features.featurize(doc, Article(text=g.text), lexicon_for(k))
        out.append(Example(f.ids, f.dense, gold_tags(doc, g.relations), doc, g, f.rules))
    return out
