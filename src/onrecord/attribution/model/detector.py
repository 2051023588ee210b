"""The trained detector: features → tagger → constrained decoding → linking."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Token

from ...errors import OnrecordError
from ...nlp import check_time
from ...records import Article, Attribution
from ..intervals import SpanIndex
from ..lexicon import CLASSES_FILE, COUNTS_FILE, CueLexicon, read_classes, read_counts
from ..quotes import Quote, statement_type
from ..syntax import doc_text
from . import decoding, features, hybrid, spans
from .network import Tagger
from .static import FILE as STATIC_FILE
from .static import StaticVectors

WEIGHTS = "weights"
# The slower, more accurate model: the same tagger with a tuned language model's vectors.
WEIGHTS_LM = "weights-lm"
# A model folder written by `onrecord train`, used instead of the shipped one.
MODEL_ENV = "ONRECORD_MODEL"
# The cue list the model was trained with (CLASSES_FILE) and the counts training made
# (COUNTS_FILE) are read from the folder, never from the package's data/: the lexicon
# features are the ones the weights learned from.
MODEL_FILES = ("config.json", "tagger.npz", "linker.npz", COUNTS_FILE, CLASSES_FILE)
# See ModelDetector._plausible_cue: the sourceless relations it drops are mostly wrong,
# a few right (the figures: docs/benchmarks.md §7).
SOURCELESS_CUE_RATE = 0.4
# The version of a model whose config.json names none (written by hand).
UNVERSIONED = "unversioned"


def to_attributions(
    doc: Doc,
    scores: np.ndarray,
    transitions: np.ndarray | None,
    linker: decoding.Linker,
    in_quote: np.ndarray,
    quotes: Sequence[Quote] = (),
) -> list[Attribution]:
    """Relations from the tagger's scores for one document, in reading order
    (``quotes``: the document's quotations, which some span adjustments look at)."""
    path = decoding.viterbi(scores, transitions)
    segs = decoding.segments(path, scores)
    info = decoding.DocInfo(doc, in_quote)
    text = doc_text(doc)
    fragments = [f for q in quotes for f in q.fragments]
    quote_ends = frozenset(e for _, e in fragments)
    quoted = spans.Quoted(fragments)
    out = []
    for k, rel in enumerate(decoding.link(info, segs, linker)):
        if not k & 255:
            check_time()
        cue = spans.rstripped(text, decoding.char_spans(doc, [spans.cue_core(doc, rel.cue)]))
        source = spans.rstripped(text, decoding.char_spans(doc, [rel.source])) if rel.source else ()
        content = spans.without(text, decoding.char_spans(doc, rel.content), (*source, *cue))
        content = spans.with_inner_punctuation(text, spans.unquoted(text, content), quote_ends)
        if cue:
            content = spans.without_narration(text, content, cue, quoted)
        if not cue or not content:
            continue
        parts = [rel.cue.score, *(s.score for s in rel.content)]
        if rel.source:
            parts.append(rel.source.score)
        out.append(
            Attribution(
                cue=cue,
                content=content,
                source=source,
                type=statement_type(text, content),
                confidence=round(float(np.mean(parts)), 3),
            )
        )
    out.sort(key=lambda a: a.cue[0][0])
    return out


class ModelDetector:
    """The trained tagger and linker (weights from ``onrecord train``).  Its version is
    the weights': the date they were trained (``version`` in ``config.json``)."""

    name = "model"

    def __init__(self, folder: str | Path | None = None) -> None:
        folder = Path(folder) if folder is not None else default_folder()
        missing = [name for name in MODEL_FILES if not (folder / name).is_file()]
        if missing:
            raise OnrecordError(
                f"{folder}: not a model folder written by `onrecord train` "
                f"(no {', '.join(missing)})"
            )
        self.folder = folder
        self.config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.version = str(self.config.get("version", UNVERSIONED))
        self.tagger = Tagger.load(folder)
        with np.load(folder / "linker.npz") as z:
            self.linker = decoding.Linker({k: z[k] for k in z.files})
        self.lexicon = CueLexicon(
            read_counts(folder / COUNTS_FILE), read_classes(folder / CLASSES_FILE)
        )
        self.static = StaticVectors.load(folder) if (folder / STATIC_FILE).is_file() else None
        self.vectors = None
        if (folder / "lm.npz").is_file():
            from .lm import TokenVectors

            with np.load(folder / "lm.npz") as z:
                self.vectors = TokenVectors.load({k: z[k] for k in z.files})
            self.name = "model-lm"

    def detect(self, doc: Doc, article: Article) -> list[Attribution]:
        if not len(doc):
            return []
        f = features.featurize(doc, article, self.lexicon)
        dense = f.dense
        if self.static is not None:
            dense = np.concatenate([dense, self.static(doc)], axis=1)
        if self.vectors is not None:
            dense = np.concatenate([dense, self.vectors(doc)], axis=1)
        scores = self.tagger.scores(f.ids, dense)
        text = doc_text(doc)
        found = to_attributions(
            doc,
            scores,
            self.tagger.transitions,
            self.linker,
            f.dense[:, features.INDEX["in_quote"]],
            f.quotes,
        )
        if article.excluded:
            boilerplate = SpanIndex((s, e, None) for s, e in article.excluded)
            found = [a for a in found if not boilerplate.any_holding(a.cue[0][0])]
        found = [a for a in found if a.source or self._plausible_cue(doc, a)]
        return hybrid.joined(found, f.rules, f.quotes, text, lambda a: self._reports(doc, a))

    def _reports(self, doc: Doc, a: Attribution) -> bool:
        """Whether a cue's head word is one the hand lexicon lists (speech, belief,
        evidence, stance), or a colon or "according to": not an action ("had voted")."""
        root = _cue_root(doc, a)
        if root is None:
            return False
        lemma = root.lemma_.lower()
        return (
            root.pos_ in ("PUNCT", "ADP")
            or lemma in ("accord", "according")
            or (lemma in self.lexicon.classes)
        )

    def _plausible_cue(self, doc: Doc, a: Attribution) -> bool:
        """A relation without a source needs a cue word that is a cue at least
        ``SOURCELESS_CUE_RATE`` of the times it occurs in the training articles (or one
        the hand lexicon lists): "'Built to last' is painted on the gate" is not one."""
        root = _cue_root(doc, a)
        if root is None:
            return False
        lemma = root.lemma_.lower()
        if lemma in self.lexicon.classes:
            return True
        counts = self.lexicon.by_lemma.get((lemma, root.pos_))
        return counts is not None and counts.cue >= SOURCELESS_CUE_RATE * counts.total > 0


def _cue_root(doc: Doc, a: Attribution) -> Token | None:
    """The head word of an attribution's cue (None when the cue covers no token)."""
    span = doc.char_span(a.cue[0][0], a.cue[-1][1], alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def default_folder() -> Path:
    """``$ONRECORD_MODEL`` when set, else the model that ships in the package."""
    chosen = os.environ.get(MODEL_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return shipped(WEIGHTS)


def shipped(name: str) -> Path:
    """A model folder inside the package."""
    return Path(str(resources.files("onrecord.attribution.model").joinpath(name)))


@lru_cache(maxsize=4)
def _load(folder: str) -> ModelDetector:
    return ModelDetector(folder)


def load(folder: str | None = None) -> ModelDetector:
    """The detector for ``folder`` (default: :func:`default_folder`), loaded once."""
    return _load(str(folder if folder is not None else default_folder()))
