"""The kasograph viewer: a Flask app over the library (`create_app`)."""

from kasograph_web.app import create_app

__all__ = ["create_app"]
