"""Channel, time and relay as a reader means them (../shared/provenance-fields.md, issue
16), in sentences written for these tests."""

import pytest

from onrecord import extract


def one(text, outlet=None, published="2019-11-20"):
    [s] = [s for s in extract(text, published=published, outlet=outlet).statements]
    return s


def fields(s):
    return (
        s.channel.name if s.channel else None,
        s.channel.to if s.channel else None,
        (s.time.text, s.time.date) if s.time else None,
        s.relayed_by.name if s.relayed_by else None,
    )


@pytest.mark.parametrize(
    "text, channel",
    [
        ("Lee said at a March hearing that the plan was sound.", "hearing"),
        ("In the vice-presidential debate, Ortiz argued that taxes were too high.", "debate"),
        ("At his rally, Senator Sam Ortiz said the count was rigged.", "rally"),
        ("Lee said in a fireside chat with the club's founder that sales rose.", "fireside chat"),
        ("The agency said in a NASA statement that the probe was safe.", "statement"),
        ("Webb said in an interview with the FBI that he had driven to a church.", "interview"),
        ("Mendoza said in an interview with La Vanguardia that it would last.", "La Vanguardia"),
        ("Rahman wrote in a blog post that the data were safe.", "blog post"),
        ("Lee said in a tweet that the vote was fair.", "Twitter"),
        # the medium hung on the name after the verb
        ("Cuts will come this week, said executive chair Mara Lind in an email to staff.", "email"),
        ('"Sales grew," said CEO Craig Dunne in the company\'s news release.', "news release"),
        # a platform in the plural, a medium verb, an outlet read as an adverb
        ('"Suspect in custody!" officers announced on their radios.', "radio"),
        ("On May 3, 2011, he emailed Moss about how hard the plot was.", "email"),
        ("A medic told Ruptly that two men were hurt in the crush.", "Ruptly"),
        # "to <outlet>" after any cue of saying
        ("Kim Lo, a spokesperson for the app, confirmed to WIRED that the test ran.", "WIRED"),
        # where a study appeared names it; an event is named by its own name
        ('"I fell," wrote Tom Reid in a case study published Monday in the journal BMJ.', "BMJ"),
        ("Analysts at Baird wrote in a research report that the market erred.", "research report"),
        ("Mayer said at Vantage Media's Harbor Tech conference that sales grew.",
         "Harbor Tech conference"),
        ("Stafford said at an October hearing that the cost was high.", "hearing"),
        ("The governor said in a public service announcement that road deaths rose.",
         "public service announcement"),
        ('"Each team has a new idea," Okoye said in a telecon with reporters.', "telecon"),
        # a speech to a body is heard there: the body is no outlet
        ('"We will not accept it," Hale said in a speech to the Naval Academy of Norland.',
         "speech"),
        ("Sales rose, Lind said while visiting the Brightline conference.",
         "Brightline conference"),
        # a kind of speech or event named with the word before it
        ('"We won," Lanz said in a victory speech on Saturday.', "victory speech"),
        ("Ortiz said at a town hall event in Halden that the count was close.",
         "town hall event"),
        ("Lanz said at a town hall on Monday that taxes would fall.", "town hall"),
        # an outlet's programme is the channel
        ("Appearing on NBC's Meet the Press, Mayor Dana Lee said the plan had failed.",
         "Meet the Press"),
        ("Mr Farage told Radio Norland's Any Questions that the queue was long.",
         "Any Questions"),
    ],
)  # fmt: skip
def test_venues_and_formats_are_channels_and_outlets_are_named(text, channel):
    assert one(text).channel.name == channel


def test_a_hall_alone_is_a_place_not_a_channel():
    assert one('"We will win," Lanz said in the hall after the vote.').channel is None


def test_a_recipient_is_not_the_channel():
    s = one("Lee said in an email to The Associated Press that the vote was fair.")
    assert fields(s)[:2] == ("email", "Associated Press")


def test_an_audience_is_not_a_channel():
    assert (
        one("Ortiz told the Intelligence Committee that he had never met the donor.").channel
        is None
    )


