"""Roles: the descriptors an article gives a person where it names them.

A title before the name ("Chechen leader Ramzan Kadyrov"), the description it is in
apposition to ("the association's chief negotiator, Linda Castellanos"), an apposition
after it ("Georgy Engelhardt, an independent analyst"), an affiliation ("Alexei
Malashenko of the Carnegie Moscow Center"), and what the sentence predicates of it
("Hege is the CEO of DH", "Howitt, who is now an immunologist at Stanford", "who
represents Thomas", "As a lung biologist, Priya Raman ...").  :mod:`.mentions` gathers
them for every person over the whole article.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..attribution.syntax import doc_text, kids, subtree, subtree_indices
from ..names import (
    ABBREVIATIONS,
    DETERMINERS,
    HONORIFICS,
    first_names,
    is_person_role,
    is_title_word,
    names_a_person,
    role_word,
    strip_titles,
)

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


# Offices a public figure is known by: "Sen.", "Ohio Gov.", "Republican presidential
# nominee" say what a politician is, where an apposition may only characterise them.
OFFICES = frozenset(
    """senator governor president representative congressman congresswoman secretary
    minister mayor speaker nominee candidate chancellor premier""".split()
)


_NOT_IN_OFFICE = frozenset("of for at in on with to by from their his her its our my".split())


def _office(role: str) -> bool:
    """A title of office, alone or with what it is of: "Sen.", "Ohio Gov.", "US
    President", "Republican presidential nominee"."""
    words = role.replace(",", " ").split()
    plain = not any(w.lower() in _NOT_IN_OFFICE for w in words)
    return 0 < len(words) <= 4 and plain and role_word(words[-1]) in OFFICES


def _position(role: str) -> bool:
    """A description whose head is a post: "ranking member of the subcommittee",
    "chief executive of the London-based website" (not "most zealous advocate for
    ...", which characterises)."""
    words = role.replace(",", " ").split()
    head = next((k for k, w in enumerate(words) if w.lower() in _NOT_IN_OFFICE), len(words))
    titles_only = all(w.lower().rstrip(".") in ABBREVIATIONS for w in words)  # "Lt Col"
    return head > 0 and len(words) > 1 and not titles_only and is_title_word(words[head - 1])


_POSSESSIVE_PRONOUNS = frozenset("his her their its our my your".split())


def relative(role: str) -> bool:
    """A role said relative to another person, "her chief rival", "his campaign
    manager": it needs the sentence it was in to be understood."""
    return role.split()[0].lower() in _POSSESSIVE_PRONOUNS if role.split() else False


def preferred_role(roles: list[str]) -> str | None:
    """The role to give: a description of a post ("ranking member of the
    subcommittee"), else an office ("Sen."), else the first that describes, over a
    bare title or a single word, when the article gives both."""
    # (a role said relative to someone else, "her chief rival", only when no other)
    roles = sorted(roles, key=relative)
    described = [r for r in roles if _position(r) and not _office(r)]
    offices = [r for r in roles if _office(r)]
    if described:
        return described[0]
    if offices:
        return max(offices, key=lambda r: len(r.split()))
    for r in roles:
        words = r.split()
        titles_only = all(w.lower().rstrip(".") in ABBREVIATIONS for w in words)  # "Lt Col"
        if len(words) > 1 and not words[-1].endswith(".") and not titles_only:
            return r
    return roles[0] if roles else None


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
    # ("Deputy Director of Public Prosecution Eva-Marie Persson": a title as well; but
    # "the endorsement of Sen. Lindsey Graham" is no description of him)
    described = (
        names_a_person(noun.text)
        and (noun.pos_ == "NOUN" or is_title_word(noun.text))
        and before.text.rstrip(".").lower() not in ABBREVIATIONS
    )
    return noun if described and noun.i < name.start else None


def _useful(role: str | None) -> bool:
    return bool(role) and role.lower().rstrip(".") not in HONORIFICS


