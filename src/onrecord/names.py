"""Names as articles write them and as matching compares them: string rules, no parse.

A person's name comes without its titles ("Chechen leader Ramzan Kadyrov" is Ramzan
Kadyrov, "Chief Medical Officer Varga" is Varga), an organisation's without the words
that say what it is ("the Interfax news agency" is Interfax), either without a possessive
or a leading article.  Folded, a name is the key the statement database matches on (no
case, accents, punctuation or middle initials), and two roles are one position when the
words of one are all in the other ("Mayor", "mayor of Port Halden").

Enrichment applies these rules to the words of a parsed mention, the store to key its
canonical speakers, and search to read a name a user typed the same way; none of them
needs spaCy.  (A quote's *content* is folded differently, for clustering:
``store.clusters.fold_content``.)
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

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
# Last words that make a capitalised run an organisation, not a person.
ORG_TAILS = (
    frozenset(
        """productions production company co co. corp corp. inc inc. ltd ltd. llc group
    news times post press journal herald tribune gazette review awards award center
    centre institute foundation fund university college school hospital bank party
    committee council commission agency ministry department office house club team
    association union league network studios studio records media partners capital
    holdings airlines airways motors systems technologies research analytics consulting
    labs laboratories associates chronicle observer telegraph inquirer examiner courier
    dispatch bulletin magazine daily weekly street depot""".split()
    )
    | LEGAL_FORMS
)


DETERMINERS = frozenset(["the", "a", "an", "this", "that", "these", "those"])
# Mentions that are no name: a merge explains the name they stand for, and they are
# never listed among a speaker's aliases.
PRONOUNS = frozenset("he she they it who which that i we you him her them".split())
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
    path = resources.files("onrecord").joinpath("data/first_names.txt")
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
        # ("Eva-Marie": either half says)
        for part in (w, *w.split("-")):
            if part in names:
                return names[part]
    return None


# -- names as written ------------------------------------------------------------------


def clean_name(text: str) -> str:
    """A name as it should be stored: no possessive, no leading article, a hyphen
    without the spaces that joining its tokens put round it ("Ngo - Anh" is "Ngo-Anh")."""
    text = re.sub(r"(?<=\w) - (?=\w)", "-", text.strip().strip(",;:"))
    for suffix in ("'s", "’s", "'", "’"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    words = text.split()
    while words and words[0].lower() in DETERMINERS:
        words = words[1:]
    return " ".join(words)


def surname(name: str) -> str:
    """The last word of a full name as written, without Jr., Sr., II, III: "Kennedy" is
    "James P. Kennedy Jr." (:func:`surname_of` for a folded name)."""
    words = _without_generation(name.split(), lambda w: w.lower().strip(".,"))
    return words[-1].rstrip(",") if words else ""


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
    # "Browns DL Sheldon Richardson": what stands before a given name, none itself a
    # given name, is a description (a team, a position), not part of the name.
    names = first_names()
    k = next((k for k in range(1, len(words) - 1) if words[k].lower() in names), None)
    hyphenated = k is not None and words[k - 1] == "-"  # "Eva - Marie Persson"
    if k is not None and not hyphenated and not any(w.lower() in names for w in words[:k]):
        titles.extend(words[:k])
        words = words[k:]
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


# Words in an organisation's name that a story's common noun for it stands for: "the
# airline" is Skyline Airways, "the paper" The Harbour Herald.
NAME_WORDS = {
    "airline": ("air", "airways", "airlines"),
    "carrier": ("air", "airways", "airlines", "airline"),
    "bank": ("bancorp",),
    "lender": ("bank", "bancorp"),
    "newspaper": ("times", "post", "herald", "journal", "gazette", "tribune", "daily"),
    "paper": ("times", "post", "herald", "journal", "gazette", "tribune", "daily"),
    "broadcaster": ("tv", "television", "radio", "broadcasting"),
    "university": ("college",),
    "insurer": ("insurance", "assurance"),
    "company": (
        "inc",
        "inc.",
        "corp",
        "corp.",
        "co",
        "co.",
        "ltd",
        "llc",
        "productions",
        "group",
        "holdings",
        "industries",
        "technologies",
        "motors",
        "systems",
    ),
    "firm": ("inc", "inc.", "corp", "corp.", "llc", "partners", "associates", "group"),
    "government": ("government",),
}


def name_words_for(noun: str) -> set[str]:
    """The words (lower case) that show an organisation's name is what a common noun
    ("airline") calls it: the noun, its plural, and the words it stands for
    (:data:`NAME_WORDS`)."""
    return {noun, noun + "s", *NAME_WORDS.get(noun, ())}


# -- names as matching compares them ---------------------------------------------------

_NON_WORD = re.compile(r"[^\w\s-]+", re.UNICODE)


def fold_name(text: str) -> str:
    """A name or role as matching compares it: no case, accents, punctuation or
    middle initials ("Vladimir V. Putin" = "vladimir putin")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("’", "'").replace("'s ", " ")
    words = _NON_WORD.sub(" ", text).split()
    if len(words) > 2:
        words = [words[0], *[w for w in words[1:-1] if len(w) > 1], words[-1]]
    return " ".join(words)


