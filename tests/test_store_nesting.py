"""A report and the statement inside it ("the prosecutor's office said Mercer told the
caller he would ..."): two statements with two speakers, never one cluster, and no relay
chain through the one who reported it unless that one is a publisher (issue 15)."""

from __future__ import annotations

import pytest
from store_corpus import Story, cli, fill

from onrecord.names import organisation_name
from onrecord.records import Speaker
from onrecord.search import Filters, list_speakers, search, statement
from onrecord.store.nesting import is_publisher

THREAT = "put a bullet in her head before the vote on the new zoning plan."
RIVAL = "the aid was being used as leverage for an investigation of a political rival"


def story(name: str, body: str, outlet: str = "Valley Ledger", day: int = 2) -> Story:
    slug = outlet.lower().replace(" ", "")
    return Story(name, body, outlet, f"2024-05-{day:02d}", f"https://{slug}.example/{name}")


CHARGED = story(
    "charged",
    "Man charged over threats to councillor\n\n"
    "A Brookfield man has been charged with threatening a city councillor.\n\n"
    "The Halden County prosecutor's office said Daniel Mercer told the caller he would "
    f'"{THREAT}"\n\n'
    "Councillor Maria Okafor said she was grateful to the police.\n",
)
# A congressman's question, and a witness recounting it the next day.
ASKED = story(
    "asked",
    f'Aid hearing\n\nRepresentative Daniel Hale asked the witness whether "{RIVAL}."\n',
    "Capitol Review",
    1,
)
RECOUNTED = story(
    "recounted",
    f'Aid hearing, day two\n\nThe witness said he was asked whether "{RIVAL}" and answered '
    "that it was.\n",
    "Capitol Review",
)


def hits(store, words: str):
    return search(store, Filters(query=words), limit=100)


def test_the_quote_inside_a_report_is_its_speaker_s_and_the_report_is_another(db_url):
    with fill(db_url, [CHARGED]) as store:
        found = {h.speaker: h for h in hits(store, "bullet")}
        # Before: one statement, "Daniel Mercer" saying the office's sentence.
        assert set(found) == {"Daniel Mercer", "The Halden County prosecutor's office"}
        mercer = statement(store, found["Daniel Mercer"].statement_id)
        office = statement(store, found["The Halden County prosecutor's office"].statement_id)
        assert list_speakers(store, "Daniel Mercer")[0].statements == 1
        assert list_speakers(store, "Maria Okafor")[0].statements == 1
    assert mercer.content == THREAT
    assert [r.content for r in mercer.reports] == [THREAT]
    assert office.content.startswith("Daniel Mercer told the caller")
    # The office reported Mercer's words; it did not relay them to the Valley Ledger.
    assert [r.relay_chain for r in mercer.reports] == [["Daniel Mercer", "Valley Ledger"]]


def test_cli_show_gives_no_relay_through_the_one_who_reported_it(db_url):
    with fill(db_url, [CHARGED]) as store:
        (hit,) = [h for h in hits(store, "bullet") if h.speaker == "Daniel Mercer"]
    shown = cli("show", str(hit.statement_id), "--db", db_url)
    assert shown.exit_code == 0
    assert "Daniel Mercer → Valley Ledger" in shown.stdout
    assert "prosecutor" not in shown.stdout


@pytest.mark.parametrize("witness_first", [False, True])
def test_a_question_recounted_by_a_witness_stays_the_questioner_s(db_url, witness_first):
    stories = [RECOUNTED, ASKED] if witness_first else [ASKED, RECOUNTED]
    with fill(db_url, stories) as store:
        found = {h.speaker: h for h in hits(store, "leverage")}
        assert set(found) == {"Daniel Hale", "The witness"}
        question = statement(store, found["Daniel Hale"].statement_id)
        witness = statement(store, found["The witness"].statement_id)
    # The question, from both articles (the second has it inside the witness's words);
    # the witness's account of it is the witness's.
    assert [(r.outlet, r.content.strip('"')) for r in question.reports] == [
        ("Capitol Review", f'whether "{RIVAL}.'),
        ("Capitol Review", RIVAL),
    ]
    assert "he was asked" not in question.content
    assert [r.content for r in witness.reports] == [f'he was asked whether "{RIVAL}"']


def test_a_relay_through_a_publisher_is_kept(db_url):
    bail = story(
        "bail",
        "Bail for Brookfield man\n\n"
        "Daniel Mercer's lawyer said his client would plead not guilty, the Brookfield "
        "Bugle reported.\n\n"
        'Prosecutors said Mercer "poses no further risk," Riverside News reported.\n',
        "Harbour Post",
        3,
    )
    # The Brookfield Bugle is an outlet the database knows (no word in its name says so).
    bugle = story("bugle", CHARGED.text, "Brookfield Bugle")
    with fill(db_url, [bugle, bail]) as store:
        (lawyer,) = [h for h in hits(store, "plead guilty") if "Mercer" in (h.speaker or "")]
        (risk,) = [h for h in hits(store, "risk") if h.content.startswith("poses")]
        chains = [statement(store, h.statement_id).reports[0].relay_chain for h in (lawyer, risk)]
    assert chains[0][1:] == ["Brookfield Bugle", "Harbour Post"]
    assert chains[1][1:] == ["Riverside News", "Harbour Post"]


@pytest.mark.parametrize(
    "text, name, kind, cue, publisher",
    [
        ("Riverside News", "Riverside News", "organization", "said", True),
        ("the agency", "Nordpress", "organization", "reported", True),
        ("state media", None, "group", "reported", True),
        ("Reuters", "Reuters", "person", "reported", True),  # tagged a person
        ("The prosecutor's office", None, "organization", "said", False),
        ("The Environmental Protection Agency", None, "organization", "said", False),
        ("the Kremlin press service", "Kremlin", "organization", "said", False),
        ("Councillor Amy Post", "Amy Post", "person", "told", False),
        ("the Brookfield Bugle", "Brookfield Bugle", "organization", "reported", False),
    ],
)
def test_a_publisher_is_told_by_its_name(text, name, kind, cue, publisher):
    speaker = Speaker(text=text, name=name, kind=kind)
    assert is_publisher(speaker, lambda _name: False, cue) == publisher
    # ... or by being an outlet the database or the article knows.
    known = organisation_name(name or text).casefold()
    assert is_publisher(speaker, lambda n: n.casefold() == known, cue)
