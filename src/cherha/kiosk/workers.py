"""Blocking work (HTTP, printing) off the GUI thread: one `JobRunner` per concern (issuing,
watching the server, printing), so a slow printer never delays a ticket."""

from __future__ import annotations

from cherha.qt.jobs import JobRunner as Runner

__all__ = ["Runner"]
