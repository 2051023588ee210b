"""Annotator agreement: three invented annotators of one article, scored against each other."""

from __future__ import annotations

import pytest

from onrecord.eval.agreement import agreement
from onrecord.eval.brat import load_gold
from onrecord.eval.metrics import Relation
from onrecord.training import training_documents

TEXT = "The mayor said the plan is sound. Critics argued that costs will rise.\n"


def at(sub: str) -> tuple[int, int]:
    i = TEXT.index(sub)
    return i, i + len(sub)


def relation_lines(n: int, source: str, cue: str, content: str) -> str:
    lines = ""
    ids = []
    for k, (label, sub) in enumerate((("Source", source), ("Cue", cue), ("Content", content))):
        tid = f"T{10 * n + k}"
        s, e = at(sub)
        lines += f"{tid}\t{label} {s} {e}\t{sub}\n"
        ids.append(f"{label}:{tid}")
    return lines + f"E{n}\tAttribution:T{10 * n + 1} {' '.join(ids)}\n"


MAYOR = ("The mayor", "said", "the plan is sound")


@pytest.fixture
def corpus(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "plan.txt").write_text(TEXT, encoding="utf-8")
    annotations = {
        "aa": relation_lines(1, *MAYOR)
        + relation_lines(2, "Critics", "argued", "that costs will rise"),
        "bb": relation_lines(1, *MAYOR) + relation_lines(2, "Critics", "argued", "costs will rise"),
        "cc": relation_lines(1, *MAYOR),
    }
    for annotator, ann in annotations.items():
        (tmp_path / "attributions" / f"plan_{annotator}.ann").write_text(ann, encoding="utf-8")
    # An article read by one annotator only takes no part.
    (tmp_path / "text" / "solo.txt").write_text("Nobody said anything.\n", encoding="utf-8")
    (tmp_path / "attributions" / "solo_aa.ann").write_text("", encoding="utf-8")
    return tmp_path


def test_every_annotator_is_read_only_when_asked(corpus):
    assert [(d.stem, d.annotator) for d in load_gold(corpus)] == [("plan", "aa"), ("solo", "aa")]
    every = load_gold(corpus, every_annotator=True)
    assert [(d.stem, d.annotator, len(d.relations)) for d in every] == [
        ("plan", "aa", 2),
        ("plan", "bb", 2),
        ("plan", "cc", 1),
        ("solo", "aa", 0),
    ]


def test_annotators_against_each_other_and_against_their_consensus(corpus):
    report = agreement(load_gold(corpus, every_annotator=True))
    assert (report.articles, report.annotators, report.pairs) == (1, 3, 3)
    # Pairs aa-bb, aa-cc, bb-cc: all mark the mayor; cc leaves the critics out, and
    # aa and bb differ on "that" before their content.
    source = report.between.roles["source"]["exact"]
    content = report.between.roles["content"]["exact"]
    assert (source.tp, source.fp, source.fn) == (4, 2, 0)
    assert (content.tp, content.fp, content.fn) == (3, 3, 1)
    assert content.f1 == pytest.approx(0.6)
    # Against each annotator, what both others marked: the mayor's statement only.
    source, content = report.consensus["source"], report.consensus["content"]
    assert (source.tp, source.fp, source.fn) == (3, 1, 2)
    assert (content.tp, content.fp, content.fn) == (3, 0, 2)
    assert report.detector is None
    assert "consensus of the others" in report.to_text()


def test_a_detector_is_scored_against_each_annotator(corpus):
    found = [
        Relation(source=(at("The mayor"),), cue=(at("said"),), content=(at("the plan is sound"),)),
        Relation(source=(at("Critics"),), cue=(at("argued"),), content=(at("costs will rise"),)),
    ]
    report = agreement(load_gold(corpus, every_annotator=True), {"plan": found})
    content = report.detector.roles["content"]["exact"]
    assert (content.tp, content.fp, content.fn) == (4, 2, 1)
    # Whole relations need only half the content's characters: "costs will rise" is the
    # critics' statement for aa too; cc has no second relation to match.
    relations = report.detector.relations
    assert (relations.tp, relations.fp, relations.fn) == (5, 1, 0)
    lines = report.to_text().splitlines()
    assert lines[-1].split()[0] == "detector" and lines[-1].split()[-1] == "90.9"


def test_training_leaves_out_articles_several_annotators_read(corpus):
    said = []
    assert [d.stem for d in training_documents(corpus, log=said.append)] == ["solo"]
    assert said == ["leaving out 1 training article that several annotators read"]
    kept = training_documents(corpus, multi_annotated=True, log=said.append)
    assert [(d.stem, d.annotator) for d in kept] == [("plan", "aa"), ("solo", "aa")]
