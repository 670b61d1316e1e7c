"""Cherha clerk desk (PySide6): calls, serves and transfers visitors, one key at a time."""
