"""Pretrained word vectors without context, for the default model: no language model runs.

Each token takes the mean of its word pieces' *input* embeddings in all-MiniLM-L6-v2
(the table a BERT looks its pieces up in before any layer runs), reduced by a principal
component analysis to a few dozen values.  A lookup costs next to nothing, and it gives
the tagger what its hashed embeddings cannot learn from 840 articles: that "bemoaned"
is near "lamented" and "complained".

The reduced table and the vocabulary it is indexed by are written into the model folder
by ``onrecord train --static-dim N`` (which needs the language model's wheel), so the
trained model loads them from the package with nothing else installed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .lm import WordPieces, base_folder, read_safetensors

FILE = "static.npz"
CACHED_TEXTS = 65_536


def reduced_table(dim: int) -> tuple[np.ndarray, list[str]]:
    """The language model's piece embeddings projected on their ``dim`` principal
    components, each scaled to unit variance over the vocabulary, and the vocabulary."""
    folder = base_folder()
    weights = read_safetensors(folder / "model.safetensors")
    key = next(k for k in weights if k.endswith("embeddings.word_embeddings.weight"))
    table = np.asarray(weights[key], dtype=np.float64)
    centred = table - table.mean(axis=0)
    # The right singular vectors are the principal axes; deterministic up to sign, which
    # is fixed so that each axis's largest loading is positive.
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    axes = vt[:dim]
    axes *= np.sign(axes[np.arange(dim), np.abs(axes).argmax(axis=1)])[:, None]
    projected = centred @ axes.T
    projected /= projected.std(axis=0) + 1e-8
    vocab = (folder / "vocab.txt").read_text(encoding="utf-8").split("\n")
    return projected.astype(np.float16), vocab[: len(table)]


class StaticVectors:
    """Per-token vectors of a spaCy doc: the mean of its pieces' rows in the table."""

    def __init__(self, table: np.ndarray, vocab: list[str]) -> None:
        self.table = np.asarray(table, dtype=np.float32)
        self.pieces = WordPieces.from_words(vocab)
        self.dim = self.table.shape[1]
        # Token text → vector: a lookup is a seventh of computing the mean again; as many
        # texts as the word pieces' own cache keeps (about 35 MB at most).
        self._cache: dict[str, np.ndarray] = {}

    @classmethod
    def build(cls, dim: int) -> StaticVectors:
        return cls(*reduced_table(dim))

    @classmethod
    def load(cls, folder: str | Path) -> StaticVectors:
        with np.load(Path(folder) / FILE) as z:
            return cls(z["table"], [str(w) for w in z["vocab"]])

    def save(self, folder: str | Path) -> None:
        np.savez_compressed(
            Path(folder) / FILE,
            table=self.table.astype(np.float16),
            vocab=np.asarray(self.pieces.words),
        )

    def of_text(self, text: str) -> np.ndarray:
        vector = self._cache.get(text)
        if vector is None:
            ids = self.pieces.ids(text)
            vector = self.table[list(ids)].mean(axis=0) if ids else np.zeros(self.dim, np.float32)
            if len(self._cache) < CACHED_TEXTS:
                self._cache[text] = vector
        return vector

    def __call__(self, doc) -> np.ndarray:
        if not len(doc):
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.of_text(t.text) for t in doc]).astype(np.float32, copy=False)
