"""The publisher-appeal filter: appeals are marked, news about money and subscriptions is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from onrecord.ingest import article_from_text, find_appeals
from onrecord.pipeline import _masked

DATA = Path(__file__).parent / "data" / "ingest"
APPEAL = (DATA / "appeal.txt").read_text(encoding="utf-8")
COUNCIL = (DATA / "council.txt").read_text(encoding="utf-8")
SHARED_FIXTURE = Path(__file__).resolve().parents[1] / ".." / "shared" / "fixtures"


def test_appeal_block_from_header_to_last_line():
    (region,) = find_appeals(APPEAL)
    start, end = region
    assert APPEAL[start:end].startswith("A Note from The Lindenford Ledger:\nDear readers,\n")
    assert APPEAL[start:end].endswith("Thank you for standing with us.\nRemind me later.")
    assert APPEAL[start - 1] == "\n"  # whole paragraphs
    # The news above it stays, including the paragraphs about donations and subscriptions.
    news = APPEAL[:start]
    assert "urged supporters to donate $10 a month, its treasurer said" in news
    assert "\"We can't keep the doors open without your donations" in news
    assert "Subscriptions to the library's e-book service have doubled" in news


def test_article_marks_the_appeal_and_keeps_the_text():
    article = article_from_text(APPEAL, source="appeal.txt")
    assert article.text == APPEAL
    assert article.excluded == tuple(find_appeals(APPEAL))
    start, end = article.excluded[0]
    assert article.notes == (
        f"dropped publisher appeal: 7 paragraphs, {end - start} characters at offset {start} "
        '("A Note from The Lindenford Ledger: …")',
    )
    masked = _masked(article)  # what the parser reads
    assert len(masked) == len(APPEAL)
    assert "Dear readers" not in masked and "Ruth Adeyemi" in masked


@pytest.mark.parametrize(
    "text",
    [
        COUNCIL,
        "The campaign urged supporters to donate $10 a month, its manager said.",
        "Subscribers will pay $9.99 a month for the service, the company announced.",
        "You can sign up for the vaccine on the county website until Friday.",
        "If you want ad-free streaming, you will have to upgrade before signing up for the "
        "bundle, which costs $12.99 per month.",
        "Employer-sponsored plans let you make contributions of up to $23,000 a year.",
        '"We need your support, so please donate today," the senator told her supporters.',
        "We must support our farmers, and you can help by buying local produce.",
        "Dear readers,\nThe council met on Monday and approved the budget.",
        "Our reporters asked the ministry for comment on Tuesday but did not hear back.",
    ],
)
def test_news_is_not_an_appeal(text):
    assert find_appeals(text) == []


@pytest.mark.parametrize(
    ("text", "appeal"),
    [
        (
            COUNCIL + "Sign up for our morning newsletter to get the day's top stories.\n",
            "Sign up for our morning newsletter to get the day's top stories.",
        ),
        (COUNCIL + "Read the rest here.\n", "Read the rest here."),
        (
            COUNCIL + "Click here to subscribe to The Tribune Daily\n",
            "Click here to subscribe to The Tribune Daily",
        ),
        (
            COUNCIL
            + "Support independent journalism\nWe are a nonprofit newsroom funded by readers "
            "like you. Donate today and every gift will be matched.\nDonate\n",
            "Support independent journalism\nWe are a nonprofit newsroom funded by readers "
            "like you. Donate today and every gift will be matched.\nDonate",
        ),
    ],
)
def test_closing_appeals(text, appeal):
    (region,) = find_appeals(text)
    assert text[region[0] : region[1]] == appeal


def test_appeal_in_the_middle_ends_at_its_last_plea():
    paras = COUNCIL.strip().split("\n")
    cta = "Get our free newsletter in your inbox every weekday morning."
    text = "\n".join(paras[:3] + [cta] + paras[3:]) + "\n"
    (region,) = find_appeals(text)
    assert text[region[0] : region[1]] == cta


SHARED = SHARED_FIXTURE / "moscow-times-kadyrov.txt"


@pytest.mark.skipif(not SHARED.exists(), reason="../shared is not available")
def test_real_appeal_in_shared_fixture():
    text = SHARED.read_text(encoding="utf-8")
    (region,) = find_appeals(text)
    start, end = region
    assert text[start:end].startswith("A Message from The Moscow Times:")
    assert end == len(text.rstrip())
    body = text[:start]
    assert "Kadyrov" in body and "TASS news agency reported" in body


def test_a_call_to_action_does_not_take_the_rest_of_a_how_to_piece():
    text = (
        "How to get your boat ready for winter\n"
        "Sign up for our weekly boating newsletter.\n"
        "You should drain the engine's cooling system before the first frost.\n"
        "If you store the boat outside, you will want a breathable cover.\n"
    )
    (region,) = find_appeals(text)
    assert text[region[0] : region[1]] == "Sign up for our weekly boating newsletter."