@pytest.mark.parametrize(
    "text, time",
    [
        ("On Tuesday, Mayor Dana Lee said the budget was balanced.", ("On Tuesday", "2019-11-19")),
        ("Writing in the Valley Review in 2012, Lee argued that the port needed a wall.",
         ("in 2012", "2012-01-01")),
        ("The Harbour Gazette noted this spring that the council had missed its targets.",
         ("this spring", "2019-01-01")),
        ("Lamrani told the Ledger in October 2018 that the group was secular.",
         ("in October 2018", "2018-10-01")),
        ("In a 2013 interview, Ortiz said the harbour would flood.", ("2013", "2013-01-01")),
        # the week of publication (a Wednesday paper), and a season of the year before
        ("Lee said earlier this week that the port would close.",
         ("earlier this week", "2019-11-18")),
        ("Lee told the Ledger last fall that the port would close.", ("last fall", "2018-01-01")),
    ],
)  # fmt: skip
def test_times_fronted_trailing_and_of_the_medium(text, time):
    assert fields(one(text))[2] == time


def test_a_month_and_year_is_a_month():
    s = one("Lamrani told the Ledger in October 2018 that the group was secular.")
    assert s.time.precision == "month"


def test_relays_through_obtained_and_unearthed_material():
    text = "In a 2013 interview that the Ledger unearthed, Ortiz said the harbour would flood."
    assert fields(one(text))[3] == "Ledger"
    statements = extract(
        "According to audio obtained by the Tribune, Mayor Dana Lee said the council was corrupt."
    ).statements
    lee = [s for s in statements if s.speaker.name == "Dana Lee"]
    assert [s.relayed_by.name for s in lee] == ["Tribune"]


def test_a_statement_via_another_outlet_is_relayed_by_it():
    text = 'Richardson, via USA Today, said that Rudolph "can\'t start a fight and then complain."'
    assert fields(one(text))[3] == "USA Today"


def test_told_a_print_outlet_in_another_publishers_article_is_also_a_relay():
    text = "Noem told the Argus Leader on Monday that the campaign was working."
    # in another publisher's article: the Argus Leader is how it was known
    assert fields(one(text, outlet="Sioux City Journal"))[3] == "Argus Leader"
    # in the Argus Leader's own article: a channel, no relay
    assert fields(one(text, outlet="The Argus Leader"))[3] is None
    # with no outlet known for the article, no relay is guessed
    assert fields(one(text))[3] is None
    # a broadcaster is a channel only
    broadcast = one("Noem told Fox News on Monday that the campaign was working.", outlet="Ledger")
    assert fields(broadcast)[0] == "Fox News" and fields(broadcast)[3] is None


def test_a_participle_of_saying_has_the_time_and_medium_of_the_verb_it_hangs_on():
    s = one("Okafor tweeted on Monday, saying that the referee should be fined.")
    assert (s.cue_text, s.channel.name, s.time.text) == ("saying", "Twitter", "on Monday")


def test_a_participle_about_something_done_to_someone_takes_no_time_from_it():
    text = "Two guards were charged Tuesday with falsifying logs, stating they had checked cells."
    assert all(s.time is None for s in extract(text, published="2019-11-20").statements)


def test_a_medium_after_a_name_after_the_verb_is_not_part_of_the_speaker():
    s = one("Cuts will come this week, said executive chair Mara Lind in an email to staff.")
    assert (s.speaker.text, s.speaker.name, s.channel.name) == (
        "executive chair Mara Lind",
        "Mara Lind",
        "email",
    )


def test_a_follow_on_quote_has_the_channel_and_time_of_the_quote_it_follows():
    text = (
        "“We will not sign a deal that cuts pensions,” Maria Lindqvist told NBC on Friday.\n\n"
        "The union has 4,000 members at the port, most of them in the container terminal.\n\n"
        "“Our members have waited long enough for a fair offer.”\n\n"
        "The talks resume on Monday."
    )
    first, follow = extract(text, published="2019-11-20", detector="rules").statements
    assert follow.continues == first.id
    assert (follow.channel.name, follow.time.date) == ("NBC", "2019-11-15")


def relays(text):
    return [
        (s.cue_text, s.speaker.name, s.relayed_by.name if s.relayed_by else None)
        for s in extract(text, published="2024-03-14").statements
        if s.cue_category == "speech"
    ]


def test_a_publisher_quoting_someone_relays_them_and_they_speak():
    text = "The Vesti website quoted Gennady Belov as saying that the drills were routine."
    assert relays(text) == [("saying", "Gennady Belov", "Vesti")]


