"""A hall of many kiosks and clerks hammering real server processes at once."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field

import httpx
from sqlalchemy import select

from cherha.server.store.centre_file import (
    SAMPLE_CENTRE,
    CentreFile,
    WindowSpec,
    always_open,
    read_centre_file,
)
from cherha.server.store.db import Database
from cherha.server.store.models import Event, Ticket
from tests.helpers.server import CLERK_PASSWORD

SERVICES = (1, 2, 3)


def wide_centre(windows: int) -> CentreFile:
    """The sample centre, open 24/7, with `windows` windows that all serve services 1–3."""
    spec = always_open(read_centre_file(SAMPLE_CENTRE))
    codes = [s.code for s in spec.services[:3]]
    return spec.model_copy(
        update={"windows": [WindowSpec(number=n, services=codes) for n in range(1, windows + 1)]}
    )


@dataclass
class Outcome:
    issued: list[dict[str, object]] = field(default_factory=list)
    calls: list[dict[str, object]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def log_in(client: httpx.Client, name: str) -> str:
    """A clerk's login at opening time: twenty at once exceed the server's password checks,
    which answer 503 with Retry-After; the desk shows that message and the clerk tries again."""
    for _ in range(60):
        r = client.post("/api/v1/auth/login", json={"username": name, "password": CLERK_PASSWORD})
        if r.status_code == 200:
            return str(r.json()["token"])
        assert r.status_code == 503, r.text
        time.sleep(float(r.headers.get("Retry-After", "1")))
    raise AssertionError(f"{name} could not log in")


def run_hall(
    urls: list[str], kiosk_key: str, clerks: list[str], tickets_per_kiosk: int, kiosks: int
) -> Outcome:
    """Kiosks issue while clerks call-next-and-finish until every ticket is served."""
    outcome = Outcome()
    kiosks_done = threading.Event()
    start = threading.Barrier(kiosks + len(clerks), timeout=120)

    def kiosk(index: int) -> None:
        rng = random.Random(index)
        with httpx.Client(
            base_url=urls[index % len(urls)],
            timeout=30,
            headers={"Authorization": f"Bearer {kiosk_key}"},
        ) as client:
            start.wait()
            for _ in range(tickets_per_kiosk):
                r = client.post("/api/v1/tickets", json={"service_id": rng.choice(SERVICES)})
                with outcome.lock:
                    if r.status_code == 201:
                        outcome.issued.append(r.json())
                    else:
                        outcome.errors.append(f"issue {r.status_code} {r.text}")

    def clerk(index: int, name: str) -> None:
        counter_id = index + 1
        with httpx.Client(base_url=urls[index % len(urls)], timeout=30) as client:
            token = log_in(client, name)
            client.headers["Authorization"] = f"Bearer {token}"
            opened = client.post(f"/api/v1/counters/{counter_id}/open")
            if opened.status_code != 200:
                with outcome.lock:
                    outcome.errors.append(f"open {opened.status_code} {opened.text}")
            start.wait()
            idle_after_kiosks = 0
            while idle_after_kiosks < 2:
                r = client.post(f"/api/v1/counters/{counter_id}/call-next")
                if r.status_code == 204:
                    if kiosks_done.is_set():
                        idle_after_kiosks += 1
                    continue
                if r.status_code != 200:
                    with outcome.lock:
                        outcome.errors.append(f"call {r.status_code} {r.text}")
                    continue
                ticket = r.json()
                with outcome.lock:
                    outcome.calls.append(ticket)
                f = client.post(f"/api/v1/tickets/{ticket['id']}/finish")
                if f.status_code != 200:
                    with outcome.lock:
                        outcome.errors.append(f"finish {f.status_code} {f.text}")

    threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(kiosks)]
    threads += [threading.Thread(target=clerk, args=(i, n)) for i, n in enumerate(clerks)]
    for t in threads:
        t.start()
    for t in threads[:kiosks]:
        t.join(timeout=300)
    kiosks_done.set()
    for t in threads[kiosks:]:
        t.join(timeout=300)
    return outcome


def calls_in_commit_order(database_url: str) -> tuple[list[int], list[int]]:
    """(ticket ids in the order they were called, ticket ids in first-come order)."""
    db = Database(database_url)
    try:
        with db.read() as session:
            called = list(
                session.scalars(
                    select(Event.ticket_id).where(Event.type == "ticket_called").order_by(Event.id)
                )
            )
            by_place = list(
                session.scalars(select(Ticket.id).order_by(Ticket.order_key, Ticket.id))
            )
        return [t for t in called if t is not None], by_place
    finally:
        db.dispose()
