"""How extraction time and memory grow with an article's length, on adversarial shapes.

    .venv/bin/python benchmarks/scaling.py [--sizes 16000,64000,256000] [--shapes a,b]
        [--detector model|rules] [--time-limit S] [--runs N] [--no-memory] [--json]

Every shape is text written for this benchmark from a few repeated pieces (one giant
sentence without punctuation, thousands of quotation marks of every style, a relay chain
"A said that B said that ...", runs of brackets, ...), cut to each size in characters.
For each size it prints the CPU seconds of the whole extraction (parse, detection,
enrichment; one thread; ``--runs N``: detection and enrichment the median of N runs on
one parse) and the peak memory Python allocated during it (tracemalloc, a second run),
and the growth factor of the time against the previous size: with time in proportion
to the length, the factor is the size ratio (4 by default).  tests/test_scaling.py runs
it for its time bounds.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from collections.abc import Callable  # noqa: E402

FIRST = "Anna Ida Paul Dana Omar Ines Tomas Keiko Luis Maren Felix Rosa Ivan Nora".split()
LAST = "Lindqvist Reyes Whitfield Haddad Varga Berg Sato Ortega Holm Castellanos".split()
WORDS = (
    "the council would review the harbour plan before winter and the mayor argued that "
    "residents deserved better roads while officials warned about the cost"
).split()
MARKS = "\"'“”‘’«»‹›„‚"


def _name(k: int) -> str:
    """A person's name; a few hundred distinct ones before they repeat."""
    return f"{FIRST[k % len(FIRST)]} {LAST[(k // len(FIRST)) % len(LAST)]}"


def _fill(piece: Callable[[int], str], n: int) -> str:
    out, size = [], 0
    for k in itertools.count():
        p = piece(k)
        out.append(p)
        size += len(p)
        if size >= n:
            break
    return "".join(out)[:n]


def sentence(n: int) -> str:
    """One sentence of words, names and cues, no punctuation, no line break."""
    return _fill(lambda k: f"{_name(k)} said " if k % 7 == 0 else WORDS[k % len(WORDS)] + " ", n)


def paragraph(n: int) -> str:
    """Ordinary sentences, all in one paragraph."""
    return _fill(lambda k: f"{_name(k)} said the plan would cost {k} crowns. ", n)


def quotes(n: int) -> str:
    """Balanced quotations of every style, each with its attribution, in one paragraph."""
    styles = ('"{}"', "“{}”", "‘{}’", "«{}»", "'{}'", "„{}“", "‹{}›", "''{}''", "``{}''")
    return _fill(
        lambda k: (
            styles[k % len(styles)].format("We will not raise taxes,") + f" {_name(k)} said. "
        ),
        n,
    )


def unbalanced(n: int) -> str:
    """Quotation marks of every kind that open and never close, or close unopened."""
    return _fill(lambda k: f"{MARKS[k % len(MARKS)]}word{k} said ", n)


def nested(n: int) -> str:
    """Quotations inside quotations inside quotations."""
    return _fill(
        lambda k: f'“He told me ‘they said "no" to «this» twice’ again,” {_name(k)} said. ', n
    )


def quote_paragraphs(n: int) -> str:
    """One quotation reopened at every paragraph and never closed."""
    return _fill(lambda k: f"“We will build it, paragraph {k} of it,\n\n", n)


def colons(n: int) -> str:
    """A colon after a name at the start of every line (a transcript)."""
    return _fill(lambda k: f"{_name(k).upper()}: We will build the road this year.\n", n)


def colon_line(n: int) -> str:
    """Names and colons, thousands of them on one line."""
    return _fill(lambda k: f"{_name(k)}: ", n)


def dashes(n: int) -> str:
    """Dashes of every kind, and quotations signed with one."""
    return _fill(lambda k: ["— ", "– ", "-- ", "―", f"“Fine.” ― {_name(k)}\n"][k % 5], n)


def names(n: int) -> str:
    """A list of hundreds of different names."""
    return _fill(lambda k: f"{_name(k)}, ", n)


def capitals(n: int) -> str:
    """Capitalised words without punctuation: one entity as long as the text."""
    return _fill(lambda k: f"{FIRST[k % len(FIRST)]} {LAST[k % len(LAST)]} ", n)


def organisations(n: int) -> str:
    """Organisations named by ever longer names, and "the bank" / "it" saying things."""
    return _fill(
        lambda k: (
            f"The {' '.join(LAST[: 1 + k % 6])} Harbour Bank said it would act. "
            f"The bank said so. It said more.\n"
        ),
        n,
    )


def cues(n: int) -> str:
    """The same cue word, over and over."""
    return _fill(lambda k: "said ", n)


def short_lines(n: int) -> str:
    """Thousands of tiny paragraphs."""
    return _fill(lambda k: "He said.\n" if k % 2 else "x\n", n)


def relay(n: int) -> str:
    """A relay chain: "A said that B said that C said that ..."."""
    return _fill(lambda k: f"{_name(k)} said that ", n)


