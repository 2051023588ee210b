"""Hostile inputs: deep nesting, bombs, endless lines, monstrous headers.  Each gives its
text or one clear line, in bounded time and memory, and the batch goes on."""

from __future__ import annotations

import gzip
import io
import json
import os
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onrecord.errors import InputError
from onrecord.ingest import MAX_BYTES, article_from_html, iter_articles, read_input
from onrecord.records import Article

DATA = Path(__file__).parent / "data" / "ingest"
COUNCIL = (DATA / "council.txt").read_text(encoding="utf-8")
PARAGRAPHS = [
    "The harbour council voted on Tuesday to keep the winter ferry running until March.",
    "Mayor Ana Ruiz said the crossing was the only way for islanders to reach the hospital.",
    "The operator had warned in October that fuel costs would double the price of a ticket.",
]
STORY = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
FLATTENED = "HTML nested too deeply for the parser: read with its nesting flattened"


def nested(depth: int, tag: str, closed: bool, inner: str = STORY) -> str:
    closing = f"</{tag}>" * depth if closed else ""
    return (
        "<html><head><title>Ferry stays</title></head><body>"
        f"{f'<{tag}>' * depth}{inner}{closing}</body></html>"
    )


@pytest.mark.parametrize("closed", [True, False], ids=["closed", "unclosed"])
@pytest.mark.parametrize("tag", ["div", "span"])
@pytest.mark.parametrize("depth", [300, 1000, 5000])
def test_deeply_nested_html_keeps_its_text(tmp_path, depth, tag, closed):
    path = tmp_path / "deep.html"
    path.write_text(nested(depth, tag, closed), encoding="utf-8")
    started = time.monotonic()
    (article,) = iter_articles([str(path)])
    assert time.monotonic() - started < 30
    assert isinstance(article, Article), article
    assert article.text == "\n".join(PARAGRAPHS)
    assert article.notes == (FLATTENED,)


def test_deep_text_outside_paragraphs():
    line = "The council voted on Tuesday to keep the winter ferry running, the mayor said."
    article = article_from_html(nested(3000, "font", False, inner=line))
    assert article.text.strip() == line
    assert article.notes == (FLATTENED, "very short text (14 words): probably not an article")


def test_a_normal_page_is_not_flattened():
    article = article_from_html(nested(100, "div", True))
    assert article.text == "\n".join(PARAGRAPHS)
    assert article.notes == ()


@pytest.mark.parametrize("depth", [300, 5000])
def test_deep_html_with_no_text_is_one_clear_error(tmp_path, depth):
    path = tmp_path / "empty.html"
    path.write_text(nested(depth, "div", True, inner="<script>var a = 1;</script>"), "utf-8")
    assert [str(i) for i in iter_articles([str(path)])] == [
        f"{path}: no article text found in HTML"
    ]


def test_a_page_of_a_million_elements_is_read_without_trafilatura(tmp_path):
    # trafilatura would take minutes and gigabytes on it.
    path = tmp_path / "huge.html"
    path.write_text("<html><body>" + "<a>" * 150_000 + STORY + "</body></html>", encoding="utf-8")
    (article,) = iter_articles([str(path)])
    assert article.text == "\n".join(PARAGRAPHS)
    assert article.notes == (
        "HTML too large to find the main text (150005 elements): read as the text of all "
        "its blocks",
    )


# ---------------------------------------------------------------------------- JSON


def test_json_nested_too_deep_is_one_bad_line(tmp_path):
    path = tmp_path / "feeds.jsonl"
    deep = '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path.write_text(
        json.dumps({"text": COUNCIL, "url": "https://ledger.test/1"})
        + "\n"
        + json.dumps({"text": COUNCIL, "url": "https://ledger.test/2"})
        + "\n"
        + deep
        + "\n"
        + json.dumps({"text": COUNCIL, "url": "https://ledger.test/4"})
        + "\n",
        encoding="utf-8",
    )
    items = list(iter_articles([str(path)]))
    assert [str(i) if isinstance(i, InputError) else i.source for i in items] == [
        f"{path}:1",
        f"{path}:2",
        f"{path}:3: JSON nested too deep",
        f"{path}:4",
    ]


def test_json_nested_too_deep_on_stdin():
    data = (json.dumps({"text": COUNCIL}) + "\n" + "{" + '"a":{' * 50_000 + "\n").encode()
    items = list(read_input("-", defaults={}, stdin=io.BytesIO(data)))
    assert [str(i) if isinstance(i, InputError) else i.source for i in items] == [
        "stdin:1",
        "stdin:2: JSON nested too deep",
    ]


# ---------------------------------------------------------------------------- size


def peak_mb(read) -> float:
    tracemalloc.start()
    try:
        read()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def test_a_500_mb_jsonl_line_is_not_read_into_memory(tmp_path):
    path = tmp_path / "endless.jsonl"
    with open(path, "wb") as f:
        f.write(b'{"text": "')
        f.truncate(500 * 1024 * 1024)  # sparse: zeros, no newline, nothing on disk
    items: list = []
    assert peak_mb(lambda: items.extend(iter_articles([str(path)]))) < 3 * MAX_BYTES / 1e6
    assert [str(i) for i in items] == [f"{path}:1: too large (over 10 MB)"]


