"""Training the attribution model (``onrecord train``): needs PyTorch (the ``train`` extra).

    from onrecord.attribution.model.training import train
    train("polnear/train", "polnear/dev", "out/", seed=0)

Steps: parse both corpora; recount the cue lexicon on the training corpus (each training
document's features from the counts of the other folds); featurize; train the tagger
(dense + BiLSTM + CRF) on overlapping windows, keeping the epoch that scores best on the
dev corpus; train the linker on gold segments; write ``tagger.npz``, ``linker.npz``,
``cue_counts.tsv`` and ``config.json`` to the output folder.  With a seed and the same
inputs the result is the same, bit for bit, on the same machine.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ...eval.agreement import annotated_articles
from ...eval.brat import GoldDocument, load_gold
from ...eval.metrics import trimmed_chars
from ...records import Article
from . import data, decoding, features
from .network import windows

Log = Callable[[str], None]


@dataclass
class Config:
    seed: int = 0
    epochs: int = 8
    hidden: int = 128
    # Two BiLSTM layers: on dev +0.7 source, +0.4 content exact F1 and +0.3 relation F1
    # over one (the shipped runs, seed 0), for about 10 ms more per article.
    layers: int = 2
    window: int = 256
    stride: int = 128
    # Detection reads shorter windows than training (same scores on dev): the
    # recurrence's cost is per step, so more, shorter windows in one batch run faster.
    inference_window: int = 128
    inference_stride: int = 96
    batch: int = 16
    lr: float = 2e-3
    dropout: float = 0.3
    word_dropout: float = 0.1
    crf: bool = True
    # Exponential moving average of the weights (0: off); the averaged weights are the
    # ones scored and kept.
    ema: float = 0.999
    # Learning rate decays linearly to this fraction of ``lr`` over the epochs.
    lr_end: float = 0.1
    folds: int = 5
    linker_epochs: int = 8
    threads: int = 2
    # Language model (the ``model-lm`` configuration): its top ``lm_layers`` layers are
    # fine-tuned with the tagger (0: no language model), at ``lm_lr``, ``lm_docs``
    # documents a step.
    lm_layers: int = 0
    lm_lr: float = 1e-4
    lm_docs: int = 2
    # Pretrained vectors without context (``static.py``): this many principal components
    # of the language model's piece embeddings per token (0: none).
    static_dim: int = 128
    # Articles several annotators read are left out of training unless this is set:
    # PolNeAR's 16 such train articles are where its annotators were compared, and one
    # annotator's reading of them (the one the gold loader picks) disagrees with another's
    # on a third of the contents (benchmarks/polnear_agreement.py).  Leaving them out
    # gained about 0.9 content and 1.0 relation F1 on dev (seeds 0-2, benchmarks.md §7).
    multi_annotated: bool = False
    emb: tuple = (
        ("lower", 48),
        ("lemma", 48),
        ("pos", 16),
        ("tag", 16),
        ("dep", 16),
        ("ent", 8),
        ("head_dep", 16),
        ("suffix", 16),
    )


# -- data ------------------------------------------------------------------------------


@dataclass
class Example:
    ids: np.ndarray
    dense: np.ndarray
    tags: np.ndarray
    doc: object  # spacy Doc
    gold: GoldDocument
    rules: list
    lm: object = None  # lm_training.LMInput when a language model is tuned
    lm_vectors: np.ndarray | None = None  # its token vectors, for scoring on dev


def parse(documents: list[GoldDocument], log: Log) -> list:
    from ... import nlp

    docs = []
    t0 = time.perf_counter()
    for k, doc in enumerate(nlp.parse_many(d.text for d in documents)):
        docs.append(doc)
        if (k + 1) % 100 == 0:
            log(f"  parsed {k + 1}/{len(documents)} ({time.perf_counter() - t0:.0f} s)")
    return docs


def lexicons(docs: list, documents: list[GoldDocument], folds: int):
    """The full cue counts, and one lexicon per fold from the other folds' counts."""
    per_doc = [
        data.doc_counts(doc, [r.cue for r in g.relations if r.cue])
        for doc, g in zip(docs, documents, strict=True)
    ]
    fold_of = [k % folds for k in range(len(docs))]
    total, cue = Counter(), Counter()
    for t, c in per_doc:
        total.update(t)
        cue.update(c)
    full = data.filtered(total, cue)
    per_fold = []
    for f in range(folds):
        t_f, c_f = Counter(total), Counter(cue)
        for k, (t, c) in enumerate(per_doc):
            if fold_of[k] == f:
                t_f.subtract(t)
                c_f.subtract(c)
        t_f = Counter({k: v for k, v in t_f.items() if v > 0})
        c_f = Counter({k: v for k, v in c_f.items() if v > 0})
        per_fold.append(data.lexicon_from(data.filtered(t_f, c_f)))
    return full, [per_fold[f] for f in fold_of]


