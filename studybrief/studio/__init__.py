"""The studio: a browser front over the same pipeline the command line drives, adding no rule of its own."""

from .app import create_app, serve

__all__ = ["create_app", "serve"]
