"""Canonical speakers across articles, and why each alias belongs to its speaker.

Within one article, enrichment already resolved "he", "Kadyrov" and "the Chechen
leader" to the name the article gives ("Ramzan Kadyrov").  Across articles:

* the same full name (folded: case, accents, punctuation, middle initials) is one person;
* a bare surname ("Kadyrov", when an article never gives the full name) joins a known
  person with that surname only on evidence: the article names that person in full
  elsewhere, or it gives the speaker a role that person is known by; two people with
  one surname and no such evidence stay apart;
* organisations merge on their folded name ("TASS news agency" and "TASS").

Every alias that joins a speaker other than by its plain name records the reason and the
article (``onrecord speakers NAME --why``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..enrich.mentions import organisation_name, strip_titles
from ..records import Speaker
from .schema import reports, speaker_merges, speakers

_NON_WORD = re.compile(r"[^\w\s-]+", re.UNICODE)


def fold(text: str) -> str:
    """A name or role as matching compares it: no case, accents, punctuation or
    middle initials ("Vladimir V. Putin" = "vladimir putin")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("’", "'").replace("'s ", " ")
    words = _NON_WORD.sub(" ", text).split()
    if len(words) > 2:
        words = [words[0], *[w for w in words[1:-1] if len(w) > 1], words[-1]]
    return " ".join(words)


def fold_person(name: str) -> str:
    _, words = strip_titles(name.split())
    return fold(" ".join(words))


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


PRONOUNS = frozenset("he she they it who which that i we you him her them".split())


def _within_article(speaker: Speaker, norm: str) -> str | None:
    """Why a mention that is not the name itself ("Kadyrov", "the Chechen leader") is
    this speaker; None for the name as written or a pronoun (nothing to explain)."""
    text = speaker.text
    if not text or text.lower() in PRONOUNS or norm in fold_person(text):
        return None
    return f"'{text}' refers to {speaker.name} in the same article"


@dataclass(frozen=True)
class Resolution:
    speaker_id: int
    reason: str | None  # why this alias joined (None: nothing new to explain)


class SpeakerBook:
    """Finds or creates the canonical speaker of each report, inside one transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- lookups --------------------------------------------------------------------

    def _by_norm(self, norm: str, kind: str) -> int | None:
        return self.conn.execute(
            select(speakers.c.id).where(speakers.c.norm == norm, speakers.c.kind == kind)
        ).scalar()

    def _people_with_surname(self, surname: str) -> list[tuple[int, str, str]]:
        rows = self.conn.execute(
            select(speakers.c.id, speakers.c.name, speakers.c.norm).where(
                speakers.c.surname == surname, speakers.c.kind == "person"
            )
        ).all()
        return [(r.id, r.name, r.norm) for r in rows if len(r.norm.split()) > 1]

    def _roles(self, speaker_id: int) -> set[str]:
        rows = self.conn.execute(
            select(reports.c.speaker_role)
            .where(reports.c.speaker_id == speaker_id, reports.c.speaker_role.is_not(None))
            .distinct()
        )
        return {fold(r.speaker_role) for r in rows}

    # -- resolution -----------------------------------------------------------------

    def resolve(self, speaker: Speaker, people: list[str]) -> Resolution | None:
        """The canonical speaker for a report's speaker; None when it has no name."""
        if not speaker.name:
            return None
        if speaker.kind == "organization":
            return self._organisation(speaker)
        if speaker.kind in ("group",):
            return self._named("group", speaker.name, fold(speaker.name))
        norm = fold_person(speaker.name)
        if not norm:
            return None
        words = norm.split()
        if len(words) > 1:
            found = self._by_norm(norm, "person")
            if found is not None:
                return Resolution(found, _within_article(speaker, norm))
            return self._new_person(speaker, norm)
        return self._surname(speaker, words[0], people)

    def _named(self, kind: str, name: str, norm: str) -> Resolution:
        found = self._by_norm(norm, kind)
        if found is not None:
            return Resolution(found, None)
        return Resolution(self._create(name, norm, kind), None)

    def _organisation(self, speaker: Speaker) -> Resolution:
        name = organisation_name(speaker.name)
        norm = fold(name)
        found = self._by_norm(norm, "organization")
        if found is not None:
            reason = None
            if fold(speaker.name) != norm or (speaker.text and fold(speaker.text) != norm):
                reason = f"'{speaker.text or speaker.name}' names the organisation {name}"
            return Resolution(found, reason)
        return Resolution(self._create(name, norm, "organization"), None)

    def _new_person(self, speaker: Speaker, norm: str) -> Resolution:
        speaker_id = self._create(speaker.name or "", norm, "person")
        return Resolution(speaker_id, _within_article(speaker, norm))

    def _surname(self, speaker: Speaker, surname: str, people: list[str]) -> Resolution:
        """A bare surname: a known person only on evidence."""
        candidates = self._people_with_surname(surname)
        named_in_article = {fold_person(p) for p in people}
        role = fold(speaker.role) if speaker.role else None
        supported = []
        for speaker_id, name, norm in candidates:
            if norm in named_in_article:
                reason = f"surname of {name}, whom the same article names"
            elif role and role in self._roles(speaker_id):
                reason = f"surname of {name}, with {name}'s role '{speaker.role}'"
            else:
                continue
            supported.append((speaker_id, reason))
        if len(supported) == 1:
            speaker_id, reason = supported[0]
            return Resolution(speaker_id, f"'{speaker.text or speaker.name}': {reason}")
        return self._named("person", speaker.name, surname)

    def _create(self, name: str, norm: str, kind: str) -> int:
        return self.conn.execute(
            speakers.insert().values(
                name=name,
                norm=norm,
                surname=norm.split()[-1] if norm else "",
                kind=kind,
                statements=0,
            )
        ).inserted_primary_key[0]

    # -- bookkeeping ----------------------------------------------------------------

    def explain(self, speaker_id: int, alias: str, reason: str, article_id: int) -> None:
        """Keep why an alias joined a speaker (``onrecord speakers NAME --why``)."""
        self.conn.execute(
            speaker_merges.insert().values(
                speaker_id=speaker_id,
                alias=alias,
                reason=reason,
                article_id=article_id,
                created_at=now(),
            )
        )
