"""Quote clusters: the same statement carried by many outlets is one statement.

Contents are folded (case, quote marks, dashes, ellipses, punctuation) and cut into word
3-gram shingles.  A MinHash signature (64 permutations) is split into 32 bands of 2 rows;
a new report looks up statements sharing any band (locality-sensitive hashing: a pair
with shingle Jaccard 0.2 is found with probability ~0.75, at 0.5 ~0.9999), and each
candidate is then checked exactly: the two share at least 70% of the smaller one's
shingles (containment, so a truncated quote still matches its full version) and, where
both speakers are known, the same speaker said them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np
from datasketch import MinHash

NUM_PERM = 64
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 3
CONTAINMENT = 0.7
# Contents shorter than this many words cluster only when identical once folded: "We
# will win" from two people is not one statement.
MIN_WORDS = 6
SEED = 1

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


def signature(norm: str) -> np.ndarray:
    m = MinHash(num_perm=NUM_PERM, seed=SEED)
    for s in shingles(norm):
        m.update(s.encode("utf-8"))
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
    if min(len(a.split()), len(b.split())) < MIN_WORDS:
        return False
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) >= CONTAINMENT * min(len(sa), len(sb))
