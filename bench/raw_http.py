"""The benchmarks' leanest HTTP client: the server's part of a latency, and of the cores.

httpx spends 1-2 ms of its own on each request here (issuing one by one, 3.9-5.1 ms against
2.5-2.7 ms this way, the same server), and on this 2-core machine every client's CPU is taken
from the server's; at a centre each kiosk and each desk is a computer of its own. A
`RawConnection` writes each request's bytes at once on one kept-alive socket and reads the
answer by its Content-Length. Each client runs on a thread of its own.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable

import httpx

from bench.common import closed_loop_figures, percentile, server_cpu_seconds


class RawConnection:
    """One client's kept-alive connection, sending its bearer token with every request."""

    def __init__(self, url: str, token: str) -> None:
        address = httpx.URL(url)
        self.host = f"{address.host}:{address.port or 80}"
        self.token = token
        self.sock = socket.create_connection((address.host, address.port or 80))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.answers = self.sock.makefile("rb")

    def post(self, path: str, payload: object = None) -> tuple[int, bytes]:
        """POST `payload` as JSON (None: an empty body); the answer's status and body."""
        body = b"" if payload is None else json.dumps(payload).encode()
        request = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\n"
            f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        self.sock.sendall(request)
        status = self.answers.readline()
        length = 0
        while (header := self.answers.readline()) not in (b"\r\n", b""):
            name, _, value = header.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        answer = self.answers.read(length)
        code = status.split()[1:2]
        if not code:
            raise RuntimeError(f"no answer to POST {path}")
        return int(code[0]), answer

    def close(self) -> None:
        self.answers.close()
        self.sock.close()


class RawKiosk(RawConnection):
    """A kiosk issuing tickets."""

    def issue(self, service_id: int) -> float:
        """Issue one ticket; the seconds it took."""
        started = time.perf_counter()
        status, answer = self.post("/api/v1/tickets", {"service_id": service_id})
        took = time.perf_counter() - started
        if status != 201:
            raise RuntimeError(f"{status}: {answer.decode(errors='replace')}")
        return took


def sequential_issue_raw(url: str, key: str, count: int) -> float:
    """Tickets issued one after another by one kiosk: the median latency in ms."""
    kiosk = RawKiosk(url, key)
    try:
        latencies = [kiosk.issue(1 + n % 10) for n in range(count + 20)][20:]  # 20 warm up
    finally:
        kiosk.close()
    return percentile(latencies, 0.5) * 1000


def _on_threads(work: Callable[[int], None], clients: int) -> float:
    """`work(n)` for n in 0…clients-1, each on a thread of its own; the seconds until all
    ended. A client's failure is raised here."""
    failures: list[BaseException] = []

    def guarded(n: int) -> None:
        try:
            work(n)
        except BaseException as failure:  # raised again in the calling thread
            failures.append(failure)

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return time.perf_counter() - started


def issue_load_raw(url: str, key: str, pid: int, clients: int, total: int) -> dict[str, float]:
    """`clients` kiosks issue `total` tickets as fast as answered (after a warm-up round of
    as many): tickets a second, the server's CPU per ticket, latency p50 and p99."""
    latencies: list[float] = []
    remaining = [0]
    lock = threading.Lock()
    kiosks = [RawKiosk(url, key) for _ in range(clients)]

    def kiosk(n: int) -> None:
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
                service = 1 + remaining[0] % 10
            took = kiosks[n].issue(service)
            with lock:
                latencies.append(took)

    try:
        remaining[0] = total
        _on_threads(kiosk, clients)  # warm-up
        latencies.clear()
        remaining[0] = total
        cpu = server_cpu_seconds(pid)
        elapsed = _on_threads(kiosk, clients)
        cpu = server_cpu_seconds(pid) - cpu
    finally:
        for each in kiosks:
            each.close()
    return closed_loop_figures(latencies, total, elapsed, cpu)


def clerk_load_raw(url: str, tokens: list[str], pid: int, visitors: int) -> dict[str, float]:
    """Clerks at windows 1…len(tokens) (opened, logged in with `tokens`) call and start
    `visitors` visitors as fast as answered: visitors a second, the pair's latency p50 and
    p99, the server's CPU per visitor."""
    latencies: list[float] = []
    remaining = [visitors]
    lock = threading.Lock()
    desks = [RawConnection(url, token) for token in tokens]

    def clerk(n: int) -> None:
        desk, window = desks[n], n + 1
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            started = time.perf_counter()
            status, answer = desk.post(f"/api/v1/counters/{window}/call-next")
            if status == 204:
                return  # nobody left this window serves
            if status != 200:
                raise RuntimeError(f"{status}: {answer.decode(errors='replace')}")
            ticket_id = json.loads(answer)["id"]
            status, answer = desk.post(f"/api/v1/tickets/{ticket_id}/start")
            if status != 200:
                raise RuntimeError(f"{status}: {answer.decode(errors='replace')}")
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)

    try:
        cpu = server_cpu_seconds(pid)
        elapsed = _on_threads(clerk, len(desks))
        cpu = server_cpu_seconds(pid) - cpu
    finally:
        for desk in desks:
            desk.close()
    return {
        "visitors_per_second": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "cpu_ms": cpu / len(latencies) * 1000,
    }
