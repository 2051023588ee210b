"""The settings of a training run (``onrecord train``'s options, and what they default to)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Config:
    seed: int = 0
    epochs: int = 8
    hidden: int = 128
    # Two BiLSTM layers: better on every role than one, for about 10 ms more per article
    # (docs/benchmarks.md §7).
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
    # scores better on dev (three seeds: docs/benchmarks.md §7).
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
