"""The web app and JSON API over the statement database (`onrecord serve`)."""

from .app import create_app

__all__ = ["create_app"]
