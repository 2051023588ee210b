"""The outlet of a page: the site's own name from its most trustworthy metadata.

Candidates, in order of trust: the Open Graph site name (``og:site_name``, what the site
calls itself), the publisher in its JSON-LD (``"publisher": {"name": …}``, then a
``NewsMediaOrganization``, ``Organization`` or ``WebSite`` described on its own), then
the last part of the ``<title>`` when it names the site's domain ("… - Reuters" on
reuters.com).  Names that are not a site's name are passed over: a platform's or a
section's ("Hosted" on hosted.ap.org, "Home", "News", "U.S.", "Blogger"), a URL, a
Twitter handle, a template left unfilled.  A name that only repeats the domain in lower
case ("nj", "livescience.com", "hosted" on hosted.ap.org) is weak: a better candidate
wins over it, and without one the outlet is a guess (the host name), which an outlet
given by the user beats.  Of the candidates that spell the first one's name, the one
spelt with spaces and a capital is kept ("TheHill" and "The Hill": "The Hill").

A wire story on another site keeps that site's name ("SFGate" carrying the Associated
Press): the outlet is the site that published the page.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterator

MAX_NAME = 100
# JSON-LD blocks bigger than this are not read for a name.
_MAX_JSON = 1 << 20
_MAX_NODES = 5000

# Names that are never an outlet's: parts of a site, platforms, placeholders.
JUNK = frozenset(
    line.strip()
    for block in (
        "hosted|home|homepage|home page|index|main|main page|front page|frontpage|welcome",
        "news|latest|latest news|breaking news|top stories|top news|headlines",
        "world|us|u.s.|usa|uk|u.k.|politics|business|economy|markets|money|sport|sports",
        "opinion|entertainment|culture|arts|tech|technology|science|health|lifestyle",
        "travel|local|national|international|region|regional|weather|video|videos|live",
        "watch|photos|gallery|podcasts|podcast",
        "article|articles|story|stories|blog|blogs|post|posts|page|pages|website|web site",
        "site|my site|my blog|untitled|default|null|none|undefined|n/a|na|test|title",
        "site name|sitename|site_name|website name|your site name",
        "wordpress|wordpress.com|blogger|blogspot|tumblr|medium|wix|squarespace|ghost",
        "drupal|joomla|substack|facebook|twitter|x|instagram|youtube|google|amp|rss|feed",
        "menu|search|login|log in|sign in|subscribe",
    )
    for line in block.split("|")
)
_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|::|•|·|»)\s+|\s*\|\s*")
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\$\{|<%|%s|\[\[")
_PUBLISHER_IN_BROKEN_JSON = re.compile(r'"publisher"\s*:\s*\{')
_NAME_IN_BROKEN_JSON = re.compile(r'"name"\s*:\s*"([^"\\]{1,200})"')
_ORGANISATIONS = frozenset({"NewsMediaOrganization", "Organization", "WebSite"})


def _folded(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _labels(host: str | None) -> tuple[list[str], str]:
    """The labels of ``host`` that name parts of a site (sub-domains), and the one that
    names the site ("ap" in hosted.ap.org; "bbc" in www.bbc.co.uk)."""
    if not host:
        return [], ""
    labels = host.lower().split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3:
        site = labels[-3]  # example.co.uk, example.com.au
        subs = labels[:-3]
    elif len(labels) >= 2:
        site = labels[-2]
        subs = labels[:-2]
    else:
        return [], labels[0]
    return [s for s in subs if s != "www"], site


def clean_name(name: str, host: str | None) -> tuple[str | None, bool]:
    """``(name, weak)``: ``name`` tidied, or None if it is not a site's name; ``weak`` when
    it only repeats the domain in lower case."""
    name = " ".join(name.split())
    if not name:
        return None, False
    parts = [p.strip() for p in _SEPARATORS.split(name) if p.strip()]
    for part in parts:  # "LinkNaija | Nigeria's popular news platform": the first part
        kept, weak = _one_name(part, host)
        if kept:
            return kept, weak
    return None, False


def _one_name(name: str, host: str | None) -> tuple[str | None, bool]:
    if len(name) > MAX_NAME or not any(c.isalpha() for c in name):
        return None, False
    lower = name.lower()
    if lower.strip(" .:-") in JUNK or lower in JUNK:
        return None, False
    if name.startswith("@") or "://" in name or lower.startswith("www."):
        return None, False
    if _PLACEHOLDER.search(name):
        return None, False
    subs, site = _labels(host)
    folded = _folded(name)
    weak = name == lower and bool(host) and folded in (site, _folded(host), *subs)
    return name, weak


def _json_ld(root) -> Iterator[tuple[int, str]]:
    """(rank, name) of the publishers and organisations the page's JSON-LD describes:
    rank 0 for a publisher, 1 for an organisation or website on its own."""
    for script in root.iter("script"):
        kind = (script.get("type") or "").lower()
        text = script.text
        if "ld+json" not in kind or not text or len(text) > _MAX_JSON:
            continue
        try:
            data = json.loads(text, strict=False)
        except Exception:  # broken JSON (or nested too deep): look for the publisher
            m = _PUBLISHER_IN_BROKEN_JSON.search(text)
            if m:
                name = _NAME_IN_BROKEN_JSON.search(text, m.end(), m.end() + 1000)
                if name:
                    yield 0, name[1]
            continue
        yield from _walk(data)


def _walk(data) -> Iterator[tuple[int, str]]:
    todo = deque([data])
    seen = 0
    while todo and seen < _MAX_NODES:
        node = todo.popleft()
        seen += 1
        if isinstance(node, list):
            todo.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        publisher = node.get("publisher")
        for item in publisher if isinstance(publisher, list) else [publisher]:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                yield 0, item["name"]
            elif isinstance(item, str) and "://" not in item:
                yield 0, item
        types = node.get("@type")
        types = set(types) if isinstance(types, list) else {types}
        if types & _ORGANISATIONS and isinstance(node.get("name"), str):
            yield 1, node["name"]
        for key in ("@graph", "mainEntity", "isPartOf"):
            if isinstance(node.get(key), (dict, list)):
                todo.append(node[key])


def _title_site(root, host: str | None) -> str | None:
    """The last part of the title when it names the domain ("… - Reuters" on reuters.com)."""
    if not host:
        return None
    title = next(iter(root.iter("title")), None)
    if title is None or not title.text:
        return None
    parts = [p.strip() for p in _SEPARATORS.split(" ".join(title.text.split())) if p.strip()]
    if len(parts) < 2:
        return None
    last = parts[-1]
    _, site = _labels(host)
    if site and _folded(last) in (site, _folded(host)):
        return last
    return None


def site_name(root, host: str | None) -> tuple[str | None, str | None]:
    """``(outlet, guess)`` for a page (an lxml tree) at ``host``: the outlet its metadata
    names, else None; and, without one, a guess (the host name, else a weak name)."""
    candidates: list[str] = []
    if root is not None:
        for meta in root.iter("meta"):
            key = (meta.get("property") or meta.get("name") or "").strip().lower()
            if key == "og:site_name" and meta.get("content"):
                candidates.append(meta.get("content"))
        try:
            found = sorted(_json_ld(root), key=lambda item: item[0])  # stable: page order
        except Exception:  # odd JSON-LD must not cost the article
            found = []
        candidates.extend(name for _, name in found)
        title = _title_site(root, host)
        if title:
            candidates.append(title)
    strong: list[str] = []
    weak: list[str] = []
    for candidate in candidates:
        name, is_weak = clean_name(candidate, host)
        if name:
            (weak if is_weak else strong).append(name)
    if strong:
        # The first, spelt as well as any other candidate spells the same name: "TheHill"
        # as "The Hill", "the Guardian" as "The Guardian".
        same = [n for n in strong if _folded(n) == _folded(strong[0])]
        return max(same, key=lambda n: (n.count(" "), n[:1].isupper())), None
    if host:
        return None, host
    return None, weak[0] if weak else None
