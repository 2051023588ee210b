"""Who a personal pronoun can point back to: the people an article mentions, by salience.

"he said" is not the last person named.  In ``Sondland testified that he had spoken to
the president about Joe Biden. "I now do recall," he said.`` Biden is named last, but
inside what Sondland said: the person a statement talks about is not who speaks next.
And in ``A man was charged with threatening Rep. Ilhan Omar. ... he said`` the man is
never named, so "he" has no name at all, rather than the congresswoman's.

A candidate is a person mention outside the content of any statement that does not also
hold the pronoun: a name (its full form from the mention index), a person described
but never named in subject position ("a man from Addison", "the spokeswoman"), or an
earlier subject pronoun (which carries its own antecedent forward).  Within the
pronoun's sentence and the one before, a subject wins over other mentions, then the
latest; further back only subjects count, and the speaker resolution weighs them
against the speakers it has seen (speakers.SpeakerResolver._recent).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ..attribution.intervals import SpanIndex
from ..attribution.screen import in_quotation
from ..attribution.syntax import doc_text, name_root
from ..names import gender_of
from ..records import Offsets
from .described import SUBJECTS
from .mentions import MentionIndex

OBJECTS = frozenset(("dobj", "pobj", "dative"))
# How many candidates a pronoun looks back over at most: an article of thousands of
# mentions is read in time in proportion to its length.
LOOKBACK = 200
PRONOUN_GENDER = {"he": "m", "she": "f"}


@dataclass(frozen=True)
class Candidate:
    offset: int
    token: int  # the mention's head token
    name: str | None  # None: described, never named, or a pronoun (see ``pronoun``)
    gender: str | None
    subject: bool
    pronoun: bool = False


def _is_subject(token: Token) -> bool:
    """The token heads a clause's subject, or names it in apposition ("the envoy, Kurt
    Volker, said") or as a compound ("envoy Kurt Volker")."""
    for _ in range(4):
        if token.dep_ in SUBJECTS:
            return True
        if token.dep_ not in ("appos", "compound", "flat") or token.head is token:
            return False
        if token.dep_ == "compound" and token.head.pos_ != "PROPN":
            return False  # "Trump aides said": the aides are the subject
        token = token.head
    return False


class Antecedents:
    """The person mentions of one article that a pronoun may refer to."""

    def __init__(
        self,
        doc: Doc,
        index: MentionIndex,
        contents: Iterable[Offsets],
        person_noun,  # (Token) -> bool: a common noun naming one person
    ) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.contents = SpanIndex((s, e, (s, e)) for s, e in contents)
        found: dict[int, Candidate] = {}
        for offset, name in index.person_mentions:
            root = name_root(doc, offset)
            if root is not None:
                gender = index.gender(name)
                found[root.i] = Candidate(offset, root.i, name, gender, _is_subject(root))
        for t in doc:
            if t.i in found:
                continue
            if t.dep_ in OBJECTS and t.pos_ == "NOUN" and t.tag_ == "NN" and person_noun(t):
                # "WIRED spoke to one mother, ... . 'I am so ahead,' she said": a person
                # described as an object is a candidate too, below any subject
                words = [c.text for c in t.lefts] + [t.text]
                found[t.i] = Candidate(t.left_edge.idx, t.i, None, gender_of(words), False)
                continue
            if t.dep_ not in SUBJECTS:
                continue
            low = t.lower_
            if low in PRONOUN_GENDER:
                found[t.i] = Candidate(t.idx, t.i, None, PRONOUN_GENDER[low], True, pronoun=True)
            elif t.pos_ == "NOUN" and t.tag_ == "NN" and person_noun(t):
                words = [c.text for c in t.lefts] + [t.text]
                found[t.i] = Candidate(t.left_edge.idx, t.i, None, gender_of(words), True)
            elif t.pos_ == "PROPN" and t.text[:1].isupper():
                # "Sabatier encourages ...": a surname of a person the article names,
                # in subject position, whatever the entity recogniser said
                name = index.full_name(t.text)
                if name is not None and t.ent_type_ in ("", "PERSON", "ORG"):
                    found[t.i] = Candidate(t.idx, t.i, name, index.gender(name), True)
        self.candidates = sorted(found.values(), key=lambda c: c.offset)
        self._offsets = [c.offset for c in self.candidates]
        self._sentence_starts = [s.start_char for s in doc.sents]

    def _outside(self, candidate: Candidate, pronoun_at: int, reported: bool) -> bool:
        """Not inside a statement's content, unless that content also holds the
        pronoun (the people a quotation speaks of are candidates inside it).  With
        ``reported``, the named subject of a reported clause outside quotation marks is
        a candidate too ("As the paper noted, Trump has not always ... . Although he
        says ..."); the people a statement talks about as objects ("spoke with the
        president about Joe Biden") and the words of a quotation never are."""
        if all(s <= pronoun_at < e for s, e in self.contents.holding(candidate.offset)):
            return True
        return (
            reported
            and candidate.subject
            and candidate.name is not None
            and not candidate.pronoun
            and not in_quotation(self.text, candidate.offset)
        )

    def window_start(self, offset: int) -> int:
        """Where the pronoun's sentence, or the one before it, begins."""
        return self._window_start(offset)

    def _window_start(self, offset: int) -> int:
        k = bisect.bisect_right(self._sentence_starts, offset) - 1
        return self._sentence_starts[max(k - 1, 0)] if k >= 0 else 0

    def _before(
        self, offset: int, genders: tuple[str | None, ...], reported: bool = False
    ) -> Iterable[Candidate]:
        """The candidates before ``offset`` that fit, latest first."""
        k = bisect.bisect_left(self._offsets, offset)
        for c in reversed(self.candidates[max(k - LOOKBACK, 0) : k]):
            if c.gender in genders and self._outside(c, offset, reported):
                yield c

    def local(
        self, offset: int, genders: tuple[str | None, ...], reported: bool = False
    ) -> Candidate | None:
        """The most salient fitting mention in the pronoun's sentence and the one
        before: the latest subject, else the latest mention."""
        start = self._window_start(offset)
        latest = None
        for c in self._before(offset, genders, reported):
            if c.offset < start:
                break
            if c.subject:
                return c
            latest = latest or c
        return latest

    def subject(self, offset: int, genders: tuple[str | None, ...]) -> Candidate | None:
        """The latest fitting subject before ``offset``, however far back."""
        return next((c for c in self._before(offset, genders) if c.subject), None)

    def previous_subject(self, offset: int, gender: str | None) -> Candidate | None:
        """The named person who is the main subject of the sentence before the one at
        ``offset`` ("Eyamba Sowers didn't know ... . The real estate agent said"), if
        the gender fits."""
        k = bisect.bisect_right(self._sentence_starts, offset) - 1
        if k < 1:
            return None
        start, end = self._sentence_starts[k - 1], self._sentence_starts[k]
        for c in self._before(end, (gender, None) if gender else ("f", "m", None)):
            if c.offset < start:
                break
            token = self.doc[c.token]
            main = token.dep_ in SUBJECTS and token.head.dep_ == "ROOT"
            if c.name is not None and not c.pronoun and main:
                return c
        return None
