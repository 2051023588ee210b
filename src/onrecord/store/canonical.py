"""Canonical speakers across articles, and why each alias belongs to its speaker.

Within one article, enrichment already resolved "he", "Kadyrov" and "the Chechen
leader" to the name the article gives ("Ramzan Kadyrov").  Across articles:

* the same full name (folded: case, accents, punctuation, middle initials) is one person;
* a bare surname ("Kadyrov", when enrichment left it unresolved) joins a person only on
  evidence: the article names exactly one person with that surname in full, or it gives
  the speaker a role that exactly one known person with that surname was given (in other
  words too: "opposition leader" is "leader of the opposition", "Mayor" is "mayor of
  Port Halden"); two people with one surname and no such evidence stay apart, and the
  surname stays a speaker of its own;
* a bare surname the tagger took for an organisation ("Reyes said", in an article that
  names Sofia Reyes) is the person the article names;
* the same evidence works backwards: a bare surname stored before any article named
  the person in full ("Chief Medical Officer Varga") joins the person when an article
  first names them with that role ("Anna Varga, the chief medical officer"), unless
  another known person with that surname had the role too;
* organisations merge on their folded name ("TASS news agency" and "TASS");
* a mention joins the name enrichment resolved it to only when it is that name, part of
  it, or words that refer back ("the company", "the Chechen leader"): a mention that
  gives another name ("the Afghan government" resolved to the Afghan Taliban, "Schiff"
  to the witness he questioned) is a speaker by its own name, since ``--why`` would
  have to justify the merge with a different name;
* a "person" named like a company ("Dick Clark Productions") is an organisation, and
  "the company" in its article is that company when enrichment, which took it for a
  person, resolved the words to an organisation not named as one.

Every alias that joins a speaker other than by its plain name records the reason and the
article (``onrecord speakers NAME --why``).  How names fold and roles compare is
:mod:`onrecord.names`; this module keeps the evidence and the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import NamedTuple

from sqlalchemy import delete, or_, select
from sqlalchemy.engine import Connection

from ..names import (
    COMPANY_NOUNS,
    GENERATIONS,
    PRONOUNS,
    clean_name,
    fold_name,
    fold_organisation,
    fold_person,
    is_company,
    organisation_name,
    own_name,
    refers_back,
    same_role,
    surname_of,
)
from ..records import ArticleResult, Speaker
from .schema import reports, speaker_merges, speakers, statements


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def alias_of(speaker: Speaker) -> str:
    """The words a merge explains: the mention as written, its name for a pronoun."""
    return stored_alias(speaker.text, speaker.name)


def stored_alias(text: str | None, name: str | None) -> str:
    """:func:`alias_of` for a mention stored as text and name (a report's row)."""
    if text and text.lower() not in PRONOUNS:
        return text
    return name or text or ""


def _within_article(speaker: Speaker, norm: str) -> str | None:
    """Why a mention that is not the name itself ("Kadyrov", "the Chechen leader") is
    this speaker; None for the name as written or a pronoun (nothing to explain)."""
    text = speaker.text
    if not text or text.lower() in PRONOUNS or norm in fold_person(text):
        return None
    return f"'{text}' refers to {speaker.name} in the same article"


def as_named(speaker: Speaker) -> Speaker:
    """The speaker with the name its mention gives, where that is another than the one
    enrichment resolved it to ("the Afghan government" said, resolved to the Afghan
    Taliban, is the Afghan government): a merge that ``--why`` could only justify with
    a different name is not made.  A "person" named like a company ("Dick Clark
    Productions") is an organisation."""
    own = own_name(speaker.text, speaker.name, speaker.kind)
    if own is not None:
        speaker = replace(speaker, name=own)
    if speaker.kind == "person" and is_company(speaker.name):
        speaker = replace(speaker, kind="organization")
    return speaker


def _the_company(speaker: Speaker, people: list[str]) -> str | None:
    """The company "the company" means when enrichment resolved it to an organisation
    not named as one (the American Music Awards) while the article names exactly one
    company that the entity recogniser took for a person ("Dick Clark Productions"),
    which enrichment therefore never considered."""
    if speaker.kind != "organization" or not refers_back(speaker.text) or is_company(speaker.name):
        return None
    if not COMPANY_NOUNS & set(fold_name(speaker.text or "").split()):
        return None
    companies = {fold_organisation(p): p for p in people if is_company(p)}
    if len(companies) != 1:
        return None
    (company,) = companies.values()
    return company


def _names_the(organisation: str) -> Callable[[str], str]:
    return lambda alias: f"'{alias}' names the organisation {organisation}"


@dataclass(frozen=True)
class Resolution:
    speaker_id: int
    reason: str | None  # why this alias joined (None: nothing new to explain)
    # The report's speaker as the store takes it (see as_named): its name and kind are
    # what the report's row keeps, so that a speaker's aliases never list the name
    # enrichment gave and the store refused.
    speaker: Speaker | None = None


class SpeakerBook:
    """Finds or creates the canonical speaker of each report of one article, inside one
    transaction; the reasons for merges are written together by :meth:`write_merges`."""

    def __init__(self, conn: Connection, article_id: int) -> None:
        self.conn = conn
        self.article_id = article_id
        self.merges: list[dict] = []
        # (norm, kind) -> speaker id, as looked up or created while storing the article.
        self.known: dict[tuple[str, str], int | None] = {}
        # Speakers whose reports moved to another (their counts need refreshing).
        self.touched: set[int] = set()
        # Surname -> {speaker id: name} of the people a surname of this article joined
        # by their role: the article's other bare mentions of that surname follow them.
        self.surnames: dict[str, dict[int, str]] = {}

    # -- lookups --------------------------------------------------------------------

    def _by_norm(self, norm: str, kind: str) -> int | None:
        if (norm, kind) not in self.known:
            self.known[norm, kind] = self.conn.execute(
                select(speakers.c.id).where(speakers.c.norm == norm, speakers.c.kind == kind)
            ).scalar()
        return self.known[norm, kind]

    def _people_with_surname(self, surname: str) -> list[tuple[int, str, str]]:
        # A database written before surnames skipped generational suffixes keeps "jr"
        # as the surname of "James P. Kennedy Jr.": those rows are read again here.
        rows = self.conn.execute(
            select(speakers.c.id, speakers.c.name, speakers.c.norm).where(
                or_(speakers.c.surname == surname, speakers.c.surname.in_(sorted(GENERATIONS))),
                speakers.c.kind == "person",
            )
        ).all()
        return [
            (r.id, r.name, r.norm)
            for r in rows
            if len(r.norm.split()) > 1 and surname_of(r.norm) == surname
        ]

    def _roles(self, speaker_id: int) -> set[str]:
        rows = self.conn.execute(
            select(reports.c.speaker_role)
            .where(reports.c.speaker_id == speaker_id, reports.c.speaker_role.is_not(None))
            .distinct()
        )
        return {r.speaker_role for r in rows}

    # -- resolution -----------------------------------------------------------------

    def resolve(self, speaker: Speaker, people: list[str]) -> Resolution | None:
        """The canonical speaker for a report's speaker; None when it has no name."""
        if not speaker.name:
            return None
        taken = as_named(speaker)
        company = _the_company(taken, people)
        if company is not None:
            taken = replace(taken, name=company)
            found = self._organisation(taken).speaker_id
            reason = f"'{alias_of(taken)}': {company}, the one company the same article names"
            return Resolution(found, reason, taken)
        resolution = self._resolve(taken, people)
        return replace(resolution, speaker=taken) if resolution is not None else None

    def _resolve(self, speaker: Speaker, people: list[str]) -> Resolution | None:
        if speaker.kind == "organization":
            surname = self._surname_as_organisation(speaker, people)
            if surname is None:
                return self._organisation(speaker)
            return self._surname(speaker, surname, people)
        if speaker.kind in ("group",):
            return self._named("group", speaker.name, fold_name(speaker.name))
        norm = fold_person(speaker.name)
        if not norm:
            return None
        words = norm.split()
        if len(words) > 1:
            found = self._by_norm(norm, "person")
            if found is not None:
                return Resolution(found, _within_article(speaker, norm))
            return self._company_as_person(speaker) or self._new_person(speaker, norm)
        return self._surname(speaker, words[0], people)

    @staticmethod
    def _surname_as_organisation(speaker: Speaker, people: list[str]) -> str | None:
        """A one-word 'organisation' written as just that word ("Reyes said") that is the
        surname of someone the article names in full: the tagger's mistake, a person."""
        norm = fold_name(speaker.name or "")
        if len(norm.split()) != 1 or fold_name(speaker.text or "") != norm:
            return None
        named = (fold_person(p).split() for p in people)
        return norm if any(len(w) > 1 and surname_of(" ".join(w)) == norm for w in named) else None

    def _named(self, kind: str, name: str, norm: str) -> Resolution:
        found = self._by_norm(norm, kind)
        if found is not None:
            return Resolution(found, None)
        return Resolution(self._create(name, norm, kind), None)

    def _organisation(self, speaker: Speaker) -> Resolution:
        name = organisation_name(speaker.name)
        norm = fold_organisation(name)
        reason = None
        # "the Baltic News Agency" is just its name; "the Nordpress news agency" and
        # "the agency" are other words for one.
        if any(fold_organisation(clean_name(w)) != norm for w in (speaker.name, speaker.text) if w):
            reason = _names_the(name)(alias_of(speaker))
        found = self._by_norm(norm, "organization")
        if found is None:
            found = self._create(name, norm, "organization")
            # The same name stored as a person: the tagger's mistake in that article.
            person = self._by_norm(norm, "person") if len(norm.split()) > 1 else None
            if person is not None:
                self._move(person, found, (norm, "person"), _names_the(name))
        return Resolution(found, reason)

    def _company_as_person(self, speaker: Speaker) -> Resolution | None:
        """A 'person' whose whole name is a stored organisation's ("Lumen Pay", after
        "Lumen Pay Ltd"): the entity recogniser often takes a company for a person."""
        norm = fold_organisation(organisation_name(speaker.name or ""))
        found = self._by_norm(norm, "organization") if len(norm.split()) > 1 else None
        if found is None:
            return None
        name = self.conn.execute(select(speakers.c.name).where(speakers.c.id == found)).scalar()
        return Resolution(found, _names_the(name)(alias_of(speaker)))

    def _new_person(self, speaker: Speaker, norm: str) -> Resolution:
        speaker_id = self._create(speaker.name or "", norm, "person")
        self._absorb_surname(speaker_id, speaker, norm)
        return Resolution(speaker_id, _within_article(speaker, norm))

    def _absorb_surname(self, speaker_id: int, speaker: Speaker, norm: str) -> None:
        """A bare surname stored earlier joins the person first named in full now, on
        the evidence a surname needs the other way round: a role of the surname's that
        this person has here, and no other known person with that surname and role."""
        surname = surname_of(norm)
        old = self._by_norm(surname, "person") if speaker.role else None
        if old is None:
            return
        roles = sorted(r for r in self._roles(old) if same_role(speaker.role, r))
        if not roles:
            return
        for other, _name, _norm in self._people_with_surname(surname):
            if other != speaker_id and any(
                same_role(r, k) for r in roles for k in self._roles(other)
            ):
                return
        name = speaker.name
        how = f"'{speaker.role}'"
        if fold_name(roles[0]) != fold_name(speaker.role or ""):
            how += f" (there '{roles[0]}')"
        self._move(
            old,
            speaker_id,
            (surname, "person"),
            lambda alias: (
                f"'{alias}': surname of {name}, whom a later article named with the role {how}"
            ),
        )

    def _move(self, old: int, new: int, key: tuple[str, str], reason: Callable[[str], str]):
        """Every report of speaker ``old`` goes to ``new`` (``old`` is removed when the
        article is stored), with ``reason(alias)`` kept per alias and article."""
        moved = self.conn.execute(
            select(reports.c.speaker_text, reports.c.speaker_name, reports.c.article_id)
            .where(reports.c.speaker_id == old)
            .distinct()
        ).all()
        for table in (reports, statements, speaker_merges):
            self.conn.execute(
                table.update().where(table.c.speaker_id == old).values(speaker_id=new)
            )
        explained = set()
        for row in sorted(moved, key=lambda r: (r.article_id, r.speaker_text or "")):
            said = stored_alias(row.speaker_text, row.speaker_name)
            if (said, row.article_id) in explained:
                continue
            explained.add((said, row.article_id))
            self.merges.append(
                {
                    "speaker_id": new,
                    "alias": said,
                    "reason": reason(said),
                    "article_id": row.article_id,
                    "created_at": now(),
                }
            )
        self.touched.add(old)
        self.known.pop(key, None)

    def _surname(self, speaker: Speaker, surname: str, people: list[str]) -> Resolution:
        """A bare surname: a person only on evidence (see the module's docstring)."""
        alias = alias_of(speaker)
        # Full names in the article with this surname.
        in_article: dict[str, str] = {}
        for p in people:
            norm = fold_person(p)
            if len(norm.split()) > 1 and surname_of(norm) == surname:
                in_article.setdefault(norm, p)
        if len(in_article) == 1:
            ((norm, name),) = in_article.items()
            speaker_id = self._by_norm(norm, "person") or self._create(name, norm, "person")
            reason = f"'{alias}': surname of {name}, whom the same article names"
            return Resolution(speaker_id, reason)
        candidates = self._people_with_surname(surname)
        if in_article:  # several people with that surname in the article: only they
            candidates = [c for c in candidates if c[2] in in_article]
        supported = []
        if speaker.role:
            for speaker_id, name, _norm in candidates:
                known = sorted(r for r in self._roles(speaker_id) if same_role(speaker.role, r))
                if known:
                    supported.append((speaker_id, name, known[0]))
        if len(supported) == 1:
            speaker_id, name, role = supported[0]
            how = f"'{role}'"
            if fold_name(role) != fold_name(speaker.role):
                how += f" (here '{speaker.role}')"
            self.surnames.setdefault(surname, {})[speaker_id] = name
            return Resolution(speaker_id, f"'{alias}': surname of {name}, with {name}'s role {how}")
        same = self.surnames.get(surname, {})
        if not in_article and len(same) == 1:
            # "Dr Varga" after "Chief Medical Officer Varga" joined Ines Varga by its role.
            ((speaker_id, name),) = same.items()
            return Resolution(
                speaker_id, f"'{alias}': surname of {name}, as elsewhere in the same article"
            )
        return self._named("person", speaker.name, surname)

    def _create(self, name: str, norm: str, kind: str) -> int:
        speaker_id = self.conn.execute(
            speakers.insert().values(
                name=name,
                norm=norm,
                surname=surname_of(norm),
                kind=kind,
                statements=0,
            )
        ).inserted_primary_key[0]
        self.known[norm, kind] = speaker_id
        return speaker_id

    # -- bookkeeping ----------------------------------------------------------------

    def explain(self, speaker_id: int, alias: str, reason: str) -> None:
        """Keep why an alias joined a speaker (``onrecord speakers NAME --why``)."""
        self.merges.append(
            {
                "speaker_id": speaker_id,
                "alias": alias,
                "reason": reason,
                "article_id": self.article_id,
                "created_at": now(),
            }
        )

    def write_merges(self) -> None:
        """Store the reasons kept by :meth:`explain`, all in one statement."""
        if self.merges:
            self.conn.execute(speaker_merges.insert(), self.merges)
            self.merges = []


class ArticleSpeakers(NamedTuple):
    """The speakers of an article's statements, as the store resolved them."""

    canonical: dict[str, int | None]  # statement id in the article -> speaker id
    taken: dict[str, Speaker]  # statement id -> its speaker as the store takes it
    touched: set[int]  # every speaker whose reports changed


def article_speakers(conn: Connection, result: ArticleResult, article_id: int) -> ArticleSpeakers:
    """The canonical speaker of every statement of the article (by its id in the
    article), with why each alias merged written down; and every speaker it touched."""
    book = SpeakerBook(conn, article_id)
    people = list(result.people)
    conn.execute(delete(speaker_merges).where(speaker_merges.c.article_id == article_id))

    # One canonical speaker per distinct mention in the article; bare surnames last,
    # since they may follow what a mention with a role resolved to.
    def mention_of(st) -> tuple:
        sp = st.speaker
        return (sp.text, sp.name, sp.kind, sp.role)

    def bare(speaker) -> bool:
        return not speaker.role and len((speaker.name or "").split()) == 1

    ids: set[str] = set()
    mentions: dict[tuple, object] = {}
    for st in result.statements:
        if not (st.continues and st.continues in ids):
            mentions.setdefault(mention_of(st), st.speaker)
        ids.add(st.id)
    resolved: dict[tuple, Resolution | None] = {}
    explained: set[tuple[int, str]] = set()
    for mention, sp in sorted(mentions.items(), key=lambda m: bare(m[1])):
        resolution = resolved[mention] = book.resolve(sp, people)
        if resolution is not None and resolution.reason:
            said = (resolution.speaker_id, alias_of(sp))
            if said not in explained:  # once per alias and article
                explained.add(said)
                book.explain(resolution.speaker_id, said[1], resolution.reason)
    canonical: dict[str, int | None] = {}
    taken: dict[str, Speaker] = {}
    for st in result.statements:
        of = st.continues if st.continues and st.continues in canonical else None
        resolution = resolved.get(mention_of(st)) if of is None else None
        if of:
            canonical[st.id] = canonical[of]
        else:
            canonical[st.id] = resolution.speaker_id if resolution else None
        # A follow-on quote has no mention of its own: it takes the name its lead took.
        named = taken[of] if of else (resolution and resolution.speaker) or st.speaker
        taken[st.id] = replace(st.speaker, name=named.name, kind=named.kind)
    book.write_merges()
    touched = {v for v in canonical.values() if v is not None} | book.touched
    return ArticleSpeakers(canonical, taken, touched)
