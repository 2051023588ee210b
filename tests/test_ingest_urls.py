"""Article URLs: only http(s) URLs are kept.  One the user gives (--url, the API, the
keyword) that is not is refused; one an input gives is dropped with a warning."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onrecord.cli import _register
from onrecord.errors import InputError
from onrecord.ingest import article_from_html, article_from_text, iter_articles
from onrecord.records import Article

DATA = Path(__file__).parent / "data" / "ingest"
COUNCIL = (DATA / "council.txt").read_text(encoding="utf-8")

_register()

STORY = (
    "<p>The Lindenford council agreed on Thursday to rebuild the flood wall along the "
    "river quay before the winter, after residents had waited two years for the work.</p>"
    "<p>Councillor Ruth Adeyemi said the contract would be signed next week and that the "
    "first section would be finished by the end of November.</p>"
)


def page(head: str = "") -> str:
    return (
        f"<html><head><title>Flood wall</title>{head}</head>"
        f"<body><article>{STORY}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("javascript:alert(1)", "not an http or https URL (scheme javascript:)"),
        ("JavaScript:alert(document.cookie)", "not an http or https URL (scheme javascript:)"),
        ("data:text/html,<script>alert(1)</script>", "not an http or https URL (scheme data:)"),
        ("/news/flood-wall", "not an absolute http or https URL"),
        ("https://", "no host name"),
        ("https://ledger.test/a\nb", "contains control characters"),
        ("https://ledger.test:port/", "not a valid URL"),
    ],
)
def test_a_url_the_user_gives_must_be_http(url, reason):
    with pytest.raises(InputError) as err:
        article_from_text(COUNCIL, url=url, source="api")
    assert str(err.value) == f"api: invalid URL {url[:79]!r}: {reason}"
    with pytest.raises(InputError, match="^invalid URL"):
        article_from_html(page(), url=url)
    with pytest.raises(InputError, match="^invalid URL"):
        list(iter_articles(["-"], url=url))


def test_valid_urls_are_kept_exactly():
    url = "HTTPS://Ledger.test/News/Flood%20Wall?id=7#top"
    article = article_from_text(COUNCIL, url=url)
    assert article.url == url
    assert article.id == hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]
    assert article.notes == ()


def test_jsonl_url_that_is_not_http_is_dropped_with_a_warning(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text(
        json.dumps({"text": COUNCIL, "url": "javascript:alert(1)"})
        + "\n"
        + json.dumps({"html": page(), "url": "data:text/html,hello"})
        + "\n",
        encoding="utf-8",
    )
    text, html = iter_articles([str(path)], url="https://ledger.test/default")
    assert isinstance(text, Article) and isinstance(html, Article)
    # The bad value is dropped, so the default fills the gap.
    assert text.url == "https://ledger.test/default"
    assert text.notes == (
        "dropped URL 'javascript:alert(1)' (field url): not an http or https URL "
        "(scheme javascript:)",
    )
    assert html.url == "https://ledger.test/default"
    assert html.notes == (
        "dropped URL 'data:text/html,hello' (field url): not an http or https URL (scheme data:)",
    )
    plain = next(iter_articles([str(path)]))
    assert plain.url is None and plain.id == hashlib.sha1(COUNCIL.encode()).hexdigest()[:16]


def test_a_url_too_long_for_the_store_is_dropped(tmp_path):
    url = "https://ledger.test/" + "a" * 3000
    path = tmp_path / "feed.jsonl"
    path.write_text(json.dumps({"text": COUNCIL, "url": url}) + "\n", encoding="utf-8")
    (article,) = iter_articles([str(path)])
    assert article.url is None
    assert article.notes == (
        f"dropped URL {url[:79] + '…'!r} (field url): too long (3020 characters; the limit "
        "is 2048)",
    )


def test_canonical_links_that_are_not_http_are_ignored():
    head = (
        '<link rel="canonical" href="javascript:alert(1)">'
        '<meta property="og:url" content="data:text/html,x">'
    )
    article = article_from_html(page(head), url="https://ledger.test/flood-wall")
    assert article.url == "https://ledger.test/flood-wall"
    article = article_from_html(page(head))
    assert article.url is None


def warc_with_target(uri: str, body: bytes) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        "https://placeholder.test/", "response", payload=io.BytesIO(body), http_headers=headers
    )
    record.rec_headers.replace_header("WARC-Target-URI", uri)
    writer.write_record(record)
    return buf.getvalue()


def test_warc_target_uri_without_a_host_gives_way_to_the_canonical_link(tmp_path):
    canonical = '<link rel="canonical" href="https://ledger.test/news/flood-wall">'
    path = tmp_path / "crawl.warc"
    path.write_bytes(warc_with_target("http:///flood-wall", page(canonical).encode()))
    (article,) = iter_articles([str(path)])
    assert article.source == f"{path}#1"
    assert article.url == "https://ledger.test/news/flood-wall"
    assert article.notes == ("dropped URL 'http:///flood-wall' (WARC-Target-URI): no host name",)


def test_warc_record_of_a_javascript_uri_is_no_page(tmp_path):
    # warcio reads HTTP headers only for http(s) target URIs: such a record is no
    # HTTP response, so it never becomes an article.
    path = tmp_path / "crawl.warc"
    path.write_bytes(warc_with_target("javascript:alert(1)", page().encode()))
    assert [str(i) for i in iter_articles([str(path)])] == [
        f"{path}: no HTML responses in this WARC file"
    ]
