"""Domain refusals: each carries a machine code and a message in Ukrainian and English."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the queue refused an action; nothing was changed."""

    code = "refused"
    status = 409

    def __init__(self, message_uk: str, message_en: str, *, code: str | None = None) -> None:
        super().__init__(f"{message_uk} / {message_en}")
        self.message_uk = message_uk
        self.message_en = message_en
        if code is not None:
            self.code = code


class InvalidTransition(DomainError):
    """The ticket is not in a state that allows this action."""

    code = "invalid_state"


class RecallLimitReached(DomainError):
    code = "recall_limit"


class ReturnWindowPassed(DomainError):
    code = "return_window_passed"


class BranchPaused(DomainError):
    code = "branch_paused"


class OutsideHours(DomainError):
    code = "outside_hours"


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Invalid(DomainError):
    """Input that is well-formed but makes no sense for the queue."""

    code = "invalid"
    status = 422


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
