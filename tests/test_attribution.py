"""Detection, one construction at a time, on article-shaped text written for these tests.

Each test states what a reader of the sentence would write down: who (as written), the
cue, the content and its type.
"""

import pytest

from onrecord import extract


def found(text: str, **meta) -> list[tuple]:
    result = extract(text, **meta)
    return [(s.speaker.text, s.cue_text, s.content_text, s.type) for s in result.statements]


def by_cue(text: str, cue: str):
    matches = [s for s in extract(text).statements if s.cue_text == cue]
    assert matches, f"no statement with cue {cue!r}"
    return matches[0]


def test_direct_quote_before_the_attribution():
    text = "“We cannot afford a long stoppage,” Reyes said on Monday."
    assert found(text) == [("Reyes", "said", "We cannot afford a long stoppage,", "direct")]


def test_direct_quote_after_a_colon():
    text = 'The mayor said: "We are ready to talk, but not to surrender."'
    assert found(text) == [
        ("The mayor", "said", "We are ready to talk, but not to surrender.", "direct")
    ]


def test_inverted_order_with_apposition():
    text = "“This was not a decision we took lightly,” said Ana Costa, the board's chairwoman."
    assert found(text) == [
        (
            "Ana Costa, the board's chairwoman",
            "said",
            "This was not a decision we took lightly,",
            "direct",
        )
    ]


def test_quote_split_by_the_attribution_is_one_statement():
    text = "“I was there,” Smith said. “I saw it all.”"
    assert found(text) == [("Smith", "said", "I was there, … I saw it all.", "direct")]


def test_quote_split_mid_sentence():
    text = "“We have enough reserves,” the chairwoman said Thursday, “but only if everyone helps.”"
    assert found(text) == [
        (
            "the chairwoman",
            "said",
            "We have enough reserves, … but only if everyone helps.",
            "direct",
        )
    ]


def test_quote_over_paragraphs_and_follow_on_quote():
    text = (
        "“The union has made its position clear.\n\n"
        "“We will not sign a deal that cuts pensions,” said Maria Lindqvist.\n\n"
        "“Our members have waited long enough.”\n\n"
        "The talks resume on Monday."
    )
    assert found(text) == [
        (
            "Maria Lindqvist",
            "said",
            "The union has made its position clear. … We will not sign a deal that cuts "
            "pensions, … Our members have waited long enough.",
            "direct",
        )
    ]


def test_indirect_speech_with_and_without_that():
    text = (
        "Port director Paul Reyes said that the strike would cost the city millions.\n\n"
        "He said the port would reopen within a week."
    )
    assert found(text) == [
        (
            "Port director Paul Reyes",
            "said",
            "that the strike would cost the city millions",
            "indirect",
        ),
        ("He", "said", "the port would reopen within a week", "indirect"),
    ]


def test_told_reporters_keeps_the_audience_out_of_the_content():
    text = "Klaus Weber told reporters that the valley had lost a third of its snowpack."
    assert found(text) == [
        ("Klaus Weber", "told", "that the valley had lost a third of its snowpack", "indirect")
    ]


def test_warned_of_takes_the_object_of_the_preposition():
    text = "The director warned of serious consequences for exporters."
    assert found(text) == [
        ("The director", "warned of", "serious consequences for exporters", "indirect")
    ]


def test_mixed_quote():
    text = "The senator said the proposal was “dead on arrival” in the chamber."
    assert found(text) == [
        ("The senator", "said", "the proposal was “dead on arrival” in the chamber", "mixed")
    ]


def test_according_to():
    text = "According to the city's finance office, the port brought in $40 million last year."
    assert found(text) == [
        (
            "the city's finance office",
            "According to",
            "the port brought in $40 million last year",
            "indirect",
        )
    ]


def test_trailing_attribution_after_the_content():
    text = "Exports fell by a third in the spring, the statistics office reported."
    assert found(text) == [
        (
            "the statistics office",
            "reported",
            "Exports fell by a third in the spring",
            "indirect",
        )
    ]


def test_parenthetical_attribution_inside_the_content():
    text = "The museum, Mr. Obama said, would make visitors face uncomfortable truths."
    speaker, cue, content, kind = found(text)[0]
    assert (speaker, cue, kind) == ("Mr. Obama", "said", "indirect")
    assert "would make visitors face uncomfortable truths" in content
    assert "Mr. Obama said" not in content


@pytest.mark.parametrize("verb", ["cited", "quoted"])
def test_passive_hearsay_cue(verb):
    text = f'"We have a large network of informants," Kadyrov was {verb} as saying.'
    assert found(text) == [
        ("Kadyrov", f"was {verb} as saying", "We have a large network of informants,", "direct")
    ]


def test_passive_hearsay_with_a_clause():
    text = "Lindqvist was quoted as saying that the union would hold out as long as it takes."
    assert found(text) == [
        (
            "Lindqvist",
            "was quoted as saying",
            "that the union would hold out as long as it takes",
            "indirect",
        )
    ]


def test_noun_cue_with_a_possessive_source():
    text = "Becker's claim that the orchards would die was disputed."
    statement = by_cue(text, "claim")
    # As written, with the possessive (PolNeAR's sources keep it); the name without.
    assert (statement.speaker.text, statement.speaker.name, statement.content_text) == (
        "Becker's",
        "Becker",
        "that the orchards would die",
    )


