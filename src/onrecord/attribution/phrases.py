"""The phrases the rule-based detector reads off the parse around a cue: a speaker's
noun phrase or printed name, the clause a cue reports, the circumstances ("at the time",
"in an interview") that are not what was said, and the wire dateline that is not part of
a first sentence's report.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from ..records import Offsets
from .quotes import Quote
from .syntax import children, kids, lefts, rights, sentence, subtree, subtree_indices

# Passive hearsay: "X was cited / quoted as saying ..."
HEARSAY_VERBS = frozenset(["cite", "quote", "report", "say"])
SPEECH_FORMS = frozenset(["say", "saying", "said", "tell", "telling", "told"])


def short_name(tokens: list[Token]) -> bool:
    """Up to six tokens that name someone: no verb, pronoun or number, and either a
    named entity or words a name is written in (capitalised, all capitals: headlines
    capitalise every word and the tagger often calls a name a noun)."""
    if not tokens or len(tokens) > 6:
        return False
    if any(t.pos_ in ("VERB", "AUX", "PRON", "NUM", "ADP", "CCONJ") for t in tokens):
        return False
    if any(t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") for t in tokens):
        return True
    name_like = all(
        t.pos_ == "PROPN" or t.text.istitle() or (t.is_upper and t.is_alpha) or t.is_punct
        for t in tokens
    )
    return name_like and tokens[0].pos_ != "DET" and not tokens[0].is_punct


def inverted_name(head: Token) -> set[int]:
    """'..., said Per Lundqvist, chairman of ...' where the parser missed the subject
    (here it took "Per" for a preposition): the name right after the cue."""
    for c in rights(head):
        if c.is_punct or c.is_space:
            continue
        words = subtree(c)
        first = words[0]
        if first.i == head.i + 1 and (first.pos_ == "PROPN" or first.ent_type_ == "PERSON"):
            return {t.i for t in words}
        return set()
    return set()


def noun_phrase(token: Token) -> set[int]:
    """A subject's span: its subtree without relative clauses ("Christie, who has
    campaigned for Trump, said" has the source "Christie")."""
    clauses = [c for c in rights(token) if c.dep_ in ("relcl", "acl")]
    idx = subtree_indices(token, exclude=clauses)
    if clauses:
        # Drop the comma that opened the clause.
        last = max(idx)
        while last in idx and token.doc[last].is_punct and last > token.i:
            idx.discard(last)
            last -= 1
    return idx


CIRCUMSTANCE_ENTS = frozenset(("DATE", "TIME", "GPE", "LOC", "FAC", "EVENT"))
# Nouns that name the occasion or medium of a statement, not its content.
OCCASION_NOUNS = frozenset(
    """time interview statement conference briefing rally event speech debate hearing
    meeting news show program programme video post tweet letter op-ed email call
    appearance town hall forum summit session""".split()
)
PLATFORM_NAMES = frozenset(
    "twitter facebook youtube instagram telegram tiktok television tv radio".split()
)


def circumstance(noun: Token) -> bool:
    """A prepositional object that says when, where or how ("at the time", "on
    Sunday", "in an interview", "on YouTube"), not what was said."""
    lemma = noun.lemma_.lower()
    return noun.ent_type_ in CIRCUMSTANCE_ENTS or lemma in OCCASION_NOUNS or lemma in PLATFORM_NAMES


def content_clause(head: Token) -> Token | None:
    """The clause a verb reports: a that-clause the parser hung on a circumstance
    ("said at the time that ...", "said in a statement that ..."), else its ccomp."""
    for prep in children(head, "prep"):
        for pobj in children(prep, "pobj"):
            if not circumstance(pobj):
                continue
            for c in kids(pobj):
                if c.dep_ in ("relcl", "acl") and any(t.lower_ == "that" for t in lefts(c)):
                    return c
    for c in children(head, "ccomp"):
        # "... a video in which fighters said ...", misattached: a relative clause.
        if any(
            t.dep_ == "prep" and any(p.lower_ in ("which", "whom", "whose") for p in kids(t))
            for t in lefts(c)
        ):
            continue
        return c
    return None


def trailing_content(head: Token, source: set[int], cue: set[int]) -> set[int]:
    """'<clause>, TASS reported.' — an attribution after the clause it reports, however
    the parser attached it: the sentence before the attribution is the content."""
    if not source:
        return set()
    sent = sentence(head)
    first = min(source | cue)
    if first <= sent.start + 2:
        return set()
    comma = head.doc[first - 1]
    if comma.text not in (",", "—", "–", "-"):
        return set()
    # Nothing but circumstances may follow the cue ("reported at the time") up to the
    # end of the sentence.
    own = subtree_indices(head)
    for t in kids(head):
        if t.i > head.i and t.dep_ not in ("prep", "npadvmod", "advmod", "punct", "agent"):
            return set()
    if any(t.i not in own and not (t.is_punct or t.is_space) for t in sent if t.i > head.i):
        return set()
    return {t.i for t in sent if t.i < comma.i and not t.is_space}


# "SOLHOLM, March 12 (Nordic Wire) - " / "LONDON (Reuters) — ": where, when and who filed.
DATELINE = re.compile(
    r"[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?(?:\s*\([^)\n]{1,40}\))?"
    r"\s*[-—–]+\s*"
)


def without_dateline(text: str, spans: tuple[Offsets, ...]) -> tuple[Offsets, ...]:
    """A wire story's dateline is not part of what its first sentence reports."""
    if not spans:
        return spans
    (s, e), rest = spans[0], spans[1:]
    m = DATELINE.match(text, s)
    if m is None or m.end() >= e:
        return spans
    return ((m.end(), e), *rest)


def hearsay_speech(verb: Token) -> Token | None:
    """The speech verb of a passive hearsay cue: "saying" in "was quoted as saying"."""
    if verb.lemma_.lower() not in HEARSAY_VERBS or not children(verb, "auxpass", "nsubjpass"):
        return None
    for prep in children(verb, "prep"):
        if prep.lower_ == "as":
            for c in kids(prep):
                if c.dep_ in ("pcomp", "pobj") and c.lower_ in SPEECH_FORMS:
                    return c
    return None


def covers(quote: Quote, idx: set[int], doc: Doc) -> bool:
    """The clause lies mostly inside the quote."""
    inside = sum(1 for i in idx if quote.start <= doc[i].idx < quote.end)
    return inside >= 0.6 * len(idx)