def test_a_jsonl_gzip_bomb_costs_one_line(tmp_path):
    path = tmp_path / "bomb.jsonl.gz"
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    with open(path, "wb") as f:
        f.write(compressor.compress(b'{"text": "'))
        block = b"a" * (1 << 20)
        for _ in range(50):  # 50 MB of text in about 50 KB
            f.write(compressor.compress(block))
        f.write(compressor.compress(b'"}\n' + json.dumps({"text": COUNCIL}).encode() + b"\n"))
        f.write(compressor.flush())
    assert path.stat().st_size < 1_000_000
    items: list = []
    assert peak_mb(lambda: items.extend(iter_articles([str(path)]))) < 3 * MAX_BYTES / 1e6
    assert [str(i) if isinstance(i, InputError) else i.source for i in items] == [
        f"{path}:1: too large (over 10 MB)",
        f"{path}:2",
    ]


def test_a_gzipped_html_bomb_stops_at_the_limit(tmp_path):
    path = tmp_path / "bomb.html.gz"
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    with open(path, "wb") as f:
        f.write(compressor.compress(b"<html><body><p>"))
        for _ in range(200):  # 200 MB
            f.write(compressor.compress(b"a" * (1 << 20)))
        f.write(compressor.flush())
    items: list = []
    assert peak_mb(lambda: items.extend(iter_articles([str(path)]))) < 3 * MAX_BYTES / 1e6
    assert [str(i) for i in items] == [f"{path}: too large (over 10 MB decompressed)"]


def test_gzipped_jsonl_over_the_limit_on_stdin_is_read_line_by_line(monkeypatch):
    from onrecord.ingest import readers

    limit = 64 * 1024  # the 10 MB limit, made small to keep the test quick
    monkeypatch.setattr(readers, "MAX_BYTES", limit)
    line = json.dumps({"text": COUNCIL}).encode() + b"\n"
    lines = limit // len(line) + 10
    items = list(read_input("-", defaults={}, stdin=io.BytesIO(gzip.compress(line * lines))))
    assert len(items) == lines
    assert all(isinstance(i, Article) for i in items)
    assert items[-1].source == f"stdin:{lines}"


def warc(records: list[tuple[str, dict[str, str], bytes]], gz: bool = False) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for url, extra, body in records:
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html"), *extra.items()], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
    return buf.getvalue()


def test_a_warc_header_of_gigabytes_is_not_read_into_memory(tmp_path):
    good = f"<html><body>{STORY}<p>{COUNCIL}</p></body></html>".encode()
    data = warc([("https://ledger.test/1", {}, good)])
    # A second record whose header line never ends (50 MB, no line break).
    data += b"WARC/1.0\r\nWARC-Type: response\r\nX-Junk: " + b"j" * (50 * 1024 * 1024)
    path = tmp_path / "monster.warc"
    path.write_bytes(data)
    items: list = []
    assert peak_mb(lambda: items.extend(iter_articles([str(path)]))) < 3 * MAX_BYTES / 1e6
    assert [str(i) if isinstance(i, InputError) else i.source for i in items] == [
        f"{path}#1",
        f"{path}#2: broken WARC record (headers over 4 MB); the rest of the file was skipped",
    ]


def test_a_huge_warc_record_is_skipped_in_bounded_memory(tmp_path):
    good = f"<html><body>{STORY}<p>{COUNCIL}</p></body></html>".encode()
    path = tmp_path / "big.warc.gz"
    with open(path, "wb") as f:
        f.write(warc([("https://ledger.test/1", {}, good)], gz=True))
        # A record of 100 MB of HTML, compressed to about 100 KB.
        body_len = 100 * 1024 * 1024
        head = (
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://ledger.test/big\r\n"
            "Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {body_len + 45}\r\n\r\n"
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
        ).encode()
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        f.write(compressor.compress(head))
        for _ in range(100):
            f.write(compressor.compress(b"<p>" + b"a" * (1024 * 1024 - 3)))
        f.write(compressor.compress(b"\r\n\r\n"))
        f.write(compressor.flush())
        f.write(warc([("https://ledger.test/3", {}, good)], gz=True))
    assert os.path.getsize(path) < 2_000_000
    items: list = []
    assert peak_mb(lambda: items.extend(iter_articles([str(path)]))) < 3 * MAX_BYTES / 1e6
    assert [str(i) if isinstance(i, InputError) else i.source for i in items] == [
        f"{path}#1",
        f"{path}#2: too large (100.0 MB; the limit is 10 MB)",
        f"{path}#3",
    ]


def test_paths_that_cannot_be_opened(tmp_path):
    assert [str(i) for i in iter_articles(["bad\x00name.txt", ""])] == [
        "bad\\x00name.txt: not a valid path (contains a NUL character)",
        "'': no such file or directory",
    ]
