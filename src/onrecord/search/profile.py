"""A speaker's profile: statements per month, the outlets that carry them, the words that
say what they talk about (against the whole database), recent statements, and why each
alias was merged.  Statements of the kinds shown by default (speech and belief), or of
every kind."""

from __future__ import annotations

import math
import re
import time
from collections import Counter

from sqlalchemy import func, select, true

from ..records import DEFAULT_CATEGORIES
from ..store import Store
from ..store.schema import reports, speaker_merges, speakers, statements
from .results import MonthCount, OutletCount, SpeakerProfile, TermCount
from .speakers import is_alias, speaker_count

# Words that say nothing of what a speaker talks about: English function words, the
# words that report speech, contractions, and everyday adverbs and time words.
STOPWORDS = frozenset(
    """a about above across after afterwards again against all almost alone along already
    also although always am among amongst an and another any anybody anyhow anyone
    anything anyway anywhere are aren't around as at back be became because become
    becomes been before beforehand behind being below beside besides between beyond both
    but by can cannot can't could couldn't did didn't do does doesn't doing done don't
    down due during each either else elsewhere enough even ever every everybody everyone
    everything everywhere except few first for former formerly from further had hadn't
    has hasn't have haven't having he he'd he'll he's hence her here hereafter hereby
    herein here's hers herself him himself his how however i i'd if i'll i'm in indeed
    instead into is isn't it its it's itself i've just last latter least less let let's
    lot lots made make makes many may maybe me meanwhile might mine more moreover most
    mostly much must my myself namely neither never nevertheless next no nobody none
    noone nor not nothing now nowhere of off often on once one only onto or other others
    otherwise our ours ourselves out over own part per perhaps please put quite rather
    really said same say saying says see seem seemed seeming seems several she she'd
    she'll she's should shouldn't show since so some somehow someone something sometime
    sometimes somewhere soon still such take than that that's the their theirs them
    themselves then thence there thereafter thereby therefore therein there's these they
    they'd they'll they're they've thing things this those though through throughout thru
    thus to together too told toward towards under unless until up upon us used very via
    was wasn't we we'd well we'll went we're were weren't we've what whatever what's when
    whence whenever where whereafter whereas whereby wherein where's whereupon wherever
    whether which while whither who whoever whole whom who's whose why will with within
    without won't would wouldn't yet you you'd you'll your you're yours yourself
    yourselves you've
    add added adding adds announce announced ask asked asking asks claim claimed
    comment commented explain explained insist insisted note noted reply replied report
    reported state stated statement suggest suggested tell telling tells warn warned
    according
    ago today tonight yesterday tomorrow day days week weeks month months year years
    time times later earlier recently currently going get got go goes want wants think
    know need needs like two three mr mrs ms""".split()
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
# The database's word frequencies come from a sample of this many statements, read in
# a few windows spread over the table (by id, so each window is one index range) and
# kept for a while: a page view never reads the whole database.
BACKGROUND_SAMPLE = 5000
BACKGROUND_WINDOWS = 10
BACKGROUND_TTL_S = 600.0
_backgrounds: dict[str, tuple[float, int, Counter]] = {}


def words_of(text: str) -> set[str]:
    """The distinct words of a text worth counting as terms, lower-cased."""
    found = (m.group(0).lower().strip("'’-") for m in _WORD.finditer(text))
    return {w.replace("’", "'") for w in found if len(w) > 2} - STOPWORDS


def background_frequencies(store: Store, conn) -> tuple[int, Counter]:
    """(statements sampled, in how many of them each word occurs), cached per database."""
    now = time.monotonic()
    cached = _backgrounds.get(store.url)
    if cached is not None and now - cached[0] < BACKGROUND_TTL_S:
        return cached[1], cached[2]
    sampled = _sample_contents(conn, BACKGROUND_SAMPLE, BACKGROUND_WINDOWS)
    frequencies = Counter(w for content in sampled for w in words_of(content))
    if len(_backgrounds) > 16:  # a process serves one database; tests open many
        _backgrounds.clear()
    _backgrounds[store.url] = (now, len(sampled), frequencies)
    return len(sampled), frequencies


def _sample_contents(conn, size: int, windows: int) -> list[str]:
    low, high = conn.execute(select(func.min(statements.c.id), func.max(statements.c.id))).one()
    if low is None:
        return []
    per_window = max(1, size // windows)
    if high - low + 1 <= size:
        starts = [low]
        per_window = size
    else:
        stride = (high - low + 1 - per_window) / max(1, windows - 1)
        starts = [low + round(i * stride) for i in range(windows)]
    out: list[str] = []
    for start in starts:
        out.extend(
            conn.execute(
                select(statements.c.content)
                .where(statements.c.id >= start)
                .order_by(statements.c.id)
                .limit(per_window)
            ).scalars()
        )
    return out


def top_terms(
    contents: list[str], sampled: int, frequencies: Counter, n: int = 20
) -> list[tuple[str, int]]:
    """A speaker's most telling words: (word, how many of their statements use it),
    ranked by that count weighted by how rare the word is in the whole database
    (tf-idf), so that what everyone says ranks below what this speaker says."""
    uses = Counter(w for content in contents for w in words_of(content))

    def weight(word: str) -> float:
        return uses[word] * (math.log((sampled + 1) / (frequencies[word] + 1)) + 1)

    ranked = sorted(uses, key=lambda w: (-weight(w), w))
    return [(w, uses[w]) for w in ranked[:n]]


def speaker_profile(
    store: Store, speaker_id: int, recent: int = 20, all_kinds: bool = False
) -> SpeakerProfile | None:
    """One speaker's profile, of their statements of the kinds shown by default or of
    every kind (``all_kinds``)."""
    # The kinds, as a condition on a report (every kind: none).
    kinds = true() if all_kinds else reports.c.cue_category.in_(sorted(DEFAULT_CATEGORIES))
    with store.engine.connect() as conn:
        sp = conn.execute(
            select(speakers, speaker_count(all_kinds).label("shown")).where(
                speakers.c.id == speaker_id
            )
        ).first()
        if sp is None:
            return None
        timeline = _timeline(conn, speaker_id, kinds)
        outlets = _outlets(conn, speaker_id, kinds)
        rows = conn.execute(
            select(
                reports.c.statement_id,
                reports.c.content,
                reports.c.speaker_text,
                reports.c.speaker_name,
                reports.c.speaker_role,
                reports.c.published,
                reports.c.outlet,
                reports.c.type,
            )
            .where(reports.c.speaker_id == speaker_id, kinds)
            .order_by(
                reports.c.published.is_(None), reports.c.published.desc(), reports.c.id.desc()
            )
            .limit(2000)
        ).all()
        why = [
            {"alias": m.alias, "reason": m.reason, "article_id": m.article_id}
            for m in conn.execute(
                select(speaker_merges).where(speaker_merges.c.speaker_id == speaker_id)
            )
        ]
        sampled, frequencies = background_frequencies(store, conn)
    aliases = Counter(a for r in rows for a in {r.speaker_text, r.speaker_name} if is_alias(a))
    roles = Counter(r.speaker_role for r in rows if r.speaker_role)
    contents = list({r.statement_id: r.content for r in rows}.values())  # each once
    return SpeakerProfile(
        id=sp.id,
        name=sp.name,
        kind=sp.kind,
        statements=sp.shown,
        other_kinds=sp.statements - sp.shown,
        aliases=[a for a, _ in aliases.most_common(20)],
        roles=[r for r, _ in roles.most_common(10)],
        timeline=timeline,
        terms=[TermCount(t, n) for t, n in top_terms(contents, sampled, frequencies)],
        outlets=outlets,
        why=why,
        recent=_latest(rows, recent),
    )


def _timeline(conn, speaker_id: int, kinds) -> list[MonthCount]:
    month = func.substr(reports.c.published, 1, 7)
    return [
        MonthCount(m, n)
        for m, n in conn.execute(
            select(month, func.count())
            .where(reports.c.speaker_id == speaker_id, reports.c.published.is_not(None), kinds)
            .group_by(month)
            .order_by(month)
        )
    ]


def _outlets(conn, speaker_id: int, kinds) -> list[OutletCount]:
    return [
        OutletCount(o, n)
        for o, n in conn.execute(
            select(reports.c.outlet, func.count())
            .where(reports.c.speaker_id == speaker_id, reports.c.outlet.is_not(None), kinds)
            .group_by(reports.c.outlet)
            .order_by(func.count().desc(), reports.c.outlet)
            .limit(15)
        )
    ]


def _latest(rows, most: int) -> list[dict]:
    """The newest statements among ``rows`` (newest first), each once."""
    seen: set[int] = set()
    latest = []
    for r in rows:
        if r.statement_id in seen:
            continue
        seen.add(r.statement_id)
        latest.append(
            {
                "statement_id": r.statement_id,
                "content": r.content,
                "date": r.published,
                "outlet": r.outlet,
                "type": r.type,
            }
        )
        if len(latest) >= most:
            break
    return latest
