"""Benchmark for the enrichment stage: speaker name and role, channel, relay, time.

Usage::

    .venv/bin/python benchmarks/enrichment_eval.py [--json] [--details] [--detector NAME]
        [--set benchmarks/enrichment] [--gold GOLD.jsonl] [--articles DIR]

A set is a folder holding invented news articles (``articles/*.txt``) and ``gold.jsonl``,
one JSON object per article::

    {"article": "<file name>", "published": "YYYY-MM-DD", "statements": [
        {"content", "cue", "speaker_name", "speaker_role", "channel", "relay", "time"}, ...]}

An article may also give ``"outlet"``, the publisher of the article (as ingest reads it
from a page), which the definitions need for "told <outlet>": the relay sets do.

``--set DIR`` picks the set (default ``benchmarks/enrichment``); ``--gold`` and
``--articles``, when given, override the set's gold file and article folder. A relative
``DIR`` is taken from the working directory, or failing that from the repository root.
There are two sets, both written blind to the implementation:

* ``benchmarks/enrichment/``: 14 articles, 168 gold statements. It has since been used
  for error analysis, so it is no longer held out.
* ``benchmarks/enrichment-heldout/``: 16 articles, 185 gold statements, written later in
  the same format and conventions. It is the held-out set: score it, do not tune on it
  (no ``--details`` runs feeding back into the implementation).

For each article the script calls ``onrecord.extract(text, published=<published>)`` (and
``outlet=<outlet>`` when the article gives one) and
matches every gold statement to one predicted statement:

* candidates are the predicted statements whose content text contains the gold ``content``
  substring (exactly; failing that, after folding curly quotes/apostrophes to straight ones
  and collapsing whitespace);
* with several candidates, the one whose cue text equals the gold ``cue`` (case-insensitive)
  wins; failing that, one whose cue shares a word with the gold cue; failing that, the
  candidate with the shortest content (the innermost statement, e.g. the quoted speaker
  rather than the "..., Reuters reported" wrapper around it);
* with no candidate the gold statement is *not detected*.

Reported: detection recall (gold statements matched), and for each field the accuracy over
the DETECTED gold statements and over ALL gold statements (an undetected one counts as wrong).

Comparison rules (all comparisons fold curly apostrophes/quotes to straight ones and collapse
whitespace first):

* speaker_name: predicted ``speaker.name``; compared case-insensitively after stripping a
  leading "the " and a possessive "'s" (or trailing "'"). Gold null matches a null/empty name.
* speaker_role: predicted ``speaker.role``; compared case-insensitively after stripping a
  leading article ("a", "an", "the") and trailing punctuation. Gold null matches null/empty.
* channel: predicted ``channel.name`` (``channel.text`` when the name is null), compared
  case-insensitively. Gold null matches a null channel.
* relay: gold "unnamed" matches a predicted ``relayed_by`` whose name is null; gold null
  matches ``relayed_by`` null; a gold name matches the predicted ``relayed_by.name`` under
  the name normalisation above.
* time: gold "YYYY-MM-DD" matches a predicted ``time.date`` equal to it when the precision
  is "day" (or null); gold "YYYY-MM" matches a date starting with it when the precision is
  "month"; gold "YYYY" likewise with precision "year"; any other gold text (e.g. "at the
  time", "last week") matches a predicted ``time.text`` equal to it (case-insensitive) when
  the predicted date is null, or when the precision is "week" (a week-precision date is an
  acceptable resolution of "last week", "earlier this week"); gold null matches a null time.

``--details`` lists every mismatch (article, gold content, field, gold, predicted) and the
undetected statements; ``--json`` prints the figures (and, with ``--details``, the
mismatches) as JSON instead of the table. The script never raises on bad input: an article
that cannot be read or extracted counts as all-undetected, and the reason is reported.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import traceback
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_SET = HERE / "enrichment"
FIELDS = ("speaker_name", "speaker_role", "channel", "relay", "time")

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00a0": " ",
    }
)
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def fold(text: Any) -> str:
    """Straight quotes, single spaces, stripped; '' for None/non-strings."""
    if not isinstance(text, str):
        return ""
    return re.sub(r"\s+", " ", text.translate(_FOLD)).strip()


def norm_name(text: Any) -> str:
    s = fold(text).lower()
    s = re.sub(r"^the\s+", "", s)
    s = re.sub(r"'s$", "", s)
    s = re.sub(r"(?<=s)'$", "", s)
    return s.strip()


# Abbreviated titles read as the words they stand for: "Gov." is "governor".
TITLE_ABBREVIATIONS = {
    "gov": "governor", "sen": "senator", "rep": "representative", "lt": "lieutenant",
    "gen": "general", "col": "colonel", "capt": "captain", "sgt": "sergeant",
    "atty": "attorney", "supt": "superintendent", "amb": "ambassador",
}  # fmt: skip


def norm_role(text: Any) -> str:
    s = fold(text).lower()
    s = re.sub(r"^(a|an|the)\s+", "", s)
    s = re.sub(r"[\s.,;:!?\"')\]-]+$", "", s)
    s = re.sub(
        r"\b(" + "|".join(TITLE_ABBREVIATIONS) + r")\b\.?",
        lambda m: TITLE_ABBREVIATIONS[m.group(1)],
        s,
    )
    return s.strip()


def norm_plain(text: Any) -> str:
    return fold(text).lower()


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


# ----------------------------------------------------------------------------- predictions


def predicted_fields(stmt: dict) -> dict[str, Any]:
    """The five enrichment values of a predicted statement, in a display-friendly form."""
    channel = stmt.get("channel")
    relay = stmt.get("relayed_by")
    tm = stmt.get("time")
    return {
        "speaker_name": _get(stmt, "speaker", "name"),
        "speaker_role": _get(stmt, "speaker", "role"),
        "channel": (
            (_get(channel, "name") or _get(channel, "text")) if isinstance(channel, dict) else None
        ),
        "relay": (None if not isinstance(relay, dict) else (_get(relay, "name") or "<unnamed>")),
        "time": (
            None
            if not isinstance(tm, dict)
            else {
                "text": tm.get("text"),
                "date": tm.get("date"),
                "precision": tm.get("precision"),
            }
        ),
    }


def show_predicted(field: str, stmt: dict | None) -> Any:
    if stmt is None:
        return None
    value = predicted_fields(stmt)[field]
    if field == "time" and isinstance(value, dict):
        date, prec, text = value["date"], value["precision"], value["text"]
        return f"{date or '-'} [{prec or '-'}] ({text!r})"
    return value


# ----------------------------------------------------------------------------- comparisons


def match_name(gold: Any, pred: Any) -> bool:
    if gold is None:
        return not norm_name(pred)
    return bool(norm_name(pred)) and norm_name(gold) == norm_name(pred)


def match_role(gold: Any, pred: Any) -> bool:
    if gold is None:
        return not norm_role(pred)
    return bool(norm_role(pred)) and norm_role(gold) == norm_role(pred)


def match_channel(gold: Any, stmt: dict) -> bool:
    pred = predicted_fields(stmt)["channel"]
    if gold is None:
        return not isinstance(stmt.get("channel"), dict)
    # (an outlet's name as names are compared: "The Hollywood Reporter" is "Hollywood
    # Reporter")
    return bool(norm_name(pred)) and norm_name(gold) == norm_name(pred)


def match_relay(gold: Any, stmt: dict) -> bool:
    relay = stmt.get("relayed_by")
    if gold is None:
        return not isinstance(relay, dict)
    if not isinstance(relay, dict):
        return False
    name = relay.get("name")
    if norm_plain(gold) == "unnamed":
        return not norm_name(name)
    return bool(norm_name(name)) and norm_name(gold) == norm_name(name)


def match_time(gold: Any, stmt: dict) -> bool:
    tm = stmt.get("time")
    if gold is None:
        return not isinstance(tm, dict)
    if not isinstance(tm, dict):
        return False
    date = tm.get("date")
    date = str(date) if date is not None else None
    prec = tm.get("precision")
    prec = str(prec).lower() if prec is not None else None
    g = str(gold).strip()
    if _DATE_RE.match(g):
        if not date:
            return False
        if len(g) == 10:
            return date[:10] == g and prec in (None, "day")
        if len(g) == 7:
            # (the gold has no week: "last week" is written down as its month)
            return date.startswith(g) and prec in ("month", "week")
        return date.startswith(g) and prec == "year"
    if norm_plain(tm.get("text")) != norm_plain(g):
        return False
    return not date or prec == "week"


def compare(field: str, gold: Any, stmt: dict) -> bool:
    try:
        if field == "speaker_name":
            return match_name(gold, _get(stmt, "speaker", "name"))
        if field == "speaker_role":
            return match_role(gold, _get(stmt, "speaker", "role"))
        if field == "channel":
            return match_channel(gold, stmt)
        if field == "relay":
            return match_relay(gold, stmt)
        if field == "time":
            return match_time(gold, stmt)
    except Exception:  # a malformed prediction is a wrong prediction
        return False
    return False


# ----------------------------------------------------------------------------- matching


def find_match(gold: dict, predicted: list[dict]) -> dict | None:
    content = gold.get("content")
    if not isinstance(content, str) or not content.strip():
        return None

    def texts(stmt: dict) -> str:
        text = _get(stmt, "content", "text")
        return text if isinstance(text, str) else ""

    cands = [s for s in predicted if content in texts(s)]
    if not cands:
        folded = fold(content)
        cands = [s for s in predicted if folded in fold(texts(s))]
    if not cands:
        return None
    if len(cands) == 1:
        return cands[0]
    gold_cue = norm_plain(gold.get("cue"))
    exact = [s for s in cands if norm_plain(_get(s, "cue", "text")) == gold_cue]
    if exact:
        return exact[0]
    gold_words = set(gold_cue.split()) - {"as", "was", "by", "the", "to"}
    shared = [s for s in cands if gold_words & set(norm_plain(_get(s, "cue", "text")).split())]
    pool = shared or cands
    return min(pool, key=lambda s: len(texts(s)))


# ----------------------------------------------------------------------------- main loop


def load_gold(path: Path, problems: list[str]) -> list[dict]:
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        problems.append(f"cannot read gold file {path}: {exc}")
        return records
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"gold line {lineno}: bad JSON ({exc})")
            continue
        if not isinstance(rec, dict) or not isinstance(rec.get("statements"), list):
            problems.append(f"gold line {lineno}: no 'statements' list")
            continue
        rec["statements"] = [s for s in rec["statements"] if isinstance(s, dict)]
        records.append(rec)
    return records


def run_extract(
    text: str, published: Any, detector: str | None = None, outlet: Any = None
) -> tuple[list[dict], str | None]:
    try:
        from onrecord import extract
    except Exception as exc:  # pragma: no cover - environment problem
        return [], f"cannot import onrecord.extract: {exc!r}"
    try:
        options: dict[str, Any] = {"detector": detector} if detector else {}
        if outlet:
            options["outlet"] = outlet
        result = extract(text, published=published, **options)
        data = result.to_dict() if hasattr(result, "to_dict") else result
        stmts = data.get("statements") if isinstance(data, dict) else None
        if not isinstance(stmts, list):
            return [], "extract() returned no statements list"
        return [s for s in stmts if isinstance(s, dict)], None
    except Exception as exc:
        tb = traceback.format_exc(limit=3).strip().splitlines()
        return [], f"extract() raised {exc!r} ({tb[-1] if tb else ''})"


def evaluate(gold_path: Path, articles_dir: Path, detector: str | None = None) -> dict:
    problems: list[str] = []
    records = load_gold(gold_path, problems)
    n_gold = 0
    n_detected = 0
    correct = {f: 0 for f in FIELDS}
    mismatches: list[dict] = []
    per_article: list[dict] = []
    started = time.perf_counter()

    for rec in records:
        name = str(rec.get("article", ""))
        golds = rec["statements"]
        n_gold += len(golds)
        predicted: list[dict] = []
        try:
            text = (articles_dir / name).read_text(encoding="utf-8")
        except (OSError, ValueError) as exc:
            problems.append(f"{name}: cannot read article ({exc})")
            text = None
        if text is not None:
            predicted, err = run_extract(text, rec.get("published"), detector, rec.get("outlet"))
            if err:
                problems.append(f"{name}: {err}")
        art_detected = 0
        art_correct = 0
        for gold in golds:
            stmt = find_match(gold, predicted)
            if stmt is None:
                mismatches.append(
                    {
                        "article": name,
                        "content": gold.get("content"),
                        "field": "detection",
                        "gold": gold.get("cue"),
                        "predicted": None,
                    }
                )
                continue
            n_detected += 1
            art_detected += 1
            for field in FIELDS:
                gval = gold.get(field)
                if compare(field, gval, stmt):
                    correct[field] += 1
                    art_correct += 1
                else:
                    mismatches.append(
                        {
                            "article": name,
                            "content": gold.get("content"),
                            "field": field,
                            "gold": gval,
                            "predicted": show_predicted(field, stmt),
                            "speaker_text": _get(stmt, "speaker", "text"),
                            "cue_text": _get(stmt, "cue", "text"),
                        }
                    )
        per_article.append(
            {
                "article": name,
                "gold": len(golds),
                "predicted": len(predicted),
                "detected": art_detected,
                "field_correct": art_correct,
            }
        )

    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    fields = {
        f: {
            "correct": correct[f],
            "detected_total": n_detected,
            "accuracy_detected": ratio(correct[f], n_detected),
            "all_total": n_gold,
            "accuracy_all": ratio(correct[f], n_gold),
        }
        for f in FIELDS
    }
    all_correct = sum(correct.values())
    return {
        "gold_file": str(gold_path),
        "articles": len(records),
        "gold_statements": n_gold,
        "detected": n_detected,
        "detection_recall": ratio(n_detected, n_gold),
        "fields": fields,
        "macro": {
            "accuracy_detected": ratio(all_correct, n_detected * len(FIELDS)),
            "accuracy_all": ratio(all_correct, n_gold * len(FIELDS)),
        },
        "per_article": per_article,
        "problems": problems,
        "seconds": round(time.perf_counter() - started, 2),
        "mismatches": mismatches,
    }


def _pct(x: float | None) -> str:
    return "   n/a" if x is None else f"{100 * x:5.1f}%"


def print_table(report: dict, details: bool) -> None:
    n, d = report["gold_statements"], report["detected"]
    print(f"Enrichment benchmark: {report['articles']} articles, {n} gold statements")
    print(f"({report['seconds']} s)\n")
    print(f"{'field':<14}{'correct':>8}{'total':>7}{'accuracy':>10}   {'over all':>8}")
    print("-" * 51)
    print(f"{'detection':<14}{d:>8}{n:>7}{_pct(report['detection_recall']):>10}")
    for f in FIELDS:
        row = report["fields"][f]
        print(
            f"{f:<14}{row['correct']:>8}{row['detected_total']:>7}"
            f"{_pct(row['accuracy_detected']):>10}   {_pct(row['accuracy_all']):>8}"
        )
    print("-" * 51)
    m = report["macro"]
    print(
        f"{'all fields':<14}{'':>8}{'':>7}{_pct(m['accuracy_detected']):>10}   "
        f"{_pct(m['accuracy_all']):>8}"
    )
    print("\n'accuracy' is over detected gold statements; 'over all' counts undetected as wrong.")
    for p in report["problems"]:
        print(f"PROBLEM: {p}")
    if not details:
        return
    print("\nPer article (gold / predicted / detected / field values correct):")
    for a in report["per_article"]:
        print(
            f"  {a['article']:<28} {a['gold']:>3} {a['predicted']:>4} {a['detected']:>4}"
            f" {a['field_correct']:>4}/{a['detected'] * len(FIELDS)}"
        )
    print(f"\nMismatches ({len(report['mismatches'])}):")
    for mm in report["mismatches"]:
        if mm["field"] == "detection":
            print(f"  [{mm['article']}] NOT DETECTED: {mm['content']!r} (cue {mm['gold']!r})")
            continue
        print(
            f"  [{mm['article']}] {mm['field']:<12} gold={mm['gold']!r} "
            f"pred={mm['predicted']!r}  | {mm['content']!r}"
            f"  (speaker {mm['speaker_text']!r}, cue {mm['cue_text']!r})"
        )
    counts: dict[str, int] = {}
    for mm in report["mismatches"]:
        counts[mm["field"]] = counts.get(mm["field"], 0) + 1
    print("\nMismatches by field: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


def resolve_set(path: Path | None) -> Path:
    """The set folder: the default set, a path as given, or one relative to the repository."""
    if path is None:
        return DEFAULT_SET
    if path.is_absolute() or path.exists():
        return path
    from_root = HERE.parent / path
    return from_root if from_root.exists() else path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--details", action="store_true", help="list every mismatch")
    parser.add_argument(
        "--set",
        type=Path,
        default=None,
        metavar="DIR",
        help="set folder with gold.jsonl and articles/ (default: benchmarks/enrichment)",
    )
    parser.add_argument(
        "--gold", type=Path, default=None, help="gold file (default: DIR/gold.jsonl)"
    )
    parser.add_argument(
        "--articles", type=Path, default=None, help="article folder (default: DIR/articles)"
    )
    parser.add_argument(
        "--detector", default=None, help="model or rules (default: onrecord's default)"
    )
    args = parser.parse_args(argv)
    set_dir = resolve_set(args.set)
    gold = args.gold if args.gold is not None else set_dir / "gold.jsonl"
    articles = args.articles if args.articles is not None else set_dir / "articles"
    try:
        report = evaluate(gold, articles, args.detector)
    except Exception as exc:  # last resort: report, never a traceback
        print(f"enrichment_eval: failed: {exc!r}", file=sys.stderr)
        return 2
    if args.json:
        if not args.details:
            report = {k: v for k, v in report.items() if k != "mismatches"}
        print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    else:
        print_table(report, args.details)
    return 0


if __name__ == "__main__":
    sys.exit(main())
