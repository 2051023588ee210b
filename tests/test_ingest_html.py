"""HTML pages: main text and metadata via trafilatura, appeals marked, bad pages refused."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from onrecord.errors import InputError
from onrecord.ingest import article_from_html, iter_articles
from onrecord.records import Article

DATA = Path(__file__).parent / "data" / "ingest"
PAGE = (DATA / "article.html").read_bytes()

BARE_PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"></head>
<body><article>
<p>Le maire a déclaré lundi que la ville rouvrirait le pont.</p>
<p>The mayor of Saint-Aubin said on Monday that the town would reopen the old bridge to
traffic in June, after two years of repairs that cost more than the council had expected.</p>
<p>"We owe it to the people who have driven around the river for two years," she said.</p>
</article></body></html>
"""


def read_one(path: Path, **defaults) -> Article | InputError:
    items = list(iter_articles([str(path)], **defaults))
    assert len(items) == 1, items
    return items[0]


def test_page_text_metadata_and_appeal():
    article = article_from_html(PAGE, source="article.html", outlet="Other", url="https://o.test")
    assert article.source == "article.html"
    # What the page says wins over the defaults.
    assert article.title == "Harbor council approves ferry subsidy after long debate"
    assert article.outlet == "The Port Ellis Tribune"
    assert article.published == "2024-05-13"
    assert article.url == "https://tribune.example.org/news/2024/05/13/ferry-subsidy"
    assert article.language == "en"
    lines = article.text.split("\n")
    assert lines[0] == "Harbor council approves ferry subsidy after long debate"
    assert lines[1].startswith("The Port Ellis town council voted 5-2")
    assert "Home" not in article.text and "All rights reserved" not in article.text
    # The appeal stays in the text, marked as excluded, header to last line.
    assert len(article.excluded) == 1
    start, end = article.excluded[0]
    appeal = article.text[start:end]
    assert appeal.startswith("A Message from The Port Ellis Tribune:\nDear readers,\n")
    assert appeal.endswith("Remind me later.")
    assert "Island Link" in article.text[:start]
    assert article.notes == (
        f"dropped publisher appeal: 5 paragraphs, {end - start} characters at offset {start} "
        '("A Message from The Port Ellis Tribune: …")',
    )


def test_defaults_fill_what_the_page_does_not_say():
    article = article_from_html(
        BARE_PAGE.format(charset="utf-8"),
        outlet="Le Courrier",
        published="2024-06-03",
        url="https://courrier.test/pont",
        title="Bridge to reopen",
    )
    assert article.outlet == "Le Courrier"
    assert article.url == "https://courrier.test/pont"
    assert article.title == "Bridge to reopen"
    assert article.published == "2024-06-03"
    assert article.text.startswith("Le maire a déclaré lundi")


def test_declared_charset_is_respected(tmp_path):
    path = tmp_path / "latin.htm"
    path.write_bytes(BARE_PAGE.format(charset="iso-8859-1").encode("latin-1"))
    article = read_one(path)
    assert isinstance(article, Article)
    assert article.text.startswith("Le maire a déclaré lundi")


def test_gzipped_page(tmp_path):
    path = tmp_path / "story.html.gz"
    path.write_bytes(gzip.compress(PAGE))
    article = read_one(path, outlet="Ignored")
    assert isinstance(article, Article)
    assert article.source == str(path)
    assert article.outlet == "The Port Ellis Tribune"
    assert len(article.excluded) == 1


def test_truncated_gzip(tmp_path):
    data = gzip.compress(PAGE)
    path = tmp_path / "cut.html.gz"
    path.write_bytes(data[: len(data) // 2])
    error = read_one(path)
    assert isinstance(error, InputError)
    assert str(error) == f"{path}: truncated gzip file (the compressed data ends early)"


def test_gzip_bomb_stops_at_the_limit(tmp_path):
    path = tmp_path / "bomb.html.gz"
    with gzip.open(path, "wb") as f:
        block = b"<p>" + b"a" * (1024 * 1024) + b"</p>"
        for _ in range(11):
            f.write(block)
    error = read_one(path)
    assert isinstance(error, InputError)
    assert error.reason == "too large (over 10 MB decompressed)"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (
            b"<html><head><title>Menu</title></head><body><nav></nav></body></html>",
            "no article text found in HTML",
        ),
        (b"<html><body><div><table><tr><td></div></body>", "no article text found in HTML"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06",
            "binary data, not HTML (contains NUL bytes)",
        ),
    ],
)
def test_bad_pages(tmp_path, content, reason):
    path = tmp_path / "bad.html"
    path.write_bytes(content)
    error = read_one(path)
    assert isinstance(error, InputError)
    assert str(error) == f"{path}: {reason}"