def fold_organisation(name: str) -> str:
    """An organisation's name as matching compares it: folded, without the legal form
    ("Lumen Pay Ltd" and "Lumen Pay Inc" are how two outlets write one company)."""
    words = fold_name(name).split()
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words = words[:-1]
    return " ".join(words)


def fold_person(name: str) -> str:
    """A person's name as matching compares it: folded, without leading titles
    ("President Vladimir V. Putin" = "vladimir putin")."""
    _, words = strip_titles(name.split())
    return fold_name(" ".join(words))


# Generational suffixes: part of a full name ("James P. Kennedy Jr." is not James
# Kennedy Sr.), never its surname.
GENERATIONS = frozenset("jr sr ii iii iv".split())


def surname_of(norm: str) -> str:
    """The surname in a folded person's name: its last word that is no generational
    suffix ("james kennedy jr" -> "kennedy")."""
    words = _without_generation(norm.split(), lambda w: w)
    return words[-1] if words else ""


def _without_generation(words: list[str], key) -> list[str]:
    while len(words) > 1 and key(words[-1]) in GENERATIONS:
        words = words[:-1]
    return words


# -- a mention's own name -----------------------------------------------------------------

# Lower-case words inside a name ("Ludwig van Beethoven", "Osama bin Laden").
PARTICLES = frozenset("al bin bint da de del della der di du ibn la le van von y".split())
# Last words that make a name a company's, whatever the entity recogniser said: the
# legal forms, and the words production and holding companies are named with ("Dick
# Clark Productions" has a given name in it, and is tagged a person).
COMPANY_WORDS = LEGAL_FORMS | frozenset(
    """productions studios entertainment holdings industries enterprises pictures records
    partners associates ventures company""".split()
)
# Common nouns for a company: a mention made of one ("the company") means a company.
COMPANY_NOUNS = frozenset("company firm".split())


def is_company(name: str | None) -> bool:
    """A name that ends in a legal form or a company word ("Lumen Pay Ltd", "Dick Clark
    Productions")."""
    words = fold_name(name or "").split()
    return len(words) > 1 and words[-1] in COMPANY_WORDS


def refers_back(text: str | None) -> bool:
    """A mention made only of common nouns ("the company", "the agency", "the finance
    minister"): it names no one itself, it refers to someone the article named."""
    return not any(w[:1].isupper() for w in clean_name(text or "").split())


