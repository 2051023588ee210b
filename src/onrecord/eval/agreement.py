"""How far a corpus's own annotators agree: the ceiling a detector is scored under.

A few PolNeAR articles were annotated by every annotator.  Scoring one annotator
against another with the rules of :mod:`onrecord.eval.metrics` says how much of the
gold is convention rather than language; a detector scored against each of them on the
same articles can then be read against that.

    >>> from onrecord.eval.agreement import agreement, detector_relations
    >>> docs = load_gold("polnear/dev", every_annotator=True)
    >>> report = agreement(docs, detector_relations(docs, "model"))
    >>> print(report.to_text())

Three figures per role (exact-match F1, micro-averaged over the articles that have at
least two annotators):

- *between annotators*: every unordered pair, one scored against the other (F1 is
  symmetric);
- *consensus of the others*: for each annotator, the spans that more than half of the
  other annotators marked (articles with at least three annotators), scored against
  that annotator — roughly what a system that learned the annotators' shared
  conventions perfectly, and nothing of any one annotator's habits, would score;
- *detector*: the detector's relations scored against each annotator in turn.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from .brat import GoldDocument
from .metrics import (
    ROLES,
    ArticleScore,
    Counts,
    Relation,
    Span,
    distinct,
    score_article,
    score_role,
    trimmed_chars,
)


@dataclass
class Agreement:
    """The three comparisons, summed over the articles with several annotators."""

    articles: int = 0
    annotators: int = 0  # distinct annotator ids among those articles
    pairs: int = 0
    between: ArticleScore = field(default_factory=ArticleScore)
    consensus: dict[str, Counts] = field(default_factory=lambda: {r: Counts() for r in ROLES})
    consensus_articles: int = 0
    detector: ArticleScore | None = None

    def to_dict(self) -> dict:
        def scored(score: ArticleScore | None) -> dict | None:
            if score is None:
                return None
            return {r: c.to_dict() for r, c in _exact(score).items()} | {
                "relation": score.relations.to_dict()
            }

        return {
            "articles": self.articles,
            "annotators": self.annotators,
            "pairs": self.pairs,
            "between_annotators": scored(self.between),
            "consensus_of_the_others": {r: c.to_dict() for r, c in self.consensus.items()},
            "consensus_articles": self.consensus_articles,
            "detector": scored(self.detector),
        }

    def to_text(self) -> str:
        rows = [
            ("between annotators", _exact(self.between), self.between.relations),
            ("consensus of the others", self.consensus, None),
        ]
        if self.detector is not None:
            rows.append(("detector", _exact(self.detector), self.detector.relations))
        lines = [
            f"{self.articles} articles with several annotators ({self.annotators} annotators, "
            f"{self.pairs} pairs; {self.consensus_articles} with three or more)",
            f"{'exact F1':<26}{'source':>8}{'cue':>8}{'content':>9}{'relation':>10}",
        ]
        for name, counts, relation in rows:
            cells = "".join(
                f"{100 * counts[r].f1:>{w}.1f}" for r, w in zip(ROLES, (8, 8, 9), strict=True)
            )
            rel = "-" if relation is None else f"{100 * relation.f1:.1f}"
            lines.append(f"{name:<26}{cells}{rel:>10}")
        return "\n".join(lines)


def _exact(score: ArticleScore) -> dict[str, Counts]:
    return {r: score.roles[r]["exact"] for r in ROLES}


def annotated_articles(documents: Sequence[GoldDocument]) -> dict[str, list[GoldDocument]]:
    """stem -> its annotators' documents, for the articles that have two or more."""
    by_stem: dict[str, list[GoldDocument]] = defaultdict(list)
    for doc in documents:
        if doc.ann_path is not None:
            by_stem[doc.stem].append(doc)
    return {stem: docs for stem, docs in sorted(by_stem.items()) if len(docs) >= 2}


def majority(text: str, annotations: Sequence[Sequence[Span]]) -> list[Span]:
    """The spans (compared as exact-match keys) that more than half the annotations hold."""
    votes: Counter = Counter()
    first: dict[frozenset[int], Span] = {}
    for spans in annotations:
        keyed = {trimmed_chars(text, span): span for span in distinct(spans)}
        for key, span in keyed.items():
            if key:  # a span that trims to nothing matches nothing
                votes[key] += 1
                first.setdefault(key, span)
    return [first[k] for k, n in votes.items() if 2 * n > len(annotations)]


def agreement(
    documents: Sequence[GoldDocument],
    predicted: Mapping[str, Sequence[Relation]] | None = None,
) -> Agreement:
    """Score annotators against each other (and ``predicted``, stem -> relations, against
    each of them) on the articles of ``documents`` that have several annotators.

    ``documents`` come from ``load_gold(..., every_annotator=True)``.
    """
    report = Agreement()
    detector = ArticleScore()
    ids: set[str | None] = set()
    for docs in annotated_articles(documents).values():
        report.articles += 1
        ids.update(d.annotator for d in docs)
        text = docs[0].text
        for a, b in combinations(docs, 2):
            report.between = report.between + score_article(text, a.relations, b.relations)
            report.pairs += 1
        if len(docs) >= 3:
            report.consensus_articles += 1
            for doc in docs:
                others = [d for d in docs if d is not doc]
                for role in ROLES:
                    agreed = majority(text, [[r.role(role) for r in d.relations] for d in others])
                    gold = [r.role(role) for r in doc.relations]
                    counts = score_role(text, agreed, gold)["exact"]
                    report.consensus[role] = report.consensus[role] + counts
        if predicted is not None:
            mine = list(predicted.get(docs[0].stem, ()))
            for doc in docs:
                detector = detector + score_article(text, mine, doc.relations)
    report.annotators = len(ids)
    report.detector = None if predicted is None else detector
    return report


def detector_relations(
    documents: Sequence[GoldDocument], detector: str
) -> dict[str, list[Relation]]:
    """stem -> the relations ``detector`` finds, for the articles with several annotators
    (read as ``onrecord eval`` reads them; an article the extractor fails on has none)."""
    from ..pipeline import Extractor
    from . import extract_all, gold_article, predicted_relations

    first = [docs[0] for docs in annotated_articles(documents).values()]
    results = extract_all(Extractor(detector=detector), [gold_article(d)[0] for d in first], None)
    return {
        doc.stem: [] if isinstance(result, str) else predicted_relations(result)[0]
        for doc, result in zip(first, results, strict=True)
    }
