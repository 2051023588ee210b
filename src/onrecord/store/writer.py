"""Storing one extracted article: a single transaction, idempotent.

The article's key is its URL, or the hash of its text when it has none.  Storing an
article whose key is known replaces its reports (``updated``), unless what would be
stored is the same as what is (``unchanged``); a crash at any point leaves the article
as it was before, and running the batch again finishes it with no duplicates.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Literal, NamedTuple

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.engine import Connection

from .. import __version__
from ..names import surname_of
from ..records import DEFAULT_CATEGORIES, ArticleResult, Statement
from . import clusters, nesting
from .canonical import article_speakers, now
from .schema import (
    REPORT_FIELDS,
    articles,
    lsh_bands,
    reports,
    speaker_merges,
    speakers,
    statements,
)

Outcome = Literal["new", "updated", "unchanged"]
# Most values one IN (...) binds: SQLite allows 32766 parameters, PostgreSQL 65535.
LOOKUP_CHUNK = 500


class Added(NamedTuple):
    """What storing one article did."""

    outcome: Outcome
    statements: int  # reports stored (0 when unchanged)
    article_id: int


def article_key(result: ArticleResult) -> str:
    article = result.article
    if article.url:
        return article.url
    return "sha1:" + hashlib.sha1(article.text.encode("utf-8")).hexdigest()


def fingerprint(result: ArticleResult, record: dict | None = None) -> str:
    """What is stored for an article, in one hash: its text, metadata and statements
    and the detector that found them (a new onrecord that extracts differently makes the
    next ingest an update).  Not where it was read from: the same article on another
    line of a feed, or in a file that moved, is unchanged.  ``record`` is
    ``result.to_dict()`` when already made."""
    record = record if record is not None else result.to_dict()
    article = {k: v for k, v in record["article"].items() if k != "source"}
    payload = {"article": article, "statements": record["statements"], "v": __version__}
    if result.detector is not None:  # a result that names none keeps the hash it had
        payload["detector"] = result.detector
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def store_article(conn: Connection, result: ArticleResult) -> Added:
    """Store one article and its statements in the open transaction ``conn``."""
    article = result.article
    key = article_key(result)
    record = result.to_dict()
    fp = fingerprint(result, record)
    row = conn.execute(
        select(articles.c.id, articles.c.fingerprint).where(articles.c.key == key)
    ).first()
    if row is not None and row.fingerprint == fp:
        return Added("unchanged", 0, row.id)
    stamp = now()
    values = {
        "url": article.url,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published,
        "language": article.language,
        "source": article.source,
        "text": article.text,
        "fingerprint": fp,
        "people": json.dumps(list(result.people), ensure_ascii=False),
        "updated_at": stamp,
        "detector": result.detector,
    }
    touched_statements: set[int] = set()
    touched_speakers: set[int] = set()
    if row is not None:
        article_id = row.id
        old = conn.execute(
            select(reports.c.statement_id, reports.c.speaker_id).where(
                reports.c.article_id == article_id
            )
        ).all()
        touched_statements |= {r.statement_id for r in old}
        touched_speakers |= {r.speaker_id for r in old if r.speaker_id is not None}
        conn.execute(delete(reports).where(reports.c.article_id == article_id))
        conn.execute(articles.update().where(articles.c.id == article_id).values(**values))
        outcome: Outcome = "updated"
    else:
        article_id = conn.execute(
            articles.insert().values(key=key, ingested_at=stamp, **values)
        ).inserted_primary_key[0]
        outcome = "new"

    found = article_speakers(conn, result, article_id)
    canonical = found.canonical
    cluster_of = _statements_for(conn, result.statements, canonical, article_id)
    relays = nesting.real_relays(result.statements, nesting.known_outlets(conn, result))
    # A report's row keeps what the store made of its speaker and relay; its record
    # keeps what the extraction found.
    rows = [
        _report_row(
            replace(st, speaker=found.taken[st.id], relayed_by=relays[st.id]),
            article_id,
            cluster_of[st.id],
            canonical[st.id],
            article,
            as_dict,
        )
        for st, as_dict in zip(result.statements, record["statements"], strict=True)
    ]
    if rows:
        conn.execute(reports.insert(), rows)
    touched_statements |= set(cluster_of.values())
    touched_speakers |= found.touched
    _refresh_statements(conn, touched_statements)
    _recount_speakers(conn, touched_speakers)
    return Added(outcome, len(result.statements), article_id)


def _same_speaker(conn: Connection, a: int | None, b: int | None, names: dict) -> bool:
    """Whether two reports' speakers can have said the same thing: either is unknown,
    they are one speaker, or one is known only by the other's surname ("Karim" and
    "Ayesha Karim", kept apart by the speaker rules for lack of evidence)."""
    if a is None or b is None or a == b:
        return True
    for i in (a, b):
        if i not in names:
            names[i] = (
                conn.execute(select(speakers.c.norm).where(speakers.c.id == i)).scalar() or ""
            )
    na, nb = names[a].split(), names[b].split()
    if not na or not nb or (len(na) > 1 and len(nb) > 1):
        return False
    return surname_of(names[a]) == surname_of(names[b])


def _chunks(terms: list[tuple[int, list[int]]], limit: int) -> list[list]:
    """Band terms grouped so that no query binds more than ``limit`` hashes."""
    out: list[list] = [[]]
    size = 0
    for band, hashes in terms:
        if out[-1] and size + len(hashes) > limit:
            out.append([])
            size = 0
        out[-1].append((band, hashes))
        size += len(hashes)
    return [c for c in out if c]


def _report_row(
    st: Statement, article_id: int, statement_id: int, speaker_id, article, as_dict: dict
) -> dict:
    return {
        "article_id": article_id,
        "statement_id": statement_id,
        "key": st.id,
        "speaker_id": speaker_id,
        **{f.column: f.value(st) for f in REPORT_FIELDS},
        "outlet": article.outlet,
        "published": article.published,
        "record": json.dumps(as_dict, ensure_ascii=False),
    }


@dataclass
class _Candidates:
    """Stored statements that share an LSH band with an article's contents (and, as the
    article's reports are placed, the statements it creates)."""

    by_band: dict[tuple[int, int], set[int]] = field(default_factory=dict)
    bands_of: dict[int, set[tuple[int, int]]] = field(default_factory=dict)  # the other way
    norms: dict[int, tuple[str, int | None]] = field(default_factory=dict)  # norm, speaker
    names: dict[int, str] = field(default_factory=dict)  # speaker id -> folded name

    def add(self, statement_id: int, bands) -> None:
        for b in bands:
            self.by_band.setdefault(b, set()).add(statement_id)
        self.bands_of.setdefault(statement_id, set()).update(bands)


