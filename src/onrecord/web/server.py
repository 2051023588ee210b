"""The ASGI app uvicorn loads in each worker: configured from the environment
(ONRECORD_DB, ONRECORD_API_TOKEN), as `onrecord serve` sets it."""

import os

from .app import create_app

app = create_app(os.environ.get("ONRECORD_DB"), os.environ.get("ONRECORD_API_TOKEN"))
