"""20 clients guessing passwords at a real server process: the guesses are checked one at a
time or refused unhashed, and every ticket asked for meanwhile is issued."""

from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path

import httpx
import pytest

from cherha.server.auth import HASHING_QUEUE, HASHING_THREADS, Passwords
from cherha.server.settings import Settings
from tests.helpers.postgres import ThrowawayPostgres
from tests.helpers.server import ServerProcess, prepare_database

# Twenty threads hammer a server: with the other such tests, never two at once (tests/README.md).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("whole_machine")]

FLOODERS = 20


def issue_latencies(url: str, key: str, count: int) -> list[float]:
    times = []
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as client:
        for n in range(count):
            started = time.perf_counter()
            r = client.post("/api/v1/tickets", json={"service_id": 1 + n % 5}, timeout=30)
            times.append(time.perf_counter() - started)
            assert r.status_code == 201, r.text
            time.sleep(0.02)
    return times


def flood(url: str, stop: threading.Event, statuses: list[int], n: int) -> None:
    with httpx.Client(base_url=url, timeout=30) as client:
        while not stop.is_set():
            r = client.post(
                "/api/v1/auth/login",
                json={"username": f"clerk{n % 2 + 1}", "password": f"guess-{n}"},
            )
            statuses.append(r.status_code)


def time_one_check(url: str) -> float:
    """The fastest of three checks, alone (an unknown name costs a real hash too).

    Just after the flood this address may still be told to wait (429 with Retry-After, how
    long depends on when the flood's last guess landed): it waits as a client does.
    """
    times = []
    for _ in range(10):
        started = time.perf_counter()
        r = httpx.post(
            f"{url}/api/v1/auth/login",
            json={"username": "nobody-here", "password": "wrong-password"},
            timeout=30,
        )
        elapsed = time.perf_counter() - started
        if r.status_code == 429 and r.headers.get("Retry-After"):
            time.sleep(float(r.headers["Retry-After"]))
            continue
        assert r.status_code == 401, r.text
        times.append(elapsed)
        if len(times) == 3:
            return min(times)
    raise AssertionError(f"no three checks in ten tries: {times}")


def run(database_url: str, log: Path) -> None:
    # Production's hashing cost stored in the hashes (the server process hashes at that cost).
    prepared = prepare_database(database_url, passwords=Passwords())
    server = ServerProcess(database_url, log=log).start(120)
    try:
        issue_latencies(server.url, prepared.kiosk_key, 20)  # warm up
        check_before = time_one_check(server.url)
        quiet = issue_latencies(server.url, prepared.kiosk_key, 60)
        stop = threading.Event()
        statuses: list[int] = []
        threads = [
            threading.Thread(target=flood, args=(server.url, stop, statuses, n))
            for n in range(FLOODERS)
        ]
        flood_started = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        try:
            loud = issue_latencies(server.url, prepared.kiosk_key, 60)
        finally:
            stop.set()
            for thread in threads:
                thread.join(30)
        flood_seconds = time.perf_counter() - flood_started
        quiet_ms, loud_ms = statistics.median(quiet) * 1000, statistics.median(loud) * 1000
        print(f"issue median: quiet {quiet_ms:.1f} ms, under the flood {loud_ms:.1f} ms")
        assert set(statuses) <= {401, 429, 503}, set(statuses)
        # Twenty guessers against one hashing thread and a queue of four: guesses beyond
        # those are refused at once as waiting (429) or busy (503), never queued.
        hashed = statuses.count(401)
        refused = statuses.count(429) + statuses.count(503)
        print(f"{len(statuses)} guesses: {hashed} checked, {refused} refused unhashed")
        assert refused > 0
        # The checks ran one at a time: no more than one thread's worth of hashes in the
        # flood's time. A single check is timed alone before and after, on this machine (the
        # faster: a shared machine's load may grow after the flood); every refusal is
        # answered after the server's fixed delay, which is not hashing.
        refusal_delay = Settings.model_fields["login_refusal_delay_seconds"].default
        one_hash = min(check_before, time_one_check(server.url)) - refusal_delay
        assert one_hash > 0
        assert hashed <= flood_seconds / one_hash + HASHING_QUEUE + HASHING_THREADS, (
            hashed,
            flood_seconds,
            one_hash,
        )
        # How much the flood moves issuing is a speed figure, measured by a benchmark
        # (bench/bench_hardening.py, docs/benchmarks.md) and not bounded here: on a shared
        # machine a timed bound fails with the load beside it. What made the flood stall the
        # queue — a check holding the database's lock — is tested without a clock
        # (test_login.py::test_a_password_check_holds_no_database_lock); here every ticket
        # asked for during the flood was issued (`issue_latencies` asserts each 201).
        assert len(loud) == 60
        r = httpx.post(
            f"{server.url}/api/v1/auth/login", json={"username": "admin", "password": "x" * 9}
        )
        assert r.status_code in (401, 429)
    finally:
        server.stop()


def test_sqlite_a_login_flood_is_bounded_and_issuing_goes_on(tmp_path: Path) -> None:
    run(f"sqlite:///{tmp_path / 'flood.db'}", tmp_path / "server.log")


@pytest.mark.postgres
def test_postgres_a_login_flood_is_bounded_and_issuing_goes_on(
    postgres_cluster: ThrowawayPostgres, tmp_path: Path
) -> None:
    run(postgres_cluster.create_database("login_flood"), tmp_path / "server.log")
