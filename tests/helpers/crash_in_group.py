"""A process that dies in the middle of a group commit (run by tests/api/test_group_commit.py).

`python -m tests.helpers.crash_in_group DATABASE_URL`: issues tickets through a grouped write
lane, printing each number the moment its caller is answered (as a kiosk would print it); then
queues ten more behind a blocker so that they form one group, and a last job in that group
prints how many tickets it sees (the ten written, not committed) and ends the process with
`os._exit` — before the group's commit. Exit status 9.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from typing import NoReturn

from sqlalchemy import func, select

from cherha.server.auth import Principal
from cherha.server.store.db import Database
from cherha.server.store.models import Ticket
from cherha.server.store.tickets import TicketOps
from cherha.server.writes import WriteLane

KIOSK = Principal("device", 1, "kiosk", "kiosk", 1)
ANSWERED_ALONE = 5
IN_THE_DYING_GROUP = 10
IN_GROUP_MARK = "written-in-the-group:"


def main(url: str) -> None:
    db = Database(url)
    ops = TicketOps(db)
    lane = WriteLane(1, db.group)

    def issue() -> str:
        return ops.issue(KIOSK, 1, 1).ticket.number

    def die() -> NoReturn:
        # Inside the group: its ten tickets are written, not committed. Say how many there are.
        with db.read() as session:
            count = session.scalar(select(func.count(Ticket.id)))
        print(f"{IN_GROUP_MARK} {count}", flush=True)
        os._exit(9)

    async def run() -> None:
        for _ in range(ANSWERED_ALONE):
            print(await lane.run(issue), flush=True)
        started, release = threading.Event(), threading.Event()

        def block() -> None:
            started.set()
            release.wait(5)

        blocker = asyncio.ensure_future(lane.run(block))
        while not started.is_set():  # the blocker holds the lane: the rest queue as one group
            await asyncio.sleep(0.005)
        queued = [asyncio.ensure_future(lane.run(issue)) for _ in range(IN_THE_DYING_GROUP)]
        queued.append(asyncio.ensure_future(lane.run(die)))
        await asyncio.sleep(0.05)
        release.set()
        await blocker
        for answer in asyncio.as_completed(queued):
            print(await answer, flush=True)  # never reached: the group dies before its commit

    asyncio.run(run())


if __name__ == "__main__":
    main(sys.argv[1])