def examples(docs, documents, lexicon_for) -> list[Example]:
    out = []
    for k, (doc, g) in enumerate(zip(docs, documents, strict=True)):
        f = features.featurize(doc, Article(text=g.text), lexicon_for(k))
        out.append(Example(f.ids, f.dense, data.gold_tags(doc, g.relations), doc, g, f.rules))
    return out


# -- the tagger ------------------------------------------------------------------------


def _torch():
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
    torch = _torch()
    nn = torch.nn
    sizes = dict(features.FIELDS)
    emb = dict(config.emb)

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
            self.out = nn.Linear(2 * config.hidden, len(data.TAGS))
            self.crf = CRF(len(data.TAGS)) if config.crf else None

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


def _windows(exs: list[Example], config: Config):
    out = []
    for k, ex in enumerate(exs):
        for s, e in windows(len(ex.tags), config.window, config.stride):
            out.append((k, s, e))
    return out


def _batch(exs, items, config: Config, rng: np.random.Generator | None):
    torch = _torch()
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
        tags[b, : e - s] = data.repair(ex.tags[s:e])
        lengths[b] = e - s
    if rng is not None and config.word_dropout > 0:
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


def export_tagger(net) -> dict[str, np.ndarray]:
    out = {}
    for name, tensor in net.state_dict().items():
        if name.startswith("lm.") or (name.startswith("crf.") and name != "crf.transitions"):
            continue
        out[name] = tensor.detach().cpu().numpy().astype(np.float32)
    return out


# -- scoring on dev --------------------------------------------------------------------


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


# -- the linker ------------------------------------------------------------------------


def gold_segments(ex: Example) -> tuple[list[decoding.Segment], list[set[int]]]:
    """Segments of the gold tags and, for each, the gold relations it belongs to (a
    source may serve several: "X said ... and added ...")."""
    segs = decoding.segments(ex.tags)
    starts, ends = data.offsets(ex.doc)
    owners = []
    for seg in segs:
        found = set()
        for k, r in enumerate(ex.gold.relations):
            for s, e in getattr(r, seg.role):
                lo, hi = data.token_range(starts, ends, s, e)
                if lo <= seg.start and seg.end <= hi:
                    found.add(k)
                    break
        owners.append(found)
    return segs, owners


def linker_data(exs: list[Example]):
    xs, ys, roles = [], [], []
    for ex in exs:
        segs, owner = gold_segments(ex)
        info = decoding.DocInfo(ex.doc, _in_quote(ex))
        pairs, x = decoding.candidate_pairs(info, segs)
        for (c, j), row in zip(pairs, x, strict=True):
            xs.append(row)
            ys.append(float(bool(owner[c] & owner[j])))
            roles.append(segs[j].role)
    return np.stack(xs), np.array(ys, dtype=np.float32), np.array(roles)


def _in_quote(ex: Example) -> np.ndarray:
    return ex.dense[:, features._INDEX["in_quote"]]


def train_linker(exs: list[Example], config: Config, log: Log) -> dict[str, np.ndarray]:
    torch = _torch()
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


