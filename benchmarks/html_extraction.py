"""HTML main-text extraction on the scrapinghub article-extraction benchmark.

    .venv/bin/python benchmarks/html_extraction.py [DIR]

DIR holds ``html/<id>.html.gz`` and ``ground-truth.json`` (default:
../shared/extraction/scrapinghub).  Each page goes through ``article_from_html`` — the
same path as ``onrecord extract page.html`` — and the article text, minus the regions the
appeal filter drops, is compared with the ground-truth ``articleBody`` the way the
benchmark does: multisets of word 4-grams, per-page precision and recall normalised so
that long pages weigh no more than short ones, averaged over pages, F1 from the averages.
Pages onrecord refuses (not English) count as empty predictions in the first line and are
left out of the second.  The last lines count appeal regions that cut into the ground
truth (text the filter should have kept).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "extraction" / "scrapinghub"
_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def page_scores(true: str, pred: str) -> tuple[float | None, float | None]:
    """(precision, recall) for one page, None where undefined."""
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    if fp == fn == 0:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall


def summary(pairs: list[tuple[float | None, float | None]]) -> tuple[float, float, float]:
    p = statistics.mean(x for x, _ in pairs if x is not None)
    r = statistics.mean(y for _, y in pairs if y is not None)
    return p, r, 2 * p * r / (p + r)


def kept_text(article) -> str:
    """The article text a reader gets: the dropped appeal regions cut out."""
    text, out, last = article.text, [], 0
    for s, e in sorted(article.excluded):
        out.append(text[last:s])
        last = e
    out.append(text[last:])
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    args = parser.parse_args()
    truth_path = args.folder / "ground-truth.json"
    if not truth_path.is_file():
        sys.exit(f"error: {truth_path}: no such file")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))

    from onrecord.errors import InputError
    from onrecord.ingest import article_from_html

    all_pages, english, refused = [], [], Counter()
    appeals = appeals_in_truth = 0
    for key, record in sorted(truth.items()):
        body = record.get("articleBody", "")
        html = gzip.decompress((args.folder / "html" / f"{key}.html.gz").read_bytes())
        try:
            article = article_from_html(html, source=key, url=record.get("url"))
        except InputError as exc:
            refused[exc.reason.split("(")[0].strip()] += 1
            all_pages.append(page_scores(body, ""))
            continue
        scores = page_scores(body, kept_text(article))
        all_pages.append(scores)
        english.append(scores)
        for s, e in article.excluded:
            appeals += 1
            dropped = article.text[s:e]
            if sum((shingles(dropped) & shingles(body)).values()) > 0:
                appeals_in_truth += 1

    for label, pairs in (("all pages", all_pages), ("pages read", english)):
        p, r, f = summary(pairs)
        print(f"{label:<11} {len(pairs):4d}   precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
    for reason, n in refused.most_common():
        print(f"refused     {n:4d}   {reason}")
    print(
        f"appeal regions dropped {appeals}, of which cut into the ground truth {appeals_in_truth}"
    )


if __name__ == "__main__":
    main()
