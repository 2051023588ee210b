"""Channel: the outlet or medium a statement was made through.

"said in an interview with the Interfax news agency" → Interfax; "told CNN" → CNN;
"wrote on Twitter" / "tweeted" → Twitter; "in a video on YouTube" → YouTube; "in a
statement" → statement.  Read from the cue's own dependents, never from the content.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Span, Token

from ..attribution.syntax import doc_text, kids, lefts, sentence, subtree, subtree_indices
from ..names import (
    MEDIUM_NOUNS,
    is_medium,
    organisation_name,
)
from ..records import Channel
from .outlets import is_broadcaster, is_outlet_name, is_print_outlet, same_outlet
from .roles import descriptor_text

PLATFORMS = {
    "twitter": "Twitter",
    "x": "X",
    "facebook": "Facebook",
    "youtube": "YouTube",
    "instagram": "Instagram",
    "telegram": "Telegram",
    "tiktok": "TikTok",
    "vkontakte": "VKontakte",
    "linkedin": "LinkedIn",
    "reddit": "Reddit",
    "truth social": "Truth Social",
    "threads": "Threads",
    "weibo": "Weibo",
    "wechat": "WeChat",
    "television": "television",
    "tv": "television",
    "radio": "radio",
}
# Proper nouns that are places, dates or peoples, never an outlet.
NOT_OUTLETS = frozenset(("GPE", "LOC", "FAC", "DATE", "TIME", "NORP", "CARDINAL", "ORDINAL"))
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
# Words that describe an outlet: "public broadcaster Yle", "the business daily X".
OUTLET_WORDS = frozenset(
    """broadcaster daily newspaper paper agency channel network station site website
    outlet magazine weekly radio television tv program programme show podcast journal""".split()
)
# Verbs whose object is the medium itself: "posted a video", "issued a statement".
PUBLISHING_VERBS = frozenset("post send issue release publish write pen deliver give".split())
CHANNEL_PREPS = frozenset("in on during at via through to for".split())
# Cues whose "to <outlet>" is the outlet the speaker spoke to: "confirmed to WIRED".
TO_OUTLET_VERBS = frozenset(
    """say write tell speak talk confirm explain describe admit acknowledge insist
    complain reveal disclose deny stress emphasise emphasize add""".split()
)
# Cue verbs that name their own medium.
VERB_CHANNELS = {
    "tweet": "Twitter",
    "retweet": "Twitter",
    "blog": "blog",
    "post": None,
    "email": "email",
    "e-mail": "email",
    "text": "text",
}
# Media sent to someone: what follows "to" is the recipient.
SENT_MEDIA = frozenset("email e-mail letter message note memo text".split())
# Bodies told something that hear it, not carry it: "told the Intelligence Committee".
AUDIENCE_NOUNS = frozenset(
    """committee subcommittee panel court jury judge board council senate house congress
    parliament assembly commission investigators prosecutors police inquiry""".split()
)
# Addressees of "told" that are audiences, not outlets.
AUDIENCES = frozenset(
    """reporters journalists me us him her them supporters crowd audience lawmakers
    parliament congress members officials people voters students""".split()
)


def _platform(tokens) -> str | None:
    # (by the word's lemma too: "on their radios")
    words = [t.lower_ if t.lower_ in PLATFORMS else t.lemma_.lower() for t in tokens]
    for i, w in enumerate(words):
        two = " ".join(words[i : i + 2])
        if two in PLATFORMS:
            return PLATFORMS[two]
        if w in PLATFORMS and (w != "x" or tokens[i].pos_ == "PROPN"):
            return PLATFORMS[w]
    return None


def _outlet_in(tokens: list[Token]) -> str | None:
    """The outlet named inside a phrase: an organisation or proper noun run."""
    run: list[Token] = []
    best: list[Token] = []
    for t in tokens:
        # (a person is whom a medium was with, "an interview with Marc Benioff", not it)
        outlet_like = t.ent_type_ in ("ORG", "WORK_OF_ART", "PRODUCT") or (
            t.pos_ == "PROPN" and t.ent_type_ not in NOT_OUTLETS and t.lower_ not in WEEKDAYS
        )
        if outlet_like and not t.is_punct:
            run.append(t)
        else:
            if run and not best:
                best = run
            run = []
    if run and not best:
        best = run
    if not best:
        return None
    return organisation_name(descriptor_text(best) or "")


# Words that make a kind of medium with the noun they qualify ("news conference",
# "press release"), where others only say whose it is ("company email").
MEDIUM_COMPOUNDS = frozenset(
    """news press conference video phone radio television tv blog campaign case research
    fireside keynote service victory acceptance concession commencement stump floor town
    hall talk investor investors earnings""".split()
)
# Media that are events: a proper name before one is the event's ("Salesforce's
# Dreamforce conference" is the Dreamforce conference), not an outlet.
EVENT_NOUNS = frozenset(
    """conference summit forum convention rally hearing debate fundraiser event panel
    festival ceremony""".split()
)
# A medium named by its platform: "in a tweet" is on Twitter.
MEDIUM_PLATFORMS = {"tweet": "Twitter", "retweet": "Twitter"}


def _medium_name(noun: Token) -> str:
    """'news conference', 'statement': the medium noun with the compounds that make a
    kind of medium with it."""
    words = []
    for c in lefts(noun):
        if c.dep_ in ("compound", "amod") and c.lower_ in MEDIUM_COMPOUNDS:  # "fireside" (ADJ)
            # ("public service announcement": the compound's own adjective with it)
            # (and a compound's own compound of a kind: "town hall event")
            own = [a for a in lefts(c) if a.dep_ == "amod" or a.lower_ in MEDIUM_COMPOUNDS]
            words += [a.lower_ for a in own] + [c.lower_]
    lemma = noun.lemma_.lower()
    if lemma in EVENT_NOUNS:
        # the proper nouns right before it ("Code Media" in "Vox Media's Code Media
        # conference"), not a month ("an October hearing")
        named: list[Token] = []
        for t in reversed(noun.doc[max(noun.i - 5, 0) : noun.i]):
            if t.pos_ != "PROPN" or t.ent_type_ in ("DATE", "TIME", "GPE", "NORP"):
                break
            named.insert(0, t)
        named = named if all(t.head.i <= noun.i and t.head.i >= named[0].i for t in named) else []
        if named:
            return " ".join([descriptor_text(named) or "", *words, lemma])
    return MEDIUM_PLATFORMS.get(lemma) or " ".join([*words, lemma])


# Media delivered to an audience: "a speech to the Diplomatic Academy" is heard there.
SPOKEN_TO = frozenset(
    "speech address remarks lecture testimony briefing presentation sermon".split()
)


def _media(tokens: list[Token], name: str | None, spoken: bool = False) -> str | None:
    """``name`` if it names a news outlet ("an interview with the Interfax news agency",
    "told Polygraph.info"), None if it only says who else was there or whose the medium
    is ("an interview with the FBI", "a NASA statement", "a House hearing")."""
    if not name:
        return None
    described = any(t.lemma_.lower() in OUTLET_WORDS for t in tokens)
    if described or is_print_outlet(name) or is_broadcaster(name):
        return name
    # An organisation the phrase is about ("an interview with La Vanguardia"), unless
    # it is a person's ("with Salesforce founder Marc Benioff") or an agency's acronym
    # ("with the FBI"): outlets with such names are in the lists above.
    preps = ("with", "on") if spoken else ("with", "to", "on")
    heads = [t for t in tokens if t.dep_ == "pobj" and t.head.lower_ in preps]
    org_head = any(t.ent_type_ == "ORG" for t in heads)
    acronym = name.isupper() and len(name) <= 5
    return name if org_head and not acronym else None


def _medium(noun: Token, excluded: set[int]) -> tuple[list[Token], str] | None:
    """'an interview with the Interfax news agency' -> (tokens, 'Interfax')."""
    tokens = [t for t in subtree(noun) if t.i not in excluded]
    # Only the noun phrase up to a clause that might hold the content, except a short
    # participle naming the platform ("a video posted on YouTube").
    cut: set[int] = set()
    for c in kids(noun):
        if c.dep_ in ("relcl", "acl"):
            clause = [t for t in subtree(c) if t.i not in excluded]
            short = c.dep_ == "acl" and len(clause) <= 5 and _platform(clause)
            if short:
                continue
            if c.dep_ == "acl" and c.lemma_.lower() in ("publish", "print", "air", "post"):
                # "a case study published Monday in the journal BMJ": where it appeared
                cut |= {t.i for t in subtree(c)} - {
                    t.i
                    for p in kids(c)
                    if p.dep_ == "prep" and p.lower_ in ("in", "on")
                    for t in subtree(p)
                }
                continue
            cut |= {t.i for t in subtree(c)}
    tokens = [t for t in tokens if t.i not in cut]
    if not tokens:
        return None
    # "releasing a video on YouTube": the platform may hang on the verb, not the noun.
    if noun.dep_ == "dobj":
        for c in kids(noun.head):
            if c.dep_ == "prep" and c.lower_ in ("on", "via") and c.i > noun.i:
                platform = [t for t in subtree(c) if t.i not in excluded]
                if _platform(platform):
                    tokens = tokens + platform
    after = [t for t in tokens if t.i > noun.i]
    before = [t for t in tokens if t.i < noun.i]
    event = noun.lemma_.lower() in EVENT_NOUNS
    name = (
        _platform(tokens)
        or _media(after, _outlet_in(after), noun.lemma_.lower() in SPOKEN_TO)
        or (None if event else _media(before, _outlet_in(before)))
        or _medium_name(noun)
    )
    return sorted(tokens, key=lambda t: t.i), name


def _relative_antecedent(verb: Token) -> Token | None:
    """The noun a relative clause describes: the clause's head when the parser says
    relcl, else the nearest noun before an "in which" the parser attached elsewhere."""
    if verb.dep_ in ("relcl", "acl"):
        return verb.head
    for prep in kids(verb):
        relative = prep.dep_ == "prep" and prep.i < verb.i
        if relative and any(p.lower_ in ("which", "whom") for p in kids(prep)):
            for t in reversed(verb.doc[sentence(verb).start : prep.i]):
                if is_medium(t):
                    return t
    return None


def _is_outlet(noun: Token) -> bool:
    """A named outlet: an organisation, or a proper noun described as media."""
    if noun.pos_ == "PROPN" and _known_outlet(noun):
        return True  # "told Ruptly", taken for a person
    if noun.ent_type_ in NOT_OUTLETS or noun.lower_ in WEEKDAYS or noun.ent_type_ == "PERSON":
        return any(c.lemma_.lower() in OUTLET_WORDS for c in lefts(noun))
    if noun.ent_type_ in ("ORG", "WORK_OF_ART", "PRODUCT"):
        return True
    return noun.pos_ == "PROPN" or any(c.lemma_.lower() in OUTLET_WORDS for c in lefts(noun))


def _known_outlet(token: Token) -> bool:
    """A capitalised word that names an outlet by itself ("Ruptly", "BBC")."""
    return token.text[:1].isupper() and is_outlet_name(token.text)


def _outlet_name(noun: Token, excluded: set[int]) -> tuple[list[Token], str]:
    """'public broadcaster Yle' -> Yle; 'the Kommersant daily' -> Kommersant."""
    toks = [t for t in subtree(noun) if t.i not in excluded]
    proper = [t for t in toks if t.pos_ == "PROPN" or t.ent_type_ in ("ORG", "WORK_OF_ART")]
    # A programme of an outlet is the channel: "CBS' Face the Nation", "BBC Radio
    # Four's Any Questions"
    owner = {t.i for c in kids(noun) if c.dep_ == "poss" and c.i < noun.i for t in subtree(c)}
    programme = [t for t in proper if t.i not in owner]
    if owner and programme and noun.pos_ == "PROPN":
        proper = programme
    name = descriptor_text(proper) if proper else descriptor_text(toks)
    show = _programme_after(noun)
    if show is not None:
        return toks + list(show), show.text
    return toks, organisation_name(name or noun.text)


_POSSESSIVE = frozenset(("'s", "'", "’s", "’"))


def _programme_after(outlet: Token) -> Span | None:
    """A programme the parser did not hang on its outlet: "on CBS' Face the Nation"
    (the title's words read as a clause), named by the entity recogniser."""
    doc = outlet.doc
    k = outlet.i + 1
    if k + 1 >= len(doc) or doc[k].text not in _POSSESSIVE:
        return None
    k += 1 + (doc[k + 1].is_quote if k + 1 < len(doc) else 0)
    if k >= len(doc) or doc[k].ent_iob_ != "B" or doc[k].ent_type_ != "WORK_OF_ART":
        return None
    return next((e for e in doc.ents if e.start == k), None)


def _channel_among(cue_head: Token, excluded: set[int]) -> tuple[list[Token], str] | None:
    """A channel among the cue's own dependents, the likeliest first: a medium
    ("in a statement"), a platform ("on Telegram"), an outlet ("told CNN")."""
    lemma = cue_head.lemma_.lower()
    weaker: tuple[list[Token], str] | None = None
    for c in kids(cue_head):
        if c.i in excluded:
            continue
        if c.dep_ == "prep" and c.lower_ in CHANNEL_PREPS:
            pobj = [p for p in kids(c) if p.dep_ == "pobj" and p.i not in excluded]
            if not pobj:
                continue
            noun = pobj[0]
            if is_medium(noun) and c.lower_ != "for":
                medium = _medium(noun, excluded)
                if medium:
                    return [c, *medium[0]], medium[1]
            platform = _platform([noun, *subtree(noun)])
            if platform and c.lower_ in ("on", "via", "in"):
                return [c, *[t for t in subtree(noun) if t.i not in excluded]], platform
            if (
                weaker is None
                and _is_outlet(noun)
                and (
                    c.lower_ in ("on", "in", "for")
                    or (c.lower_ == "to" and lemma in TO_OUTLET_VERBS)
                )
            ):
                toks, name = _outlet_name(noun, excluded)
                weaker = ([c, *toks], name)
        elif c.dep_ == "advmod" and lemma == "tell" and _known_outlet(c):
            return [c], c.text  # "told Ruptly", read as an adverb for its "-ly"
        elif c.dep_ in ("dobj", "dative") and lemma in ("tell", "give"):
            audience = c.lower_ in AUDIENCES or c.lemma_.lower() in AUDIENCE_NOUNS
            if audience or not _is_outlet(c):
                if is_medium(c):
                    medium = _medium(c, excluded)
                    if medium:
                        return medium
                continue
            return _outlet_name(c, excluded)
        elif c.dep_ == "dobj" and lemma in PUBLISHING_VERBS and is_medium(c):
            medium = _medium(c, excluded)
            if medium:
                return medium
        elif c.dep_ == "advcl" and c.lemma_.lower() in ("visit", "attend", "address"):
            # "Cook said while visiting Salesforce's Dreamforce conference"
            for d in kids(c):
                if d.dep_ == "dobj" and d.lemma_.lower() in EVENT_NOUNS and d.i not in excluded:
                    medium = _medium(d, excluded)
                    if medium:
                        return [c, *medium[0]], medium[1]
        elif c.dep_ == "advcl" and c.lemma_.lower() in ("speak", "talk", "write", "appear"):
            # "Speaking to the state broadcaster LNT, the minister denied ..."
            inner = _channel_among(c, excluded)
            if inner is not None:
                return inner
        elif c.dep_ == "advcl" and VERB_CHANNELS.get(c.lemma_.lower()) and c.i < cue_head.i:
            # "Tweeting in May, Lee said ...": the participle names the medium
            return [c], VERB_CHANNELS[c.lemma_.lower()]
    return weaker


def _channel_among_outlets(cue_head: Token, excluded: set[int]) -> tuple[list[Token], str] | None:
    for c in kids(cue_head):
        if c.i in excluded or c.dep_ != "prep" or c.lower_ not in ("in", "for", "on"):
            continue
        for noun in kids(c):
            if noun.dep_ == "pobj" and noun.i not in excluded and _is_outlet(noun):
                toks, name = _outlet_name(noun, excluded)
                return [c, *toks], name
    return None


def told_outlet(channel: Channel | None, cue_head: Token) -> bool:
    """The channel is an outlet the speaker told or spoke to ("told the Ledger", "said
    in an interview with the Ledger"), rather than a medium or a platform."""
    if channel is None or channel.name in MEDIUM_NOUNS or channel.name in PLATFORMS.values():
        return False
    words = channel.text.lower().split()
    return cue_head.lemma_.lower() in ("tell", "say", "speak", "talk", "write") and (
        not words
        or words[0] not in ("in", "on", "at", "during")
        or "with" in words
        or "to" in words
    )


def via_outlet(cue_head: Token, excluded: set[int]) -> tuple[list[Token], str] | None:
    """ "Richardson, via USA Today, said": the outlet it came through."""
    sent = sentence(cue_head)
    for t in sent:
        if t.lower_ != "via" or t.dep_ != "prep":
            continue
        if t.head.i != cue_head.i and not (t.head.i in excluded and t.head.head.i == cue_head.i):
            continue
        toks = subtree(t)[1:]
        orgs = [x for x in toks if x.ent_type_ == "ORG"]
        name = organisation_name(descriptor_text(orgs) or "") if orgs else _outlet_in(toks)
        if name:
            return toks, name
    return None


def _medium_after_subject(cue_head: Token, excluded: set[int]) -> tuple[list[Token], str] | None:
    """ "said executive chair Marcelo Claure in an email to staff": the parser hangs the
    medium on the name after the verb, and the source span takes it in; a medium
    phrase right after the subject's name is the statement's all the same."""
    for subject in kids(cue_head):
        if subject.dep_ != "nsubj" or subject.i < cue_head.i:
            continue
        for c in kids(subject):
            if c.dep_ != "prep" or c.lower_ not in ("in", "on", "during") or c.i < subject.i:
                continue
            noun = next((p for p in kids(c) if p.dep_ == "pobj"), None)
            if noun is not None and is_medium(noun):
                # (the phrase is inside the source span, which ``excluded`` holds)
                medium = _medium(noun, set())
                if medium:
                    return [c, *medium[0]], medium[1]
    return None


def find_channel(cue_head: Token, excluded: set[int]) -> Channel | None:
    """The channel of the statement whose cue is headed by ``cue_head``.

    ``excluded`` holds the token indices of the content and the source, which are
    never part of a channel.
    """
    doc = cue_head.doc
    found = _channel_among(cue_head, excluded)
    if found is not None and found[1] in MEDIUM_NOUNS | {"op-ed"}:
        # "wrote in an op-ed in the Redfield Courier": the outlet names it better.
        outlet = _channel_among_outlets(cue_head, excluded | {t.i for t in found[0]})
        if outlet is not None:
            found = (found[0] + outlet[0], outlet[1])
    if found is None:
        found = _medium_after_subject(cue_head, excluded)
    if found is None and cue_head.dep_ in ("advcl", "xcomp", "conj"):
        # "posted a video on Facebook accusing ...": the governing verb's medium.
        found = _channel_among(cue_head.head, excluded | subtree_indices(cue_head))
    if found is None:
        # "a video on YouTube ... in which fighters said": the antecedent is the medium.
        noun = _relative_antecedent(cue_head)
        if noun is not None and is_medium(noun):
            found = _medium(noun, excluded | subtree_indices(cue_head))
    if found is None:
        # "tweeted", or "tweeted Monday, saying ...": the verb names its medium
        for verb in (cue_head, cue_head.head if cue_head.dep_ in ("advcl", "conj") else None):
            name = VERB_CHANNELS.get(verb.lemma_.lower()) if verb is not None else None
            if name:
                span = ((verb.idx, verb.idx + len(verb)),)
                return Channel(text=verb.text, spans=span, name=name)
    if found is None:
        return None
    tokens, name = found
    tokens = sorted(tokens, key=lambda t: t.i)
    start = tokens[0].idx
    end = tokens[-1].idx + len(tokens[-1])
    text = doc_text(doc)[start:end]
    name, to = _recipient(tokens, name)
    return Channel(text=text, spans=((start, end),), name=name, to=to)


def _recipient(tokens: list[Token], name: str) -> tuple[str, str | None]:
    """(channel, recipient): "in an email to The Associated Press" is email, sent to
    the AP, which is an addressee and not the medium."""
    for t in tokens:
        if t.lemma_.lower() not in SENT_MEDIA or name == _medium_name(t):
            continue
        if any(c.lower_ == "to" and c.dep_ == "prep" for c in kids(t)):
            return _medium_name(t), name
    return name, None


# Verbs by which a medium reached a publisher: "audio obtained by the Tribune", "a 2013
# interview that the Ledger unearthed", "emails released by WikiLeaks".
OBTAINING = frozenset(
    "obtain unearth release publish leak review air broadcast find report provide share".split()
)
# Prepositions naming who was given or printed a medium: "leaked to the Ledger",
# "published in the Courier", "shared with the Tribune".
_GIVEN_TO = frozenset(("to", "in", "with"))
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def _channel_nouns(cue_head: Token, channel: Channel) -> list[Token]:
    start, end = channel.spans[0]
    span = cue_head.doc.char_span(start, end, alignment_mode="expand")
    return [t for t in span or () if is_medium(t)]


def medium_relay(cue_head: Token, channel: Channel | None) -> tuple[list[Token], str] | None:
    """The publisher a medium came through: "In a 2013 interview that the Ledger
    unearthed, Ortiz said" is relayed by the Ledger."""
    if channel is None:
        return None
    for noun in _channel_nouns(cue_head, channel):
        for clause in kids(noun):
            if clause.dep_ not in ("relcl", "acl") or clause.lemma_.lower() not in OBTAINING:
                continue
            found = obtained_by(clause)
            if found is not None:
                return found
    return None


def obtained_by(verb: Token) -> tuple[list[Token], str] | None:
    """Who obtained or published something: the subject of "that the Ledger unearthed",
    the agent of "obtained by the Tribune"."""
    for c in kids(verb):
        if c.dep_ == "nsubj" and c.lower_ not in ("that", "which", "who"):
            return _not_own(_outlet_name(c, set()))
        given = c.dep_ == "prep" and c.lower_ in _GIVEN_TO and verb.lemma_ != "report"
        if c.dep_ == "agent" or given:
            pobj = [p for p in kids(c) if p.dep_ == "pobj"]
            if pobj:
                return _not_own(_outlet_name(pobj[0], set()))
    return None


def _not_own(found: tuple[list[Token], str]) -> tuple[list[Token], str] | None:
    """None for the article's own outlet, "this newspaper", "our reporters"."""
    first = found[0][0].lower_ if found[0] else ""
    return None if first in ("this", "our") else found


def medium_year(cue_head: Token, channel: Channel | None) -> Token | None:
    """The year a medium gives the statement: "a 2013 interview" -> 2013."""
    if channel is None:
        return None
    for noun in _channel_nouns(cue_head, channel):
        for c in kids(noun):
            if c.i < noun.i and _YEAR.match(c.text):
                return c
    return None


# Words by which an article points back to an outlet it named: "told the paper".
OUTLET_ANAPHORS = frozenset(
    "paper newspaper outlet publication station network site website magazine broadcaster".split()
)


def outlet_named_before(channel: Channel | None, outlets: list[tuple[int, str]]) -> Channel | None:
    """ "told the paper", "claimed to the outlet": the outlet the article last named
    before (``outlets``: (offset, name) of the news outlets it names, in order)."""
    if channel is None or channel.name not in OUTLET_ANAPHORS:
        return channel
    words = channel.text.lower().split()
    if "the" not in words[:3]:
        return channel
    start = channel.spans[0][0]
    named = [name for offset, name in outlets if offset < start]
    if not named:
        return channel
    # (the fullest form the article gave it: "the Chronicle" after "The San Francisco
    # Chronicle")
    fullest = max((n for n in named if same_outlet(n, named[-1])), key=len)
    return replace(channel, name=organisation_name(fullest))
