"""Services by group, as visitors see them on the kiosk and on /book: each group once, in the
order its first service comes in the centre's list, its services in that order too."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")


def group_in_order(items: Iterable[T], group_of: Callable[[T], str]) -> list[tuple[str, list[T]]]:
    """(group, items) pairs: one per group, groups by first appearance, items in given order.

    A centre file lists services in the order it likes («Документи та реєстрація» may come
    back after «Паспорти»); visitors still see each heading once.
    """
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(group_of(item), []).append(item)
    return list(groups.items())
