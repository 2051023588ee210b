"""Article text cut into segments for highlighting, with no HTML built here: the
templates escape every piece of text, so nothing from an article reaches a page raw."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

# Speaker colours: enough to tell a handful of speakers apart, colour-blind friendly.
PALETTE = 8


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # content | speaker | cue | channel | time
    statement: str | None = None  # the statement id in the article ("s3")
    colour: int = 0
    title: str | None = None


@dataclass(frozen=True)
class Segment:
    text: str
    marks: tuple[Mark, ...]

    @property
    def main(self) -> Mark | None:
        """The innermost mark: a cue inside a content shows as the cue."""
        return min(self.marks, key=lambda m: m.end - m.start) if self.marks else None

    @property
    def classes(self) -> str:
        return " ".join(sorted({f"m-{m.kind}" for m in self.marks}))


def segments(text: str, marks: list[Mark]) -> list[Segment]:
    """``text`` split at every mark boundary; each piece knows the marks covering it."""
    cuts = {0, len(text)}
    valid = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    for m in valid:
        cuts.update((m.start, m.end))
    points = sorted(cuts)
    out = []
    for a, b in zip(points, points[1:], strict=False):
        if a == b:
            continue
        covering = tuple(m for m in valid if m.start <= a and b <= m.end)
        out.append(Segment(text[a:b], covering))
    return out


def colour_of(key: object) -> int:
    """A stable palette index (1..PALETTE) for a speaker; 0 for no speaker."""
    if key is None or key == "":
        return 0
    return zlib.crc32(str(key).encode("utf-8")) % PALETTE + 1


def statement_marks(record: dict, colour: int = 0, parts: bool = True) -> list[Mark]:
    """Marks for one statement record: its content, and (``parts``) its speaker, cue,
    channel and time."""
    sid = record.get("id")
    out = [
        Mark(s, e, "content", sid, colour, title=record.get("type"))
        for s, e in record.get("content", {}).get("spans", [])
    ]
    if not parts:
        return out
    for kind, key in (
        ("speaker", "speaker"),
        ("cue", "cue"),
        ("channel", "channel"),
        ("time", "time"),
    ):
        value = record.get(key) or {}
        for s, e in value.get("spans", []) or []:
            out.append(Mark(s, e, kind, sid, colour, title=value.get("name") or value.get("date")))
    return out
