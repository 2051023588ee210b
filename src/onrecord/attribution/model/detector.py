"""The trained detector: features → tagger → constrained decoding → linking."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from ...records import Article, Attribution, Offsets
from ..lexicon import CueLexicon, _read_classes, read_counts
from ..quotes import statement_type
from ..syntax import doc_text
from . import decoding, features
from .network import Tagger

WEIGHTS = "weights"


_OPENING = frozenset("“„«‹‘‚\"'")
_CLOSING = frozenset("”»›’\"'")
_CUE_TAIL = " \t\n,;:—–-"


def _unquoted(text: str, spans: tuple[Offsets, ...]) -> tuple[Offsets, ...]:
    """Content fragments without the quotation marks around them (PolNeAR's spans take
    the marks in; onrecord's record gives what was said, as the rules do)."""
    out = []
    for s, e in spans:
        if e - s >= 2 and text[s] in _OPENING and text[e - 1] in _CLOSING:
            s, e = s + 1, e - 1
        elif e - s >= 2 and text[s] in _OPENING and text[s] not in "'":
            s += 1
        elif e - s >= 2 and text[e - 1] in "”»":
            e -= 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)


def _cue_trimmed(text: str, spans: tuple[Offsets, ...]) -> tuple[Offsets, ...]:
    """A cue without trailing punctuation ("said:" → "said"), unless it is punctuation
    itself (the colon of "Kadyrov: ...")."""
    out = []
    for s, e in spans:
        end = e
        while end > s and text[end - 1] in _CUE_TAIL:
            end -= 1
        out.append((s, end if end > s else e))
    return tuple(out)


def to_attributions(
    doc: Doc,
    scores: np.ndarray,
    transitions: np.ndarray | None,
    linker: decoding.Linker,
    in_quote: np.ndarray,
) -> list[Attribution]:
    """Relations from the tagger's scores for one document, in reading order."""
    path = decoding.viterbi(scores, transitions)
    segs = decoding.segments(path, scores)
    info = decoding.DocInfo(doc, in_quote)
    text = doc_text(doc)
    out = []
    for rel in decoding.link(info, segs, linker):
        cue = _cue_trimmed(text, decoding.char_spans(doc, [rel.cue]))
        content = _unquoted(text, decoding.char_spans(doc, rel.content))
        if not cue or not content:
            continue
        source = decoding.char_spans(doc, [rel.source]) if rel.source else ()
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
    """The trained tagger and linker (weights from ``onrecord train``)."""

    name = "model"

    def __init__(self, folder: str | Path | None = None) -> None:
        folder = Path(folder) if folder is not None else default_folder()
        self.folder = folder
        self.config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.tagger = Tagger.load(folder)
        with np.load(folder / "linker.npz") as z:
            self.linker = decoding.Linker({k: z[k] for k in z.files})
        self.lexicon = CueLexicon(read_counts(folder / "cue_counts.tsv"), _read_classes())

    def detect(self, doc: Doc, article: Article) -> list[Attribution]:
        if not len(doc):
            return []
        f = features.featurize(doc, article, self.lexicon)
        scores = self.tagger.scores(f.ids, f.dense)
        found = to_attributions(
            doc,
            scores,
            self.tagger.transitions,
            self.linker,
            f.dense[:, features._INDEX["in_quote"]],
        )
        if article.excluded:
            found = [a for a in found if not any(s <= a.cue[0][0] < e for s, e in article.excluded)]
        return found


def default_folder() -> Path:
    return Path(str(resources.files("onrecord.attribution.model").joinpath(WEIGHTS)))


@lru_cache(maxsize=4)
def load(folder: str | None = None) -> ModelDetector:
    return ModelDetector(folder)
