"""The tagger network in PyTorch (dense + BiLSTM + CRF), its batches, and its export to
the numpy arrays :class:`onrecord.attribution.model.network.Tagger` runs."""

from __future__ import annotations

import numpy as np

from ..attribution.model import decoding, features
from ..attribution.model.network import windows
from .config import Config
from .examples import Example, repair

# A training window: (index of its example, first token, end token).
Window = tuple[int, int, int]


def require_torch():
    """The ``torch`` module, or a RuntimeError that says how to install it."""
    try:
        import torch
    except ImportError:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "training needs PyTorch: pip install 'onrecord[train]' (torch==2.13.0)"
        ) from None
    return torch


def build_tagger(config: Config, top=None):
    """The tagger network; ``top`` (the language model's tuned layers) rides along as
    ``net.lm`` so that the optimiser and the weight averaging see it."""
    torch = require_torch()
    nn = torch.nn
    sizes = dict(features.FIELDS)
    emb = dict(config.emb)
    n_tags = len(decoding.TAGS)

    class CRF(nn.Module):
        def __init__(self, n: int) -> None:
            super().__init__()
            self.transitions = nn.Parameter(torch.zeros(n, n))
            allowed = torch.from_numpy(decoding.ALLOWED)
            self.register_buffer("mask", torch.where(allowed, 0.0, -1e4))
            self.register_buffer(
                "start", torch.where(torch.from_numpy(decoding.START_OK), 0.0, -1e4)
            )

        def nll(self, emissions, tags, lengths):
            """Mean negative log-likelihood; emissions (B, T, n), tags (B, T)."""
            b, t_max, n = emissions.shape
            trans = self.transitions + self.mask
            mask = torch.arange(t_max)[None, :] < lengths[:, None]
            # Score of the gold path.
            tags_c = tags.clamp(min=0)
            gold = emissions.gather(2, tags_c[:, :, None])[:, :, 0]
            gold = (gold * mask).sum(1) + self.start[tags_c[:, 0]]
            step = trans[tags_c[:, :-1], tags_c[:, 1:]] * mask[:, 1:]
            gold = gold + step.sum(1)
            # Partition function.
            alpha = emissions[:, 0] + self.start
            for i in range(1, t_max):
                nxt = torch.logsumexp(alpha[:, :, None] + trans[None], dim=1) + emissions[:, i]
                alpha = torch.where(mask[:, i, None], nxt, alpha)
            z = torch.logsumexp(alpha, dim=1)
            return (z - gold).mean()

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb = nn.ModuleDict({k: nn.Embedding(sizes[k], d) for k, d in emb.items()})
            width = sum(emb[features.SHARED.get(k, k)] for k, _ in features.FIELDS)
            lm_dim = top.layers[0].q.weight.shape[0] if top is not None else 0
            dense_dim = features.DENSE_DIM + config.static_dim + lm_dim
            self.inp = nn.Linear(width + dense_dim, config.hidden)
            self.lm = top
            self.drop = nn.Dropout(config.dropout)
            self.lstm = nn.LSTM(
                config.hidden,
                config.hidden,
                num_layers=config.layers,
                bidirectional=True,
                batch_first=True,
                dropout=config.dropout if config.layers > 1 else 0.0,
            )
            self.out = nn.Linear(2 * config.hidden, n_tags)
            self.crf = CRF(n_tags) if config.crf else None

        def forward(self, ids, dense):
            parts = [
                self.emb[features.SHARED.get(name, name)](ids[:, :, k])
                for k, (name, _) in enumerate(features.FIELDS)
            ]
            x = torch.cat([*parts, dense], dim=-1)
            x = self.drop(torch.relu(self.inp(x)))
            h, _ = self.lstm(x)
            return self.out(self.drop(h))

    return Net()


def all_windows(exs: list[Example], config: Config) -> list[Window]:
    """Every training window of every example."""
    out = []
    for k, ex in enumerate(exs):
        for s, e in windows(len(ex.tags), config.window, config.stride):
            out.append((k, s, e))
    return out


def batch(exs: list[Example], items: list[Window], config: Config, rng: np.random.Generator):
    """The windows ``items`` as padded tensors (ids, dense, tags, lengths), with word
    dropout drawn from ``rng``."""
    torch = require_torch()
    length = max(e - s for _, s, e in items)
    n_fields = len(features.FIELDS)
    ids = np.zeros((len(items), length, n_fields), dtype=np.int64)
    dense = np.zeros((len(items), length, exs[items[0][0]].dense.shape[1]), dtype=np.float32)
    tags = np.full((len(items), length), -100, dtype=np.int64)
    lengths = np.zeros(len(items), dtype=np.int64)
    for b, (k, s, e) in enumerate(items):
        ex = exs[k]
        ids[b, : e - s] = ex.ids[s:e]
        dense[b, : e - s] = ex.dense[s:e]
        tags[b, : e - s] = repair(ex.tags[s:e])
        lengths[b] = e - s
    if config.word_dropout > 0:
        names = [n for n, _ in features.FIELDS]
        for name in ("lower", "lemma", "head_lemma", "suffix"):
            col = names.index(name)
            drop = rng.random(ids.shape[:2]) < config.word_dropout
            ids[:, :, col][drop] = 0
    return (
        torch.from_numpy(ids),
        torch.from_numpy(dense),
        torch.from_numpy(tags),
        torch.from_numpy(lengths),
    )


def window_vectors(vectors: dict, chunk: list[Window], length: int):
    """The language model's token vectors of each window, right-padded to ``length``."""
    torch = require_torch()
    parts = []
    for d, s, e in chunk:
        v = vectors[d][s:e]
        parts.append(torch.nn.functional.pad(v, (0, 0, 0, length - (e - s))))
    return torch.stack(parts)


def export_tagger(net) -> dict[str, np.ndarray]:
    """The tagger's weights as numpy arrays (without the language model's layers, which
    are saved apart, and the CRF's constant masks)."""
    out = {}
    for name, tensor in net.state_dict().items():
        if name.startswith("lm.") or (name.startswith("crf.") and name != "crf.transitions"):
            continue
        out[name] = tensor.detach().cpu().numpy().astype(np.float32)
    return out