def test_non_english_page():
    page = (
        "<html><body><article><p>"
        + (DATA / "spanish.txt").read_text(encoding="utf-8")
        + "</p></article></body></html>"
    )
    with pytest.raises(InputError, match=r"^p\.html: not English \(looks like Spanish"):
        article_from_html(page, source="p.html")


# ---------------------------------------------------------------------------- outlet

STORY = (
    "<p>The Lindenford council agreed on Thursday to rebuild the flood wall along the "
    "river quay before the winter, after residents had waited two years for the work.</p>"
    "<p>Councillor Ruth Adeyemi said the contract would be signed next week and that the "
    "first section would be finished by the end of November.</p>"
)


def story_page(head: str, title: str = "Flood wall to be rebuilt") -> str:
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head>"
        f"<body><article><h1>Flood wall to be rebuilt</h1>{STORY}</article></body></html>"
    )


def og(name: str) -> str:
    return f'<meta property="og:site_name" content="{name}">'


def ld(publisher: str, kind: str = "NewsArticle") -> str:
    data = {
        "@context": "https://schema.org",
        "@type": kind,
        "headline": "Flood wall to be rebuilt",
        "publisher": {"@type": "NewsMediaOrganization", "name": publisher},
    }
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_a_platform_site_name_is_not_the_outlet():
    # A wire story on a wire service's hosting platform: og:site_name "Hosted", a title
    # that ends in it, a Twitter handle and a Facebook page: none names the outlet.
    head = (
        og("Hosted")
        + '<meta property="twitter:site" content="@wire">'
        + '<meta property="article:publisher" content="https://www.facebook.com/WireNews">'
    )
    url = "https://hosted.wirenews.test/valley-courier/article/8f2a/flood-wall"
    page = story_page(head, title="Flood wall to be rebuilt | Hosted")
    article = article_from_html(page, url=url)
    assert article.outlet == "hosted.wirenews.test"  # a guess: the host name
    article = article_from_html(page, url=url, outlet="Valley Courier")
    assert article.outlet == "Valley Courier"  # what the user says beats a guess


@pytest.mark.parametrize(
    ("head", "outlet"),
    [
        (og("Harbour Gazette"), "Harbour Gazette"),
        (og("Home") + ld("Harbour Gazette"), "Harbour Gazette"),
        (og("News") + ld("Harbour Gazette"), "Harbour Gazette"),
        (og("U.S.") + ld("Harbour Gazette"), "Harbour Gazette"),
        (og("gazette") + ld("The Harbour Gazette"), "The Harbour Gazette"),
        (og("Harbour Gazette | Your daily news from the coast"), "Harbour Gazette"),
        (og("HarbourGazette") + ld("Harbour Gazette"), "Harbour Gazette"),
        (og("{{ site.name }}") + ld("Harbour Gazette"), "Harbour Gazette"),
        (og("@harbourgazette") + ld("Harbour Gazette"), "Harbour Gazette"),
        (og("https://www.gazette.test") + ld("Harbour Gazette"), "Harbour Gazette"),
        (ld("Blogger") + ld("Harbour Gazette", kind="WebSite"), "Harbour Gazette"),
        # A wire story on a newspaper's site: the site is the outlet that carried it.
        (og("Valley Courier") + ld("Associated Press"), "Valley Courier"),
        # Without a site name, the publisher the page names, whoever it is.
        (ld("Associated Press"), "Associated Press"),
    ],
)
def test_outlet_from_the_most_trustworthy_metadata(head, outlet):
    article = article_from_html(story_page(head), url="https://www.gazette.test/flood-wall")
    assert article.outlet == outlet


def test_outlet_from_the_title_only_when_it_names_the_domain():
    page = story_page("", title="Flood wall to be rebuilt - Harbour Gazette")
    assert article_from_html(page, url="https://harbourgazette.test/a").outlet == "Harbour Gazette"
    assert article_from_html(page, url="https://mirror.test/a").outlet == "mirror.test"
    assert article_from_html(page, url="https://mirror.test/a", outlet="Mirror").outlet == "Mirror"


def test_outlet_from_broken_json_ld():
    broken = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Flood '
        'wall", "publisher": {"@type": "Organization", "name": "Harbour Gazette"}, '
        '"description": "a "quoted" word"}</script>'
    )
    article = article_from_html(story_page(broken), url="https://www.gazette.test/a")
    assert article.outlet == "Harbour Gazette"


def test_no_outlet_without_metadata_or_url():
    assert article_from_html(story_page(og("Home"))).outlet is None
    assert article_from_html(story_page(og("gazette"))).outlet == "gazette"
