"""Rules for administering staff accounts that every caller obeys (the console and the CLI):
the centre never loses its last active administrator, and the list the console shows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from cherha.core.errors import DomainError, Invalid, NotFound

from ..auth import Role
from .db import Database
from .models import User


class LastAdministrator(DomainError):
    """The change would leave no active administrator: nobody could manage users or devices."""

    code = "last_admin"
    status = 409


@dataclass(frozen=True, slots=True)
class UserView:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    may_call_out_of_order: bool


def user_state(user: User) -> dict[str, object]:
    """What the audit records as a user's before and after (never the password hash)."""
    return {
        "role": user.role.value,
        "display_name": user.display_name,
        "active": user.active,
        "may_call_out_of_order": user.may_call_out_of_order,
    }


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise Invalid(
            "Роль: адміністратор (admin), керівник центру (head) або працівник (clerk)",
            "The role is admin, head or clerk",
        ) from None


def locked_user(session: Session, username: str) -> User:
    """The user, with the active administrators locked first (PostgreSQL: `FOR UPDATE`, in id
    order, so two changes never deadlock; SQLite's writer is alone already). Two
    administrators disabling each other at once: the second sees the first's change and is
    refused, instead of both succeeding and leaving none."""
    session.scalars(
        select(User.id)
        .where(User.role == Role.ADMIN, User.active.is_(True))
        .order_by(User.id)
        .with_for_update()
    ).all()
    user = session.scalars(
        select(User)
        .where(User.username == username.strip())
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if user is None:
        raise NotFound(f"Користувача «{username}» немає", f"There is no user '{username}'")
    return user


def refuse_losing_the_last_admin(
    session: Session, user: User, *, role: Role, active: bool, doing: tuple[str, str]
) -> None:
    """Raise LastAdministrator when `user` is the only active administrator and would stop
    being one (disabled or given another role). Call with the rows from `locked_user`."""
    if user.role is not Role.ADMIN or not user.active:
        return
    if role is Role.ADMIN and active:
        return
    others = session.scalar(
        select(User.id).where(User.role == Role.ADMIN, User.active.is_(True), User.id != user.id)
    )
    if others is None:
        uk, en = doing
        raise LastAdministrator(
            f"Не можна {uk} «{user.username}»: це останній активний адміністратор. "
            "Спершу надайте роль адміністратора комусь іншому",
            f"Cannot {en} '{user.username}': they are the last active administrator. "
            "Make someone else an administrator first",
        )


def list_users(db: Database) -> list[UserView]:
    with db.read() as session:
        return [
            UserView(u.id, u.username, u.display_name, u.role, u.active, u.may_call_out_of_order)
            for u in session.scalars(select(User).order_by(User.username))
        ]


def user_by_id(db: Database, user_id: int) -> UserView:
    with db.read() as session:
        u = session.get(User, user_id)
        if u is None:
            raise NotFound(f"Користувача {user_id} немає", f"No user {user_id}")
        return UserView(u.id, u.username, u.display_name, u.role, u.active, u.may_call_out_of_order)
