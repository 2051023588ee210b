"""The scoring rules of `onrecord eval` on invented spans: no spaCy, no corpus."""

from __future__ import annotations

import itertools
import random

import pytest

from onrecord.eval.metrics import (
    ArticleScore,
    Counts,
    Relation,
    distinct,
    exact,
    jaccard,
    match_relations,
    max_matching,
    normalise,
    overlap,
    relations_match,
    score_article,
    score_role,
    trimmed_chars,
)

TEXT = 'The mayor said: "We have balanced the books." Critics, however, disagreed.'


def at(sub: str, text: str = TEXT, nth: int = 1) -> tuple[int, int]:
    i = -1
    for _ in range(nth):
        i = text.index(sub, i + 1)
    return i, i + len(sub)


# -- spans -------------------------------------------------------------------------------


def test_normalise_sorts_dedupes_and_drops_empty_fragments():
    assert normalise([(5, 9), (0, 3), (5, 9), (4, 4)]) == ((0, 3), (5, 9))
    assert normalise([]) == ()


def test_exact_ignores_spaces_and_punctuation_at_fragment_edges():
    quoted = (at('"We have balanced the books."'),)
    bare = (at("We have balanced the books"),)
    spaced = (at(' "We have balanced the books." '),)
    assert exact(TEXT, quoted, bare)
    assert exact(TEXT, bare, spaced)
    # One word more or less is not exact.
    assert not exact(TEXT, bare, (at("We have balanced the"),))


def test_exact_is_not_fooled_by_a_leading_colon_and_keeps_inner_punctuation():
    with_colon = (at(': "We have balanced the books'),)
    bare = (at("We have balanced the books"),)
    assert exact(TEXT, with_colon, bare)  # ':', ' ' and '"' are all edge characters
    inner = (at("Critics, however, disagreed"),)
    assert not exact(TEXT, inner, (at("Critics"), at("disagreed")))


def test_exact_compares_covered_characters_of_discontinuous_spans():
    text = "Costs, the report said, will rise sharply."
    gold = (at("Costs", text), at("will rise sharply", text))
    # The same fragments with punctuation and spaces at their edges.
    pred = (at("Costs,", text), at(" will rise sharply.", text))
    assert exact(text, pred, gold)
    # Adjacent fragments equal the single span they tile.
    assert exact(text, ((0, 3), (3, 5)), ((0, 5),))
    # The continuous span over the whole sentence is not exact, but overlaps.
    whole = (at("Costs, the report said, will rise sharply", text),)
    assert not exact(text, whole, gold)
    assert overlap(whole, gold)


def test_a_span_of_only_punctuation_matches_nothing_exactly():
    text = 'He said: "" and left.'
    empty = (at('""', text),)
    assert trimmed_chars(text, empty) == frozenset()
    assert not exact(text, empty, empty)


def test_overlap_needs_one_shared_character_of_the_untrimmed_spans():
    assert overlap(((0, 5),), ((4, 9),))
    assert not overlap(((0, 5),), ((5, 9),))  # end-exclusive: touching is not overlapping
    assert overlap(((0, 2), (10, 12)), ((11, 20),))
    assert not overlap(((0, 2), (10, 12)), ((3, 9),))  # falls in the gap
    assert not overlap((), ((0, 5),))


def test_jaccard():
    assert jaccard(((0, 10),), ((5, 15),)) == pytest.approx(5 / 15)
    assert jaccard(((0, 10),), ((0, 10),)) == 1.0
    assert jaccard(((0, 4), (6, 10)), ((0, 10),)) == pytest.approx(8 / 10)
    assert jaccard((), ()) == 0.0


def test_distinct_dedupes_identical_spans_and_drops_absent_ones():
    spans = [((5, 9),), (), ((5, 9),), ((0, 3), (5, 9)), ((5, 9), (0, 3))]
    assert distinct(spans) == [((5, 9),), ((0, 3), (5, 9))]


# -- one-to-one matching ---------------------------------------------------------------


