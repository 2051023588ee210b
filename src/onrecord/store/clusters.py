"""Quote clusters: the same statement carried by many outlets is one statement.

Contents are folded (case, quote marks, dashes, ellipses, punctuation) and cut into word
3-gram shingles.  A MinHash signature (64 permutations) is split into 32 bands of 2 rows;
a new report looks up statements sharing any band (locality-sensitive hashing: a pair
with shingle Jaccard 0.2 is found with probability ~0.75, at 0.5 ~0.9999), and each
candidate is then checked exactly: the two share at least 70% of the smaller one's
shingles (containment, so a truncated quote still matches its full version), or they
differ by one word in ten at most (a short quote with one word changed shares too few
shingles for containment), and, where both speakers are known, the same speaker said
them.  A "not" (or "never", "no") in one and not the other is never a small change.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

import numpy as np
from rapidfuzz.distance import Levenshtein

NUM_PERM = 64
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 3
CONTAINMENT = 0.7
# Contents shorter than this many words cluster only when identical once folded: "We
# will win" from two people is not one statement.
MIN_WORDS = 6
SEED = 1
# Words whose presence turns a statement into its opposite.
NEGATIONS = frozenset("not no never nothing nobody none neither nor cannot t".split())

_MARKS = str.maketrans({c: " " for c in "\"'“”‘’«»‹›„‚`´"})
_ELLIPSIS = re.compile(r"\.\.\.|…|\[\.\.\.\]")
_NON_WORD = re.compile(r"[^\w\s]+", re.UNICODE)
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Content as the clustering compares it."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _ELLIPSIS.sub(" ", text).translate(_MARKS)
    text = _NON_WORD.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def shingles(norm: str) -> set[str]:
    words = norm.split()
    if len(words) < SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


@lru_cache(maxsize=1)
def _permutations():
    """The hash permutations for SEED, made once (MinHash would remake them each time)."""
    from datasketch import MinHash  # here: it takes a while, and only writers need it

    m = MinHash(num_perm=NUM_PERM, seed=SEED)
    return m.permutations, m.scheme


def signature(norm: str) -> np.ndarray:
    from datasketch import MinHash  # here: it takes a while, and only writers need it

    permutations, scheme = _permutations()
    m = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=permutations, scheme=scheme)
    m.update_batch([s.encode("utf-8") for s in shingles(norm)])
    return m.hashvalues.astype(np.uint64)


def band_hashes(sig: np.ndarray) -> list[tuple[int, int]]:
    """(band, signed 64-bit hash) for each band of a signature."""
    out = []
    for b in range(BANDS):
        digest = hashlib.blake2b(sig[b * ROWS : (b + 1) * ROWS].tobytes(), digest_size=8).digest()
        out.append((b, int.from_bytes(digest, "big", signed=True)))
    return out


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u8").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)


def same_statement(a: str, b: str) -> bool:
    """Two folded contents report the same utterance."""
    if a == b:
        return True
    wa, wb = a.split(), b.split()
    if min(len(wa), len(wb)) < MIN_WORDS:
        return False
    if _negation_changed(wa, wb):
        return False
    sa, sb = shingles(a), shingles(b)
    if len(sa & sb) >= CONTAINMENT * min(len(sa), len(sb)):
        return True
    return Levenshtein.distance(wa, wb) <= max(1, min(len(wa), len(wb)) // 10)


def _negation_changed(wa: list[str], wb: list[str]) -> bool:
    """A negation added, dropped or replaced between two versions; what one leaves off
    at either end (a truncated quote) is not a change."""
    ops = [op for op in Levenshtein.opcodes(wa, wb) if op.tag != "equal"]
    if ops and ops[0].tag != "replace" and ops[0].src_start == ops[0].dest_start == 0:
        ops = ops[1:]  # the start of one is missing from the other
    if ops and ops[-1].tag != "replace":
        last = ops[-1]
        if last.src_end == len(wa) and last.dest_end == len(wb):
            ops = ops[:-1]  # so is the end
    return any(
        w in NEGATIONS
        for op in ops
        for w in wa[op.src_start : op.src_end] + wb[op.dest_start : op.dest_end]
    )
