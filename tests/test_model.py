"""The trained detector: decoding, the numpy network against PyTorch, the shipped
weights, and `onrecord train` on a handful of PolNeAR articles (skipped without
../shared).  Scores on dev are pinned in docs/benchmarks.md, not here."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from onrecord import extract
from onrecord.attribution import available, get_detector, lexicon
from onrecord.attribution.model import decoding, features
from onrecord.attribution.model.decoding import TAG_INDEX, TAGS
from onrecord.attribution.model.detector import ModelDetector, default_folder
from onrecord.attribution.model.network import Tagger, windows
from onrecord.cli import _register, app
from onrecord.errors import OnrecordError
from onrecord.training.examples import repair

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "polnear"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not available")

TEXT = (
    "Harbour Council Delays Vote\n"
    "The mayor said on Monday that the harbour tax would be delayed.\n"
    "“We cannot afford a long stoppage,” Reyes said. “The port is the city.”\n"
)


def _tags(*names: str) -> np.ndarray:
    return np.array([TAG_INDEX[n] for n in names])


# -- decoding ---------------------------------------------------------------------------


def test_viterbi_never_continues_a_span_that_was_not_opened():
    rng = np.random.default_rng(0)
    scores = np.log(rng.dirichlet(np.ones(len(TAGS)), size=200))
    path = decoding.viterbi(scores)
    for prev, tag in zip(
        ["O", *[TAGS[t] for t in path[:-1]]], [TAGS[t] for t in path], strict=True
    ):
        if tag.startswith("I-"):
            assert prev[2:] == tag[2:], (prev, tag)


def test_viterbi_follows_the_scores_where_they_are_valid():
    path = _tags("B-source", "I-source", "B-cue", "O", "B-content", "I-content")
    scores = np.full((len(path), len(TAGS)), -5.0)
    scores[np.arange(len(path)), path] = 0.0
    assert list(decoding.viterbi(scores)) == list(path)


def test_repair_opens_spans_cut_by_a_window_or_another_role():
    tags = _tags("I-content", "I-content", "B-cue", "I-content", "O", "I-source")
    assert [TAGS[t] for t in repair(tags)] == [
        "B-content",
        "I-content",
        "B-cue",
        "B-content",
        "O",
        "B-source",
    ]


def test_segments_are_maximal_runs_of_one_role():
    tags = _tags("B-source", "I-source", "B-cue", "B-content", "I-content", "B-content", "O")
    segs = decoding.segments(tags)
    assert [(s.role, s.start, s.end) for s in segs] == [
        ("source", 0, 2),
        ("cue", 2, 3),
        ("content", 3, 5),
        ("content", 5, 6),
    ]


def test_windows_cover_every_token_and_overlap():
    assert windows(10, 256, 192) == [(0, 10)]
    spans = windows(1000, 256, 192)
    covered = set()
    for s, e in spans:
        assert e - s == 256
        covered |= set(range(s, e))
    assert covered == set(range(1000))


# -- the numpy network computes what PyTorch trained ------------------------------------


def test_numpy_tagger_matches_the_torch_network():
    torch = pytest.importorskip("torch")
    from onrecord.training import Config
    from onrecord.training.tagger import build_tagger, export_tagger

    torch.manual_seed(0)
    config = Config(hidden=16, layers=2, window=12, stride=5, static_dim=0)
    config.emb = tuple((name, 4) for name, _ in config.emb)
    net = build_tagger(config).eval()
    n = 30
    rng = np.random.default_rng(1)
    ids = np.stack([rng.integers(0, size, n) for _, size in features.FIELDS], axis=1)
    dense = rng.normal(size=(n, features.DENSE_DIM)).astype(np.float32)
    tagger = Tagger(export_tagger(net), {"window": 1000, "stride": 1000, "layers": 2})
    with torch.no_grad():
        expected = net(torch.from_numpy(ids[None]), torch.from_numpy(dense[None]))[0]
    expected = expected.log_softmax(-1).numpy()
    np.testing.assert_allclose(tagger.scores(ids, dense), expected, atol=1e-4)
    # Windowed, the middle of each window sees enough context to agree closely.
    windowed = Tagger(export_tagger(net), {"window": 12, "stride": 5, "layers": 2})
    assert windowed.scores(ids, dense).shape == expected.shape


# -- the shipped model ------------------------------------------------------------------


def test_the_model_ships_in_the_package():
    folder = default_folder()
    for name in ("config.json", "tagger.npz", "linker.npz", "cue_counts.tsv", "static.npz"):
        assert (folder / name).is_file(), name
    # The cue list it was trained with, a copy of the package's list as it was then.
    assert (folder / "reporting_verbs.txt").read_text(encoding="utf-8") == (
        lexicon.shipped(lexicon.CLASSES_FILE).read_text(encoding="utf-8")
    )
    size = sum(p.stat().st_size for p in folder.iterdir())
    assert size < 40_000_000
    assert "model" in available()


def test_the_model_finds_statements():
    result = extract(TEXT, detector="model")
    cues = [s.cue_text for s in result.statements]
    assert "said" in cues
    quoted = [s for s in result.statements if s.type == "direct"]
    assert quoted and quoted[0].speaker.text == "Reyes"
    assert "We cannot afford a long stoppage" in quoted[0].content_text
    for s in result.statements:
        assert 0.0 <= s.confidence <= 1.0


def test_the_model_on_empty_and_quote_free_text():
    detector = get_detector("model")
    from onrecord import nlp
    from onrecord.records import Article

    assert detector.detect(nlp.parse(""), Article(text="")) == []
    text = "The weather was fine and the ships came in."
    assert extract(text, detector="model").statements == ()


def test_extract_cli_takes_the_model(tmp_path):
    _register()
    path = tmp_path / "story.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["extract", str(path), "--detector", "model", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    record = records[0] if isinstance(records, list) else records
    assert record["statements"]


def test_a_folder_that_is_not_a_model_is_one_line_of_error(tmp_path, monkeypatch):
    _register()
    path = tmp_path / "story.txt"
    path.write_text(TEXT, encoding="utf-8")
    (tmp_path / "notes").mkdir()
    monkeypatch.setenv("ONRECORD_MODEL", str(tmp_path / "notes"))
    result = CliRunner().invoke(app, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "not a model folder written by `onrecord train`" in lines[0]
    assert "Traceback" not in result.output


def _model_copy(folder: Path, cue_list: str) -> Path:
    """The shipped model's files (linked) with a cue list of its own."""
    folder.mkdir()
    for path in default_folder().iterdir():
        if path.name != lexicon.CLASSES_FILE:
            (folder / path.name).symlink_to(path)
    (folder / lexicon.CLASSES_FILE).write_text(cue_list, encoding="utf-8")
    return folder


