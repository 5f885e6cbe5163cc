"""The kasograph viewer: a Flask app over the library (`create_app`)."""

from .app import create_app

__all__ = ["create_app"]
