"""Ingest: sources (text, HTML, WARC, JSONL files, folders, stdin) to clean Articles.

``Article.text`` is the article text exactly as onrecord reads it (for a text file, the
file itself), so offsets index it; publisher appeals are marked in ``Article.excluded``,
never cut out.  Inputs that cannot become an article give an :class:`InputError` with a
one-line reason, in the place of the article.

    >>> from onrecord.ingest import iter_articles
    >>> for item in iter_articles(["news/"], outlet="The Ledger"):
    ...     ...
"""

from __future__ import annotations

from .article import MAX_BYTES, article_from_text
from .boilerplate import find_appeals
from .dates import normalise_published
from .html import article_from_html
from .readers import EXTENSIONS, expand_inputs, iter_articles, kind_of, read_input

__all__ = [
    "EXTENSIONS",
    "MAX_BYTES",
    "article_from_html",
    "article_from_text",
    "expand_inputs",
    "find_appeals",
    "iter_articles",
    "kind_of",
    "normalise_published",
    "read_input",
]
