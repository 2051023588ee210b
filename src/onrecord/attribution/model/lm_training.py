"""Fine-tuning the language model's top layers with the tagger (``--lm-layers K``).

The lower layers stay as published, so their output is computed once per document
(numpy, :mod:`.lm`) and kept in float16; only the top K layers run, in PyTorch, at every
step, with the tagger above them learning from the same loss.  The tuned layers are
saved under the checkpoint's own names, so :class:`.lm.LanguageModel` loads them over
the published ones.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from . import lm


@dataclass
class LMInput:
    """One document's input to the tuned layers: the lower layers' output per window."""

    hidden: np.ndarray  # (windows, steps, dim) float16
    lengths: np.ndarray  # (windows,)
    flat: np.ndarray  # where each piece is read, into windows × steps
    token: np.ndarray  # the token each piece belongs to
    weight: np.ndarray  # the piece's weight in its token's mean
    n_tokens: int


def prepare(docs, tuned_layers: int, log) -> tuple[lm.LanguageModel, list[LMInput]]:
    """The base model and every document's lower-layer states (run in PyTorch, which
    is about twice as fast as numpy here)."""
    import torch

    model = lm.LanguageModel.load()
    pieces = lm.WordPieces(lm.base_folder() / "vocab.txt")
    upto = len(model.layers) - tuned_layers
    lower = build_top(model, len(model.layers), dropout=0.0).eval()
    out = []
    t0 = time.perf_counter()
    for k, doc in enumerate(docs):
        ids, owner = pieces.of_tokens(t.text for t in doc)
        if not len(ids):
            ids, owner = np.array([pieces.unk]), np.array([0])
        spans = lm.piece_windows(len(ids))
        batch, lengths = lm.window_inputs(ids, spans, pieces.cls, pieces.sep)
        with torch.no_grad():
            x = torch.from_numpy(model.embed(batch).astype(np.float32))
            pad = (torch.arange(x.shape[1])[None, :] >= torch.from_numpy(lengths)[:, None]).float()
            for layer in lower.layers[:upto]:
                x = layer(x, pad)
        hidden = x.numpy().astype(np.float16)
        flat, token, weight = lm.pooling(owner, spans, max(1, len(doc)), batch.shape[1])
        out.append(LMInput(hidden, lengths, flat, token, weight, len(doc)))
        if (k + 1) % 100 == 0:
            seconds = time.perf_counter() - t0
            log(f"  language model, lower layers: {k + 1}/{len(docs)} ({seconds:.0f} s)")
    return model, out


def build_top(model: lm.LanguageModel, tuned_layers: int, dropout: float = 0.1):
    """The top layers as a PyTorch module, initialised from ``model``."""
    import torch

    nn = torch.nn
    first = len(model.layers) - tuned_layers

    class Layer(nn.Module):
        def __init__(self, w: dict[str, np.ndarray]) -> None:
            super().__init__()
            d = w["q.w"].shape[0]
            inner = w["i.w"].shape[1]
            self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
            self.i, self.f = nn.Linear(d, inner), nn.Linear(inner, d)
            self.ln1, self.ln2 = nn.LayerNorm(d, eps=1e-12), nn.LayerNorm(d, eps=1e-12)
            self.drop = nn.Dropout(dropout)
            with torch.no_grad():
                for m in ("q", "k", "v", "o", "i", "f"):
                    # lm keeps weights transposed (x @ w); torch's Linear wants (out, in).
                    getattr(self, m).weight.copy_(torch.from_numpy(w[m + ".w"].T.copy()))
                    getattr(self, m).bias.copy_(torch.from_numpy(w[m + ".b"].copy()))
                for m in ("ln1", "ln2"):
                    getattr(self, m).weight.copy_(torch.from_numpy(w[m + ".g"].copy()))
                    getattr(self, m).bias.copy_(torch.from_numpy(w[m + ".b"].copy()))

        def forward(self, x, pad):
            b, t, d = x.shape
            h = lm.LanguageModel.heads

            def split(y):
                return y.view(b, t, h, d // h).transpose(1, 2)

            q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
            att = q @ k.transpose(-1, -2) / float(np.sqrt(d // h))
            att = att + pad[:, None, None, :] * -1e4
            att = self.drop(att.softmax(-1))
            ctx = (att @ v).transpose(1, 2).reshape(b, t, d)
            x = self.ln1(self.drop(self.o(ctx)) + x)
            inner = nn.functional.gelu(self.i(x), approximate="tanh")
            return self.ln2(self.drop(self.f(inner)) + x)

    class Top(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.first = first
            self.layers = nn.ModuleList(
                Layer(model.layers[k]) for k in range(first, len(model.layers))
            )

        def forward(self, item: LMInput):
            """Per-token vectors (n_tokens, dim) of one document."""
            x = torch.from_numpy(item.hidden.astype(np.float32))
            lengths = torch.from_numpy(item.lengths)
            pad = (torch.arange(x.shape[1])[None, :] >= lengths[:, None]).float()
            for layer in self.layers:
                x = layer(x, pad)
            flat = x.reshape(-1, x.shape[-1])[torch.from_numpy(item.flat)]
            flat = flat * torch.from_numpy(item.weight)[:, None]
            out = torch.zeros(item.n_tokens, x.shape[-1])
            return out.index_add(0, torch.from_numpy(item.token), flat)

        def export(self) -> dict[str, np.ndarray]:
            """The tuned weights under the checkpoint's names (what lm.LanguageModel reads)."""
            out = {}
            for j, layer in enumerate(self.layers):
                names = lm.layer_names(self.first + j)
                for m in ("q", "k", "v", "o", "i", "f"):
                    out[names[m + ".w"]] = getattr(layer, m).weight.detach().numpy()
                    out[names[m + ".b"]] = getattr(layer, m).bias.detach().numpy()
                for m in ("ln1", "ln2"):
                    out[names[m + ".g"]] = getattr(layer, m).weight.detach().numpy()
                    out[names[m + ".b"]] = getattr(layer, m).bias.detach().numpy()
            return {k: v.astype(np.float32) for k, v in out.items()}

    return Top()
