"""`onrecord build-lexicon` on a tiny gold folder written for the tests."""

from pathlib import Path

from typer.testing import CliRunner

from onrecord.attribution.lexicon import CueLexicon, read_counts
from onrecord.cli import _register, app

GOLD = Path(__file__).parent / "data" / "eval"


def test_counts_cue_heads_in_their_frames(tmp_path):
    _register()
    out = tmp_path / "counts.tsv"
    result = CliRunner().invoke(app, ["build-lexicon", str(GOLD), "--out", str(out)])
    assert result.exit_code == 0, result.output
    counts = read_counts(out)
    # "the mayor said" (a clause) and '"We have balanced the books," said Maria Lopez' (a
    # quote) are gold cues; "argued that ..." is one too.
    assert counts[("say", "VERB", "ccomp")].cue >= 1
    assert counts[("argue", "VERB", "ccomp")].cue == 1
    # Words that never head a gold cue are counted, but never as cues.
    assert all(c.cue <= c.total for c in counts.values())
    lexicon = CueLexicon(counts, {})
    assert lexicon.probability("argue", "VERB", "ccomp") > lexicon.probability(
        "approve", "VERB", "dobj"
    )


def test_a_folder_that_is_not_gold_is_a_one_line_error(tmp_path):
    _register()
    result = CliRunner().invoke(app, ["build-lexicon", str(tmp_path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.output.strip().startswith("error:")
