"""Reading brat gold folders (PolNeAR layout) from invented annotations."""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord.errors import InputError
from onrecord.eval.brat import GoldRelation, load_gold, parse_ann

DATA = Path(__file__).parent / "data" / "eval"

TEXT = (
    "Mayor defends plan\n"
    '"The plan is sound.\n'
    '"It will pay for itself," the mayor told reporters.\n'
    "Costs, the report said, will rise sharply.\n"
)


def at(sub: str, nth: int = 1) -> tuple[int, int]:
    i = -1
    for _ in range(nth):
        i = TEXT.index(sub, i + 1)
    return i, i + len(sub)


def t_line(tid: str, label: str, *subs: str) -> str:
    frags = [at(s) for s in subs]
    offsets = ";".join(f"{s} {e}" for s, e in frags)
    return f"{tid}\t{label} {offsets}\t{' '.join(TEXT[s:e] for s, e in frags)}\n"


def test_multi_line_entries_discontinuous_spans_and_notes():
    quote = '"The plan is sound.\n"It will pay for itself,"'
    ann = (
        t_line("T1", "Content", quote)  # its surface runs over two physical lines
        + t_line("T2", "Source", "the mayor")
        + t_line("T3", "Cue", "told")
        + t_line("T4", "Attribution", "told")
        + "E1\tAttribution:T4 Content:T1 Source:T2 Cue:T3\n"
        + "#1\tAnnotatorNotes T1\ta note\nthat runs on\n"
        + t_line("T5", "Content", "Costs", "will rise sharply")
        + t_line("T6", "Cue", "said")
        + t_line("T7", "Source", "the report")
        + "E2\tAttribution:T6 Cue:T6 Source:T7 Content:T5\n"
    )
    assert '\n"It will' in ann
    relations, skipped, warnings = parse_ann(ann, TEXT)
    assert (skipped, warnings) == (0, [])
    assert relations == [
        GoldRelation(source=(at("the mayor"),), cue=(at("told"),), content=(at(quote),), id="E1"),
        GoldRelation(
            source=(at("the report"),),
            cue=(at("said"),),
            content=(at("Costs"), at("will rise sharply")),
            id="E2",
        ),
    ]


def test_no_source_content2_and_relations_without_content():
    ann = (
        t_line("T1", "Cue", "said")
        + t_line("T2", "Content", "Costs")
        + t_line("T3", "Content", "will rise sharply")
        + t_line("T4", "Attribution-no-source", "said")
        + "E1\tAttribution-no-source:T4 Cue:T1 Content:T2 Content2:T3\n"
        + "E2\tAttribution-no-source:T4\n"  # no roles at all
        + "E3\tAttribution:T4 Cue:T1\n"  # no content
    )
    relations, skipped, _ = parse_ann(ann, TEXT)
    assert skipped == 2
    assert relations == [
        GoldRelation(
            source=(), cue=(at("said"),), content=(at("Costs"), at("will rise sharply")), id="E1"
        )
    ]


def test_the_role_not_the_span_label_decides():
    # Annotators sometimes relabel a span (Discuss, Discard) that a relation still uses.
    ann = (
        t_line("T1", "Discuss", "said")
        + t_line("T2", "Content", "Costs")
        + "E1\tAttribution:T1 Cue:T1 Content:T2\n"
    )
    (relation,), _, _ = parse_ann(ann, TEXT)
    assert relation.cue == (at("said"),)


def test_surface_mismatch_is_a_warning_and_bad_entries_are_errors():
    _, _, warnings = parse_ann("T1\tCue 0 5\tsomething else\n", TEXT)
    assert warnings == ["T1: surface string differs from the text"]
    with pytest.raises(InputError, match="line 1: bad offsets"):
        parse_ann("T1\tCue five 9\tx\n", TEXT)
    with pytest.raises(InputError, match="ends past the text"):
        parse_ann(f"T1\tCue 0 {len(TEXT) + 1}\tx\n", TEXT)
    with pytest.raises(InputError, match="missing entry 'T9'"):
        parse_ann("T1\tCue 0 5\tMayor\nE1\tAttribution:T1 Cue:T1 Content:T9\n", TEXT)
    with pytest.raises(InputError, match="not a brat entry"):
        parse_ann("hello\nT1\tCue 0 5\tMayor\n", TEXT)