def test_a_publisher_citing_a_source_relays_it():
    text = "Reuters, citing two officials at the commission, reported that Karaman was asked to go."
    [reported] = [s for s in extract(text).statements if s.cue_text == "reported"]
    assert (reported.speaker.text, reported.speaker.name, reported.relayed_by.name) == (
        "two officials",
        None,
        "Reuters",
    )
    # a person citing figures speaks for herself
    own = "Citing agency figures, Councillor Priya Ramsay said Clearwell had 212 spills."
    assert [r[2] for r in relays(own)] == [None]


def test_what_a_document_a_publisher_obtained_says_later_comes_through_it_too():
    text = (
        "Minister Rupert Halloran told officials in June that the government should wait, "
        "according to audio obtained by the Tribune.\n\n"
        'In the recording, Halloran tells the officials that "there is no prize for going '
        'first on this."'
    )
    assert [r for r in relays(text) if r[1] == "Rupert Halloran"] == [
        ("told", "Rupert Halloran", "Tribune"),
        ("tells", "Rupert Halloran", "Tribune"),
    ]


def test_material_issued_by_its_source_or_a_journal_is_no_relay():
    text = (
        "In 2005, the biochemist Lena Ostrow showed in a paper published in Cellular "
        "Notes Quarterly that taste receptors could be found in the gut."
    )
    assert fields(one(text))[3] is None


@pytest.mark.parametrize(
    "text, content, time",
    [
        # the day right after the cue is when it was said, not part of what was said
        (
            "Health officials said Monday the victim was one of two people infected.",
            "the victim was one of two people infected",
            "Monday",
        ),
        ("Varga acknowledged serious staffing shortages Tuesday.", "serious staffing shortages",
         "Tuesday"),
        # a day that is the subject of what was said stays in it
        ("The mayor said Monday was the deadline for bids.", "Monday was the deadline for bids",
         None),
        # a date that belongs to the content stays there
        (
            "Traders told Reuters that the cartel would not agree to cuts at a meeting next month.",
            "that the cartel would not agree to cuts at a meeting next month",
            None,
        ),
    ],
)  # fmt: skip
def test_the_time_of_saying_is_not_part_of_what_was_said(text, content, time):
    [s] = [
        s for s in extract(text, published="2019-11-20").statements if s.cue_category == "speech"
    ]
    assert (s.content_text, s.time.text if s.time else None) == (content, time)


def test_a_date_inside_another_events_phrase_is_not_the_time_of_saying():
    text = (
        "In addition to its order of 30 jets Wednesday, the airline announced on Monday "
        "that it would buy 50 more."
    )
    [s] = [s for s in extract(text, published="2019-11-20").statements if s.cue_text == "announced"]
    assert s.time.text == "on Monday"


def test_the_paper_is_the_outlet_the_article_named_before():
    text = (
        "The Riverside Chronicle first reported the fire on Tuesday. Employee Sam Kent tells "
        "the paper that he saw the flames."
    )
    [s] = [s for s in extract(text, outlet="Coast News").statements if s.cue_text == "tells"]
    assert (s.channel.name, s.relayed_by.name) == ("Riverside Chronicle",) * 2


def test_a_participle_naming_its_medium_before_the_cue_gives_medium_and_time():
    s = one("Tweeting in May, Lee said the vote was fair.", published="2019-11-20")
    assert (s.channel.name, s.time.text, s.time.precision) == ("Twitter", "in May", "month")


def test_relays_through_publication_provision_and_leaks():
    assert (
        fields(
            one("In a statement published in the Herald, Mayor Ann Lee said the port would close.")
        )[3]
        == "Herald"
    )
    assert (
        fields(one("In a note provided to the Post, Ortiz wrote that the deal was dead."))[3]
        == "Post"
    )
    text = (
        "An email released by WikiLeaks shows that Tom Marsh wrote that the polls were bad."
        "\n\nIn the email, Marsh asks the team to keep quiet."
    )
    marsh = [s for s in extract(text).statements if s.speaker.name == "Tom Marsh"]
    assert [(s.cue_text, s.relayed_by.name) for s in marsh] == [
        ("wrote", "WikiLeaks"),
        ("asks", "WikiLeaks"),
    ]


def test_a_piece_in_an_outlet_is_that_outlet():
    s = one('"The plan is far from kind," columnist Li Wen wrote in the Harbour Times piece.')
    assert s.channel.name == "Harbour Times"
