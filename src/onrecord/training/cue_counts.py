"""Counting cue words in their frames over a gold-annotated corpus (``build-lexicon``,
and ``train`` for the counts a model ships with).

For every word that could head a cue, its (lemma, part of speech, frame) is counted, and
counted again as a cue when a gold cue span has it as its syntactic head.  The result is
the table (``cue_counts.tsv``) that :mod:`onrecord.attribution.lexicon` smooths into
probabilities.  It holds lemmas and numbers only, never text from the corpus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from spacy.tokens import Doc

from ..attribution.frames import CANDIDATE_POS, QuoteIndex, frame_of
from ..attribution.lexicon import Counts
from ..attribution.quotes import find_quotes
from ..attribution.syntax import doc_text
from ..records import Offsets

Key = tuple[str, str, str]  # (lemma, part of speech, frame)

# A (lemma, pos, frame) seen fewer times than this without ever heading a cue is left
# out: it would only add noise and size, and the lemma-wide estimate covers it.
MIN_TOTAL = 5


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


def kept(total: Counter, cue: Counter) -> dict[Key, Counts]:
    """The counts worth keeping: a word in a frame that headed a cue at least once, or
    that was seen at least ``MIN_TOTAL`` times."""
    out = {}
    for k, n in total.items():
        c = cue.get(k, 0)
        if c > 0 or n >= MIN_TOTAL:
            out[k] = Counts(n, c)
    return out


def count(examples: Iterable[tuple[Doc, Sequence[tuple[Offsets, ...]]]]) -> dict[Key, Counts]:
    """The kept counts over (parsed article, its gold cue spans) pairs."""
    total: Counter = Counter()
    cue: Counter = Counter()
    for doc, gold_cues in examples:
        t, c = doc_counts(doc, gold_cues)
        total.update(t)
        cue.update(c)
    return kept(total, cue)


def write_counts(counts: dict[Key, Counts], path: Path, note: str) -> int:
    """Write the table :func:`onrecord.attribution.lexicon.read_counts` reads; returns
    its number of rows."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"# {note}\n# lemma\tpos\tframe\toccurrences\tas_cue_head\n")
        for k in sorted(counts):
            f.write(f"{k[0]}\t{k[1]}\t{k[2]}\t{counts[k].total}\t{counts[k].cue}\n")
    return len(counts)
