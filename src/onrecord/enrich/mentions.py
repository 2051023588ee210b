"""What an article says about the people and organisations it mentions.

One pass over the parsed article collects every named person and organisation with the
descriptors the reporter attached to them — a title before the name ("Chechen leader
Ramzan Kadyrov"), an apposition ("Georgy Engelhardt, an independent analyst"), an
affiliation ("Alexei Malashenko of the Carnegie Moscow Center").  Speaker resolution
looks names, surnames and descriptions up here.  What needs no parse (titles, an
organisation's descriptor, a given name's gender) is in :mod:`onrecord.names`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..attribution.syntax import doc_text, kids, lefts, subtree, subtree_indices
from ..names import (
    DETERMINERS,
    HONORIFICS,
    clean_name,
    first_names,
    gender_of,
    is_person_role,
    is_title,
    is_title_word,
    names_a_person,
    organisation_name,
    role_word,
    strip_titles,
    surname,
)
from ..nlp import check_time

# Clauses and second appositions that follow a role but are not part of it:
# "a glaciologist at the University of Bergen who led the study".
_ROLE_CUT = frozenset(("relcl", "acl", "appos", "advcl"))


def descriptor_text(tokens: list[Token]) -> str | None:
    """A role phrase from tokens, without leading articles or trailing punctuation."""
    toks = [t for t in tokens if not t.is_space]
    while toks and (toks[0].lower_ in DETERMINERS or toks[0].is_punct):
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    if not toks:
        return None
    doc = toks[0].doc
    return doc_text(doc)[toks[0].idx : toks[-1].idx + len(toks[-1])].replace("\n", " ")


@dataclass
class Entity:
    """A person or organisation named in the article."""

    name: str
    kind: str  # person | organization
    first_offset: int
    roles: list[str] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    gender: str | None = None

    @property
    def role(self) -> str | None:
        return preferred_role(self.roles)


def preferred_role(roles: list[str]) -> str | None:
    """The role to give: the first that describes ("governor of South Dakota"), over a
    bare title ("Gov.") or a single word, when the article gives both."""
    for r in roles:
        words = r.split()
        if len(words) > 1 and not words[-1].endswith("."):
            return r
    return roles[0] if roles else None


def _name_tokens(ent: Span) -> list[Token]:
    toks = [t for t in ent if not t.is_punct or t.text in (".", "-")]
    while toks and toks[-1].tag_ == "POS":
        toks = toks[:-1]
    return toks


def role_phrase(head: Token, stop: int | None = None) -> str | None:
    """The descriptor headed by ``head``: its subtree without following clauses or
    further appositions, up to token ``stop`` (exclusive) if given."""
    cut: set[int] = set()
    below = subtree(head)
    for c in below:
        other_person = c.dep_ == "conj" and c.ent_type_ == "PERSON"  # "... and Alex Azar"
        if (c.dep_ in _ROLE_CUT or other_person) and c.i > head.i and c.i not in cut:
            cut |= subtree_indices(c)
    tokens = [t for t in below if t.i not in cut and (stop is None or t.i < stop)]
    # Stop at a comma that follows the head: what comes after it is another phrase.
    kept = []
    for t in tokens:
        if t.i > head.i and t.text == ",":
            break
        kept.append(t)
    while kept and kept[-1].pos_ == "CCONJ":
        kept.pop()
    return descriptor_text(kept)


def described_by(name_root: Token) -> Token | None:
    """The noun a name stands in apposition to: "the association's chief negotiator,
    Linda Castellanos" → negotiator.  The parser often hangs the name on the last noun
    of a prepositional phrase instead ("a spokeswoman for the governor, Dana Whitfield":
    on governor); in news prose the name is the one the phrase begins with, so it is
    climbed back to ("spokeswoman")."""
    head = name_root.head
    # (a person noun the tagger read as an adjective still has its article: "the
    # immunologist De'Broski Herbert")
    nominal = head.pos_ in ("NOUN", "PROPN") or (
        head.pos_ == "ADJ" and any(c.dep_ == "det" for c in head.lefts)
    )
    if name_root.dep_ != "appos" or not nominal:
        return None
    while (
        head.dep_ == "pobj"
        and head.head.dep_ == "prep"
        and head.head.head.pos_ == "NOUN"
        and head.head.head.i < head.i
    ):
        head = head.head.head
    return head


def _words_before(name: Span) -> list[Token]:
    """The words right before a name that describe it, where the parser hung them
    elsewhere ("Research team head Jennifer Ngo-Anh"): nouns and adjectives, no more
    than five, ending in a word for a person."""
    doc = name.doc
    run: list[Token] = []
    for t in reversed(doc[max(name.start - 5, 0) : name.start]):
        nominal = t.pos_ in ("NOUN", "ADJ", "PROPN") or is_title_word(t.text)  # "head"
        # (a name before a title is whose title it is, "Instagram head Adam Mosseri",
        # even where the recogniser took the company for a person)
        if not nominal or t.ent_type_ == "DATE" or (t.ent_type_ == "PERSON" and not run):
            break
        run.insert(0, t)
    while run and role_word(run[-1].text) in HONORIFICS:
        run.pop()  # ("the threat Mr Assange faced": Mr is no role, nor the threat)
    return run if run and is_title_word(run[-1].text) else []


def glued_to(name: Span) -> Token | None:
    """The noun a name is run into after a proper noun, in "envoy to Ukraine Kurt Volker"
    (the parser reads "Ukraine Kurt Volker" as one place after "to"): envoy."""
    root = name.root
    if name.start == 0 or root.dep_ != "pobj" or root.head.dep_ != "prep":
        return None
    before = name.doc[name.start - 1]
    # (hung on the name, or beside it on the same preposition)
    run_in = (before.head.i, before.dep_) in ((root.i, "compound"), (root.head.i, "pobj"))
    if before.pos_ != "PROPN" or not run_in:
        return None
    noun = root.head.head
    # ("Deputy Director of Public Prosecution Eva-Marie Persson": a title as well)
    described = noun.pos_ == "NOUN" or (noun.pos_ == "PROPN" and is_title_word(noun.text))
    return noun if described and noun.i < name.start else None


def _useful(role: str | None) -> bool:
    return bool(role) and role.lower().rstrip(".") not in HONORIFICS


def name_roles(name: Span, person: bool = True) -> list[str]:
    """Descriptors the article attaches to a name where it appears, best first:
    a title or description before it ("Chechen leader Ramzan Kadyrov"), the description
    it is an apposition of ("the association's chief negotiator, Linda Castellanos"),
    an apposition after it ("Georgy Engelhardt, an independent analyst, ...") and an
    affiliation ("Alexei Malashenko of the Carnegie Moscow Center")."""
    root = name.root
    roles: list[str] = []
    words = [t.text for t in name]
    titles, _ = strip_titles(words)
    run: list[Token] = []
    for t in reversed([t for t in subtree(root) if t.i < name.start]):
        if t.i != (run[0].i - 1 if run else name.start - 1) or t.is_punct:
            break
        run.insert(0, t)
    if person:
        # (the words before, where the parser hung some of them elsewhere: "Wikileaks
        # co-founder Julian Assange", with "co-" off on the preposition before)
        before = _words_before(name)
        run = before if len(before) > len(run) else run
    pre = run + list(name[: len(titles)]) if person else []
    described = glued_to(name)
    if described is not None:
        # "envoy to Ukraine Kurt Volker": the place is not his role, the envoy is.
        roles.append(role_phrase(described, stop=name.start) or "")
        pre = []
    if pre and any(t.pos_ in ("NOUN", "PROPN", "ADJ") for t in pre):
        roles.append(descriptor_text(pre) or "")
    described = described_by(root)
    # (a proper name before is another party the parse hung it on, not a description:
    # "voted to join the Warehouse Workers Union, the Labor Relations Board said")
    if described is not None and described.i < name.start and described.pos_ != "PROPN":
        roles.append(role_phrase(described, stop=name.start) or "")
    for c in kids(root):
        if c.i < name.end or _alias(c):
            continue
        apposition = c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN")
        affiliation = c.dep_ == "prep" and c.lower_ in ("of", "from", "at", "with")
        if apposition or (
            affiliation and any(p.ent_type_ in ("ORG", "GPE", "NORP") for p in subtree(c))
        ):
            roles.append(role_phrase(c) or "")
    if person:
        roles += _predicated(name)
    roles = [
        r for r in roles if _useful(r) and (not person or isinstance(r, Held) or is_person_role(r))
    ]
    if person and not roles:
        roles = [r for r in [_broken_apposition(name)] if r and is_person_role(r)]
    return sorted(roles, key=lambda r: not isinstance(r, Current))


# Verbs of holding a post, whose clause after "who" says what the person is: "Jason
# Foy, who represents Noel" → "represents Noel".
POST_VERBS = frozenset(
    "head lead run represent chair direct manage oversee coach edit advise".split()
)


def _predicated(name: Span) -> list[str]:
    """Roles the sentence predicates of a name rather than attaches to it: "Hege is the
    CEO of DH", "Howitt, who is now an immunologist at Stanford", "who was then serving
    as the President's physician", "who heads the Alliance", "As a lung biologist ...,
    Andrew Vaughan followed".  Only a noun for a person or a title counts ("Epstein was
    a high risk" says nothing of what he is), and only of one person ("Noel and Thomas
    were the only officers")."""
    root = name.root
    if any(c.dep_ == "conj" for c in root.children) or root.dep_ == "conj":
        return []
    found: list[str] = []
    verb = root.head
    if root.dep_ == "nsubj" and verb.lemma_ == "be" and verb.i > root.i:
        found += [_personal(c) for c in verb.rights if c.dep_ == "attr"]
    if root.dep_ == "nsubj":
        # (not a post held at a date the sentence gives: "As a postdoc at Harvard in
        # 2011, Michael Howitt became ..." is what he was, not what he is)
        found += [
            _as_phrase(c)
            for c in verb.lefts
            if c.i < name.start and not any(t.ent_type_ == "DATE" for t in subtree(c))
        ]
    for c in kids(root):
        if c.dep_ != "relcl" or c.i < name.end:
            continue
        if not any(k.dep_ in ("nsubj", "nsubjpass") and k.lower_ == "who" for k in c.lefts):
            continue
        said: list[str] = []
        if c.lemma_ == "be":
            said += [_personal(k) for k in c.rights if k.dep_ == "attr"]
        said += [_as_phrase(k) for k in c.rights]
        if any(k.lower_ in ("now", "currently") for k in c.children):
            said = [Current(r) for r in said if r]
        if c.lemma_ in POST_VERBS and c.tag_ in ("VBZ", "VBP"):
            held = descriptor_text([c, *[t for k in c.rights for t in subtree(k)]])
            said.append(Held(held) if held else "")
        found += said
    return [r for r in found if r]


