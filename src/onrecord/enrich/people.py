"""People the entity recogniser mislabels, put right before speakers are resolved.

The small English model often reads a name as part of something else: "envoy to
Ukraine Kurt Volker" as one organisation, and then every later "Volker" as an
organisation too, so "Volker said" is never joined to the man.  Two repairs, both from
evidence in the article itself:

* a given name (names.first_names) followed by one to three capitalised words, at the
  end of an entity that is not a person, splits off as a person ("Ukraine" + "Kurt
  Volker"), unless its last word says organisation ("Dick Clark Productions", which
  is an organisation even where the recogniser says person);
* two or three capitalised words after a word for a person ("executive chair Marcelo
  Claure") are a person, whatever the recogniser said;
* the recogniser's people in a headline are dropped: it capitalises every word
  ("Netanyahu to Meet Trump" would give a "Meet Trump");
* a given name and the capitalised words after it that the recogniser left outside
  every entity are a person ("Deputy Director of Public Prosecution Eva-Marie
  Persson");
* one to three capitalised words followed by ", who" are a person ("Montell Figgins,
  who represents Thomas"): companies are "which";
* a one-word "person" the article labels an organisation twice (or as often), and never
  gives a given name, is that organisation ("Instagram");
* a one-word entity that is not a person but is the surname of a person the article
  names in full becomes that person ("Volker"), and a short name that is not a person
  but ends in a surname the article gives a person ("Montell Figgins" beside "Figgins
  said") is that person.

Surnames are compared without generational suffixes: "Kennedy" is "James P. Kennedy
Jr.".
"""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..attribution.intervals import capitalised_as_headline, lines
from ..names import ORG_TAILS, first_names, is_title_word, surname

# Entity labels a name may hide in.
_RELABEL = frozenset("ORG GPE NORP FAC LOC PRODUCT WORK_OF_ART EVENT".split())


def _person_tail(ent: Span) -> int | None:
    """Where a person's name starts at the end of ``ent`` (a token index), if it does."""
    names = first_names()
    last = ent[-1].lower_
    if last in ORG_TAILS or not ent[-1].text[:1].isupper():
        return None
    for k in range(max(len(ent) - 4, 0), len(ent) - 1):
        t = ent[k]
        if t.lower_ in names and t.text[:1].isupper():
            rest = ent[k + 1 :]
            if all(w.text[:1].isupper() or w.text == "." for w in rest):
                # "Eva-Marie": the first half of a hyphenated given name goes with it
                while k >= 2 and ent[k - 1].text == "-" and not ent[k - 2].whitespace_:
                    k -= 2
                return ent.start + k
    return None


def _hyphen_before(ent: Span) -> bool:
    """A capitalised word and a hyphen, with no space between, right before ``ent``."""
    doc = ent.doc
    if ent.start < 2:
        return False
    hyphen, first = doc[ent.start - 1], doc[ent.start - 2]
    joined = not hyphen.whitespace_ and not first.whitespace_
    return hyphen.text == "-" and joined and first.text[:1].isupper() and not first.ent_type_


def _titled(ent: Span) -> bool:
    """Two or three capitalised words right after a word for a person: "executive
    chair Marcelo Claure", "Superintendent Jennifer McCormick"."""
    if not 2 <= len(ent) <= 3 or ent.start == 0 or ent[-1].lower_ in ORG_TAILS:
        return False
    if not all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in ent):
        return False
    return is_title_word(ent.doc[ent.start - 1].text)


def _who_follows(ent: Span) -> bool:
    """A short proper name followed by ", who": "Montell Figgins, who represents ..."."""
    doc = ent.doc
    if not 1 <= len(ent) <= 3 or ent[-1].lower_ in ORG_TAILS or ent.end + 1 >= len(doc):
        return False
    if not all(t.pos_ == "PROPN" and t.text[:1].isupper() and not t.is_upper for t in ent):
        return False  # (an acronym, "NATO, who", is an organisation written loosely)
    return doc[ent.end].text == "," and doc[ent.end + 1].lower_ == "who"


