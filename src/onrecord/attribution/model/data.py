"""Training examples: gold relations as token tags, and the cue counts the features use.

The tagger labels every token with one of seven tags, BIO over the three roles (no
attribution nests in PolNeAR, so one tag per token is enough).  The cue counts that the
features read are recounted from the training corpus; the training documents' own
features use counts from the *other* folds, so that a word's probability of being a cue
is never computed from the very token being labelled.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from spacy.tokens import Doc

from ...records import Offsets
from ..lexicon import Counts, CueLexicon, _read_classes
from ..lexicon_build import MIN_TOTAL, cue_heads
from ..quotes import find_quotes
from ..rules import CANDIDATE_POS, QuoteIndex, frame_of
from ..syntax import doc_text

TAGS = ("O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content")
TAG_INDEX = {t: k for k, t in enumerate(TAGS)}
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


def doc_counts(doc: Doc, cues: Sequence[tuple[Offsets, ...]]) -> tuple[Counter, Counter]:
    """(lemma, pos, frame) occurrences and occurrences as a gold cue head, in one doc."""
    heads = cue_heads(doc, cues)
    quotes = QuoteIndex(find_quotes(doc_text(doc)))
    total: Counter = Counter()
    cue: Counter = Counter()
    for token in doc:
        if token.pos_ not in CANDIDATE_POS:
            continue
        key = (token.lemma_.lower(), token.pos_, frame_of(token, quotes))
        total[key] += 1
        if token.i in heads:
            cue[key] += 1
    return total, cue


def filtered(total: Counter, cue: Counter) -> dict[tuple[str, str, str], Counts]:
    """What ``build-lexicon`` would keep of these counts."""
    out = {}
    for k, n in total.items():
        c = cue.get(k, 0)
        if (c or n >= MIN_TOTAL) and (c > 0 or n >= 5):
            out[k] = Counts(n, c)
    return out


def lexicon_from(counts: dict[tuple[str, str, str], Counts]) -> CueLexicon:
    return CueLexicon(counts, _read_classes())


def write_counts(counts: dict[tuple[str, str, str], Counts], path, note: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"# {note}\n# lemma\tpos\tframe\toccurrences\tas_cue_head\n")
        for k in sorted(counts):
            f.write(f"{k[0]}\t{k[1]}\t{k[2]}\t{counts[k].total}\t{counts[k].cue}\n")
