"""Where the detector fails on a brat gold folder, by category, with counts.

    .venv/bin/python benchmarks/polnear_failures.py [GOLD_DIR] [--detector rules]
        [--examples N]

Runs ``onrecord.eval.evaluate`` with details and sorts every unmatched gold relation
(a miss) and every unmatched prediction (a false alarm) into one category, so that the
next improvement can go where the counts are.  Categories:

misses
  not found        no prediction overlaps the gold content at all; split by the kind
                   of gold cue (a reporting verb, a belief/stance verb, another verb,
                   "according to", a colon, a noun, ...)
  content bounds   a prediction with the same cue and source, content Jaccard < 0.5
  source           same cue and content, wrong or missing source
  cue              overlapping content, but another cue word
false alarms
  not in gold      overlaps no gold content: PolNeAR does not count it as attribution
  content bounds / source / cue   as above, seen from the prediction's side
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "polnear" / "dev"


def cue_kind(cue: str | None, lexicon, nlp) -> str:
    if not cue:
        return "no cue"
    low = cue.lower().strip()
    if low.startswith("according"):
        return "according to"
    if low in (":", "—", "―", "-"):
        return "punctuation"
    doc = nlp(cue)
    heads = [t for t in doc if t.head == t] or list(doc)
    head = heads[0]
    if head.pos_ == "NOUN":
        return "noun"
    if head.pos_ == "ADJ" or head.lemma_ == "be":
        return "adjective / be"
    if head.pos_ not in ("VERB", "AUX"):
        return f"other ({head.pos_.lower()})"
    cls = lexicon.classes.get(head.lemma_.lower())
    if cls == "speech":
        return "reporting verb"
    if cls in ("belief", "evidence", "stance"):
        return f"{cls} verb"
    return "other verb"


def why(closest: dict | None) -> str:
    if closest is None:
        return "not found"
    if not closest["cue_agrees"]:
        return "cue"
    if not closest["source_agrees"]:
        return "source"
    return "content bounds"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dir", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--detector", default="rules")
    parser.add_argument("--examples", type=int, default=2)
    args = parser.parse_args()

    from onrecord import nlp as onlp
    from onrecord.attribution.lexicon import default_lexicon
    from onrecord.eval import evaluate

    report = evaluate(args.gold_dir, detector=args.detector, keep_details=True)
    lexicon, nlp = default_lexicon(), onlp.load()
    misses: Counter = Counter()
    alarms: Counter = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    for detail in report.details or ():
        for g in detail.unmatched_gold:
            reason = why(g["closest"])
            if reason == "not found":
                reason = f"not found: {cue_kind(g['cue'], lexicon, nlp)}"
            misses[reason] += 1
            examples["miss " + reason].append(f"[{g['source']}] [{g['cue']}] {g['content'][:70]}")
        for p in detail.unmatched_predicted:
            reason = why(p["closest"])
            if reason == "not found":
                reason = f"not in gold: {cue_kind(p['cue'], lexicon, nlp)}"
            alarms[reason] += 1
            examples["alarm " + reason].append(f"[{p['source']}] [{p['cue']}] {p['content'][:70]}")

    s = report.score.relations
    print(
        f"{report.n_articles} articles · relations tp {s.tp} · "
        f"misses {sum(misses.values())} · false alarms {sum(alarms.values())}"
    )
    for title, counter, prefix in (("misses", misses, "miss "), ("false alarms", alarms, "alarm ")):
        print(f"\n{title}")
        for reason, n in counter.most_common():
            print(f"  {n:5d}  {reason}")
            for ex in examples[prefix + reason][: args.examples]:
                print(f"           e.g. {ex}")


if __name__ == "__main__":
    main()
