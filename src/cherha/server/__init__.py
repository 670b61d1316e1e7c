"""Cherha's queue server: the single source of truth for tickets, windows and calls."""

from cherha import __version__

__all__ = ["__version__"]
