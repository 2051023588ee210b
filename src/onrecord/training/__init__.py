"""Training the attribution model (``onrecord train``) and recounting the cue lexicon
(``onrecord build-lexicon``): gold -> weights, beside the runtime.

    from onrecord.training import Config, train
    train("polnear/train", "polnear/dev", "out/", Config(seed=0))

Training needs PyTorch (the ``train`` extra); what it writes is a model folder that
:mod:`onrecord.attribution.model` loads with numpy alone.  Only this package imports
:mod:`onrecord.eval` (the gold loader and the metric's span rules), and nothing at run
time imports this package.

    config       the run's settings (``Config``)
    cue_counts   (lemma, pos, frame) counts over gold cues: ``cue_counts.tsv``
    examples     gold relations as token tags, with the features the tagger reads
    tagger       the tagger network in PyTorch, its batches and export
    linker       the linker, learned from the gold segments
    fit          epochs, weight averaging, scoring each epoch on dev
    lm_tuning    fine-tuning the language model's top layers (``model-lm``)
    run          the whole run, and writing the model folder
"""

from __future__ import annotations

from .config import Config
from .run import train, training_documents

__all__ = ["Config", "train", "training_documents"]