def _personal(noun: Token) -> str:
    """The descriptor headed by ``noun`` if the noun is a word for a person."""
    return (role_phrase(noun) or "") if names_a_person(noun.text) else ""


def _as_phrase(token: Token) -> str:
    """The noun of an "as" phrase, "(serving) as the President's physician"."""
    if token.dep_ != "prep" or token.lower_ != "as":
        return ""
    return next((_personal(k) for k in token.rights if k.dep_ == "pobj"), "")


# What ends a descriptor written after a name between commas.
_PHRASE_END = frozenset(',;:()[]—–"“”.!?')


def _broken_apposition(name: Span) -> str:
    """A descriptor between commas after a name that the parser did not hang on it
    ("Chris Early, senior vp partnerships and revenue at Ubisoft"): up to the next
    comma, verb, relative word or other person, a title word among its first words."""
    doc = name.doc
    if name.end + 2 >= len(doc) or doc[name.end].text != ",":
        return ""

    def owner(t: Token) -> bool:  # "Teresa's husband"
        return t.i + 1 < len(doc) and doc[t.i + 1].tag_ == "POS"

    words: list[Token] = []
    for t in doc[name.end + 1 : name.end + 16]:
        if t.text in _PHRASE_END or t.pos_ in ("VERB", "AUX") or t.is_sent_start:
            break
        if t.tag_ in ("WDT", "WP", "WRB") or (t.ent_type_ == "PERSON" and not owner(t)):
            break
        if t.pos_ == "CCONJ" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ in first_names():
            break  # "..., acting director of Homeland Security and Alex Azar, ..."
        words.append(t)
    while words and words[-1].pos_ in ("ADP", "CCONJ", "DET", "PART"):
        words.pop()
    if not words or not (owner(words[0]) or words[0].pos_ in ("DET", "ADJ", "NOUN")):
        return ""  # ("Richardson, via USA Today, said": a source, not what he is)
    if not any(is_title_word(t.text) for t in words[:4]):
        return ""
    return descriptor_text(words) or ""


