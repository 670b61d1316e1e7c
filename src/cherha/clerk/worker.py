"""The desk's client calls run off the GUI thread on `JobRunner`s (one at a time on purpose:
a clerk's actions must reach the server in the order pressed)."""

from __future__ import annotations

from cherha.qt.jobs import JobRunner as ApiWorker

__all__ = ["ApiWorker"]
