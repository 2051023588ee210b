"""The cue lexicon: how likely a word, used in a given frame, introduces an attribution.

Two sources, merged at load time:

* ``data/reporting_verbs.txt`` — a hand-written list of reporting verbs and nouns in
  classes (speech, belief, evidence, ...), the knowledge any reader of news has.
* ``data/cue_counts.tsv`` — counts made by ``onrecord build-lexicon`` over a corpus with
  gold attributions (PolNeAR train): for each (lemma, part of speech, frame), how often it
  occurs and how often it heads a gold cue.  Only lemmas and numbers are stored, no text.

Those two in ``data/`` are the rule-based detector's.  A trained model keeps its own
pair in its weights folder (the list it was trained with and the counts ``onrecord
train`` made), so editing the package's list never changes a trained model's inputs.

A *frame* is the syntactic shape around the word — ``ccomp`` (takes a clause: "said
that ..."), ``quote`` (next to a quotation), ``xcomp``, ``dobj``, ``prep:<word>``,
``clause`` (a noun with a that-clause), ``none`` — because "called" heads a cue when it
takes a clause or an object ("called it a disgrace") and not when it means "phoned".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

# Pseudo-counts: how many observations a frame-specific estimate needs before it
# outweighs the lemma-wide one, and the lemma-wide one before it outweighs the prior.
FRAME_STRENGTH = 3.0
LEMMA_STRENGTH = 2.0
# Prior probability by hand-lexicon class for words the counts have not seen.
CLASS_PRIOR = {"speech": 0.75, "belief": 0.55, "evidence": 0.5, "stance": 0.35, "noun": 0.5}
# Frames in which a word that only the hand lexicon knows may still be a cue.
CLAUSAL_FRAMES = ("ccomp", "quote", "clause")


@dataclass(frozen=True)
class Counts:
    total: int
    cue: int


class CueLexicon:
    def __init__(
        self,
        counts: dict[tuple[str, str, str], Counts],
        classes: dict[str, str],
    ) -> None:
        self.counts = counts
        self.classes = classes
        by_lemma: dict[tuple[str, str], list[int]] = {}
        for (lemma, pos, _frame), c in counts.items():
            acc = by_lemma.setdefault((lemma, pos), [0, 0])
            acc[0] += c.total
            acc[1] += c.cue
        self.by_lemma = {k: Counts(t, q) for k, (t, q) in by_lemma.items()}

    def prior(self, lemma: str, frame: str) -> float:
        cls = self.classes.get(lemma)
        if cls is None:
            return 0.0
        base = CLASS_PRIOR.get(cls, 0.4)
        return base if frame in CLAUSAL_FRAMES else base * 0.4

    def probability(self, lemma: str, pos: str, frame: str) -> float:
        """P(this word heads a cue | lemma, part of speech, frame), smoothed."""
        prior = self.prior(lemma, frame)
        whole = self.by_lemma.get((lemma, pos))
        p_lemma = prior
        if whole is not None:
            p_lemma = (whole.cue + LEMMA_STRENGTH * prior) / (whole.total + LEMMA_STRENGTH)
        framed = self.counts.get((lemma, pos, frame))
        if framed is None:
            # Unseen in this frame: the lemma-wide rate, damped unless the frame is one
            # that reporting verbs typically take.
            return p_lemma if frame in CLAUSAL_FRAMES else p_lemma * 0.5
        return (framed.cue + FRAME_STRENGTH * p_lemma) / (framed.total + FRAME_STRENGTH)

    def says(self, lemma: str) -> bool:
        """The verb is one of saying, thinking or judging: listed by hand, or a cue
        at least once in twenty uses in the counted corpus ("block" and "tip" are
        not: "blocked a shot" is a thing done)."""
        if lemma in self.classes:
            return True
        seen = self.by_lemma.get((lemma, "VERB"))
        return seen is not None and seen.cue * 20 >= seen.total and seen.cue > 0

    def knows(self, lemma: str, pos: str) -> bool:
        return lemma in self.classes or (lemma, pos) in self.by_lemma


# The file names of the two sources, in ``data/`` and in a model's weights folder.
CLASSES_FILE = "reporting_verbs.txt"
COUNTS_FILE = "cue_counts.tsv"


def shipped(name: str) -> Traversable:
    """One of the rule-based detector's sources in the package's ``data/``."""
    return resources.files("onrecord.attribution").joinpath(f"data/{name}")


def parse_classes(text: str) -> dict[str, str]:
    """lemma -> class from a list in ``reporting_verbs.txt``'s format (``[class]``
    lines, then lemmas separated by spaces; a lemma listed twice keeps its first class)."""
    classes: dict[str, str] = {}
    cls = "speech"
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            cls = line[1:-1]
            continue
        for word in line.split():
            classes.setdefault(word, cls)
    return classes


def read_classes(path: Path | Traversable) -> dict[str, str]:
    """The classes of a ``reporting_verbs.txt`` file (see :func:`parse_classes`)."""
    return parse_classes(path.read_text(encoding="utf-8"))


def read_counts(path: Path | Traversable) -> dict[tuple[str, str, str], Counts]:
    """The table ``onrecord build-lexicon`` writes: (lemma, pos, frame) -> Counts."""
    counts: dict[tuple[str, str, str], Counts] = {}
    if not path.is_file():
        return counts
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        lemma, pos, frame, total, cue = line.split("\t")
        counts[(lemma, pos, frame)] = Counts(int(total), int(cue))
    return counts


@lru_cache(maxsize=1)
def default_lexicon() -> CueLexicon:
    """The rule-based detector's lexicon: the package's list and counts."""
    return CueLexicon(read_counts(shipped(COUNTS_FILE)), read_classes(shipped(CLASSES_FILE)))
