"""Speaker resolution: from the mention as written to who it is and what they are.

"he" → the last person to speak or be named; "Kadyrov" → "Ramzan Kadyrov"; "the Chechen
leader" → the person the article described that way; "who" → the noun the relative
clause hangs on.  The role is the descriptor the article gives the speaker, from the
mention itself first ("independent analyst Georgy Engelhardt"), else from elsewhere in
the article ("Chechen leader Ramzan Kadyrov" earlier on).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..attribution.intervals import lines
from ..attribution.syntax import doc_text, entities, kids, lefts
from ..names import (
    NAME_WORDS,
    ORG_TAILS,
    PERSON_NOUNS,
    clean_name,
    gender_of,
    is_person_role,
    name_words_for,
    organisation_name,
    strip_titles,
)
from ..records import Offsets, Speaker
from .antecedents import Antecedents, Candidate
from .mentions import (
    Entity,
    MentionIndex,
    organisation_span,
    titled_name,
    unlabelled_name,
    unlabelled_organisation,
)
from .roles import (
    described_by,
    descriptor_text,
    glued_to,
    name_roles,
    preferred_role,
    relative,
    role_phrase,
)

# The labels of a question-and-answer interview, each opening a line.
_QUESTION = re.compile(r"^Q:", re.MULTILINE)
_ANSWER = re.compile(r"^A:", re.MULTILINE)
PERSON_PRONOUNS = frozenset(["he", "she", "him", "her", "i", "me"])
GROUP_PRONOUNS = frozenset(["they", "them", "we", "us"])
ORG_PRONOUNS = frozenset(("it",))
RELATIVE_PRONOUNS = frozenset(["who", "whom", "which", "that"])
ORG_NOUNS = frozenset(
    """ministry agency government company campaign committee council office department
    party newspaper network group organization organisation union court administration
    commission board bank firm service police army military parliament congress senate
    house team club university institute foundation association federation coalition
    alliance embassy kremlin white state channel station magazine site website outlet
    daily paper poll survey study report broadcaster newspaper weekly network airline
    carrier operator lender insurer bank regulator watchdog authority district school
    hospital ministry""".split()
)


@dataclass
class Resolved:
    name: str | None
    role: str | None
    kind: str


def mention_span(doc: Doc, spans: tuple[Offsets, ...]) -> Span | None:
    """The source mention as a span, without the relative clauses after its head
    ("Reyes, who took delivery of the cranes last year": PolNeAR's sources, and so
    the trained model's, take such clauses in; the speaker is "Reyes")."""
    if not spans:
        return None
    span = doc.char_span(spans[0][0], spans[-1][1], alignment_mode="expand")
    if span is None or len(span) < 3:
        return span
    root = span.root
    # By the parse, or by the relative pronoun when the parse went wrong ("who co-wrote
    # the study" read as a verb of its own).
    clauses = [
        t.left_edge.i
        for t in span
        if t.dep_ in ("relcl", "acl") and t.head in span and t.left_edge.i > root.i
    ] + [t.i for t in span[1:] if t.tag_ in ("WP", "WDT", "WP$")]
    end = min(clauses, default=span.end)
    while end > span.start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[span.start : end]


def _coordinated(span: Span) -> bool:
    """The mention joins two or more parties: "Paganini and his team", "Ford and Fry",
    "he and Bowersox" (not two descriptions of one: "Early retiree and self-made
    millionaire Grant Sabatier")."""
    root = span.root
    dependents = kids(root)
    if not any(c.dep_ == "cc" for c in dependents):
        return False
    conj = [c for c in dependents if c.dep_ == "conj" and c.i < span.end]
    return bool(conj) and _a_party(root) and any(_a_party(c) for c in conj)


def _a_party(token: Token) -> bool:
    """A name, a pronoun, or a noun someone owns ("his team")."""
    owned = any(c.dep_ == "poss" for c in kids(token))
    named = token.pos_ == "PROPN" and token.text[:1].isupper()  # "Volker and Morrison"
    return token.ent_type_ in ("PERSON", "ORG") or token.pos_ == "PRON" or owned or named


def _is_person_noun(token: Token) -> bool:
    return _kind_of_noun(token) == "person"


def _kind_of_noun(token: Token) -> str:
    lemma = token.lemma_.lower()
    plural = token.tag_ in ("NNS", "NNPS")
    if lemma in ORG_NOUNS:
        return "organization"
    # "-ist" nouns are people: an ecologist, a journalist (not a list or a playlist).
    ist = lemma.endswith("ist") and not lemma.endswith("list") and len(lemma) >= 6
    if lemma in PERSON_NOUNS or ist or token.ent_type_ == "PERSON":
        return "group" if plural else "person"
    if token.ent_type_ == "NORP" or plural:
        return "group"
    if token.ent_type_ in ("ORG", "GPE"):
        return "organization"
    return "unknown"


class SpeakerResolver:
    """Resolves the speakers of one article, in reading order."""

    def __init__(
        self, doc: Doc, index: MentionIndex, contents: tuple[tuple[Offsets, ...], ...] = ()
    ) -> None:
        self.doc = doc
        self.index = index
        # Every statement's content: the people a statement talks about are not who
        # speaks next (antecedents).
        self.contents = contents
        # (offset, name, kind) of speakers resolved so far, for pronouns.
        self.history: list[tuple[int, str, str]] = []
        # The same by kind and (for people) gender, each entry with its place in the
        # history, and the organisations' that the index knows: a pronoun looks back
        # through those that may fit it only.
        self._by_class: dict[tuple[str, str | None], list[tuple[int, int, str]]] = {}
        self._known_orgs: list[tuple[int, str]] = []
        self._antecedents: Antecedents | None = None
        self._pronoun_names: dict[int, str | None] = {}
        self._org_words: dict[str, tuple[int, int, Entity]] | None = None
        self._answerer: list[str | None] = []  # the interviewee, once looked for

    def _remember(self, offset: int, name: str, kind: str) -> None:
        gender = self.index.gender(name) if kind == "person" else None
        entry = (len(self.history), offset, name)
        self.history.append((offset, name, kind))
        self._by_class.setdefault((kind, gender), []).append(entry)
        if kind == "organization" and name in self.index.orgs:
            self._known_orgs.append((offset, name))

    def resolve(self, spans: tuple[Offsets, ...], remember: bool = True) -> Speaker:
        """The speaker for a source mention; ``remember`` makes it an antecedent for
        later pronouns (a relay named in passing is not)."""
        span = mention_span(self.doc, spans)
        if span is None:
            return Speaker(text=None)
        text = " … ".join(doc_text(self.doc)[s:e] for s, e in spans)
        r = self._resolve_span(span)
        if not remember:
            pass
        elif r.name:
            self._remember(span.start_char, r.name, r.kind)
        elif r.kind == "group" and span.root.pos_ != "PRON":
            # An unnamed group ("Russian-speaking fighters") is what a later "they"
            # refers to: the description stands in for a name.
            self._remember(span.start_char, descriptor_text(list(span)) or text, "group")
        return Speaker(text=text, spans=spans, name=r.name, role=r.role, kind=r.kind)

    # -- by mention type ------------------------------------------------------------

    def _resolve_span(self, span: Span) -> Resolved:
        root = span.root
        if _coordinated(span):
            return Resolved(None, None, "group")  # "Paganini and his team"
        if root.pos_ == "PRON" or (len(span) == 1 and root.lower_ in RELATIVE_PRONOUNS):
            return self._pronoun(root)
        words = [t for t in span if not t.is_punct and t.tag_ != "POS"]
        written = clean_name(span.text)
        after = doc_text(self.doc)[span.end_char : span.end_char + 2].strip()
        label = after.startswith(":") and written.isupper() and len(words) <= 3
        interviewee = self._interviewee() if after.startswith(":") and span.text == "A" else None
        if interviewee is not None:
            # "A:" in a question-and-answer interview: who the introduction presents
            entity = self.index.people.get(interviewee)
            return Resolved(interviewee, entity.role if entity else None, "person")
        if label and any(c.isalpha() for c in written):
            # a transcript's label, "RAMOS:" or "HILLARY CLINTON:": the name, in capitals
            return self._labelled(written)
        known = self.index.people.get(written)
        if known is not None and len(words) > 1:
            # a full name the article gives elsewhere, whatever the recogniser said here
            longer = self.index.longer_name(known.name)
            entity = self.index.people[longer] if longer else known
            return Resolved(entity.name, entity.role or known.role, "person")
        if len(words) == 1 and (words[0].pos_ == "PROPN" or words[0].text.istitle()):
            surname = words[0].text  # "Reyes" after "Paul Reyes", whatever the NER said
        elif " " not in written and "-" in written:
            surname = written  # "Ngo-Anh": one hyphenated surname, whatever the tokens
        elif root.pos_ == "PROPN" and root.ent_type_ in ("", "PERSON") and root.i == span.start:
            surname = root.text  # "Wee of the Times", after "Sui-Lee Wee"
        else:
            surname = None
        full = self._fullest(surname, span.start_char)
        if surname is not None and full != surname:
            entity = self.index.people.get(full)
            return Resolved(full, entity.role if entity else None, "person")
        person = self._head_person(span)
        if person is not None and person[-1].lower_ in ORG_TAILS:
            return self._organisation(person, span)
        if person is not None:
            return self._person(person)
        # An organisation that is the head ("the Transport Ministry") or that names the
        # head ("TASS news agency"); "a NATO official" is a person, not NATO.
        org = None
        if root.lemma_.lower() not in PERSON_NOUNS:
            for e in entities(span):
                # "TASS news agency", or "Spain's weather agency, AEMET".
                named_head = e.root.head.i == root.i and e.root.dep_ in ("compound", "appos")
                if e.label_ == "ORG" and (root in e or named_head):
                    org = e
                    break
        if org is None and root.pos_ == "PROPN" and root.lower_ in ORG_TAILS:
            # "Meridian Research, a polling agency": a name the recogniser missed
            # that ends as organisations' names do
            run = unlabelled_organisation(root)
            org = run if run is not None else None
        if org is not None:
            return self._organisation(org, span)
        if root.ent_type_ == "GPE":
            return Resolved(clean_name(span.text), None, "organization")
        return self._description(span)

    def _labelled(self, written: str) -> Resolved:
        name = " ".join(w.capitalize() for w in written.split())
        org = next((o for o in self.index.orgs if o.lower() == name.lower()), None)
        if org is not None:
            return Resolved(org, None, "organization")
        full = self._fullest(name)
        entity = self.index.people.get(full or "")
        if entity is None and len(name.split()) == 1:
            return Resolved(None, None, "unknown")  # "VIDEO:", a label never explained
        return Resolved(full, entity.role if entity else None, "person")

    def _interviewee(self) -> str | None:
        """In a question-and-answer interview ("Q: ... A: ..."), who answers: the
        person the introduction before the first question names most often (first,
        on a tie)."""
        if not self._answerer:
            text = doc_text(self.doc)
            question = _QUESTION.search(text)
            counts = Counter(
                name
                for offset, name in self.index.person_mentions
                if question is not None and offset < question.start() and len(name.split()) > 1
            )
            answered = question is not None and _ANSWER.search(text) is not None
            self._answerer.append(counts.most_common(1)[0][0] if answered and counts else None)
        return self._answerer[0]

    def _head_person(self, span: Span) -> Span | None:
        """The person a mention is about: the name that is its head, or the name in
        apposition to its head ("Whitaker's attorney, Howard Blum" is Howard Blum, not
        Whitaker)."""
        root = span.root
        people = [e for e in entities(span) if e.label_ == "PERSON"]
        for e in people:
            described = described_by(e.root) or glued_to(e)
            if root in e or (described is not None and described.i == root.i):
                return e
        if root.pos_ in ("VERB", "AUX") and people:
            # the parser read the mention as a clause ("The We Company's recently named
            # executive chair Marcelo Claure"): the person it names is who speaks
            return people[0]
        for e in people:
            # "Republican state schools Superintendent Jennifer McCormick", parsed as
            # two phrases: the name that ends the mention and heads its own is it.
            outside = not span.start <= e.root.head.i < span.end or e.root.head is e.root
            # ("Early retiree and self-made millionaire Grant Sabatier": descriptions
            # coordinated with the name)
            described = e.root.dep_ == "conj" and e.root.head.i == root.i
            if e.end == span.end and (outside or (described and is_person_role(root.text))):
                return e
        for c in kids(root):
            # "his aunt, Jane Starner": the name in apposition, past the mention's end
            if c.dep_ == "appos" and c.i >= span.end and c.ent_type_ == "PERSON":
                near = self.doc[c.left_edge.i : c.i + 1]
                named = [e for e in entities(near) if e.start <= c.i < e.end]
                if named:
                    return named[0]
        if root.pos_ == "PROPN":
            found = unlabelled_name(root) or titled_name(root)
            if found is None and root.text[:1].isupper():
                # "Lindqvist, the FC Harbour coach", "Menon, an ecologist": a lone name
                # described as a person, whatever the recogniser said (even a place).
                described = [c for c in kids(root) if c.dep_ == "appos" and c.pos_ == "NOUN"]
                if any(_kind_of_noun(c) == "person" for c in described):
                    found = root.doc[root.i : root.i + 1]
            return found
        # "the chief medical officer, Dr Ines Varga", the recogniser calling the name an
        # organisation: the title says it is a person.
        for c in kids(root):
            if c.dep_ == "appos" and c.pos_ == "PROPN":
                found = titled_name(c)
                if found is not None:
                    return found
        return None

    def _person(self, ent: Span) -> Resolved:
        words = [t.text for t in ent if t.tag_ != "POS"]
        _, words = strip_titles(words)
        name = clean_name(" ".join(words))
        # "Reyes" after "Paul Reyes", "Hawk Sawyer" after "Kathleen Hawk Sawyer"
        name = self._fullest(name, ent.start_char) or name
        if len(name.split()) > 1 and name == clean_name(" ".join(words)):
            name = self.index.written_in_full(name) or name
        roles = name_roles(ent)
        entity = self.index.people.get(name)
        role = preferred_role(roles + (entity.roles if entity else []))
        if entity is not None and (role is None or relative(role)):
            role = entity.role or role
        return Resolved(name, role, "person")

    def _organisation(self, ent: Span, mention: Span) -> Resolved:
        span = organisation_span(ent)
        name = organisation_name(span.text)
        # "Russia's Security Council": keep the possessor that says whose council.
        first = span[0]
        owner = None
        if first.i > mention.start and self.doc[first.i - 1].tag_ == "POS":
            owner = self.doc[first.i - 2] if first.i >= 2 else None
        if owner is not None and owner.ent_type_ in ("GPE", "ORG", "NORP"):
            name = f"{owner.text}{self.doc[first.i - 1].text} {name}"
        else:
            # "the Statistics Office": the National Statistics Office named elsewhere.
            name = self.index.full_org(name) or name
        roles = name_roles(span, person=False)
        root = mention.root
        if root.i >= span.end:
            # "TASS news agency": the words the name qualifies describe it.
            roles.insert(0, descriptor_text(list(self.doc[span.end : root.i + 1])) or "")
            roles = [r for r in roles if r]
        entity = self.index.orgs.get(name)
        role = roles[0] if roles else (entity.role if entity else None)
        return Resolved(name, role, "organization")

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

    def _recent(
        self, kind: str, offset: int, gender: str | None = None, depth: int = 0
    ) -> str | None:
        """The antecedent of a pronoun: the latest speaker of that kind (and of a
        compatible gender), unless a person mentioned after them is more salient
        (antecedents.Antecedents): one in the pronoun's sentence or the one before, or
        a subject in the pronoun's own paragraph."""

        # The genders that fit: the pronoun's, or none known (any, for "I").
        genders: tuple[str | None, ...] = (None,)
        if kind == "person":
            genders = ("f", "m", None) if gender is None else (gender, None)
        latest = None  # (place in the history, offset, name)
        for g in genders:
            for entry in reversed(self._by_class.get((kind, g), ())):
                if entry[1] < offset:
                    if latest is None or entry[0] > latest[0]:
                        latest = entry
                    break
        speaker, speaker_at = (latest[2], latest[1]) if latest else (None, -1)
        if kind == "person":
            return self._person_antecedent(offset, genders, speaker, speaker_at, depth)
        if kind == "organization" and speaker is None:
            return self.index.last_org_before(offset)
        return speaker

    def _person_antecedent(
        self,
        offset: int,
        genders: tuple[str | None, ...],
        speaker: str | None,
        speaker_at: int,
        depth: int,
    ) -> str | None:
        ante = self._antecedents_built()
        local = ante.local(offset, genders)
        # A speaker in the window is the subject of its cue: it beats a person named
        # after it in an object ('Cook told Benioff ... "...," he said').
        outranks = local is not None and (
            local.subject or speaker is None or speaker_at < ante.window_start(offset)
        )
        if local is not None and local.offset > speaker_at and outranks:
            return self._candidate_name(local, depth)
        far = ante.subject(offset, genders)
        if far is not None and far.offset > speaker_at:
            para = lines(doc_text(self.doc)).previous_break(offset)
            if speaker is None or far.offset > para:
                return self._candidate_name(far, depth) or self._reported(offset, genders)
        return speaker or self._reported(offset, genders)

    def _reported(self, offset: int, genders: tuple[str | None, ...]) -> str | None:
        """With no speaker to go on, the named subject of a clause another statement
        reported ("As the paper noted, Trump has not always ... . Although he says")."""
        found = self._antecedents_built().local(offset, genders, reported=True)
        return self._fullest(found.name) if found is not None and found.name else None

    def _antecedents_built(self) -> Antecedents:
        if self._antecedents is None:
            contents = [span for spans in self.contents for span in spans]
            self._antecedents = Antecedents(self.doc, self.index, contents, _is_person_noun)
        return self._antecedents

    def _fullest(self, name: str | None, at: int | None = None) -> str | None:
        """The fullest form the article gives a name ("Figgins" -> "Montell Figgins"),
        for a mention at offset ``at`` if given."""
        if not name:
            return name
        if len(name.split()) == 1:
            full = self.index.full_name(name, at)
            return full or self.index.written_in_full(name) or name
        return self.index.longer_name(name) or name

    def _candidate_name(self, candidate: Candidate, depth: int) -> str | None:
        """A candidate's name; an earlier pronoun's is its own antecedent's."""
        if not candidate.pronoun:
            return self._fullest(candidate.name)
        if candidate.token not in self._pronoun_names:
            token = self.doc[candidate.token]
            gender = "m" if token.lower_ == "he" else "f"
            # (a chain of pronouns is followed back a bounded number of sentences)
            name = self._recent("person", token.idx, gender, depth + 1) if depth < 20 else None
            self._pronoun_names[candidate.token] = name
        return self._pronoun_names[candidate.token]

    def _description(self, span: Span) -> Resolved:
        """'the Chechen leader', 'the airline', 'a NATO official', 'Russian analysts'."""
        aged = self.index.by_age(span.text)  # "the 46-year-old"
        if aged is not None:
            return Resolved(aged.name, aged.role, "person")
        root = span.root
        kind = _kind_of_noun(root)
        role = role_phrase(root)
        # The noun's own article: in "the city's finance department" the "the" is the
        # city's, and the department is not the organisation the article last named.
        before = lefts(root)
        definite = any(t.dep_ == "det" and t.lower_ == "the" for t in before) or (
            span[0].lower_ == "the" and span[0].head.i == root.i
        )
        plural = root.tag_ in ("NNS", "NNPS")
        # ("The Dnevnik Online website": the parser hangs a name's first word as nmod)
        named = [c for c in before if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN"]
        proper = [c for c in before if c.dep_ == "amod" and c.ent_type_ in ("NORP", "GPE")]
        if proper and kind == "organization" and not named:
            # "the Afghan government": an institution of its own, not another the
            # article named ("the Afghan Taliban")
            return Resolved(descriptor_text([*proper, root]), None, kind)
        if named and kind == "organization":
            # "the Kommersant daily": the proper noun names it; "the Statistics Office"
            # (the recogniser missed its edges) is named by all of it.
            if not root.text.islower():
                name = descriptor_text([*named, root]) or ""
                return Resolved(self.index.full_org(name) or name, None, kind)
            return Resolved(descriptor_text(named), role, kind)
        # "Salesforce's CEO" is as definite as "the CEO"; "a California transit chief"
        # is someone only when one person alone fits all its words.
        possessors = [t for t in before if t.dep_ == "poss"]
        modifiers = [t for t in before if not t.is_punct and t.dep_ not in ("det", "poss")]
        if not plural and (definite or possessors or modifiers):
            entity = None
            for kept in ([*possessors, *modifiers], modifiers):
                if entity is None and (definite or possessors or kept):
                    described = " ".join([*(t.text for t in kept), root.text])
                    wanted = kind if kind in ("person", "organization") else None
                    entity = self.index.by_role(described, unique=not definite, kind=wanted)
            if entity is None and definite and kind in ("organization", "unknown"):
                # ("the complaint" is no organisation the article named: only one named
                # with the word, or for an organisation noun the last one, will do)
                entity = self._organisation_called(root, any_org=kind == "organization")
            if entity is not None:
                return Resolved(entity.name, entity.role or role, entity.kind)
        if definite and not possessors and not plural and kind == "person":
            name = self._described_subject(span, root)
            if name is not None:
                return Resolved(name, role, kind)
        # (a role says what a person, a group or an organisation is: "her eyes" or "many
        # of her clients" said to be unknown are no one's role)
        return Resolved(None, role if kind != "unknown" else None, kind)

    def _described_subject(self, span: Span, root: Token) -> str | None:
        """'The real estate agent said' right after a sentence whose subject is a named
        person the article gave no role yet, when no role of the article fits: that
        person, described anew.  A description
        some other person's role fits ('the agent' beside 'his agent Valerie Smith') is
        left to them, and so unresolved here."""
        if root.dep_ != "nsubj" or self.index.by_role(root.text, kind="person") is not None:
            return None
        gender = gender_of([t.text for t in span])
        found = self._antecedents_built().previous_subject(span.start_char, gender)
        name = self._fullest(found.name) if found is not None else None
        entity = self.index.people.get(name) if name else None
        # (a person the article already described otherwise, "a pulmonologist", is not
        # "the patient" of the next sentence)
        return None if entity is not None and entity.roles else name

    def _organisation_called(self, noun: Token, any_org: bool = True) -> Entity | None:
        """'the airline', 'the district': the organisation the article named with that
        word, else the organisation that last spoke or was named before it."""
        word = noun.lemma_.lower()
        if self._org_words is None:
            # For each word, the earliest organisation whose name has it (of two as
            # early, the first in the index).
            self._org_words = {}
            for position, e in enumerate(self.index.orgs.values()):
                for w in set(e.name.lower().split()):
                    best = self._org_words.get(w)
                    if best is None or (e.first_offset, position) < best[:2]:
                        self._org_words[w] = (e.first_offset, position, e)
        named = [self._org_words[w] for w in name_words_for(word) if w in self._org_words]
        if named:
            return min(named, key=lambda x: x[:2])[2]
        if not any_org or word in NAME_WORDS:
            # an airline the article never named with an airline's words is unknown
            return None
        for off, name in reversed(self._known_orgs):
            if off < noun.idx:
                return self.index.orgs[name]
        last = self.index.last_org_before(noun.idx)
        return self.index.orgs.get(last) if last else None
