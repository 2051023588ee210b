"""WARC files: one article per HTML response, named path#N, broken records reported."""

from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onrecord.errors import InputError
from onrecord.ingest import iter_articles, read_input
from onrecord.records import Article

DATA = Path(__file__).parent / "data" / "ingest"
COUNCIL_PAGE = (DATA / "article.html").read_bytes()


def page(headline: str, body: str, date: str | None = None) -> bytes:
    meta = f'<meta name="date" content="{date}">' if date else ""
    return (
        f"<!DOCTYPE html><html><head><title>{headline}</title>{meta}</head><body><article>"
        f"<h1>{headline}</h1><p>{body}</p>"
        "<p>Officials said a decision on the remaining funding would come later in the year, "
        "after the state budget office had reviewed the request.</p>"
        "</article></body></html>"
    ).encode()


LIBRARY = page(
    "Library reopens after flood",
    "The Lindenford community library reopened on Saturday, three weeks after the river "
    "burst its banks, librarian Ruth Adeyemi said.",
)
BRIDGE = page(
    "Bridge repairs finished early",
    "Repairs to the old Saint-Aubin bridge finished a month early, the regional roads "
    "agency said on Friday, and traffic will return on Monday.",
    date="2024-06-01",
)
WARC_DATE = "2031-01-02T03:04:05Z"  # the crawl, not the publication


