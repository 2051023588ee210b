"""Time of the utterance: "said Sunday", "In September, X warned", "earlier this year".

The expression is read from the cue's own dependents (and the sentence-initial adverbial
of its clause), never from the content.  With a publication date it is resolved to a
calendar date with a precision (day, week, month, year); without one, it stays text.
News style decides the weekday rule: "said Sunday" in a Monday paper is the day before,
in a Sunday paper the same day.
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Token

from ..attribution.lexicon import default_lexicon
from ..attribution.syntax import doc_text, entities, kids, sentence, subtree, subtree_indices
from ..names import is_medium
from ..records import Time

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_WORD = re.compile(r"[a-z]+")
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_NAMES = "|".join(WEEKDAYS)
# What a time of utterance looks like; anything else attached to the cue ("in a
# century", "for weeks", "next month") is not one.
_UTTERANCE_TIME = re.compile(
    rf"""\b(?:
        (?:{_WEEKDAY_NAMES})
      | (?:{_MONTH_NAMES})\.?(?:\s+\d{{1,2}})?
      | today | yesterday | tonight
      | this\s+(?:morning|afternoon|evening|week|month|year|spring|summer|fall|autumn|winter)
      | (?:last|earlier|late|early)\s+(?:this\s+)?
        (?:week|weekend|month|year|night|spring|summer|fall|autumn|winter)
      | earlier\s+(?:on|today|in\s+the\s+(?:day|week|month|year))
      | \d+\s+(?:days|weeks|months|years)\s+ago
      | (?:a|one|two|three)\s+(?:day|week|month|year)s?\s+ago
      | at\s+the\s+time
      | (?:in|during)\s+(?:19|20)\d\d
    )\b""",
    re.X,
)
_NOT_UTTERANCE = re.compile(r"\b(?:next|coming|tomorrow|until|for|within|century|decade)\b")


def _is_time_phrase(tokens: list[Token]) -> bool:
    text = " ".join(t.lower_ for t in tokens)
    if len(tokens) > 7 or _NOT_UTTERANCE.search(text):
        return False
    return bool(_UTTERANCE_TIME.search(text))


_VERBAL = frozenset(("VERB", "AUX"))
_TIME_NOUNS = frozenset(
    """time day week month year morning afternoon evening night weekend today yesterday
    tonight""".split()
)


def _is_time_object(prep: Token) -> bool:
    """The preposition governs a time ("on Sunday", "at the time"), not a thing ("in
    a statement")."""
    return any(
        p.dep_ == "pobj" and (p.ent_type_ in ("DATE", "TIME") or p.lemma_.lower() in _TIME_NOUNS)
        for p in kids(prep)
    )


def _dates_within(phrase: Token, excluded: set[int]) -> list[list[Token]]:
    """Times inside a circumstance: "in a statement released on Monday", "at a
    Wednesday news conference"."""
    found = []
    for t in subtree(phrase):
        if t.i in excluded or t.i == phrase.i:
            continue
        if t.dep_ == "prep" and _is_time_object(t):
            toks = [x for x in subtree(t) if x.i not in excluded]
            if _is_time_phrase(toks):
                found.append(toks)
        elif t.ent_type_ in ("DATE", "TIME") and t.ent_iob_ == "B" and t.dep_ != "pobj":
            toks = [t]
            for x in t.doc[t.i + 1 :]:
                if x.ent_iob_ != "I":
                    break
                toks.append(x)
            if _is_time_phrase(toks):
                found.append(toks)
    return found


# Participles before a cue whose time is the statement's: "Writing in the Valley Review
# in 2012, Lee argued", "Tweeting in May, Lee said".
PARTICIPLES_OF_SAYING = frozenset("write speak talk appear tweet post blog email".split())


def _medium_phrase(prep: Token) -> bool:
    return any(p.dep_ == "pobj" and is_medium(p) for p in kids(prep))


def _loose_dates(cue_head: Token, excluded: set[int]) -> list[list[Token]]:
    """A date in the cue's own clause that the parser hung on a noun ("acknowledged
    staffing shortages Tuesday", "Hours before the game Tuesday, the coach expressed
    confidence") or read as the next clause's subject ("said Monday the victim was"):
    the way up from it to the cue passes no other verb."""
    found = []
    for ent in entities(sentence(cue_head)):
        if ent.label_ not in ("DATE", "TIME") or any(t.i in excluded for t in ent):
            continue
        toks = list(ent)
        if not _is_time_phrase(toks):
            continue
        if ent.start == cue_head.i + 1:
            found.append(toks)  # "said Monday the victim ..."
            continue
        node = ent.root
        for _ in range(8):
            node = node.head
            if node.i == cue_head.i or node.pos_ in _VERBAL or node.head is node:
                break
        if node.i == cue_head.i:
            found.append(toks)
    return found


def find_time(cue_head: Token, excluded: set[int]) -> tuple[list[Token], str] | None:
    """The time expression attached to a cue: ('Sunday'), ('In September'), or to a
    participle of saying before it ("Writing in the Valley Review in 2012, Lee argued")."""
    candidates: list[list[Token]] = []
    dependents = kids(cue_head)
    for c in list(dependents):
        if c.dep_ == "advcl" and c.lemma_.lower() in PARTICIPLES_OF_SAYING:
            dependents += [x for x in kids(c) if x.i not in excluded]
    for c in dependents:
        if c.i in excluded:
            continue
        if c.dep_ in ("npadvmod", "tmod", "advmod") or (
            c.dep_ == "prep" and c.lower_ in ("on", "in", "at", "during", "since")
        ):
            toks = [t for t in subtree(c) if t.i not in excluded]
            if toks and _is_time_phrase(toks) and (c.dep_ != "prep" or _is_time_object(c)):
                candidates.append(toks)
            elif c.dep_ == "prep" and _medium_phrase(c):
                # "in a statement released on Monday": the date inside the phrase (not
                # "In addition to its order of 30 jets Wednesday", another event's).
                candidates.extend(_dates_within(c, excluded))
    if not candidates:
        # A date the parser attached to the cue through a preposition or directly.
        for ent in entities(sentence(cue_head)):
            if ent.label_ not in ("DATE", "TIME") or ent.start in excluded:
                continue
            gov = ent.root.head
            if gov == cue_head:
                candidates.append(list(ent))
            elif gov.dep_ == "prep" and gov.head == cue_head and gov.i not in excluded:
                candidates.append([gov, *ent])
        candidates = [c for c in candidates if _is_time_phrase(c)]
    if not candidates:
        candidates = _loose_dates(cue_head, excluded)
    if not candidates:
        return None
    toks = sorted(min(candidates, key=lambda c: abs(c[0].i - cue_head.i)), key=lambda t: t.i)
    while toks and (toks[-1].is_punct or toks[-1].is_space):
        toks = toks[:-1]
    if not toks:
        return None
    doc = cue_head.doc
    return toks, doc_text(doc)[toks[0].idx : toks[-1].idx + len(toks[-1])]


def resolve(text: str, published: str | None) -> tuple[str | None, str | None]:
    """(date, precision) for a time expression, given the publication date."""
    if not published:
        return None, None
    try:
        base = dt.date.fromisoformat(published[:10])
    except ValueError:
        return None, None
    words = _WORD.findall(text.lower())
    for i, w in enumerate(WEEKDAYS):
        if w in words:
            back = (base.weekday() - i) % 7
            if "last" in words and back == 0:
                back = 7
            if "next" in words or "coming" in words:
                return None, None  # a future weekday is not when something was said
            return (base - dt.timedelta(days=back)).isoformat(), "day"
    if "today" in words or "tonight" in words:
        return base.isoformat(), "day"
    if "yesterday" in words:
        return (base - dt.timedelta(days=1)).isoformat(), "day"
    if "time" in words and "at" in words:
        return None, None  # "at the time": the time of an event, not a calendar date
    year_only = re.fullmatch(r"(?:in|during|since)?\s*((?:19|20)\d\d)", text.strip(), re.I)
    if year_only:
        return dt.date(int(year_only.group(1)), 1, 1).isoformat(), "year"
    month_year = re.search(rf"\b({_MONTH_NAMES})\.?,?\s+(?:of\s+)?((?:19|20)\d\d)\b", text.lower())
    if month_year and not re.search(r"\b\d{1,2}\b", text.lower().replace(month_year.group(2), "")):
        # "in October 2018": the month, not a day dateparser would make up
        return dt.date(
            int(month_year.group(2)), MONTHS[month_year.group(1)], 1
        ).isoformat(), "month"
    month = next((MONTHS[w] for w in words if w in MONTHS), None)
    has_day = any(w.isdigit() for w in re.findall(r"\d+", text)) and month is not None
    if month is not None and not has_day and not re.search(r"\b\d{4}\b", text):
        year = base.year if month <= base.month else base.year - 1
        return dt.date(year, month, 1).isoformat(), "month"
    seasons = {"spring", "summer", "fall", "autumn", "winter"}
    if ("year" in words or seasons & set(words)) and ("this" in words or "earlier" in words):
        return dt.date(base.year, 1, 1).isoformat(), "year"
    if ("year" in words or seasons & set(words)) and "last" in words:
        # ("last fall" in a July paper: the fall of the year before)
        return dt.date(base.year - 1, 1, 1).isoformat(), "year"
    if "week" in words and ("this" in words or "earlier" in words) and "last" not in words:
        # "earlier this week": the week of publication, from its Monday
        return (base - dt.timedelta(days=base.weekday())).isoformat(), "week"
    if "month" in words and ("this" in words or "earlier" in words):
        return dt.date(base.year, base.month, 1).isoformat(), "month"
    if "month" in words and "last" in words:
        year, month = (base.year, base.month - 1) if base.month > 1 else (base.year - 1, 12)
        return dt.date(year, month, 1).isoformat(), "month"
    return _dateparser(text, base)


def _dateparser(text: str, base: dt.date) -> tuple[str | None, str | None]:
    import dateparser  # slow to import; only needed for the less common expressions

    settings = {
        "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day),
        "PREFER_DATES_FROM": "past",
        "RETURN_TIME_AS_PERIOD": True,
    }
    cleaned = re.sub(r"^(on|in|at|during|since)\s+", "", text.strip(), flags=re.I)
    cleaned = re.sub(r"^(a|an|the|his|her|their|its)\s+", "", cleaned, flags=re.I)
    try:
        parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input
        return None, None
    if parsed is None or parsed.date() > base:
        return None, None
    precision = "week" if "week" in text.lower() else "day"
    return parsed.date().isoformat(), precision


def _same_act(verb: Token) -> bool:
    """The cue continues the act of saying it hangs on, and so has its time: "Garrett
    tweeted Monday, saying ...", "Lee said Friday and added that ...".  Not a clause
    with a subject of its own ("..., and officials ultimately admitted"), nor one on
    something done to someone ("were charged Tuesday ..., stating they had checked")."""
    head = verb.head
    if verb.dep_ not in ("advcl", "conj") or head.pos_ != "VERB":
        return False
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in kids(verb)):
        return False
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in kids(head)):
        return False
    # ("weighed in on Monday, saying ...": a participle of saying is the same act as
    # whatever its speaker did then)
    participle = verb.tag_ == "VBG" and verb.dep_ == "advcl"
    return participle or default_lexicon().says(head.lemma_.lower())


def utterance_time(cue_head: Token, excluded: set[int], published: str | None) -> Time | None:
    found = find_time(cue_head, excluded)
    if found is None and _same_act(cue_head):
        found = find_time(cue_head.head, excluded | subtree_indices(cue_head))
    if found is None:
        return None
    toks, text = found
    date, precision = resolve(text, published)
    start = toks[0].idx
    return Time(
        text=text,
        spans=((start, start + len(text)),),
        date=date,
        precision=precision,
    )
