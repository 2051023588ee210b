"""Article URLs: only absolute http(s) URLs are kept.

An article's URL is shown as a link and is its key in the statement database, so a
``javascript:`` or ``data:`` URL, a relative one, or one too long for the database is never
stored.  Where the URL comes from the user (``--url``, the API, the keyword of
``article_from_text``) it is refused with a one-line reason; where it comes from the input
(a JSONL field, the page's canonical link, the WARC target URI) it is dropped with a note
in the record's warnings.  A valid URL is kept exactly as given (after stripping blanks):
no normalisation, so the keys of stored articles do not change.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

# The width of the ``key`` column of the store, and the API's limit.
MAX_URL_CHARS = 2048
_SHOWN = 80


def shown(value: str) -> str:
    """``value`` quoted for a one-line message, cut short if long."""
    if len(value) > _SHOWN:
        value = value[: _SHOWN - 1] + "…"
    return repr(value)


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be an article's URL, or None if it can."""
    if len(url) > MAX_URL_CHARS:
        return f"too long ({len(url)} characters; the limit is {MAX_URL_CHARS})"
    if any(c < " " or c == "\x7f" for c in url):
        return "contains control characters"
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "not a valid URL"
    if parts.scheme.lower() not in ("http", "https"):
        if parts.scheme:
            return f"not an http or https URL (scheme {parts.scheme.lower()[:20]}:)"
        return "not an absolute http or https URL"
    if not host:
        return "no host name"
    return None


def check_url(url: str | None, source: str | None = None) -> None:
    """Raise ``InputError`` for a URL given by the user that cannot be kept."""
    from ..errors import InputError

    if url is None:
        return
    problem = url_problem(url)
    if problem:
        raise InputError(f"invalid URL {shown(url)}: {problem}", source)


def drop_bad_url(
    layer: Mapping[str, str | None], notes: list[str], where: str = ""
) -> dict[str, str | None]:
    """``layer`` (clean metadata) without a URL that cannot be kept, noting why in ``notes``."""
    out = dict(layer)
    url = out.get("url")
    if url:
        problem = url_problem(url)
        if problem:
            notes.append(f"dropped URL {shown(url)}{where}: {problem}")
            out["url"] = None
    return out


def host_of(url: str | None) -> str | None:
    """The host name of a kept URL, lower case, without ``www.``."""
    if not url or url_problem(url):
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None
