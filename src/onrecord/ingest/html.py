"""From an HTML page to an Article: main text and metadata by trafilatura; the outlet from
the page's own metadata (see :mod:`.sitename`)."""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping

from ..errors import InputError
from ..records import Article
from .article import MAX_BYTES, build_article, clean_metadata, merge, too_large
from .flatten import MAX_DEPTH, block_text, flatten
from .sitename import site_name
from .urls import drop_bad_url, host_of

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Pages with more elements than this are not given to trafilatura, which needs about
# 50 microseconds and a kilobyte per element (a news page has one or two thousand).
MAX_ELEMENTS = 100_000
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


def _parse(html: str | bytes):
    """An lxml tree of the page (or None) and whether the parser stopped at its depth
    limit, losing the rest of the page."""
    from lxml import etree

    if isinstance(html, str):
        data, encoding = html.encode("utf-8", errors="replace"), "utf-8"
    else:
        data, encoding = html, None
    parser = etree.HTMLParser(
        encoding=encoding, remove_comments=True, remove_pis=True, collect_ids=False
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):  # "Document is empty"
        return None, False
    too_deep = any("Excessive depth" in e.message for e in parser.error_log)
    return root, too_deep


def _text_of(doc) -> str:
    return (doc.text or "") if doc is not None else ""


def html_article(
    html: str | bytes,
    *,
    source: str | None,
    overrides: Mapping[str, str | None] | None = None,
    defaults: Mapping[str, str | None] | None = None,
    charset: str | None = None,
    notes: tuple[str, ...] = (),
) -> Article:
    """Article from a page.  Metadata: ``overrides`` (what the container says, e.g. a
    JSONL field or the WARC target URI) win over what the page says, which wins over
    ``defaults`` (command-line options).  Both must be clean (see ``clean_metadata``;
    a URL in ``overrides`` that is not http(s) is dropped with a note).  ``notes`` go
    first in the Article's notes.

    A page nested deeper than the HTML parser goes is read with its nesting flattened
    (see :mod:`.flatten`), with a note.
    """
    notes = list(notes)
    overrides = drop_bad_url(overrides or {}, notes)
    defaults = defaults or {}
    html = _decoded(html, charset, source)
    html, root, flattened = _tree(html, source, notes)
    doc = _extraction(html, root, overrides.get("url") or defaults.get("url"), source, notes)
    text = _text_of(doc)
    # A flattened or huge page where trafilatura finds no main text: the text of its
    # blocks, once the metadata is read (block_text changes the tree).
    fallback = not text.strip() and (flattened or doc is None) and root is not None
    if not text.strip() and not fallback:
        raise InputError("no article text found in HTML", source)
    page = _page_metadata(doc, notes)
    url = overrides.get("url") or page.get("url") or defaults.get("url")
    try:
        outlet, guess = site_name(root, host_of(url))
    except Exception:  # odd metadata must not cost the article
        outlet, guess = None, host_of(url)
    page["outlet"] = outlet
    if fallback:
        text = block_text(root)
        if not text.strip():
            raise InputError("no article text found in HTML", source)
    # A guessed outlet (the host name) is beaten by one the user gives.
    metadata = merge(overrides, page, defaults, {"outlet": guess})
    return build_article(text, source=source, metadata=metadata, notes=tuple(notes))


def _decoded(html: str | bytes, charset: str | None, source: str | None) -> str | bytes:
    """The page decoded (see :func:`decode_html`); InputError for an empty, oversized or
    binary one."""
    try:
        _check_html(html)
        if isinstance(html, bytes):
            html = decode_html(html, charset)
        _check_decoded(html)
    except InputError as exc:
        raise InputError(exc.reason, source) from None
    return html


def _tree(html: str | bytes, source: str | None, notes: list[str]):
    """The page as it is read, its lxml tree (or None), and whether it was flattened: a
    page nested deeper than the parser goes loses its nesting first, with a note."""
    try:
        root, too_deep = _parse(html)
        if not too_deep:
            return html, root, False
        if isinstance(html, bytes):
            html = html.decode("utf-8", errors="replace")
        original = html
        for depth in (MAX_DEPTH, 0):  # 0: no nesting at all, only the text
            html = flatten(original, depth)
            root, too_deep = _parse(html)
            if not too_deep:
                break
        notes.append("HTML nested too deeply for the parser: read with its nesting flattened")
        return html, root, True
    except Exception as exc:  # lxml raises many kinds on odd input
        raise InputError(f"could not parse HTML ({type(exc).__name__}: {exc})", source) from None


def _extraction(html: str | bytes, root, url_hint: str | None, source: str | None, notes):
    """What trafilatura reads in the page (main text and metadata), or None for a page
    too large to give it (with a note)."""
    import trafilatura

    elements = int(root.xpath("count(//*)")) if root is not None else 0
    if elements > MAX_ELEMENTS:  # trafilatura would take minutes and gigabytes
        notes.append(
            f"HTML too large to find the main text ({elements} elements): "
            "read as the text of all its blocks"
        )
        return None
    try:
        return trafilatura.bare_extraction(
            html, url=url_hint, with_metadata=True, include_comments=False
        )
    except Exception as exc:  # trafilatura and lxml raise many kinds on odd input
        raise InputError(f"could not parse HTML ({type(exc).__name__}: {exc})", source) from None


def _page_metadata(doc, notes: list[str]) -> dict:
    """The url, title and date the page gives (outlet None: see site_name), cleaned."""
    page = {
        "url": doc.url if doc is not None else None,
        "title": doc.title if doc is not None else None,
        "outlet": None,
        "published": doc.date if doc is not None else None,
    }
    try:
        page = clean_metadata(page, check_urls=False)
    except InputError:  # a date the page gives that is not one: ignore the page's date
        page = clean_metadata({**page, "published": None}, check_urls=False)
    return drop_bad_url(page, notes, " (the page's canonical address)")


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
    text, a text that is not English, a ``published`` that is not a date, or a ``url``
    that is not an http(s) URL.
    """
    defaults = clean_metadata(
        {"url": url, "title": title, "outlet": outlet, "published": published}, source=source
    )
    return html_article(html, source=source, defaults=defaults)
