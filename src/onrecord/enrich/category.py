"""What kind of act a statement's cue reports: its ``cue.category``.

``speech`` (said, warned, according to), ``belief`` (thinks, expects: thought),
``intention`` (agreed to, plans to, declined to), ``stance`` (supports, is critical
of), ``evidence`` (a poll shows) or ``other``.  The default views show speech and
belief, so the category is also where a detection that is no statement anyone made
goes out of sight while JSON keeps it: a plan or a decision ("agreed to return the
cash", "declined to comment"), a perception ("could see the frustration on his face",
"found a man bleeding"), a verb of saying with a mere thing for object ("called 911",
"wrote his first novel"), and a report nobody is named as making ("is expected to lay
off thousands").
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from ..attribution.intervals import lines
from ..attribution.lexicon import default_lexicon
from ..attribution.screen import negated, said_by
from ..attribution.syntax import doc_text, kids
from ..names import PERSON_NOUNS
from ..records import Attribution

BELIEF_NOUNS = frozenset("belief view opinion assessment concern fear hope expectation".split())
# Verbs that report speech through an infinitive: "promised to resign" is a promise
# made, "agreed to resign" is not a statement.
SPEECH_INFINITIVES = frozenset("promise vow pledge swear tell urge warn".split())
# Verbs of saying whose object alone is what was said: "denied any involvement",
# "announced an order of 50 jets".
SPEECH_OBJECTS = frozenset(
    """announce confirm deny reject dismiss acknowledge admit point dispute unveil predict
    forecast threaten""".split()
)
# Verbs of saying that judge their object: with a mere thing for object they take a
# stance on it ("defended the sea wall") rather than say something.
JUDGING = frozenset(
    """defend criticize criticise praise condemn blast slam attack hail welcome applaud
    decry denounce blame thank congratulate tout""".split()
)
_VERBAL = frozenset(("VERB", "AUX"))
# Verbs whose negation is a belief held the other way: "does not think it will pass".
NEG_RAISING = frozenset("think believe expect suppose imagine anticipate want feel".split())
# The writer and the reader: "I learned", "you may consider" outside any quotation.
_WRITER = frozenset("i we me us you".split())
# Sources that are no one: "No one knew what had become of him".
_NO_ONE = frozenset("no one|nobody|none|no-one".split("|"))
# Sources that are a share of those polled: "37 percent of Americans", "Six in 10
# Republicans", "a majority of voters".
_POLLED = re.compile(r"\b(?:percent|per cent)\b|%|^\w+ in (?:10|ten)\b|^(?:a|the) majority\b")
# Words that open a clause: "found that ...", "knows how much ...".
_CLAUSE_OPENERS = frozenset("that whether if how what why who when where which".split())
_OPENING, _CLOSING = "“«„", "”»"


def _hearsay(dependents: list[Token]) -> bool:
    """ "was cited as saying", "is said to have": the passive's subject is who said."""
    return any(
        (c.dep_ == "prep" and c.lower_ == "as") or (c.dep_ in ("xcomp", "ccomp"))
        for c in dependents
    )


def _clausal(tokens: list[Token]) -> bool:
    """The content is a clause: its head is a verb ("said the plan was sound"), or a
    word that opens one comes first ("found that ...", "knows how much ...").  "found a
    man bleeding" and "found them in the lining of every organ" are things found."""
    words = [t for t in tokens if not t.is_punct]
    if not words:
        return False
    inside = {t.i for t in tokens}
    heads = [t for t in words if t.head.i not in inside or t.head.i == t.i]
    # (a participle with no auxiliary heads a thing seen, "a man bleeding", not a clause)
    finite = [
        t
        for t in heads
        if t.pos_ in _VERBAL
        and (t.tag_ not in ("VBG", "VBN") or any(c.dep_ in ("aux", "auxpass") for c in t.children))
    ]
    return words[0].lower_ in _CLAUSE_OPENERS or bool(finite)


def _quoted(doc: Doc, offset: int) -> bool:
    """``offset`` lies inside quotation marks opened earlier in its paragraph."""
    text = doc_text(doc)
    start = lines(text).line_start(offset)
    before = text[start:offset]
    opened = sum(before.count(m) for m in _OPENING) - sum(before.count(m) for m in _CLOSING)
    return opened > 0 or before.count('"') % 2 == 1


# Verbs of saying and remembering the detectors' lexicon lacks (it is the list the
# trained model was trained with, and stays as it was): their category here.
MORE_CLASSES = {
    **dict.fromkeys(
        "confess dispute volunteer email text chant bemoan order read".split(), "speech"
    ),
    **dict.fromkeys("remember recall".split(), "belief"),
}