def test_colon_headline():
    text = "Reyes: Strike Will Cost the City Millions\n\nThe port was quiet on Monday."
    assert found(text) == [("Reyes", ":", "Strike Will Cost the City Millions", "indirect")]


def test_two_attributions_joined_by_while_are_kept_apart():
    text = (
        "Lena Fischer of the Baltic Institute said exports would recover, while "
        "independent analyst Omar Haddad said the damage would last for years."
    )
    assert found(text) == [
        ("Lena Fischer of the Baltic Institute", "said", "exports would recover", "indirect"),
        (
            "independent analyst Omar Haddad",
            "said",
            "the damage would last for years",
            "indirect",
        ),
    ]


def test_quotes_that_nobody_says_are_not_statements():
    text = "The so-called “harbour tax” was repealed in 2019.\n\nShips returned within a year."
    assert found(text) == []


def test_unbalanced_marks_do_not_break_extraction():
    text = "“We will win, the captain said.\n\nHe said the crew was “ready."
    statements = extract(text).statements
    assert [s.cue_text for s in statements] == ["said", "said"]


FOLLOW_ON = (
    "“We will not sign a deal that cuts pensions,” said Maria Lindqvist.\n\n"
    "The union has 4,000 members at the port, most of them in the container terminal.\n\n"
    "“Our members have waited long enough for a fair offer.”\n\n"
    "The talks resume on Monday."
)


def test_the_model_joins_a_quote_after_a_narrative_paragraph_to_the_speakers_statement():
    # PolNeAR annotates such a quote as one more fragment of the statement's content.
    (statement,) = extract(FOLLOW_ON).statements
    assert (statement.speaker.name, statement.cue_text, statement.type) == (
        "Maria Lindqvist",
        "said",
        "direct",
    )
    assert statement.content_text == (
        "We will not sign a deal that cuts pensions, … "
        "Our members have waited long enough for a fair offer."
    )


def test_follow_on_quote_after_a_narrative_paragraph_continues_the_speaker():
    # The rules make the quote a statement of its own that continues the speaker's.
    first, follow = extract(FOLLOW_ON, detector="rules").statements
    assert (follow.cue_text, follow.speaker.text, follow.speaker.name, follow.type) == (
        None,
        None,
        "Maria Lindqvist",
        "direct",
    )
    assert follow.content_text == "Our members have waited long enough for a fair offer."
    assert follow.continues == first.id


def test_a_lone_quote_far_from_any_speaker_is_not_attributed():
    text = (
        "“We will not sign,” said Maria Lindqvist.\n\n"
        "The port opened in 1872.\n\nIt was rebuilt after the war.\n\n"
        "Its cranes were replaced in 1990.\n\n"
        "“Built to last” is painted on the old gate."
    )
    assert [s.cue_text for s in extract(text).statements] == ["said"]


SIGNED_QUOTES = (
    "Readers told us what they made of the debate.\n\n"
    "“The mayor dodged every question about the port.” ― Ana Ruiz\n\n"
    "“I finally heard a plan for the buses.”\u00a0— Tomás Bell, Eastfield\n\n"
    "The council meets again on Thursday."
)


@pytest.mark.parametrize("detector", ["rules", "model"])
def test_quotes_signed_with_a_dash(detector):
    # Reader comments and quote lists sign each quotation after it.
    statements = extract(SIGNED_QUOTES, detector=detector).statements
    assert [(s.speaker.text, s.cue_text, s.content_text, s.type) for s in statements[1:]] == [
        ("Ana Ruiz", "―", "The mayor dodged every question about the port.", "direct"),
        ("Tomás Bell", "—", "I finally heard a plan for the buses.", "direct"),
    ]


def test_a_dash_after_a_quote_without_a_name_signs_nothing():
    text = "“We will see” — that was all the minister would offer on Monday."
    assert "—" not in [s.cue_text for s in extract(text, detector="rules").statements]


TRANSCRIPT = (
    "The interview, in part:\n\n"
    '"HOST: Will the strike end this week?\n\n'
    '"REYES: Not unless the port authority comes back to the table with a real offer.\n\n'
    "The talks resume on Monday."
)
# One quotation over four paragraphs, after a sentence whose verb could claim it.
QUOTED_TRANSCRIPT = (
    "Mayor Ana Ruiz spoke to the station on Friday. A partial transcript follows:\n\n"
    '"HOST: Will the strike end this week?\n\n'
    '"RUIZ: Not unless the port authority comes back to the table.\n\n'
    '"HOST: And the ferries?\n\n'
    '"RUIZ: They will run on Sunday."'
)


TURNS = [
    ("HOST", ":", "Will the strike end this week?"),
    ("REYES", ":", "Not unless the port authority comes back to the table with a real offer."),
]
QUOTED_TURNS = [
    ("HOST", ":", "Will the strike end this week?"),
    ("RUIZ", ":", "Not unless the port authority comes back to the table."),
    ("HOST", ":", "And the ferries?"),
    ("RUIZ", ":", "They will run on Sunday."),
]


@pytest.mark.parametrize("detector", ["rules", "model"])
@pytest.mark.parametrize("text, turns", [(TRANSCRIPT, TURNS), (QUOTED_TRANSCRIPT, QUOTED_TURNS)])
def test_each_transcript_turn_is_its_speakers(text, turns, detector):
    # Names in capitals after a quotation mark; the intro sentence's verb claims nothing.
    statements = extract(text, detector=detector).statements
    assert [(s.speaker.text, s.cue_text, s.content_text) for s in statements] == turns