_PLACES = frozenset(("GPE", "LOC", "FAC", "DATE"))
# Nouns a name can stand in apposition to without being described by them.
_NOT_DESCRIPTIONS = frozenset("part result way example case".split())


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
        # (a hyphen inside a word is no break: "top-ranked Rafael Nadal")
        inner = t.text == "-" and not t.whitespace_ and not t.doc[t.i - 1].whitespace_
        if t.i != (run[0].i - 1 if run else name.start - 1) or (t.is_punct and not inner):
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
    # (proper nouns alone before a name are more of the name: "Alexei" in "Alexei
    # Malashenko" where the recogniser took only the surname)
    more_name = all(t.pos_ == "PROPN" and not names_a_person(t.text) for t in pre)
    if pre and not more_name and any(t.pos_ in ("NOUN", "PROPN", "ADJ") for t in pre):
        roles.append(descriptor_text(pre) or "")
    described = described_by(root)
    # (a proper name before is another party the parse hung it on, not a description:
    # "voted to join the Warehouse Workers Union, the Labor Relations Board said")
    # ("As a part of his plea, Marcel Lazar said": what he said it as, not what he is)
    if (
        described is not None
        and described.i < name.start
        and described.pos_ != "PROPN"
        and described.lower_ not in _NOT_DESCRIPTIONS
    ):
        roles.append(role_phrase(described, stop=name.start) or "")
    # (an apposition after a coordination describes the last name: "Bill Clinton and
    # Melania Trump, the nominee's wife")
    coordinated = [c.i for c in kids(root) if c.dep_ == "conj" and c.i > name.end]
    last_of = [root.head] if root.dep_ == "conj" and root.head.i < root.i else []
    for c in [*kids(root), *(c for h in last_of for c in kids(h) if c.i > name.end)]:
        if c.i < name.end or _alias(c) or any(k < c.i for k in coordinated):
            continue
        if c.dep_ == "appos" and c.ent_type_ in _PLACES:
            continue  # "Clinton up by 10 points ...: New York, which ...": a place
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
    if person and not roles:
        roles = _organisation_owner(name)
    return sorted(roles, key=lambda r: not isinstance(r, Current))


def _organisation_owner(name: Span) -> list[str]:
    """An organisation whose person a name is, "CNN's Gloria Borger": "CNN's"."""
    for c in kids(name.root):
        owned = c.dep_ == "poss" and c.i < name.start and c.ent_type_ == "ORG"
        if owned and name.doc[c.i + 1].tag_ == "POS":
            return [Held(descriptor_text([*subtree(c)]) or "")]
    return []


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

    def owner(t: Token) -> bool:  # "Teresa's husband", "nominee Donald Trump's wife"
        end = t.i
        while end + 1 < len(doc) and doc[end + 1].ent_iob_ == "I" and doc[end + 1].tag_ != "POS":
            end += 1
        return end + 1 < len(doc) and doc[end + 1].tag_ == "POS"

    words: list[Token] = []
    for t in doc[name.end + 1 : name.end + 16]:
        if t.text in _PHRASE_END or t.pos_ in ("VERB", "AUX") or t.is_sent_start:
            break
        if t.ent_type_ == "PERSON" and t.tag_ != "POS" and not owner(t):
            if words and words[-1].i == t.i - 1 and is_title_word(words[-1].text):
                return ""  # ("of Sioux Falls, Gov. Kristi Noem": the title is hers)
            break
        if t.tag_ in ("WDT", "WP", "WRB"):
            break
        if t.pos_ == "CCONJ" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ in first_names():
            break  # "..., acting director of Homeland Security and Alex Azar, ..."
        words.append(t)
    while words and words[-1].pos_ in ("ADP", "CCONJ", "DET", "PART"):
        words.pop()
    first = words[0] if words else None
    if first is None or not (
        owner(first) or first.pos_ in ("DET", "ADJ", "NOUN") or is_title_word(first.text)
    ):
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
