"""Plain text: the article text is the file exactly; bad files give one-line reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onrecord.errors import InputError
from onrecord.ingest import MAX_BYTES, article_from_text, iter_articles, normalise_published
from onrecord.records import Article

DATA = Path(__file__).parent / "data" / "ingest"
COUNCIL = (DATA / "council.txt").read_text(encoding="utf-8")


def read_one(path: Path, **defaults) -> Article | InputError:
    items = list(iter_articles([str(path)], **defaults))
    assert len(items) == 1, items
    return items[0]


def test_text_file_is_kept_exactly_with_crlf_and_bom(tmp_path):
    raw = ("\ufeff" + COUNCIL.replace("\n", "\r\n")).encode("utf-8")
    path = tmp_path / "story.txt"
    path.write_bytes(raw)
    article = read_one(path)
    assert isinstance(article, Article)
    assert article.text == raw.decode("utf-8")
    assert article.source == str(path)
    assert article.language == "en"
    assert article.excluded == () and article.notes == ()
    start = article.text.index("Maria Okafor")
    assert article.text[start : start + 12] == "Maria Okafor"


def test_defaults_fill_metadata_and_published_is_normalised(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(COUNCIL, encoding="utf-8")
    article = read_one(
        path, outlet="The Port Ellis Tribune", published="13 May 2024", url="https://x.test/a"
    )
    assert article.outlet == "The Port Ellis Tribune"
    assert article.published == "2024-05-13"
    assert article.url == "https://x.test/a"
    assert article.title is None


def test_article_from_text_keeps_text_and_validates_published():
    article = article_from_text(COUNCIL, published="2024-05-13T21:40:00-04:00", title="Ferry")
    assert article.text == COUNCIL
    assert article.published == "2024-05-13"
    assert article.title == "Ferry"
    with pytest.raises(InputError) as err:
        article_from_text(COUNCIL, published="next Tuesday", source="s.txt")
    assert str(err.value) == "s.txt: invalid published date 'next Tuesday' (expected YYYY-MM-DD)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-13", "2024-05-13"),
        ("2024/5/3", "2024-05-03"),
        ("2024-05-13T01:30:00Z", "2024-05-13"),
        ("May 13, 2024", "2024-05-13"),
        ("Mon, 13 May 2024", "2024-05-13"),
        ("", None),
        (None, None),
    ],
)
def test_normalise_published(value, expected):
    assert normalise_published(value) == expected


@pytest.mark.parametrize("value", ["2024-02-30", "05/13/2024", "soon", "2024"])
def test_normalise_published_refuses(value):
    with pytest.raises(ValueError, match="invalid published date"):
        normalise_published(value)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n  ", "empty file (only whitespace)"),
        (b"PK\x03\x04\x00\x00\x08\x00binary zip data", "binary file (contains NUL bytes)"),
        (bytes(range(1, 9)) * 40, "binary file (mostly control characters)"),
        ("The mayor said".encode("utf-16"), "not UTF-8 (looks like UTF-16: convert it to UTF-8)"),
        (b"The mayor said \xff\xfe that", "not UTF-8 (invalid byte 0xff at offset 15)"),
        ("Le maire a déclaré".encode("latin-1"), "not UTF-8 (invalid byte 0xe9 at offset 12)"),
    ],
)
def test_bad_text_files(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    error = read_one(path)
    assert isinstance(error, InputError)
    assert error.source == str(path)
    assert error.reason == reason
    assert str(error) == f"{path}: {reason}"


def test_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:  # sparse: no 10 MB written
        f.truncate(MAX_BYTES + 1)
    error = read_one(path)
    assert isinstance(error, InputError)
    assert error.reason == "too large (10.0 MB; the limit is 10 MB)"


@pytest.mark.parametrize(
    ("name", "language"), [("german.txt", "German"), ("spanish.txt", "Spanish")]
)
def test_non_english_is_refused(name, language):
    error = read_one(DATA / name)
    assert isinstance(error, InputError)
    assert error.reason.startswith(f"not English (looks like {language}, p=")


def test_tiny_texts_are_not_judged_and_say_so():
    # Too short for language identification: read as English, with a warning.
    article = article_from_text("Die Fähre bleibt.")
    assert article.language == "en"
    assert article.notes == (
        "very short text (3 words): probably not an article",
        "language not checked: text too short to identify (17 characters)",
    )


def test_english_with_foreign_names_is_english():
    text = (
        "Jean-Claude Lefèvre, Wolfgang Schäuble and Ngozi Okonjo-Iweala met in Brussels on "
        "Tuesday, according to Agence France-Presse. Lefèvre told reporters the talks on the "
        "Rhône-Alpes rail link had been productive, and Schäuble said a deal was close."
    )
    assert article_from_text(text).language == "en"


def test_article_from_text_bad_inputs():
    with pytest.raises(InputError, match="^empty text$"):
        article_from_text("")
    with pytest.raises(InputError, match=r"^empty text \(only whitespace\)$"):
        article_from_text(" \n ")
    with pytest.raises(InputError, match="NUL"):
        article_from_text("abc\x00def")
    with pytest.raises(InputError, match="expected text"):
        article_from_text(b"bytes")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- short texts


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Le maire a annoncé lundi que le pont rouvrirait en juin.", "French"),
        (
            "Le conseil municipal a voté mardi soir pour maintenir le service de traversier "
            "pendant tout l'hiver, a déclaré la mairesse.",
            "French",
        ),
        ("Der Bürgermeister sagte am Montag, die Fähre bleibe im Winter in Betrieb.", "German"),
        (
            "Die Regierung will die Steuern für kleine Unternehmen im nächsten Jahr senken, "
            "sagte der Finanzminister am Dienstag.",
            "German",
        ),
        ("El alcalde dijo el lunes que el puente volverá a abrir en junio.", "Spanish"),
        (
            "La policía detuvo a dos hombres después del robo en el centro de la ciudad, "
            "informaron las autoridades.",
            "Spanish",
        ),
    ],
)
def test_one_foreign_sentence_is_refused(tmp_path, text, language):
    path = tmp_path / "brief.txt"
    path.write_text(text + "\n", encoding="utf-8")
    error = read_one(path)
    assert isinstance(error, InputError)
    assert error.reason.startswith(f"not English (looks like {language}, p=")


@pytest.mark.parametrize(
    "text",
    [
        "Fête de la Musique draws crowds in Montréal.",
        "Jean-Claude Lefèvre met Wolfgang Schäuble in Brussels.",
        "The mayor, Ana Ruiz, said: «Nous ne céderons pas.»",
        "Nguyễn Xuân Phúc visits Hà Nội.",
        "Bundesliga: Bayern München beat Borussia Dortmund 3-1.",
    ],
)
def test_a_short_english_text_full_of_foreign_names_is_read_with_a_warning(text):
    article = article_from_text(text)
    assert article.language == "en"
    assert article.notes[-1].startswith(
        f"language uncertain: text too short to be sure it is English ({len(text)} "
        "characters; it may be "
    )


def test_a_short_english_text_has_no_language_warning():
    article = article_from_text("Ramzan Kadyrov said on Sunday there was no threat to Russia.")
    assert article.notes == ("very short text (11 words): probably not an article",)


@pytest.mark.parametrize(
    ("text", "notes"),
    [
        (
            "x",
            (
                "very short text (1 word): probably not an article",
                "language not checked: text too short to identify (1 characters)",
            ),
        ),
        (
            "Breaking news\n",
            (
                "very short text (2 words): probably not an article",
                "language not checked: text too short to identify (13 characters)",
            ),
        ),
    ],
)
def test_tiny_files_are_kept_with_warnings(tmp_path, text, notes):
    path = tmp_path / "tiny.txt"
    path.write_text(text, encoding="utf-8")
    article = read_one(path)
    assert isinstance(article, Article)
    assert article.text == text
    assert article.notes == notes


def test_a_one_paragraph_brief_has_no_warning():
    brief = (
        "The Port Ellis ferry will run through the winter after the town council voted 5-2 "
        "on Monday to extend its subsidy for another year, Mayor Maria Okafor said."
    )
    assert article_from_text(brief).notes == ()


@pytest.mark.parametrize("text", ["...", "— * —", "!!!\n???"])
def test_text_without_words_is_refused(text):
    with pytest.raises(InputError, match=r"^no words in the text \(only punctuation or symbols\)$"):
        article_from_text(text)


def test_short_warnings_reach_the_record(tmp_path):
    from typer.testing import CliRunner

    from onrecord.cli import _register, app

    _register()
    path = tmp_path / "headline.txt"
    path.write_text("Ferry stays\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    (record,) = json.loads(result.stdout)
    assert record["warnings"] == [
        "very short text (2 words): probably not an article",
        "language not checked: text too short to identify (11 characters)",
    ]


def test_preloading_the_language_model_loads_it_once(monkeypatch):
    """`extract` starts loading the language model beside spaCy's; a check that comes
    while it loads waits for that load instead of starting a second one."""
    import threading
    import time

    from onrecord.ingest import language

    loads = []
    real = language._load_identifier

    def slow_load():
        loads.append(threading.current_thread().name)
        time.sleep(0.3)
        return real()

    monkeypatch.setattr(language, "_load_identifier", slow_load)
    monkeypatch.setattr(language, "_model", None)  # restored, loaded, after the test
    language.preload()
    time.sleep(0.05)  # the load is under way
    french = "Le gouvernement a annoncé mardi une hausse des impôts."
    assert language.identify(french)[0] == "fr"
    language.preload()  # loaded: nothing more to do
    assert loads == ["onrecord-langid"]
