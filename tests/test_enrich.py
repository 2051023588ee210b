"""Enrichment on article-shaped text written for these tests: who the speaker is, their
role, the channel, the relay and the time of the utterance."""

import pytest

from onrecord import extract

HARBOUR = """Dockers strike at the harbour

Port Authority director Paul Reyes said on Sunday that the strike would cost the city millions.

“We cannot afford a long stoppage,” Reyes told the Harbour Gazette in an interview.

Maria Lindqvist, who leads the dockers' union, said the workers would not back down.

She said: "We are ready to talk, but not to surrender."

The director warned of serious consequences for exporters.

Lena Fischer of the Baltic Institute said exports would recover by the autumn.

In March, the Transport Ministry warned that port costs were rising, \
the Baltic News Agency reported at the time.

He wrote on Twitter that talks would resume next week.
"""


class Found:
    """The statements of one article, looked up as "cue|start of the content"."""

    def __init__(self, text=HARBOUR, published="2024-03-11"):
        self.statements = extract(text, published=published).statements

    def __getitem__(self, key):
        cue, _, start = key.partition("|")
        for s in self.statements:
            if s.cue_text == cue and (s.content_text or "").startswith(start):
                return s
        raise KeyError(key)


def statements(text=HARBOUR, published="2024-03-11"):
    return Found(text, published)


def only(text, published=None):
    result = extract(text, published=published)
    assert len(result.statements) == 1, [s.cue_text for s in result.statements]
    return result.statements[0]


def test_full_name_and_title_role():
    s = statements()["said|that the strike would cost"]
    assert (s.speaker.text, s.speaker.name, s.speaker.role, s.speaker.kind) == (
        "Port Authority director Paul Reyes",
        "Paul Reyes",
        "Port Authority director",
        "person",
    )


def test_surname_resolves_to_the_full_name():
    s = statements()["told|We cannot afford a long"]
    assert (s.speaker.text, s.speaker.name, s.speaker.role) == (
        "Reyes",
        "Paul Reyes",
        "Port Authority director",
    )


def test_pronoun_resolves_by_gender():
    found = statements()
    she = found["said|We are ready to talk, bu"]
    assert (she.speaker.text, she.speaker.name) == ("She", "Maria Lindqvist")
    he = found["wrote|that talks would resume "]
    assert (he.speaker.text, he.speaker.name) == ("He", "Paul Reyes")


def test_description_resolves_to_the_person_described_earlier():
    s = statements()["warned of|serious consequences for exporters"]
    assert (s.speaker.text, s.speaker.name, s.speaker.role) == (
        "The director",
        "Paul Reyes",
        "Port Authority director",
    )


def test_affiliation_role():
    s = statements()["said|exports would recover by the"]
    assert (s.speaker.name, s.speaker.role) == ("Lena Fischer", "of the Baltic Institute")


def test_apposition_role():
    s = only("“The limits are temporary,” said Ana Costa, the board's chairwoman.")
    assert (s.speaker.name, s.speaker.role) == ("Ana Costa", "board's chairwoman")


def test_relative_pronoun_resolves_to_its_antecedent():
    s = only("The fund is run by Omar Haddad, who said returns would fall this year.")
    assert (s.speaker.text, s.speaker.name) == ("who", "Omar Haddad")


def test_organisation_and_group_kinds():
    found = statements()
    ministry = found["warned|that port costs were rising"]
    assert (ministry.speaker.name, ministry.speaker.kind) == ("Transport Ministry", "organization")
    group = only("Local fishermen said the catch had halved.")
    assert (group.speaker.name, group.speaker.kind) == (None, "group")


