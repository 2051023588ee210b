"""Publisher appeals that main-text extraction keeps: donation and membership pleas,
newsletter sign-ups, subscription walls ("A Message from The Outlet: Dear readers, ...
Remind me later.").

They are not part of the article and must not become statements ("we need your help" is
the publisher speaking, not a source), yet the text is never edited: offsets must keep
indexing the input.  So :func:`find_appeals` returns regions, which ingest records in
``Article.excluded`` and the pipeline blanks before parsing.

The unit is the paragraph (one line).  Each paragraph is classed as

* a *header* that opens an appeal ("A Message from X:", "Dear readers,");
* a *plea*: an appeal on its own.  The publisher speaking (we / our / us) with an ask
  that publishers make of readers (donate, subscribe, sign up, become a member, support
  our journalism) and one more cue (you, please, a monthly amount, journalism); or the
  reader addressed about a newsletter, or about donating to journalism; or a short fixed
  call to action ("Remind me later.", "Click here to subscribe", "Read the rest here").
  The reader addressed about money and subscriptions alone is not enough: consumer
  articles about streaming plans and retirement contributions read like that;
* *appeal-like*: the publisher or the reader addressed, a publisher's ask, or a short
  line without a full stop (a button: "Donate", "$5 monthly"), which lets a block run on;
* nothing.

A block starts at a header or a plea and runs over the following header, plea and
appeal-like paragraphs; it is dropped only if it holds a plea.  It ends at its last plea,
unless it opens with a header and runs to the end of the text (appeals usually close an
article: "Thank you for standing with us." after the last plea goes too).  A
paragraph that reports speech ("said", "told", "according to") is never part of an
appeal: news about fundraising stays news.
"""

from __future__ import annotations

import re

Region = tuple[int, int]

_I = re.IGNORECASE

_HEADER = re.compile(
    r"""^\W*(?:
        an?\s+(?:message|note|letter|word|request)\s+(?:from|to)\s+\S.{0,70}?[:.!]?
      | dear\s+(?:readers?|friends?|subscribers?|members?|supporters?|listeners?|viewers?)
            (?:\s+(?:and|&)\s+\w+)?\s*[,:!.]?
      | to\s+our\s+readers\s*[,:.]?
      | before\s+you\s+go\b.{0,80}
      | (?:we\s+have\s+)?(?:a|one)\s+(?:small\s+)?(?:favou?r|request)\s+to\s+ask\b.{0,80}
      | support\s+(?:our|independent|local|quality|public[- ]service|nonprofit)\s+
            (?:journalism|news|reporting|newsroom)[.!]?
      | (?:thank\s+you|thanks)\s+for\s+(?:reading|being\s+a\s+reader)\b.{0,60}
    )\s*$""",
    _I | re.X,
)

# Short paragraphs that are a call to action on their own.
_CTA = re.compile(
    r"""^\W*(?:please\s+)?(?:
        remind\s+me\s+later | maybe\s+later | not\s+now
      | read\s+the\s+(?:rest|full\s+(?:story|article|piece|report))\s+(?:here|at|on)\b
      | click\s+here\s+to\s+(?:subscribe|donate|sign\s+up|support|become|join|read)
      | already\s+a\s+(?:subscriber|member|supporter)\b
      | (?:subscribe|sign\s+up|register|donate|give|contribute|join)\s+(?:now|today|here)\b
      | (?:subscribe|sign\s+up)\s+(?:to|for)\s+our\b
      | subscribe\s+to\s+\S+
      | (?:subscribe|sign\s+up)\s+(?:to|for)\s+the\b[^.]{0,80}\bnewsletters?\b
      | (?:get|receive)\s+(?:our|the)\b.{0,60}\bnewsletters?\b
      | support\s+(?:us|independent\s+journalism|our\s+(?:journalism|work|reporting|newsroom))\b
      | (?:become|be)\s+an?\s+(?:member|subscriber|supporter|patron|donor)\b
      | (?:donate|make\s+a\s+(?:donation|gift|contribution))\s+to\s+(?:us|our|the)\b
      | subscribe\s+to\s+(?:continue|keep)\s+reading\b
      | you(?:'ve|\s+have)\s+(?:reached|read)\s+(?:your|all\s+your|the)\b.{0,40}
            \b(?:free\s+articles?|article\s+limit|limit)\b
    )""",
    _I | re.X,
)
_CTA_MAX = 200

