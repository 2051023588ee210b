"""Quote clusters and canonical speakers, scored on a labelled set of articles.

    .venv/bin/python benchmarks/store_quality.py [--json] [--keep DB]

The set is ``benchmarks/store/``: 33 short articles from seven made-up outlets
(``articles/*.txt``, metadata in ``articles.json``) in which several outlets report the
same statements with different punctuation, quote marks, truncation, ellipses, a word or
two changed and different lead-ins; distinct statements sharing words; stock phrases from
different people; two pairs of different people sharing a surname; people named in full,
by surname, by title; organisations with suffix variants.  ``labels.json`` gives, for 106
statements (article + a substring of the content), the true cluster and the true
speaker; it was written with the articles, before onrecord's output on them was seen.

Every article is extracted (``onrecord.extract``) and stored in file order into a fresh
SQLite database (``onrecord.store.Store``).  Each label is matched to the report of its
article whose content contains the substring (case, quote marks and spaces folded; the
shortest such report when several do, i.e. the inner one of a relay).  Then, over all
pairs of matched labelled reports:

* clustering: a pair is predicted together when both reports belong to one stored
  statement, and truly together when the labels give one cluster;
* speakers: predicted together when both reports have one canonical speaker (a report
  with none is together with nothing), truly together when the labels give one speaker.
  Scored once over every matched report and once over the reports the extractor gave a
  named speaker (which isolates the merging from the extraction).

Pairwise precision = correct together-pairs / predicted together-pairs; recall = correct
together-pairs / true together-pairs.  Misses and false merges are listed per cluster
and per speaker.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent / "store"


def norm(text: str) -> str:
    text = text.casefold()
    for a, b in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"'), ("…", "...")):
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text).strip()


def ingest(db: Path, detector: str | None = None) -> list[dict]:
    """Extract and store the set; every stored report with its article's file name."""
    from sqlalchemy import select

    from onrecord import extract
    from onrecord.ingest import article_from_text
    from onrecord.store import Store
    from onrecord.store.schema import articles, reports, speakers

    meta = json.loads((HERE / "articles.json").read_text(encoding="utf-8"))
    with Store(str(db)) as store:
        for name in sorted(meta):
            text = (HERE / "articles" / name).read_text(encoding="utf-8")
            article = article_from_text(text, source=name, **meta[name])
            store.add(extract(article, **({"detector": detector} if detector else {})))
        with store.engine.connect() as conn:
            rows = conn.execute(
                select(
                    reports.c.id,
                    reports.c.statement_id,
                    reports.c.speaker_id,
                    reports.c.speaker_text,
                    reports.c.speaker_name,
                    reports.c.speaker_role,
                    reports.c.content,
                    articles.c.source,
                    speakers.c.name.label("canonical"),
                )
                .join(articles, articles.c.id == reports.c.article_id)
                .outerjoin(speakers, speakers.c.id == reports.c.speaker_id)
            ).all()
    return [dict(r._mapping) for r in rows]


def match(labels: list[dict], stored: list[dict]) -> tuple[list[tuple[dict, dict]], list[dict]]:
    by_article: dict[str, list[dict]] = defaultdict(list)
    for r in stored:
        by_article[r["source"]].append(r)
    matched, unmatched = [], []
    for label in labels:
        needle = norm(label["content"])
        found = [r for r in by_article[label["article"]] if needle in norm(r["content"])]
        if found:
            matched.append((label, min(found, key=lambda r: (len(r["content"]), r["id"]))))
        else:
            unmatched.append(label)
    return matched, unmatched