class Held(str):
    """A post a person holds, said with a verb ("who represents Thomas"): a role whatever
    its last word looks like."""


class Current(str):
    """A role the article says a person holds now ("who is now an immunologist at
    Stanford"): it goes before what the article said earlier he was."""


def _alias(token: Token) -> bool:
    """A short name in brackets after a name, "(UAFA)": another name, not a role."""
    doc = token.doc
    left, right = token.left_edge.i, token.right_edge.i
    bracketed = left > 0 and doc[left - 1].text == "(" and right + 1 < len(doc)
    return bracketed and doc[right + 1].text == ")" and left == right and token.is_upper


def organisation_span(ent: Span) -> Span:
    """An organisation's full name where the recogniser cut it short: proper nouns
    compounded onto it from the left ("Millbrook" + "Area Transit Authority") and a
    country after "of" ("Financial Sector Union" + "of Sweden")."""
    doc = ent.doc
    start, end = ent.start, ent.end
    while start > 0:
        t = doc[start - 1]
        proper = t.pos_ == "PROPN" and t.text[:1].isupper()
        if proper and t.dep_ == "compound" and t.head.i >= start:
            start -= 1
        else:
            break
    if end + 1 < len(doc) and doc[end].lower_ == "of":
        nxt = doc[end + 1]
        if nxt.ent_type_ == "GPE" and nxt.ent_iob_ == "B" and nxt.text[:1].isupper():
            end += 2
            while end < len(doc) and doc[end].ent_iob_ == "I":
                end += 1
    return doc[start:end]


