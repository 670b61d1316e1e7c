"""Cherha's queue server: the single source of truth for tickets, windows and calls."""

__version__ = "0.1.0"
