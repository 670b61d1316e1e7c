"""Logging in: the request, the token and who it belongs to."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from .base import Reply, Request


class Login(Request):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


class User(Reply):
    id: int
    username: str
    role: str
    may_call_out_of_order: bool


class LoginResult(Reply):
    token: str
    token_type: str = "bearer"
    expires_at: AwareDatetime
    user: User