def own_name(text: str | None, name: str | None, kind: str) -> str | None:
    """The name a mention gives when it is another than ``name``, the one enrichment
    resolved it to: "Schiff" resolved to Alexander Vindman, "the Afghan government" to
    the Afghan Taliban.  None when the mention is the name or part of it ("Kennedy" for
    James P. Kennedy Jr., "the Nordpress news agency" for Nordpress, "Russian news agency
    TASS" for TASS), a pronoun, or words that refer back ("the company", "the Chechen
    leader"): those are enrichment's to resolve."""
    if not text or not name or text.lower() in PRONOUNS or refers_back(text):
        return None
    if set(fold_name(name).split()) <= set(fold_name(text).split()):
        return None  # it has the name ("The finance minister, Lena Varga")
    # What comes before an apposition or a relative clause: "Lindqvist, the union
    # chairman", "Harbor Lane Productions, which produces the show".
    written = clean_name(text.split(",")[0])
    if kind == "person":
        _, words = strip_titles(written.split())
        if not words or not all(w[:1].isupper() or w in PARTICLES for w in words):
            return None  # a description ("the Chechen leader"), not a name
        if any(w.lower().rstrip(".") in _TITLE_WORDS for w in words):
            return None  # "The Chechen Leader", capitalised as a headline
        mine, theirs = fold_name(" ".join(words)).split(), fold_person(name).split()
        if all(_in_name(w, theirs) for w in mine):
            return None
        return " ".join(words)
    if kind == "organization":
        own = organisation_name(written)
        mine, theirs = fold_organisation(own).split(), fold_organisation(name).split()
        # One within the other: "the Baltic agency" for the Baltic News Agency, or the
        # name with what the organisation is ("Russian news agency TASS").
        if not mine or set(mine) <= set(theirs) or set(theirs) <= set(mine):
            return None
        return own
    return None


def _in_name(word: str, name: list[str]) -> bool:
    """A word of a mention is in a name: one of its words, or the initial of one."""
    return word in name or (len(word) == 1 and any(w.startswith(word) for w in name))


# -- roles -------------------------------------------------------------------------------

# Common nouns that name a single person.
PERSON_NOUNS = frozenset(
    """spokesman spokeswoman spokesperson president minister leader analyst senator
    official lawmaker governor mayor chairman chairwoman chief director secretary
    ambassador adviser advisor aide candidate nominee expert economist professor
    researcher scientist lawyer attorney judge prosecutor general commander officer
    source witness resident doctor author writer columnist reporter correspondent
    editor host anchor activist campaigner executive ceo founder owner manager
    strategist pollster historian politician representative congressman congresswoman
    diplomat envoy premier chancellor king queen prince governor-general woman man
    agent father mother son daughter wife husband friend neighbor neighbour teacher student
    worker farmer officer detective sheriff coach player captain nurse engineer fisherman
    pilot driver negotiator organiser organizer volunteer physician librarian head
    member boss staffer employee chef nominee graduate alumnus alumna veteran victim
    survivor mom dad sister brother girlfriend boyfriend partner fiancé fiancee
    parent grandparent uncle aunt cousin niece nephew star actor actress singer rapper
    comedian musician artist athlete quarterback linebacker striker
    midfielder defender goalkeeper pitcher catcher rookie deputy clerk trustee chair
    co-chair chairperson senior junior freshman sophomore fellow intern lawmaker colleague
    patient insider rep user commenter examiner fan customer passenger investor trader
    voter supporter critic opponent rival teenager bystander eyewitness shopper consumer
    viewer reader listener surgeon nurse
    ally critic fan pupil child girl boy widow mum nun priest surgeon mechanic landlord
    hopeful billionaire millionaire entrepreneur tycoon mogul midwife vet cop""".split()
)
# Endings of nouns for someone who does something: a singer, a negotiator, a nominee.
_AGENTIVE = (*"er or ist ian ant ent man woman person eer ee ier ive ary ess ate".split(),)
_ROLE_BREAK = frozenset(
    "of for at from with in on to about over by who which that and or but".split()
)


# Abbreviated titles, as a description spells them out: "the governor" is "Gov. Noem".
ABBREVIATIONS = {
    "gov": "governor", "sen": "senator", "rep": "representative", "lt": "lieutenant",
    "gen": "general", "col": "colonel", "capt": "captain", "sgt": "sergeant",
    "adm": "admiral", "amb": "ambassador", "atty": "attorney", "supt": "superintendent",
    "pres": "president", "sec": "secretary", "dir": "director", "prof": "professor",
}  # fmt: skip


def role_word(word: str) -> str:
    """A word of a role or a description as they are compared: lower case, without a
    possessive or a full stop, an abbreviated title spelled out."""
    low = word.lower().strip(",;:()")
    for suffix in ("'s", "’s"):
        if low.endswith(suffix):
            low = low[: -len(suffix)]
    low = low.rstrip(".")
    if low.startswith("co-"):
        low = low[3:]  # "the founder" fits a "co-founder"
    return ABBREVIATIONS.get(low, low)


