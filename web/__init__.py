"""The thin Flask layer over the engine: `create_app` builds the WSGI app."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
