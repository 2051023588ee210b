"""What a detector takes for a statement that no reader would: screened out after any
detector, so every view of the record (JSON included) is spared them.

* **Headers.**  A headline or section header is a label, not something someone said:
  "Port Halden approves sea wall", "Envoy Testifies on Ukraine Call", "Never urged".  A
  header is a line of its own, short, with no closing punctuation; a headline whose
  colon names who speaks ("Reyes: Strike Will Cost Millions") stays a statement.
* **Denied statements.**  "No one has claimed she showed any partisanship", "Lee did
  not say the vote was rigged": the article says the statement was not made.  What
  such a statement's content reports goes with it.
* **Actions.**  "Parise blocked a shot", "he tipped Suter's shot": a verb that no
  lexicon of saying, thinking or judging knows, with a plain noun phrase after it, is a
  thing done, not said.
* **Turns of phrase.**  "That said, ..." and "That being said, ..." open a sentence;
  no one says anything; nor does an object pronoun ("to have them tell us").
* **Doubles.**  One quotation is one statement: of two whose contents overlap without
  one being reported inside the other, the more confident stays.
* **Words inside a quotation.**  In ``"I told him we would win," she said`` the
  telling is part of what she said, not a statement of its own: a cue of "I", "we" or
  "you" inside the quotation marks of another statement's content is not one.  (A statement reported
  inside an indirect one stays: "X said ..., TASS reported" is how a relay is read.)
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from ..records import Attribution, Offsets, span_text
from .frames import QuoteIndex
from .intervals import SpanIndex, capitalised_as_headline, lines, per_text
from .lexicon import CueLexicon
from .quotes import find_quotes
from .syntax import doc_text, head_of, kids

# A header: at most this many words, on a line of its own.
HEADER_WORDS = 14
_CLOSED = re.compile(r"[.!?:;,\"'”’)\]…]\s*$")
_QUOTE_MARKS = re.compile('["“”«»„]')
_FIRST_SECOND = frozenset("i we you".split())
_NOBODY = frozenset(("nobody", "none", "neither", "noone"))
_VERBAL = frozenset(("VERB", "AUX"))


def is_header(text: str, offset: int) -> bool:
    """The line holding ``offset`` is a header: short, not closed by punctuation, with
    no quotation in it (a quotation signed on its own line, "“...” ― Ana Ruiz", is a
    statement)."""
    index = lines(text)
    start, end = index.line_start(offset), index.line_end(offset)
    line = text[start:end].strip()
    if not line or _CLOSED.search(line):
        return False
    # (a headline may quote: "Beck Says Trump, ‘Alt Right’ Pose A Threat"; it still
    # capitalises its words, where a signed quotation does not)
    if _QUOTE_MARKS.search(line) and not capitalised_as_headline(line, min_words=4):
        return False
    return len(line.split()) <= HEADER_WORDS


def said_by(text: str, a: Attribution) -> str:
    """The source as written, in lower case ("" when there is none)."""
    return " ".join(text[s:e] for s, e in a.source).lower()


# Pronouns that are never the subject of a verb: "have them tell us", "made me ask".
_OBJECT_PRONOUNS = frozenset("me him them us whom".split())


def _object_source(text: str, a: Attribution) -> bool:
    """The source is an object pronoun: the verb is someone else's clause inside a
    sentence ("We're waiting to have them tell us ..."), not a report of saying."""
    return said_by(text, a) in _OBJECT_PRONOUNS


def _turn_of_phrase(head: Token) -> bool:
    """ "That said," or "That being said," opening a sentence: no one said anything."""
    doc = head.doc
    k = head.i - 1
    if k >= 0 and doc[k].lower_ == "being":
        k -= 1
    comma = head.i + 1 < len(doc) and doc[head.i + 1].text == ","
    opening = k >= 0 and doc[k].lower_ == "that" and (k == 0 or doc[k].is_sent_start)
    return head.lemma_ == "say" and comma and opening


def negated(head: Token, content: tuple[Offsets, ...]) -> bool:
    """The cue itself is negated ("did not say"): a "not" on it outside the content (the
    parser hangs the "not" of '"It's hard not to," Suter acknowledged' on the cue)."""
    return any(c.dep_ == "neg" and not any(s <= c.idx < e for s, e in content) for c in kids(head))


def _denied(doc: Doc, head: Token, a: Attribution, lexicon: CueLexicon) -> bool:
    """A claim the article says was not made: a clause for content, and a negated cue
    of saying ("did not say that ...") or nobody to say it ("No one has claimed ...").
    ("did not respond to requests for comment" claims nothing, and stays; "does not
    think it will pass" is a belief held, and stays.)"""
    if not _clausal(doc, a.content):
        return False
    if lexicon.classes.get(head.lemma_.lower()) != "speech":
        return False
    if negated(head, a.content):
        return True
    source = said_by(doc_text(doc), a).split()
    return bool(source) and (source[0] in _NOBODY or source[0] == "no")


def _clausal(doc: Doc, content: tuple[Offsets, ...]) -> bool:
    """Some word of the content is a verb."""
    for s, e in content:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None and any(t.pos_ in _VERBAL for t in span):
            return True
    return False


def _action(doc: Doc, head: Token, a: Attribution, lexicon: CueLexicon) -> bool:
    """A verb that is not one of saying, thinking or judging, with a plain noun phrase
    for content: a thing done ("blocked a shot")."""
    # ("were less certain about the parking fees" is a stance, not a thing done)
    if head.pos_ != "VERB" or a.type != "indirect" or lexicon.says(head.lemma_.lower()):
        return False
    return not _clausal(doc, a.content)


def _doubles(found: list[Attribution], keep: list[bool]) -> None:
    """Mark the less confident of two overlapping, not nested, statements."""
    index = SpanIndex((s, e, k) for k, a in enumerate(found) if keep[k] for s, e in a.content)
    for k, a in enumerate(found):
        if not keep[k]:
            continue
        size = sum(e - s for s, e in a.content)
        for j in {j for s, e in a.content for j in index.overlapping(s, e)}:
            if j == k or not keep[j] or not keep[k]:
                continue
            b = found[j]
            if _inside(a.cue, b.content) or _inside(b.cue, a.content):
                continue  # one reported inside the other: two statements
            shared = sum(
                max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a.content for s2, e2 in b.content
            )
            if shared * 2 < min(size, sum(e - s for s, e in b.content)):
                continue
            worse = j if (b.confidence, -j) < (a.confidence, -k) else k
            keep[worse] = False


def _inside(cue: tuple[Offsets, ...], content: tuple[Offsets, ...]) -> bool:
    return bool(cue) and any(s <= cue[0][0] < e for s, e in content)


def screen(doc: Doc, found: list[Attribution], lexicon: CueLexicon) -> list[bool]:
    """Which of ``found`` to keep, by the words of saying, thinking and judging that
    ``lexicon`` knows."""
    text = doc_text(doc)
    keep = [True] * len(found)
    denied: list[Offsets] = []
    for k, a in enumerate(found):
        anchor = a.cue[0][0] if a.cue else None
        # (a headline's colon, "Reyes: Strike Will Cost Millions", says who says it)
        worded = anchor is not None and any(ch.isalpha() for ch in span_text(text, a.cue))
        if worded and is_header(text, anchor):
            keep[k] = False
            continue
        head = head_of(doc, a.cue)
        if head is None:
            continue
        if _turn_of_phrase(head) or _object_source(text, a):
            keep[k] = False
        elif _denied(doc, head, a, lexicon):
            keep[k] = False
            denied.extend(a.content)
        elif _action(doc, head, a, lexicon):
            keep[k] = False
    if denied:
        # what a denied statement reports was not said either
        held = SpanIndex((s, e, None) for s, e in denied)
        for k, a in enumerate(found):
            if keep[k] and a.cue and held.any_holding(a.cue[0][0]):
                keep[k] = False
    _doubles(found, keep)
    _quoted(found, keep, text)
    return keep


def _quoted(found: list[Attribution], keep: list[bool], text: str) -> None:
    """Mark the statements whose cue is inside a quotation that is part of another
    statement's content."""
    contents = SpanIndex((s, e, k) for k, a in enumerate(found) for s, e in a.content)
    for k, a in enumerate(found):
        if not keep[k] or not a.cue:
            continue
        if said_by(text, a) not in _FIRST_SECOND:
            continue  # a third party quoted inside a quotation can be a statement read alone
        at = a.cue[0][0]
        holders = [j for j in contents.holding(at) if j != k]
        if not holders:
            continue
        if in_quotation(text, at):
            keep[k] = False


def in_quotation(text: str, offset: int) -> bool:
    """``offset`` lies inside a closed quotation (an unbalanced mark that runs to the
    paragraph's end quotes nothing for sure); the quotations are found once a text."""
    quotes = per_text("screen.quotes", text, lambda t: QuoteIndex(find_quotes(t)))
    q = quotes.containing(offset)
    return q is not None and q.closed