def _statements_for(
    conn: Connection,
    found: tuple[Statement, ...],
    canonical: dict[str, int | None],
    article_id: int,
) -> dict[str, int]:
    """The statement (cluster) of every report of an article, found or created.

    One query fetches every stored statement that shares an LSH band with any of the
    article's contents; candidates are then checked exactly (clusters.same_statement).
    """
    contents = [st.content_text or "" for st in found]
    norms = [clusters.fold_content(content) for content in contents]
    sigs = clusters.signatures(norms)
    prepared = []
    all_bands: set[tuple[int, int]] = set()
    for st, content, norm, sig in zip(found, contents, norms, sigs, strict=True):
        bands = set(clusters.band_hashes(sig))
        all_bands |= bands
        prepared.append((st, content, norm, sig, bands))
    known = _candidates(conn, all_bands)
    out: dict[str, int] = {}
    pending: list[tuple[int, tuple[int, int]]] = []  # LSH rows, written in one go
    new_rows: list[dict] = []
    apart = nesting.apart(found)
    norm_of = {st.id: norm for st, _content, norm, _sig, _bands in prepared}
    for st, content, norm, sig, bands in prepared:
        speaker_id = canonical[st.id]
        nested = apart.get(st.id, ())
        match = _match(
            conn,
            known,
            norm,
            speaker_id,
            bands,
            refused={out[k] for k in nested if k in out},
            rivals=[(norm_of[k], canonical[k]) for k in nested],
        )
        if match is not None:
            old_norm, old_speaker = known.norms[match]
            if old_speaker is None and speaker_id is not None:
                old_speaker = speaker_id  # stored by _refresh_statements
            if len(norm) > len(old_norm):
                # A fuller version: index its bands too, so that later reports that
                # share words only with the part the first one lacked still find it.
                # (Content, norm and signature follow in _refresh_statements.)
                new_bands = bands - known.bands_of.setdefault(match, set())
                pending.extend((match, b) for b in new_bands)
                known.add(match, new_bands)
                old_norm = norm
            known.norms[match] = (old_norm, old_speaker)
            out[st.id] = match
            continue
        # A new statement, under a provisional id until all are inserted at once.
        statement_id = -1 - len(new_rows)
        new_rows.append(
            {
                "speaker_id": speaker_id,
                "content": content,
                "norm": norm,
                "type": st.type,
                "signature": clusters.to_bytes(sig),
                "first_article_id": article_id,
                "reports": 0,
                "outlets": 0,
            }
        )
        pending.extend((statement_id, b) for b in bands)
        # Later reports of the same article may repeat the quote.
        known.norms[statement_id] = (norm, speaker_id)
        known.add(statement_id, bands)
        out[st.id] = statement_id
    return _insert_statements(conn, new_rows, out, pending)


