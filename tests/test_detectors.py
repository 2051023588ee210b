"""The detector registry: each detector is registered by name with its settings and
their defaults, made with some of them changed, and named with its version."""

from __future__ import annotations

import pytest

import onrecord.attribution as attribution
from onrecord.attribution import (
    available,
    default_config,
    get_detector,
    label,
    register,
)
from onrecord.attribution.model.detector import ModelDetector, default_folder, load
from onrecord.attribution.rules import DEFAULT_THRESHOLD, VERSION, RuleDetector
from onrecord.pipeline import Extractor
from onrecord.records import Article

TEXT = (
    "Harbour Council Delays Vote\n\n"
    "“We cannot afford a long stoppage,” Reyes said on Monday.\n\n"
    "The mayor hoped the strike would end soon, and critics argued that the council had "
    "waited too long.\n"
)


def test_the_builtin_detectors_and_their_settings():
    assert {"model", "model-lm", "rules"} <= set(available())
    assert default_config("rules") == {"threshold": DEFAULT_THRESHOLD}
    assert default_config("model") == {"folder": None}
    assert default_config("model-lm") == {"folder": None}


def test_the_defaults_are_what_they_were():
    rules = get_detector("rules")
    assert isinstance(rules, RuleDetector) and rules.threshold == DEFAULT_THRESHOLD
    model = get_detector("model")
    assert model is load() and model.folder == default_folder()
    assert get_detector() is model


def test_each_detector_has_a_name_and_a_version():
    assert label(get_detector("rules")) == f"rules {VERSION}"
    model = get_detector("model")
    assert (model.name, model.version) == ("model", model.config["version"])
    assert label(model) == f"model {model.config['version']}"


def test_an_unknown_setting_is_a_one_line_error():
    with pytest.raises(ValueError) as caught:
        get_detector("rules", treshold=0.5)
    message = str(caught.value)
    assert "\n" not in message
    assert message == "detector 'rules' has no setting 'treshold' (its settings: threshold)"
    with pytest.raises(ValueError, match="has no setting 'threshold'"):
        Extractor(detector="model", detector_settings={"threshold": 0.5})
    with pytest.raises(ValueError, match="^unknown detector 'rule' "):
        get_detector("rule")


def test_a_setting_of_the_wrong_type_is_a_one_line_error():
    with pytest.raises(ValueError) as caught:
        get_detector("rules", threshold="high")
    assert str(caught.value) == "setting 'threshold' of detector 'rules' takes a float, not 'high'"
    assert get_detector("rules", threshold=1).threshold == 1  # an int where a float is


def test_a_setting_reaches_the_detector():
    assert get_detector("rules", threshold=0.9).threshold == 0.9
    everything = Extractor(detector="rules").extract(Article(text=TEXT))
    sure_only = Extractor(detector="rules", detector_settings={"threshold": 0.99}).extract(
        Article(text=TEXT)
    )
    assert len(sure_only.statements) < len(everything.statements)
    # The result names the detector, not its settings.
    assert sure_only.detector == everything.detector == f"rules {VERSION}"


def test_the_model_takes_its_folder_as_a_setting(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    for path in default_folder().iterdir():
        (folder / path.name).symlink_to(path)
    model = get_detector("model", folder=str(folder))
    assert isinstance(model, ModelDetector) and model.folder == folder
    assert model is not get_detector("model")


def test_a_detector_registers_with_its_settings(monkeypatch):
    monkeypatch.setattr(attribution, "_REGISTRY", dict(attribution._REGISTRY))

    class Echo:
        name = "echo"
        version = "1"

        def __init__(self, word: str, limit: int) -> None:
            self.word, self.limit = word, limit

        def detect(self, doc, article):
            return []

    @register("echo", default_config={"word": "said", "limit": 3})
    def make_echo(word: str, limit: int) -> Echo:
        return Echo(word, limit)

    made = get_detector("echo", limit=5)
    assert (made.word, made.limit) == ("said", 5)
    assert default_config("echo") == {"word": "said", "limit": 3}
    with pytest.raises(ValueError, match=r"its settings: limit, word\)$"):
        get_detector("echo", words="told")
    result = Extractor(detector="echo").extract(Article(text=TEXT))
    assert (result.statements, result.detector) == ((), "echo 1")
