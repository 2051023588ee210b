"""Canonical speakers across articles: who is the same person, who is not, and why
(`onrecord speakers NAME --why`)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from store_corpus import (
    COURIER_WALL,
    GAZETTE_WALL,
    HERALD_WALL,
    POST_QUAY,
    STORIES,
    Story,
    cli,
    extracted,
    fill,
)

from onrecord.records import DEFAULT_CATEGORIES
from onrecord.search import list_speakers


def speakers(store, name=None) -> dict[str, tuple[str, int]]:
    return {s.name: (s.kind, s.statements) for s in list_speakers(store, name)}


def reasons(store, name) -> list[tuple[str, str]]:
    (found,) = [s for s in list_speakers(store, name, why=True) if s.name == name]
    return [(w["alias"], w["reason"]) for w in found.why]


def test_the_same_full_name_in_three_outlets_is_one_person(db_url):
    with fill(db_url, [GAZETTE_WALL, HERALD_WALL, COURIER_WALL]) as store:
        elena = list_speakers(store, "Elena Lindqvist")
    assert [(s.name, s.kind) for s in elena] == [("Elena Lindqvist", "person")]
    assert elena[0].statements == sum(
        1
        for story in (GAZETTE_WALL, HERALD_WALL, COURIER_WALL)
        for s in extracted(story).statements
        if s.speaker.name == "Elena Lindqvist" and s.cue_category in DEFAULT_CATEGORIES
    )
    assert elena[0].roles == ["Mayor", "mayor of Port Halden"]


def test_a_surname_joins_on_a_role_and_two_people_with_one_surname_stay_apart(db_url):
    with fill(db_url) as store:
        assert speakers(store, "Lindqvist") == {
            "Elena Lindqvist": ("person", 7),  # speech and belief
            "Marco Lindqvist": ("person", 3),
            # "Lindqvist said" with neither role nor full name: no one to join.
            "Lindqvist": ("person", 1),
        }
        # (not "criticised the cost", a stance)
        assert speakers(store, "Brandt") == {"Tomas Brandt": ("person", 3)}
        elena = reasons(store, "Elena Lindqvist")
        marco = reasons(store, "Marco Lindqvist")
        brandt = reasons(store, "Tomas Brandt")
        assert reasons(store, "Lindqvist") == []
    assert (
        "Mayor Lindqvist",
        "'Mayor Lindqvist': surname of Elena Lindqvist, with Elena Lindqvist's role 'Mayor'",
    ) in elena
    assert ("Lindqvist", "'Lindqvist' refers to Elena Lindqvist in the same article") in elena
    assert marco == [
        ("Lindqvist", "'Lindqvist' refers to Marco Lindqvist in the same article"),
        (
            "Lindqvist, the union chairman",
            "'Lindqvist, the union chairman': surname of Marco Lindqvist, with Marco "
            "Lindqvist's role 'chairman of the fishermen's union' (here 'union chairman')",
        ),
    ]
    assert (
        "Opposition leader Brandt",
        "'Opposition leader Brandt': surname of Tomas Brandt, with Tomas Brandt's role "
        "'leader of the opposition' (here 'Opposition leader')",
    ) in brandt


def test_a_role_two_people_share_is_no_evidence(db_url):
    def ferry(n, body):
        return Story(
            f"ferry-{n}", f"Ferry news\n\n{body}\n", "Island Weekly", "2024-05-0" + n, None
        )

    stories = [
        ferry("1", 'Councillor Anna Berg said on Monday that the ferry would run every hour. '
              '"The islanders deserve a proper service," Berg said.'),
        ferry("2", 'Councillor Lars Berg said the fares would rise in June. '
              '"There is no other way to pay for the new boats," Berg said.'),
        ferry("3", '"We will look at the timetable again in the autumn," Councillor Berg said '
              "on Wednesday."),
    ]  # fmt: skip
    with fill(db_url, stories) as store:
        assert speakers(store, "Berg") == {
            "Anna Berg": ("person", 2),
            "Lars Berg": ("person", 2),
            "Berg": ("person", 1),
        }


def _health(n: str, body: str) -> Story:
    return Story(f"health-{n}", f"Clinic news\n\n{body}\n", "Valley Times", f"2024-06-0{n}", None)


def test_a_surname_stored_first_joins_the_person_named_later_with_its_role(db_url):
    stories = [
        _health("1", "Chief Medical Officer Varga said on Monday that the outbreak was over."),
        _health("2", "Pia Nordin said the clinic would reopen. Anna Varga, the chief medical "
                "officer, said more tests would follow in July."),
    ]  # fmt: skip
    with fill(db_url, stories) as store:
        assert speakers(store, "Varga") == {"Anna Varga": ("person", 2)}
        assert reasons(store, "Anna Varga") == [
            (
                "Chief Medical Officer Varga",
                "'Chief Medical Officer Varga': surname of Anna Varga, whom a later article "
                "named with the role 'chief medical officer'",
            )
        ]


def test_a_bare_surname_follows_its_article_s_mention_with_a_role(db_url):
    stories = [
        _health("1", "Anna Varga, the chief medical officer, said the clinics would stay open."),
        _health("2", '"The wards are calm," Dr Varga said on Tuesday. Chief Medical Officer '
                "Varga said later that no new cases had been found."),
    ]  # fmt: skip
    with fill(db_url, stories) as store:
        assert speakers(store, "Varga") == {"Anna Varga": ("person", 3)}
        assert (
            "Dr Varga",
            "'Dr Varga': surname of Anna Varga, as elsewhere in the same article",
        ) in reasons(store, "Anna Varga")


def test_a_surname_stored_first_stays_apart_from_a_namesake_with_another_role(db_url):
    stories = [
        _health("1", "Chief Medical Officer Varga said on Monday that the outbreak was over."),
        _health("2", "Peter Varga, a fisherman, said the harbour was quiet."),
    ]  # fmt: skip
    with fill(db_url, stories) as store:
        assert speakers(store, "Varga") == {"Peter Varga": ("person", 1), "Varga": ("person", 1)}
        assert reasons(store, "Peter Varga") == []


@pytest.mark.parametrize("kind", ["person", "organization"])
def test_a_surname_joins_the_full_name_its_article_gives(db_url, kind):
    """Enrichment left the speaker at "Reyes" (or the tagger even took it for an
    organisation); the article names Sofia Reyes."""
    quay = extracted(POST_QUAY)
    (said,) = [s for s in quay.statements if s.speaker.name == "Sofia Reyes"]
    bare = replace(said, speaker=replace(said.speaker, name="Reyes", role=None, kind=kind))
    unresolved = replace(quay, statements=tuple(bare if s is said else s for s in quay.statements))
    assert "Sofia Reyes" in unresolved.people
    with fill(db_url, []) as store:
        store.add(unresolved)
        assert speakers(store, "Reyes") == {"Sofia Reyes": ("person", 1)}
        assert reasons(store, "Sofia Reyes") == [
            ("Reyes", "'Reyes': surname of Sofia Reyes, whom the same article names")
        ]
        # The same words in an article naming two people called Reyes: no one to join
        # (but a person all the same).
        two = replace(
            unresolved,
            article=replace(unresolved.article, url="https://harbourpost.example/two"),
            people=(*unresolved.people, "Pedro Reyes"),
        )
        store.add(two)
        assert speakers(store, "Reyes") == {
            "Sofia Reyes": ("person", 1),
            "Reyes": ("person", 1),
        }


def test_an_organisation_named_like_someone_elsewhere_stays_an_organisation(db_url):
    quay = extracted(POST_QUAY)
    (said,) = [s for s in quay.statements if s.speaker.name == "Sofia Reyes"]
    # "the Reyes foundation said": not a bare surname as written.
    org = replace(
        said,
        speaker=replace(
            said.speaker, text="the Reyes foundation", name="Reyes", kind="organization"
        ),
    )
    result = replace(quay, statements=tuple(org if s is said else s for s in quay.statements))
    with fill(db_url, []) as store:
        store.add(result)
        assert speakers(store, "Reyes") == {"Reyes": ("organization", 1)}


@pytest.mark.parametrize("person_first", [True, False])
def test_a_company_taken_for_a_person_joins_the_organisation(db_url, person_first):
    """en_core_web_sm often calls a company a person ("Lumen Pay said"); the stored
    organisation "Lumen Pay Ltd" claims it, whichever article came first."""
    quay = extracted(POST_QUAY)
    (said,) = [s for s in quay.statements if s.speaker.name == "Sofia Reyes"]

    def as_speaker(url, text, kind):
        st = replace(
            said, speaker=replace(said.speaker, text=text, name=text, role=None, kind=kind)
        )
        return replace(
            quay,
            article=replace(quay.article, url=url),
            statements=(st,),
            people=(),
        )  # fmt: skip

    person = as_speaker("https://harbourpost.example/a", "Lumen Pay", "person")
    company = as_speaker("https://harbourpost.example/b", "Lumen Pay Ltd", "organization")
    with fill(db_url, []) as store:
        for result in (person, company) if person_first else (company, person):
            store.add(result)
        assert speakers(store, "Lumen Pay") == {"Lumen Pay Ltd": ("organization", 2)}
        assert reasons(store, "Lumen Pay Ltd") == [
            ("Lumen Pay", "'Lumen Pay' names the organisation Lumen Pay Ltd")
        ]


def test_organisations_merge_without_their_news_agency_suffix(db_url):
    with fill(db_url) as store:
        assert speakers(store, "Nordpress") == {"Nordpress": ("organization", 2)}
        assert speakers(store, "Baltic News Agency") == {"Baltic News Agency": ("organization", 2)}
        assert reasons(store, "Nordpress") == [
            (
                "the Nordpress news agency",
                "'the Nordpress news agency' names the organisation Nordpress",
            )
        ]
        assert reasons(store, "Baltic News Agency") == [
            ("the agency", "'the agency' names the organisation Baltic News Agency")
        ]


def test_cli_speakers_why(db_url):
    fill(db_url).close()
    result = cli("speakers", "Marco Lindqvist", "--why", "--db", db_url)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[-2:] == [
        "  Marco Lindqvist ← 'Lindqvist': 'Lindqvist' refers to Marco Lindqvist in the same "
        "article (https://harbourgazette.example/2024/03/15/moorings)",
        "  Marco Lindqvist ← 'Lindqvist, the union chairman': 'Lindqvist, the union chairman': "
        "surname of Marco Lindqvist, with Marco Lindqvist's role 'chairman of the fishermen's "
        "union' (here 'union chairman') (https://coastalherald.example/news/union-chief)",
    ]
    # An article with no URL or title is named by its number.
    reyes = cli("speakers", "Nordpress", "--why", "--db", db_url)
    assert reyes.stdout.splitlines()[-1].endswith(" (article 7)")
    as_json = json.loads(cli("speakers", "Nordpress", "--why", "-f", "json", "--db", db_url).stdout)
    assert as_json[0]["why"][0]["article_id"] == 7
    assert len(STORIES) == 7


# -- merges `--why` could only justify with another name are not made (issue 15) ----------


def _news(name: str, body: str) -> Story:
    return Story(name, body, "Daily Ledger", "2024-05-02", f"https://dailyledger.example/{name}")


def test_two_organisations_with_different_names_stay_two(db_url):
    talks = _news(
        "talks",
        "Valdoria talks\n\nThe Valdorian Liberation Front said on Sunday that it would not "
        "attend the next round of talks. The Valdorian government said it remained "
        "committed to the peace process.\n",
    )
    with fill(db_url, [talks]) as store:
        assert speakers(store, "Valdorian") == {
            "Valdorian Liberation Front": ("organization", 1),
            # Before: merged into the Front, "'The Valdorian government' names the
            # organisation Valdorian Liberation Front".
            "Valdorian government": ("organization", 1),
        }
        (front,) = list_speakers(store, "Valdorian Liberation Front", why=True)
    assert front.why == []
    assert not any("government" in alias for alias in front.aliases)


def test_a_company_the_tagger_took_for_a_person_is_the_company(db_url):
    """ "Rick Dalton Productions" has a given name in it: the entity recogniser calls it a
    person; it is a company all the same, and "the company" is it."""
    awards = _news(
        "awards",
        "Awards show to go ahead\n\nThe Northern Music Awards will go ahead on Sunday, Rick "
        'Dalton Productions said. "We are thrilled to be back," the company said.\n\n'
        "The Northern Music Awards said tickets had sold out.\n",
    )
    with fill(db_url, [awards]) as store:
        assert speakers(store, "Rick Dalton Productions") == {
            "Rick Dalton Productions": ("organization", 2)
        }
        assert speakers(store, "Northern Music Awards") == {
            "Northern Music Awards": ("organization", 1)
        }
        # (enrichment now resolves "the company" itself; the store's own reading, "the
        # one company the same article names", is the fallback where it does not)
        assert reasons(store, "Rick Dalton Productions") == [
            ("the company", "'the company' names the organisation Rick Dalton Productions")
        ]
        assert reasons(store, "Northern Music Awards") == []


def test_a_mention_resolved_to_someone_else_keeps_its_own_name(db_url):
    """On a real page enrichment resolved a congressman's "Schiff" to the witness he
    questioned; the store does not make a merge its reason would have to call
    "'Schiff' refers to Vindman"."""
    hearing = extracted(
        _news(
            "hearing",
            "Aid hearing\n\nLieutenant Colonel Mark Venn said he had raised his concerns. "
            '"Did you believe the aid was being used as leverage?" Representative Daniel '
            "Hale asked.\n\nHale later left the room.\n",
        )
    )
    (asked,) = [s for s in hearing.statements if s.speaker.name == "Daniel Hale"]
    wrong = replace(asked, speaker=replace(asked.speaker, text="Hale", name="Mark Venn"))
    result = replace(
        hearing, statements=tuple(wrong if s is asked else s for s in hearing.statements)
    )
    with fill(db_url, []) as store:
        store.add(result)
        assert speakers(store, "Venn") == {"Mark Venn": ("person", 1)}
        assert speakers(store, "Hale") == {"Daniel Hale": ("person", 1)}
        assert reasons(store, "Mark Venn") == []
        assert reasons(store, "Daniel Hale") == [
            ("Hale", "'Hale': surname of Daniel Hale, whom the same article names")
        ]


def test_a_surname_joins_a_full_name_with_a_generational_suffix(db_url):
    brennan = _news(
        "brennan",
        "Threat case\n\nProsecutor Harold T. Brennan Jr. said on Monday that the man had been "
        'charged. "Threats of violence will not be tolerated," Brennan said.\n',
    )
    with fill(db_url, [brennan]) as store:
        # Before: "Brennan" stayed a speaker of its own (the surname taken was "jr").
        assert speakers(store, "Brennan") == {"Harold T. Brennan Jr.": ("person", 2)}
        assert reasons(store, "Harold T. Brennan Jr.") == [
            # (enrichment resolves the surname itself now; the store's own join by
            # surname is the fallback for articles where it does not)
            ("Brennan", "'Brennan' refers to Harold T. Brennan Jr. in the same article")
        ]