def test_channels():
    assert statements()["told|We cannot afford a long"].channel.name == "Harbour Gazette"
    assert statements()["wrote|that talks would resume "].channel.name == "Twitter"
    cases = {
        "Kadyrov said in an interview with the Interfax news agency that there was no threat.": (
            "in an interview with the Interfax news agency",
            "Interfax",
        ),
        "Tom Becker told CNN that the orchards were dying.": ("CNN", "CNN"),
        "The ministry said in a statement that aid would be paid.": ("in a statement", "statement"),
        "In a video posted on YouTube, the governor urged residents to save water.": (
            "In a video posted on YouTube",
            "YouTube",
        ),
        "Weber told reporters at a news conference that the snowpack had shrunk.": (
            "at a news conference",
            "news conference",
        ),
    }
    for text, (channel_text, name) in cases.items():
        s = only(text)
        assert (s.channel.text, s.channel.name) == (channel_text, name), text


def test_no_channel_for_an_audience():
    s = only("The mayor told reporters that the bridge would reopen.")
    assert s.channel is None


def test_relay_of_a_wrapped_statement():
    found = statements()
    agency = found["reported|In March, the Transport"]
    ministry = found["warned|that port costs were rising"]
    assert ministry.relayed_by.statement == agency.id
    assert ministry.relayed_by.name == "Baltic News Agency"
    assert agency.relayed_by is None


@pytest.mark.parametrize("detector", ["model", "rules"])
def test_the_relaying_statement_carries_the_phrase_fronted_before_the_relayed_speaker(
    detector,
):
    text = (
        "Dockers walked out on Friday.\n\nOn Monday, the Port Authority warned that fees "
        "would rise sharply, the Harbour Gazette reported."
    )
    warned, reported = extract(text, detector=detector).statements
    assert reported.content_text == (
        "On Monday, the Port Authority warned that fees would rise sharply"
    )
    assert (warned.content_text, warned.relayed_by.statement) == (
        "that fees would rise sharply",
        reported.id,
    )


@pytest.mark.parametrize("detector", ["model", "rules"])
def test_a_wrapped_statement_ends_where_the_wrapper_begins(detector):
    text = (
        "Transport Minister Ilse Varga said the government had no plans to step in, "
        "the Baltic News Agency reported."
    )
    by_cue = {s.cue_text: s for s in extract(text, detector=detector).statements}
    said, reported = by_cue["said"], by_cue["reported"]
    assert said.content_text == "the government had no plans to step in"
    assert (said.relayed_by.statement, said.relayed_by.name) == (
        reported.id,
        "Baltic News Agency",
    )
    assert reported.relayed_by is None


def test_an_action_inside_a_statement_is_not_a_statement_but_relayed_speech_is():
    # What the mayor said the city would do, and what the members did, are contents;
    # the port authority's words, carried by the agency, are a statement relayed.
    text = (
        "Mayor Denise Okafor said on Tuesday that the city would revisit the library cuts "
        "in the autumn. The port authority said its members had voted to walk out, Baltic "
        "News Agency reported."
    )
    found = [(s.speaker.text, s.cue_text) for s in extract(text).statements]
    assert found == [
        ("Mayor Denise Okafor", "said"),
        ("The port authority", "said"),
        ("Baltic News Agency", "reported"),
    ]
    relayed = extract(text).statements[1].relayed_by
    assert relayed is not None and relayed.name == "Baltic News Agency"


def test_relay_through_according_to():
    result = extract("According to AFP, the agriculture ministry said aid would be paid soon.")
    by_cue = {s.cue_text: s for s in result.statements}
    assert by_cue["said"].relayed_by.name == "AFP"
    assert by_cue["said"].relayed_by.statement == by_cue["According to"].id


def test_hearsay_relay_without_and_with_a_named_relay():
    s = only('"We are watching them," Kadyrov was cited as saying.')
    assert (s.relayed_by.name, s.relayed_by.statement) == (None, None)
    s = only('"We are watching them," Kadyrov was quoted by Reuters as saying.')
    assert s.relayed_by.name == "Reuters"


def test_hearsay_with_the_relay_before_the_content():
    s = only(
        "A senior port official was cited by the Baltic Courier as saying that the "
        "cranes would be idle until June."
    )
    assert (s.speaker.text, s.cue_text, s.content_text, s.relayed_by.name) == (
        "A senior port official",
        "was cited … as saying",
        "that the cranes would be idle until June",
        "Baltic Courier",
    )