def _candidates(conn: Connection, all_bands: set[tuple[int, int]]) -> _Candidates:
    """The stored statements sharing any of ``all_bands``, with their folded contents and
    their speakers' folded names."""
    known = _Candidates()
    # One term per band, "band = ? AND hash IN (...)", so that both engines use the
    # (band, hash) index; a row-value IN list makes SQLite scan the whole table.
    per_band: dict[int, list[int]] = {}
    for band, hsh in sorted(all_bands):
        per_band.setdefault(band, []).append(hsh)
    terms = [
        (band, hashes[i : i + LOOKUP_CHUNK])
        for band, hashes in per_band.items()
        for i in range(0, len(hashes), LOOKUP_CHUNK)
    ]
    # Straight to the driver: compiling thousands of bound values through SQLAlchemy
    # costs more than the query itself.  Only integers are bound.
    mark = _mark(conn)
    for chunk in _chunks(terms, LOOKUP_CHUNK):
        values: list[int] = []
        clauses = []
        for band, hashes in chunk:
            clauses.append(f"(band = {mark} AND hash IN ({', '.join([mark] * len(hashes))}))")
            values.append(band)
            values.extend(hashes)
        sql = "SELECT band, hash, statement_id FROM lsh_bands WHERE " + " OR ".join(clauses)
        for b, hsh, statement_id in conn.exec_driver_sql(sql, tuple(values)):
            known.add(statement_id, [(b, hsh)])
    ids = sorted(known.bands_of)
    for i in range(0, len(ids), LOOKUP_CHUNK):
        # With its speaker's folded name, which _same_speaker compares.
        for sid, norm, speaker_id, speaker_norm in conn.execute(
            select(statements.c.id, statements.c.norm, statements.c.speaker_id, speakers.c.norm)
            .select_from(statements.outerjoin(speakers, speakers.c.id == statements.c.speaker_id))
            .where(statements.c.id.in_(ids[i : i + LOOKUP_CHUNK]))
        ):
            known.norms[sid] = (norm, speaker_id)
            if speaker_id is not None:
                known.names[speaker_id] = speaker_norm or ""
    return known


def _match(
    conn: Connection,
    known: _Candidates,
    norm: str,
    speaker_id: int | None,
    bands,
    refused: set[int],
    rivals: list[tuple[str, int | None]],
) -> int | None:
    """The candidate most like the report (the first by id of two as alike) among those
    that are the same statement from the same speaker.  Not one in ``refused`` (it holds
    a report nested with this one), nor one that a rival (a report of the same article
    nested with this one: its norm and speaker) is more like: "the witness said he was
    asked whether X" is no report of the question X when the article has X as well."""
    best: tuple[float, int] | None = None
    for cid in sorted({i for b in bands for i in known.by_band.get(b, ())} - refused):
        score = _likeness(conn, known, cid, norm, speaker_id)
        if score is None or (best is not None and score <= best[0]):
            continue
        if any((_likeness(conn, known, cid, *rival) or 0.0) > score for rival in rivals):
            continue
        best = (score, cid)
    return best[1] if best is not None else None


def _likeness(
    conn: Connection, known: _Candidates, cid: int, norm: str, speaker_id: int | None
) -> float | None:
    """How alike a content is to candidate ``cid`` (clusters.likeness); None when they
    are not the same statement from the same speaker."""
    other_norm, other_speaker = known.norms[cid]
    if not _same_speaker(conn, speaker_id, other_speaker, known.names):
        return None
    if not clusters.same_statement(norm, other_norm):
        return None
    return clusters.likeness(norm, other_norm)


def _insert_statements(
    conn: Connection,
    new_rows: list[dict],
    out: dict[str, int],
    pending: list[tuple[int, tuple[int, int]]],
) -> dict[str, int]:
    """Insert the new statements and every pending LSH row; ``out`` with the provisional
    (negative) statement ids replaced by the real ones."""
    if new_rows:
        inserted = (
            conn.execute(
                statements.insert().returning(statements.c.id, sort_by_parameter_order=True),
                new_rows,
            )
            .scalars()
            .all()
        )
        real = {-1 - k: statement_id for k, statement_id in enumerate(inserted)}
        out = {key: real.get(sid, sid) for key, sid in out.items()}
        pending = [(real.get(sid, sid), band) for sid, band in pending]
    if pending:
        # Straight to the driver too: tens of rows per statement, integers only, which
        # SQLAlchemy would turn into a dictionary of parameters each.  In index order,
        # so that neighbouring rows land in the same pages of the (band, hash) index.
        mark = _mark(conn)
        conn.exec_driver_sql(
            f"INSERT INTO lsh_bands (band, hash, statement_id) VALUES ({mark}, {mark}, {mark})",
            sorted((b, h, sid) for sid, (b, h) in pending),
        )
    return out