def test_a_model_reads_the_cue_list_it_was_trained_with(tmp_path, monkeypatch):
    """The lexicon features are the ones the weights learned from: a model folder's own
    cue list, never the package's (which the rule-based detector reads)."""
    own = _model_copy(tmp_path / "model", "# trained with\n[speech]\nsay blurt\n[belief]\nreckon\n")
    classes = ModelDetector(own).lexicon.classes
    assert classes == {"say": "speech", "blurt": "speech", "reckon": "belief"}
    # Editing the package's list changes the rules' lexicon, not a trained model's.
    edited = tmp_path / "reporting_verbs.txt"
    edited.write_text("[speech]\nmumble\n", encoding="utf-8")
    package = lexicon.shipped
    monkeypatch.setattr(
        lexicon, "shipped", lambda name: edited if name == lexicon.CLASSES_FILE else package(name)
    )
    lexicon.default_lexicon.cache_clear()
    try:
        assert lexicon.default_lexicon().classes == {"mumble": "speech"}
        shipped_model = ModelDetector(default_folder())
        assert "mumble" not in shipped_model.lexicon.classes
        assert shipped_model.lexicon.classes["say"] == "speech"
        assert ModelDetector(own).lexicon.classes["blurt"] == "speech"
    finally:
        monkeypatch.undo()
        lexicon.default_lexicon.cache_clear()


