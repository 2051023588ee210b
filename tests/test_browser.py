"""The web app in a real headless Chromium (Debian's, driven by Playwright): what an
editor does — search, open a speaker, open a statement and see it highlighted, ingest an
article through the API and find it.  Skipped when Chromium is not installed (.ci/run
installs it)."""

import os
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from onrecord.store import Store

CHROMIUM = "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no /usr/bin/chromium")

TOKEN = "browser-test-token"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from onrecord.ingest import iter_articles
    from onrecord.pipeline import Extractor
    from onrecord.web import create_app

    db = str(tmp_path_factory.mktemp("browser") / "web.db")
    with Store(db) as store:
        articles = [a for a in iter_articles([str(EXAMPLES)]) if not hasattr(a, "reason")]
        for result in Extractor().extract_many(articles):
            store.add(result)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(db, TOKEN), host="127.0.0.1", port=port, log_level="error")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    p = context.new_page()
    yield p
    context.close()


def test_search_then_open_a_speaker(server, page):
    page.goto(server + "/")
    page.fill("input[name=q]", "strike")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/?q=strike*")
    hits = page.locator("li.hit")
    assert hits.count() >= 2
    first = hits.first
    assert "strike" in first.locator("blockquote").inner_text().lower()
    speaker = page.locator("li.hit a.speaker").first
    name = speaker.inner_text()
    speaker.click()
    page.wait_for_url("**/speakers/*")
    assert page.locator("h1").inner_text().startswith(name)
    assert page.locator("svg.timeline rect").count() >= 1
    assert page.locator("ul.outlets li").count() >= 1


def test_filters_narrow_the_search(server, page):
    page.goto(server + "/")
    everyone = {s.inner_text() for s in page.locator("li.hit .speaker").all()}
    assert len(everyone) > 1
    page.locator("details summary").click()
    page.fill("input[name=speaker]", "Reyes")
    page.press("input[name=speaker]", "Enter")
    page.wait_for_url("**speaker=Reyes*")
    speakers = {s.inner_text() for s in page.locator("li.hit .speaker").all()}
    assert speakers == {"Paul Reyes"}


def test_statement_page_highlights_it_in_its_article(server, page):
    page.goto(server + "/?q=fair offer")
    page.locator("li.hit blockquote a").first.click()
    page.wait_for_url("**/statements/*")
    quote = page.locator("h1.quote").inner_text()
    content = page.locator(".text mark.m-content")
    assert content.count() >= 1
    assert content.first.inner_text() in quote
    assert page.locator(".text mark.m-cue").count() == 1
    assert page.locator(".text mark.m-speaker").count() == 1
    assert page.locator("td.chain").first.inner_text().startswith("Paul Reyes")


def test_article_page_lights_a_statement_from_its_list(server, page):
    page.goto(server + "/?q=fair offer")
    page.locator("li.hit blockquote a").first.click()
    page.locator("table.reports a").first.click()
    page.wait_for_url("**/articles/*")
    entry = page.locator(".article aside li").first
    entry.hover()
    statement = entry.get_attribute("id")
    lit = page.locator(f'mark.active[data-statement="{statement}"]')
    assert lit.count() >= 1


def test_readable_on_a_phone(server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    p = context.new_page()
    p.goto(server + "/?q=strike")
    width = p.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1  # no sideways scrolling
    context.close()


def test_ingest_through_the_api_then_find_it(server, page):
    article = {
        "text": "Ferry fares to rise\n\n“Fuel has doubled in a year,” said Ines Moreau, "
        "the operator's chief executive, on Tuesday.",
        "url": "https://browser.test/ferry",
        "outlet": "Coast Courier",
        "published": "2024-05-07",
    }
    response = httpx.post(
        server + "/api/articles",
        json=article,
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=120,  # the extraction worker may still be loading its models
    )
    assert response.status_code == 201, response.text
    page.goto(server + "/")
    page.fill("input[name=q]", "fuel doubled")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/?q=fuel*")
    hit = page.locator("li.hit").first
    assert "Fuel has doubled in a year" in hit.inner_text()
    assert "Ines Moreau" in hit.inner_text()
    assert "Coast Courier" in hit.inner_text()


def test_api_docs_show_the_operations_without_policy_violations(server, page):
    pytest.importorskip("fastapi_offline", reason="Swagger UI's files are not installed")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 else None)
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto(server + "/api/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    paths = {p.inner_text().strip() for p in page.locator(".opblock-summary-path").all()}
    assert {"/api/search", "/api/speakers/{speaker_id}", "/api/articles"} <= paths
    page.locator(".opblock-summary-path", has_text="/api/search").first.click()
    page.wait_for_selector(".opblock-body .parameters", timeout=10_000)
    assert page.evaluate("window.__violations") == []
    assert errors == []


def test_a_speaker_timeline_reads_as_a_chart(server, page):
    page.goto(server + "/?q=strike")
    page.locator("li.hit a.speaker").first.click()
    page.wait_for_url("**/speakers/*")
    chart = page.locator("svg.timeline")
    width = chart.bounding_box()["width"]
    for bar in page.locator("svg.timeline rect").all():
        assert bar.bounding_box()["width"] < width / 10  # bars, not one slab
    labels = [t.text_content() for t in page.locator("svg.timeline text.x").all()]
    assert len(labels) >= 4
