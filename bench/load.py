"""An open-loop HTTP load generator light enough to share two cores with the system under test.

Requests are scheduled at a fixed rate and each latency is measured from its *scheduled* time,
so a slow server cannot hide its queueing (no coordinated omission). It speaks plain HTTP/1.1
over keep-alive connections with asyncio streams: httpx costs about 2 ms of CPU a request, which
at 200 requests/s saturates the load generator's own core before the server's.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Outcome:
    """What one run observed."""

    latencies_ms: list[float] = field(default_factory=list)
    scheduled: dict[int, float] = field(default_factory=dict)
    bodies: dict[int, Any] = field(default_factory=dict)
    failures: int = 0


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, bytes]:
    writer.write(request)
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return status, await reader.readexactly(length)


def request_bytes(method: str, path: str, body: Any | None = None, token: str | None = None) -> bytes:
    """An HTTP/1.1 request with a JSON body (and a bearer token)."""
    payload = json.dumps(body).encode() if body is not None else b""
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n{auth}"
        f"Content-Length: {len(payload)}\r\n\r\n"
    ).encode()
    return head + payload


async def run(
    host: str,
    port: int,
    make_request: Callable[[int], bytes],
    rate: int,
    seconds: float,
    connections: int = 64,
    expect: int = 200,
) -> Outcome:
    """Send ``rate`` requests a second for ``seconds``; ``make_request(n)`` builds request ``n``."""
    outcome = Outcome()
    queue: asyncio.Queue[tuple[int, float] | None] = asyncio.Queue()

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while (job := await queue.get()) is not None:
                n, scheduled = job
                try:
                    status, body = await _exchange(reader, writer, make_request(n))
                except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                    outcome.failures += 1
                    reader, writer = await asyncio.open_connection(host, port)
                    continue
                if status != expect:
                    outcome.failures += 1
                    continue
                outcome.latencies_ms.append((time.time() - scheduled) * 1000)
                outcome.scheduled[n] = scheduled
                outcome.bodies[n] = json.loads(body) if body else None
        finally:
            writer.close()

    workers = [asyncio.create_task(connection()) for _ in range(connections)]
    begin = time.time() + 0.2
    for n in range(int(rate * seconds)):
        at = begin + n / rate
        await asyncio.sleep(max(0.0, at - time.time()))
        queue.put_nowait((n, at))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    return outcome