def test_a_relative_clause_in_the_source_is_not_the_speakers_name():
    s = only(
        "Ingrid Solberg, an engineer at the port who designed the new quay, said the "
        "work would finish in May."
    )
    assert (s.speaker.name, s.speaker.role, s.speaker.kind) == (
        "Ingrid Solberg",
        "engineer at the port",
        "person",
    )


def test_a_unit_of_a_possessor_is_not_the_organisation_named_before():
    # "the" belongs to "city", not to "department": the department is not the Ferry
    # Company named in the sentence before, whichever detector found the statement.
    text = (
        "The Northbay Ferry Company will cut two crossings from June. "
        "According to the city's finance department, the change will save $80,000 a year."
    )
    s = only(text)
    assert s.speaker.text == "the city's finance department"
    assert (s.speaker.name, s.speaker.kind) == (None, "organization")
    assert s.speaker.role == "city's finance department"
    # With the noun's own article it still is the organisation the article named.
    text = (
        "The Northbay Ferry Company will cut two crossings from June. "
        "The company said the change will save $80,000 a year."
    )
    assert only(text).speaker.name == "Northbay Ferry Company"


@pytest.mark.parametrize(
    "opening, noun, name",
    [
        ("Harbour Airways grounded its six Airbus jets on Monday.", "airline", "Harbour Airways"),
        ("Copper Coast Air cancelled flights after a Boeing check.", "carrier", "Copper Coast Air"),
        ("The Daily Herald was bought by Northwind Media in May.", "paper", "Daily Herald"),
    ],
)
def test_a_common_noun_is_the_organisation_whose_name_says_it_another_way(opening, noun, name):
    # Not the organisation named last (Airbus, Boeing, Reuters): the one whose name
    # holds a word the noun stands for.
    s = only(f"{opening} The {noun} said the decision was taken for safety reasons.")
    assert (s.speaker.text, s.speaker.name, s.speaker.kind) == (f"The {noun}", name, "organization")


@pytest.mark.parametrize(
    "first, then", [("National Statistics", "Statistics"), ("Statistics", "National Statistics")]
)
def test_an_organisation_named_by_its_last_words_is_the_one_named_in_full(first, then):
    text = (
        f"The {first} Office said inflation rose to 4 percent in May. "
        f"Later the {then} Office said food prices drove the increase."
    )
    names = [s.speaker.name for s in extract(text).statements]
    assert names == ["National Statistics Office", "National Statistics Office"]
    # Whose council it is stays apart: Russia's is not the UN's.
    text = (
        "The UN Security Council said it would meet. Russia's Security Council said it would not."
    )
    names = [s.speaker.name for s in extract(text).statements]
    assert names == ["UN Security Council", "Russia's Security Council"]


def test_titles_before_a_lone_surname_are_the_role_not_the_name():
    # en_core_web_sm takes "Varga" for an organisation; the titles say it is a person.
    s = only("Chief Medical Officer Varga said the outbreak was over.")
    assert (s.speaker.name, s.speaker.role, s.speaker.kind) == (
        "Varga",
        "Chief Medical Officer",
        "person",
    )
    s = only("Health Minister Tomas Berg said the plan was ready.")
    assert (s.speaker.name, s.speaker.role) == ("Tomas Berg", "Health Minister")


def test_a_title_word_that_is_a_given_name_before_a_lone_surname_is_the_given_name():
    s = only("Dean Walsh said the team would play on Sunday.")
    assert (s.speaker.name, s.speaker.role) == ("Dean Walsh", None)
    # Before a given name and a surname it is the title.
    s = only("Dean Maria Lopez said the school would close.")
    assert (s.speaker.name, s.speaker.role) == ("Maria Lopez", "Dean")


