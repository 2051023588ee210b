"""Tools for making the real-news gold set (benchmarks/realnews_annotation.md).

Usage::

    python3 benchmarks/realnews_gold_check.py candidates [--pages DIR]
    python3 benchmarks/realnews_gold_check.py check GOLD_DIR_OR_FILE [--pages DIR]
    python3 benchmarks/realnews_gold_check.py split GOLD_DIR [--held-out 20] [--seed 20261202]

Standard library only, and independent of onrecord: annotators run it without ever
seeing onrecord's output.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_PAGES = HERE.parent.parent / "shared" / "extraction" / "scrapinghub"

REPORTING = re.compile(
    r"\b(said|says|told|according to|stated|added|wrote|tweeted|announced|asked|explained"
    r"|argued|claimed|warned)\b",
    re.I,
)
# A text is taken as English when these words make up a good share of its words: enough
# to drop the benchmark's non-English pages without a language model.
ENGLISH = frozenset(
    "the of and to a in is that for it with as was on be by this are at from have has"
    " not but or an they he she his her which were their will would said".split()
)
KINDS = {"person", "organisation", "group", "document", "other"}
TYPES = {"direct", "indirect", "mixed"}
CATEGORIES = {"speech", "thought", "stance", "evidence", "other"}
FIELDS = (
    "content content_more cue speaker_text speaker_name speaker_kind speaker_role type"
    " category channel relay time"
).split()
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def bodies(pages: Path) -> dict[str, str]:
    data = json.loads((pages / "ground-truth.json").read_text(encoding="utf-8"))
    return {k: v["articleBody"] for k, v in data.items()}


def is_english(text: str) -> bool:
    words = re.findall(r"[a-z]+", text.lower())
    return bool(words) and sum(w in ENGLISH for w in words) / len(words) >= 0.2


def candidates(pages: Path) -> list[str]:
    texts = bodies(pages)
    return [
        k for k in sorted(texts) if is_english(texts[k]) and len(REPORTING.findall(texts[k])) >= 3
    ]


def _fold(s: str) -> str:
    s = re.sub(r"[\u2018\u2019\u201a\u201b\u2032]", "'", s)
    s = re.sub(r"[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]", '"', s)
    return re.sub(r"\s+", " ", s).strip()


def check_statement(text: str, st: dict) -> list[str]:
    problems = [f"missing field {f!r}" for f in FIELDS if f not in st]
    folded = _fold(text)
    for key in ("content", "content_more"):
        value = st.get(key)
        if key == "content" and not value:
            problems.append("empty content")
        elif value and _fold(value).strip("\"' ") not in folded:
            problems.append(f"{key} not found in the text: {value[:60]!r}")
    if st.get("speaker_kind") not in KINDS:
        problems.append(f"speaker_kind {st.get('speaker_kind')!r} not one of {sorted(KINDS)}")
    if st.get("type") not in TYPES:
        problems.append(f"type {st.get('type')!r} not one of {sorted(TYPES)}")
    if st.get("category") not in CATEGORIES:
        problems.append(f"category {st.get('category')!r} not one of {sorted(CATEGORIES)}")
    if st.get("speaker_kind") != "person" and (st.get("speaker_name") or st.get("speaker_role")):
        problems.append("speaker_name and speaker_role are for persons only")
    channel, time = st.get("channel"), st.get("time")
    if channel is not None and not (isinstance(channel, dict) and channel.get("text")):
        problems.append("channel must be null or {text, name}")
    if time is not None:
        if not (isinstance(time, dict) and time.get("text")):
            problems.append("time must be null or {text, date}")
        elif time.get("date") is not None and not DATE.match(str(time["date"])):
            problems.append(f"time date {time['date']!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    if st.get("relay") is not None and not isinstance(st["relay"], str):
        problems.append("relay must be null or a publisher's name")
    return problems


def check(path: Path, pages: Path) -> int:
    texts = bodies(pages)
    files = sorted(path.glob("*/gold.jsonl")) + sorted(path.glob("gold.jsonl"))
    files = files if path.is_dir() else [path]
    bad = count = 0
    for file in files:
        for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{file}:{n}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"{where}: not JSON ({exc})")
                bad += 1
                continue
            text = texts.get(rec.get("article"))
            if text is None:
                print(f"{where}: unknown article {rec.get('article')!r}")
                bad += 1
                continue
            if rec.get("published") is not None and not DATE.match(str(rec["published"])):
                print(f"{where}: published {rec['published']!r} is not YYYY-MM-DD")
                bad += 1
            for i, st in enumerate(rec.get("statements", [])):
                count += 1
                for problem in check_statement(text, st):
                    print(f"{where} statement {i}: {problem}")
                    bad += 1
    print(f"{count} statements checked, {bad} problems")
    return 1 if bad else 0


def split(gold: Path, held_out: int, seed: int) -> int:
    articles = sorted(
        json.loads(line)["article"]
        for file in gold.glob("*/gold.jsonl")
        for line in file.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )
    chosen = sorted(random.Random(seed).sample(articles, held_out))
    out = {"seed": seed, "held_out": chosen, "analysis": [a for a in articles if a not in chosen]}
    (gold / "split.json").write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"{len(chosen)} held out, {len(out['analysis'])} for analysis -> {gold / 'split.json'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("candidates", "check", "split"))
    parser.add_argument("path", nargs="?", type=Path)
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--held-out", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261202)
    args = parser.parse_args(argv)
    if args.command == "candidates":
        print("\n".join(candidates(args.pages)))
        return 0
    if args.path is None:
        parser.error(f"{args.command} needs a path")
    if args.command == "check":
        return check(args.path, args.pages)
    return split(args.path, args.held_out, args.seed)


if __name__ == "__main__":
    sys.exit(main())
