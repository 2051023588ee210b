"""What a user waits for: wall-clock seconds from pressing Enter to the first result.

    .venv/bin/python benchmarks/startup.py [--repeat N] [--onrecord PATH] [--json]

Each command runs as its own process, as a user runs it, ``--repeat`` times (default 5),
after one unmeasured run that warms the disk cache; the median and the slowest are
reported.  The commands:

- ``onrecord --help``;
- ``onrecord extract examples/port-strike.txt``, one article to JSON (the whole job:
  start, load the models, read, extract, write);
- ``onrecord extract`` of the same article through stdin, timed to the first byte on
  stdout (what a pipe sees first).

``--onrecord`` picks the executable (default: the one beside this Python), so that the
demo install (``make demo``: no test tools) and the full one (``make test``) can be
compared.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "examples" / "port-strike.txt"


def whole(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def first_byte(cmd: list[str], stdin: bytes) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    proc.stdin.write(stdin)
    proc.stdin.close()
    proc.stdout.read(1)
    took = time.perf_counter() - t0
    proc.stdout.read()
    proc.wait()
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--onrecord", default=str(Path(sys.executable).parent / "onrecord"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    onrecord = args.onrecord
    if not Path(onrecord).exists():
        sys.exit(f"error: {onrecord}: no such program (give --onrecord PATH)")
    text = ARTICLE.read_bytes()
    cases = {
        "onrecord --help": lambda: whole([onrecord, "--help"]),
        "extract one article (whole run)": lambda: whole(
            [onrecord, "extract", str(ARTICLE), "--format", "json", "--quiet"]
        ),
        "extract from stdin (first byte out)": lambda: first_byte(
            [onrecord, "extract", "-", "--format", "jsonl", "--quiet"], text
        ),
    }
    rows = {}
    for name, run in cases.items():
        run()  # warm the disk cache
        times = [run() for _ in range(args.repeat)]
        rows[name] = {"median_s": statistics.median(times), "max_s": max(times)}
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'command':<40} {'median s':>9} {'slowest s':>10}   ({args.repeat} runs)")
    for name, row in rows.items():
        print(f"{name:<40} {row['median_s']:>9.2f} {row['max_s']:>10.2f}")


if __name__ == "__main__":
    main()
