"""Statement database speed: what storing adds to extraction, and search on a database of
1,000,000 statements, for SQLite and PostgreSQL.

    .venv/bin/python benchmarks/store_speed.py overhead [--texts DIR] [--workdir DIR] [--pg …]
    .venv/bin/python benchmarks/store_speed.py build    --workdir DIR [--reports N] [--pg …]
    .venv/bin/python benchmarks/store_speed.py search   --workdir DIR [--rounds N] [--pg …]
    .venv/bin/python benchmarks/store_speed.py detail   --workdir DIR [--rounds N] [--pg …]
    .venv/bin/python benchmarks/store_speed.py all      --workdir DIR [--pg URL|auto|none]

``overhead``: the batch (PolNeAR dev's 84 texts, else ``examples/``) is extracted with one
BLAS thread as in ``throughput.py`` (best of ``--repeat``), then the same results are
stored, one ``Store.add`` (one transaction) per article, into a fresh SQLite file and a
fresh PostgreSQL database, and again in groups of ``onrecord.store.GROUP`` articles per
transaction (``Store.add_many``, as the ingest writer stores the articles waiting for
it); the figure is storing time / extraction time, with the CPU time storing took.  With a
``--workdir`` holding the 1M databases, the batch is also stored into a copy of each.

``build``: a database of ``--reports`` (default 1,000,000) reports — the rows search
reads — of synthetic but realistic-looking statements: Zipfian words (vocabulary ranked
from PolNeAR train when present, else from this repository's articles), 5,000 speakers
(persons with first name, surname and role; organisations) with Zipfian activity, 200
outlets, five years of dates, and quotes carried by several outlets (28% of statements
have reach 2 to 40, reports of one statement varying in quote marks, truncation and a
word).  The schema is made by ``Store(url)`` exactly as ``onrecord ingest`` makes it, and
the rows are then bulk-inserted (bypassing extraction) with every table filled as the
store fills it, MinHash signatures and LSH bands included.  For speed the loader drops
the secondary indexes and, on SQLite, the FTS insert trigger, then recreates them from
the same definitions (``schema.py``, ``fulltext.py``) and fills the FTS table in one
statement with the key the trigger computes (``fulltext.SQLITE_FILL``).  On PostgreSQL
rows go in with ``COPY`` (the tsvector column computes itself), foreign-key triggers are
off during the load (``session_replication_role``), and the load ends with ``VACUUM
ANALYZE`` (what autovacuum does after a bulk load).  The SQLite file gets no ANALYZE, as
a database built by ``onrecord ingest`` has none.

``search``: ``onrecord.search.search`` (limit 20) over a fixed, seeded mix of queries
(written by ``build`` to ``queries.json``): a common word, a rare word, two words, a
phrase, a speaker, an outlet, a date range, combinations, filters with no words, page
two.  One untimed pass warms the caches, then ``--rounds`` passes in a seeded shuffled
order; latency per call in ms, p50/p95/p99 overall and per kind.

``detail``: what the other pages read, each call timed as ``search`` times its calls:
``onrecord.search.statement`` (one statement with every report and its relay chains)
over 200 seeded statements, half of them carried by more than five outlets;
``list_speakers`` of the 50 speakers with most statements (the speakers page) and of 30
surnames with ``why``; ``speaker_profile`` of 30 speakers.

PostgreSQL: ``--pg URL``, or ``--pg auto`` (the default) to run a throwaway cluster from
``/usr/lib/postgresql/15/bin`` in ``WORKDIR/pg`` (unix socket there, no TCP; as root,
through ``runuser -u postgres``); ``--pg none`` for SQLite only.  Nothing is written
outside ``--workdir`` (a temporary folder when not given, for ``overhead``).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import date, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_PORT = 54329
PG_DB = "onrecord_bench"
SQLITE_NAME = "bench.db"
BATCH = 16

# ---------------------------------------------------------------------------------------
# PostgreSQL: a given URL or a throwaway cluster


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextmanager
def postgres(spec: str, workdir: Path):
    """Yields a server URL (no database) or None; starts and stops a throwaway cluster
    for ``auto`` unless one is already running there."""
    if spec == "none":
        yield None
        return
    if spec != "auto":
        head, _, query = spec.partition("?")
        scheme, rest = head.split("://", 1)
        yield f"{scheme}://{rest.split('/', 1)[0]}/" + (f"?{query}" if query else "")
        return
    base = workdir / "pg"
    data = base / "data"
    if not data.exists():
        base.mkdir(parents=True, exist_ok=True)
        os.chmod(workdir, 0o755)
        if os.geteuid() == 0:
            shutil.chown(base, "postgres", "postgres")
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(data),
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    running = (data / "postmaster.pid").exists()
    if not running:
        options = (
            f"-k {base} -c listen_addresses='' -c port={PG_PORT} -c shared_buffers=1GB "
            "-c max_wal_size=4GB -c checkpoint_timeout=30min"
        )
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(base / "log"),
                    "-w",
                    "-o",
                    options,
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    try:
        yield f"postgresql://postgres@/?host={base}&port={PG_PORT}"
    finally:
        if not running:
            subprocess.run(
                _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                check=True,
                stdout=subprocess.DEVNULL,
            )


def pg_url(server: str, database: str) -> str:
    head, _, query = server.partition("?")
    return f"{head.rstrip('/')}/{database}" + (f"?{query}" if query else "")


def pg_admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_conninfo(pg_url(server, "postgres")), autocommit=True) as conn:
        conn.execute(sql)


def _conninfo(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def pg_recreate(server: str, database: str, template: str | None = None) -> str:
    pg_admin(server, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    pg_admin(
        server, f'CREATE DATABASE "{database}"' + (f' TEMPLATE "{template}"' if template else "")
    )
    return pg_url(server, database)


# ---------------------------------------------------------------------------------------
# (a) storing overhead


def load_texts(folder: Path | None) -> tuple[str, list[str]]:
    if folder is None:
        folder = SHARED / "polnear" / "dev"
        if not folder.exists():
            folder = ROOT / "examples"
    texts_dir = folder / "text" if (folder / "text").is_dir() else folder
    files = sorted(texts_dir.glob("*.txt"))
    if not files:
        sys.exit(f"error: no .txt files in {texts_dir}")
    return str(texts_dir), [f.read_text(encoding="utf-8") for f in files]


def extract_batch(texts: list[str], repeat: int) -> tuple[float, list]:
    from onrecord.ingest import article_from_text
    from onrecord.pipeline import Extractor

    # Outlets and dates as a feed would give them, so that storing does all its work.
    articles = [
        article_from_text(
            t,
            source=f"#{i}",
            url=f"https://bench.example/{i}",
            outlet=f"Outlet {i % 7}",
            published=f"2024-03-{1 + i % 28:02d}",
        )
        for i, t in enumerate(texts)
    ]
    extractor = Extractor(batch_size=BATCH)
    list(extractor.extract_many(articles[:2]))  # warm-up
    best, results = float("inf"), []
    for _ in range(repeat):
        t0 = time.perf_counter()
        results = list(extractor.extract_many(articles))
        best = min(best, time.perf_counter() - t0)
    return best, results


def store_batch(db: str, results: list, group: int = 1) -> tuple[float, float, int]:
    """Wall and CPU seconds to store ``results``: one ``Store.add`` per article, or
    ``Store.add_many`` over ``group`` articles at a time (what the ingest writer does
    with the articles waiting for it)."""
    from onrecord.store import Store

    with Store(db) as store:
        t0, c0 = time.perf_counter(), time.process_time()
        if group == 1:
            n = sum(store.add(r)[1] for r in results)
        else:
            n = 0
            for i in range(0, len(results), group):
                for outcome in store.add_many(results[i : i + group]):
                    if isinstance(outcome, Exception):
                        raise outcome
                    n += outcome[1]
        return time.perf_counter() - t0, time.process_time() - c0, n


def cmd_overhead(args) -> dict:
    from onrecord.store import GROUP

    source, texts = load_texts(args.texts)
    print(f"extracting {len(texts)} articles from {source} (best of {args.repeat}) …")
    extract_s, results = extract_batch(texts, args.repeat)
    statements = sum(len(r.statements) for r in results)
    out = {
        "articles": len(texts),
        "statements": statements,
        "extract_s": round(extract_s, 3),
        "store": {},
    }
    print(f"extraction      {extract_s:7.2f} s  ({len(texts) / extract_s:.1f} articles/s)")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="onrecord-speed-"))
    targets = []
    fresh = workdir / "overhead.db"

    def new_file() -> str:
        for f in workdir.glob("overhead.db*"):
            f.unlink()
        return str(fresh)

    # What the writer loads once (MinHash permutations, name lists) is not timed.
    store_batch(new_file(), results[:2])
    targets.append(("sqlite, empty", new_file))
    big = workdir / SQLITE_NAME
    if big.exists():
        copy = workdir / "overhead-1m.db"

        def copy_big() -> str:
            for f in workdir.glob("overhead-1m.db*"):
                f.unlink()
            shutil.copyfile(big, copy)
            return str(copy)

        targets.append(("sqlite, 1M statements", copy_big))
    with postgres(args.pg, workdir) as server:
        if server:
            targets.append(("postgresql, empty", lambda: pg_recreate(server, "onrecord_overhead")))
            if _pg_has(server, PG_DB):
                targets.append(
                    (
                        "postgresql, 1M statements",
                        lambda: pg_recreate(server, "onrecord_overhead_1m", template=PG_DB),
                    )
                )
        for name, make in targets:
            for group in (1, GROUP):
                label = name if group == 1 else f"{name}, groups of {group}"
                db = make()
                seconds, cpu, n = store_batch(db, results, group)
                ratio = seconds / extract_s
                out["store"][label] = {
                    "seconds": round(seconds, 3),
                    "cpu_seconds": round(cpu, 3),
                    "ratio": round(ratio, 4),
                }
                print(
                    f"store: {label:<38} {seconds:6.2f} s  = {100 * ratio:4.1f}% of extraction "
                    f"({1000 * seconds / len(results):.1f} ms/article, "
                    f"{1000 * cpu / len(results):.1f} ms CPU, {n} statements)"
                )
        if server:
            pg_admin(server, 'DROP DATABASE IF EXISTS "onrecord_overhead" WITH (FORCE)')
            pg_admin(server, 'DROP DATABASE IF EXISTS "onrecord_overhead_1m" WITH (FORCE)')
    for f in workdir.glob("overhead*.db*"):
        f.unlink()
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return out


def _pg_has(server: str, database: str) -> bool:
    import psycopg

    with psycopg.connect(_conninfo(pg_url(server, "postgres")), autocommit=True) as conn:
        return bool(
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
        )


# ---------------------------------------------------------------------------------------
# (b) the synthetic corpus

_WORD = re.compile(r"[A-Za-z][a-z]+(?:'[a-z]+)?")
FIRST = (
    "Anna Maria Elena Sofia Laura Ines Clara Nora Olga Irina Lena Grace Rosa Eva Miriam "
    "Hannah Ayesha Fatima Amara Mei Yuki Priya Chloe Julia Marta Sara Leila Noor Ana Zofia "
    "Daniel Samuel Jonas Pavel Oleg Mark Paulo Tomas Lukas Adam David Peter Ivan Omar Ali "
    "Kenji Raj Diego Marco Felix Henrik Stefan Andrei Mikhail Carlos Jose Luis Ahmed Karim "
    "Victor Hugo Emil Oscar Arne Bruno Nikolai Tariq Yusuf Kwame Kofi Sipho Thabo Wei Jun"
).split()
SYLLABLES = (
    "ka ri mo ta len var ok af or bran dt holt quin ter ro sor kin mar lind qvist men des "
    "os ei we ber re yes sa ba lo vi ch ne dra gu sto mi ko pe tra sen har ve lu zan ol ny "
    "bek ov ic ski son berg man stein al din far rah mu ti"
).split()
ROLES = (
    "minister,spokesman,spokeswoman,chief executive,director,analyst,professor,economist,"
    "governor,mayor,senator,general secretary,chairman,ambassador,coach,lawyer,prosecutor,"
    "commissioner,chief economist,deputy minister,party leader,union leader,researcher"
).split(",")
ORG_FORMS = (
    "Ministry of {w},{n} Group,{n} Bank,{n} Institute,{w} Council,{n} Holdings,"
    "National {w} Agency,{n} University,{w} Union,{n} news agency"
).split(",")
PAPERS = "Herald Times Post Courier Gazette Ledger Tribune News Observer Chronicle Star Wire"
CUES = [
    ("said", "speech", 40),
    ("told", "speech", 10),
    ("added", "speech", 6),
    ("warned", "speech", 5),
    ("according to", "speech", 6),
    ("said in a statement", "speech", 5),
    ("was quoted as saying", "speech", 3),
    ("believes", "belief", 4),
    ("expects", "belief", 3),
    ("thinks", "belief", 2),
    ("showed", "evidence", 2),
    ("supports", "stance", 2),
    ("announced", "other", 3),
]
RELAYS = ["Reuters", "TASS", "Interfax", "AFP", "AP", "Bloomberg"]
START = date(2021, 1, 1)
DAYS = (date(2025, 12, 31) - START).days + 1
STOP = frozenset(
    "the of and to in a is that for on with as was it by be at from this are have has not "
    "an or but were which will would had been their they we he she its his her our there "
    "who what said also more than about after can could one all if so no do up out".split()
)


def vocabulary(limit: int = 30000) -> list[str]:
    """Words ranked by frequency in real news text."""
    folder = SHARED / "polnear" / "train" / "text"
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        files = sorted(ROOT.glob("benchmarks/**/*.txt")) + sorted(ROOT.glob("examples/*.txt"))
    counts: Counter = Counter()
    for f in files:
        counts.update(w.lower() for w in _WORD.findall(f.read_text(encoding="utf-8")))
    return [w for w, _ in counts.most_common(limit)]


def zipf_p(n: int, s: float) -> np.ndarray:
    p = 1.0 / np.arange(1, n + 1) ** s
    return p / p.sum()


@dataclass
class Corpus:
    speakers: list[tuple] = field(default_factory=list)  # id, name, norm, surname, kind, n
    speaker_roles: dict = field(default_factory=dict)
    outlets: list[str] = field(default_factory=list)
    articles: list[tuple] = field(default_factory=list)
    statements: list[tuple] = field(default_factory=list)
    reports: list[tuple] = field(default_factory=list)
    bands: list[tuple] = field(default_factory=list)
    queries: list[dict] = field(default_factory=list)


ARTICLE_COLS = (
    "id key url title outlet published language source text fingerprint people "
    "ingested_at updated_at"
).split()
SPEAKER_COLS = "id name norm surname kind statements default_statements".split()
STATEMENT_COLS = (
    "id speaker_id content norm type signature first_seen first_article_id reports outlets"
).split()
REPORT_COLS = (
    "id article_id statement_id key speaker_id speaker_text speaker_name speaker_role "
    "speaker_kind cue cue_category content type channel relay_name relay_key time_text "
    "time_date confidence outlet published record"
).split()
BAND_COLS = "band hash statement_id".split()


def _name(rng: np.random.Generator, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES, size=parts)).capitalize()


def signatures(norms: list[str]) -> np.ndarray:
    """clusters.signatures (datasketch's MinHash, vectorised over all shingles), in
    chunks so that the shingle hashes of a million contents are never held at once."""
    from onrecord.store import clusters

    out = np.empty((len(norms), clusters.NUM_PERM), dtype=np.uint64)
    chunk = 20000
    for start in range(0, len(norms), chunk):
        out[start : start + chunk] = clusters.signatures(norms[start : start + chunk])
    return out


def build_corpus(n_reports: int, seed: int) -> Corpus:
    from onrecord.names import fold_name
    from onrecord.records import DEFAULT_CATEGORIES
    from onrecord.store import clusters

    rng = np.random.default_rng(seed)
    c = Corpus()
    vocab = vocabulary()
    word_p = zipf_p(len(vocab), 1.05)

    # Speakers: 5,000, one in seven an organisation; some persons share a surname.
    surnames = sorted({_name(rng, int(rng.integers(2, 4))) for _ in range(3200)})
    seen: set = set()
    people = []
    while len(people) < 5000:
        if rng.random() < 1 / 7:
            form = str(rng.choice(ORG_FORMS))
            name = form.format(w=str(rng.choice(vocab[200:3000])).capitalize(), n=_name(rng, 2))
            kind, role = "organization", None
        else:
            name = f"{rng.choice(FIRST)} {rng.choice(surnames)}"
            kind, role = "person", str(rng.choice(ROLES))
        norm = fold_name(name)
        if (norm, kind) not in seen:
            seen.add((norm, kind))
            people.append((name, norm, kind, role))
    # Popularity is Zipfian by rank; ids are in no particular order of popularity.
    ids = rng.permutation(len(people)) + 1
    for rank, (name, norm, kind, role) in enumerate(people):
        c.speakers.append([int(ids[rank]), name, norm, norm.split()[-1], kind, 0, 0])
        c.speaker_roles[int(ids[rank])] = role
    c.speakers.sort(key=lambda s: s[0])
    speaker_p = np.zeros(len(people))
    speaker_p[ids - 1] = zipf_p(len(people), 1.0)

    places = sorted({_name(rng, int(rng.integers(2, 4))) for _ in range(400)})
    papers = PAPERS.split()
    while len(c.outlets) < 200:
        name = f"The {rng.choice(places)} {rng.choice(papers)}"
        if name not in c.outlets:
            c.outlets.append(name)
    outlet_p = zipf_p(len(c.outlets), 0.8)

    # Statements (reach: 72% one outlet, else 2 to 40) and their words.
    reach_list, total = [], 0
    while total < n_reports:
        reach = 1 if rng.random() < 0.72 else min(40, 1 + int(rng.geometric(0.3)))
        reach = min(reach, n_reports - total)
        reach_list.append(reach)
        total += reach
    n_st = len(reach_list)
    lengths = np.clip(rng.poisson(19, n_st), 5, 60)
    words = rng.choice(len(vocab), size=int(lengths.sum()), p=word_p)
    speaker_of = rng.choice(len(people), size=n_st, p=speaker_p) + 1
    first_day = (rng.random(n_st) ** 0.8 * DAYS).astype(int)  # more news in later years
    commas = rng.random(n_st)
    contents, pos = [], 0
    for i, n in enumerate(lengths):
        ws = [vocab[k] for k in words[pos : pos + n]]
        pos += n
        ws[0] = ws[0].capitalize()
        if n > 12 and commas[i] < 0.5:
            ws[4 + int(commas[i] * 1000) % (n - 8)] += ","
        contents.append(" ".join(ws) + ".")

    # Reports: (statement, outlet, day, content as this outlet has it).
    single = rng.choice(len(c.outlets), size=n_st, p=outlet_p)
    rep_st, rep_outlet, rep_day, rep_content = [], [], [], []
    for i, reach in enumerate(reach_list):
        if reach == 1:
            outlets = [single[i]]
        else:
            outlets = rng.choice(len(c.outlets), size=reach, replace=False, p=outlet_p)
        for k, o in enumerate(outlets):
            text = contents[i]
            delay = 0
            if k:  # later outlets: the same quote, a day or two later, lightly varied
                r = rng.random()
                ws = text.split()
                if r < 0.15:
                    text = text.replace(",", "").replace(".", "")
                elif r < 0.3 and len(ws) > 10:
                    text = " ".join(ws[: len(ws) - int(rng.integers(1, 4))]) + " …"
                delay = int(rng.geometric(0.5)) - 1
            rep_st.append(i)
            rep_outlet.append(int(o))
            rep_day.append(min(DAYS - 1, int(first_day[i]) + delay))
            rep_content.append(text)
    n_rep = len(rep_st)

    # Articles: the reports of one outlet on one day, up to 8 to an article; the order of
    # ingestion follows the publication date, with jitter and 5% late back-fills.
    groups: dict = defaultdict(list)
    for r in rng.permutation(n_rep):
        groups[(rep_day[r], rep_outlet[r])].append(int(r))
    chunks = []
    for (day, outlet), members in sorted(groups.items()):
        for s in range(0, len(members), 8):
            chunks.append((day, outlet, members[s : s + 8]))
    jitter = rng.normal(0, 3, len(chunks)) + np.where(
        rng.random(len(chunks)) < 0.05, rng.integers(0, 365, len(chunks)), 0
    )
    order = np.argsort(np.array([ch[0] for ch in chunks]) + jitter, kind="stable")

    cue_w = np.array([w for *_, w in CUES], dtype=float)
    cue_of = rng.choice(len(CUES), size=n_rep, p=cue_w / cue_w.sum())
    type_of = rng.choice(3, size=n_rep, p=[0.35, 0.5, 0.15])
    variant = rng.random(n_rep)
    channel_of = np.where(rng.random(n_rep) < 0.15, rng.integers(0, 4, n_rep), -1)
    relay_of = np.where(rng.random(n_rep) < 0.05, rng.integers(0, len(RELAYS), n_rep), -1)
    when_of = np.where(rng.random(n_rep) < 0.3, rng.integers(0, 3, n_rep), -1)
    confidence_of = np.round(rng.uniform(0.5, 0.99, n_rep), 3)
    channels = ["statement", "Twitter", "Interfax", "news conference"]
    types = ("direct", "indirect", "mixed")

    report_row: list = [None] * n_rep
    st_reports: dict = defaultdict(list)
    st_type: dict = {}
    speaker_count: Counter = Counter()
    shown_count: Counter = Counter()  # of the kinds the views show by default
    next_report = 1
    for a_idx, ch in enumerate(order, start=1):
        day, outlet, members = chunks[ch]
        published = (START + timedelta(days=int(day))).isoformat()
        outlet_name = c.outlets[outlet]
        host = re.sub(r"[^a-z]", "", outlet_name.lower()) + ".example"
        url = f"https://{host}/{published.replace('-', '/')}/{a_idx}"
        sentences, named = [], set()
        offset = 0
        for k, r in enumerate(members, start=1):
            st = rep_st[r]
            sid = int(speaker_of[st])
            _, name, _, _, kind, _, _ = c.speakers[sid - 1]
            role = c.speaker_roles[sid]
            cue, category, _ = CUES[cue_of[r]]
            text = name
            if kind == "person":
                named.add(name)
                v = variant[r]
                if 0.5 <= v < 0.75:
                    text = name.split()[-1]
                elif 0.75 <= v < 0.9:
                    text = f"{role.capitalize()} {name}"
                elif v >= 0.9:
                    text = "she" if v >= 0.95 else "he"
            typ = types[type_of[r]]
            st_type.setdefault(st, typ)
            content = rep_content[r]
            channel = channels[channel_of[r]] if channel_of[r] >= 0 else None
            relay = RELAYS[relay_of[r]] if relay_of[r] >= 0 else None
            time_date = time_text = None
            if when_of[r] >= 0:
                said = START + timedelta(days=max(0, int(day) - int(when_of[r])))
                time_date, time_text = said.isoformat(), "on " + said.strftime("%A")
            if typ == "direct":
                sentence = f'"{content}" {text} {cue}.'
                at_content = offset + 1
                at_speaker = at_content + len(content) + 2
                at_cue = at_speaker + len(text) + 1
            else:
                sentence = f"{text} {cue} {content}"
                at_speaker = offset
                at_cue = at_speaker + len(text) + 1
                at_content = at_cue + len(cue) + 1
            record = {
                "id": f"s{k}",
                "type": typ,
                "cue": {
                    "text": cue,
                    "spans": [[at_cue, at_cue + len(cue)]],
                    "category": category,
                },
                "content": {
                    "text": content,
                    "spans": [[at_content, at_content + len(content)]],
                },
                "speaker": {
                    "text": text,
                    "spans": [[at_speaker, at_speaker + len(text)]],
                    "name": name,
                    "role": role,
                    "kind": kind,
                },
                "channel": {"text": channel, "spans": [], "name": channel} if channel else None,
                "relayed_by": {"statement": None, "name": relay, "spans": []} if relay else None,
                "time": {"text": time_text, "spans": [], "date": time_date, "precision": "day"}
                if time_date
                else None,
                "confidence": float(confidence_of[r]),
                "continues": None,
            }
            sentences.append(sentence)
            offset += len(sentence) + 2
            report_row[r] = [
                next_report, int(a_idx), st + 1, f"s{k}", sid, text, name, role, kind, cue,
                category, content, typ, channel, relay, None, time_text, time_date,
                float(confidence_of[r]), outlet_name, published,
                json.dumps(record, ensure_ascii=False),
            ]  # fmt: skip
            st_reports[st].append((published, int(a_idx), outlet_name))
            speaker_count[sid] += 1
            shown_count[sid] += category in DEFAULT_CATEGORIES
            next_report += 1
        text = "\n\n".join(sentences)
        stamp = f"{published}T12:00:00+00:00"
        c.articles.append(
            (
                int(a_idx), url, url, " ".join(rep_content[members[0]].split()[:8]),
                outlet_name, published, "en", url, text,
                hashlib.sha256(text.encode()).hexdigest(), json.dumps(sorted(named)), stamp,
                stamp,
            )
        )  # fmt: skip
    c.reports = sorted(report_row, key=lambda row: row[0])
    for s in c.speakers:
        s[5] = speaker_count[s[0]]
        s[6] = shown_count[s[0]]

    norms = [clusters.fold_content(t) for t in contents]
    sigs = signatures(norms)
    for i in range(n_st):
        reps = st_reports[i]
        first = min(reps)
        c.statements.append(
            (
                i + 1, int(speaker_of[i]), contents[i], norms[i], st_type[i],
                clusters.to_bytes(sigs[i]), first[0], first[1], len(reps),
                len({o for *_, o in reps}),
            )
        )  # fmt: skip
        for band, h in clusters.band_hashes(sigs[i]):
            c.bands.append((band, h, i + 1))
    c.queries = make_queries(c, vocab, rng)
    return c


def make_queries(c: Corpus, vocab: list[str], rng: np.random.Generator) -> list[dict]:
    content_words = [w for w in vocab if w not in STOP and len(w) > 3]
    common = content_words[:40]
    mid = content_words[300:2000]
    rare = content_words[5000:20000]
    by_activity = sorted(c.speakers, key=lambda s: -s[5])
    popular = [s[1] for s in by_activity[:50]]
    somebody = [s[1] for s in by_activity[:2000]]
    surnames = [s[1].split()[-1] for s in by_activity[:500] if s[4] == "person"]
    outlets = c.outlets

    def pick(seq):
        return str(seq[int(rng.integers(len(seq)))])

    def window(days: int) -> dict:
        start = START + timedelta(days=int(rng.integers(0, DAYS - days)))
        return {"since": start.isoformat(), "until": (start + timedelta(days=days)).isoformat()}

    def phrase() -> str:
        words = c.statements[int(rng.integers(len(c.statements)))][3].split()
        i = int(rng.integers(0, max(1, len(words) - 2)))
        return '"' + " ".join(words[i : i + 3]) + '"'

    kinds = {
        "word, common": lambda: {"query": pick(common)},
        "word, rare": lambda: {"query": pick(rare)},
        "two words": lambda: {"query": f"{pick(common)} {pick(mid)}"},
        "phrase": lambda: {"query": phrase()},
        "speaker (popular)": lambda: {"speaker": pick(popular)},
        "speaker": lambda: {"speaker": pick(somebody)},
        "surname": lambda: {"speaker": pick(surnames)},
        "outlet": lambda: {"outlet": pick(outlets)},
        "dates (a month)": lambda: window(30),
        "word + speaker (popular)": lambda: {"query": pick(common), "speaker": pick(popular)},
        "word + speaker": lambda: {"query": pick(common), "speaker": pick(somebody)},
        "word + outlet": lambda: {"query": pick(mid), "outlet": pick(outlets)},
        "word + dates": lambda: {"query": pick(common), **window(90)},
        "rare word + dates": lambda: {"query": pick(rare), **window(365)},
        "phrase + outlet": lambda: {"query": phrase(), "outlet": pick(outlets[:20])},
        "speaker + dates": lambda: {"speaker": pick(somebody), **window(180)},
        "outlet + dates + type": lambda: {"outlet": pick(outlets), **window(60), "type": "direct"},
        "word, quotes only": lambda: {"query": pick(common), "categories": ["speech"]},
        "word, page 2": lambda: {"query": pick(mid), "offset": 20},
    }
    out = []
    for kind, make in kinds.items():
        for _ in range(10):
            out.append({"kind": kind, **make()})
    return out


# ---------------------------------------------------------------------------------------
# (b) bulk loading


def _table_indexes():
    from onrecord.store.schema import metadata

    return [idx for t in metadata.sorted_tables for idx in t.indexes]


def load_sqlite(path: Path, c: Corpus) -> None:
    from sqlalchemy import create_engine

    from onrecord.store import Store, fulltext

    for f in path.parent.glob(path.name + "*"):
        f.unlink()
    Store(str(path)).close()  # the schema exactly as `onrecord ingest` creates it
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    con.execute("PRAGMA cache_size = -1000000")
    con.execute("BEGIN")
    indexes = _table_indexes()
    for idx in indexes:
        con.execute(f"DROP INDEX {idx.name}")
    con.execute("DROP TRIGGER reports_fts_insert")
    for table, cols, rows in (
        ("articles", ARTICLE_COLS, c.articles),
        ("speakers", SPEAKER_COLS, c.speakers),
        ("statements", STATEMENT_COLS, c.statements),
        ("lsh_bands", BAND_COLS, c.bands),
        ("reports", REPORT_COLS, c.reports),
    ):
        con.executemany(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            rows,
        )
    con.execute(fulltext.SQLITE_FILL)  # what the insert trigger would have written
    con.execute("COMMIT")
    con.close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        for idx in indexes:
            idx.create(conn)
        fulltext.create(conn)  # the insert trigger, as the store made it
    engine.dispose()
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.close()


def load_postgres(url: str, c: Corpus) -> None:
    import psycopg
    from sqlalchemy import create_engine
    from sqlalchemy.schema import CreateIndex

    from onrecord.store import Store, fulltext

    Store(url).close()
    engine = create_engine("postgresql+psycopg://" + url.split("://", 1)[1])
    indexes = _table_indexes()
    creates = [str(CreateIndex(idx).compile(engine)) for idx in indexes]
    with psycopg.connect(_conninfo(url)) as conn:
        try:
            conn.execute("SET session_replication_role = replica")
        except psycopg.Error:
            conn.rollback()
        for idx in indexes:
            conn.execute(f"DROP INDEX {idx.name}")
        conn.execute("DROP INDEX ix_reports_tsv")
        for table, cols, rows in (
            ("articles", ARTICLE_COLS, c.articles),
            ("speakers", SPEAKER_COLS, c.speakers),
            ("statements", STATEMENT_COLS, c.statements),
            ("lsh_bands", BAND_COLS, c.bands),
            ("reports", REPORT_COLS, c.reports),
        ):
            with conn.cursor().copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            if "id" in cols:
                conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        conn.execute("SET maintenance_work_mem = '1GB'")
        for sql in creates:
            conn.execute(sql)
        for sql in fulltext.POSTGRES_DDL:
            conn.execute(sql)
        conn.commit()
    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    engine.dispose()


def _size_sqlite(path: Path) -> int:
    return sum(f.stat().st_size for f in path.parent.glob(path.name + "*"))


def _size_pg(url: str) -> int:
    import psycopg

    with psycopg.connect(_conninfo(url)) as conn:
        return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]


def cmd_build(args) -> dict:
    workdir = args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    c = build_corpus(args.reports, args.seed)
    gen_s = time.perf_counter() - t0
    reach = Counter(min(s[9], 10) for s in c.statements)
    out = {
        "reports": len(c.reports),
        "statements": len(c.statements),
        "articles": len(c.articles),
        "speakers": len(c.speakers),
        "outlets": len(c.outlets),
        "lsh_bands": len(c.bands),
        "statements_reach_gt1": sum(n for k, n in reach.items() if k > 1),
        "generate_s": round(gen_s, 1),
    }
    print(
        f"generated {len(c.reports):,} reports of {len(c.statements):,} statements in "
        f"{len(c.articles):,} articles, {len(c.speakers):,} speakers, {len(c.outlets)} "
        f"outlets; {out['statements_reach_gt1']:,} statements carried by more than one "
        f"outlet ({gen_s:.0f} s)"
    )
    (workdir / "queries.json").write_text(json.dumps(c.queries, indent=1), encoding="utf-8")
    path = workdir / SQLITE_NAME
    t0 = time.perf_counter()
    load_sqlite(path, c)
    out["sqlite_load_s"] = round(time.perf_counter() - t0, 1)
    out["sqlite_bytes"] = _size_sqlite(path)
    print(f"sqlite: loaded in {out['sqlite_load_s']} s, {out['sqlite_bytes'] / 2**30:.2f} GiB")
    with postgres(args.pg, workdir) as server:
        if server:
            url = pg_recreate(server, PG_DB)
            t0 = time.perf_counter()
            load_postgres(url, c)
            out["pg_load_s"] = round(time.perf_counter() - t0, 1)
            out["pg_bytes"] = _size_pg(url)
            print(f"postgresql: loaded in {out['pg_load_s']} s, {out['pg_bytes'] / 2**30:.2f} GiB")
    (workdir / "build.json").write_text(json.dumps(out, indent=1), encoding="utf-8")
    return out


# ---------------------------------------------------------------------------------------
# (c) search latency


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def time_search(db: str, queries: list[dict], rounds: int, seed: int) -> dict:
    from onrecord.search import Filters, search
    from onrecord.store import Store

    store = Store(db, create=False)
    calls = []
    for q in queries:
        fields = {k: v for k, v in q.items() if k not in ("kind", "offset")}
        if "category" in fields:  # queries.json written before Filters took a set
            fields["categories"] = [fields.pop("category")]
        if "categories" in fields:
            fields["categories"] = frozenset(fields["categories"])
        calls.append((q["kind"], Filters(**fields), q.get("offset", 0)))
    empty = 0
    for _, f, offset in calls:  # warm-up
        empty += not search(store, f, limit=20, offset=offset)
    rng = np.random.default_rng(seed)
    samples: dict = defaultdict(list)
    for _ in range(rounds):
        for i in rng.permutation(len(calls)):
            kind, f, offset = calls[i]
            t0 = time.perf_counter()
            search(store, f, limit=20, offset=offset)
            samples[kind].append(1000 * (time.perf_counter() - t0))
    store.close()
    every = [v for vs in samples.values() for v in vs]
    return {
        "calls": len(every),
        "no_hits": empty,
        "p50": round(percentile(every, 0.50), 2),
        "p95": round(percentile(every, 0.95), 2),
        "p99": round(percentile(every, 0.99), 2),
        "max": round(max(every), 2),
        "kinds": {
            k: {
                "p50": round(statistics.median(v), 2),
                "p95": round(percentile(v, 0.95), 2),
                "max": round(max(v), 2),
            }
            for k, v in samples.items()
        },
    }


def cmd_search(args) -> dict:
    workdir = args.workdir
    queries = json.loads((workdir / "queries.json").read_text(encoding="utf-8"))
    out = {}
    targets = [("sqlite", str(workdir / SQLITE_NAME))]
    with postgres(args.pg, workdir) as server:
        if server:
            targets.append(("postgresql", pg_url(server, PG_DB)))
        for name, db in targets:
            res = time_search(db, queries, args.rounds, args.seed)
            out[name] = res
            print(
                f"{name:<11} {res['calls']} calls: p50 {res['p50']:.1f} ms, p95 "
                f"{res['p95']:.1f} ms, p99 {res['p99']:.1f} ms, max {res['max']:.1f} ms "
                f"({res['no_hits']} of {len(queries)} queries find nothing)"
            )
            for kind, r in res["kinds"].items():
                print(
                    f"    {kind:<22} p50 {r['p50']:7.1f}  p95 {r['p95']:7.1f}  max {r['max']:7.1f}"
                )
    return out


def _timed(fn, calls: list[tuple], rounds: int) -> dict:
    for call in calls:  # warm-up
        fn(*call)
    ms = []
    for _ in range(rounds):
        for call in calls:
            t0 = time.perf_counter()
            fn(*call)
            ms.append(1000 * (time.perf_counter() - t0))
    return {
        "calls": len(ms),
        "p50": round(percentile(ms, 0.50), 2),
        "p95": round(percentile(ms, 0.95), 2),
        "max": round(max(ms), 2),
    }


def time_detail(db: str, rounds: int, seed: int) -> dict:
    """What a statement's, the speakers' and a speaker's pages read: ``statement`` over
    200 seeded statements (half of them carried by more than five outlets),
    ``list_speakers`` of the 50 with most statements, of 30 surnames with ``why``, and
    ``speaker_profile`` of 30 speakers."""
    from sqlalchemy import text

    from onrecord.search import list_speakers, speaker_profile, statement
    from onrecord.store import Store

    rng = np.random.default_rng(seed)
    store = Store(db, create=False)
    with store.engine.connect() as conn:
        wide = conn.execute(text("SELECT id FROM statements WHERE outlets > 5")).scalars().all()
        last = conn.execute(text("SELECT max(id) FROM statements")).scalar()
        people = conn.execute(text("SELECT id, name FROM speakers ORDER BY id")).all()
    ids = [int(i) for i in rng.choice(wide, 100, replace=False)]
    ids += [int(i) for i in rng.integers(1, last + 1, 100)]
    chosen = [people[int(i)] for i in rng.choice(len(people), 30, replace=False)]
    out = {
        "statement": _timed(lambda i: statement(store, i), [(i,) for i in ids], rounds),
        "speakers, top 50": _timed(lambda: list_speakers(store, limit=50), [()], rounds),
        "speakers NAME --why": _timed(
            lambda name: list_speakers(store, name, why=True),
            [(name.split()[-1],) for _, name in chosen],
            rounds,
        ),
        "speaker profile": _timed(
            lambda i: speaker_profile(store, i), [(i,) for i, _ in chosen], rounds
        ),
    }
    store.close()
    return out


def cmd_detail(args) -> dict:
    out = {}
    targets = [("sqlite", str(args.workdir / SQLITE_NAME))]
    with postgres(args.pg, args.workdir) as server:
        if server:
            targets.append(("postgresql", pg_url(server, PG_DB)))
        for name, db in targets:
            out[name] = time_detail(db, args.rounds, args.seed)
            print(name)
            for kind, r in out[name].items():
                print(
                    f"    {kind:<22} {r['calls']:4} calls  p50 {r['p50']:7.1f}  "
                    f"p95 {r['p95']:7.1f}  max {r['max']:7.1f} ms"
                )
    return out


# ---------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, SQLite {sqlite3.sqlite_version}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["overhead", "build", "search", "detail", "all"])
    parser.add_argument("--workdir", type=Path, help="where databases go (kept)")
    parser.add_argument("--pg", default="auto", help="postgresql:// URL, 'auto' or 'none'")
    parser.add_argument("--texts", type=Path, help="folder of .txt articles for overhead")
    parser.add_argument("--repeat", type=int, default=2, help="extraction runs (best kept)")
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if args.command in ("build", "search", "detail", "all") and args.workdir is None:
        sys.exit("error: build, search and detail need --workdir (the databases are kept there)")
    print(machine())
    out: dict = {"machine": machine()}
    if args.command in ("build", "all"):
        out["build"] = cmd_build(args)
    if args.command in ("search", "all"):
        out["search"] = cmd_search(args)
    if args.command in ("detail", "all"):
        out["detail"] = cmd_detail(args)
    if args.command in ("overhead", "all"):
        out["overhead"] = cmd_overhead(args)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
