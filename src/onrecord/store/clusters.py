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


@lru_cache(maxsize=8192)  # a report's content is folded to cluster it, then to count it
def fold_content(text: str) -> str:
    """Content as the clustering compares it: no case, quote marks, ellipses or
    punctuation, every word kept as written (accents, initials).  A name folds otherwise,
    to the key speakers match on: :func:`onrecord.names.fold_name`."""
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
def _minhash():
    """An empty MinHash for SEED, made once: its permutations, scheme and hash function
    serve every signature (MinHash would remake the permutations each time)."""
    from datasketch import MinHash  # here: it takes a while, and only writers need it

    return MinHash(num_perm=NUM_PERM, seed=SEED)


def signature(norm: str) -> np.ndarray:
    return signatures([norm])[0]


def signatures(norms: list[str]) -> np.ndarray:
    """The MinHash signatures of many folded contents, one row each: datasketch's own
    arithmetic (hash, pre-mix, affine permutations, minimum), done for all their
    shingles at once rather than one MinHash object per content."""
    import datasketch.minhash as dm

    m = _minhash()
    scheme = getattr(m, "scheme", "legacy")  # datasketch before 2.0 has only "legacy"
    needs = ("_mersenne_prime", "_max_hash") if scheme == "legacy" else ("_fmix", "_SCHEME_WIDTHS")
    if not all(hasattr(dm, name) for name in needs):
        # A datasketch whose internals moved: its public, slower path, same values.
        return np.array([_one_signature(norm) for norm in norms], dtype=np.uint64).reshape(
            len(norms), NUM_PERM
        )
    out = np.empty((len(norms), NUM_PERM), dtype=np.uint64)
    hashes: list[int] = []
    offsets: list[int] = []
    rows: list[int] = []
    for i, norm in enumerate(norms):
        found = shingles(norm)
        if found:
            rows.append(i)
            offsets.append(len(hashes))
            hashes.extend(m.hashfunc(s.encode("utf-8")) for s in found)
        else:  # no shingle: the empty MinHash
            out[i] = m.hashvalues
    if not hashes:
        return out
    a, b = m.permutations
    with np.errstate(over="ignore"):
        if scheme == "legacy":
            hv = np.array(hashes, dtype=np.uint64).reshape(-1, 1)
            phv = np.bitwise_and((hv * a + b) % dm._mersenne_prime, dm._max_hash)
        else:
            hv = m._hash_input_array(hashes).reshape(-1, 1)
            phv = dm._fmix(hv, dm._SCHEME_WIDTHS[scheme]) * a + b
    out[rows] = np.minimum.reduceat(phv, offsets, axis=0)
    return out


def _one_signature(norm: str) -> np.ndarray:
    from datasketch import MinHash

    template = _minhash()
    scheme = getattr(template, "scheme", None)
    options = {"scheme": scheme} if scheme is not None else {}
    m = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=template.permutations, **options)
    m.update_batch([s.encode("utf-8") for s in shingles(norm)])
    return m.hashvalues.astype(np.uint64)


def band_hashes(sig: np.ndarray) -> list[tuple[int, int]]:
    """(band, signed 64-bit hash) for each band of a signature."""
    raw = sig.astype(np.uint64, copy=False).tobytes()
    step = 8 * ROWS
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    return [
        (
            b,
            from_bytes(
                blake2b(raw[b * step : (b + 1) * step], digest_size=8).digest(), "big", signed=True
            ),
        )
        for b in range(BANDS)
    ]


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u8").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)


# Reported speech shifts tense and person ("we will" → "they would"); numbers come as
# words or digits.  Both versions are compared with these folded to one form.
_EQUIVALENT = {
    **dict.fromkeys(("will", "would"), "will"),
    **dict.fromkeys(("shall", "should"), "shall"),
    **dict.fromkeys(("can", "could"), "can"),
    **dict.fromkeys(("is", "was", "am", "are", "were"), "be"),
    **dict.fromkeys(("has", "have", "had"), "have"),
    **dict.fromkeys(("we", "they", "i", "he", "she"), "we"),
    **dict.fromkeys(("our", "their", "my", "his", "her"), "our"),
    **dict.fromkeys(("us", "them", "me", "him"), "us"),
    **dict.fromkeys(("percent", "per", "cent"), "percent"),
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
}
# A quote cut short still names its speaker's words: at least this many of them.
MIN_FRAGMENT = 4
# Words changed between two versions (beyond what one leaves off at either end), as a
# share of the shorter version: "additional" for "extra", "around" for "about".
MAX_CHANGED = 0.2


def _words(norm: str) -> list[str]:
    words = [_EQUIVALENT.get(w, w) for w in norm.split()]
    if words and words[0] == "that":  # "said that …" against the quote itself
        words = words[1:]
    return words


def same_statement(a: str, b: str) -> bool:
    """Two folded contents report the same utterance."""
    if a == b:
        return True
    wa, wb = _words(a), _words(b)
    if not wa or not wb or _negation_changed(wa, wb):
        return False
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    fragment = len(short) >= MIN_WORDS or 2 * len(short) >= len(long)
    if len(short) >= MIN_FRAGMENT and fragment and _contains(long, short):
        return True  # cut short (a stock phrase inside a long quote is not enough)
    if len(short) < MIN_WORDS:
        return False
    sa, sb = shingles(" ".join(wa)), shingles(" ".join(wb))
    if len(sa & sb) >= CONTAINMENT * min(len(sa), len(sb)):
        return True
    changed, figures = _changed_inside(wa, wb)
    return not figures and changed <= max(1, int(MAX_CHANGED * len(short)))


def likeness(a: str, b: str) -> float:
    """How alike two folded contents are: the Jaccard similarity of their word 3-grams
    (tense and person folded as :func:`same_statement` folds them).  Of several stored
    statements a report is the same as, it joins the most alike: a quote joins the quote,
    not a report that has it inside."""
    sa, sb = shingles(" ".join(_words(a))), shingles(" ".join(_words(b)))
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def _contains(long: list[str], short: list[str]) -> bool:
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _changed_inside(wa: list[str], wb: list[str]) -> tuple[int, bool]:
    """Words replaced, added or dropped, not counting what one version leaves off at
    either end; and whether a figure is among them ("2 weeks" is not "3 weeks")."""
    ops = [op for op in Levenshtein.opcodes(wa, wb) if op.tag != "equal"]
    if ops and ops[0].tag != "replace" and ops[0].src_start == ops[0].dest_start == 0:
        ops = ops[1:]
    if (
        ops
        and ops[-1].tag != "replace"
        and ops[-1].src_end == len(wa)
        and ops[-1].dest_end == len(wb)
    ):
        ops = ops[:-1]
    changed = sum(max(op.src_end - op.src_start, op.dest_end - op.dest_start) for op in ops)
    figures = any(
        any(ch.isdigit() for ch in w)
        for op in ops
        for w in wa[op.src_start : op.src_end] + wb[op.dest_start : op.dest_end]
    )
    return changed, figures


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