def _run_start(root: Token, proper_only: bool) -> int:
    """Where the capitalised compounds right before ``root`` begin ("Chief Medical
    Officer Varga"); ``proper_only``: proper nouns only."""
    start = root.i
    for c in reversed(lefts(root)):
        if (
            c.i == start - 1
            and c.dep_ == "compound"
            and c.text[:1].isupper()
            and (c.pos_ == "PROPN" or not proper_only)
        ):
            start = c.i
        else:
            break
    return start


def unlabelled_name(root: Token) -> Span | None:
    """A capitalised proper-noun run the entity recogniser missed ("Alexei Malashenko"):
    the root and its contiguous compound proper nouns, two words at least."""
    if root.pos_ != "PROPN" or root.ent_type_ not in ("", "PERSON") or is_title_word(root.text):
        return None  # ("Deputy Director" is a post)
    start = _run_start(root, proper_only=True)
    if root.i - start < 1:
        return None
    span = root.doc[start : root.i + 1]
    if any(t.ent_type_ not in ("", "PERSON") for t in span):
        return None
    return span


def titled_name(root: Token) -> Span | None:
    """The name after the titles of a capitalised run ("Chief Medical Officer Varga" →
    Varga): a title says the run is a person, whatever the entity recogniser said (it
    often takes a lone surname for an organisation)."""
    if root.pos_ != "PROPN":
        return None
    start = _run_start(root, proper_only=False)
    titles, rest = strip_titles([t.text for t in root.doc[start : root.i + 1]])
    if not titles or not rest:
        return None
    return root.doc[root.i + 1 - len(rest) : root.i + 1]


def _absorb(entities: dict[str, Entity], short: str, name: str, kind: str) -> None:
    """The entry under a shorter name joins the one under ``name`` (a surname, an
    organisation's last words), its roles and mentions first: it was seen first."""
    old = entities.pop(short)
    entity = entities.setdefault(name, Entity(name, kind, old.first_offset))
    entity.roles = old.roles + [r for r in entity.roles if r not in old.roles]
    entity.offsets = old.offsets + entity.offsets


class _Group:
    """The organisation a mention was filed under, through later renaming: when an entry
    is taken into a longer name, its mentions follow (a union-find node)."""

    __slots__ = ("name", "parent")

    def __init__(self, name: str) -> None:
        self.name = name
        self.parent: _Group | None = None

    def root(self) -> _Group:
        node = self
        while node.parent is not None:
            node = node.parent
        while self.parent is not None and self.parent is not node:  # (path compression)
            self.parent, self = node, self.parent
        return node


