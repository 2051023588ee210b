"""From text to a checked :class:`Article`: validation, the appeal filter, the language.

``Article.text`` is always the text exactly as given, so that offsets index the input;
what ingest finds is recorded beside it (``excluded`` regions, ``notes``).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import InputError
from ..records import Article
from . import boilerplate, language
from .dates import normalise_published
from .urls import check_url, drop_bad_url

MAX_BYTES = 10 * 1024 * 1024
MAX_LABEL = "10 MB"
# A text with more than this share of control characters is binary data.
MAX_CONTROL_SHARE = 0.10
METADATA = ("url", "title", "outlet", "published")
# Fewer words than this, and the text is kept with a warning: a news sentence has about
# twenty, a one-paragraph brief two or three sentences; what falls short is a headline, a
# caption, a stray line, or a page whose article was not found.
MIN_WORDS = 15

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


def size_label(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def too_large(n: int | None = None) -> str:
    if n is None:
        return f"too large (over {MAX_LABEL})"
    return f"too large ({size_label(n)}; the limit is {MAX_LABEL})"


def decode_utf8(data: bytes) -> str:
    """Bytes of a text file as ``str``, exactly (no newline or BOM handling).

    Raises ``InputError`` (without a source) for empty, binary and non-UTF-8 data.
    """
    if not data:
        raise InputError("empty file")
    if not data.strip():
        raise InputError("empty file (only whitespace)")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError("not UTF-8 (looks like UTF-16: convert it to UTF-8)")
    if b"\x00" in data:
        raise InputError("binary file (contains NUL bytes)")
    sample = data[:65536]
    controls = sum(1 for b in sample if (b < 32 and b not in b"\t\n\r\f\v") or b == 127)
    if controls / len(sample) > MAX_CONTROL_SHARE:
        raise InputError("binary file (mostly control characters)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def check_text(text: str) -> None:
    """Raise ``InputError`` (without a source) for text onrecord cannot read."""
    if not text:
        raise InputError("empty text")
    if not text.strip():
        raise InputError("empty text (only whitespace)")
    if len(text) > MAX_BYTES // 4 and len(text.encode("utf-8")) > MAX_BYTES:
        raise InputError(too_large(len(text.encode("utf-8"))))
    if "\x00" in text:
        raise InputError("binary data (contains NUL characters)")
    sample = text[:65536]
    controls = sum(
        1 for c in sample if (c < " " and c not in _ALLOWED_CONTROLS) or "\x7f" <= c <= "\x9f"
    )
    if controls / len(sample) > MAX_CONTROL_SHARE:
        raise InputError("binary data (mostly control characters)")


def clean_metadata(
    values: Mapping[str, object],
    *,
    what: str = "",
    source: str | None = None,
    check_urls: bool = True,
) -> dict[str, str | None]:
    """The metadata fields of ``values``: strings stripped, blanks as ``None``, ``published``
    as ``YYYY-MM-DD``.  Raises ``InputError`` (naming ``source``) for a bad value, and,
    with ``check_urls`` (values given by the user), for a URL that is not http(s); without
    it (values read from an input) such a URL is left for :func:`build_article` to drop
    with a note."""
    out: dict[str, str | None] = {}
    for key in METADATA:
        value = values.get(key)
        if key == "published":
            try:
                out[key] = normalise_published(value)
            except ValueError as exc:
                raise InputError(str(exc), source) from None
            continue
        if value is None:
            out[key] = None
        elif isinstance(value, str):
            out[key] = value.strip() or None
        else:
            raise InputError(f"{what}{key} must be a string, not {type(value).__name__}", source)
    if check_urls:
        check_url(out["url"], source)
    return out


def merge(*layers: Mapping[str, str | None]) -> dict[str, str | None]:
    """Metadata from several layers, the first layer that has a value winning."""
    return {key: next((layer[key] for layer in layers if layer.get(key)), None) for key in METADATA}


def build_article(
    text: str,
    *,
    source: str | None,
    metadata: Mapping[str, str | None],
    notes: tuple[str, ...] = (),
) -> Article:
    """Check ``text``, find publisher appeals, check the language; the Article.

    ``metadata`` must already be clean (see :func:`clean_metadata`); a URL that cannot be
    kept is dropped with a note.  Raises ``InputError`` naming ``source``.
    """
    try:
        check_text(text)
    except InputError as exc:
        raise InputError(exc.reason, source) from None
    regions = boilerplate.find_appeals(text)
    kept = _without(text, regions)
    if not kept.strip():
        raise InputError("no article text (only a publisher appeal)", source)
    words = count_words(kept)
    if words == 0:
        raise InputError("no words in the text (only punctuation or symbols)", source)
    refusal, language_note = language.check_language(kept)
    if refusal:
        raise InputError(refusal, source)
    found = list(notes)
    metadata = drop_bad_url(metadata, found)
    found.extend(boilerplate.describe(text, r) for r in regions)
    if words < MIN_WORDS:
        found.append(
            f"very short text ({words} word{'' if words == 1 else 's'}): probably not an article"
        )
    if language_note:
        found.append(language_note)
    notes = tuple(dict.fromkeys(found))
    return Article(
        text=text,
        source=source,
        url=metadata.get("url"),
        title=metadata.get("title"),
        outlet=metadata.get("outlet"),
        published=metadata.get("published"),
        language="en",
        excluded=tuple(regions),
        notes=notes,
    )


def count_words(text: str) -> int:
    """Words: runs of non-blank characters with at least one letter or digit."""
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


def _without(text: str, regions: list[tuple[int, int]]) -> str:
    if not regions:
        return text
    parts = []
    pos = 0
    for s, e in regions:
        parts.append(text[pos:s])
        pos = e
    parts.append(text[pos:])
    return "\n".join(parts)


def article_from_text(
    text: str,
    *,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
) -> Article:
    """An Article from plain text, which becomes ``Article.text`` unchanged.

    Raises :class:`~onrecord.errors.InputError` for text that is empty, binary, too large
    or not English, for a ``published`` that is not a date, or for a ``url`` that is not
    an http(s) URL.  A very short text, or one too short for its language to be told, is
    kept with a note (``Article.notes``, the record's warnings).
    """
    if not isinstance(text, str):
        raise InputError(f"expected text (str), got {type(text).__name__}", source)
    metadata = clean_metadata(
        {"url": url, "title": title, "outlet": outlet, "published": published}, source=source
    )
    return build_article(text, source=source, metadata=metadata)
