"""What an article says about the people and organisations it mentions.

One pass over the parsed article collects every named person and organisation with the
descriptors the reporter attached to them — a title before the name ("Chechen leader
Ramzan Kadyrov"), an apposition ("Georgy Engelhardt, an independent analyst"), an
affiliation ("Alexei Malashenko of the Carnegie Moscow Center").  Speaker resolution
looks names, surnames and descriptions up here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from ..attribution.syntax import doc_text

# Honorifics and titles that are not part of a name ("President Vladimir Putin").
TITLES = frozenset(
    """mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady rev rev. sen sen.
    rep rep. gov gov. gen gen. col col. lt lt. capt capt. sgt sgt. adm adm. maj maj. amb
    amb. president vice prime minister senator representative governor mayor judge
    justice secretary chancellor king queen prince princess sheikh pope cardinal bishop
    general colonel captain admiral chairman chairwoman chief director ceo speaker leader
    ambassador commissioner attorney former late deputy acting""".split()
)
_TITLE_WORDS = frozenset(t.rstrip(".") for t in TITLES) | frozenset(
    """superintendent commissioner inspector coach principal dean professor officer
    spokesman spokeswoman spokesperson councillor councilor alderman sheriff detective
    sergeant constable magistrate prosecutor rabbi imam pastor father sister brother""".split()
)
# Titles that say nothing about what someone does: never a role on their own.
HONORIFICS = frozenset("mr mrs ms miss dr prof sir dame madam madame rev".split())
# Legal forms of companies: a name ending in one is an organisation, whatever the
# entity recogniser said ("Lumen Pay Inc" is not a person).
LEGAL_FORMS = frozenset(
    "ltd limited inc incorporated llc plc corp corporation co ag sa gmbh nv bv oy ab".split()
)
_DETERMINERS = frozenset(["the", "a", "an", "this", "that", "these", "those"])
# Clauses and second appositions that follow a role but are not part of it:
# "a glaciologist at the University of Bergen who led the study".
_ROLE_CUT = frozenset(("relcl", "acl", "appos", "advcl"))
_ORG_SUFFIXES = (
    " news agency",
    " agency",
    " newspaper",
    " daily",
    " news channel",
    " channel",
    " television",
    " tv",
    " website",
    " broadcaster",
)


FEMALE_WORDS = frozenset(
    """mrs mrs. ms ms. miss madam madame lady dame spokeswoman chairwoman congresswoman
    businesswoman councilwoman actress mother wife daughter sister queen princess
    grandmother aunt niece widow girl woman""".split()
)
MALE_WORDS = frozenset(
    """mr mr. sir lord spokesman chairman congressman businessman councilman actor father
    husband son brother king prince grandfather uncle nephew widower boy man""".split()
)


@lru_cache(maxsize=1)
def first_names() -> dict[str, str]:
    """Given name -> "f" / "m"; names listed under both genders are left out."""
    path = resources.files("onrecord.enrich").joinpath("data/first_names.txt")
    seen: dict[str, set[str]] = {}
    gender = "f"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line in ("[f]", "[m]"):
            gender = line[1]
            continue
        for name in line.split():
            seen.setdefault(name, set()).add(gender)
    return {n: g.pop() for n, g in seen.items() if len(g) == 1}


def gender_of(words: list[str]) -> str | None:
    """'f', 'm' or None from titles, role words and a given name."""
    low = [w.lower() for w in words]
    if any(w in FEMALE_WORDS for w in low):
        return "f"
    if any(w in MALE_WORDS for w in low):
        return "m"
    names = first_names()
    for w in low:
        if w in names:
            return names[w]
    return None


def clean_name(text: str) -> str:
    """A name as it should be stored: no possessive, no leading article."""
    text = text.strip().strip(",;:")
    for suffix in ("'s", "’s", "'", "’"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    words = text.split()
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    return " ".join(words)


def strip_titles(words: list[str]) -> tuple[list[str], list[str]]:
    """Split leading titles off a name: (['President'], ['Vladimir', 'Putin'])."""
    titles: list[str] = []
    while len(words) > 1:
        if is_title(words[0], words[1], len(words)):
            titles.append(words[0])
            words = words[1:]
            continue
        # "Medical Officer Varga", "Health Minister Berg": capitalised words before a
        # title word belong to the title, unless one of them is a given name.
        names = first_names()
        j = next(
            (k for k in range(1, len(words) - 1) if words[k].lower().rstrip(".") in _TITLE_WORDS),
            None,
        )
        if j is None or not all(w[:1].isupper() and w.lower() not in names for w in words[:j]):
            break
        titles.extend(words[: j + 1])
        words = words[j + 1 :]
    return titles, words


def is_title(word: str, following: str, length: int) -> bool:
    """A word before a name that is a title, not a given name: listed titles and
    occupations, or any word before a known given name in a longer name
    ("Superintendent Karen Holloway")."""
    low = word.lower().rstrip(".")
    names = first_names()
    if low in _TITLE_WORDS:
        # "Dean Smith said": a title word that is also a given name, before a surname
        # alone, is the given name; "Dean Maria Lopez" keeps the title.
        return not (length == 2 and low in names and word[:1].isupper())
    return length >= 3 and following.lower() in names and low not in names


def organisation_name(text: str) -> str:
    """'the Interfax news agency' -> 'Interfax'; 'TASS news agency' -> 'TASS'."""
    name = clean_name(text)
    for suffix in _ORG_SUFFIXES:
        # "TASS news agency" is TASS; "the Baltic News Agency" is its own name.
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)].strip()
    return name


def descriptor_text(tokens: list[Token]) -> str | None:
    """A role phrase from tokens, without leading articles or trailing punctuation."""
    toks = [t for t in tokens if not t.is_space]
    while toks and (toks[0].lower_ in _DETERMINERS or toks[0].is_punct):
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
        return self.roles[0] if self.roles else None


def _name_tokens(ent: Span) -> list[Token]:
    toks = [t for t in ent if not t.is_punct or t.text == "."]
    while toks and toks[-1].tag_ == "POS":
        toks = toks[:-1]
    return toks


def role_phrase(head: Token, stop: int | None = None) -> str | None:
    """The descriptor headed by ``head``: its subtree without following clauses or
    further appositions, up to token ``stop`` (exclusive) if given."""
    cut: set[int] = set()
    for c in head.subtree:
        if c.dep_ in _ROLE_CUT and c.i > head.i and c.i not in cut:
            cut |= {t.i for t in c.subtree}
    tokens = [t for t in head.subtree if t.i not in cut and (stop is None or t.i < stop)]
    # Stop at a comma that follows the head: what comes after it is another phrase.
    kept = []
    for t in tokens:
        if t.i > head.i and t.text == ",":
            break
        kept.append(t)
    return descriptor_text(kept)


def described_by(name_root: Token) -> Token | None:
    """The noun a name stands in apposition to: "the association's chief negotiator,
    Linda Castellanos" → negotiator.  The parser often hangs the name on the last noun
    of a prepositional phrase instead ("a spokeswoman for the governor, Dana Whitfield":
    on governor); in news prose the name is the one the phrase begins with, so it is
    climbed back to ("spokeswoman")."""
    if name_root.dep_ != "appos" or name_root.head.pos_ not in ("NOUN", "PROPN"):
        return None
    head = name_root.head
    while (
        head.dep_ == "pobj"
        and head.head.dep_ == "prep"
        and head.head.head.pos_ == "NOUN"
        and head.head.head.i < head.i
    ):
        head = head.head.head
    return head


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
    for t in reversed([t for t in root.subtree if t.i < name.start]):
        if t.i != (run[0].i - 1 if run else name.start - 1) or t.is_punct:
            break
        run.insert(0, t)
    pre = run + list(name[: len(titles)]) if person else []
    if pre and any(t.pos_ in ("NOUN", "PROPN", "ADJ") for t in pre):
        roles.append(descriptor_text(pre) or "")
    described = described_by(root)
    # (a proper name before is another party the parse hung it on, not a description:
    # "voted to join the Warehouse Workers Union, the Labor Relations Board said")
    if described is not None and described.i < name.start and described.pos_ != "PROPN":
        roles.append(role_phrase(described, stop=name.start) or "")
    for c in root.children:
        if c.i < name.end or _alias(c):
            continue
        apposition = c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN")
        affiliation = c.dep_ == "prep" and c.lower_ in ("of", "from", "at", "with")
        if apposition or (
            affiliation and any(p.ent_type_ in ("ORG", "GPE", "NORP") for p in c.subtree)
        ):
            roles.append(role_phrase(c) or "")
    return [r for r in roles if _useful(r)]


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
    for c in sorted(root.lefts, key=lambda t: -t.i):
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
    if root.pos_ != "PROPN" or root.ent_type_ not in ("", "PERSON"):
        return None
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


class MentionIndex:
    """Every person and organisation an article names, with descriptors."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.people: dict[str, Entity] = {}
        self.orgs: dict[str, Entity] = {}
        self.person_mentions: list[tuple[int, str]] = []  # (offset, full name)
        self.org_mentions: list[tuple[int, str]] = []
        for ent in self._person_like(doc):
            if ent.label_ == "PERSON" or not ent.label_:
                self._add_person(ent)
            elif ent.label_ == "ORG":
                self._add_organisation(ent)

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

    def _add_person(self, ent: Span) -> None:
        words = [t.text for t in _name_tokens(ent)]
        titles, words = strip_titles(words)
        name = clean_name(" ".join(words))
        if not name:
            return
        full = (self.full_name(name) if len(name.split()) == 1 else name) or name
        # A longer name seen later upgrades a surname-only entry.
        if len(name.split()) > 1:
            for short in [k for k in self.people if len(k.split()) == 1]:
                if name.split()[-1] == short:
                    _absorb(self.people, short, name, "person")
        e = self.people.setdefault(full, Entity(full, "person", ent.start_char))
        e.offsets.append(ent.start_char)
        roles = name_roles(ent)
        for r in roles:
            if r not in e.roles:
                e.roles.append(r)
        if e.gender is None:
            e.gender = gender_of(titles + full.split()[:1] + " ".join(roles).split())
        self.person_mentions.append((ent.start_char, full))

    def _add_organisation(self, ent: Span) -> None:
        span = organisation_span(ent)
        name = organisation_name(span.text)
        if not name:
            return
        name = self.full_org(name) or name
        # A longer name seen later takes in the entries under its last words.
        for short in [k for k in self.orgs if self._ends(name, k)]:
            _absorb(self.orgs, short, name, "organization")
            self.org_mentions = [(o, name if n == short else n) for o, n in self.org_mentions]
        e = self.orgs.setdefault(name, Entity(name, "organization", span.start_char))
        e.offsets.append(span.start_char)
        for r in name_roles(span, person=False):
            if r not in e.roles:
                e.roles.append(r)
        self.org_mentions.append((span.start_char, name))

    def full_name(self, partial: str) -> str | None:
        """The article's full name for a surname or first name ("Kadyrov")."""
        part = partial.lower()
        best = None
        for name in self.people:
            words = name.lower().split()
            if len(words) < 2 or part not in (words[0], words[-1]):
                continue
            if best is None or self.people[name].first_offset < self.people[best].first_offset:
                best = name
        return best

    @staticmethod
    def _ends(longer: str, shorter: str) -> bool:
        """Whether ``shorter`` (two words or more) is the last words of ``longer``."""
        a, b = longer.lower().split(), shorter.lower().split()
        return len(b) >= 2 and len(a) > len(b) and a[-len(b) :] == b

    def full_org(self, name: str) -> str | None:
        """The article's longer name for an organisation named by its last words ("the
        Statistics Office" after "the National Statistics Office"); the earliest wins."""
        longer = [k for k in self.orgs if self._ends(k, name)]
        return min(longer, key=lambda k: self.orgs[k].first_offset, default=None)

    def by_role(self, description: str) -> Entity | None:
        """The person whose descriptor matches a definite description ('the Chechen
        leader' -> Ramzan Kadyrov): every content word of the description must appear
        in one of the person's roles; the earliest such person wins."""
        words = [w for w in description.split() if w.lower() not in _DETERMINERS]
        if not words:
            return None
        head = words[-1].lower()
        modifiers = [w.lower() for w in words[:-1]]
        best = None
        for e in list(self.people.values()) + list(self.orgs.values()):
            for role in e.roles:
                role_words = role.replace(",", " ").split()
                # The head noun must be a common noun of the role: "the director" is
                # the "Port Authority director", "the authority" is not.
                common = {w for w in role_words if w.islower()}
                every = {w.lower() for w in role_words}
                matches = head in common and all(m in every for m in modifiers)
                if matches and (best is None or e.first_offset < best.first_offset):
                    best = e
        return best

    def gender(self, name: str | None) -> str | None:
        entity = self.people.get(name) if name else None
        return entity.gender if entity else None

    def last_org_before(self, offset: int) -> str | None:
        best = None
        for off, name in self.org_mentions:
            if off < offset:
                best = name
            else:
                break
        return best
