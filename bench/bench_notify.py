"""Notifications benchmarks: "called" messages under load, and the queue's latency with
notifications on and off in the same run.

Run by hand (not in the test suite; this machine is shared and noisy):

    .venv/bin/python bench/bench_notify.py                 # SQLite
    .venv/bin/python bench/bench_notify.py --postgres      # a throwaway PostgreSQL too

A fake Telegram Bot API and a webhook receiver run on loopback inside this process; the server
is a real process (`cherha-server serve`) with the default Telegram pacing (25 messages a
second overall, one a second per chat).

1. **calls with 200 followed chats**: 200 waiting tickets, each followed by its own chat. A
   pause and a resume queue 400 messages (16 s of the default 25 a second); while that backlog
   drains, a clerk calls 20 visitors, half a second after each "called" arrives. Measured:
   from sending `call-next` to the fake Bot API receiving that visitor's "called" message;
   how long the 400 took; the most messages the fake saw in any one second; the shortest gap
   between two messages to one chat (a call may follow other news at once, so calls are left
   out of it).
2. **latency on vs off**: the same load against a server without notifications and one with
   the bot, 100 followed tickets and a webhook taking every event: 100 tickets/s offered for
   10 s (latency from when each request was due), then 3 clerks calling 40 visitors each.
   Three ways: notifications off; on, run inside the server; on, run by `cherha-server
   notify` in a process of its own (the server only writes the outbox). Rounds alternate so
   all see the same machine; compare the ratios. The fake Bot API and the receiver run in a
   process of their own, away from the load generator.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_server import paced_load, quiet_collector
from bench.common import percentile, server_cpu_seconds
from cherha.server.auth import Principal
from cherha.server.notify.webhooks import WebhookRegistry
from cherha.server.store.db import Database
from tests.helpers.app import make_centre
from tests.helpers.fake_telegram import TOKEN, FakeBotApi, WebhookReceiver
from tests.helpers.postgres import ThrowawayPostgres
from tests.helpers.server import ADMIN_PASSWORD, CLERK_PASSWORD, ServerProcess, notifier_children

SECRET = "bench-webhook-secret-0123456789"
KIOSK = Principal(kind="device", id=1, name="kiosk-1", role="kiosk", branch_id=1)
CLERK = Principal(kind="user", id=2, name="clerk1", role="clerk")
"""The sample centre's kiosk and first clerk, for the hook's in-process figures."""
CALLS_HEADER = (
    "| database | calls | called ≤ 1 s | call → Bot API p50 ms | max ms "
    "| 400 pause/resume messages s | peak messages/s | shortest gap per chat s (not calls) |"
)
LATENCY_HEADER = (
    "| database | notifications | issue p50 ms | issue p99 ms | call p50 ms | call p99 ms "
    "| server CPU s | notifier CPU s | fakes' CPU s |"
)


def bot_env(fake: FakeBotApi) -> dict[str, str]:
    return {
        "CHERHA_TELEGRAM_BOT_TOKEN": TOKEN,
        "CHERHA_TELEGRAM_API_URL": fake.url,
        "CHERHA_TELEGRAM_POLL_TIMEOUT_SECONDS": "1",
    }


def wait(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.02)


async def login(client: httpx.AsyncClient, name: str, password: str) -> dict[str, str]:
    r = await client.post("/api/v1/auth/login", json={"username": name, "password": password})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['token']}"}


StartBot = Callable[[int, str], None]


async def follow_tickets(
    client: httpx.AsyncClient, start_bot: StartBot, kiosk: dict[str, str], count: int
) -> dict[str, int]:
    """Issue `count` tickets of service 1 and follow each from its own chat: number → chat."""
    chats: dict[str, int] = {}
    for n in range(count):
        r = await client.post("/api/v1/tickets", json={"service_id": 1}, headers=kiosk)
        ticket = r.json()
        link = ticket["telegram_url"]
        while link is None:  # the bot learns its username just after the server starts
            await asyncio.sleep(0.1)
            page = (await client.get(f"/t/{ticket['public_token']}")).text
            if '"telegram":"' in page:
                link = page.split('"telegram":"', 1)[1].split('"', 1)[0]
        chat = 100_000 + n
        start_bot(chat, link.rsplit("start=", 1)[1])
        chats[ticket["number"]] = chat
    return chats


async def calls_with_followers(url: str, fake: FakeBotApi, kiosk_key: str) -> dict[str, float]:
    kiosk = {"Authorization": f"Bearer {kiosk_key}"}
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        chats = await follow_tickets(client, fake.start_bot, kiosk, 200)
        await asyncio.to_thread(wait, lambda: len(fake.messages()) >= 200, 120, "200 welcomes")
        admin = await login(client, "admin", ADMIN_PASSWORD)
        clerk = await login(client, "clerk1", CLERK_PASSWORD)
        await client.post("/api/v1/counters/1/open", headers=clerk)
        backlog_from = time.monotonic()
        before = len(fake.messages())
        await client.post("/api/v1/branch/pause", json={"reason": "bench"}, headers=admin)
        await client.post("/api/v1/branch/resume", headers=admin)
        delays: list[float] = []
        for _ in range(20):
            started = time.monotonic()
            r = await client.post("/api/v1/counters/1/call-next", headers=clerk)
            called = r.json()
            chat = chats[called["number"]]

            def arrived(chat: int = chat, after: float = started) -> float | None:
                return next(
                    (
                        c.at
                        for c in fake.messages(chat)
                        if c.at >= after and "вікна" in str(c.params["text"])
                    ),
                    None,
                )

            await asyncio.to_thread(wait, lambda: arrived() is not None, 30, "the call")
            at = arrived()
            assert at is not None
            delays.append(at - started)
            await client.post(f"/api/v1/tickets/{called['id']}/start", headers=clerk)
            await asyncio.sleep(0.5)
        expected = before + 400 + 20
        await asyncio.to_thread(wait, lambda: len(fake.messages()) >= expected, 120, "backlog")
    sent = [c for c in fake.messages() if c.at >= backlog_from]
    news = [c.at for c in sent if any(w in str(c.params["text"]) for w in ("призуп", "відновл"))]
    backlog = max(news) - backlog_from  # the 400 pause and resume messages
    per_second = Counter(int(c.at - backlog_from) for c in sent)
    # The shortest gap before a message that is not a call (a call may follow at once).
    last: dict[int, float] = {}
    shortest = float("inf")
    for c in sorted(sent, key=lambda c: c.at):
        chat = int(c.params["chat_id"])
        if chat in last and "вікна" not in str(c.params["text"]):
            shortest = min(shortest, c.at - last[chat])
        last[chat] = c.at
    return {
        "p50_ms": percentile(delays, 0.5) * 1000,
        "max_ms": max(delays) * 1000,
        "within_1s": sum(d <= 1.0 for d in delays),
        "calls": len(delays),
        "backlog_s": backlog,
        "peak_per_s": max(per_second.values()),
        "min_gap_s": shortest,
    }


async def call_load(
    url: str, clerks: int, calls: int, samples: list[float] | None = None
) -> dict[str, float]:
    """`clerks` clerks at windows 1.. each call `calls` visitors (call-next, then start);
    `samples`, if given, gets every call's latency (seconds) too; the figures returned are
    this run's alone."""
    latencies: list[float] = []

    async def clerk(client: httpx.AsyncClient, n: int) -> None:
        auth = await login(client, f"clerk{n}", CLERK_PASSWORD)
        await client.post(f"/api/v1/counters/{n}/open", headers=auth)
        for _ in range(calls):
            started = time.perf_counter()
            r = await client.post(f"/api/v1/counters/{n}/call-next", headers=auth)
            latencies.append(time.perf_counter() - started)
            if r.status_code == 204:
                return
            r.raise_for_status()
            await client.post(f"/api/v1/tickets/{r.json()['id']}/start", headers=auth)

    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        await asyncio.gather(*(clerk(client, n) for n in range(1, clerks + 1)))
    if samples is not None:
        samples.extend(latencies)
    return {
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "calls": len(latencies),
    }


