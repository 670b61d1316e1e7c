"""The body of every refusal: a machine code and a message for a person, Ukrainian and English."""

from __future__ import annotations

from pydantic import ConfigDict, Field

from .base import Reply


class Problem(Reply):
    """`{"error", "message", "message_en"}`; some refusals say more (e.g. a full slot's
    `next_free`, an invalid request's `fields`), kept as extra fields."""

    model_config = ConfigDict(extra="allow")

    error: str = Field(examples=["branch_paused"])
    message: str = Field(description="Для людини, українською")
    message_en: str = Field(description="For a person, in English")
