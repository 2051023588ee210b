"""Fine-tuning the language model's top layers with the tagger (``--lm-layers K``).

The lower layers stay as published, so their output is computed once per document and
kept in float16; only the top K layers run at every step, with the tagger above them
learning from the same loss.  Word pieces and windows are
:mod:`onrecord.attribution.model.lm`'s, as at run time.  The tuned layers are saved under
the checkpoint's own names, so :class:`~onrecord.attribution.model.lm.LanguageModel`
loads them over the published ones.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..attribution.model import lm


@dataclass
class LMInput:
    """One document's input to the tuned layers: its windows and, for each, the lower
    layers' output (float16; the embeddings alone when every layer is tuned)."""

    windows: lm.Windows
    hidden: np.ndarray  # (windows, steps, dim)


def padding(lengths: np.ndarray, steps: int):
    """1.0 where a window is padding (the attention adds -1e4 there)."""
    import torch

    return (torch.arange(steps)[None, :] >= torch.from_numpy(lengths)[:, None]).float()


def prepare(docs, tuned_layers: int, log) -> tuple[lm.LanguageModel, list[LMInput]]:
    """The base model and every document's lower-layer states (run in PyTorch, which
    is about twice as fast as numpy here)."""
    import torch

    vectors = lm.TokenVectors.load()
    model = vectors.model
    upto = len(model.layers) - tuned_layers
    lower = build_top(model, len(model.layers), dropout=0.0).layers[:upto].eval()
    out = []
    t0 = time.perf_counter()
    for k, doc in enumerate(docs):
        w = vectors.pieces.windows([t.text for t in doc])
        with torch.no_grad():
            x = torch.from_numpy(model.embed(w.batch).astype(np.float32))
            pad = padding(w.lengths, x.shape[1])
            for layer in lower:
                x = layer(x, pad)
        out.append(LMInput(w, x.numpy().astype(np.float16)))
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
            """Per-token vectors (n_tokens, dim) of one document: the pooling of
            lm.TokenVectors, in PyTorch."""
            w = item.windows
            x = torch.from_numpy(item.hidden.astype(np.float32))
            pad = padding(w.lengths, x.shape[1])
            for layer in self.layers:
                x = layer(x, pad)
            flat = x.reshape(-1, x.shape[-1])[torch.from_numpy(w.flat)]
            flat = flat * torch.from_numpy(w.weight)[:, None]
            out = torch.zeros(w.n_tokens, x.shape[-1])
            return out.index_add(0, torch.from_numpy(w.token), flat)

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
