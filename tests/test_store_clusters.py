"""Quote clusters: one statement however each outlet printed it; different statements,
or the same words from different people, stay apart."""

from __future__ import annotations

import pytest
from store_corpus import Story, fill

from onrecord.search import Filters, search, statement

PIER = "The pier will be closed to all boats until the storm damage has been repaired"

# How six outlets printed the harbour master's words.
VERSIONS = {
    "Harbour Gazette": f'"{PIER}," harbour master Ingrid Holm said on Monday.',
    "Coastal Herald": f"“{PIER},” harbour master Ingrid Holm said on Monday.",
    "Northern Courier": "Harbour master Ingrid Holm said: "
    '"The pier will be closed to all boats -- until the storm damage has been repaired!"',
    "Baltic Times": '"The pier will be closed to all boats," harbour master Ingrid Holm said.',
    "Harbour Post": '"The pier will be closed ... until the storm damage has been repaired," '
    "harbour master Ingrid Holm said.",
    "Island Weekly": '"The pier will be shut to all boats until the storm damage has been '
    'repaired," harbour master Ingrid Holm said.',
}


def story(outlet: str, body: str, day: int = 11, n: int = 0) -> Story:
    slug = outlet.lower().replace(" ", "")
    return Story(
        f"{slug}-{n}",
        f"Storm damage\n\n{body}\n",
        outlet,
        f"2024-03-{day:02d}",
        f"https://{slug}.example/storm/{n}",
    )


def hits(store, **filters):
    return search(store, Filters(**filters), limit=100)


def test_one_statement_however_it_was_printed(db_url):
    stories = [story(o, body, day) for day, (o, body) in enumerate(VERSIONS.items(), 11)]
    with fill(db_url, stories) as store:
        (hit,) = hits(store)
        assert (hit.speaker, hit.outlets, hit.reports) == ("Ingrid Holm", 6, 6)
        view = statement(store, hit.statement_id)
    # The fullest version speaks for the statement; every report keeps its own words.
    assert view.content == PIER + ","
    assert view.first_seen == "2024-03-11"
    assert [r.content for r in view.reports] == [
        PIER + ",",
        PIER + ",",
        "The pier will be closed to all boats -- until the storm damage has been repaired!",
        "The pier will be closed to all boats,",
        "The pier will be closed ... until the storm damage has been repaired,",
        "The pier will be shut to all boats until the storm damage has been repaired,",
    ]


def test_the_truncated_version_first_still_gathers_the_rest(db_url):
    # The short version arrives first; the full one and then a version that shares
    # words only with the full one's second half still join it.
    end = '"... until the storm damage has been repaired," harbour master Ingrid Holm said.'
    versions = [VERSIONS["Baltic Times"], VERSIONS["Harbour Gazette"], end]
    stories = [story(f"Outlet {n}", body, 11 + n) for n, body in enumerate(versions)]
    with fill(db_url, stories) as store:
        (hit,) = hits(store)
        assert (hit.content, hit.outlets) == (PIER + ",", 3)


def test_different_statements_stay_apart(db_url):
    bodies = [
        '"The ferry will run to the islands until Friday," harbour master Ingrid Holm said.',
        # One word changed: the same statement.
        '"The ferry will sail to the islands until Friday," harbour master Ingrid Holm said.',
        # "not": the opposite statement.
        '"The ferry will not run to the islands until Friday," harbour master Ingrid Holm said.',
        # Same frame, other facts.
        '"The harbour office will open on Saturdays from next month," harbour master '
        "Ingrid Holm said.",
        '"The fish market will open on Saturdays from next week," harbour master Ingrid Holm said.',
    ]
    stories = [story("Harbour Gazette", body, 11, n) for n, body in enumerate(bodies)]
    with fill(db_url, stories) as store:
        found = sorted((h.content, h.reports) for h in hits(store))
    assert found == [
        ("The ferry will not run to the islands until Friday,", 1),
        ("The ferry will sail to the islands until Friday,", 2),  # the longer one
        ("The fish market will open on Saturdays from next week,", 1),
        ("The harbour office will open on Saturdays from next month,", 1),
    ]


def test_the_same_short_words_from_two_people_are_two_statements(db_url):
    stories = [
        story(
            "Harbour Gazette",
            '"We are ready," harbour master Ingrid Holm said. '
            '"We are ready," the opposition leader, Tomas Brandt, said.',
        ),
        story("Coastal Herald", '"We are ready!" harbour master Ingrid Holm said.', 12),
    ]
    with fill(db_url, stories) as store:
        found = sorted((h.speaker, h.content, h.outlets) for h in hits(store))
    assert found == [
        ("Ingrid Holm", "We are ready,", 2),
        ("Tomas Brandt", "We are ready,", 1),
    ]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_many_statements_many_clusters(db_url):
    """Forty different announcements in one frame, each carried by two outlets: forty
    statements of two reports each, whatever the order they arrive in."""
    import onrecord

    things = (
        "ferry pier quay crane slipway lighthouse marina boatyard market warehouse "
        "breakwater dock gate canal lock terminal bridge chandlery sauna museum"
    ).split()
    results = []
    for i in range(40):
        thing, day = things[i % 20], ("Monday", "Tuesday")[i // 20]
        quote = f"The {thing} will reopen on {day} after {i + 2} weeks of repairs by the council"
        text = f'Notice {i}\n\n"{quote}," harbour master Ingrid Holm said.\n'
        curly = text.replace('"', "“", 1).replace(',"', ",”")
        results.append(onrecord.extract(text, url=f"https://a.example/{i}", outlet="A"))
        results.append(onrecord.extract(curly, url=f"https://b.example/{i}", outlet="B"))
    with fill(db_url, []) as store:
        for r in results[::2] + results[1::2]:
            store.add(r)
        found = hits(store)
    assert len(found) == 40
    assert {(h.reports, h.outlets) for h in found} == {(2, 2)}
