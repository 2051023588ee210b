"""JSONL files: one article per line, named path:LINE; a bad line does not stop the file."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from onrecord.errors import InputError
from onrecord.ingest import iter_articles
from onrecord.records import Article

DATA = Path(__file__).parent / "data" / "ingest"
COUNCIL = (DATA / "council.txt").read_text(encoding="utf-8")
PAGE = (DATA / "article.html").read_text(encoding="utf-8")


def outcome(item: Article | InputError) -> str:
    return str(item) if isinstance(item, InputError) else f"{item.source}: ok"


def write_lines(path: Path, lines: list[str | bytes]) -> None:
    path.write_bytes(b"".join((ln.encode() if isinstance(ln, str) else ln) + b"\n" for ln in lines))


def test_text_and_html_records_with_metadata(tmp_path):
    path = tmp_path / "batch.jsonl"
    write_lines(
        path,
        [
            json.dumps({"text": COUNCIL, "outlet": "Tribune", "published": "2024-05-13T20:00Z"}),
            "",
            json.dumps({"html": PAGE, "url": "https://feed.test/ferry"}),
            json.dumps({"text": COUNCIL, "id": 7, "tags": ["ferry"]}),
        ],
    )
    first, second, third = iter_articles([str(path)], outlet="Default", title="Default title")
    assert first.source == f"{path}:1"
    assert first.text == COUNCIL
    assert first.outlet == "Tribune"  # the record's own value wins
    assert first.published == "2024-05-13"
    assert first.title == "Default title"  # the default fills the gap
    assert second.source == f"{path}:3"  # blank line 2 skipped, numbering kept
    assert second.url == "https://feed.test/ferry"  # the record beats the canonical link
    assert second.outlet == "The Port Ellis Tribune"  # the page beats the default
    assert second.title == "Harbor council approves ferry subsidy after long debate"
    assert len(second.excluded) == 1
    assert third.outlet == "Default"


def test_bad_lines_are_reported_and_reading_goes_on(tmp_path):
    path = tmp_path / "mixed.jsonl"
    write_lines(
        path,
        [
            '{"text": "The council said the ferry would keep running through the winter."',
            json.dumps(["not", "an", "object"]),
            json.dumps({"title": "No body"}),
            json.dumps({"text": "   "}),
            json.dumps({"text": COUNCIL, "published": "last week"}),
            json.dumps({"text": COUNCIL, "outlet": 42}),
            json.dumps({"text": (DATA / "german.txt").read_text(encoding="utf-8")}),
            b'{"text": "caf\xe9 owners said"}',
            json.dumps({"text": COUNCIL}),
        ],
    )
    assert [outcome(i) for i in iter_articles([str(path)])] == [
        f"{path}:1: not valid JSON (Expecting ',' delimiter at column 77)",
        f"{path}:2: not a JSON object (found list)",
        f'{path}:3: no "text" or "html" field',
        f"{path}:4: empty text",
        f"{path}:5: invalid published date 'last week' (expected YYYY-MM-DD)",
        f"{path}:6: field outlet must be a string, not int",
        f"{path}:7: not English (looks like German, p=1.00)",
        f"{path}:8: not UTF-8 (invalid byte 0xe9 at column 14)",
        f"{path}:9: ok",
    ]


def test_gzipped_jsonl_and_truncation(tmp_path):
    lines = "".join(
        json.dumps({"text": COUNCIL, "url": f"https://t.test/{i}"}) + "\n" for i in range(30)
    )
    whole = tmp_path / "feed.jsonl.gz"
    whole.write_bytes(gzip.compress(lines.encode()))
    items = list(iter_articles([str(whole)]))
    assert len(items) == 30 and all(isinstance(a, Article) for a in items)
    assert items[-1].source == f"{whole}:30"

    cut = tmp_path / "cut.jsonl.gz"
    data = gzip.compress(lines.encode())
    cut.write_bytes(data[: len(data) - 20])
    items = list(iter_articles([str(cut)]))
    assert isinstance(items[0], Article)
    assert str(items[-1]) == f"{cut}: truncated gzip file (the compressed data ends early)"


def test_empty_jsonl(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.jsonl"
    blank.write_bytes(b"\n  \n")
    assert [str(i) for i in iter_articles([str(empty), str(blank)])] == [
        f"{empty}: empty file",
        f"{blank}: empty file (only whitespace)",
    ]
