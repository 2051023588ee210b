"""Gold attribution relations from a brat standoff corpus laid out like PolNeAR.

Layout: ``GOLD_DIR/text/<stem>.txt`` and ``GOLD_DIR/attributions/<stem>_<annotator>.ann``
(or ``<stem>.ann``); a flat folder holding both the ``.txt`` and the ``.ann`` files works
too.  One annotator is read per article: the alphabetically first id among its ``.ann``
files (a plain ``<stem>.ann`` comes first), or every one of them with
``load_gold(..., every_annotator=True)``.  An article with no ``.ann`` has no gold
relations and is still scored.

In an ``.ann`` file, a line matching ``^[TE#AR]\\d*\\t`` starts an entry; any other line
continues the previous one (a ``T`` surface string may contain a newline):

    T12	Content 302 427;430 455	surface string
    E4	Attribution:T15 Cue:T14 Source:T13 Content:T12

``E`` entries (``Attribution`` or ``Attribution-no-source``) are the relations; their
first argument is a trigger that only repeats the cue and is ignored.  Roles ``Source``,
``Cue`` and ``Content`` give the spans; a numbered role (``Content2``) adds fragments to
its role.  A relation with no content is skipped (and counted).  Offsets are Python
``str`` character offsets into the UTF-8 text, read exactly as stored (no newline
translation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .metrics import Relation, Span, normalise

_ENTRY = re.compile(r"^[TE#AR]\d*\t")
_ROLE = re.compile(r"^(Source|Cue|Content)\d*$")


@dataclass(frozen=True)
class GoldRelation(Relation):
    """One gold relation; ``id`` is its ``E`` id in the ``.ann`` file."""

    id: str = ""


@dataclass(frozen=True)
class GoldDocument:
    stem: str
    path: str  # the .txt file
    text: str
    relations: tuple[GoldRelation, ...] = ()
    ann_path: str | None = None  # the .ann file read, None when there is none
    annotator: str | None = None
    skipped: int = 0  # E entries with no content
    # Things that looked wrong but did not stop the reading (a surface string that
    # differs from the text at its offsets).
    warnings: tuple[str, ...] = field(default=())


def _decode(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {(exc.strerror or str(exc)).lower()}", str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 (invalid byte at offset {exc.start})", str(path)) from None


def _entries(content: str) -> list[tuple[int, str]]:
    """(line number, entry) pairs; continuation lines are joined with a newline."""
    entries: list[tuple[int, str]] = []
    lines = content.split("\n")
    if lines and not lines[-1]:
        lines.pop()  # the newline that ends the file ends the last entry, not its surface
    for number, line in enumerate(lines, start=1):
        line = line.removesuffix("\r")
        if _ENTRY.match(line):
            entries.append((number, line))
        elif entries:
            entries[-1] = (entries[-1][0], entries[-1][1] + "\n" + line)
        elif line.strip():
            raise InputError(f"line {number}: not a brat entry: {line[:40]!r}")
    return entries


def parse_ann(content: str, text: str | None = None) -> tuple[list[GoldRelation], int, list[str]]:
    """The relations of one ``.ann`` file: ``(relations, skipped, warnings)``.

    With ``text``, offsets are checked against it (out of range is an error; a surface
    string that differs from the text is a warning).  Raises :class:`InputError` (without
    a source) for a malformed entry.
    """
    spans: dict[str, Span] = {}
    events: list[tuple[int, str, list[str]]] = []
    warnings: list[str] = []
    for number, entry in _entries(content):
        key, _, rest = entry.partition("\t")
        if key.startswith("T"):
            info, _, surface = rest.partition("\t")
            label, _, offsets = info.partition(" ")
            try:
                fragments = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]
                if not fragments or any(len(f) != 2 or f[0] > f[1] for f in fragments):
                    raise ValueError
            except ValueError:
                raise InputError(f"line {number}: bad offsets in {key}: {info!r}") from None
            if text is not None:
                if any(e > len(text) for _, e in fragments):
                    raise InputError(
                        f"line {number}: {key} ends past the text ({len(text)} characters)"
                    )
                if surface and " ".join(text[s:e] for s, e in fragments) != surface:
                    warnings.append(f"{key}: surface string differs from the text")
            spans[key] = normalise(fragments)
        elif key.startswith("E"):
            events.append((number, key, rest.split()))
    relations: list[GoldRelation] = []
    skipped = 0
    for number, key, args in events:
        roles: dict[str, list] = {"source": [], "cue": [], "content": []}
        for arg in args[1:]:  # args[0] is the trigger
            role, _, target = arg.partition(":")
            found = _ROLE.match(role)
            if not found:
                continue
            if target not in spans:
                raise InputError(f"line {number}: {key} refers to a missing entry {target!r}")
            roles[found.group(1).lower()].extend(spans[target])
        if not roles["content"]:
            skipped += 1
            continue
        relations.append(
            GoldRelation(
                source=normalise(roles["source"]),
                cue=normalise(roles["cue"]),
                content=normalise(roles["content"]),
                id=key,
            )
        )
    return relations, skipped, warnings


def _layout(gold_dir: Path) -> tuple[Path, Path]:
    if not gold_dir.exists():
        raise InputError("no such folder", str(gold_dir))
    if not gold_dir.is_dir():
        raise InputError("not a folder", str(gold_dir))
    text_dir, ann_dir = gold_dir / "text", gold_dir / "attributions"
    if text_dir.is_dir() and ann_dir.is_dir():
        return text_dir, ann_dir
    if any(gold_dir.glob("*.txt")) and any(gold_dir.glob("*.ann")):
        return gold_dir, gold_dir
    raise InputError(
        "not a brat gold folder (expected text/*.txt and attributions/*.ann, "
        "or .txt and .ann files side by side)",
        str(gold_dir),
    )


def _annotations(ann_dir: Path, stems: set[str]) -> dict[str, list[tuple[str, Path]]]:
    """stem -> its (annotator id, .ann path) pairs, alphabetically by annotator."""
    found: dict[str, list[tuple[str, Path]]] = {}
    for path in sorted(ann_dir.glob("*.ann")):
        name = path.stem
        if name in stems:
            stem, annotator = name, ""
        else:
            stem, _, annotator = name.rpartition("_")
            if stem not in stems:
                continue
        found.setdefault(stem, []).append((annotator, path))
    return {stem: sorted(pairs) for stem, pairs in found.items()}


def load_gold(gold_dir: str | Path, every_annotator: bool = False) -> list[GoldDocument]:
    """Every article of a brat gold folder with its relations, sorted by stem.

    One document per article, read from its alphabetically first annotator; with
    ``every_annotator=True``, one document per article and annotator (sorted by stem,
    then annotator), for measuring how far annotators agree.  Raises
    :class:`InputError` naming the folder or file for a folder not in the brat layout,
    an unreadable text or a malformed ``.ann`` file.
    """
    gold_dir = Path(gold_dir)
    text_dir, ann_dir = _layout(gold_dir)
    texts = {p.stem: p for p in text_dir.glob("*.txt") if p.is_file()}
    if not texts:
        raise InputError("no .txt files", str(text_dir))
    annotated = _annotations(ann_dir, set(texts))
    documents = []
    for stem in sorted(texts):
        text = _decode(texts[stem])
        readings: list[tuple[str | None, Path | None]] = annotated.get(stem) or [(None, None)]
        for annotator, ann_path in readings if every_annotator else readings[:1]:
            documents.append(_document(stem, texts[stem], text, annotator, ann_path))
    return documents


def _document(
    stem: str, path: Path, text: str, annotator: str | None, ann_path: Path | None
) -> GoldDocument:
    relations: list[GoldRelation] = []
    skipped, warnings = 0, []
    if ann_path is not None:
        try:
            relations, skipped, warnings = parse_ann(_decode(ann_path), text)
        except InputError as exc:
            raise InputError(exc.reason, str(ann_path)) from None
    return GoldDocument(
        stem=stem,
        path=str(path),
        text=text,
        relations=tuple(relations),
        ann_path=str(ann_path) if ann_path else None,
        annotator=annotator or None,
        skipped=skipped,
        warnings=tuple(warnings),
    )
