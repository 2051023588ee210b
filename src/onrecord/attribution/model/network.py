"""The tagger network, forward pass only, in numpy: what runs at detection time.

Hashed embeddings and dense features → a dense layer → a bidirectional LSTM → tag
scores.  Long documents are cut into overlapping windows that run as one batch; each
token takes its scores from the window in which it sits farthest from an edge.  The
weights are the ones :mod:`.training` learned with PyTorch, saved as a ``.npz``; the
architecture's sizes come from the same file, so nothing here needs PyTorch.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from ...nlp import check_time
from .features import FIELDS, SHARED

WINDOW_GROUP = 256


def windows(n: int, width: int, stride: int) -> list[tuple[int, int]]:
    """Overlapping [start, end) windows covering n tokens (one window if n <= width)."""
    if n <= width:
        return [(0, n)]
    out = []
    s = 0
    while True:
        e = min(s + width, n)
        out.append((max(0, e - width), e))
        if e == n:
            return out
        s += stride


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


class Tagger:
    """Tag scores (log-probabilities) for every token of a document."""

    def __init__(self, weights: dict[str, np.ndarray], config: dict) -> None:
        self.config = config
        self.width = int(config["window"])
        self.stride = int(config["stride"])
        self.layers = int(config["layers"])
        w = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        self.tables = [w[f"emb.{SHARED.get(name, name)}.weight"] for name, _ in FIELDS]
        self.w_in = w["inp.weight"].T.copy()
        self.b_in = w["inp.bias"]
        self.lstm = []
        for layer in range(self.layers):
            per_dir = []
            for suffix in ("", "_reverse"):
                wi = w[f"lstm.weight_ih_l{layer}{suffix}"].T.copy()
                wh = w[f"lstm.weight_hh_l{layer}{suffix}"].T.copy()
                b = w[f"lstm.bias_ih_l{layer}{suffix}"] + w[f"lstm.bias_hh_l{layer}{suffix}"]
                per_dir.append((wi, wh, b))
            self.lstm.append(per_dir)
        self.w_out = w["out.weight"].T.copy()
        self.b_out = w["out.bias"]
        self.transitions = w.get("crf.transitions")

    @classmethod
    def load(cls, folder: str | Path) -> Tagger:
        folder = Path(folder)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        with np.load(folder / "tagger.npz") as z:
            weights = {k: z[k] for k in z.files}
        return cls(weights, config)

    def _inputs(self, ids: np.ndarray, dense: np.ndarray) -> np.ndarray:
        parts = [table[ids[:, k]] for k, table in enumerate(self.tables)]
        parts.append(dense)
        x = np.concatenate(parts, axis=1) @ self.w_in + self.b_in
        return np.maximum(x, 0.0, out=x)

    def _bilstm(self, x: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """x: (batch, time, dim), right-padded; returns (batch, time, 2 * hidden).

        Both directions advance in the same step, as one stacked matrix product: the
        backward direction reads each sequence reversed within its own length."""
        batch, steps, _ = x.shape
        idx = lengths[:, None] - 1 - np.arange(steps)[None, :]
        valid = (idx >= 0)[:, :, None]
        idx = np.where(idx >= 0, idx, 0)[:, :, None]
        for (wi_f, wh_f, b_f), (wi_b, wh_b, b_b) in self.lstm:
            hidden = wh_f.shape[0]
            x_rev = np.take_along_axis(x, idx, axis=1)
            x_rev *= valid
            # (2, batch, steps, 4h), written in place: the largest array of the model
            gates_x = np.empty((2, batch, steps, wi_f.shape[1]), dtype=np.float32)
            np.matmul(x, wi_f, out=gates_x[0])
            gates_x[0] += b_f
            np.matmul(x_rev, wi_b, out=gates_x[1])
            gates_x[1] += b_b
            del x_rev
            wh = np.stack([wh_f, wh_b])  # (2, h, 4h)
            h = np.zeros((2, batch, hidden), dtype=np.float32)
            c = np.zeros((2, batch, hidden), dtype=np.float32)
            out = np.empty((steps, 2, batch, hidden), dtype=np.float32)
            for t in range(steps):
                g = gates_x[:, :, t] + np.matmul(h, wh)
                sig = _sigmoid(g[..., : 2 * hidden])
                c *= sig[..., hidden:]
                c += sig[..., :hidden] * np.tanh(g[..., 2 * hidden : 3 * hidden])
                h = _sigmoid(g[..., 3 * hidden :]) * np.tanh(c)
                out[t] = h
            del gates_x  # (before the next layer makes its own)
            fwd = out[:, 0].transpose(1, 0, 2)
            bwd = np.take_along_axis(out[:, 1].transpose(1, 0, 2), idx, axis=1)
            bwd *= valid
            x = np.concatenate([fwd, bwd], axis=2)
            del fwd, bwd, out
        return x

    def scores(self, ids: np.ndarray, dense: np.ndarray) -> np.ndarray:
        """(n_tokens, n_tags) log-probabilities."""
        n = len(ids)
        n_tags = self.b_out.shape[0]
        if n == 0:
            return np.zeros((0, n_tags), dtype=np.float32)
        out = np.empty((n, n_tags), dtype=np.float32)
        margin = np.full(n, -1, dtype=np.int64)
        spans = windows(n, self.width, self.stride)
        # The windows run as one batch, or in batches of WINDOW_GROUP windows for a
        # document longer than that (about 24,000 tokens), so that memory stays in
        # proportion: the LSTM's gates take 512 KB a window.
        for g in range(0, len(spans), WINDOW_GROUP):
            check_time()
            group = spans[g : g + WINDOW_GROUP]
            lo, hi = group[0][0], max(e for _, e in group)
            x = self._inputs(ids[lo:hi], dense[lo:hi].astype(np.float32, copy=False))
            steps = max(e - s for s, e in group)
            batch = np.zeros((len(group), steps, x.shape[1]), dtype=np.float32)
            lengths = np.array([e - s for s, e in group], dtype=np.int64)
            for k, (s, e) in enumerate(group):
                batch[k, : e - s] = x[s - lo : e - lo]
            h = self._bilstm(batch, lengths)
            logits = h @ self.w_out + self.b_out
            for k, (s, e) in enumerate(group):
                pos = np.arange(s, e)
                m = np.minimum(pos - s if s > 0 else 1 << 30, e - 1 - pos if e < n else 1 << 30)
                better = m > margin[s:e]
                out[s:e][better] = logits[k, : e - s][better]
                margin[s:e] = np.where(better, m, margin[s:e])
        out -= out.max(axis=1, keepdims=True)
        out -= np.log(np.exp(out).sum(axis=1, keepdims=True))
        return out