def _lexical(cue_head: Token) -> str:
    """The category the cue word has in the hand-written lexicon."""
    lemma = cue_head.lemma_.lower()
    if cue_head.pos_ in ("PUNCT", "ADP") or lemma in ("accord", "according"):
        return "speech"  # "Kadyrov: ...", "according to X"
    if cue_head.pos_ == "NOUN":
        # "the statement that", "her claim that"; not "supporter", "policy", "goal"
        if lemma in BELIEF_NOUNS:
            return "belief"
        said = default_lexicon().classes.get(lemma) in ("noun", "speech")  # "claim"
        return "speech" if said else "other"
    if cue_head.lemma_ == "be":
        return "stance"  # "is critical of", "was sure that"
    category = default_lexicon().classes.get(lemma) or MORE_CLASSES.get(lemma, "other")
    return "speech" if category == "noun" else category


def _quoted_as_saying(cue_head: Token) -> bool:
    """ "saying" in "X quoted Y as saying": Y is who says it (enrichment names Y)."""
    prep = cue_head.head
    return (
        cue_head.lemma_ == "say" and prep.lower_ == "as" and prep.head.lemma_ in ("quote", "cite")
    )


def _person_source(doc: Doc, a: Attribution) -> bool:
    """The source names or describes a person, or is a pronoun for one."""
    for s, e in a.source:
        span = doc.char_span(s, e, "expand")
        for t in span or ():
            if t.ent_type_ == "PERSON" or t.pos_ == "PRON" or t.lemma_.lower() in PERSON_NOUNS:
                return True
    return False


def cue_category(
    cue_head: Token | None, a: Attribution | None = None, doc: Doc | None = None
) -> str:
    """The kind of act ``a``'s cue reports (see the module's docstring)."""
    if cue_head is None:
        return "speech"  # a follow-on quote continues speech
    category = _lexical(cue_head)
    if a is None or doc is None or category not in ("speech", "belief"):
        return category
    if cue_head.pos_ == "PUNCT" and not _person_source(doc, a):
        return "other"  # "NEW DELHI:", "Disclaimer:", "Lakers:": a label, not a speaker
    if cue_head.pos_ in ("PUNCT", "ADP"):
        return category
    if not a.source and a.continues is None and not _quoted_as_saying(cue_head):
        return "other"  # nobody is named as saying it
    dependents = kids(cue_head)
    passive = any(c.dep_ == "auxpass" for c in dependents)
    if passive and (category == "belief" or not _hearsay(dependents)):
        # "was seen by", "was considered": the subject is not who says it; "is thought
        # to harbor", "is expected to": a belief no one is named as holding
        return "other"
    source = said_by(doc_text(doc), a)
    if source in _NO_ONE:
        return "other"  # "No one knew what ..."
    if _POLLED.search(source):
        return "evidence"  # "37 percent of Americans say ...": a poll's finding
    lemma = cue_head.lemma_.lower()
    if category == "belief" and negated(cue_head, a.content) and lemma not in NEG_RAISING:
        return "other"  # "didn't know that", "hasn't seen": no belief held
    if source in _WRITER and not _quoted(doc, cue_head.idx):
        # the reporter's own "I learned" or the reader's "you", outside any quotation
        return "other"
    tokens = [t for s, e in a.content if (span := doc.char_span(s, e, "expand")) for t in span]
    as_saying = any(c.dep_ == "prep" and c.lower_ == "as" for c in dependents)
    if (
        lemma in ("quote", "cite")
        and as_saying
        and any(c.dep_ == "dobj" and c in tokens for c in dependents)
    ):
        return "other"  # "quoted Belov as saying ...": Belov's statement is the saying
    words = [t for t in tokens if not t.is_punct]
    if len(words) >= 2 and words[0].lower_ == "to" and words[1].pos_ in _VERBAL:
        return "speech" if lemma in SPEECH_INFINITIVES else "intention"
    if a.type != "indirect":
        return category  # words quoted are words said
    # (a clause: for a belief, one the parse heads with a verb, since "found a man
    # bleeding" is a thing found; after a verb of saying any verb will do, since the
    # parser often hangs a reported clause on its subject)
    clause = _clausal(tokens) if category == "belief" else any(t.pos_ in _VERBAL for t in tokens)
    if clause or any(t.lower_ == "as" for t in tokens):
        return category  # a clause, or "sees the lineup as its Achilles heel"
    if category == "speech" and (lemma in SPEECH_OBJECTS or cue_head.pos_ == "NOUN"):
        return category
    if category == "speech" and lemma in JUDGING:
        return "stance"  # "defended the sea wall", "criticised the plan"
    return "other"