def test_a_model_folder_without_its_cue_list_is_refused(tmp_path):
    folder = _model_copy(tmp_path / "model", "")
    (folder / lexicon.CLASSES_FILE).unlink()
    with pytest.raises(OnrecordError, match="no reporting_verbs.txt"):
        ModelDetector(folder)


def test_the_model_loads_from_a_built_wheel_without_torch(tmp_path):
    """Build the wheel, unpack it, and detect from that copy in a fresh interpreter that
    must not import PyTorch: the weights ship in the package and load offline."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(wheels.glob("onrecord-*.whl"))
    unpacked = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        assert "onrecord/attribution/model/weights/tagger.npz" in names
        # The pretrained word vectors ship with the model: no language model is needed.
        assert "onrecord/attribution/model/weights/static.npz" in names
        assert "onrecord/attribution/model/weights-lm/lm.npz" in names
        z.extractall(unpacked)
    script = f"""
import sys
sys.path.insert(0, {str(unpacked)!r})
sys.modules["torch"] = None  # importing PyTorch would fail
import onrecord
assert onrecord.__file__.startswith({str(unpacked)!r}), onrecord.__file__
from onrecord import extract
result = extract({TEXT!r}, detector="model")
print(len(result.statements))
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "HF_HUB_OFFLINE": "1",
            "NO_PROXY": "*",
            "ONRECORD_LM": str(tmp_path / "no-language-model"),
        },
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) >= 1


# -- training ---------------------------------------------------------------------------


def test_train_refuses_a_folder_that_is_not_gold(tmp_path):
    pytest.importorskip("torch")
    _register()
    result = CliRunner().invoke(
        app, ["train", "--train", str(tmp_path), "--dev", str(tmp_path), "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.output.strip().startswith("error:")


@needs_shared
def test_a_small_training_run_makes_a_model_that_loads(tmp_path):
    pytest.importorskip("torch")
    _register()
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = CliRunner().invoke(
            app,
            [
                "train",
                "--train",
                str(SHARED / "train"),
                "--dev",
                str(SHARED / "dev"),
                "--out",
                str(out),
                "--limit",
                "4",
                "--epochs",
                "1",
                "--seed",
                "3",
                "--static-dim",
                "0",
            ],
        )
        assert result.exit_code == 0, result.output
        assert "dev exact F1" in result.output
        runs.append(out)
    config = json.loads((runs[0] / "config.json").read_text())
    # The model's version, which results name it by: the day it was trained.
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", config["version"])
    assert ModelDetector(runs[0]).version == config["version"]
    # The cue list the features were made with is saved with the weights.
    assert (runs[0] / "reporting_verbs.txt").read_text(encoding="utf-8") == (
        lexicon.shipped(lexicon.CLASSES_FILE).read_text(encoding="utf-8")
    )
    assert config["train_articles"] == 4
    detector = ModelDetector(runs[0])
    # ONRECORD_MODEL makes the pipeline use it instead of the shipped model.
    story = tmp_path / "story.txt"
    story.write_text(TEXT, encoding="utf-8")
    env = {"ONRECORD_MODEL": str(runs[0])}
    result = CliRunner().invoke(app, ["extract", str(story), "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    from onrecord import nlp
    from onrecord.records import Article

    found = detector.detect(nlp.parse(TEXT), Article(text=TEXT))
    assert isinstance(found, list)
    # The same seed gives the same model.
    with np.load(runs[0] / "tagger.npz") as a, np.load(runs[1] / "tagger.npz") as b:
        assert sorted(a.files) == sorted(b.files)
        for key in a.files:
            np.testing.assert_array_equal(a[key], b[key])
