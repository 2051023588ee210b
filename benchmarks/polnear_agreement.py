"""How far PolNeAR's annotators agree with each other, and a detector with each of them.

    .venv/bin/python benchmarks/polnear_agreement.py [GOLD_DIR ...] [--detector NAME]
        [--json]
    .venv/bin/python benchmarks/polnear_agreement.py --train-without DIR

Eighteen PolNeAR articles (16 in train, 2 in dev) were annotated by all six annotators.
On them this prints, per role, exact-match F1 between every pair of annotators, of the
consensus of the other annotators against each one, and (with ``--detector``) of the
detector against each one (see :mod:`onrecord.eval.agreement`).

The shipped models were trained on the train articles among them (their first
annotator's reading), so for a fair detector row train a model that has not seen them:
``--train-without DIR`` writes a train folder of symbolic links without those articles
(nothing is copied), then

    .venv/bin/onrecord train --train DIR --dev ../shared/polnear/dev --out MODEL
    ONRECORD_MODEL=MODEL .venv/bin/python benchmarks/polnear_agreement.py --detector model
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "polnear"


def train_without(train_dir: Path, out: Path) -> int:
    """Link every article of train_dir with a single annotator into out; returns how many."""
    from onrecord.training import training_documents

    docs = training_documents(train_dir, log=lambda _: None)
    (out / "text").mkdir(parents=True, exist_ok=True)
    (out / "attributions").mkdir(exist_ok=True)
    for doc in docs:
        links = [(Path(doc.path), out / "text" / Path(doc.path).name)]
        if doc.ann_path:
            links.append((Path(doc.ann_path), out / "attributions" / Path(doc.ann_path).name))
        for target, link in links:
            if not link.exists():
                link.symlink_to(target.resolve())
    return len(docs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dirs", nargs="*", type=Path)
    parser.add_argument("--detector", help="also score this detector against each annotator")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--train-without", type=Path, metavar="DIR")
    args = parser.parse_args()
    from onrecord.errors import OnrecordError

    try:
        run(args)
    except OnrecordError as exc:
        raise SystemExit(f"error: {exc}") from None


def run(args: argparse.Namespace) -> None:
    if args.train_without:
        train = args.gold_dirs[0] if args.gold_dirs else POLNEAR / "train"
        kept = train_without(train, args.train_without)
        print(f"{kept} single-annotator articles of {train} linked into {args.train_without}")
        return

    from onrecord.eval.agreement import agreement, detector_relations
    from onrecord.eval.brat import load_gold

    dirs = args.gold_dirs or [POLNEAR / "train", POLNEAR / "dev"]
    docs = [doc for d in dirs for doc in load_gold(d, every_annotator=True)]
    predicted = detector_relations(docs, args.detector) if args.detector else None
    report = agreement(docs, predicted)
    print(json.dumps(report.to_dict(), indent=1) if args.json else report.to_text())


if __name__ == "__main__":
    main()
