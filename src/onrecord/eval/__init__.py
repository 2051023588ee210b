"""Evaluation against a gold brat corpus (PolNeAR): how well onrecord finds attributions.

    >>> from onrecord.eval import evaluate
    >>> report = evaluate("polnear/dev", limit=10)
    >>> print(report.to_text())

Each gold article's text goes through the library exactly as a user's would (ingest's
``article_from_text``, then ``Extractor(detector=...).extract_many``); each statement
becomes a predicted relation (source = ``speaker.spans``, cue = ``cue_spans``, content =
``content_spans``) and is scored with :mod:`onrecord.eval.metrics` (see there for the
rules).  ``keep_details=True`` keeps, for each article, the gold and predicted relations
that found no partner, with their surface strings, for error analysis.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..attribution import DEFAULT_DETECTOR
from ..attribution.quotes import statement_type
from ..errors import InputError, one_line
from ..records import Article, ArticleResult
from .brat import GoldDocument, GoldRelation, load_gold
from .metrics import ROLES, TYPES, ArticleScore, Relation, explain, jaccard, score_article, surface

__all__ = [
    "ArticleDetail",
    "EvalReport",
    "GoldDocument",
    "GoldRelation",
    "evaluate",
    "load_gold",
    "predicted_relations",
]

STAGES = ("parse", "detect", "enrich")
Progress = Callable[[int, int], None]


def predicted_relations(
    result: ArticleResult, nested: bool = False
) -> tuple[list[Relation], list[str]]:
    """The relations (and statement types) a result's statements predict.

    PolNeAR annotates no attribution inside another one's content ("each token belongs
    to at most one relation"), so by default a statement whose cue lies in another
    statement's content (the Security Council's warning inside "..., TASS reported") is
    not scored: it is part of the outer statement's content.  ``nested=True`` scores
    every statement.
    """
    relations, types = [], []
    inside = set() if nested else nested_ids(result)
    for statement in result.statements:
        if statement.id in inside:
            continue
        relations.append(
            Relation(
                source=tuple(statement.speaker.spans),
                cue=tuple(statement.cue_spans),
                content=tuple(statement.content_spans),
            )
        )
        types.append(statement.type)
    return relations, types


def nested_ids(result: ArticleResult) -> set[str]:
    """The ids of the statements whose cue (a follow-on's content, which has none) lies
    inside another statement's content."""
    from ..attribution.intervals import SpanIndex

    contents = SpanIndex((s, e, st.id) for st in result.statements for s, e in st.content_spans)
    out = set()
    for st in result.statements:
        spans = st.cue_spans or st.content_spans
        if spans and any(other != st.id for other in contents.holding(spans[0][0])):
            out.add(st.id)
    return out


@dataclass
class ArticleDetail:
    """One article's misses: gold relations not found, predictions that matched nothing."""

    stem: str
    path: str
    gold: int
    predicted: int
    matched: int
    unmatched_gold: list[dict] = field(default_factory=list)
    unmatched_predicted: list[dict] = field(default_factory=list)
    error: str | None = None  # the article could not be extracted (scored as no predictions)

    def to_dict(self) -> dict:
        return {
            "stem": self.stem,
            "path": self.path,
            "gold": self.gold,
            "predicted": self.predicted,
            "matched": self.matched,
            "error": self.error,
            "unmatched_gold": self.unmatched_gold,
            "unmatched_predicted": self.unmatched_predicted,
        }


def _describe(text: str, relation: Relation, index: int, closest: dict | None, **extra) -> dict:
    out: dict = {"index": index, **extra}
    for role in ROLES:
        out[role] = surface(text, relation.role(role))
    out["spans"] = {role: [list(f) for f in relation.role(role)] for role in ROLES}
    out["closest"] = closest
    return out


def _closest(
    text: str, relation: Relation, others: Sequence[Relation], as_gold: bool
) -> dict | None:
    """The relation on the other side whose content overlaps most, and why they did not
    match (``None`` when no content overlaps)."""
    best = max(
        range(len(others)), key=lambda j: jaccard(relation.content, others[j].content), default=-1
    )
    if best < 0 or not jaccard(relation.content, others[best].content):
        return None
    other = others[best]
    why = explain(other, relation) if as_gold else explain(relation, other)
    return {"index": best, **why, **{role: surface(text, other.role(role)) for role in ROLES}}


def _detail(
    doc: GoldDocument,
    predicted: list[Relation],
    types: list[str],
    ids: list[str],
    score: ArticleScore,
    error: str | None,
) -> ArticleDetail:
    text = doc.text
    gold = list(doc.relations)
    matched_p = {i for i, _ in score.pairs}
    matched_g = {j for _, j in score.pairs}
    return ArticleDetail(
        stem=doc.stem,
        path=doc.path,
        gold=len(gold),
        predicted=len(predicted),
        matched=len(score.pairs),
        unmatched_gold=[
            _describe(
                text,
                g,
                j,
                _closest(text, g, predicted, as_gold=True),
                id=g.id,
                type=statement_type(text, g.content),
            )
            for j, g in enumerate(gold)
            if j not in matched_g
        ],
        unmatched_predicted=[
            _describe(text, p, i, _closest(text, p, gold, False), id=ids[i], type=types[i])
            for i, p in enumerate(predicted)
            if i not in matched_p
        ],
        error=error,
    )


@dataclass
class EvalReport:
    """Corpus scores (micro-averaged), throughput, and optionally per-article details."""

    gold_dir: str
    detector: str
    version: str
    nested: bool
    n_articles: int
    score: ArticleScore
    gold_relations: int
    predicted_relations: int
    wall_seconds: float
    timings: dict[str, float]
    input_errors: int = 0  # articles ingest refused (evaluated as plain Articles)
    failed: int = 0  # articles the extractor raised on (scored with no predictions)
    gold_skipped: int = 0  # gold relations with no content, left out
    details: list[ArticleDetail] | None = None

    @property
    def articles_per_second(self) -> float:
        return self.n_articles / self.wall_seconds if self.wall_seconds > 0 else 0.0

    @property
    def parse_share(self) -> float:
        total = sum(self.timings.values())
        return self.timings["parse"] / total if total > 0 else 0.0

    def iter_details(self) -> Iterator[dict]:
        """One dict per article (what ``--dump`` writes); empty without ``keep_details``."""
        for detail in self.details or ():
            yield detail.to_dict()

    def to_dict(self) -> dict:
        s = self.score
        return {
            "onrecord_version": self.version,
            "detector": self.detector,
            "nested": self.nested,
            "gold_dir": self.gold_dir,
            "n_articles": self.n_articles,
            "gold_relations": self.gold_relations,
            "predicted_relations": self.predicted_relations,
            "roles": {
                role: {
                    "exact": s.roles[role]["exact"].to_dict(),
                    "overlap": s.roles[role]["overlap"].to_dict(),
                    "gold": s.roles[role]["exact"].gold,
                    "predicted": s.roles[role]["exact"].predicted,
                }
                for role in ROLES
            },
            "relations": s.relations.to_dict(),
            "by_type": {t: s.by_type[t].to_dict() for t in TYPES},
            "throughput": {
                "articles_per_second": round(self.articles_per_second, 3),
                "wall_seconds": round(self.wall_seconds, 3),
                "stage_seconds": {k: round(self.timings[k], 3) for k in STAGES},
                "parse_share": round(self.parse_share, 4),
            },
            "input_errors": self.input_errors,
            "failed_articles": self.failed,
            "gold_skipped": self.gold_skipped,
        }

    def to_text(self) -> str:
        s = self.score

        def pct(x: float) -> str:
            return f"{100 * x:5.1f}%"

        lines = [
            f"onrecord {self.version} · detector {self.detector} · "
            f"{self.n_articles} articles ({self.gold_dir})"
            + (" · nested statements scored" if self.nested else ""),
            f"gold relations {self.gold_relations:,} · predicted {self.predicted_relations:,}",
            "",
            f"{'':<10}{'exact':^21}  {'overlap':^21}",
            f"{'role':<10}{'P':>7}{'R':>7}{'F1':>7}  {'P':>7}{'R':>7}{'F1':>7}"
            f"{'gold':>8}{'pred':>8}",
        ]
        for role in ROLES:
            ex, ov = s.roles[role]["exact"], s.roles[role]["overlap"]
            lines.append(
                f"{role:<10}{pct(ex.precision):>7}{pct(ex.recall):>7}{pct(ex.f1):>7}  "
                f"{pct(ov.precision):>7}{pct(ov.recall):>7}{pct(ov.f1):>7}"
                f"{ex.gold:>8,}{ex.predicted:>8,}"
            )
        r = s.relations
        lines += [
            "",
            f"{'relations':<10}{pct(r.precision):>7}{pct(r.recall):>7}{pct(r.f1):>7}  "
            f"(tp {r.tp:,}, fp {r.fp:,}, fn {r.fn:,})",
            "",
            f"{'by gold type':<14}{'gold':>7}{'relation R':>12}{'content R':>11}"
            f"{'pred':>8}{'relation P':>12}",
        ]
        for t in TYPES:
            c = s.by_type[t].to_dict()
            lines.append(
                f"{t:<14}{c['gold_relations']:>7,}{pct(c['relation_recall']):>12}"
                f"{pct(c['content_overlap_recall']):>11}{c['predicted']:>8,}"
                f"{pct(c['relation_precision']):>12}"
            )
        stages = ", ".join(f"{k} {self.timings[k]:.1f} s" for k in STAGES)
        lines += [
            "",
            f"throughput {self.articles_per_second:.1f} articles/s "
            f"(wall {self.wall_seconds:.1f} s; {stages}; parsing {pct(self.parse_share).strip()})",
        ]
        notes = []
        if self.input_errors:
            notes.append(f"{self.input_errors} refused by ingest (read as plain text)")
        if self.failed:
            notes.append(f"{self.failed} failed in extraction (scored with no predictions)")
        if self.gold_skipped:
            notes.append(f"{self.gold_skipped} gold relations without content left out")
        if notes:
            lines.append("note: " + "; ".join(notes))
        return "\n".join(lines)


def gold_article(doc: GoldDocument) -> tuple[Article, bool]:
    """The Article the library would make of the text, or a plain one if ingest refuses
    it (the flag says so): gold articles are scored whatever ingest thinks of them."""
    try:
        from ..ingest import article_from_text
    except ImportError:
        return Article(text=doc.text, source=doc.path), False
    try:
        return article_from_text(doc.text, source=doc.path), False
    except InputError:
        return Article(text=doc.text, source=doc.path), True


def extract_all(
    extractor, articles: list[Article], progress: Progress | None
) -> list[ArticleResult | str]:
    """Results in order; an article the extractor fails on gives, in its place, its
    error on one line (with the exception's type, as a bug report would want it)."""
    out: list[ArticleResult | str] = []

    def done(item: ArticleResult | str) -> None:
        out.append(item)
        if progress is not None:
            progress(len(out), len(articles))

    def failed(article: Article, exc: Exception) -> None:
        done(one_line(exc, with_type=True))  # called in the article's place in the order

    for result in extractor.extract_many(articles, on_error=failed):
        done(result)
    return out


def _warm_up(extractor) -> None:
    """Load the spaCy model and whatever the detector loads lazily, outside the timing."""
    from .. import nlp

    nlp.load()
    with contextlib.suppress(Exception):
        extractor.extract(Article(text="Officials said on Monday that the plan would work."))
    for key in extractor.timings:
        extractor.timings[key] = 0.0


def evaluate(
    gold_dir: str | Path,
    *,
    detector: str = DEFAULT_DETECTOR,
    limit: int | None = None,
    progress: Progress | None = None,
    keep_details: bool = False,
    nested: bool = False,
) -> EvalReport:
    """Extract statements from every article of a brat gold folder and score them.

    ``limit`` takes the first N articles (sorted by file name); ``progress(done, total)``
    is called after each article.  Raises :class:`InputError` for a folder that is not a
    brat gold corpus and ``ValueError`` for an unknown detector.
    """
    from ..pipeline import Extractor  # loads spaCy

    documents = load_gold(gold_dir)
    if limit is not None:
        documents = documents[: max(0, limit)]
    extractor = Extractor(detector=detector)
    built = [gold_article(doc) for doc in documents]
    articles = [a for a, _ in built]
    _warm_up(extractor)

    t0 = time.perf_counter()
    results = extract_all(extractor, articles, progress)
    wall = time.perf_counter() - t0

    total = ArticleScore()
    details: list[ArticleDetail] | None = [] if keep_details else None
    n_predicted = failed = 0
    for doc, result in zip(documents, results, strict=True):
        error = result if isinstance(result, str) else None
        if error is None:
            predicted, types = predicted_relations(result, nested)
            inside = set() if nested else nested_ids(result)
            ids = [s.id for s in result.statements if s.id not in inside]
        else:
            predicted, types, ids = [], [], []
            failed += 1
        score = score_article(doc.text, predicted, doc.relations, types)
        total = total + score
        n_predicted += len(predicted)
        if details is not None:
            details.append(_detail(doc, predicted, types, ids, score, error))

    return EvalReport(
        gold_dir=str(gold_dir),
        detector=detector,
        nested=nested,
        version=__version__,
        n_articles=len(documents),
        score=total,
        gold_relations=sum(len(d.relations) for d in documents),
        predicted_relations=n_predicted,
        wall_seconds=wall,
        timings={k: float(extractor.timings.get(k, 0.0)) for k in STAGES},
        input_errors=sum(refused for _, refused in built),
        failed=failed,
        gold_skipped=sum(d.skipped for d in documents),
        details=details,
    )
