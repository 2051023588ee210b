"""Fitting the tagger: epochs over the training windows, the weights averaged as they
go, each epoch's averaged weights scored on the dev corpus, the best epoch kept."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

import numpy as np

from ..attribution.model import decoding, features
from ..attribution.model.detector import to_attributions
from ..attribution.model.network import Tagger, windows
from ..eval.metrics import trimmed_chars
from .config import Config
from .examples import Example, Log
from .linker import train_linker
from .tagger import all_windows, batch, build_tagger, export_tagger, require_torch, window_vectors


@dataclass
class Fitted:
    """What ``fit`` keeps: the best epoch's tagger (and tuned language-model layers,
    when there are any), the linker, that epoch's dev scores and every epoch's."""

    weights: dict[str, np.ndarray]
    linker: dict[str, np.ndarray]
    scores: dict[str, float]
    history: list[dict]
    lm_weights: dict[str, np.ndarray] | None


class TaggerTraining:
    """The tagger's optimiser, its learning-rate schedule and the moving average of its
    weights, stepped through the training examples an epoch at a time."""

    def __init__(self, exs: list[Example], config: Config, top=None) -> None:
        torch = require_torch()
        self.exs = exs
        self.config = config
        self.top = top
        self.net = build_tagger(config, top)
        own = [p for n, p in self.net.named_parameters() if not n.startswith("lm.")]
        groups = [{"params": own, "base": config.lr}]
        if top is not None:
            groups.append({"params": list(top.parameters()), "base": config.lm_lr})
        self.opt = torch.optim.Adam(groups, lr=config.lr)
        # With a language model a step is whole documents (their windows share its
        # pass); without, a batch of windows from anywhere.
        self.units = list(range(len(exs))) if top is not None else all_windows(exs, config)
        self.per_step = config.lm_docs if top is not None else config.batch
        self.steps_per_epoch = (len(self.units) + self.per_step - 1) // self.per_step
        self.total_steps = max(1, self.steps_per_epoch * config.epochs)
        self.average = {k: v.detach().clone() for k, v in self.net.state_dict().items()}
        self.steps = 0
        self.rng = np.random.default_rng(config.seed)

    def epoch(self) -> float:
        """One pass over the training units in a fresh order; the mean loss a step."""
        self.net.train()
        order = self.rng.permutation(len(self.units))
        total = 0.0
        for k in range(0, len(order), self.per_step):
            total += self.step([self.units[i] for i in order[k : k + self.per_step]])
        return total / max(1, self.steps_per_epoch)

    def step(self, chosen: list) -> float:
        torch = require_torch()
        loss = self.loss(chosen)
        self.opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.net.parameters(), 5.0)
        config = self.config
        for group in self.opt.param_groups:
            decayed = (1.0 - config.lr_end) * self.steps / self.total_steps
            group["lr"] = group["base"] * (1.0 - decayed)
        self.opt.step()
        self.steps += 1
        if config.ema > 0:
            self.update_average()
        return float(loss.detach())

    def loss(self, chosen: list):
        """The loss of one step's units: windows, or documents (with their windows)."""
        torch = require_torch()
        config = self.config
        if self.top is None:
            chunk, vectors = chosen, None
        else:
            vectors = {d: self.top(self.exs[d].lm) for d in chosen}
            chunk = [
                (d, s, e)
                for d in chosen
                for s, e in windows(len(self.exs[d].tags), config.window, config.stride)
            ]
        ids, dense, tags, lengths = batch(self.exs, chunk, config, self.rng)
        if vectors is not None:
            dense = torch.cat([dense, window_vectors(vectors, chunk, dense.shape[1])], -1)
        emissions = self.net(ids, dense)
        if self.net.crf is not None:
            return self.net.crf.nll(emissions.log_softmax(-1), tags, lengths)
        return torch.nn.functional.cross_entropy(
            emissions.reshape(-1, emissions.shape[-1]), tags.reshape(-1), ignore_index=-100
        )

    def update_average(self) -> None:
        torch = require_torch()
        decay = min(self.config.ema, (1.0 + self.steps) / (10.0 + self.steps))
        with torch.no_grad():
            for k, v in self.net.state_dict().items():
                if v.dtype.is_floating_point:
                    self.average[k].mul_(decay).add_(v, alpha=1.0 - decay)
                else:
                    self.average[k].copy_(v)

    def averaged(self, dev_ex: list[Example]):
        """The averaged weights (tagger, tuned language-model layers or None), with the
        dev examples' language-model vectors computed by them; training goes on from
        the weights as they were."""
        torch = require_torch()
        self.net.eval()
        current = None
        if self.config.ema > 0:
            current = {k: v.detach().clone() for k, v in self.net.state_dict().items()}
            self.net.load_state_dict(self.average)
        weights = export_tagger(self.net)
        lm_weights = None
        if self.top is not None:
            lm_weights = self.top.export()
            with torch.no_grad():
                for ex in dev_ex:
                    ex.lm_vectors = self.top(ex.lm).numpy()
        if current is not None:
            self.net.load_state_dict(current)
        return weights, lm_weights


