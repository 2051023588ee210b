"""The API against its own OpenAPI schema (schemathesis): no request the schema allows
makes the server fail, and every response matches what the schema promises."""

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402

from onrecord import extract  # noqa: E402
from onrecord.store import Store  # noqa: E402
from onrecord.web import create_app  # noqa: E402

ARTICLE = (
    "Harbour strike\n\n“We cannot afford a long stoppage,” Port director Paul Reyes told "
    "the Harbour Gazette on Sunday.\n\nUnion chair Marta Kowal said the workers would "
    "not back down, according to the union's statement."
)


def _app():
    folder = Path(tempfile.mkdtemp(prefix="onrecord-contract-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    db = str(folder / "contract.db")
    with Store(db) as store:
        store.add(
            extract(ARTICLE, url="https://gazette.test/1", outlet="Gazette", published="2024-03-11")
        )
    return create_app(db, token="contract-token")


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_honours_its_schema(case):
    case.call_and_validate()
