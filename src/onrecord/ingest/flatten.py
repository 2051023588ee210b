"""HTML nested deeper than the parser goes: flattened, so that its text is not lost.

libxml2 (under lxml, under trafilatura) stops building the tree at 256 levels of
nesting and drops everything after that point, so a page of 300 nested ``<div>`` or
``<span>`` elements, or of 5,000 unclosed ones, reads as a page with no text.
:func:`flatten` rewrites such a page so that no element is nested deeper than
:data:`MAX_DEPTH`: the opening tags past that depth (and their closing tags) are left
out, the text stays.  It is one pass over the page with a stack of at most
``MAX_DEPTH`` names, so time and memory grow with the size of the page only.

:func:`block_text` is the last resort when the flattened page still gives trafilatura
no main text: the text of the page body, a line per block element, without scripts,
styles, navigation, headers, footers and forms.
"""

from __future__ import annotations

import re

# Deeper than this, opening tags are left out (libxml2 itself gives up at 256).
MAX_DEPTH = 128

VOID = frozenset(
    "area base basefont bgsound br col command embed frame hr image img input isindex "
    "keygen link meta param source track wbr".split()
)
# Their content is text up to their closing tag: tags inside do not count.
RAW = frozenset("script style textarea title xmp iframe noembed noframes plaintext".split())
BLOCK = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu "
    "nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
# An opening tag of the key closes an open element of the same kind, as far up as one
# of the values (the list or table it belongs to).
_IMPLIED = {
    "li": frozenset({"ul", "ol", "menu"}),
    "dt": frozenset({"dl"}),
    "dd": frozenset({"dl"}),
    "tr": frozenset({"table", "tbody", "thead", "tfoot"}),
    "td": frozenset({"tr", "table"}),
    "th": frozenset({"tr", "table"}),
    "option": frozenset({"select", "datalist"}),
}
_CLOSES_SAME = {"dt": ("dt", "dd"), "dd": ("dt", "dd"), "td": ("td", "th"), "th": ("td", "th")}
_NAME = re.compile(r"[A-Za-z][^\s/>]*")
_RAW_END = {name: re.compile(rf"</{name}[\s/>]", re.I) for name in RAW}


def flatten(html: str, max_depth: int = MAX_DEPTH) -> str:
    """``html`` with no element nested deeper than ``max_depth`` (an approximation of how
    a parser nests them: void elements, raw text elements and the common implied end tags
    are known); the opening tags left out become a line break (block elements) or nothing,
    and so do their closing tags."""
    out: list[str] = []
    stack: list[str] = []
    dropped: dict[str, int] = {}
    pos = 0
    n = len(html)
    while pos < n:
        lt = html.find("<", pos)
        if lt < 0:
            out.append(html[pos:])
            break
        out.append(html[pos:lt])
        if html.startswith("<!--", lt):
            end = html.find("-->", lt + 4)
            pos = n if end < 0 else end + 3
            continue
        closing = html.startswith("</", lt)
        m = _NAME.match(html, lt + (2 if closing else 1))
        if m is None:
            if html.startswith(("<!", "<?"), lt):  # doctype, CDATA, processing instruction
                end = html.find(">", lt)
                pos = n if end < 0 else end + 1
                out.append(html[lt:pos])
            else:  # a "<" that starts no tag is text
                out.append("<")
                pos = lt + 1
            continue
        end = html.find(">", m.end())
        if end < 0:  # a tag cut off at the end of the page
            out.append(html[lt:])
            break
        name = m.group().lower()
        tag = html[lt : end + 1]
        pos = end + 1
        if closing:
            if dropped.get(name):
                dropped[name] -= 1
                out.append("\n" if name in BLOCK else "")
            elif name in stack:
                while stack.pop() != name:
                    pass
                out.append(tag)
            else:
                out.append(tag)  # a stray closing tag: the parser ignores it too
            continue
        if name in VOID or tag.endswith("/>"):
            out.append(tag)
            continue
        if name in RAW:
            out.append(tag)
            close = _RAW_END[name].search(html, pos)
            stop = n if close is None else close.start()
            out.append(html[pos:stop])
            pos = stop
            continue
        _close_implied(stack, name)
        if len(stack) >= max_depth:
            dropped[name] = dropped.get(name, 0) + 1
            out.append("\n" if name in BLOCK else "")
            continue
        stack.append(name)
        out.append(tag)
    return "".join(out)


def _close_implied(stack: list[str], name: str) -> None:
    """Pop what the opening tag ``name`` closes implicitly."""
    if stack and stack[-1] == "p" and name in BLOCK:
        stack.pop()
    scope = _IMPLIED.get(name)
    if scope is None:
        return
    same = _CLOSES_SAME.get(name, (name,))
    for i in range(len(stack) - 1, -1, -1):
        if stack[i] in scope:
            return
        if stack[i] in same:
            del stack[i:]
            return


_SKIP = frozenset(
    "script style noscript template head nav header footer aside form button select "
    "iframe svg canvas object embed menu".split()
)


def block_text(root) -> str:
    """The text of an lxml tree's body, a line per block element, boilerplate elements
    left out.  Changes the tree."""
    from lxml import etree

    body = root.find(".//body")
    if body is None:
        body = root
    etree.strip_elements(body, *_SKIP, with_tail=False)
    # Line breaks around blocks; an empty block gets none (a page of a million empty
    # elements must not become a million text nodes).
    for element in body.iter(*BLOCK, "br"):  # only these are visited in Python
        if element.text or len(element):
            element.text = "\n" + (element.text or "")
        if element.tail or element.text or element.tag == "br":
            element.tail = "\n" + (element.tail or "")
    text = etree.tostring(body, method="text", encoding="unicode")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