# Suffixes of organisation names up to this many words are indexed; a longer one is
# found through its last SUFFIX_WORDS words and checked word by word.
SUFFIX_WORDS = 30


class MentionIndex:
    """Every person and organisation an article names, with descriptors.

    Looking a name up (a surname's full name, an organisation's longer name, the entity a
    description fits) goes through indexes kept beside ``people`` and ``orgs``, not over
    every entry: an article naming thousands is read in time in proportion."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.people: dict[str, Entity] = {}
        self.orgs: dict[str, Entity] = {}
        self.person_mentions: list[tuple[int, str]] = []  # (offset, full name)
        # Organisation mentions: (offset, group), the group naming the entry they are
        # filed under now (see org_mentions).
        self._org_mentions: list[tuple[int, _Group]] = []
        self._groups: dict[str, _Group] = {}
        self._org_reach: list[int] = []  # the furthest mention offset up to each one
        # Multi-word people by their first and last word (lower case).
        self._people_by_word: dict[str, list[str]] = {}
        self._order: dict[str, int] = {}  # when each key of people/orgs was (re)inserted
        self._tick = 0
        # Organisations by their words (lower case): all of them, and each suffix of two
        # words or more that is not all of them.
        self._orgs_by_words: dict[tuple[str, ...], set[str]] = {}
        self._orgs_by_suffix: dict[tuple[str, ...], set[str]] = {}
        self._roles_index: dict[str, list[tuple[Entity, frozenset[str]]]] | None = None
        self._by_text: dict[str, list[int]] | None = None
        self._in_full: dict[str, str | None] = {}
        for ent in self._person_like(doc):
            check_time()
            if ent.label_ == "PERSON" or not ent.label_:
                self._add_person(ent)
            elif ent.label_ == "ORG":
                self._add_organisation(ent)

    @property
    def org_mentions(self) -> list[tuple[int, str]]:
        """(offset, name) of every organisation mention, under the name of the entry it
        belongs to now."""
        return [(off, group.root().name) for off, group in self._org_mentions]

    @staticmethod
    def _person_like(doc: Doc) -> list[Span]:
        """Entities, plus unlabelled names in subject position, in reading order."""
        spans = list(doc.ents)
        covered = {t.i for e in spans for t in e}
        for t in doc:
            if t.dep_ in ("nsubj", "nsubjpass") and t.i not in covered:
                name = unlabelled_name(t)
                if name is not None:
                    spans.append(name)
        return sorted(spans, key=lambda e: e.start)

    def _inserted(self, key: str) -> None:
        self._order[key] = self._tick
        self._tick += 1

    def _add_person(self, ent: Span) -> None:
        words = [t.text for t in _name_tokens(ent)]
        titles, words = strip_titles(words)
        name = clean_name(" ".join(words))
        if not name:
            return
        full = (self.full_name(name) if len(name.split()) == 1 else name) or name
        # A longer name seen later upgrades a surname-only entry.
        if len(name.split()) > 1:
            short = surname(name)
            if short in self.people:
                fresh = name not in self.people
                _absorb(self.people, short, name, "person")
                if fresh:
                    self._person_inserted(name)
        if full not in self.people:
            self.people[full] = Entity(full, "person", ent.start_char)
            self._person_inserted(full)
        e = self.people[full]
        e.offsets.append(ent.start_char)
        roles = name_roles(ent)
        for r in roles:
            if isinstance(r, Current):
                e.roles = [str(r)] + [x for x in e.roles if x != r]
            elif r not in e.roles:
                e.roles.append(r)
        if e.gender is None:
            e.gender = gender_of(titles + full.split()[:1] + " ".join(roles).split())
        self.person_mentions.append((ent.start_char, full))

    def _person_inserted(self, name: str) -> None:
        self._inserted(name)
        words = name.lower().split()
        if len(words) >= 2:
            for w in {words[0], surname(name).lower()}:
                self._people_by_word.setdefault(w, []).append(name)

    def _add_organisation(self, ent: Span) -> None:
        span = organisation_span(ent)
        name = organisation_name(span.text)
        if not name:
            return
        name = self.full_org(name) or name
        # A longer name seen later takes in the entries under its last words (in the
        # order they were made), and their mentions with them.
        for short in sorted(self._shorter_orgs(name), key=self._order.__getitem__):
            fresh = name not in self.orgs
            self._org_removed(short)
            _absorb(self.orgs, short, name, "organization")
            if fresh:
                self._org_inserted(name)
            moved = self._groups.pop(short, None)
            if moved is not None:
                into = self._groups.get(name)
                if into is None:
                    moved.name = name
                    self._groups[name] = moved
                else:
                    moved.parent = into
        if name not in self.orgs:
            self.orgs[name] = Entity(name, "organization", span.start_char)
            self._org_inserted(name)
        e = self.orgs[name]
        e.offsets.append(span.start_char)
        for r in name_roles(span, person=False):
            if r not in e.roles:
                e.roles.append(r)
        group = self._groups.get(name)
        if group is None:
            group = self._groups[name] = _Group(name)
        self._org_mentions.append((span.start_char, group))
        reach = max(self._org_reach[-1], span.start_char) if self._org_reach else span.start_char
        self._org_reach.append(reach)

    def _org_inserted(self, key: str) -> None:
        self._inserted(key)
        words = tuple(key.lower().split())
        self._orgs_by_words.setdefault(words, set()).add(key)
        for n in range(2, min(len(words) - 1, SUFFIX_WORDS) + 1):
            self._orgs_by_suffix.setdefault(words[-n:], set()).add(key)

    def _org_removed(self, key: str) -> None:
        words = tuple(key.lower().split())
        self._orgs_by_words.get(words, set()).discard(key)
        for n in range(2, min(len(words) - 1, SUFFIX_WORDS) + 1):
            self._orgs_by_suffix.get(words[-n:], set()).discard(key)

    def _shorter_orgs(self, name: str) -> set[str]:
        """The organisations whose whole name (two words or more) is the last words of
        ``name``: ``[k for k in self.orgs if self._ends(name, k)]``, as a set."""
        words = tuple(name.lower().split())
        out: set[str] = set()
        for n in range(2, min(len(words) - 1, SUFFIX_WORDS) + 1):
            out |= self._orgs_by_words.get(words[-n:], set())
        if len(words) - 1 > SUFFIX_WORDS:
            # Longer ones: among those that end in the same SUFFIX_WORDS words.
            tail = self._orgs_by_suffix.get(words[-SUFFIX_WORDS:], set())
            out |= {k for k in tail if self._ends(name, k)}
        return out

    def full_name(self, partial: str) -> str | None:
        """The article's full name for a surname or first name ("Kadyrov")."""
        names = self._people_by_word.get(partial.lower(), ())
        return min(
            names,
            key=lambda n: (self.people[n].first_offset, self._order[n]),
            default=None,
        )

    def longer_name(self, name: str) -> str | None:
        """The earliest person whose name ends with all the words of ``name`` and has
        more ("Joel Eriksson Ek" for "Eriksson Ek")."""
        words = name.lower().split()
        found = [
            n
            for n in self._people_by_word.get(surname(name).lower(), ())
            if len(n.split()) > len(words) and n.lower().split()[-len(words) :] == words
        ]
        return min(found, key=lambda n: self.people[n].first_offset, default=None)

    def written_in_full(self, partial: str) -> str | None:
        """A full name the entity recogniser missed, for a surname or the last words of
        a name: the first place the article writes it after a given name ("Zach
        Parise’s two-goal night" for "Parise", "Kathleen Hawk Sawyer" for "Hawk
        Sawyer"), or after another word of the same person's name ("Montell Figgins"),
        with a middle initial if there is one."""
        if partial not in self._in_full:
            self._in_full[partial] = self._written_in_full(partial.split())
        return self._in_full[partial]

    def _written_in_full(self, words: list[str]) -> str | None:
        if not words:
            return None
        if self._by_text is None:
            self._by_text = {}
            for t in self.doc:
                if t.pos_ == "PROPN" and t.text[:1].isupper():
                    self._by_text.setdefault(t.text, []).append(t.i)
        doc = self.doc
        names = first_names()
        for i in self._by_text.get(words[0], ()):
            end = i + len(words)
            if end > len(doc) or [t.text for t in doc[i:end]] != words:
                continue
            k = i - 1
            if (
                k > 0
                and doc[k].text[:1].isupper()
                and len(doc[k].text) <= 2 + doc[k].text.count(".")
            ):
                k -= 1  # a middle initial
            given = doc[k] if k >= 0 else None
            if given is None or not given.text[:1].isupper() or given.pos_ != "PROPN":
                continue
            same = (
                given.ent_type_ == "PERSON"
                and doc[i].ent_type_ == "PERSON"
                and (doc[i].ent_iob_ == "I")
            )
            if is_title(given.text, doc[i].text, len(words) + 1):
                continue  # "Dean Maria Lopez": a title before a full name
            if given.lower_ in names or same:
                return clean_name(doc_text(doc)[given.idx : doc[end - 1].idx + len(doc[end - 1])])
        return None

    @staticmethod
    def _ends(longer: str, shorter: str) -> bool:
        """Whether ``shorter`` (two words or more) is the last words of ``longer``."""
        a, b = longer.lower().split(), shorter.lower().split()
        return len(b) >= 2 and len(a) > len(b) and a[-len(b) :] == b

    def full_org(self, name: str) -> str | None:
        """The article's longer name for an organisation named by its last words ("the
        Statistics Office" after "the National Statistics Office"); the earliest wins."""
        words = tuple(name.lower().split())
        if len(words) < 2:
            return None
        longer = self._orgs_by_suffix.get(words[-SUFFIX_WORDS:], set())
        if len(words) > SUFFIX_WORDS:
            longer = {k for k in longer if self._ends(k, name)}
        return min(longer, key=lambda k: (self.orgs[k].first_offset, self._order[k]), default=None)

    def by_role(
        self, description: str, unique: bool = False, kind: str | None = None
    ) -> Entity | None:
        """The person whose descriptor matches a description ('the Chechen leader' ->
        Ramzan Kadyrov, 'the governor' -> 'Gov. Kristi Noem'): every content word of
        the description must appear in one of the person's roles; the earliest such
        person wins, or with ``unique`` the only one (of ``kind``, when given)."""
        words = [role_word(w) for w in description.split() if w.lower() not in DETERMINERS]
        if not words:
            return None
        head = words[-1]
        modifiers = words[:-1]
        if self._roles_index is None:
            self._roles_index = self._index_roles()
        fits = []
        for e, every in self._roles_index.get(head, ()):
            if kind is not None and e.kind != kind:
                continue  # "the union" is no union chair
            if all(m in every for m in modifiers) and e not in fits:
                fits.append(e)
                if not unique:
                    break
        return fits[0] if len(fits) == 1 or (fits and not unique) else None

    def _index_roles(self) -> dict[str, list[tuple[Entity, frozenset[str]]]]:
        """For each word, the (entity, words of one of its roles) whose role has it as a
        common noun or a title ("the director" is the "Port Authority director", "the
        governor" is "Gov. Noem"; "the authority" is not), the earliest entity first:
        the first that fits a description is the one the scan over every entity found."""
        index: dict[str, list[tuple[int, int, Entity, frozenset[str]]]] = {}
        entities = [*self.people.values(), *self.orgs.values()]
        for position, e in enumerate(entities):
            for role in e.roles:
                role_words = role.replace(",", " ").split()
                every = frozenset(role_word(w) for w in role_words)
                common = {role_word(w) for w in role_words if w.islower() or is_title_word(w)}
                for w in common:
                    index.setdefault(w, []).append((e.first_offset, position, e, every))
        return {
            w: [(e, every) for _, _, e, every in sorted(v, key=lambda x: x[:2])]
            for w, v in index.items()
        }

    def gender(self, name: str | None) -> str | None:
        entity = self.people.get(name) if name else None
        return entity.gender if entity else None

    def last_org_before(self, offset: int) -> str | None:
        """The organisation mentioned last before ``offset`` (in the order of mentions,
        up to the first at or after it)."""
        k = bisect.bisect_left(self._org_reach, offset)
        return self._org_mentions[k - 1][1].root().name if k > 0 else None
