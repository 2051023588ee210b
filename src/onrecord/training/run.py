"""One training run, from gold folders to a model folder (``onrecord train``).

Steps: parse both corpora; recount the cue lexicon on the training corpus (each training
document's features from the counts of the other folds); featurize; train the tagger
(dense + BiLSTM + CRF) on overlapping windows, keeping the epoch that scores best on the
dev corpus; train the linker on gold segments; write ``tagger.npz``, ``linker.npz``,
``cue_counts.tsv``, ``reporting_verbs.txt`` (the cue list the features were made with, a
copy of the package's) and ``config.json`` to the output folder.  With a seed and the
same inputs the result is the same, bit for bit, on the same machine.
"""

from __future__ import annotations

import json
import random
import time
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..attribution.lexicon import CLASSES_FILE, COUNTS_FILE, CueLexicon, parse_classes, shipped
from ..eval.agreement import annotated_articles
from ..eval.brat import GoldDocument, load_gold
from . import examples
from .config import Config
from .cue_counts import write_counts
from .fit import Fitted, fit
from .tagger import require_torch

Log = examples.Log


def train(
    train_dir: str | Path,
    dev_dir: str | Path,
    out_dir: str | Path,
    config: Config | None = None,
    log: Log = print,
    limit: int | None = None,
) -> dict:
    """Train and write a model folder; returns a summary (dev scores, timings)."""
    torch = require_torch()
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
    train_parsed = examples.parse(train_docs, log)
    dev_parsed = examples.parse(dev_docs, log)
    # The hand list, read once: the features are made with it, and it is saved with
    # the weights.
    classes_text = shipped(CLASSES_FILE).read_text(encoding="utf-8")
    classes = parse_classes(classes_text)
    folds = min(config.folds, len(train_docs))
    full, per_doc_lexicon = examples.lexicons(train_parsed, train_docs, folds, classes)
    full_lexicon = CueLexicon(full, classes)
    train_ex = examples.examples(train_parsed, train_docs, lambda k: per_doc_lexicon[k])
    dev_ex = examples.examples(dev_parsed, dev_docs, lambda k: full_lexicon)
    static = None
    if config.static_dim:
        from ..attribution.model.static import StaticVectors

        static = StaticVectors.build(config.static_dim)
        for ex in train_ex + dev_ex:
            ex.dense = np.concatenate([ex.dense, static(ex.doc)], axis=1)
    log(f"features ready ({time.perf_counter() - t_start:.0f} s)")
    top = None
    if config.lm_layers:
        from . import lm_tuning

        model, inputs = lm_tuning.prepare(train_parsed + dev_parsed, config.lm_layers, log)
        for ex, item in zip(train_ex + dev_ex, inputs, strict=True):
            ex.lm = item
        top = lm_tuning.build_top(model, config.lm_layers)
        log(f"language model ready ({time.perf_counter() - t_start:.0f} s)")

    fitted = fit(train_ex, dev_ex, config, log, t_start, top)
    summary = {
        # A result names the model by it ("model 2026-12-01"): the day it was trained.
        "version": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        "config": {k: v for k, v in asdict(config).items() if k != "emb"},
        "embeddings": dict(config.emb),
        "train_articles": len(train_docs),
        "dev_articles": len(dev_docs),
        "dev_exact_f1": fitted.scores,
        "history": fitted.history,
        "seconds": round(time.perf_counter() - t_start, 1),
    }
    note = f"counted by `onrecord train` over {len(train_docs)} articles of {Path(train_dir).name}"
    save(out_dir, config, fitted, full, classes_text, note, summary)
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
    fitted: Fitted,
    counts,
    classes_text: str,
    note: str,
    summary: dict,
) -> None:
    """Write a model folder: what :class:`~onrecord.attribution.model.detector.ModelDetector`
    loads (``lm.npz``: the language model's tuned layers, when there are any), with the
    cue counts and the cue list (``classes_text``) the features were made with."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out_dir / "tagger.npz", **_half(fitted.weights))
    if fitted.lm_weights:
        lm_weights = {k: v.astype(np.float16) for k, v in fitted.lm_weights.items()}
        np.savez_compressed(out_dir / "lm.npz", **lm_weights)
    np.savez_compressed(out_dir / "linker.npz", **fitted.linker)
    write_counts(counts, out_dir / COUNTS_FILE, note)
    (out_dir / CLASSES_FILE).write_text(classes_text, encoding="utf-8")
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
