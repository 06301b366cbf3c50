"""The web app: server-rendered pages and a JSON API over one Parallax database (`parallax serve`)."""

from parallax.web.app import create_app

__all__ = ["create_app"]
