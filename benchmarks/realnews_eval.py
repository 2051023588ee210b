"""Benchmark on real news: statements, speakers and provenance against a blind gold set.

Usage::

    .venv/bin/python benchmarks/realnews_eval.py [--part heldout|analysis|all]
        [--gold ../gold/realnews] [--pages ../shared/extraction/scrapinghub]
        [--detector NAME] [--json] [--details]

The gold set is not part of this repository: it annotates pages of the public HTML
extraction benchmark in ``../shared/extraction/scrapinghub/`` (research and evaluation
use only), so it lives beside the checkout, by default in ``../gold/realnews/``:

* ``g1/gold.jsonl``, ``g2/gold.jsonl``: one line per article, written by two annotators
  who never saw onrecord's output, following ``../shared/provenance-fields.md``:
  ``{"article": <page id>, "published", "statements": [{"content", "content_more",
  "cue", "speaker_text", "speaker_name", "speaker_kind", "speaker_role", "type",
  "category", "channel": {"text", "name"}, "relay", "time": {"text", "date"}}]}``;
* ``split.json``: the 20 held-out articles (drawn at random before any scoring) and the
  others (``benchmarks/realnews_split.json``, page ids only, when the gold has none).
  ``--part heldout`` (the default) scores the held-out part, the figures the targets
  are judged on; ``--details`` lists mismatches and is refused on it: the
  held-out articles are never used for error analysis.

Each article's text is the page's main text as the extraction benchmark gives it
(``ground-truth.json``'s ``articleBody``), extracted with the gold's publication date
and the outlet ingest reads from the page (its site name), or the gold line's
``outlet`` where it gives one (a set whose pages have no HTML).

What is reported, each over the gold statements (or predictions) it applies to:

* statements: recall (gold statements matched) and precision (predicted statements that
  are a gold statement), over all predictions and over the default views' (speech and
  thought; `cue.category`);
* speaker name: accuracy over gold statements whose speaker is a named person (an
  unmatched statement counts as wrong), and precision (a predicted person's name, on a
  matched statement, is the gold's);
* role: accuracy over gold statements with a role (equal, or one contains the other as
  whole words, after dropping a leading article).  The definitions say that of several
  descriptors of one person any one is right, so a role the gold gives the same person
  (same name) for another statement of the article also counts;
* channel, time, relay: accuracy over gold statements that have the field, and precision
  over matched statements where onrecord gives one.

Matching: a predicted statement and a gold one match when their contents overlap by at
least half of the shorter (after folding quotes and spaces), one to one, largest overlap
first, a cue that agrees breaking ties.  A gold follow-on quote (no cue) and the gold
statement it follows, by the same speaker, may both match one prediction that joined
them into one statement. Field comparisons are those of
``enrichment_eval.py`` (names and roles case-folded without leading articles, channel by
name, time by date at the gold's precision or by text, relay by name).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import enrichment_eval as ee  # noqa: E402  (its field comparisons, shared)

DEFAULT_GOLD = HERE.parent.parent / "gold" / "realnews"
DEFAULT_PAGES = HERE.parent.parent / "shared" / "extraction" / "scrapinghub"
# the gold says "thought" where onrecord says "belief"
DEFAULT_VIEW = {"speech", "thought", "belief"}
PROVENANCE = ("channel", "time", "relay")


# ----------------------------------------------------------------------------- gold


# Which pages are held out, kept in the repository (page ids only): a rebuilt gold set
# keeps the same held-out part.  A split.json beside the gold, if any, wins.
SPLIT = HERE / "realnews_split.json"


def load_set(gold_dir: Path, part: str) -> list[dict]:
    own = gold_dir / "split.json"
    split = json.loads((own if own.is_file() else SPLIT).read_text(encoding="utf-8"))
    wanted = set(split["held_out"]) if part == "heldout" else set(split["analysis"])
    if part == "all":
        wanted |= set(split["held_out"])
    records = []
    for path in sorted(gold_dir.glob("*/gold.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                if rec["article"] in wanted:
                    records.append(rec)
    return sorted(records, key=lambda r: r["article"])


def gold_value(field: str, gold: dict) -> Any:
    """A gold field in the form enrichment_eval compares."""
    if field == "channel":
        ch = gold.get("channel")
        return (ch.get("name") or ch.get("text")) if isinstance(ch, dict) else None
    if field == "time":
        tm = gold.get("time")
        return (tm.get("date") or tm.get("text")) if isinstance(tm, dict) else None
    return gold.get(field)


# ----------------------------------------------------------------------------- matching


def _folded_spans(text: str, needle: str | None) -> list[tuple[int, int]]:
    """Where ``needle`` occurs in ``text`` (exactly, or failing that folded)."""
    if not needle:
        return []
    out, start = [], text.find(needle)
    while start >= 0:
        out.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    if out:
        return out
    folded, target = ee.fold(text), ee.fold(needle)
    k = folded.find(target)
    # A folded offset is close to the original one (folding only merges spaces):
    # good enough to measure an overlap.
    return [(k, k + len(target))] if k >= 0 else []


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> float:
    """Shared characters over the shorter of the two span sets."""
    shared = sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)
    shorter = min(sum(e - s for s, e in a), sum(e - s for s, e in b))
    return shared / shorter if shorter else 0.0


def match(text: str, golds: list[dict], predicted: list[dict]) -> dict[int, int]:
    """gold index -> predicted index, one to one."""
    gold_spans = []
    for g in golds:
        spans = _folded_spans(text, g.get("content"))
        more = _folded_spans(text, g.get("content_more"))
        gold_spans.append(spans[:1] + more[:1] if len(spans) <= 1 else spans)
    pairs = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(predicted):
            pspans = [tuple(s) for s in ee._get(p, "content", "spans") or []]
            # a gold content that occurs more than once: its best occurrence
            ov = max((_overlap([s], pspans) for s in gold_spans[gi]), default=0.0)
            if len(gold_spans[gi]) > 1 and g.get("content_more"):
                ov = max(ov, _overlap(gold_spans[gi], pspans))
            if ov >= 0.5:
                cue_agrees = ee.norm_plain(g.get("cue")) == ee.norm_plain(ee._get(p, "cue", "text"))
                pairs.append((ov, cue_agrees, gi, pi))
    out: dict[int, int] = {}
    used: dict[int, int] = {}  # predicted index -> the gold index it matched
    for _, _, gi, pi in sorted(pairs, key=lambda x: (-x[0], not x[1], x[2], x[3])):
        if gi not in out and pi not in used:
            out[gi] = pi
            used[pi] = gi
    # A follow-on quote the prediction joined to the statement it follows (one quote,
    # one statement, as the issue asks) matches that prediction too.
    for _, _, gi, pi in sorted(pairs, key=lambda x: (-x[0], x[2], x[3])):
        gj = used.get(pi)
        if gi in out or gj is None or abs(gi - gj) != 1:
            continue
        same = ee.norm_name(golds[gi].get("speaker_name") or golds[gi].get("speaker_text"))
        if (
            same
            and same == ee.norm_name(golds[gj].get("speaker_name") or golds[gj].get("speaker_text"))
            and None in (golds[gi].get("cue"), golds[gj].get("cue"))
        ):
            out[gi] = pi
    return out


# ----------------------------------------------------------------------------- scoring


def roles_by_person(golds: list[dict]) -> dict[str, list[str]]:
    """Every role the gold gives each named person in one article."""
    roles: dict[str, list[str]] = {}
    for g in golds:
        if g.get("speaker_name") and g.get("speaker_role"):
            roles.setdefault(ee.norm_name(g["speaker_name"]), []).append(g["speaker_role"])
    return roles


def role_matches(gold: str | None, pred: str | None) -> bool:
    g, p = ee.norm_role(gold), ee.norm_role(pred)
    if not g or not p:
        return False
    return g == p or re.search(rf"\b{re.escape(g)}\b", p) or re.search(rf"\b{re.escape(p)}\b", g)


class Tally:
    """Counts of right answers over what each figure is taken over."""

    def __init__(self) -> None:
        self.n: Counter[str] = Counter()

    def add(self, key: str, right: bool) -> None:
        self.n[key + ".total"] += 1
        self.n[key + ".right"] += bool(right)

    def ratio(self, key: str) -> dict:
        total, right = self.n[key + ".total"], self.n[key + ".right"]
        return {"right": right, "total": total, "ratio": round(right / total, 4) if total else None}


def score_article(rec: dict, text: str, predicted: list[dict], tally: Tally, out: list) -> None:
    golds = rec["statements"]
    pairs = match(text, golds, predicted)
    roles = roles_by_person(golds)
    matched_pred = set(pairs.values())
    for pi, p in enumerate(predicted):
        right = pi in matched_pred
        tally.add("precision.all", right)
        if ee._get(p, "cue", "category") in DEFAULT_VIEW:
            tally.add("precision.default_view", right)
        if not right:
            out.append(
                {
                    "article": rec["article"],
                    "kind": "not a statement",
                    "predicted": ee._get(p, "content", "text"),
                    "cue": ee._get(p, "cue", "text"),
                }
            )
    for gi, g in enumerate(golds):
        p = predicted[pairs[gi]] if gi in pairs else None
        tally.add("recall", p is not None)
        if g.get("category") in DEFAULT_VIEW:
            tally.add("recall.default_view", p is not None)
        if p is not None:
            _score_fields(rec["article"], g, p, tally, out, roles)
            continue
        out.append(
            {
                "article": rec["article"],
                "kind": "missed",
                "gold": g.get("content"),
                "cue": g.get("cue"),
            }
        )
        # an unfound statement's fields count as wrong
        if g.get("speaker_kind") == "person" and g.get("speaker_name"):
            tally.add("speaker_name", False)
        if g.get("speaker_role"):
            tally.add("role", False)
        for field in PROVENANCE:
            if gold_value(field, g) is not None:
                tally.add(field, False)


def _score_fields(
    article: str, g: dict, p: dict, tally: Tally, out: list, roles: dict[str, list[str]]
) -> None:
    def note(field: str, gold: Any, pred: Any) -> None:
        out.append(
            {
                "article": article,
                "kind": field,
                "gold": gold,
                "predicted": pred,
                "content": g.get("content"),
                "as_written": ee._get(p, "speaker", "text"),
                "predicted_cue": ee._get(p, "cue", "text"),
            }
        )

    name, kind = ee._get(p, "speaker", "name"), ee._get(p, "speaker", "kind")
    gold_name = g.get("speaker_name") if g.get("speaker_kind") == "person" else None
    if gold_name:
        right = ee.match_name(gold_name, name)
        tally.add("speaker_name", right)
        if not right:
            note("speaker_name", gold_name, name)
    if name and kind == "person":
        right = bool(gold_name) and ee.match_name(gold_name, name)
        tally.add("speaker_precision", right)
        if not right and not gold_name:
            note("speaker_name", gold_name, name)
    if g.get("speaker_role"):
        given = ee._get(p, "speaker", "role")
        same_person = roles.get(ee.norm_name(g.get("speaker_name") or ""), [])
        right = any(role_matches(r, given) for r in [g["speaker_role"], *same_person])
        tally.add("role", right)
        if not right:
            note("speaker_role", g["speaker_role"], ee._get(p, "speaker", "role"))
    for field in PROVENANCE:
        gold = gold_value(field, g)
        shown = ee.show_predicted(field, p)
        if gold is not None:
            right = ee.compare(field, gold, p)
            tally.add(field, right)
            if not right:
                note(field, gold, shown)
        if shown is not None:
            right = gold is not None and ee.compare(field, gold, p)
            tally.add(field + "_precision", right)
            if not right and gold is None:
                note(field, gold, shown)


def page_outlet(pages: Path, article: str, url: str | None) -> str | None:
    """The outlet ingest reads from the page (its site name), as a user who ingests the
    page has it: "told Polygraph.info" in Polygraph.info's own article relays nothing."""
    import gzip

    from onrecord.errors import OnrecordError
    from onrecord.ingest.html import html_article

    path = pages / "html" / f"{article}.html.gz"
    try:
        html = gzip.decompress(path.read_bytes())
        return html_article(html, source=str(path), overrides={"url": url}).outlet
    except (OSError, OnrecordError):
        return None