def _brute_force(adjacency: list[list[int]], n_right: int) -> int:
    best = 0
    edges = [(i, j) for i, js in enumerate(adjacency) for j in js]
    for k in range(len(edges), 0, -1):
        for subset in itertools.combinations(edges, k):
            lefts = {i for i, _ in subset}
            rights = {j for _, j in subset}
            if len(lefts) == len(rights) == k:
                return k
    return best


def test_max_matching_reassigns_to_find_the_maximum():
    # Greedy would give right 0 to left 0 and leave left 1 unmatched.
    assert max_matching([[0, 1], [0]], 2) == [(0, 1), (1, 0)]
    # A longer augmenting path.
    pairs = max_matching([[0], [0, 1], [1, 2]], 3)
    assert len(pairs) == 3


def test_max_matching_is_one_to_one_and_maximum_on_random_graphs():
    rng = random.Random(7)
    for _ in range(300):
        n_left, n_right = rng.randint(0, 5), rng.randint(0, 5)
        adjacency = [[j for j in range(n_right) if rng.random() < 0.4] for _ in range(n_left)]
        pairs = max_matching(adjacency, n_right)
        assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
        assert all(j in adjacency[i] for i, j in pairs)
        assert len(pairs) == _brute_force(adjacency, n_right)


def test_one_gold_span_cannot_be_claimed_by_two_predictions():
    gold = [((0, 20),)]
    predicted = [((0, 8),), ((10, 20),)]
    counts = score_role("x" * 30, predicted, gold)["overlap"]
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 0)


def test_role_counts_use_distinct_spans():
    text = "She said it and she said more."
    gold = [(at("She", text),), (at("She", text),)]  # one source shared by two relations
    predicted = [(at("She", text),), (at("she", text),)]
    counts = score_role(text, predicted, gold)
    assert (counts["exact"].tp, counts["exact"].fp, counts["exact"].fn) == (1, 1, 0)


# -- counts ----------------------------------------------------------------------------


def test_counts_precision_recall_f1_and_sums():
    c = Counts(tp=3, fp=1, fn=2)
    assert c.precision == pytest.approx(0.75)
    assert c.recall == pytest.approx(0.6)
    assert c.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert Counts().f1 == 0.0 and Counts().precision == 0.0 and Counts().recall == 0.0
    total = c + Counts(1, 0, 0)
    assert (total.tp, total.fp, total.fn) == (4, 1, 2)
    assert c.to_dict() == {
        "precision": 0.75,
        "recall": 0.6,
        "f1": 0.6667,
        "tp": 3,
        "fp": 1,
        "fn": 2,
    }


# -- relations -------------------------------------------------------------------------


def rel(source=(), cue=(), content=()) -> Relation:
    return Relation(source=tuple(source), cue=tuple(cue), content=tuple(content))


def test_relation_content_threshold_is_half_of_the_union():
    g = rel(((0, 3),), ((4, 8),), ((10, 30),))
    assert relations_match(rel(((0, 3),), ((4, 8),), ((10, 20),)), g)  # 10/20 = 0.5
    assert not relations_match(rel(((0, 3),), ((4, 8),), ((10, 19),)), g)  # 9/20
    assert not relations_match(rel(((0, 3),), ((4, 8),), ((20, 40),)), g)  # 10/30


def test_relation_source_and_cue_must_overlap_or_both_be_absent():
    content = ((10, 30),)
    g = rel(((0, 3),), ((4, 8),), content)
    assert relations_match(rel(((1, 2),), ((5, 6),), content), g)
    assert not relations_match(rel((), ((4, 8),), content), g)  # source missing
    assert not relations_match(rel(((40, 45),), ((4, 8),), content), g)  # wrong source
    assert not relations_match(rel(((0, 3),), ((40, 44),), content), g)  # wrong cue
    no_source = rel((), ((4, 8),), content)
    assert relations_match(rel((), ((4, 8),), content), no_source)
    assert not relations_match(rel(((0, 3),), ((4, 8),), content), no_source)
    assert relations_match(rel(((0, 3),), (), content), rel(((0, 3),), (), content))


