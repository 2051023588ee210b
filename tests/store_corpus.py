"""Articles written for the statement-database tests (texts in data/store/): five
outlets in a harbour town report the same few quotes, each in its own way (straight or
curly quotes, truncated, with an ellipsis, one word changed, relayed through an agency).

Speakers: the mayor Elena Lindqvist; Marco Lindqvist, who chairs the fishermen's union
(same surname, another person); the opposition leader Tomas Brandt; councillor Sofia
Reyes; the Nordpress news agency.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data" / "store"

# The quotes, as first reported.
FLOOD = "We will not let the harbour flood again, not while I am mayor of this town"
COST = "This is the most expensive wall in the history of the province"
NOBODY = "Nobody asked the people who actually work on the water what they needed"
WIN = "We will win this fight"


@dataclass(frozen=True)
class Story:
    name: str
    text: str
    outlet: str
    published: str
    url: str | None

    def extract(self):
        import onrecord

        return onrecord.extract(
            self.text, url=self.url, outlet=self.outlet, published=self.published
        )


def _story(name: str, outlet: str, published: str, url: str | None) -> Story:
    text = (DATA / f"{name}.txt").read_text(encoding="utf-8")
    return Story(name, text, outlet, published, url)


GAZETTE_WALL = _story(
    "gazette-wall",
    "Harbour Gazette",
    "2024-03-11",
    "https://harbourgazette.example/2024/03/11/sea-wall",
)

HERALD_WALL = _story(
    "herald-wall",
    "Coastal Herald",
    "2024-03-12",
    "https://coastalherald.example/news/mayor-vows",
)

COURIER_WALL = _story(
    "courier-wall",
    "Northern Courier",
    "2024-03-13",
    "https://northerncourier.example/sea-wall-plan",
)

TIMES_WALL = _story(
    "times-wall",
    "Baltic Times",
    "2024-03-14",
    "https://baltictimes.example/harbour-wall-row",
)

GAZETTE_UNION = _story(
    "gazette-union",
    "Harbour Gazette",
    "2024-03-15",
    "https://harbourgazette.example/2024/03/15/moorings",
)

HERALD_UNION = _story(
    "herald-union",
    "Coastal Herald",
    "2024-03-16",
    "https://coastalherald.example/news/union-chief",
)

POST_QUAY = _story(
    "post-quay",
    "Harbour Post",
    "2024-03-17",
    None,
)

STORIES = (
    GAZETTE_WALL,
    HERALD_WALL,
    COURIER_WALL,
    TIMES_WALL,
    GAZETTE_UNION,
    HERALD_UNION,
    POST_QUAY,
)


# -- helpers for the store's tests ------------------------------------------------------

_extracted: dict[Story, object] = {}


def extracted(story: Story):
    """The story's ArticleResult (extracted once per test session)."""
    if story not in _extracted:
        _extracted[story] = story.extract()
    return _extracted[story]


def fill(url: str, stories=STORIES):
    """A Store at ``url`` holding ``stories``."""
    from onrecord.store import Store

    store = Store(url)
    for story in stories:
        store.add(extracted(story))
    return store


def table_counts(store) -> dict[str, int]:
    """Rows in every table of the store."""
    from sqlalchemy import func, select

    from onrecord.store.schema import metadata

    with store.engine.connect() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(table)).scalar()
            for name, table in sorted(metadata.tables.items())
        }


def jsonl(stories=STORIES) -> str:
    """The stories as JSONL lines, as `onrecord ingest` reads them."""
    import json

    return "".join(
        json.dumps({"text": s.text, "url": s.url, "outlet": s.outlet, "published": s.published})
        + "\n"
        for s in stories
    )


def cli(*args: str, input: str | None = None):
    """`onrecord ARGS` in-process; no traceback ever reaches the user."""
    from typer.testing import CliRunner

    from onrecord.cli import _register, app

    _register()
    result = CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result
