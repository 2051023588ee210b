"""Definite descriptions: which named person "the Vermont senator" or "the Republican
front-runner" refers to, where the article does not say it in so many words.  The
mention index gives such a description as a role of that person."""

from __future__ import annotations

import bisect

from spacy.tokens import Doc, Span, Token

SUBJECTS = frozenset(("nsubj", "nsubjpass"))


def _main_subject(sentence: Span) -> Token | None:
    return next((c for c in sentence.root.children if c.dep_ in SUBJECTS), None)


def _first_named(subject: Token | None, at: dict[int, int]) -> int | None:
    """The first person mention (its index, by offset in ``at``) inside a subject."""
    if subject is None:
        return None
    return next((at[t.idx] for t in subject.subtree if t.idx in at), None)


def described_one(
    doc: Doc, noun: Token, offsets: list[int], at: dict[int, int], starts: list[int]
) -> int | None:
    """Which person mention (an index into ``offsets``; ``at`` maps an offset to its
    index) a definite description refers to: the subject of the clause a fronted
    "While the Vermont senator has won ..." is subordinate to, named after it; for a
    description that opens its sentence, the named subject of the sentence before
    ("Sanders won ... . The Vermont senator aimed"); otherwise the person last named in
    this sentence or the one before."""
    sentence = noun.sent
    if noun.dep_ in SUBJECTS and noun.head.dep_ == "advcl":
        subject = next((c for c in noun.head.head.children if c.dep_ in SUBJECTS), None)
        named = _first_named(subject, at) if subject is not None and subject.i > noun.i else None
        if named is not None:
            return named
    # (the parser sometimes makes such a subject the root: "The Vermont senator aimed")
    opens = noun.left_edge.i == sentence.start and noun.dep_ in SUBJECTS | {"ROOT"}
    k = bisect.bisect_left(offsets, noun.idx) - 1
    here = bisect.bisect_right(starts, noun.idx) - 1
    if opens and here > 0:
        named = _first_named(_main_subject(doc[sentence.start - 1].sent), at)
        if named is not None:
            return named
    if k < 0 or offsets[k] < starts[max(here - 1, 0)]:
        return None
    subjects = _subjects_above(noun)
    if any(t.idx == offsets[k] and t.ent_type_ == "PERSON" for c in subjects for t in c.subtree):
        return None  # "Sanders said of the Republican front-runner": someone else
    if noun.dep_ not in SUBJECTS and any(c.lower_ in _PERSONAL for c in subjects):
        # "he said, referring to the Republican frontrunner", "we must defeat the
        # Democratic nominee": the person last named is as likely that subject, or its
        # object, as the one described
        return None
    return k


_PERSONAL = frozenset("he she we i they you".split())


def _subjects_above(noun: Token) -> list[Token]:
    """The subjects of the verbs a description hangs under, other than itself: a name
    among them is not the one described, as a name and a description of one clause
    never corefer."""
    return [
        c for verb in noun.ancestors for c in verb.children if c.dep_ in SUBJECTS and c.i != noun.i
    ]