def _mark(conn: Connection) -> str:
    """The driver's placeholder for a bound value (SQLite: ?, psycopg: %s)."""
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def _refresh_statements(conn: Connection, ids: set[int]) -> None:
    """What a statement says and who said it, its counts and first sighting, read off
    its reports (whose set just changed); a statement left with no report is removed."""
    if not ids:
        return
    seen: dict[int, list] = {i: [] for i in ids}
    wanted = sorted(ids)
    for i in range(0, len(wanted), LOOKUP_CHUNK):
        for r in conn.execute(
            select(
                reports.c.statement_id,
                reports.c.article_id,
                reports.c.outlet,
                reports.c.published,
                reports.c.content,
                reports.c.speaker_id,
                reports.c.id,
            ).where(reports.c.statement_id.in_(wanted[i : i + LOOKUP_CHUNK]))
        ):
            seen[r.statement_id].append(r)
    current = {
        r.id: r
        for i in range(0, len(wanted), LOOKUP_CHUNK)
        for r in conn.execute(
            select(statements.c.id, statements.c.norm, statements.c.speaker_id).where(
                statements.c.id.in_(wanted[i : i + LOOKUP_CHUNK])
            )
        )
    }
    empty = [i for i, rows in seen.items() if not rows]
    if empty:
        conn.execute(delete(lsh_bands).where(lsh_bands.c.statement_id.in_(empty)))
        conn.execute(delete(statements).where(statements.c.id.in_(empty)))
    counts, texts = [], []
    for statement_id, rows in seen.items():
        if not rows or statement_id not in current:
            continue
        # An article with no outlet counts as an outlet of its own.
        outlets = {r.outlet or f"article:{r.article_id}" for r in rows}
        first = min(rows, key=lambda r: (r.published is None, r.published or "", r.article_id))
        # The fullest report says it; the speaker most reports name said it.
        fullest = rows[0]
        if len(rows) > 1:
            fullest = max(rows, key=lambda r: (len(clusters.fold_content(r.content)), -r.id))
        named = Counter(r.speaker_id for r in rows if r.speaker_id is not None)
        counts.append(
            {
                "sid": statement_id,
                "n_reports": len(rows),
                "n_outlets": len(outlets),
                "first": first.published,
                "first_article": first.article_id,
                "speaker": min(named, key=lambda k: (-named[k], k)) if named else None,
            }
        )
        norm = clusters.fold_content(fullest.content)
        if norm != current[statement_id].norm:
            texts.append(
                {
                    "sid": statement_id,
                    "new_content": fullest.content,
                    "new_norm": norm,
                    "new_signature": clusters.to_bytes(clusters.signature(norm)),
                }
            )
    if counts:
        conn.execute(_UPDATE_COUNTS, counts)
    if texts:
        conn.execute(_UPDATE_TEXT, texts)


_UPDATE_COUNTS = (
    statements.update()
    .where(statements.c.id == bindparam("sid"))
    .values(
        reports=bindparam("n_reports"),
        outlets=bindparam("n_outlets"),
        first_seen=bindparam("first"),
        first_article_id=bindparam("first_article"),
        speaker_id=bindparam("speaker"),
    )
)
_UPDATE_TEXT = (
    statements.update()
    .where(statements.c.id == bindparam("sid"))
    .values(
        content=bindparam("new_content"),
        norm=bindparam("new_norm"),
        signature=bindparam("new_signature"),
    )
)


def _recount_speakers(conn: Connection, ids: set[int]) -> None:
    """Statement counts of speakers whose reports changed, of every kind and of the kinds
    shown by default; a speaker no report names any more (its article was updated) is
    removed, with the reasons it was merged."""
    if not ids:
        return
    counts: Counter = Counter()
    shown: Counter = Counter()
    for speaker_id, category, n in conn.execute(
        select(reports.c.speaker_id, reports.c.cue_category, func.count())
        .where(reports.c.speaker_id.in_(sorted(ids)))
        .group_by(reports.c.speaker_id, reports.c.cue_category)
    ):
        counts[speaker_id] += n
        if category in DEFAULT_CATEGORIES:
            shown[speaker_id] += n
    gone = sorted(i for i in ids if not counts.get(i))
    if gone:
        conn.execute(
            statements.update().where(statements.c.speaker_id.in_(gone)).values(speaker_id=None)
        )
        conn.execute(delete(speaker_merges).where(speaker_merges.c.speaker_id.in_(gone)))
        conn.execute(delete(speakers).where(speakers.c.id.in_(gone)))
    kept = [{"sid": i, "n": counts[i], "shown": shown[i]} for i in sorted(ids) if counts.get(i)]
    if kept:
        conn.execute(
            speakers.update()
            .where(speakers.c.id == bindparam("sid"))
            .values(statements=bindparam("n"), default_statements=bindparam("shown")),
            kept,
        )