def test_a_final_newline_is_not_part_of_the_last_surface():
    _, _, warnings = parse_ann("T1\tCue 0 5\tMayor\n", TEXT)
    assert warnings == []


def test_load_gold_on_the_fixture_folder():
    docs = load_gold(DATA)
    assert [d.stem for d in docs] == ["alpha", "beta", "gamma"]
    alpha, beta, gamma = docs
    assert alpha.annotator == "c3d4" and len(alpha.relations) == 3
    # beta has two annotators: the alphabetically first id is read.
    assert beta.annotator == "a1b2"
    assert beta.ann_path.endswith("beta_a1b2.ann")
    assert [r.id for r in beta.relations] == ["E1", "E2", "E3"]
    assert beta.relations[2].source == ()
    # gamma has no annotation file: no gold relations, still an article.
    assert gamma.ann_path is None and gamma.relations == ()
    for doc in docs:
        assert doc.warnings == ()
        assert doc.text == Path(doc.path).read_bytes().decode("utf-8")
        for r in doc.relations:
            for s, e in r.content + r.cue + r.source:
                assert 0 <= s < e <= len(doc.text)


def test_annotator_choice_with_underscores_in_stems(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a_b.txt").write_text("Alpha said yes.\n", encoding="utf-8")
    (tmp_path / "text" / "a.txt").write_text("Beta said no.\n", encoding="utf-8")
    relation = "T1\tCue 6 10\tsaid\nT2\tContent 11 14\t{}\nE1\tAttribution:T1 Cue:T1 Content:T2\n"
    (tmp_path / "attributions" / "a_b_zz.ann").write_text(relation.format("yes"), "utf-8")
    (tmp_path / "attributions" / "a_b_mm.ann").write_text(relation.format("yes"), "utf-8")
    (tmp_path / "attributions" / "a_qq.ann").write_text("", "utf-8")
    docs = {d.stem: d for d in load_gold(tmp_path)}
    assert docs["a_b"].annotator == "mm" and len(docs["a_b"].relations) == 1
    assert docs["a"].annotator == "qq" and docs["a"].relations == ()


def test_a_flat_folder_and_crlf_lines(tmp_path):
    text = "She said it rained.\n"
    (tmp_path / "x.txt").write_bytes(text.encode("utf-8"))
    ann = (
        "T1\tCue 4 8\tsaid\r\n"
        "T2\tContent 9 18\tit rained\r\n"
        "E1\tAttribution:T1 Cue:T1 Content:T2\r\n"
    )
    (tmp_path / "x.ann").write_bytes(ann.encode("utf-8"))
    (doc,) = load_gold(tmp_path)
    assert doc.annotator is None
    assert doc.relations == (GoldRelation(cue=((4, 8),), content=((9, 18),), id="E1"),)
    assert doc.warnings == ()


def test_folders_that_are_not_brat_corpora(tmp_path):
    with pytest.raises(InputError, match="no such folder"):
        load_gold(tmp_path / "missing")
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="not a folder"):
        load_gold(tmp_path / "file.txt")
    with pytest.raises(InputError, match="not a brat gold folder"):
        load_gold(tmp_path)  # .txt but no .ann
    empty = tmp_path / "empty"
    (empty / "text").mkdir(parents=True)
    (empty / "attributions").mkdir()
    with pytest.raises(InputError, match="no .txt files"):
        load_gold(empty)


def test_a_malformed_ann_file_is_named_in_the_error(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "x.txt").write_text("Short.\n", encoding="utf-8")
    (tmp_path / "attributions" / "x_aa.ann").write_text("T1\tCue 0 99\tShort\n", "utf-8")
    with pytest.raises(InputError) as info:
        load_gold(tmp_path)
    assert str(info.value).startswith(str(tmp_path / "attributions" / "x_aa.ann"))
    assert "ends past the text" in str(info.value)
