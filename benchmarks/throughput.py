"""Throughput on one core: the bare spaCy parse against the whole onrecord pipeline.

    .venv/bin/python benchmarks/throughput.py [DIR] [--repeat N] [--json]

DIR is a folder of .txt articles, or a brat gold folder with text/*.txt (default:
../shared/polnear/dev).  Both runs see the same texts in the same order, batched the same
way; each is repeated and the best run kept, so the figures are not a cold start.  BLAS
and OpenMP are pinned to one thread before numpy loads, so "per core" means one core.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "polnear" / "dev"
BATCH = 16


def load_texts(folder: Path) -> list[str]:
    texts_dir = folder / "text" if (folder / "text").is_dir() else folder
    files = sorted(texts_dir.glob("*.txt"))
    if not files:
        sys.exit(f"error: no .txt files in {texts_dir}")
    return [f.read_text(encoding="utf-8") for f in files]


def bare_parse(texts: list[str]) -> float:
    """Seconds for the stock English pipeline alone (as shipped, nothing added)."""
    import importlib

    from onrecord.nlp import MODEL_PACKAGES

    for name in MODEL_PACKAGES:
        try:
            nlp = importlib.import_module(name).load()
            break
        except ImportError:
            continue
    nlp.max_length = 2_000_000
    for _ in nlp.pipe(texts[:2]):
        pass  # warm-up
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=BATCH):
        pass
    return time.perf_counter() - t0


def pipeline(texts: list[str], detector: str) -> tuple[float, dict[str, float]]:
    """Seconds for onrecord from article text to enriched statements, and per stage."""
    from onrecord.ingest import article_from_text
    from onrecord.pipeline import Extractor

    articles = [article_from_text(t, source=f"#{i}") for i, t in enumerate(texts)]
    extractor = Extractor(detector=detector, batch_size=BATCH)
    list(extractor.extract_many(articles[:2]))  # warm-up
    for key in extractor.timings:
        extractor.timings[key] = 0.0
    t0 = time.perf_counter()
    for _ in extractor.extract_many(articles):
        pass
    return time.perf_counter() - t0, dict(extractor.timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--detector", default="rules")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    texts = load_texts(args.folder)
    n = len(texts)
    bares, runs = [], []
    for _ in range(args.repeat):  # interleaved, so neither side gets the warmer machine
        bares.append(bare_parse(texts))
        runs.append(pipeline(texts, args.detector))
    bare = min(bares)
    full, stages = min(runs, key=lambda r: r[0])
    stage_total = sum(stages.values()) or 1.0
    report = {
        "articles": n,
        "characters": sum(len(t) for t in texts),
        "detector": args.detector,
        "bare_parse_articles_per_second": round(n / bare, 2),
        "pipeline_articles_per_second": round(n / full, 2),
        "pipeline_vs_bare_parse": round(bare / full, 3),
        "stage_seconds": {k: round(v, 3) for k, v in stages.items()},
        "share_in_spacy": round(stages["parse"] / stage_total, 3),
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{n} articles, {report['characters']:,} characters, one thread, best of {args.repeat}")
    print(f"bare spaCy parse     {report['bare_parse_articles_per_second']:7.2f} articles/s")
    print(
        f"onrecord ({args.detector:<5})     {report['pipeline_articles_per_second']:7.2f} "
        f"articles/s  ({report['pipeline_vs_bare_parse']:.2f}× the bare parse)"
    )
    stage_text = ", ".join(f"{k} {v:.2f} s" for k, v in stages.items())
    print(f"stages: {stage_text}; inside spaCy {100 * report['share_in_spacy']:.1f}%")


if __name__ == "__main__":
    main()