def fit(
    train_ex: list[Example],
    dev_ex: list[Example],
    config: Config,
    log: Log,
    t_start: float,
    top=None,
):
    """Train the linker and the tagger (with the language model's ``top`` layers when
    given); returns the best epoch's tagger weights, the linker weights, that epoch's
    dev scores, the per-epoch history and the best epoch's tuned language-model layers."""
    torch = _torch()
    # Linker first: the tagger's dev scores need it.
    linker_weights = train_linker(train_ex, config, log)
    linker = decoding.Linker(linker_weights)

    from .network import Tagger

    net = build_tagger(config, top)
    groups = [{"params": [p for n, p in net.named_parameters() if not n.startswith("lm.")]}]
    groups[0]["base"] = config.lr
    if top is not None:
        groups.append({"params": list(top.parameters()), "base": config.lm_lr})
    opt = torch.optim.Adam(groups, lr=config.lr)
    # With a language model a step is whole documents (their windows share its pass);
    # without, a batch of windows from anywhere.
    units = list(range(len(train_ex))) if top is not None else _windows(train_ex, config)
    per_step = config.lm_docs if top is not None else config.batch
    steps_per_epoch = (len(units) + per_step - 1) // per_step
    total_steps = max(1, steps_per_epoch * config.epochs)
    average = {k: v.detach().clone() for k, v in net.state_dict().items()}
    step = 0
    rng = np.random.default_rng(config.seed)
    tagger_config = {
        "window": config.inference_window,
        "stride": config.inference_stride,
        "layers": config.layers,
    }
    best: tuple | None = None
    history = []
    for epoch in range(config.epochs):
        net.train()
        order = rng.permutation(len(units))
        total = 0.0
        for k in range(0, len(order), per_step):
            chosen = [units[i] for i in order[k : k + per_step]]
            if top is None:
                chunk, vectors = chosen, None
            else:
                vectors = {d: top(train_ex[d].lm) for d in chosen}
                chunk = [
                    (d, s, e)
                    for d in chosen
                    for s, e in windows(len(train_ex[d].tags), config.window, config.stride)
                ]
            ids, dense, tags, lengths = _batch(train_ex, chunk, config, rng)
            if vectors is not None:
                dense = torch.cat([dense, _window_vectors(vectors, chunk, dense.shape[1])], -1)
            emissions = net(ids, dense)
            if net.crf is not None:
                loss = net.crf.nll(emissions.log_softmax(-1), tags, lengths)
            else:
                loss = torch.nn.functional.cross_entropy(
                    emissions.reshape(-1, emissions.shape[-1]), tags.reshape(-1), ignore_index=-100
                )
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            for group in opt.param_groups:
                group["lr"] = group["base"] * (1.0 - (1.0 - config.lr_end) * step / total_steps)
            opt.step()
            step += 1
            total += float(loss.detach())
            if config.ema > 0:
                decay = min(config.ema, (1.0 + step) / (10.0 + step))
                with torch.no_grad():
                    for k, v in net.state_dict().items():
                        if v.dtype.is_floating_point:
                            average[k].mul_(decay).add_(v, alpha=1.0 - decay)
                        else:
                            average[k].copy_(v)
        net.eval()
        current = None
        if config.ema > 0:
            current = {k: v.detach().clone() for k, v in net.state_dict().items()}
            net.load_state_dict(average)
        weights = export_tagger(net)
        lm_weights = top.export() if top is not None else None
        if top is not None:
            with torch.no_grad():
                for ex in dev_ex:
                    ex.lm_vectors = top(ex.lm).numpy()
        if current is not None:
            net.load_state_dict(current)
        tagger = Tagger(weights, tagger_config)
        scores = role_f1(dev_ex, lambda ex, t=tagger: relations_of(ex, t, linker))
        history.append({"epoch": epoch + 1, "loss": total / max(1, steps_per_epoch), **scores})
        log(
            f"epoch {epoch + 1}: loss {total / max(1, steps_per_epoch):.4f}, "
            f"dev exact F1 source {scores['source']} cue {scores['cue']} "
            f"content {scores['content']} ({time.perf_counter() - t_start:.0f} s)"
        )
        mean = sum(scores.values()) / 3
        if best is None or mean > best[0]:
            best = (mean, weights, scores, lm_weights)

    assert best is not None
    return best[1], linker_weights, best[2], history, best[3]


def _window_vectors(vectors: dict, chunk, length: int):
    """The language model's token vectors of each window, right-padded to ``length``."""
    torch = _torch()
    parts = []
    for d, s, e in chunk:
        v = vectors[d][s:e]
        parts.append(torch.nn.functional.pad(v, (0, 0, 0, length - (e - s))))
    return torch.stack(parts)


# -- the whole run ---------------------------------------------------------------------


