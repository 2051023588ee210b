"""The ASGI app uvicorn loads in each worker: configured from the environment
(ONRECORD_DB, ONRECORD_API_TOKEN, ONRECORD_INGEST_BUDGET), as `onrecord serve` sets it."""

import os

from .app import create_app
from .ingest import DEFAULT_BUDGET_S

app = create_app(
    os.environ.get("ONRECORD_DB"),
    os.environ.get("ONRECORD_API_TOKEN"),
    ingest_budget_s=float(os.environ.get("ONRECORD_INGEST_BUDGET") or DEFAULT_BUDGET_S),
)
