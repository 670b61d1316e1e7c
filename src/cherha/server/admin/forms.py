"""Turning a posted console form into the store's specs, with messages a person can act on."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

Message = tuple[str, str]
M = TypeVar("M", bound=BaseModel)


def text(form: FormData, name: str, limit: int = 300) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def optional(form: FormData, name: str) -> str | None:
    """An empty field is «not set» (None), not an empty string."""
    return text(form, name) or None


def checked(form: FormData, name: str) -> bool:
    return form.get(name) is not None


def numbers(form: FormData, name: str) -> list[int]:
    """The ids of a checkbox list; anything that is not a number is dropped."""
    out = []
    for value in form.getlist(name):
        if isinstance(value, str) and value.isdigit() and len(value) < 10:
            out.append(int(value))
    return out


def validate(
    model: type[M], data: dict[str, Any], labels: dict[str, Message]
) -> tuple[M | None, list[Message]]:
    """The model, or the list of what is wrong with each field (Ukrainian, English)."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else ""
            uk, en = labels.get(field, (field, field))
            what = _uk(err["type"])
            limit = (err.get("ctx") or {}).get("max_length")
            if err["type"] == "string_too_long" and limit is not None:
                what = f"{what} (найбільше {limit} знаків)"
            errors.append((f"{uk}: {what}", f"{en}: {err['msg']}"))
        return None, errors


def _uk(kind: str) -> str:
    return {
        "missing": "потрібно заповнити",
        "string_too_short": "потрібно заповнити",
        "string_too_long": "задовге",
        "greater_than": "замале число",
        "greater_than_equal": "замале число",
        "less_than": "завелике число",
        "less_than_equal": "завелике число",
        "int_parsing": "має бути цілим числом",
        "float_parsing": "має бути числом",
        "too_short": "оберіть хоча б одне",
    }.get(kind, "неправильне значення")