def is_title_word(word: str) -> bool:
    """A title or a word for what a person is, in any case ("Governor", "CEO")."""
    low = role_word(word)
    return low in _TITLE_WORDS or low in PERSON_NOUNS or (word.isupper() and len(word) > 1)


# Words with an agent's ending that name no agent.
_NOT_AGENTS = frozenset(
    """number matter center centre order letter another whether danger border paper
    water power corner chapter dinner summer winter weather tower finger shoulder river
    silver cancer computer barrier career answer poster banner trigger cluster filter
    theater theatre sector factor error mirror terror horror humor honor labor favor
    behavior behaviour moment comment statement agreement government department
    parliament treatment payment movement development environment document argument
    incident accident element content percent event initiative objective alternative
    incentive primary summary salary library boundary anniversary estate debate climate
    senate mandate estimate shower moniker""".split()
)
# Title words that only qualify the noun after them ("her former record label").
_QUALIFIERS = frozenset("former late acting interim vice deputy".split())
_CALENDAR = frozenset(
    """january february march april may june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday""".split()
)


def is_person_role(role: str) -> bool:
    """A descriptor says what a person is: its head noun (the last word before a
    preposition, a conjunction or a clause) names a person or a title ("former
    National Security Council official", "chief of staff", "Republican nominee"), or
    it is an affiliation ("of Public Citizen").  "her former record label and ..." and
    "questions about the judgment of another witness" are not."""
    words = [w.strip(",.;:()'\"’") for w in role.split()]
    words = [w for w in words if w]
    if not words:
        return False
    if words[0].lower() in ("of", "for"):
        return True  # "of Public Citizen" ("at the Statehouse" is a place, no role)
    if words[0].lower() in _ROLE_BREAK:
        return False
    head = None
    for w in words:
        if w.lower() in _ROLE_BREAK:
            break
        head = w
    if head is None:
        return False
    low = head.lower()
    plural = low.endswith("s") and not low.endswith("ss")
    if low in _CALENDAR or low.isdigit() or any(w.lower() in _CALENDAR for w in words[:2]):
        return False  # "November 18" is a date
    before = words[: words.index(head) + 1]
    several = plural and (len(before) == 1 or names_a_person(low[:-1]))
    if several and words[0].lower() != "one":
        return False  # "lawmakers", "Cruz's two Senate colleagues": not what one person is
    if any(names_a_person(w) for w in before if w.lower() not in _QUALIFIERS):
        return True
    # A title whose name joins two fields ("Research and Advocacy Director for the
    # Middle East"): the title after the conjunction, before any preposition.
    title = [w for w in words[len(before) :] if w.lower() not in ("and", "or")]
    title = title[: next((k for k, w in enumerate(title) if w.lower() in _ROLE_BREAK), len(title))]
    joins = words[len(before) : len(before) + 1] in (["and"], ["or"])
    capitalised = all(w[:1].isupper() for w in before + title)
    if joins and title and capitalised and names_a_person(title[-1]):
        return True
    # A head this list does not know may still be a person's ("a local vet"): only a
    # plural thing, a coordination of things, or an -ing word is taken for no role.
    joined = any(w.lower() in ("and", "or") for w in words)
    return not joined and not plural and not low.endswith("ing")


def names_a_person(word: str) -> bool:
    """A word for a person or a title: "chief", "Governor", "immunologist", CEO."""
    if is_title_word(word):
        return True  # "chief", "Governor", CEO, MP, DL
    low = role_word(word)
    # (an ending says so only on a word long enough to have one: not "her", "other")
    things = low.endswith(("ment", "ments"))  # "establishment", "government"
    if len(low) > 5 and low.endswith(_AGENTIVE) and low not in _NOT_AGENTS and not things:
        return True
    return low.endswith("s") and low[:-1] in PERSON_NOUNS


# Words a role can do without: "leader of the opposition" is "opposition leader".
_ROLE_FILLER = frozenset("a an the of for in at on and to from with by its his her their".split())


def role_words(role: str | None) -> frozenset[str]:
    """The words of a role that say what the role is, folded."""
    if not role:
        return frozenset()
    return frozenset(w for w in fold_name(role).split() if w not in _ROLE_FILLER | HONORIFICS)


