"""Scoring predicted attribution relations against gold ones: pure functions over spans.

A *span* is a tuple of ``(start, end)`` fragments (character offsets, end exclusive),
possibly discontinuous; the empty tuple means the role is absent.  A :class:`Relation`
has three spans: source, cue and content.

The rules (a spec: change them only with the figures they produce):

- **Per role** (source, cue, content), each article's *distinct* spans are compared,
  predicted against gold, and matched one to one (a maximum bipartite matching, so one
  gold span is never claimed by two predictions).

  - *exact*: two spans match when they cover the same characters once each fragment is
    trimmed of spaces and punctuation at its edges (:func:`onrecord.attribution.quotes.
    trim_edges`; fragments that become empty are dropped).  The comparison is on the sets
    of covered character offsets, so ``(0, 5), (5, 9)`` equals ``(0, 9)``, and a span
    that trims to nothing matches nothing.
  - *overlap*: the untrimmed spans share at least one character.

- **Whole relations** match when the contents share at least half of the characters of
  their union (Jaccard ≥ 0.5 over the untrimmed character sets), the sources overlap (or
  both are absent) and the cues overlap (or both are absent); one to one again.

- Counts are summed over articles (micro average) before P/R/F1 are computed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import astuple, dataclass, field

from ..attribution.quotes import statement_type, trim_edges
from ..records import Offsets

Span = tuple[Offsets, ...]
ROLES = ("source", "cue", "content")
TYPES = ("direct", "mixed", "indirect")
# Relations match when their contents' Jaccard index is at least this.
CONTENT_THRESHOLD = 0.5


# -- spans -----------------------------------------------------------------------------


def normalise(spans: Iterable[Sequence[int]]) -> Span:
    """Fragments as sorted ``(start, end)`` int pairs, empty fragments dropped."""
    out = {(int(s), int(e)) for s, e in spans if int(e) > int(s)}
    return tuple(sorted(out))


def chars(spans: Span) -> frozenset[int]:
    """The character offsets a span covers."""
    return frozenset(i for s, e in spans for i in range(s, e))


def trimmed_chars(text: str, spans: Span) -> frozenset[int]:
    """The offsets a span covers once each fragment is trimmed (the exact-match key)."""
    covered: set[int] = set()
    for s, e in spans:
        ts, te = trim_edges(text, s, e)
        covered.update(range(ts, te))
    return frozenset(covered)


def exact(text: str, a: Span, b: Span) -> bool:
    """Same characters after trimming each fragment; a span that trims away matches nothing."""
    ka = trimmed_chars(text, a)
    return bool(ka) and ka == trimmed_chars(text, b)


def overlap(a: Span, b: Span) -> bool:
    """At least one shared character."""
    return any(max(s1, s2) < min(e1, e2) for s1, e1 in a for s2, e2 in b)


def jaccard(a: Span, b: Span) -> float:
    """|A∩B| / |A∪B| over the characters covered; 0.0 when both are empty."""
    ca, cb = chars(a), chars(b)
    union = len(ca | cb)
    return len(ca & cb) / union if union else 0.0


def distinct(spans: Iterable[Span]) -> list[Span]:
    """The distinct non-empty spans, in first-seen order."""
    seen: dict[Span, None] = {}
    for span in spans:
        span = normalise(span)
        if span:
            seen.setdefault(span, None)
    return list(seen)


def surface(text: str, spans: Span) -> str | None:
    """The text of a span, fragments joined by ' … ' (None when absent)."""
    return " … ".join(text[s:e] for s, e in spans) if spans else None


# -- one-to-one matching ---------------------------------------------------------------


def max_matching(adjacency: Sequence[Sequence[int]], n_right: int) -> list[tuple[int, int]]:
    """A maximum bipartite matching (augmenting paths), as sorted ``(left, right)`` pairs.

    ``adjacency[i]`` lists the right nodes left node ``i`` may be matched with, best
    first: the order only decides which of several maximum matchings is returned.
    """
    match_left = [-1] * len(adjacency)
    match_right = [-1] * n_right
    for root, edges in enumerate(adjacency):
        if not edges:
            continue
        seen = [False] * n_right
        reached_from: dict[int, int] = {}  # right node -> the left node that reached it
        stack = [(root, iter(edges))]
        free = -1
        while stack and free < 0:
            left, pending = stack[-1]
            for right in pending:
                if seen[right]:
                    continue
                seen[right] = True
                reached_from[right] = left
                if match_right[right] < 0:
                    free = right
                else:
                    owner = match_right[right]
                    stack.append((owner, iter(adjacency[owner])))
                break
            else:
                stack.pop()
        right = free
        while right >= 0:  # flip the augmenting path back to the root
            left = reached_from[right]
            previous = match_left[left]
            match_left[left], match_right[right] = right, left
            right = -1 if left == root else previous
    return [(i, j) for i, j in enumerate(match_left) if j >= 0]


def match(
    predicted: Sequence, gold: Sequence, compatible: Callable, score: Callable | None = None
) -> list[tuple[int, int]]:
    """One-to-one ``(predicted index, gold index)`` pairs for which ``compatible(p, g)``
    holds, as many as possible; ``score(p, g)`` (higher is better) orders the candidates."""
    adjacency = []
    for p in predicted:
        edges = [j for j, g in enumerate(gold) if compatible(p, g)]
        if score is not None:
            edges.sort(key=lambda j, p=p: -score(p, gold[j]))
        adjacency.append(edges)
    return max_matching(adjacency, len(gold))


# -- counts ----------------------------------------------------------------------------


@dataclass
class Counts:
    """True positives, false positives, false negatives; P/R/F1 from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @classmethod
    def from_matching(cls, n_predicted: int, n_gold: int, n_matched: int) -> Counts:
        return cls(tp=n_matched, fp=n_predicted - n_matched, fn=n_gold - n_matched)

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def score_role(text: str, predicted: Iterable[Span], gold: Iterable[Span]) -> dict[str, Counts]:
    """Exact and overlap counts for one role of one article, over distinct spans."""
    p, g = distinct(predicted), distinct(gold)
    return {
        "exact": Counts.from_matching(len(p), len(g), len(_exact_pairs(text, p, g))),
        "overlap": Counts.from_matching(len(p), len(g), len(_overlap_pairs(p, g))),
    }


