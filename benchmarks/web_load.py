"""Search-page latency under load: `onrecord serve` in one process, 20 concurrent
clients in another, on loopback.

    .venv/bin/python benchmarks/web_load.py --db PATH_OR_URL [--clients 20]
        [--seconds 30] [--workers 2] [--ingest] [--json]

The server is started as a user would start it (``onrecord serve --db … --workers N``);
this script is the load generator: it waits for the server, warms it up, then keeps
``--clients`` connections busy for ``--seconds`` requesting rendered search pages (HTML)
over a fixed, seeded mix of queries and filters drawn from the database's own words,
speakers and outlets.  It reports requests per second and latency percentiles of whole
page renders (request sent → last byte received).

``--ingest``: the server runs with an ingest token and, all through the measured run,
one more client posts long articles to ``POST /api/articles`` one after another (the
paragraphs of examples/port-strike.txt repeated to 40,000 characters, a new URL each
time), so that the pages' figures are those of reads beside a running ingest; the
number of articles stored and their mean time are reported too.  The articles are
stored in the database: use a copy.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
ONRECORD = ROOT / ".venv" / "bin" / "onrecord"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def query_mix(db: str, n: int, seed: int) -> list[dict]:
    """Search parameters like a newsroom would type: words and phrases from stored
    contents, known speakers and outlets, date ranges, and combinations."""
    from sqlalchemy import func, select

    from onrecord.store import Store
    from onrecord.store.schema import reports, speakers

    rng = random.Random(seed)
    with Store(db, create=False) as store, store.engine.connect() as conn:
        contents = (
            conn.execute(select(reports.c.content).order_by(reports.c.id).limit(2000))
            .scalars()
            .all()
        )
        names = (
            conn.execute(select(speakers.c.name).order_by(speakers.c.statements.desc()).limit(200))
            .scalars()
            .all()
        )
        outlets = (
            conn.execute(
                select(reports.c.outlet)
                .where(reports.c.outlet.is_not(None))
                .group_by(reports.c.outlet)
                .order_by(func.count().desc())
                .limit(50)
            )
            .scalars()
            .all()
        )
    words = [w for c in contents for w in c.split() if w.isalpha() and len(w) > 3]
    mix = []
    for _ in range(n):
        kind = rng.random()
        params: dict = {}
        if kind < 0.35:
            params["q"] = rng.choice(words)
        elif kind < 0.5:
            params["q"] = " ".join(rng.sample(words, 2))
        elif kind < 0.6:
            c = rng.choice(contents).split()
            if len(c) > 3:
                i = rng.randrange(len(c) - 2)
                params["q"] = '"' + " ".join(c[i : i + 2]) + '"'
        elif kind < 0.75 and names:
            params["speaker"] = rng.choice(names)
            if rng.random() < 0.5:
                params["q"] = rng.choice(words)
        elif kind < 0.85 and outlets:
            params["outlet"] = rng.choice(outlets)
        else:
            year = rng.choice([2021, 2022, 2023, 2024])
            params["since"] = f"{year}-01-01"
            params["until"] = f"{year}-06-30"
            if rng.random() < 0.5:
                params["q"] = rng.choice(words)
        mix.append(params)
    return mix


INGEST_TOKEN = "web-load-ingest"
INGEST_CHARS = 40_000


def long_article(chars: int = INGEST_CHARS) -> str:
    paragraphs = (ROOT / "examples" / "port-strike.txt").read_text().split("\n\n")
    body = "\n\n".join(paragraphs[1:] * (chars // len("".join(paragraphs[1:])) + 1))
    return paragraphs[0] + "\n\n" + body[:chars]


async def run_ingest(base: str, deadline: float, done: list[float]) -> None:
    """Post long articles one after another until ``deadline``; each one's seconds."""
    import httpx

    text = long_article()
    headers = {"Authorization": f"Bearer {INGEST_TOKEN}"}
    async with httpx.AsyncClient(base_url=base, timeout=600) as client:
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            body = {"text": text, "url": f"https://web-load.test/{time.time_ns()}"}
            r = await client.post("/api/articles", json=body, headers=headers)
            if r.status_code != 201:
                print(f"warning: ingest answered {r.status_code}: {r.text}", file=sys.stderr)
                return
            done.append(time.perf_counter() - t0)


async def run_load(
    base: str, mix: list[dict], clients: int, seconds: float, ingested: list[float] | None = None
) -> list[float]:
    import httpx

    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    counter = 0

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal counter, errors
        while time.perf_counter() < deadline:
            params = mix[counter % len(mix)]
            counter += 1
            t0 = time.perf_counter()
            r = await client.get("/?" + urlencode(params), headers={"accept": "text/html"})
            await r.aread()
            latencies.append((time.perf_counter() - t0) * 1000)
            if r.status_code != 200:
                errors += 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        loops = [client_loop(client) for _ in range(clients)]
        if ingested is not None:
            loops.append(run_ingest(base, deadline, ingested))
        await asyncio.gather(*loops)
    if errors:
        print(f"warning: {errors} responses were not 200", file=sys.stderr)
    return latencies


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--ingest", action="store_true", help="post articles during the run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    mix = query_mix(args.db, args.queries, args.seed)
    port = free_port()
    env = {**os.environ, "ONRECORD_API_TOKEN": INGEST_TOKEN if args.ingest else ""}
    server = subprocess.Popen(
        [
            str(ONRECORD),
            "serve",
            "--db",
            args.db,
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        env=env,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        for _ in range(300):
            try:
                if httpx.get(base + "/api/search?limit=1", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        else:
            sys.exit("error: the server did not start")
        asyncio.run(run_load(base, mix, args.clients, min(5.0, args.seconds)))  # warm-up
        ingested: list[float] | None = [] if args.ingest else None
        latencies = asyncio.run(run_load(base, mix, args.clients, args.seconds, ingested))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    report = {
        "db": args.db,
        "clients": args.clients,
        "workers": args.workers,
        "seconds": args.seconds,
        "requests": len(latencies),
        "requests_per_second": round(len(latencies) / args.seconds, 1),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "mean_ms": round(statistics.mean(latencies), 1),
    }
    if ingested is not None:
        report["articles_ingested"] = len(ingested)
        report["ingest_mean_s"] = round(statistics.mean(ingested), 1) if ingested else None
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(
            f"{report['requests']} search pages in {args.seconds:.0f} s with {args.clients} "
            f"clients, {args.workers} server workers: {report['requests_per_second']} pages/s; "
            f"latency p50 {report['p50_ms']} ms, p95 {report['p95_ms']} ms, "
            f"p99 {report['p99_ms']} ms"
        )
        if ingested is not None:
            print(
                f"meanwhile {len(ingested)} articles of {INGEST_CHARS:,} characters ingested "
                f"({report['ingest_mean_s']} s each)"
            )


if __name__ == "__main__":
    main()