def hearsay(n: int) -> str:
    """Passive hearsay, chained: "A was quoted as saying that B was cited as saying ..."."""
    return _fill(
        lambda k: f"{_name(k)} was {('quoted', 'cited')[k % 2]} by Interfax as saying that ", n
    )


def pronouns(n: int) -> str:
    """Pronouns speaking, every so often after a name."""
    return _fill(
        lambda k: (
            ["He said it would.", "She said so.", "It said no.", "They said yes.", ""][k % 5]
            + (f" {_name(k)} said it was fine.\n" if k % 5 == 4 else " ")
        ),
        n,
    )


def according(n: int) -> str:
    """ "According to X, ..." over and over in one paragraph."""
    return _fill(lambda k: f"According to {_name(k)}, the plan would work, ", n)


def brackets(n: int) -> str:
    """Runs of brackets and quotation marks without spaces (hard for the tokenizer)."""
    return _fill(lambda k: "(" * 300 + "x" + ")" * 300 + " " + '"' * 200 + " said ", n)


def long_word(n: int) -> str:
    """One word as long as the text."""
    return "x" * n


def spaces(n: int) -> str:
    """Runs of spaces, tabs and line breaks between a few words."""
    return _fill(lambda k: "said" + " \t\n" * (k % 50) + "\n" * (k % 7), n)


def symbols(n: int) -> str:
    """Control characters, emoji, combining marks, right-to-left text, odd spaces."""
    return _fill(
        lambda k: (
            f"{_name(k)} said \u202eyes\u202c, \x07\x0b\x1c «ok» 👍🏽 e\u0301 "
            "\u00a0\u2009\u200b\u3000 ﷺ שלום 'tis\n"
        ),
        n,
    )


SHAPES: dict[str, Callable[[int], str]] = {
    f.__name__: f
    for f in (
        sentence,
        paragraph,
        quotes,
        unbalanced,
        nested,
        quote_paragraphs,
        colons,
        colon_line,
        dashes,
        names,
        capitals,
        organisations,
        cues,
        short_lines,
        relay,
        hearsay,
        pronouns,
        according,
        brackets,
        long_word,
        spaces,
        symbols,
    )
}


def measure(extractor, text: str, memory: bool = True, runs: int = 1) -> tuple[float, float | None]:
    """CPU seconds of one extraction of ``text`` (the parse, then detection and
    enrichment, the median of ``runs`` runs on that parse), and the peak MB Python
    allocated during a second whole extraction (None without ``memory``).  Raises
    TimeLimitExceeded when the extractor's time limit runs out."""
    from onrecord import nlp
    from onrecord.enrich import enrich
    from onrecord.pipeline import _masked
    from onrecord.records import Article

    article = Article(text=text)
    with nlp.time_limit(extractor.time_limit):
        t0 = time.process_time()
        doc = nlp.parse(_masked(article))
        parse = time.process_time() - t0
        rest = []
        for _ in range(runs):
            doc.user_data.clear()  # (onrecord's indexes of the Doc, built again)
            t0 = time.process_time()
            enrich(doc, article, extractor.detector.detect(doc, article))
            rest.append(time.process_time() - t0)
    seconds = parse + statistics.median(rest)
    peak = None
    if memory:
        tracemalloc.start()
        try:
            extractor.extract(article)
            peak = tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="16000,64000,256000")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--detector", default="model")
    parser.add_argument("--time-limit", type=float, default=0, help="seconds (0: none)")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument(
        "--runs", type=int, default=1, help="median of this many detection runs per size"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    shapes = args.shapes.split(",")
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown:
        parser.error(f"unknown shapes: {', '.join(unknown)} (known: {', '.join(SHAPES)})")

    from onrecord.nlp import TimeLimitExceeded
    from onrecord.pipeline import Extractor

    extractor = Extractor(detector=args.detector, time_limit=args.time_limit or None)
    measure(extractor, "Officials said on Monday that the plan would work.", memory=False)
    rows = []
    if not args.json:
        print(f"detector {args.detector}, one thread; CPU seconds and peak MB (tracemalloc)")
        print(f"{'shape':<17}" + "".join(f"{n:>22,}" for n in sizes))
    for name in shapes:
        row = {"shape": name, "sizes": sizes, "seconds": [], "peak_mb": []}
        for n in sizes:
            try:
                seconds, peak = measure(
                    extractor, SHAPES[name](n), memory=not args.no_memory, runs=args.runs
                )
            except TimeLimitExceeded:
                seconds, peak = None, None
            row["seconds"].append(None if seconds is None else round(seconds, 3))
            row["peak_mb"].append(None if peak is None else round(peak, 1))
        rows.append(row)
        if not args.json:
            cells = []
            for k in range(len(sizes)):
                s, m = row["seconds"][k], row["peak_mb"][k]
                if s is None:
                    cells.append(f"{'over the limit':>22}")
                    continue
                cell = f"{s:7.2f}s" + (f" {m:7.1f}MB" if m is not None else "")
                prev = row["seconds"][k - 1] if k else None
                growth = f" ×{s / prev:4.1f}" if prev else "      "
                cells.append(f"{cell + growth:>22}")
            print(f"{name:<17}" + "".join(cells), flush=True)
    if args.json:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
