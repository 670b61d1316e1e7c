"""What one webhook POST costs the sender's process: httpx against aiohttp.

The webhook sender (`cherha.server.notify.delivery`) POSTs one signed JSON body per event; with
a webhook taking every event, that is a POST for every ticket issued, called, started. Its CPU
shares the server's cores with the queue's requests. This measures the sending process's CPU
per POST for each client, used as the sender uses it (a session kept open, eight at a time,
passes of 50), against a minimal HTTP/1.1 receiver in another process (its CPU not counted),
rounds alternating A B A B:

    .venv/bin/python bench/bench_webhook_client.py
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable

import aiohttp
import httpx

PARALLEL, BATCH = 8, 50
BODY = json.dumps(
    {"delivery_id": 1, "event_id": 7, "kind": "ticket_issued", "data": {"number": "A-012"}},
    separators=(",", ":"),
).encode()
HEADERS = {
    "X-Cherha-Event": "ticket_issued",
    "X-Cherha-Delivery": "1",
    "X-Cherha-Timestamp": "1790000000",
    "X-Cherha-Signature": "sha256=" + "0" * 64,
}

RECEIVER = r"""
import asyncio
async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()
asyncio.run(main())
"""

Post = Callable[[], Awaitable[None]]


async def cpu_per_post(client: str, url: str, posts: int) -> float:
    """Milliseconds of this process's CPU per POST, after a warm-up."""
    parallel = asyncio.Semaphore(PARALLEL)
    headers = {"User-Agent": "Cherha/bench", "Content-Type": "application/json", **HEADERS}

    async def passes(post: Post) -> float:
        async def one() -> None:
            async with parallel:
                await post()

        await asyncio.gather(*(one() for _ in range(BATCH * 4)))  # warm up: connections open
        started = time.process_time()
        for _ in range(posts // BATCH):
            await asyncio.gather(*(one() for _ in range(BATCH)))
        return (time.process_time() - started) / posts * 1000

    if client == "httpx":
        async with httpx.AsyncClient(
            timeout=httpx.Timeout(10), follow_redirects=False, trust_env=False
        ) as session:

            async def post_httpx() -> None:
                response = await session.post(url, content=BODY, headers=headers)
                assert response.status_code == 200

            return await passes(post_httpx)
    async with aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=10), trust_env=False
    ) as aio:

        async def post_aiohttp() -> None:
            async with aio.post(url, data=BODY, headers=headers, allow_redirects=False) as r:
                assert r.status == 200
                await r.read()

        return await passes(post_aiohttp)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    receiver = subprocess.Popen([sys.executable, "-c", RECEIVER], stdout=subprocess.PIPE, text=True)
    try:
        assert receiver.stdout is not None
        url = f"http://127.0.0.1:{int(receiver.stdout.readline())}/hook"
        results: dict[str, list[float]] = {"httpx": [], "aiohttp": []}
        for _ in range(args.rounds):
            for client in results:
                results[client].append(asyncio.run(cpu_per_post(client, url, args.posts)))
    finally:
        receiver.kill()
        receiver.wait()
    print(f"CPU of the sending process per POST, ms ({args.posts} POSTs a round):")
    for client, figures in results.items():
        rounds = ", ".join(f"{f:.3f}" for f in figures)
        print(f"  {client:8} median {statistics.median(figures):.3f}  (rounds: {rounds})")
    ratio = statistics.median(results["httpx"]) / statistics.median(results["aiohttp"])
    print(f"httpx / aiohttp: {ratio:.1f}")


if __name__ == "__main__":
    main()