def _says_what(role: str) -> bool:
    """A role with a common noun or a title in it ("leader", "Mayor"), not only a name
    ("Port Halden"): only such a role is evidence of who someone is."""
    return any(
        w[:1].islower() or is_title(w, "", 2) for w in role.split() if w.lower() not in _ROLE_FILLER
    )


def same_role(a: str | None, b: str | None) -> bool:
    """Two roles name the same position when the words of one are all in the other:
    "Mayor" and "mayor of Port Halden", "opposition leader" and "leader of the
    opposition", "union chairman" and "chairman of the fishermen's union"."""
    wa, wb = role_words(a), role_words(b)
    if not wa or not wb:
        return False
    smaller = a if len(wa) <= len(wb) else b
    return (wa <= wb or wb <= wa) and _says_what(smaller or "")


# -- publishers ---------------------------------------------------------------------------

# Words in the name of a news outlet, agency or broadcaster ("Riverside News", "the
# Harbour Gazette", "state television", "the TASS news agency").
MEDIA_WORDS = frozenset(
    """news newspaper newswire wire times post herald journal gazette tribune daily press
    presse radio tv television broadcaster broadcasting channel magazine media telegraph
    chronicle courier observer weekly website tabloid ledger sentinel online""".split()
)
# ... but not these, whose words name someone's own spokespeople ("the Kremlin press
# service said Putin told Xi ...").
NOT_MEDIA = frozenset("office service secretary officer team".split())
# "The agency reported": an agency that publishes (not one that regulates, which says).
PUBLISHING_CUES = frozenset("report reported reports wrote writes published publishes".split())
# Agencies and broadcasters known by a name with none of those words.
KNOWN_MEDIA = frozenset(
    """reuters ap afp tass interfax xinhua ria novosti sputnik bloomberg yonhap kyodo ansa
    dpa efe anadolu bernama pti ukrinform unian irna bbc cnn nbc cbs abc npr pbs msnbc
    cnbc politico axios jazeera""".split()
)


def publishes(written: list[str], kind: str, cue: str | None = None) -> bool:
    """A speaker written ``written`` (its names and mentions) publishes news: an agency
    or broadcaster by its name ("Reuters", "the Harbour Gazette", "state television"),
    or an agency whose ``cue`` is a publishing verb ("the agency reported").  A person is
    one only by name ("Reuters", which the entity recogniser may take for a person): a
    person's name with "Post" in it is no newspaper."""
    names = {fold_name(organisation_name(w)) for w in written}
    if kind == "person":
        return bool(names & KNOWN_MEDIA)
    publishing = bool(PUBLISHING_CUES & set(fold_name(cue or "").split()))
    for w in written:
        words = fold_name(w).split()
        if publishing and "agency" in words:
            return True
        for i, word in enumerate(words):
            after = words[i + 1] if i + 1 < len(words) else ""
            if word in KNOWN_MEDIA or (word in MEDIA_WORDS and after not in NOT_MEDIA):
                return True
    return False


# What a statement is made in or at: a medium, a format or a venue ("in a statement",
# "at a Monday rally").  The channel is read from them, and a source span never takes
# one in ("said Mara Lind in an email to staff" is Mara Lind's).
MEDIUM_NOUNS = frozenset(
    """interview statement video post tweet letter op-ed oped column speech broadcast
    podcast message email e-mail blog article editorial memo release conference briefing
    appearance address essay book documentary programme program show posting livestream
    announcement communique communiqué filing ad advertisement call rally hearing debate
    fundraiser convention event summit forum panel keynote chat testimony deposition
    sermon lecture paper study report memoir newsletter note text session webinar
    town-hall ceremony teleconference remarks recording audio tape transcript footage
    document telecon piece hall""".split()
)


# Media nouns that are one only with a word before them: "a town hall", not "the hall".
_MEDIUM_ONLY_AFTER = {"hall": "town"}


def is_medium(token) -> bool:
    """A noun for a medium a statement is made through ("interview", "tweet", "town
    hall")."""
    lemma = token.lemma_.lower()
    if lemma not in MEDIUM_NOUNS:
        return False
    before = _MEDIUM_ONLY_AFTER.get(lemma)
    return before is None or any(c.lower_ == before for c in token.lefts)