def _exact_pairs(text: str, predicted: list[Span], gold: list[Span]) -> list[tuple[int, int]]:
    pk = [trimmed_chars(text, s) for s in predicted]
    gk = [trimmed_chars(text, s) for s in gold]
    return match(range(len(pk)), range(len(gk)), lambda i, j: bool(pk[i]) and pk[i] == gk[j])


def _overlap_pairs(predicted: list[Span], gold: list[Span]) -> list[tuple[int, int]]:
    return match(predicted, gold, overlap, jaccard)


# -- relations -------------------------------------------------------------------------


@dataclass(frozen=True)
class Relation:
    """The spans of one attribution relation; an empty span is an absent role."""

    source: Span = ()
    cue: Span = ()
    content: Span = ()

    def role(self, name: str) -> Span:
        return getattr(self, name)


def _agree(a: Span, b: Span) -> bool:
    return overlap(a, b) if a and b else not a and not b


def relations_match(predicted: Relation, gold: Relation) -> bool:
    """The whole-relation rule: content Jaccard ≥ 0.5, sources and cues agree."""
    return (
        jaccard(predicted.content, gold.content) >= CONTENT_THRESHOLD
        and _agree(predicted.source, gold.source)
        and _agree(predicted.cue, gold.cue)
    )


def explain(predicted: Relation, gold: Relation) -> dict:
    """How close two relations came, for error analysis."""
    return {
        "content_jaccard": round(jaccard(predicted.content, gold.content), 3),
        "source_agrees": _agree(predicted.source, gold.source),
        "cue_agrees": _agree(predicted.cue, gold.cue),
    }