@pytest.mark.parametrize(
    "sentence, name, role",
    [
        # The recogniser calls "Dr Ines Varga" an organisation: the title says person.
        (
            "The Health Ministry's chief medical officer, Dr Ines Varga, said the clinics "
            "would stay open.",
            "Ines Varga",
            "Health Ministry's chief medical officer",
        ),
        # A lone surname, described as a person (the recogniser says a place for Menon).
        ("Menon, an ecologist, said the reef was dying.", "Menon", "ecologist"),
        ("Lindqvist, the FC Harbour coach, said the team was ready.", "Lindqvist",
         "FC Harbour coach"),
    ],
)  # fmt: skip
def test_a_name_the_recogniser_missed_is_a_person_by_its_title_or_description(sentence, name, role):
    s = only(sentence)
    assert (s.speaker.name, s.speaker.role, s.speaker.kind) == (name, role, "person")


@pytest.mark.parametrize(
    "sentence, name, role, kind",
    [
        # The parser hangs the name on "governor"; the name is the spokeswoman's.
        ("A spokeswoman for the governor, Dana Whitfield, said a deal could be reached.",
         "Dana Whitfield", "spokeswoman for the governor", "person"),
        ("The head of the Harbour Board, Ivo Lasko, said the port was open.",
         "Ivo Lasko", "head of the Harbour Board", "person"),
        # An organisation named in apposition to its description.
        ("The employers' group, the Pacific Terminal Operators Association, said its "
         "offer was fair.", "Pacific Terminal Operators Association", "employers' group",
         "organization"),
    ],
)  # fmt: skip
def test_a_name_in_apposition_to_its_description(sentence, name, role, kind):
    s = only(sentence)
    assert (s.speaker.name, s.speaker.role, s.speaker.kind) == (name, role, kind)


def test_an_organisation_described_as_one_stays_an_organisation():
    s = only("Reuters, the news agency, said the talks had failed.")
    assert (s.speaker.name, s.speaker.kind) == ("Reuters", "organization")


def test_times_resolved_against_the_publication_date():
    found = statements()
    sunday = found["said|that the strike would cost"].time
    assert (sunday.text, sunday.date, sunday.precision) == ("on Sunday", "2024-03-10", "day")
    march = found["warned|that port costs were rising"].time
    assert (march.text, march.date, march.precision) == ("In March", "2024-03-01", "month")
    at_the_time = found["reported|In March, the Transport"].time
    assert (at_the_time.text, at_the_time.date) == ("at the time", None)


def test_weekday_of_the_publication_day_is_that_day():
    s = only("The mayor said Monday that the bridge would reopen.", published="2024-03-11")
    assert s.time.date == "2024-03-11"


def test_time_stays_text_without_a_publication_date():
    s = only("The mayor said Monday that the bridge would reopen.")
    assert (s.time.text, s.time.date) == ("Monday", None)


def test_times_inside_the_content_or_in_the_future_are_not_utterance_times():
    assert statements()["wrote|that talks would resume "].time is None
    s = statements("The board imposed limits, citing the driest spring in a century.")["citing|"]
    assert s.time is None


@pytest.mark.parametrize(
    "sentence, name",
    [
        (
            "The Northern Rail Workers Federation (NRWF) said on Monday it would strike.",
            "Northern Rail Workers Federation",
        ),
        (
            "GENEVA — The Alpine Ski Council (ASC) said on Tuesday it had banned two coaches.",
            "Alpine Ski Council",
        ),
    ],
)
def test_a_short_name_in_brackets_is_not_a_role(sentence, name):
    s = only(sentence)
    assert (s.speaker.name, s.speaker.role) == (name, None)


def test_a_name_the_parse_hangs_the_speaker_on_is_not_its_description():
    text = (
        "HALDEN — Workers at Fennick's largest depot voted 388 to 301 to join the Freight "
        "and Depot Workers Union, the Northern Labor Board said late Thursday, the first "
        "successful union vote at any of the company's 20 sites."
    )
    s = Found(text)["said|"]
    assert (s.speaker.name, s.speaker.role) == ("Northern Labor Board", None)
