"""Speakers: which stored speakers a name given by a user means, and the list of them with
their aliases, roles and why each alias was merged."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, or_, select, union_all

from ..names import PRONOUNS, fold_name, fold_organisation, organisation_name, strip_titles
from ..store import Store
from ..store.schema import articles, reports, speaker_merges, speakers
from .results import SpeakerInfo

# A speaker's aliases and roles are read off this many of its reports (the oldest).
ALIAS_SAMPLE = 2000
# Speakers sampled in one query (SQLite takes at most 500 parts in one UNION).
SAMPLES_AT_ONCE = 100


def speaker_ids(conn, name: str) -> list[int]:
    """Speakers a user's name means: the name as stored ("Elena Lindqvist"), the name
    without its title or an organisation without its descriptor ("Mayor Lindqvist",
    "the Nordpress news agency"), a surname, or a part of a name.  A title narrows
    several people with one surname to those known by it."""
    titles, words = strip_titles(name.split())
    org = organisation_name(name)
    forms = {fold_name(name), fold_name(" ".join(words)), fold_name(org), fold_organisation(org)}
    forms -= {""}
    if not forms:
        return []
    full = {f for f in forms if len(f.split()) > 1}
    if full:  # a full name means that person only, when there is one
        exact = list(conn.execute(select(speakers.c.id).where(speakers.c.norm.in_(full))).scalars())
        if exact:
            return exact
    found = list(
        conn.execute(
            select(speakers.c.id).where(
                or_(
                    speakers.c.norm.in_(forms),
                    speakers.c.surname.in_(forms),
                    *(speakers.c.norm.like(f"%{_escape(f)}%", escape="\\") for f in forms),
                )
            )
        ).scalars()
    )
    if titles and len(found) > 1:
        wanted = {fold_name(t) for t in titles}
        roles = conn.execute(
            select(reports.c.speaker_id, reports.c.speaker_role)
            .where(reports.c.speaker_id.in_(found), reports.c.speaker_role.is_not(None))
            .distinct()
        )
        titled = {r.speaker_id for r in roles if wanted & set(fold_name(r.speaker_role).split())}
        if titled:
            return sorted(titled)
    return found


def speaker_count(all_kinds: bool):
    """The column counting a speaker's statements of every kind, or of the kinds shown by
    default (records.DEFAULT_CATEGORIES)."""
    return speakers.c.statements if all_kinds else speakers.c.default_statements


def _escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_speakers(
    store: Store,
    query: str | None = None,
    limit: int = 50,
    why: bool = False,
    all_kinds: bool = False,
) -> list[SpeakerInfo]:
    """Canonical speakers (matching ``query`` if given), most statements first: three
    queries however many speakers (the speakers, their names and roles, the reasons).
    Their statements counted of the kinds shown by default (speech and belief), or of
    every kind (``all_kinds``); a speaker with none of the first is still listed (with
    0, last), so that no speaker disappears from the list unsaid."""
    count = speaker_count(all_kinds)
    with store.engine.connect() as conn:
        q = select(speakers, count.label("shown")).order_by(count.desc(), speakers.c.name)
        if query:
            ids = speaker_ids(conn, query)
            if not ids:
                return []
            q = q.where(speakers.c.id.in_(ids))
        rows = conn.execute(q.limit(limit)).all()
        ids = [r.id for r in rows]
        seen = _names_and_roles(conn, ids)
        reasons = _reasons(conn, ids) if why else {}
    out = []
    for r in rows:
        aliases: Counter = Counter()
        roles: Counter = Counter()
        for text, name, role, n in seen.get(r.id, ()):
            for alias in (text, name):
                if is_alias(alias):
                    aliases[alias] += n
            if role:
                roles[role] += n
        out.append(
            SpeakerInfo(
                id=r.id,
                name=r.name,
                kind=r.kind,
                statements=r.shown,
                aliases=ranked(aliases),
                roles=ranked(roles),
                why=reasons.get(r.id, []),
            )
        )
    return out


def _names_and_roles(conn, ids: list[int]) -> dict[int, list[tuple]]:
    """(text, name, role, how many reports) as the oldest ALIAS_SAMPLE reports of each
    speaker name it, counted in the database: one query for up to SAMPLES_AT_ONCE
    speakers.  Oldest in the order of the (speaker, date) index, which each engine walks
    without sorting: undated reports come first on SQLite, last on PostgreSQL."""
    found: dict[int, list[tuple]] = {}
    for at in range(0, len(ids), SAMPLES_AT_ONCE):
        sample = [
            select(
                reports.c.speaker_id,
                reports.c.speaker_text,
                reports.c.speaker_name,
                reports.c.speaker_role,
            )
            .where(reports.c.speaker_id == i)
            .order_by(reports.c.published, reports.c.id)
            .limit(ALIAS_SAMPLE)
            .subquery()
            .select()
            for i in ids[at : at + SAMPLES_AT_ONCE]
        ]
        each = union_all(*sample).subquery() if len(sample) > 1 else sample[0].subquery()
        for sid, text, name, role, n in conn.execute(select(each, func.count()).group_by(*each.c)):
            found.setdefault(sid, []).append((text, name, role, n))
    return found


def _reasons(conn, ids: list[int]) -> dict[int, list[dict]]:
    """Why each alias joined its speaker, for all the speakers at once, in the order
    the merges were made."""
    if not ids:
        return {}
    found: dict[int, list[dict]] = {}
    for m in conn.execute(
        select(
            speaker_merges.c.speaker_id,
            speaker_merges.c.alias,
            speaker_merges.c.reason,
            speaker_merges.c.article_id,
            articles.c.title,
            articles.c.url,
            articles.c.source,
        )
        .outerjoin(articles, articles.c.id == speaker_merges.c.article_id)
        .where(speaker_merges.c.speaker_id.in_(ids))
        .order_by(speaker_merges.c.id)
    ):
        found.setdefault(m.speaker_id, []).append(
            {
                "alias": m.alias,
                "reason": m.reason,
                "article": m.title or m.url or m.source,
                "article_id": m.article_id,
            }
        )
    return found


def is_alias(a: str | None) -> bool:
    """A name worth listing among a speaker's aliases (not "he" or "they")."""
    return bool(a) and a.lower() not in PRONOUNS


def ranked(counts: Counter) -> list[str]:
    """Most counted first, ties alphabetically."""
    return sorted(counts, key=lambda v: (-counts[v], v))
