"""Speaker resolution: from the mention as written to who it is and what they are.

"he" → the last person to speak or be named; "Kadyrov" → "Ramzan Kadyrov"; "the Chechen
leader" → the person the article described that way; "who" → the noun the relative
clause hangs on.  The role is the descriptor the article gives the speaker, from the
mention itself first ("independent analyst Georgy Engelhardt"), else from elsewhere in
the article ("Chechen leader Ramzan Kadyrov" earlier on).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..attribution.syntax import doc_text
from ..records import Offsets, Speaker
from .mentions import (
    MentionIndex,
    clean_name,
    descriptor_text,
    organisation_name,
    strip_titles,
    unlabelled_name,
)

PERSON_PRONOUNS = frozenset(["he", "she", "him", "her", "i", "me"])
GROUP_PRONOUNS = frozenset(["they", "them", "we", "us"])
ORG_PRONOUNS = frozenset(("it",))
RELATIVE_PRONOUNS = frozenset(["who", "whom", "which", "that"])
# Common nouns that name a single person, an organisation, or people in the plural.
PERSON_NOUNS = frozenset(
    """spokesman spokeswoman spokesperson president minister leader analyst senator
    official lawmaker governor mayor chairman chairwoman chief director secretary
    ambassador adviser advisor aide candidate nominee expert economist professor
    researcher scientist lawyer attorney judge prosecutor general commander officer
    source witness resident doctor author writer columnist reporter correspondent
    editor host anchor activist campaigner executive ceo founder owner manager
    strategist pollster historian politician representative congressman congresswoman
    diplomat envoy premier chancellor king queen prince governor-general woman man
    father mother son daughter wife husband friend neighbor neighbour teacher student
    worker farmer officer detective sheriff""".split()
)
ORG_NOUNS = frozenset(
    """ministry agency government company campaign committee council office department
    party newspaper network group organization organisation union court administration
    commission board bank firm service police army military parliament congress senate
    house team club university institute foundation association federation coalition
    alliance embassy kremlin white state channel station magazine site website outlet
    daily paper poll survey study report""".split()
)


@dataclass
class Resolved:
    name: str | None
    role: str | None
    kind: str


def mention_span(doc: Doc, spans: tuple[Offsets, ...]) -> Span | None:
    if not spans:
        return None
    return doc.char_span(spans[0][0], spans[-1][1], alignment_mode="expand")


def _kind_of_noun(token: Token) -> str:
    lemma = token.lemma_.lower()
    plural = token.tag_ in ("NNS", "NNPS")
    if lemma in ORG_NOUNS:
        return "organization"
    if lemma in PERSON_NOUNS or token.ent_type_ == "PERSON":
        return "group" if plural else "person"
    if token.ent_type_ == "NORP" or plural:
        return "group"
    if token.ent_type_ in ("ORG", "GPE"):
        return "organization"
    return "unknown"


class SpeakerResolver:
    """Resolves the speakers of one article, in reading order."""

    def __init__(self, doc: Doc, index: MentionIndex) -> None:
        self.doc = doc
        self.index = index
        # (offset, name, kind) of speakers resolved so far, for pronouns.
        self.history: list[tuple[int, str, str]] = []

    def resolve(self, spans: tuple[Offsets, ...]) -> Speaker:
        span = mention_span(self.doc, spans)
        if span is None:
            return Speaker(text=None)
        text = " … ".join(doc_text(self.doc)[s:e] for s, e in spans)
        r = self._resolve_span(span)
        if r.name:
            self.history.append((span.start_char, r.name, r.kind))
        elif r.kind == "group" and span.root.pos_ != "PRON":
            # An unnamed group ("Russian-speaking fighters") is what a later "they"
            # refers to: the description stands in for a name.
            self.history.append((span.start_char, descriptor_text(list(span)) or text, "group"))
        return Speaker(text=text, spans=spans, name=r.name, role=r.role, kind=r.kind)

    # -- by mention type ------------------------------------------------------------

    def _resolve_span(self, span: Span) -> Resolved:
        root = span.root
        people = [e for e in span.ents if e.label_ == "PERSON"]
        orgs = [e for e in span.ents if e.label_ == "ORG"]
        low = root.lower_
        if root.pos_ == "PRON" or (len(span) == 1 and low in RELATIVE_PRONOUNS):
            return self._pronoun(root)
        words = [t for t in span if not t.is_punct and t.tag_ != "POS"]
        if len(words) == 1 and words[0].pos_ == "PROPN":
            # "Reyes" after "Paul Reyes": a known surname, whatever the NER said.
            full = self.index.full_name(words[0].text)
            if full is not None:
                entity = self.index.people[full]
                return Resolved(full, entity.role, "person")
        person_head = root.lemma_.lower() in PERSON_NOUNS and root.tag_ not in ("NNS", "NNPS")
        if people and (root in people[0] or root.ent_type_ == "PERSON" or not orgs or person_head):
            # "The director of the library, Howard Lin": the named person, not the library.
            return self._person(people[0], span)
        unlabelled = unlabelled_name(root)
        if unlabelled is not None:
            return self._person(unlabelled, span)
        if orgs:
            return self._organisation(orgs[0], span)
        if root.ent_type_ in ("GPE", "NORP"):
            name = clean_name(span.text) if root.ent_type_ == "GPE" else None
            kind = "organization" if root.ent_type_ == "GPE" else "group"
            return Resolved(name, None, kind)
        return self._description(span)

    def _person(self, ent: Span, mention: Span) -> Resolved:
        words = [t.text for t in ent if t.tag_ != "POS"]
        titles, words = strip_titles(words)
        name = clean_name(" ".join(words))
        if len(name.split()) == 1:
            name = self.index.full_name(name) or name
        role = self._role_in_mention(mention, ent) or (" ".join(titles) if titles else None)
        if role is None:
            entity = self.index.people.get(name)
            role = entity.role if entity else None
        return Resolved(name, role, "person")

    def _organisation(self, ent: Span, mention: Span) -> Resolved:
        name = organisation_name(ent.text)
        # "Russia's Security Council": keep the possessor that says whose council.
        first = ent[0]
        if first.i > mention.start and self.doc[first.i - 1].tag_ == "POS":
            owner = self.doc[first.i - 2] if first.i >= 2 else None
            if owner is not None and owner.ent_type_ in ("GPE", "ORG", "NORP"):
                name = f"{owner.text}{self.doc[first.i - 1].text} {name}"
        role = self._role_in_mention(mention, ent)
        return Resolved(name, role, "organization")

    def _role_in_mention(self, mention: Span, ent: Span) -> str | None:
        """'Alexei Malashenko of the Carnegie Moscow Center' -> 'of the Carnegie Moscow
        Center'; 'independent analyst Georgy Engelhardt' -> 'independent analyst'."""
        before = [t for t in mention if t.i < ent.start and t.tag_ != "POS"]
        before = [t for t in before if t.dep_ not in ("poss", "case") and t.ent_type_ != "GPE"]
        if before and any(t.pos_ in ("NOUN", "ADJ") for t in before):
            text = descriptor_text(before)
            if text:
                return text
        after = [t for t in mention if t.i >= ent.end]
        if after:
            text = descriptor_text(after)
            if text:
                return text
        return None

    def _pronoun(self, token: Token) -> Resolved:
        low = token.lower_
        if low in RELATIVE_PRONOUNS:
            # "Malashenko, who said ...": the relative clause's antecedent.
            verb = token.head
            antecedent = verb.head if verb.dep_ in ("relcl", "acl") else None
            if antecedent is not None and antecedent.i != token.i:
                left = antecedent.left_edge.i
                ante = self.doc[left : antecedent.i + 1]
                return self._resolve_span(ante)
            return Resolved(None, None, "unknown")
        if low in PERSON_PRONOUNS:
            gender = "m" if low in ("he", "him") else "f" if low in ("she", "her") else None
            name = self._recent("person", token.idx, gender)
            entity = self.index.people.get(name) if name else None
            return Resolved(name, entity.role if entity else None, "person")
        if low in ORG_PRONOUNS:
            name = self._recent("organization", token.idx)
            return Resolved(name, None, "organization")
        if low in GROUP_PRONOUNS:
            name = self._recent("group", token.idx)
            return Resolved(name, None, "group")
        return Resolved(None, None, "unknown")

    def _recent(self, kind: str, offset: int, gender: str | None = None) -> str | None:
        """The antecedent of a pronoun: the latest speaker of that kind (and of a
        compatible gender), unless such a person was named after them, in the same
        paragraph as the pronoun."""

        def fits(name: str) -> bool:
            known = self.index.gender(name)
            return gender is None or known is None or known == gender

        speaker = None
        speaker_at = -1
        for off, name, k in reversed(self.history):
            if off < offset and k == kind and (kind != "person" or fits(name)):
                speaker, speaker_at = name, off
                break
        if kind == "person":
            named_at = -1
            named = None
            for off, name in self.index.person_mentions:
                if off < offset and fits(name):
                    named_at, named = off, name
            # A speaker wins over a person named in passing, unless the latter was
            # named after the speaker and in the pronoun's own paragraph.
            if named is not None and named_at > speaker_at:
                para = doc_text(self.doc).rfind("\n", 0, offset)
                if speaker is None or named_at > para:
                    return named
            return speaker
        if kind == "organization" and speaker is None:
            return self.index.last_org_before(offset)
        return speaker

    def _description(self, span: Span) -> Resolved:
        """'the Chechen leader', 'Russian analysts', 'a spokeswoman for the ministry'."""
        root = span.root
        kind = _kind_of_noun(root)
        role = descriptor_text(list(span))
        determiner = span[0].lower_ if len(span) else ""
        if determiner == "the" and kind in ("person", "organization", "unknown"):
            entity = self.index.by_role(
                " ".join(t.text for t in span if t.i <= root.i and not t.is_punct)
            )
            if entity is not None:
                return Resolved(entity.name, entity.role or role, entity.kind)
        return Resolved(None, role, kind)
