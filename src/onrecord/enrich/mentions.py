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
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..attribution.syntax import doc_text, lefts, name_root
from ..names import (
    DETERMINERS,
    ORG_TAILS,
    clean_name,
    first_names,
    gender_of,
    is_title,
    is_title_word,
    names_a_person,
    organisation_name,
    role_word,
    strip_titles,
    surname,
)
from ..nlp import check_time
from .described import SUBJECTS, described_one
from .people import in_headline
from .roles import Current, name_roles, preferred_role, relative, role_phrase


@dataclass
class Entity:
    """A person or organisation named in the article."""

    name: str
    kind: str  # person | organization
    first_offset: int
    roles: list[str] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    gender: str | None = None
    # Descriptions that only follow the name ("when the Republican front-runner
    # arrives"): a role when the article attaches none to the name, and never a way
    # to find the person from a description.
    described: list[str] = field(default_factory=list)
    age: str | None = None  # "Melania Trump, 46," for "the 46-year-old"

    @property
    def role(self) -> str | None:
        role = preferred_role(self.roles)
        if role is None or relative(role):
            # ("her chief rival" where a description says "the Vermont senator")
            return next((d for d in self.described if not relative(d)), role)
        return role


def _name_tokens(ent: Span) -> list[Token]:
    toks = [t for t in ent if not t.is_punct or t.text in (".", "-")]
    while toks and toks[-1].tag_ == "POS":
        toks = toks[:-1]
    return toks


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
    if in_headline(root.doc, span):
        return None  # a headline capitalises every word: "Ramos Presses Clinton"
    # ("Wall Street" is a place; in "Developer Valve" one word is left after the title)
    _, words = strip_titles([t.text for t in span])
    while words and names_a_person(words[0]):
        words = words[1:]  # "Developer Valve": a word for what someone is, capitalised
    if root.lower_ in ORG_TAILS or len(words) < 2:
        return None
    return span


def unlabelled_organisation(root: Token) -> Span | None:
    """A capitalised proper-noun run the recogniser missed that ends in a word of
    organisations' names ("Meridian Research", "Wall Street" is a place and its word
    is no such end)."""
    start = _run_start(root, proper_only=True)
    if root.i - start < 1 or any(t.ent_type_ for t in root.doc[start : root.i + 1]):
        return None
    return root.doc[start : root.i + 1] if root.lower_ in ORG_TAILS - {"street"} else None


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
        self._add_described_roles(doc)

    def _add_described_roles(self, doc: Doc) -> None:
        """A definite description right after a person is named is more of what they
        are ("... will meet with Donald Trump when the Republican presidential
        front-runner arrives"): a role of the person last named in the sentence or the
        one before, given only where the article attaches none to the name itself, and
        never one another person already has."""
        starts = [s.start_char for s in doc.sents]
        offsets = [off for off, _ in self.person_mentions]
        at = {off: k for k, off in enumerate(offsets)}
        for t in doc:
            if t.tag_ not in ("NN", "NNP") or t.ent_type_ or not names_a_person(t.text):
                continue
            if not any(c.dep_ == "det" and c.lower_ == "the" for c in t.lefts):
                continue
            if any(c.dep_ in ("appos", "compound") and c.ent_type_ == "PERSON" for c in t.children):
                continue  # "the envoy, Kurt Volker": the name's own apposition
            if t.dep_ in ("appos", "compound", "poss"):
                continue
            k = described_one(doc, t, offsets, at, starts)
            if k is None:
                continue
            role = role_phrase(t)
            entity = self.people.get(self.person_mentions[k][1])
            if not role or entity is None or role in entity.described or self.by_role(role):
                continue
            entity.described.append(role)

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
        e.age = e.age or _age_after(ent)
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

    def full_name(self, partial: str, before: int | None = None) -> str | None:
        """The article's full name for a surname or first name ("Kadyrov"). Where two
        people share it, the one last named in full as a subject before offset
        ``before`` ("Patricia Smith, mother of victim Sean Smith, rejected ... . Smith
        said"), else the first named."""
        names = self._people_by_word.get(partial.lower(), ())
        # (only people told apart by their given names: not "John M. Ford" and "John
        # Milo Ford", nor "Hosting Cook", a name the recogniser made of a verb)
        given = {n.split()[0].lower() for n in names if len(n.split()) > 1}
        if before is not None and len(given) > 1 and given <= first_names().keys():
            subject = self._last_subject(set(names), before)
            if subject is not None:
                # (the same person's first full form: "John M. Ford", not "John Milo Ford")
                names = [n for n in names if n.split()[0] == subject.split()[0]]
        return min(
            names,
            key=lambda n: (self.people[n].first_offset, self._order[n]),
            default=None,
        )

    def _last_subject(self, names: set[str], before: int) -> str | None:
        """Of ``names``, the one last written in full as a subject before ``before``."""
        found = None
        for offset, full in self.person_mentions:
            if full not in names or offset >= before:
                continue
            root = name_root(self.doc, offset)
            in_full = root is not None and root.idx > offset  # more than a surname
            if in_full and root.dep_ in SUBJECTS and (found is None or offset > found[0]):
                found = (offset, full)
        return found[1] if found else None

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

    def by_age(self, description: str) -> Entity | None:
        """The one person the article gives the age a description says ("the
        46-year-old" after "Melania Trump, 46,")."""
        found = _AGE_DESCRIPTION.search(description)
        if found is None:
            return None
        fits = [e for e in self.people.values() if e.age == found.group(1)]
        return fits[0] if len(fits) == 1 else None

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


_AGE_DESCRIPTION = re.compile(r"\b(\d{1,3})-year-old\b")


def _age_after(ent: Span) -> str | None:
    """The age written after a name between commas: "Melania Trump, 46, said"."""
    doc = ent.doc
    if ent.end + 2 >= len(doc) or doc[ent.end].text != ",":
        return None
    age, after = doc[ent.end + 1], doc[ent.end + 2]
    plausible = age.like_num and age.text.isdigit() and 0 < int(age.text) < 120
    return age.text if plausible and after.text in (",", ")") else None
