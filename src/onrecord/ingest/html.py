"""From an HTML page to an Article: main text and metadata by trafilatura."""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

from ..errors import InputError
from ..records import Article
from .article import MAX_BYTES, build_article, clean_metadata, merge, too_large

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# What browsers do (WHATWG Encoding): these labels mean windows-1252.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "ascii", "us-ascii", "l1"}


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of an HTTP Content-Type header, if any."""
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type, re.I)
    return m[1] if m else None


def decode_html(data: bytes, charset: str | None = None) -> str | bytes:
    """Decode HTML bytes as declared (BOM, then ``charset`` from HTTP, then a meta tag),
    else as UTF-8.  Bytes that decode under none of these are returned as they are, for
    trafilatura to guess the encoding."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace")
    m = _META_CHARSET.search(data[:4096])
    declared = [c for c in (_codec(charset), _codec(m[1].decode("ascii") if m else None)) if c]
    for name in declared:
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        return data.decode(declared[0], errors="replace")
    return data


def _check_html(html: str | bytes) -> None:
    if not html or not html.strip():
        raise InputError("empty HTML")
    if len(html) > MAX_BYTES:
        raise InputError(too_large(len(html)))


def _check_decoded(html: str | bytes) -> None:
    nul = b"\x00" if isinstance(html, bytes) else "\x00"
    if html.count(nul) > max(1, len(html) // 1000):
        raise InputError("binary data, not HTML (contains NUL bytes)")


def html_article(
    html: str | bytes,
    *,
    source: str | None,
    overrides: Mapping[str, str | None] | None = None,
    defaults: Mapping[str, str | None] | None = None,
    charset: str | None = None,
) -> Article:
    """Article from a page.  Metadata: ``overrides`` (what the container says, e.g. a
    JSONL field or the WARC target URI) win over what the page says, which wins over
    ``defaults`` (command-line options).  Both must be clean (see ``clean_metadata``).
    """
    import trafilatura

    overrides = overrides or {}
    defaults = defaults or {}
    try:
        _check_html(html)
        if isinstance(html, bytes):
            html = decode_html(html, charset)
        _check_decoded(html)
    except InputError as exc:
        raise InputError(exc.reason, source) from None
    url_hint = overrides.get("url") or defaults.get("url")
    try:
        doc = trafilatura.bare_extraction(
            html, url=url_hint, with_metadata=True, include_comments=False
        )
    except Exception as exc:  # trafilatura and lxml raise many kinds on odd input
        raise InputError(f"could not parse HTML ({type(exc).__name__}: {exc})", source) from None
    text = (doc.text or "") if doc is not None else ""
    if not text.strip():
        raise InputError("no article text found in HTML", source)
    page = {
        "url": doc.url,
        "title": doc.title,
        "outlet": doc.sitename,
        "published": doc.date,
    }
    try:
        page = clean_metadata(page)
    except InputError:  # a date the page gives that is not one: ignore the page's date
        page = clean_metadata({**page, "published": None})
    # Without a site name, trafilatura falls back to the host name ("example.com"): a
    # guess, which an outlet given by the user should beat.
    guessed = {}
    host = (doc.hostname or "").lower().removeprefix("www.")
    if page["outlet"] and host and page["outlet"].lower().removeprefix("www.") == host:
        guessed["outlet"] = page.pop("outlet")
    metadata = merge(overrides, page, defaults, guessed)
    return build_article(text, source=source, metadata=metadata)


def article_from_html(
    html: str | bytes,
    *,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
) -> Article:
    """An Article from an HTML page: its main text (paragraphs on lines of their own) and
    its metadata (title, date, site name as outlet, canonical URL).

    The keyword values fill what the page does not say.  Bytes are decoded as the page
    declares (meta charset), else as UTF-8, else as trafilatura guesses.  Raises
    :class:`~onrecord.errors.InputError` for an empty or binary page, a page without main
    text, a text that is not English, or a ``published`` that is not a date.
    """
    defaults = clean_metadata(
        {"url": url, "title": title, "outlet": outlet, "published": published}, source=source
    )
    return html_article(html, source=source, defaults=defaults)