def _unlabelled_runs(doc: Doc) -> list[Span]:
    """Runs of capitalised proper nouns outside every entity (a hyphen between two
    halves of a word kept): "Public Prosecution Eva-Marie Persson", which the
    recogniser left unlabelled after a title."""
    runs: list[Span] = []
    start = None
    for t in doc:
        joined = t.text == "-" and not t.whitespace_ and t.i > 0 and not doc[t.i - 1].whitespace_
        inside = not t.ent_type_ and (
            (t.pos_ == "PROPN" and t.text[:1].isupper()) or (joined and start is not None)
        )
        if inside and start is None:
            start = t.i
        elif not inside and start is not None:
            runs.append(doc[start : t.i])
            start = None
    if start is not None:
        runs.append(doc[start:])
    return runs


def in_headline(doc: Doc, span: Span) -> bool:
    """The line holding ``span`` is short and capitalises nearly every word, as a
    headline does."""
    index = lines(doc.text)
    start, end = index.line_start(span.start_char), index.line_end(span.start_char)
    return capitalised_as_headline(doc.text[start:end])


def repair_people(doc: Doc) -> None:
    """Relabel in ``doc.ents`` the people the recogniser took for something else."""
    ents = list(doc.ents)
    fixed: list[Span] = []
    changed = False
    for run in _unlabelled_runs(doc):
        if in_headline(doc, run):
            continue  # a headline capitalises every word: "... Lindsey Graham Endorsement"
        start = _person_tail(run) if len(run) >= 2 else None
        if start is not None:
            ents.append(Span(doc, start, run.end, label="PERSON"))
            changed = True
    ents.sort(key=lambda e: e.start)
    # A headline capitalises every word, so the recogniser's people in it are guesses
    # ("Netanyahu to Meet Trump" gives a "Meet Trump"): the body names them properly.
    headline = [e for e in ents if e.label_ == "PERSON" and in_headline(doc, e)]
    if headline:
        ents = [e for e in ents if e not in headline]
        changed = True
    for e in ents:
        if e.label_ == "PERSON" and _hyphen_before(e):
            # "Eva-Marie Persson" read as "Marie Persson": the first half of the name
            e = Span(doc, e.start - 2, e.end, label="PERSON")
            changed = True
        if e.label_ == "PERSON" and e[-1].lower_ in ORG_TAILS:
            # "Dick Clark Productions" is a company, whatever the given name says
            fixed.append(Span(doc, e.start, e.end, label="ORG"))
            changed = True
            continue
        start = _person_tail(e) if e.label_ in _RELABEL else None
        if start is None and e.label_ in _RELABEL and (_titled(e) or _who_follows(e)):
            start = e.start
        if start is None:
            fixed.append(e)
            continue
        changed = True
        if start > e.start:
            fixed.append(Span(doc, e.start, start, label=e.label_))
        fixed.append(Span(doc, start, e.end, label="PERSON"))
    surnames = {surname(e.text.strip()) for e in fixed if e.label_ == "PERSON" and len(e) > 1}
    surnames.discard("")
    given_in_full = set(surnames)
    # Surnames the article also uses alone for a person ("Figgins said"): a one-word
    # entity with one is that person, and so is a two- or three-word name ending in one
    # ("Montell Figgins", taken for an organisation).
    surnames |= {e.text for e in fixed if e.label_ == "PERSON" and len(e) == 1}
    # A one-word "person" the article names as an organisation twice (or as often),
    # and never with a given name, is that organisation ("a spokesperson for
    # Instagram" ... "Instagram said").
    as_org = Counter(e.text for e in fixed if len(e) == 1 and e.label_ == "ORG")
    as_person = Counter(e.text for e in fixed if len(e) == 1 and e.label_ == "PERSON")
    organisations = {
        text for text in as_person if as_org[text] >= min(2, as_person[text])
    } - given_in_full
    surnames -= organisations
    out = []
    for e in fixed:
        if e.label_ == "PERSON" and len(e) == 1 and e.text in organisations:
            out.append(Span(doc, e.start, e.end, label="ORG"))
            changed = True
            continue
        named = len(e) == 1 or (
            len(e) <= 3 and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in e)
        )
        if e.label_ in _RELABEL and named and e[-1].text in surnames and not in_headline(doc, e):
            e = Span(doc, e.start, e.end, label="PERSON")
            changed = True
        out.append(e)
    if changed:
        doc.ents = filter_spans(out)
        # syntax.entities() keeps its own index of the entities: rebuild it
        doc.user_data.pop("onrecord_ents", None)