def fit(
    train_ex: list[Example],
    dev_ex: list[Example],
    config: Config,
    log: Log,
    t_start: float,
    top=None,
) -> Fitted:
    """Train the linker and the tagger (with the language model's ``top`` layers when
    given), keeping the epoch whose mean exact F1 on dev is best."""
    # Linker first: the tagger's dev scores need it.
    linker_weights = train_linker(train_ex, config, log)
    linker = decoding.Linker(linker_weights)
    training = TaggerTraining(train_ex, config, top)
    tagger_config = {
        "window": config.inference_window,
        "stride": config.inference_stride,
        "layers": config.layers,
    }
    best: tuple | None = None  # (mean F1, weights, scores, tuned layers)
    history = []
    for epoch in range(config.epochs):
        loss = training.epoch()
        weights, lm_weights = training.averaged(dev_ex)
        tagger = Tagger(weights, tagger_config)
        scores = role_f1(dev_ex, lambda ex, t=tagger: relations_of(ex, t, linker))
        history.append({"epoch": epoch + 1, "loss": loss, **scores})
        log(
            f"epoch {epoch + 1}: loss {loss:.4f}, "
            f"dev exact F1 source {scores['source']} cue {scores['cue']} "
            f"content {scores['content']} ({time.perf_counter() - t_start:.0f} s)"
        )
        mean = sum(scores.values()) / 3
        if best is None or mean > best[0]:
            best = (mean, weights, scores, lm_weights)
    assert best is not None
    _, weights, scores, lm_weights = best
    return Fitted(weights, linker_weights, scores, history, lm_weights)


def role_f1(exs: list[Example], predict) -> dict[str, float]:
    """Exact-match F1 per role of the predicted segments, linked into relations, with
    the metric's rules (distinct spans, trimmed of spaces and punctuation)."""
    tp = Counter()
    n_pred = Counter()
    n_gold = Counter()
    for ex in exs:
        relations = predict(ex)
        text = ex.gold.text
        for role in features.ROLES:
            pred = {trimmed_chars(text, getattr(r, role)) for r in relations}
            gold = {trimmed_chars(text, getattr(r, role)) for r in ex.gold.relations}
            pred.discard(frozenset())
            gold.discard(frozenset())
            tp[role] += len(pred & gold)
            n_pred[role] += len(pred)
            n_gold[role] += len(gold)
    return {
        r: round(200 * tp[r] / (n_pred[r] + n_gold[r]), 2) if n_pred[r] + n_gold[r] else 0.0
        for r in features.ROLES
    }


def relations_of(ex: Example, tagger: Tagger, linker: decoding.Linker) -> list:
    """The relations the tagger and linker find in one example."""
    dense = ex.dense if ex.lm_vectors is None else np.concatenate([ex.dense, ex.lm_vectors], 1)
    scores = tagger.scores(ex.ids, dense)
    return to_attributions(ex.doc, scores, tagger.transitions, linker, ex.in_quote)
