"""Which inputs are read (files, folders, globs, stdin) and how stdin is sniffed."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from onrecord.errors import InputError
from onrecord.ingest import expand_inputs, iter_articles, read_input
from onrecord.records import Article

DATA = Path(__file__).parent / "data" / "ingest"
COUNCIL = (DATA / "council.txt").read_text(encoding="utf-8")
PAGE = (DATA / "article.html").read_bytes()


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in [
        "z.txt",
        "a.html",
        "b/c.htm",
        "b/deep/d.jsonl",
        "b/e.warc.gz",
        "b/f.html.gz",
        "notes.md",
        "image.png",
        ".hidden/g.txt",
        ".h.txt",
    ]:
        (tmp_path / name).write_bytes(b"x")
    return tmp_path


def test_folders_are_walked_recursively_for_known_extensions(tree):
    assert expand_inputs([str(tree)]) == [
        str(tree / p)
        for p in ["a.html", "b/c.htm", "b/deep/d.jsonl", "b/e.warc.gz", "b/f.html.gz", "z.txt"]
    ]


def test_files_globs_stdin_and_missing_paths_keep_their_order(tree):
    assert expand_inputs(
        [
            str(tree / "notes.md"),
            str(tree / "*.txt"),
            "-",
            str(tree / "nope.txt"),
            str(tree / "*.xml"),
            str(tree / "z.txt"),
        ]
    ) == [
        str(tree / "notes.md"),  # named explicitly: read, whatever its extension
        str(tree / "z.txt"),
        "-",
        str(tree / "nope.txt"),
        str(tree / "*.xml"),
        # z.txt again: each path once
    ]


def test_missing_paths_patterns_and_empty_folders_give_errors(tmp_path):
    (tmp_path / "empty").mkdir()
    inputs = [str(tmp_path / "nope.txt"), str(tmp_path / "*.xml"), str(tmp_path / "empty")]
    assert [str(i) for i in iter_articles(inputs)] == [
        f"{tmp_path / 'nope.txt'}: no such file or directory",
        f"{tmp_path / '*.xml'}: no files match this pattern",
        f"{tmp_path / 'empty'}: no .txt, .html, .htm, .warc or .jsonl files in this directory",
    ]


def test_unknown_extension_is_sniffed(tmp_path):
    html = tmp_path / "page.download"
    html.write_bytes(PAGE)
    text = tmp_path / "README"
    text.write_text(COUNCIL, encoding="utf-8")
    page, plain = iter_articles([str(html), str(text)])
    assert page.title == "Harbor council approves ferry subsidy after long debate"
    assert plain.text == COUNCIL


def stdin_items(data: bytes, **defaults) -> list[Article | InputError]:
    return list(read_input("-", defaults=defaults, stdin=io.BytesIO(data)))


def test_stdin_text_is_kept_exactly():
    (article,) = stdin_items(COUNCIL.encode(), outlet="Piped")
    assert article.source == "stdin"
    assert article.text == COUNCIL
    assert article.outlet == "Piped"


def test_stdin_html():
    (article,) = stdin_items(PAGE)
    assert article.source == "stdin"
    assert article.outlet == "The Port Ellis Tribune"
    assert len(article.excluded) == 1


def test_stdin_gzipped_html():
    (article,) = stdin_items(gzip.compress(PAGE))
    assert article.title == "Harbor council approves ferry subsidy after long debate"


def test_stdin_jsonl_only_if_every_line_is_an_object():
    lines = [json.dumps({"text": COUNCIL, "title": f"Part {i}"}) for i in (1, 2)]
    items = stdin_items(("\n".join(lines) + "\n").encode())
    assert [(a.source, a.title) for a in items] == [("stdin:1", "Part 1"), ("stdin:2", "Part 2")]
    # One line that is not an object: the whole input is text.
    (article,) = stdin_items(("\n".join(lines) + "\nThe end.\n").encode())
    assert article.source == "stdin"
    assert article.text.endswith("The end.\n")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty input"),
        (b" \n\n", "empty input (only whitespace)"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "binary file (contains NUL bytes)"),
        (b"The council said \xff it would vote.", "not UTF-8 (invalid byte 0xff at offset 17)"),
    ],
)
def test_bad_stdin(data, reason):
    assert [str(i) for i in stdin_items(data)] == [f"stdin: {reason}"]


def test_bad_published_default_is_refused_at_once():
    with pytest.raises(InputError, match=r"^invalid published date '13/05/2024'"):
        list(iter_articles(["-"], published="13/05/2024"))


def test_an_unexpected_error_costs_one_input(tmp_path, monkeypatch):
    from onrecord.ingest import article as article_module

    real = article_module.boilerplate.find_appeals

    def flaky(text):
        if "BOOM" in text:
            raise RuntimeError("regex exploded")
        return real(text)

    monkeypatch.setattr(article_module.boilerplate, "find_appeals", flaky)
    bad = tmp_path / "a.txt"
    bad.write_text("BOOM said the mayor.", encoding="utf-8")
    good = tmp_path / "b.txt"
    good.write_text(COUNCIL, encoding="utf-8")
    lines = tmp_path / "c.jsonl"
    lines.write_text(
        json.dumps({"text": "BOOM"}) + "\n" + json.dumps({"text": COUNCIL}) + "\n",
        encoding="utf-8",
    )
    items = list(iter_articles([str(bad), str(good), str(lines)]))
    assert [str(i) if isinstance(i, InputError) else i.source for i in items] == [
        f"{bad}: internal error: RuntimeError: regex exploded",
        str(good),
        f"{lines}:1: internal error: RuntimeError: regex exploded",
        f"{lines}:2",
    ]