def train(
    train_dir: str | Path,
    dev_dir: str | Path,
    out_dir: str | Path,
    config: Config | None = None,
    log: Log = print,
    limit: int | None = None,
) -> dict:
    """Train and write a model folder; returns a summary (dev scores, timings)."""
    torch = _torch()
    config = config or Config()
    t_start = time.perf_counter()
    random.seed(config.seed)
    np.random.seed(config.seed)
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    torch.use_deterministic_algorithms(True)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    train_docs = training_documents(train_dir, config.multi_annotated, log)
    dev_docs = load_gold(dev_dir)
    if limit is not None:
        train_docs, dev_docs = train_docs[:limit], dev_docs[:limit]
    log(f"parsing {len(train_docs)} training and {len(dev_docs)} dev articles")
    train_parsed = parse(train_docs, log)
    dev_parsed = parse(dev_docs, log)
    full, per_doc_lexicon = lexicons(train_parsed, train_docs, min(config.folds, len(train_docs)))
    full_lexicon = data.lexicon_from(full)
    train_ex = examples(train_parsed, train_docs, lambda k: per_doc_lexicon[k])
    dev_ex = examples(dev_parsed, dev_docs, lambda k: full_lexicon)
    static = None
    if config.static_dim:
        from .static import StaticVectors

        static = StaticVectors.build(config.static_dim)
        for ex in train_ex + dev_ex:
            ex.dense = np.concatenate([ex.dense, static(ex.doc)], axis=1)
    log(f"features ready ({time.perf_counter() - t_start:.0f} s)")
    top = None
    if config.lm_layers:
        from . import lm_training

        model, inputs = lm_training.prepare(train_parsed + dev_parsed, config.lm_layers, log)
        for ex, item in zip(train_ex + dev_ex, inputs, strict=True):
            ex.lm = item
        top = lm_training.build_top(model, config.lm_layers)
        log(f"language model ready ({time.perf_counter() - t_start:.0f} s)")

    weights, linker_weights, scores, history, lm_weights = fit(
        train_ex, dev_ex, config, log, t_start, top
    )
    summary = {
        "config": {k: v for k, v in asdict(config).items() if k != "emb"},
        "embeddings": dict(config.emb),
        "train_articles": len(train_docs),
        "dev_articles": len(dev_docs),
        "dev_exact_f1": scores,
        "history": history,
        "seconds": round(time.perf_counter() - t_start, 1),
    }
    note = f"counted by `onrecord train` over {len(train_docs)} articles of {Path(train_dir).name}"
    save(out_dir, config, weights, linker_weights, full, note, summary, lm_weights)
    if static is not None:
        static.save(out_dir)
    log(f"model written to {out_dir} ({summary['seconds']:.0f} s)")
    return summary


def training_documents(
    train_dir: str | Path, multi_annotated: bool = False, log: Log = print
) -> list[GoldDocument]:
    """The gold articles to train on: one annotator's reading of each (the first, as
    ``load_gold`` reads it), leaving out the articles several annotators read unless
    ``multi_annotated`` (see ``Config``)."""
    every = load_gold(train_dir, every_annotator=True)
    first: dict[str, GoldDocument] = {}
    for doc in every:
        first.setdefault(doc.stem, doc)
    several = set() if multi_annotated else set(annotated_articles(every))
    if several:
        plural = "s" if len(several) > 1 else ""
        log(f"leaving out {len(several)} training article{plural} that several annotators read")
    return [doc for stem, doc in first.items() if stem not in several]


def save(
    out_dir,
    config: Config,
    weights,
    linker_weights,
    counts,
    note: str,
    summary: dict,
    lm_weights: dict | None = None,
):
    """Write a model folder: what :class:`~.detector.ModelDetector` loads (``lm.npz``:
    the language model's tuned layers, when there are any)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out_dir / "tagger.npz", **_half(weights))
    if lm_weights:
        np.savez_compressed(
            out_dir / "lm.npz", **{k: v.astype(np.float16) for k, v in lm_weights.items()}
        )
    np.savez_compressed(out_dir / "linker.npz", **linker_weights)
    data.write_counts(counts, out_dir / "cue_counts.tsv", note)
    meta = {
        "format": 1,
        "window": config.inference_window,
        "stride": config.inference_stride,
        "layers": config.layers,
        "lm_layers": config.lm_layers,
        "static_dim": config.static_dim,
        **summary,
    }
    (out_dir / "config.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def _half(weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Embedding tables in float16 (half the size; the scores do not move)."""
    return {k: v.astype(np.float16) if k.startswith("emb.") else v for k, v in weights.items()}


def relations_of(ex: Example, tagger, linker) -> list:
    from .detector import to_attributions

    dense = ex.dense if ex.lm_vectors is None else np.concatenate([ex.dense, ex.lm_vectors], 1)
    scores = tagger.scores(ex.ids, dense)
    return to_attributions(ex.doc, scores, tagger.transitions, linker, _in_quote(ex))