def match_relations(
    predicted: Sequence[Relation], gold: Sequence[Relation]
) -> list[tuple[int, int]]:
    """One-to-one ``(predicted index, gold index)`` pairs of matching relations."""
    return match(predicted, gold, relations_match, lambda p, g: jaccard(p.content, g.content))


@dataclass
class TypeCounts:
    """Recall of one gold statement type (and precision of one predicted type)."""

    gold_relations: int = 0
    relations_found: int = 0
    gold_contents: int = 0
    contents_found: int = 0  # distinct gold contents overlapped by a predicted content
    predicted: int = 0  # predicted relations of this (predicted) type
    predicted_correct: int = 0

    def __add__(self, other: TypeCounts) -> TypeCounts:
        return TypeCounts(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))

    def to_dict(self) -> dict:
        def ratio(a: int, b: int) -> float:
            return round(a / b, 4) if b else 0.0

        return {
            "gold_relations": self.gold_relations,
            "relation_recall": ratio(self.relations_found, self.gold_relations),
            "gold_contents": self.gold_contents,
            "content_overlap_recall": ratio(self.contents_found, self.gold_contents),
            "predicted": self.predicted,
            "relation_precision": ratio(self.predicted_correct, self.predicted),
        }


@dataclass
class ArticleScore:
    """Everything scored for one article; scores add up over a corpus."""

    roles: dict[str, dict[str, Counts]] = field(
        default_factory=lambda: {r: {"exact": Counts(), "overlap": Counts()} for r in ROLES}
    )
    relations: Counts = field(default_factory=Counts)
    by_type: dict[str, TypeCounts] = field(default_factory=lambda: {t: TypeCounts() for t in TYPES})
    # (predicted index, gold index) pairs of the matched relations.
    pairs: list[tuple[int, int]] = field(default_factory=list)

    def __add__(self, other: ArticleScore) -> ArticleScore:
        return ArticleScore(
            roles={
                r: {m: self.roles[r][m] + other.roles[r][m] for m in ("exact", "overlap")}
                for r in ROLES
            },
            relations=self.relations + other.relations,
            by_type={t: self.by_type[t] + other.by_type[t] for t in TYPES},
        )


def score_article(
    text: str,
    predicted: Sequence[Relation],
    gold: Sequence[Relation],
    predicted_types: Sequence[str] | None = None,
) -> ArticleScore:
    """Score one article's predicted relations against its gold ones.

    Gold statement types come from :func:`statement_type` on the gold contents;
    ``predicted_types`` (one per prediction, e.g. ``Statement.type``) only feed the
    per-type precision.
    """
    score = ArticleScore()
    for role in ROLES:
        score.roles[role] = score_role(
            text, (p.role(role) for p in predicted), (g.role(role) for g in gold)
        )
    pairs = match_relations(predicted, gold)
    score.pairs = pairs
    score.relations = Counts.from_matching(len(predicted), len(gold), len(pairs))

    found = {j for _, j in pairs}
    for j, g in enumerate(gold):
        counts = score.by_type[statement_type(text, g.content)]
        counts.gold_relations += 1
        counts.relations_found += j in found
    contents = distinct(g.content for g in gold)
    hit = {j for _, j in _overlap_pairs(distinct(p.content for p in predicted), contents)}
    for j, content in enumerate(contents):
        counts = score.by_type[statement_type(text, content)]
        counts.gold_contents += 1
        counts.contents_found += j in hit
    if predicted_types is not None:
        correct = {i for i, _ in pairs}
        for i, kind in enumerate(predicted_types):
            if kind in score.by_type:
                score.by_type[kind].predicted += 1
                score.by_type[kind].predicted_correct += i in correct
    return score
