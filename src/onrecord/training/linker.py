"""The linker: which source and content segments belong to which cue, learned from the
gold relations (a small network over ``decoding``'s pair features, one per role)."""

from __future__ import annotations

import numpy as np

from ..attribution.model import decoding
from .config import Config
from .examples import Example, Log, offsets, token_range
from .tagger import require_torch


def gold_segments(ex: Example) -> tuple[list[decoding.Segment], list[set[int]]]:
    """Segments of the gold tags and, for each, the gold relations it belongs to (a
    source may serve several: "X said ... and added ...")."""
    segs = decoding.segments(ex.tags)
    starts, ends = offsets(ex.doc)
    owners = []
    for seg in segs:
        found = set()
        for k, r in enumerate(ex.gold.relations):
            for s, e in getattr(r, seg.role):
                lo, hi = token_range(starts, ends, s, e)
                if lo <= seg.start and seg.end <= hi:
                    found.add(k)
                    break
        owners.append(found)
    return segs, owners


def linker_data(exs: list[Example]):
    """Every (cue, other segment) pair of the gold segments: features, whether the two
    belong to one gold relation, and the other segment's role."""
    xs, ys, roles = [], [], []
    for ex in exs:
        segs, owner = gold_segments(ex)
        info = decoding.DocInfo(ex.doc, ex.in_quote)
        pairs, x = decoding.candidate_pairs(info, segs)
        for (c, j), row in zip(pairs, x, strict=True):
            xs.append(row)
            ys.append(float(bool(owner[c] & owner[j])))
            roles.append(segs[j].role)
    return np.stack(xs), np.array(ys, dtype=np.float32), np.array(roles)


def train_linker(exs: list[Example], config: Config, log: Log) -> dict[str, np.ndarray]:
    torch = require_torch()
    nn = torch.nn
    x, y, roles = linker_data(exs)
    out = {}
    for role in ("source", "content"):
        mask = roles == role
        xt = torch.from_numpy(x[mask])
        yt = torch.from_numpy(y[mask])
        torch.manual_seed(config.seed)
        net = nn.Sequential(nn.Linear(decoding.N_PAIR_FEATURES, 32), nn.ReLU(), nn.Linear(32, 1))
        opt = torch.optim.Adam(net.parameters(), lr=1e-2)
        g = torch.Generator().manual_seed(config.seed)
        for _ in range(config.linker_epochs):
            perm = torch.randperm(len(yt), generator=g)
            for k in range(0, len(perm), 512):
                idx = perm[k : k + 512]
                loss = nn.functional.binary_cross_entropy_with_logits(net(xt[idx])[:, 0], yt[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
        with torch.no_grad():
            acc = ((net(xt)[:, 0] > 0).float() == yt).float().mean().item()
        log(f"  linker {role}: {int(mask.sum())} pairs, train accuracy {acc:.3f}")
        for name, tensor in net.state_dict().items():
            out[f"{role}.{name}"] = tensor.numpy().astype(np.float32)
    return out
