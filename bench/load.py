"""An open-loop HTTP load generator light enough to share two cores with the system under test.

Requests are scheduled at a fixed rate and each latency is measured from its *scheduled* time,
so a slow server cannot hide its queueing (no coordinated omission). It speaks plain HTTP/1.1
over keep-alive connections with asyncio streams: httpx costs about 2 ms of CPU a request, which
at 200 requests/s saturates the load generator's own core before the server's.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

IDLE_SECONDS = 4.0  # a connection idle longer is opened anew before it is used (uvicorn keeps 5 s)


@dataclass
class Outcome:
    """What one run observed."""

    latencies_ms: list[float] = field(default_factory=list)
    scheduled: dict[int, float] = field(default_factory=dict)
    bodies: dict[int, Any] = field(default_factory=dict)
    failures: int = 0
    refused: dict[int, int] = field(default_factory=dict)  # answers other than the expected, by status
    marks: list[Any] = field(default_factory=list)  # what ``mark()`` gave as counting began and ended


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
    warmup: float = 0.0,
    mark: Callable[[], Any] | None = None,
) -> Outcome:
    """Send ``rate`` requests a second for ``seconds``; ``make_request(n)`` builds request ``n``.
    The first ``warmup`` seconds of them are sent but not counted: the server's connection pools
    fill and its caches warm there, as they have on a server that has been up a while."""
    outcome = Outcome()
    queue: asyncio.Queue[tuple[int, float] | None] = asyncio.Queue()

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        used = time.monotonic()
        try:
            while (job := await queue.get()) is not None:
                n, scheduled = job
                if time.monotonic() - used > IDLE_SECONDS:
                    # uvicorn closes a connection idle for 5 s; a request sent on it as it does fails
                    # (at 5 a second on 64 connections, each is idle 13 s: a reduced run counted
                    # every connection's second request as the server's failure)
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                used = time.monotonic()
                try:
                    status, body = await _exchange(reader, writer, make_request(n))
                except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                    outcome.failures += 1
                    reader, writer = await asyncio.open_connection(host, port)
                    continue
                if status != expect:
                    outcome.failures += 1
                    outcome.refused[status] = outcome.refused.get(status, 0) + 1
                    if len(outcome.bodies) < 5 and -status not in outcome.bodies:
                        outcome.bodies[-status] = body[:300].decode(errors="replace")
                    continue
                if n < counted_from:
                    continue
                outcome.latencies_ms.append((time.time() - scheduled) * 1000)
                outcome.scheduled[n] = scheduled
                outcome.bodies[n] = json.loads(body) if body else None
        finally:
            writer.close()

    counted_from = int(rate * warmup)
    # The load generator's own full garbage collections (it keeps every response) took up to
    # 120 ms here: every request sent or answered meanwhile would count them as the server's
    # latency. None during the load: collected before, and after.
    gc.collect()
    gc.disable()
    try:
        workers = [asyncio.create_task(connection()) for _ in range(connections)]
        begin = time.time() + 0.2
        for n in range(counted_from + int(rate * seconds)):
            at = begin + n / rate
            await asyncio.sleep(max(0.0, at - time.time()))
            if n == counted_from and mark is not None:
                outcome.marks.append(mark())
            queue.put_nowait((n, at))
        for _ in workers:
            queue.put_nowait(None)
        await asyncio.gather(*workers)
    finally:
        gc.enable()
    if mark is not None:
        outcome.marks.append(mark())
    return outcome


def _children(pid: int) -> list[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return [int(c) for task in tasks for c in (task / "children").read_text().split()]
    except OSError:
        return []


def _stat(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user and system) of a process and its descendants, those that ended included
    (their time moves to their parent's account when it reaps them: PostgreSQL's connections come
    and go). uvicorn's workers and PostgreSQL's server processes are children of the one started."""
    root = _stat(pid)
    total = sum(int(x) for x in root[13:15]) if root else 0  # children reaped
    todo = [pid]
    while todo:
        current = todo.pop()
        fields = _stat(current)
        if fields:
            total += int(fields[11]) + int(fields[12])
            todo += _children(current)
    return total / os.sysconf("SC_CLK_TCK")


def parent_of(pid: int) -> int:
    """The parent process's id (0 once the process is gone)."""
    fields = _stat(pid)
    return int(fields[1]) if fields else 0


@dataclass
class MachineCpu:
    """Where the machine's CPU time went between two readings of /proc/stat."""

    start: list[int] = field(default_factory=lambda: MachineCpu.read())

    @staticmethod
    def read() -> list[int]:
        return [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]

    def shares(self) -> dict[str, float]:
        """Percent of the machine's time: user, system, idle, iowait and steal (time the host gave
        to other guests: on shared cores, a run's numbers depend on it)."""
        spent = [b - a for a, b in zip(self.start, self.read(), strict=False)]
        total = sum(spent) or 1
        names = {"user": 0, "system": 2, "idle": 3, "iowait": 4, "steal": 7}
        return {name: round(100 * spent[i] / total, 1) for name, i in names.items()}
