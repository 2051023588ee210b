"""Counting cue words in their frames over a gold-annotated corpus (``build-lexicon``).

For every word that could head a cue, its (lemma, part of speech, frame) is counted, and
counted again as a cue when a gold cue span has it as its syntactic head.  The result is
the table ``data/cue_counts.tsv`` that :mod:`.lexicon` smooths into probabilities.  It
holds lemmas and numbers only, never text from the corpus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from spacy.tokens import Doc

from ..records import Offsets
from .quotes import find_quotes
from .rules import CANDIDATE_POS, QuoteIndex, frame_of

# A (lemma, pos, frame) seen fewer times than this is left out: it would only add noise
# and size, and the lemma-wide estimate covers it.
MIN_TOTAL = 2


def cue_heads(doc: Doc, cue_spans: Iterable[tuple[Offsets, ...]]) -> set[int]:
    """Token indices of the syntactic heads of gold cue spans."""
    heads: set[int] = set()
    for spans in cue_spans:
        toks = []
        for s, e in spans:
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is not None:
                toks.extend(span)
        ids = {t.i for t in toks}
        for t in toks:
            if t.head.i not in ids or t.head.i == t.i:
                heads.add(t.i)
                break
    return heads


def count(examples: Iterable[tuple[Doc, list[tuple[Offsets, ...]]]]) -> dict:
    """(lemma, pos, frame) -> [occurrences, occurrences as a cue head]."""
    total: Counter = Counter()
    cue: Counter = Counter()
    for doc, gold_cues in examples:
        heads = cue_heads(doc, gold_cues)
        quotes = QuoteIndex(find_quotes(doc.text))
        for token in doc:
            if token.pos_ not in CANDIDATE_POS:
                continue
            key = (token.lemma_.lower(), token.pos_, frame_of(token, quotes))
            total[key] += 1
            if token.i in heads:
                cue[key] += 1
    return {k: (n, cue[k]) for k, n in total.items() if cue[k] or n >= MIN_TOTAL}


def write_counts(counts: dict, path: Path, note: str) -> int:
    rows = sorted(
        (k for k, (n, c) in counts.items() if c > 0 or n >= 5),
        key=lambda k: (k[0], k[1], k[2]),
    )
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"# {note}\n# lemma\tpos\tframe\toccurrences\tas_cue_head\n")
        for k in rows:
            n, c = counts[k]
            f.write(f"{k[0]}\t{k[1]}\t{k[2]}\t{n}\t{c}\n")
    return len(rows)