def pairwise(items: list[tuple[object, object]]) -> dict:
    """Precision/recall/F1 over pairs; items are (true label, predicted label or None)."""
    tp = fp = fn = 0
    for (t1, p1), (t2, p2) in itertools.combinations(items, 2):
        same_true = t1 == t2
        same_pred = p1 is not None and p1 == p2
        tp += same_true and same_pred
        fp += same_pred and not same_true
        fn += same_true and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "reports": len(items),
        "true_pairs": tp + fn,
        "predicted_pairs": tp + fp,
        "correct_pairs": tp,
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
    }


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def errors(matched, true_key: str, pred_key: str, show) -> tuple[list[dict], list[dict]]:
    """Missed merges (a true group split over predictions) and false merges (a predicted
    group holding more than one true group), each with its members."""
    by_true: dict = defaultdict(list)
    by_pred: dict = defaultdict(list)
    for label, report in matched:
        by_true[label[true_key]].append((label, report))
        if report[pred_key] is not None:
            by_pred[report[pred_key]].append((label, report))
    missed = []
    for key, members in sorted(by_true.items()):
        parts: dict = defaultdict(list)
        for label, report in members:
            parts[report[pred_key]].append(show(label, report))
        if len(parts) > 1:
            missed.append({"true": key, "split_into": [parts[k] for k in parts]})
    false = []
    for key, members in sorted(by_pred.items()):
        groups: dict = defaultdict(list)
        for label, report in members:
            groups[label[true_key]].append(show(label, report))
        if len(groups) > 1:
            false.append({"predicted": key, "merges": dict(groups)})
    return missed, false


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON report")
    parser.add_argument("--keep", type=Path, help="store into this file and keep it")
    parser.add_argument("--detector", help="model or rules (default: onrecord's default)")
    args = parser.parse_args()

    labels = json.loads((HERE / "labels.json").read_text(encoding="utf-8"))["statements"]
    with tempfile.TemporaryDirectory() as tmp:
        db = args.keep or Path(tmp) / "quality.db"
        if db.exists():
            sys.exit(f"error: {db} exists; --keep wants a new file")
        stored = ingest(db, args.detector)
    matched, unmatched = match(labels, stored)
    reused = sum(n - 1 for n in _counts(r["id"] for _, r in matched).values() if n > 1)

    clustering = pairwise([(lb["cluster"], r["statement_id"]) for lb, r in matched])
    speaker_all = pairwise([(lb["speaker"], r["speaker_id"]) for lb, r in matched])
    named = [(lb, r) for lb, r in matched if r["speaker_id"] is not None]
    speaker_named = pairwise([(lb["speaker"], r["speaker_id"]) for lb, r in named])

    def show_content(label, report):
        return f"{label['article'][:2]}: {_short(report['content'])}"

    def show_speaker(label, report):
        as_written = report["speaker_text"] or "-"
        return f"{label['article'][:2]}: {as_written} → {report['canonical'] or '(none)'}"

    c_missed, c_false = errors(matched, "cluster", "statement_id", show_content)
    s_missed, s_false = errors(matched, "speaker", "speaker_id", show_speaker)
    report = {
        "articles": len({lb["article"] for lb in labels}),
        "labelled": len(labels),
        "matched": len(matched),
        "not_extracted": [f"{lb['article'][:2]}: {lb['content']}" for lb in unmatched],
        "reports_matched_twice": reused,
        "stored_reports": len(stored),
        "clustering": clustering,
        "speakers_all": speaker_all,
        "speakers_named": speaker_named,
        "no_speaker": [
            f"{lb['article'][:2]}: {r['speaker_text'] or '-'} ({lb['speaker']})"
            for lb, r in matched
            if r["speaker_id"] is None
        ],
        "cluster_missed": c_missed,
        "cluster_false": c_false,
        "speaker_missed": s_missed,
        "speaker_false": s_false,
    }
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    _print(report)


def _counts(items) -> dict:
    out: dict = defaultdict(int)
    for i in items:
        out[i] += 1
    return out


def _line(name: str, m: dict) -> str:
    return (
        f"{name:<22} P {100 * m['precision']:5.1f}  R {100 * m['recall']:5.1f}  "
        f"F1 {100 * m['f1']:5.1f}   pairs: {m['correct_pairs']} correct / "
        f"{m['predicted_pairs']} predicted / {m['true_pairs']} true, {m['reports']} reports"
    )


def _print(rep: dict) -> None:
    print(
        f"{rep['articles']} articles, {rep['labelled']} labelled statements, "
        f"{rep['matched']} matched to a stored report ({rep['stored_reports']} stored); "
        f"{rep['reports_matched_twice']} reports matched by two labels"
    )
    print(_line("clustering", rep["clustering"]))
    print(_line("speakers (all)", rep["speakers_all"]))
    print(_line("speakers (named)", rep["speakers_named"]))
    if rep["not_extracted"]:
        print(f"\nnot extracted ({len(rep['not_extracted'])}):")
        for s in rep["not_extracted"]:
            print("  " + s)
    if rep["no_speaker"]:
        print(f"\nno canonical speaker ({len(rep['no_speaker'])}):")
        for s in rep["no_speaker"]:
            print("  " + s)
    for title, key in (
        ("missed cluster merges", "cluster_missed"),
        ("missed speaker merges", "speaker_missed"),
    ):
        print(f"\n{title} ({len(rep[key])} true groups split):")
        for item in rep[key]:
            print(f"  {item['true']}:")
            for part in item["split_into"]:
                print("    | " + "  ‖  ".join(part))
    for title, key in (
        ("false cluster merges", "cluster_false"),
        ("false speaker merges", "speaker_false"),
    ):
        print(f"\n{title} ({len(rep[key])} predicted groups mixing true ones):")
        for item in rep[key]:
            print(f"  predicted {item['predicted']}:")
            for true, members in item["merges"].items():
                print(f"    {true}: " + "  ‖  ".join(members))


if __name__ == "__main__":
    main()