def test_relations_are_matched_one_to_one():
    g = [rel(((0, 3),), ((4, 8),), ((10, 30),))]
    p = [rel(((0, 3),), ((4, 8),), ((10, 30),)), rel(((0, 3),), ((4, 8),), ((10, 29),))]
    assert match_relations(p, g) == [(0, 0)]  # the better content wins the one gold


# -- whole articles ----------------------------------------------------------------------

ARTICLE = (
    "Budget passes\n"
    '"We have balanced the books," said the treasurer.\n'
    'Critics argued that the plan cuts too deep and "hurts the poor."\n'
    "The vote, it was reported, will come next week.\n"
)


def gold_article() -> list[Relation]:
    t = ARTICLE
    return [
        rel([at("the treasurer", t)], [at("said", t)], [at('"We have balanced the books,"', t)]),
        rel(
            [at("Critics", t)],
            [at("argued", t)],
            [at('that the plan cuts too deep and "hurts the poor."', t)],
        ),
        rel([], [at("was reported", t)], [at("The vote", t), at("will come next week", t)]),
    ]


def test_score_article_perfect_prediction():
    gold = gold_article()
    score = score_article(ARTICLE, gold, gold, ["direct", "mixed", "indirect"])
    for role in ("source", "cue", "content"):
        for mode in ("exact", "overlap"):
            c = score.roles[role][mode]
            assert c.fp == c.fn == 0
    assert score.roles["source"]["exact"].tp == 2  # the third relation has no source
    assert (score.relations.tp, score.relations.fp, score.relations.fn) == (3, 0, 0)
    assert score.pairs == [(0, 0), (1, 1), (2, 2)]


def test_score_article_splits_recall_by_gold_statement_type():
    gold = gold_article()
    t = ARTICLE
    predicted = [
        # the direct quote, found with a trimmed content and a wider source
        rel([at("said the treasurer", t)], [at("said", t)], [at("We have balanced the books", t)]),
        # the indirect one found with a source: content overlaps, relation does not match
        rel(
            [at("The vote", t)],
            [at("was reported", t)],
            [at("The vote", t), at("will come next week", t)],
        ),
        # noise
        rel([at("Budget", t)], [at("passes", t)], [at("Critics", t)]),
    ]
    score = score_article(ARTICLE, predicted, gold, ["direct", "indirect", "indirect"])
    by = score.by_type
    assert (by["direct"].gold_relations, by["direct"].relations_found) == (1, 1)
    assert (by["mixed"].gold_relations, by["mixed"].relations_found) == (1, 0)
    assert (by["indirect"].gold_relations, by["indirect"].relations_found) == (1, 0)
    assert (by["indirect"].gold_contents, by["indirect"].contents_found) == (1, 1)
    # "Critics" as a content overlaps nothing of the mixed content (it is its source).
    assert by["mixed"].contents_found == 0
    assert (by["indirect"].predicted, by["indirect"].predicted_correct) == (2, 0)
    assert (by["direct"].predicted, by["direct"].predicted_correct) == (1, 1)
    assert score.roles["content"]["exact"].tp == 2
    assert score.roles["source"]["exact"].tp == 0
    assert score.roles["source"]["overlap"].tp == 1
    assert (score.relations.tp, score.relations.fp, score.relations.fn) == (1, 2, 2)


def test_no_gold_makes_every_prediction_a_false_positive():
    predicted = gold_article()
    score = score_article(ARTICLE, predicted, [])
    assert (score.relations.tp, score.relations.fp, score.relations.fn) == (0, 3, 0)
    assert score.roles["content"]["overlap"].fp == 3
    assert sum(t.gold_relations for t in score.by_type.values()) == 0


def test_scores_add_up_over_articles():
    gold = gold_article()
    one = score_article(ARTICLE, gold[:1], gold)
    total = ArticleScore() + one + one
    assert (total.relations.tp, total.relations.fn) == (2, 4)
    assert total.roles["cue"]["exact"].tp == 2
    assert total.by_type["direct"].gold_relations == 2