def make_warc(gz: bool, responses: list[tuple[str, str, bytes]]) -> bytes:
    """A WARC: warcinfo, then per (url, content type, body) a request and a response."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "tests"}))
    for url, ctype, body in responses:
        writer.write_record(
            writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n"))
        )
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=headers
        )
        record.rec_headers.replace_header("WARC-Date", WARC_DATE)
        writer.write_record(record)
    return buf.getvalue()


RESPONSES = [
    ("https://ledger.test/library", "text/html; charset=utf-8", LIBRARY),
    ("https://ledger.test/logo.png", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
    ("https://tribune.test/bridge", "text/html", BRIDGE),
]


@pytest.mark.parametrize("gz", [False, True])
def test_html_responses_become_articles(tmp_path, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(make_warc(gz, RESPONSES))
    items = list(iter_articles([str(path)], outlet="Fallback Outlet"))
    assert all(isinstance(a, Article) for a in items), items
    # Records: 1 warcinfo, 2-3 library, 4-5 logo (skipped), 6-7 bridge.
    assert [a.source for a in items] == [f"{path}#3", f"{path}#7"]
    library, bridge = items
    assert library.url == "https://ledger.test/library"
    assert library.title == "Library reopens after flood"
    assert library.text.startswith("Library reopens after flood\nThe Lindenford community")
    assert library.outlet == "Fallback Outlet"
    assert library.published is None  # WARC-Date is the crawl time: never used
    assert bridge.url == "https://tribune.test/bridge"
    assert bridge.published == "2024-06-01"


def test_target_uri_wins_over_canonical_link(tmp_path):
    path = tmp_path / "one.warc"
    path.write_bytes(make_warc(False, [("https://mirror.test/ferry", "text/html", COUNCIL_PAGE)]))
    (article,) = iter_articles([str(path)])
    assert article.url == "https://mirror.test/ferry"
    assert article.outlet == "The Port Ellis Tribune"
    assert len(article.excluded) == 1


def test_a_bad_record_does_not_stop_the_file(tmp_path):
    spanish = (DATA / "spanish.txt").read_text(encoding="utf-8")
    responses = [
        ("https://a.test/1", "text/html", b"<html><body><nav></nav></body></html>"),
        ("https://a.test/2", "text/html", f"<html><body><p>{spanish}</p></body></html>".encode()),
        ("https://a.test/3", "text/html", LIBRARY),
    ]
    path = tmp_path / "mixed.warc.gz"
    path.write_bytes(make_warc(True, responses))
    items = list(iter_articles([str(path)]))
    assert [str(i) if isinstance(i, InputError) else i.source for i in items] == [
        f"{path}#3: no article text found in HTML",
        f"{path}#5: not English (looks like Spanish, p=1.00)",
        f"{path}#7",
    ]


def test_truncated_warc(tmp_path):
    data = make_warc(False, RESPONSES)
    cut = data.index(b"burst its banks")  # inside the payload of record 3
    path = tmp_path / "cut.warc"
    path.write_bytes(data[:cut])
    items = list(iter_articles([str(path)]))
    assert [str(i) for i in items] == [f"{path}#3: truncated WARC record (the file ends inside it)"]


def test_truncated_warc_gz_keeps_what_came_before(tmp_path):
    data = make_warc(True, RESPONSES)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[:-40])  # inside the last response
    items = list(iter_articles([str(path)]))
    assert isinstance(items[0], Article) and items[0].source == f"{path}#3"
    assert len(items) == 2
    assert isinstance(items[1], InputError)
    assert items[1].source == f"{path}#7"
    assert items[1].reason.startswith("truncated gzip file (the compressed data ends early)")


def test_broken_record_header_stops_the_file_with_one_error(tmp_path):
    data = make_warc(False, RESPONSES)
    at = data.index(b"WARC/1.", data.index(b"burst its banks"))  # header of record 4
    path = tmp_path / "broken.warc"
    path.write_bytes(data[:at] + b"GARBAGE\r\n" + data[at + 9 :])
    items = list(iter_articles([str(path)]))
    assert isinstance(items[0], Article)
    assert [str(i) for i in items[1:]] == [
        f"{path}#4: broken WARC record (invalid header); the rest of the file was skipped"
    ]


def test_warc_compressed_as_one_gzip_member_is_read(tmp_path):
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(make_warc(False, RESPONSES)))
    assert [a.source for a in iter_articles([str(path)])] == [f"{path}#3", f"{path}#7"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"just some text, not an archive\n" * 5, "not a WARC file (no WARC/1.x header)"),
    ],
)
def test_not_a_warc(tmp_path, content, reason):
    path = tmp_path / "x.warc"
    path.write_bytes(content)
    assert [str(i) for i in iter_articles([str(path)])] == [f"{path}: {reason}"]


def test_warc_without_html(tmp_path):
    path = tmp_path / "images.warc"
    path.write_bytes(make_warc(False, [("https://a.test/a.png", "image/png", b"\x89PNG")]))
    assert [str(i) for i in iter_articles([str(path)])] == [
        f"{path}: no HTML responses in this WARC file"
    ]


@pytest.mark.parametrize("gz", [False, True])
def test_warc_on_stdin(gz):
    items = list(read_input("-", defaults={}, stdin=io.BytesIO(make_warc(gz, RESPONSES))))
    assert [a.source for a in items] == ["stdin#3", "stdin#7"]
    assert items[0].url == "https://ledger.test/library"


# ---------------------------------------------------------------------------- damaged gzip


def members(data: bytes) -> list[int]:
    """Where each gzip member of a WARC file written by warcio begins (and the end)."""
    starts, pos = [], 0
    while pos < len(data):
        starts.append(pos)
        d = zlib.decompressobj(wbits=31)
        d.decompress(data[pos:])
        pos = len(data) - len(d.unused_data)
    return [*starts, len(data)]


def damage(data: bytes, *damaged: int, offset: int = 30, length: int = 30) -> bytes:
    """``data`` with bytes inside the gzip members ``damaged`` scrambled."""
    at = members(data)
    out = bytearray(data)
    for member in damaged:
        for i in range(at[member] + offset, at[member] + offset + length):
            out[i] ^= 0x55
    return bytes(out)


def outcomes(path) -> list[str]:
    return [str(i) if isinstance(i, InputError) else i.source for i in iter_articles([str(path)])]


def test_a_corrupt_member_costs_its_record_only(tmp_path):
    data = make_warc(True, RESPONSES)
    at = members(data)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(damage(data, 2))  # the library response, record 3
    assert outcomes(path) == [
        f"{path}#3: corrupt gzip data in bytes {at[2]}-{at[3]}: 1 record lost; reading goes "
        "on with the next intact record",
        f"{path}#7",
    ]


def test_a_damaged_stretch_over_several_members_is_one_line(tmp_path):
    data = make_warc(True, RESPONSES)
    at = members(data)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(damage(data, 2, 3, 4))  # records 3, 4 and 5
    assert outcomes(path) == [
        f"{path}#3: corrupt gzip data in bytes {at[2]}-{at[5]}: 3 records lost; reading goes "
        "on with the next intact record",
        f"{path}#7",
    ]


def test_a_damaged_member_header_and_foreign_bytes(tmp_path):
    data = make_warc(True, RESPONSES)
    at = members(data)
    header = tmp_path / "header.warc.gz"
    header.write_bytes(data[: at[2]] + b"XXX" + data[at[2] + 3 :])
    assert outcomes(header) == [
        f"{header}#3: not a gzip member (a damaged header or foreign data) in bytes "
        f"{at[2]}-{at[3]}: 1 record lost; reading goes on with the next intact record",
        f"{header}#7",
    ]
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(data[: at[4]] + b"not gzip" + data[at[4] :])
    assert outcomes(junk) == [
        f"{junk}#3",
        f"{junk}: not a gzip member (a damaged header or foreign data) in bytes "
        f"{at[4]}-{at[4] + 8} after record #4: no record lost; reading goes on with the next "
        "intact record",
        f"{junk}#7",
    ]


def test_damage_in_the_first_and_in_the_last_member(tmp_path):
    data = make_warc(True, RESPONSES)
    at = members(data)
    first = tmp_path / "first.warc.gz"
    first.write_bytes(damage(data, 0))  # warcinfo
    assert outcomes(first) == [
        f"{first}#1: corrupt gzip data in bytes 0-{at[1]}: 1 record lost; reading goes on "
        "with the next intact record",
        f"{first}#3",
        f"{first}#7",
    ]
    last = tmp_path / "last.warc.gz"
    last.write_bytes(damage(data, 6))
    assert outcomes(last) == [
        f"{last}#3",
        f"{last}#7: corrupt gzip data; the rest of the file was skipped",
    ]


def test_truncated_last_member(tmp_path):
    data = make_warc(True, RESPONSES)
    inside = tmp_path / "inside.warc.gz"
    inside.write_bytes(data[:-40])  # inside the compressed record
    assert outcomes(inside) == [
        f"{inside}#3",
        f"{inside}#7: truncated gzip file (the compressed data ends early)",
    ]
    # Only the gzip trailer is cut: the record is whole, the file still is cut off.
    trailer = tmp_path / "trailer.warc.gz"
    trailer.write_bytes(data[:-4])
    assert outcomes(trailer) == [
        f"{trailer}#3",
        f"{trailer}#7",
        f"{trailer}: truncated gzip file (the compressed data ends early) after record #7",
    ]


def test_many_records_around_a_damaged_one(tmp_path):
    responses = [(f"https://ledger.test/{i}", "text/html", LIBRARY) for i in range(6)]
    data = make_warc(True, responses)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(damage(data, 6))  # the third response, record 7
    lines = outcomes(path)
    assert lines[:2] == [f"{path}#3", f"{path}#5"]
    assert lines[2].startswith(f"{path}#7: corrupt gzip data in bytes ")
    assert lines[3:] == [f"{path}#9", f"{path}#11", f"{path}#13"]


def test_a_damaged_warc_on_stdin_stops_with_one_line():
    data = damage(make_warc(True, RESPONSES), 2)
    items = list(read_input("-", defaults={}, stdin=io.BytesIO(data)))
    assert [str(i) for i in items] == [
        "stdin#3: corrupt gzip data; the rest of the file was skipped"
    ]


def test_zero_padding_after_the_last_member_is_not_damage(tmp_path):
    path = tmp_path / "padded.warc.gz"
    path.write_bytes(make_warc(True, RESPONSES) + b"\0" * 512)
    assert outcomes(path) == [f"{path}#3", f"{path}#7"]


def test_the_content_decides_whether_a_warc_is_gzipped(tmp_path):
    plain = tmp_path / "plain.warc.gz"
    plain.write_bytes(make_warc(False, RESPONSES))
    packed = tmp_path / "packed.warc"
    packed.write_bytes(make_warc(True, RESPONSES))
    assert outcomes(plain) == [f"{plain}#3", f"{plain}#7"]
    assert outcomes(packed) == [f"{packed}#3", f"{packed}#7"]