def evaluate(gold_dir: Path, pages: Path, part: str, detector: str | None) -> dict:
    from onrecord import extract

    bodies = json.loads((pages / "ground-truth.json").read_text(encoding="utf-8"))
    records = load_set(gold_dir, part)
    tally, mismatches = Tally(), []
    options = {"detector": detector} if detector else {}
    for rec in records:
        text = bodies[rec["article"]]["articleBody"]
        outlet = rec.get("outlet") or page_outlet(
            pages, rec["article"], bodies[rec["article"]].get("url")
        )
        result = extract(text, published=rec.get("published"), outlet=outlet, **options)
        result = result.to_dict()
        score_article(rec, text, result["statements"], tally, mismatches)
    keys = [
        "recall",
        "recall.default_view",
        "precision.all",
        "precision.default_view",
        "speaker_name",
        "speaker_precision",
        "role",
    ]
    keys += [k for f in PROVENANCE for k in (f, f + "_precision")]
    return {
        "part": part,
        "detector": detector or "default",
        "articles": len(records),
        "gold_statements": sum(len(r["statements"]) for r in records),
        "figures": {k: tally.ratio(k) for k in keys},
        "mismatches": mismatches,
    }


LABELS = {
    "recall": "statements found (recall)",
    "recall.default_view": "  of speech and thought",
    "precision.all": "statements right (precision)",
    "precision.default_view": "  in the default views",
    "speaker_name": "speaker name",
    "speaker_precision": "  a named person is right",
    "role": "role",
    "channel": "channel",
    "channel_precision": "  a channel given is right",
    "time": "time",
    "time_precision": "  a time given is right",
    "relay": "relay",
    "relay_precision": "  a relay given is right",
}


