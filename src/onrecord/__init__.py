"""onrecord: who said what, to whom or through which outlet, and when.

>>> import onrecord
>>> result = onrecord.extract(text, published="2024-03-05", outlet="The Ledger")
>>> for statement in result.statements:
...     print(statement.speaker.text, statement.cue_text, statement.content_text)
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from .attribution import DEFAULT_DETECTOR
from .errors import InputError
from .records import Article, ArticleResult, Statement

__all__ = ["Article", "ArticleResult", "InputError", "Statement", "__version__", "extract"]

try:
    __version__ = version("onrecord")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"


@cache
def _extractor(detector: str):
    from .pipeline import Extractor  # loads spaCy: only when first needed

    return Extractor(detector=detector)


def extract(
    text_or_article: str | Article,
    *,
    published: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    title: str | None = None,
    detector: str = DEFAULT_DETECTOR,
) -> ArticleResult:
    """The attributed statements of one article.

    ``text_or_article``: the article text (offsets in the result index it exactly) or an
    :class:`Article`, whose own metadata wins over the keyword values, which only fill
    what it lacks.  Raises :class:`InputError` for text that cannot be read (empty,
    binary, not English) or a ``published`` that is not a date, and ``ValueError`` for an
    unknown detector.
    """
    from .ingest import article_from_text
    from .ingest.article import clean_metadata

    given = {"published": published, "outlet": outlet, "url": url, "title": title}
    if isinstance(text_or_article, Article):
        article = text_or_article
        fills = {
            key: value
            for key, value in clean_metadata(given).items()
            if value and not getattr(article, key)
        }
        if fills:  # id="" recomputes the id, which depends on the url
            article = replace(article, id="" if "url" in fills else article.id, **fills)
    elif isinstance(text_or_article, str):
        article = article_from_text(text_or_article, **given)
    else:
        raise TypeError(f"expected str or Article, got {type(text_or_article).__name__}")
    return _extractor(detector).extract(article)
