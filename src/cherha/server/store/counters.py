"""Windows (open, break, close) and the branch's pause for an air-raid alert."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cherha.core.errors import Forbidden, InvalidTransition
from cherha.core.model import CounterState, EventType, TicketStatus

from ..auth import Principal
from .clock import Clock, utcnow
from .db import Database
from .models import Branch, Counter, Ticket, User
from .records import ensure_branch_access, get_branch, get_counter, record_event


class CounterOps:
    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock

    def open(self, principal: Principal, counter_id: int) -> Counter:
        """Open (or reopen after a break or an app restart) a window for this clerk."""
        return self._set_state(principal, counter_id, CounterState.OPEN)

    def pause(self, principal: Principal, counter_id: int) -> Counter:
        return self._set_state(principal, counter_id, CounterState.PAUSED)

    def close(self, principal: Principal, counter_id: int) -> Counter:
        return self._set_state(principal, counter_id, CounterState.CLOSED)

    def _set_state(self, principal: Principal, counter_id: int, target: CounterState) -> Counter:
        if not principal.is_user:
            raise Forbidden("Вікна відкривають працівники", "Only staff can operate windows")
        with self.db.read() as session:
            branch_id = get_counter(session, counter_id).branch_id
        with self.db.write(branch_id) as session:
            now = self.clock()
            counter = get_counter(session, counter_id)
            holder = counter.clerk_id
            taken = holder is not None and holder != principal.id
            if taken and counter.state != CounterState.CLOSED and not principal.is_admin:
                assert holder is not None
                name = _user_name(session, holder)
                raise Forbidden(
                    f"Вікно {counter.number} зараз веде {name}",
                    f"Window {counter.number} is held by {name}",
                    code="window_taken",
                )
            if target is CounterState.OPEN:
                self._ensure_no_other_window(session, principal, counter)
            elif target is CounterState.CLOSED:
                self._ensure_nobody_at(session, counter)
            elif counter.state == CounterState.CLOSED:
                raise InvalidTransition(
                    f"Вікно {counter.number} зачинене: спершу відкрийте його",
                    f"Window {counter.number} is closed: open it first",
                )
            if target is CounterState.CLOSED:
                counter.clerk_id = None
                counter.opened_at = None
            else:
                if counter.state == CounterState.CLOSED or counter.clerk_id != principal.id:
                    counter.opened_at = now
                    counter.priority_streak = 0
                counter.clerk_id = principal.id
            counter.state = target
            record_event(
                session,
                branch_id=counter.branch_id,
                type_=EventType.of_counter(target),
                at=now,
                actor=principal.actor,
                counter_id=counter.id,
                data={
                    "counter_id": counter.id,
                    "counter_number": counter.number,
                    "state": target,
                },
            )
            return counter

    @staticmethod
    def _ensure_no_other_window(session: Session, principal: Principal, counter: Counter) -> None:
        other = session.scalars(
            select(Counter).where(
                Counter.clerk_id == principal.id,
                Counter.id != counter.id,
                Counter.state != CounterState.CLOSED,
            )
        ).first()
        if other is not None:
            raise InvalidTransition(
                f"Ви вже працюєте у вікні {other.number}: спершу закрийте його",
                f"You already work at window {other.number}: close it first",
                code="other_window_open",
            )

    @staticmethod
    def _ensure_nobody_at(session: Session, counter: Counter) -> None:
        busy = session.scalars(
            select(Ticket).where(
                Ticket.counter_id == counter.id,
                Ticket.status.in_([TicketStatus.CALLED, TicketStatus.SERVING]),
            )
        ).first()
        if busy is not None:
            raise InvalidTransition(
                f"У вікні {counter.number} ще талон {busy.number}: завершіть його або позначте неявку",
                f"Ticket {busy.number} is still at window {counter.number}: finish it or mark a no-show",
                code="ticket_pending",
            )


class BranchOps:
    def __init__(self, db: Database, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock

    def pause(self, principal: Principal, branch_id: int, reason: str) -> Branch:
        """Air-raid alert, power cut: calling and issuing stop, every ticket keeps its place."""
        ensure_branch_access(principal, branch_id)
        with self.db.write(branch_id) as session:
            now = self.clock()
            branch = get_branch(session, branch_id)
            if branch.paused:
                raise InvalidTransition(
                    "Обслуговування вже призупинено", "Service is already paused"
                )
            branch.paused, branch.pause_reason, branch.paused_at = True, reason.strip(), now
            record_event(
                session,
                branch_id=branch_id,
                type_=EventType.BRANCH_PAUSED,
                at=now,
                actor=principal.actor,
                data={"reason": branch.pause_reason},
            )
            return branch

    def resume(self, principal: Principal, branch_id: int) -> Branch:
        ensure_branch_access(principal, branch_id)
        with self.db.write(branch_id) as session:
            now = self.clock()
            branch = get_branch(session, branch_id)
            if not branch.paused:
                raise InvalidTransition("Обслуговування не призупинено", "Service is not paused")
            paused_for = (now - branch.paused_at).total_seconds() if branch.paused_at else 0
            branch.paused, branch.pause_reason, branch.paused_at = False, "", None
            record_event(
                session,
                branch_id=branch_id,
                type_=EventType.BRANCH_RESUMED,
                at=now,
                actor=principal.actor,
                data={"paused_seconds": int(paused_for)},
            )
            return branch


def _user_name(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return (user.display_name or user.username) if user else f"#{user_id}"