class Fakes:
    """The fake Bot API and the webhook receiver in a process of their own, so their work does
    not share this process (and its GIL) with the load generator that measures latency."""

    def __init__(self, niceness: int = 0) -> None:
        """`niceness`: the fakes stand for Telegram and a city's systems, on other machines in
        a centre; here they share the server's two cores, and a niceness lets the server have
        them first (`--fakes-nice`)."""
        self.process = subprocess.Popen(
            ["nice", "-n", str(niceness), sys.executable, __file__, "--serve-fakes"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.bot_url = self.process.stdout.readline().strip()
        self.hook_url = self.process.stdout.readline().strip()

    def start_bot(self, chat: int, payload: str) -> None:
        httpx.post(f"{self.bot_url}/inject", json={"chat": chat, "payload": payload})

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = httpx.get(f"{self.bot_url}/count").json()
        return counts

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def serve_fakes() -> None:
    """--serve-fakes: print the two URLs, serve until standard input closes."""
    fake = FakeBotApi()
    receiver = WebhookReceiver(secret=SECRET)

    @fake.app.post("/inject")
    def inject(body: dict[str, Any]) -> dict[str, bool]:
        fake.start_bot(int(body["chat"]), str(body["payload"]))
        return {"ok": True}

    @fake.app.get("/count")
    def count() -> dict[str, int]:
        return {"messages": len(fake.messages()), "deliveries": len(receiver.accepted())}

    fake.start()
    receiver.start()
    print(fake.url, receiver.url, sep="\n", flush=True)
    sys.stdin.read()
    fake.stop()
    receiver.stop()


MODES = ("off", "in server", "server loop", "own process", "hook only")
"""`in server` is `serve`'s default (a child process it starts); `server loop` the same on the
server's own event loop (`CHERHA_NOTIFY_CHILD=false`); `own process` `cherha-server notify`;
`hook only` writes the outbox in each change's transaction and sends nothing (what the request
path itself pays)."""
BASE = " (base)"
"""A mode's name with this suffix: the server (and notifier) run `--compare-src`'s code."""


@dataclass
class Pooled:
    """One mode's latencies over all rounds (seconds): a p99 of thousands, not of hundreds."""

    issue: list[float] = field(default_factory=list)
    call: list[float] = field(default_factory=list)

    def p99(self, what: str) -> float:
        return percentile(self.issue if what == "issue" else self.call, 0.99) * 1000


def latency_round(
    url: str, fakes: Fakes, mode: str, args: argparse.Namespace, pooled: Pooled
) -> dict[str, float]:
    """One measurement: notifications `off`, run `in server`, or in their `own process`;
    with the `BASE` suffix, served from `--compare-src` (the same run's A/B baseline)."""
    centre = make_centre(url, clerks=3)
    env: dict[str, str] = {}
    if mode.endswith(BASE):
        mode = mode.removesuffix(BASE)
        env["PYTHONPATH"] = str(Path(args.compare_src).resolve())
    if mode != "off":
        env |= {  # not `=`: that dropped the base's PYTHONPATH above (fixed 2026-11-28)
            "CHERHA_TELEGRAM_BOT_TOKEN": TOKEN,
            "CHERHA_TELEGRAM_API_URL": fakes.bot_url,
            "CHERHA_TELEGRAM_POLL_TIMEOUT_SECONDS": "1",
        }
        db = Database(url)
        try:
            WebhookRegistry(db).add(fakes.hook_url, ["*"], secret=SECRET)
        finally:
            db.dispose()
    if mode in ("own process", "hook only"):
        env |= {"CHERHA_NOTIFY_IN_SERVER": "false", "CHERHA_NOTIFY_POLL_SECONDS": "0.2"}
    if mode == "server loop":
        env |= {"CHERHA_NOTIFY_CHILD": "false"}
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        server = stack.enter_context(ServerProcess(url, extra_env=env, log=tmp / "server.log"))
        if mode == "own process":
            notifier = subprocess.Popen(
                [sys.executable, "-m", "cherha.server.cli", "notify"],
                env={**server.env, "CHERHA_LOG_LEVEL": "warning"},
                stdout=subprocess.DEVNULL,
            )
            stack.callback(notifier.wait, 30)
            stack.callback(notifier.terminate)

        async def prepare() -> None:
            kiosk = {"Authorization": f"Bearer {centre.kiosk_key}"}
            async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
                if mode != "off":
                    await follow_tickets(client, fakes.start_bot, kiosk, 100)
                else:
                    for _ in range(100):
                        await client.post("/api/v1/tickets", json={"service_id": 1}, headers=kiosk)

        asyncio.run(prepare())
        quiet_collector()
        pids = [server.pid] + ([notifier.pid] if mode == "own process" else [])
        pids += notifier_children(server.pid)
        pids.append(fakes.process.pid)  # last: the world's side, not Cherha's
        cpu = [server_cpu_seconds(pid) for pid in pids]
        paced = asyncio.run(
            paced_load(
                server.url, centre.kiosk_key, args.clients, args.rate, args.seconds, pooled.issue
            )
        )
        calls = asyncio.run(call_load(server.url, 3, args.calls, pooled.call))
        cpu = [server_cpu_seconds(pid) - before for pid, before in zip(pids, cpu, strict=True)]
    return {
        "issue_p50": paced["p50_ms"],
        "issue_p99": paced["p99_ms"],
        "call_p50": calls["p50_ms"],
        "call_p99": calls["p99_ms"],
        "server_cpu": cpu[0],
        "notifier_cpu": sum(cpu[1:-1]),
        "fakes_cpu": cpu[-1],
    }


@contextlib.contextmanager
def hooked_database(url: str, hooked: bool) -> Iterator[Database]:
    """The database; when `hooked`, with the notifications' event hook as a server with the
    bot on installs it, and a webhook taking every event (no senders run)."""
    from cherha.server.notify.fanout import Fanout, WebhookDirectory

    db = Database(url)
    try:
        if hooked:
            WebhookRegistry(db).add("http://127.0.0.1:9/x", ["*"])
            db.add_event_hook(
                Fanout(
                    telegram=True,
                    ahead_alert=3,
                    webhooks=WebhookDirectory(),
                    on_commit=lambda _channels: None,
                    notify_channel=None if db.is_sqlite else "cherha_outbox",
                )
            )
        yield db
    finally:
        db.dispose()


def print_hook_figures(label: str, what: str, times: dict[bool, list[float]]) -> None:
    off, on = (percentile(times[h], 0.5) * 1000 for h in (False, True))
    off99, on99 = (percentile(times[h], 0.99) * 1000 for h in (False, True))
    print(
        f"{label}: {what}, hook off/on: p50 {off:.2f}/{on:.2f} ms, "
        f"p99 {off99:.2f}/{on99:.2f} ms ({len(times[False])} each)",
        flush=True,
    )


def hook_cost(new_url: Callable[[], str], label: str, tickets: int = 300) -> None:
    """The request path alone: issuing in-process through the store with and without the
    notifications' event hook, two rounds alternating."""
    from cherha.server.store.tickets import TicketOps

    times: dict[bool, list[float]] = {False: [], True: []}
    for _round in range(2):
        for hooked in (False, True):
            url = new_url()
            make_centre(url)
            with hooked_database(url, hooked) as db:
                ops = TicketOps(db)
                ops.issue(KIOSK, 1, 1)
                for n in range(tickets):
                    started = time.perf_counter()
                    ops.issue(KIOSK, 1, 1 + n % 10)
                    times[hooked].append(time.perf_counter() - started)
    print_hook_figures(label, "one issue transaction", times)


def call_hook_cost(new_url: Callable[[], str], label: str, visitors: int = 200) -> None:
    """A call's request path alone: call-next and start in-process through the store with and
    without the event hook, every waiting ticket followed by a chat, so each call makes a
    "called" message; two rounds alternating. Beside it, with the hook, the Telegram sender's
    "few people ahead" pass after each call (near.py: a notice for the ticket that came within
    3 of the front), which is not on the request path."""
    from cherha.server.notify import near
    from cherha.server.store.counters import CounterOps
    from cherha.server.store.tickets import TicketOps
    from tests.helpers.app import FakeClock
    from tests.helpers.followers import follow_directly

    times: dict[bool, list[float]] = {False: [], True: []}
    passes: list[float] = []
    notices = 0
    for _round in range(2):
        for hooked in (False, True):
            url = new_url()
            make_centre(url, clerks=1)
            clock = FakeClock()
            with hooked_database(url, hooked) as db:
                ops = TicketOps(db, clock)
                tickets = [ops.issue(KIOSK, 1, 1).ticket.id for _ in range(visitors + 1)]
                with db.write(1) as session:
                    follow_directly(session, tickets, first_chat=1000, at=clock())
                CounterOps(db, clock).open(CLERK, 1)
                for _ in range(visitors):
                    clock.advance(seconds=30)
                    started = time.perf_counter()
                    view = ops.call_next(CLERK, 1)
                    assert view is not None, "nobody left to call"
                    ops.act(CLERK, view.ticket.id, "start")
                    times[hooked].append(time.perf_counter() - started)
                    if hooked:
                        started = time.perf_counter()
                        for branch_id in near.branches_due(db, 3):
                            notices += near.settle(db, branch_id, 3, clock())
                        passes.append(time.perf_counter() - started)
    print_hook_figures(
        label, "one call and start (two transactions), every waiting ticket followed", times
    )
    print(
        f'{label}: the sender\'s "few people ahead" pass after each call (not on the request '
        f"path): p50 {percentile(passes, 0.5) * 1000:.2f} ms, p99 "
        f"{percentile(passes, 0.99) * 1000:.2f} ms ({len(passes)} passes, {notices} notices)",
        flush=True,
    )


def calls_phase(url: str, fake: FakeBotApi, label: str) -> None:
    centre = make_centre(url)
    with (
        tempfile.TemporaryDirectory() as tmp,
        ServerProcess(url, extra_env=bot_env(fake), log=Path(tmp) / "server.log") as server,
    ):
        quiet_collector()
        result = asyncio.run(calls_with_followers(server.url, fake, centre.kiosk_key))
    print(CALLS_HEADER)
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {label} | {result['calls']:.0f} | {result['within_1s']:.0f} "
        f"| {result['p50_ms']:.0f} | {result['max_ms']:.0f} | {result['backlog_s']:.1f} "
        f"| {result['peak_per_s']:.0f} | {result['min_gap_s']:.2f} |",
        flush=True,
    )


def run(new_url: Callable[[], str], label: str, args: argparse.Namespace) -> None:
    if args.only in (None, "hook"):
        hook_cost(new_url, label)
        call_hook_cost(new_url, label)
    if args.only == "hook":
        return
    if args.only in (None, "calls"):
        fake = FakeBotApi().start()
        try:
            calls_phase(new_url(), fake, label)
        finally:
            fake.stop()
    if args.only == "calls":
        return
    fakes = Fakes(args.fakes_nice)
    try:
        modes = list(args.modes)
        if args.compare_src:
            modes += [m + BASE for m in args.modes if m != "off"]
        rows: dict[str, list[dict[str, float]]] = {mode: [] for mode in modes}
        pooled = {mode: Pooled() for mode in modes}
        for _round in range(args.rounds):
            for mode in modes:
                rows[mode].append(latency_round(new_url(), fakes, mode, args, pooled[mode]))
        counts = fakes.counts()
        print(LATENCY_HEADER)
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for mode in modes:
            for r in rows[mode]:
                print(
                    f"| {label} | {mode} | {r['issue_p50']:.1f} "
                    f"| {r['issue_p99']:.1f} | {r['call_p50']:.1f} | {r['call_p99']:.1f} "
                    f"| {r['server_cpu']:.2f} | {r['notifier_cpu']:.2f} | {r['fakes_cpu']:.2f} |",
                    flush=True,
                )

        def mean(mode: str, key: str) -> float:
            return sum(r[key] for r in rows[mode]) / len(rows[mode])

        for mode in modes[1:]:
            per_round = ", ".join(
                f"{on['issue_p99'] / off['issue_p99']:.2f}/{on['call_p99'] / off['call_p99']:.2f}"
                for on, off in zip(rows[mode], rows["off"], strict=True)
            )
            print(f"{label}: p99 {mode} / off per round (issuing/calling): {per_round}")
            print(
                f"{label}: p99 {mode} / off — issuing "
                f"{mean(mode, 'issue_p99') / mean('off', 'issue_p99'):.2f}, calling "
                f"{mean(mode, 'call_p99') / mean('off', 'call_p99'):.2f} "
                f"(means over {args.rounds} rounds)",
                flush=True,
            )
        off = pooled["off"]
        for mode in modes[1:]:
            on = pooled[mode]
            print(
                f"{label}: p99 of all rounds' requests pooled, {mode} / off — issuing "
                f"{on.p99('issue'):.1f} / {off.p99('issue'):.1f} ms "
                f"({on.p99('issue') / off.p99('issue'):.2f}), calling "
                f"{on.p99('call'):.1f} / {off.p99('call'):.1f} ms "
                f"({on.p99('call') / off.p99('call'):.2f})",
                flush=True,
            )
        print(
            f"({counts['messages']} Telegram messages, {counts['deliveries']} webhook deliveries)"
        )
    finally:
        fakes.stop()


def main() -> None:
    if sys.argv[1:] == ["--serve-fakes"]:
        serve_fakes()
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--rate", type=float, default=100.0, help="offered tickets/s")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--calls", type=int, default=40, help="calls per clerk")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--only", choices=["hook", "calls", "latency"], help="run one part")
    parser.add_argument("--no-sqlite", action="store_true", help="only PostgreSQL")
    parser.add_argument(
        "--fakes-nice",
        type=int,
        default=0,
        help="latency: the fake Bot API's and webhook receiver's niceness (they stand for "
        "other machines; 19 lets the server have the two cores first)",
    )
    parser.add_argument(
        "--modes",
        nargs="+",
        choices=MODES,
        default=list(MODES),
        help="latency: which servers to measure ('off' always first)",
    )
    parser.add_argument(
        "--compare-src",
        metavar="DIR",
        help="latency: also run each 'on' mode served from this source tree (e.g. an "
        "exported main's src/), interleaved in the same rounds: an A/B baseline",
    )
    args = parser.parse_args()
    args.modes = ["off", *(m for m in dict.fromkeys(args.modes) if m != "off")]
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            counter = iter(range(1000))
            run(lambda: f"sqlite:///{Path(tmp) / f'n{next(counter)}.db'}", "SQLite", args)
    if args.postgres:
        cluster = ThrowawayPostgres().start()
        try:
            run(
                lambda: cluster.create_database(f"n_{uuid.uuid4().hex[:8]}"),
                "PostgreSQL 15",
                args,
            )
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