_WE_US = re.compile(r"\b(?:we|we're|we've|we'll|we'd|our|ours|ourselves)\b", _I)
_US = re.compile(r"\bus\b")  # lower case only: "US" is the United States
_YOU = re.compile(r"\b(?:you|your|you're|you've|you'll|you'd|yours|yourself)\b", _I)
# Asks that publishers make of readers and news sources rarely make of anyone.
_ASK_HARD = re.compile(
    r"""\b(?:
        donat(?:e|es|ed|ing|ion|ions)
      | contribut(?:e|es|ing|ion|ions)
      | subscri(?:be|bes|bing|ption|ptions|ber|bers)
      | member(?:ship|ships)
      | become\s+an?\s+(?:member|supporter|patron|donor)
      | sign(?:ing)?[\s-]?up
      | newsletters?
      | inbox
      | chip\s+in
      | make\s+a\s+(?:gift|donation|contribution|pledge)
      | support(?:ing)?\s+(?:us|independent|quality|local|fearless|free|public[-\s]interest
            |our\s+(?:journalism|work|reporting|newsroom|mission|coverage|journalists|reporters))
      | reader[-\s](?:funded|supported|powered)
      | funded\s+by\s+(?:readers|you)
      | paywall | free\s+articles?
    )\b""",
    _I | re.X,
)
_NEWSLETTER = re.compile(r"\bnewsletters?\b", _I)
_OUR_NEWSLETTER = re.compile(r"\bour\b[^.]{0,40}\bnewsletters?\b", _I)
_DONATE = re.compile(r"\b(?:donat(?:e|ion|ions)|contribution|make\s+a\s+gift)\b", _I)
_ASK_SOFT = re.compile(
    r"\b(?:(?:need|rely\s+on|depend\s+on|count\s+on|ask\s+for)\s+(?:your|you|readers)"
    r"|help\s+us|your\s+(?:support|help|generosity)|stand(?:ing)?\s+with\s+us)\b",
    _I,
)
_MONEY = re.compile(
    r"(?:[$€£¥]\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:dollars|euros|pounds|USD|EUR|GBP)\b)"
    r"|\b(?:monthly|a\s+month|per\s+month|every\s+month|annually|a\s+year)\b",
    _I,
)
_PERIODIC = re.compile(
    r"\b(?:monthly|a\s+month|per\s+month|every\s+month|annually|a\s+year|one-time)\b", _I
)
_PLEA = re.compile(
    r"""\b(?:please|thank\s+you|thanks|if\s+you\s+can|no\s+matter\s+how\s+small
      | every\s+(?:contribution|donation|gift|dollar|pound|euro|bit)|any\s+amount
      | today|right\s+now|make[s]?\s+a\s+(?:\w+\s+)?(?:difference|impact)
      | standing\s+with\s+us|help\s+us|keep\s+(?:our|this)\s+\w+
    )\b""",
    _I | re.X,
)
_JOURNALISM = re.compile(
    r"""\b(?:journalism|journalists?|newsroom|reporting|reporters
      | independent\s+(?:media|press|news|voice)|free\s+press|readers
      | our\s+(?:work|coverage|mission|stories|staff|team|site|website)
    )\b""",
    _I | re.X,
)
# Reported speech: a paragraph that reports what someone said is news, whatever its words.
_REPORTING = re.compile(
    r"\b(?:said|says|told|tells|according\s+to|stated|announced|reported|reports"
    r"|explained|added|adds|wrote|writes|urged|asked|asks|quoted|recalled|argued|insisted)\b",
    _I,
)
_SHORT = 40


def paragraphs(text: str) -> list[Region]:
    """Non-blank lines as (start, end) regions, line breaks and trailing spaces excluded."""
    out = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line.rstrip())
        if text[pos:end].strip():
            out.append((pos, end))
        pos += len(line) + 1
    return out


HEADER, PLEA, LIKE = "header", "plea", "like"


def classify(par: str) -> str | None:
    """``header``, ``plea``, ``like`` (appeal-like) or ``None`` for one paragraph."""
    s = par.strip()
    if _HEADER.match(s) and len(s) <= 120:
        return HEADER
    if len(s) <= _CTA_MAX and _CTA.match(s):
        return PLEA
    if _REPORTING.search(s):
        return None
    we = bool(_WE_US.search(s) or _US.search(s))
    you = bool(_YOU.search(s))
    money = bool(_MONEY.search(s))
    journalism = bool(_JOURNALISM.search(s))
    plea = bool(_PLEA.search(s))
    hard = bool(_ASK_HARD.search(s))
    soft = bool(_ASK_SOFT.search(s))
    newsletter = bool(_NEWSLETTER.search(s))
    periodic = bool(_PERIODIC.search(s))
    if (
        we
        and (you or money or journalism or plea)
        and (hard or (soft and (journalism or periodic)))
    ):
        return PLEA
    if newsletter and (you or _OUR_NEWSLETTER.search(s)):
        return PLEA
    if you and journalism and _DONATE.search(s):
        return PLEA
    if we or you or hard or (len(s) <= _SHORT and not s.endswith(".")):
        return LIKE
    return None


def find_appeals(text: str) -> list[Region]:
    """Regions of ``text`` (whole paragraphs, end exclusive) that are publisher appeals."""
    pars = paragraphs(text)
    kinds = [classify(text[s:e]) for s, e in pars]
    regions: list[Region] = []
    i = 0
    n = len(pars)
    while i < n:
        if kinds[i] not in (HEADER, PLEA):
            i += 1
            continue
        j = i
        while j + 1 < n and kinds[j + 1] is not None:
            j += 1
        pleas = [k for k in range(i, j + 1) if kinds[k] == PLEA]
        if pleas:
            # Only a block with a header ("Dear readers,") may take in what follows its
            # last plea, and only when it closes the text.
            last = j if (j == n - 1 and kinds[i] == HEADER) else pleas[-1]
            regions.append((pars[i][0], pars[last][1]))
        i = j + 1
    return regions


def describe(text: str, region: Region) -> str:
    """The note ingest adds for a dropped appeal."""
    s, e = region
    block = text[s:e]
    count = len(paragraphs(block))
    first = block.split("\n", 1)[0].strip()
    if len(first) > 60:
        first = first[:59].rstrip() + "…"
    if count > 1:
        first += " …"
    noun = "paragraph" if count == 1 else "paragraphs"
    return f'dropped publisher appeal: {count} {noun}, {e - s} characters at offset {s} ("{first}")'