def print_table(report: dict, details: bool) -> None:
    print(
        f"Real news, {report['part']} part: {report['articles']} articles, "
        f"{report['gold_statements']} gold statements, detector {report['detector']}\n"
    )
    print(f"{'figure':<32}{'right':>7}{'of':>7}{'':>3}{'%':>6}")
    for key, row in report["figures"].items():
        pct = "n/a" if row["ratio"] is None else f"{100 * row['ratio']:.1f}"
        print(f"{LABELS[key]:<32}{row['right']:>7}{row['total']:>7}{'':>3}{pct:>6}")
    if details:
        print(f"\nMismatches ({len(report['mismatches'])}):")
        for m in report["mismatches"]:
            print("  " + json.dumps(m, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("heldout", "analysis", "all"), default="heldout")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--detector", default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args(argv)
    if args.details and args.part != "analysis":
        parser.error(
            "--details only with --part analysis: the held-out articles are never "
            "used for error analysis"
        )
    for needed in (args.gold, args.pages / "ground-truth.json"):
        if not needed.exists():
            parser.error(f"{needed} not found (the gold set lives outside the repository)")
    report = evaluate(args.gold, args.pages, args.part, args.detector)
    if args.json:
        if not args.details:
            report.pop("mismatches")
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_table(report, args.details)
    return 0


if __name__ == "__main__":
    sys.exit(main())
