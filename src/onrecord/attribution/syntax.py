"""Dependency-parse helpers shared by the detectors: token sets to character spans,
subjects, and the parts of a cue phrase.  Pure functions over spaCy tokens."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from ..records import Offsets

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# Dependents of a cue verb that belong to the cue phrase ("has not yet said", "pointed out").
CUE_PHRASE_DEPS = ("aux", "auxpass", "neg", "prt")
# Adverbs that sit inside a cue phrase ("also said", "repeatedly warned"); wh-words and
# discourse connectives ("however", "when") stay out.
CUE_ADVERBS = frozenset(
    """also repeatedly first previously further immediately later then often openly
    privately publicly again recently still even now long only already once reportedly
    initially subsequently explicitly flatly falsely wrongly rightly bluntly simply never
    frequently consistently quickly quietly loudly emphatically angrily""".split()
)
_EDGE_PUNCT = set(" \t\n\r,;:—–-")


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once: spaCy rebuilds the string on every access."""
    text = doc.user_data.get("onrecord_text")
    if text is None:
        text = doc.user_data["onrecord_text"] = doc.text
    return text


def sentence(token: Token) -> Span:
    """``token.sent`` in constant time: spaCy's walks the whole document each call."""
    doc = token.doc
    index = doc.user_data.get("onrecord_sents")
    if index is None:
        sents = list(doc.sents)
        owner = [0] * len(doc)
        for k, sent in enumerate(sents):
            for i in range(sent.start, sent.end):
                owner[i] = k
        index = doc.user_data["onrecord_sents"] = (sents, owner)
    sents, owner = index
    return sents[owner[token.i]]


def fragments(doc: Doc, indices: Iterable[int], trim: bool = True) -> tuple[Offsets, ...]:
    """Character spans covering the given token indices, one per contiguous run,
    with punctuation and spaces trimmed at the ends of each run (unless ``trim`` is
    False: a cue may be punctuation itself, the colon of "Kadyrov: ...")."""
    idx = sorted(set(indices))
    if not idx:
        return ()
    runs: list[list[int]] = [[idx[0]]]
    for i in idx[1:]:
        if i == runs[-1][-1] + 1 or all(doc[j].is_space for j in range(runs[-1][-1] + 1, i)):
            runs[-1].append(i)
        else:
            runs.append([i])
    out = []
    text = doc_text(doc)
    for run in runs:
        s = doc[run[0]].idx
        e = doc[run[-1]].idx + len(doc[run[-1]].text)
        while trim and s < e and text[s] in _EDGE_PUNCT:
            s += 1
        while trim and e > s and text[e - 1] in _EDGE_PUNCT:
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)


def subtree_indices(token: Token, exclude: Iterable[Token] = ()) -> set[int]:
    """Indices of a token's subtree, minus the subtrees of ``exclude`` tokens."""
    out = {t.i for t in token.subtree}
    for x in exclude:
        out -= {t.i for t in x.subtree}
    return out


def children(token: Token, *deps: str) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def subject_of(verb: Token, depth: int = 3) -> Token | None:
    """The grammatical subject of a verb, following coordination, participles and
    control verbs ("He stood and said", "..., saying that", "declined to say")."""
    for _ in range(depth):
        subj = children(verb, *SUBJECT_DEPS)
        if subj:
            # Two subjects means the parser took a dateline for one ("MOSCOW, March 11 —
            # Deputy Minister Voronin warned"): the one nearest the verb is the speaker.
            return min(subj, key=lambda t: abs(verb.i - t.i))
        if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
            verb = verb.head
            continue
        return None
    return None


def cue_phrase(head: Token) -> set[int]:
    """The token indices of a cue phrase around its head ("has also said")."""
    out = {head.i}
    for c in head.children:
        if (
            c.dep_ in CUE_PHRASE_DEPS
            or c.dep_ == "advmod"
            and c.lower_ in CUE_ADVERBS
            and c.i < head.i
        ):
            out.add(c.i)
    # Keep the phrase contiguous around the head: an aux far to the left of the subject
    # ("Did Trump say") still counts, but only the run adjacent to the head is taken.
    ordered = sorted(out)
    pos = ordered.index(head.i)
    keep = {head.i}
    for i in reversed(ordered[:pos]):
        if all(j in out or head.doc[j].is_space for j in range(i + 1, min(keep))):
            keep.add(i)
    for i in ordered[pos + 1 :]:
        if all(j in out for j in range(max(keep) + 1, i)):
            keep.add(i)
    return keep
