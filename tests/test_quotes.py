"""Quotation marks as news text uses them: every style, split, multi-paragraph, broken."""

from onrecord.attribution.quotes import find_quotes, statement_type


def quoted(text: str) -> list[list[str]]:
    return [[text[s:e] for s, e in q.fragments] for q in find_quotes(text)]


def test_straight_curly_guillemet_and_low_marks():
    text = (
        '"Straight," he said. “Curly,” she said. «Guillemets», il a dit. '
        "„Tief“, sagte er. ‘Single,’ they said."
    )
    assert quoted(text) == [["Straight,"], ["Curly,"], ["Guillemets"], ["Tief"], ["Single,"]]


def test_double_apostrophes_are_one_mark():
    text = "He called the plan ''a disgrace,'' and left."
    assert quoted(text) == [["a disgrace,"]]


def test_apostrophes_are_not_quotes():
    text = "Jones' dog isn't the mayor's, and 'til now nobody said so."
    assert quoted(text) == []


def test_nested_quotes_stay_inside_the_outer_one():
    text = "“He told me, ‘We will never sign,’ and walked out,” she said."
    assert quoted(text) == [["He told me, ‘We will never sign,’ and walked out,"]]


def test_quote_over_two_paragraphs_is_one_quote():
    text = "“We will rebuild the pier.\n“And then we will rebuild the market,” she said."
    quotes = find_quotes(text)
    assert len(quotes) == 1
    assert [text[s:e] for s, e in quotes[0].fragments] == [
        "We will rebuild the pier.",
        "And then we will rebuild the market,",
    ]
    assert quotes[0].closed


def test_unclosed_quote_ends_at_its_paragraph():
    text = "“We will rebuild the pier.\nThe mayor left early."
    quotes = find_quotes(text)
    assert [[text[s:e] for s, e in q.fragments] for q in quotes] == [["We will rebuild the pier."]]
    assert not quotes[0].closed


def test_a_mark_that_opens_nothing_is_no_quote():
    # at the end of the text, and at the end of a paragraph the next one does not reopen
    for text in ["The agency quoted him as saying “", "He said: “\nThe mayor left early."]:
        assert find_quotes(text) == []


def test_stray_marks_do_not_crash_or_invent_quotes():
    for text in ['"', '" "', "“", "”Hello", 'a " b', "''", "“”", "«»»«", "'\"'\"'"]:
        find_quotes(text)  # must not raise
    assert quoted('A stray " mark here.') == []


def test_excluded_paragraphs_are_skipped():
    text = "“Fine,” he said.\n“Donate now,” we ask."
    second = text.index("“Donate")
    assert quoted(text) == [["Fine,"], ["Donate now,"]]
    assert [
        [text[s:e] for s, e in q.fragments] for q in find_quotes(text, ((second, len(text)),))
    ] == [["Fine,"]]


def test_statement_type_from_quote_marks():
    text = "“All of it,” he said. He said the plan was “a disgrace” for everyone. He said no."
    direct = text.index("All")
    assert statement_type(text, ((direct, direct + len("All of it,")),)) == "direct"
    mixed = text.index("the plan")
    assert statement_type(text, ((mixed, text.index(" for everyone") + 13),)) == "mixed"
    plain = text.rindex("no")
    assert statement_type(text, ((plain, plain + 2),)) == "indirect"
