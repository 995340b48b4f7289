"""A broker outage is a few log lines, not thousands: a worker whose broker does not answer says so
once and waits (the Kafka client's own lines kept to one of a kind), then starts when it answers
and says that too."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from deployments import Deployment
from polling import wait_for

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _forwarding(port: int, to: str) -> Iterator[None]:
    """The broker answering at ``port``: a TCP relay to the running one (whose metadata then sends
    the clients to its own address)."""
    host, target = to.rsplit(":", 1)
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        finally:
            writer.close()

    async def relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(host, int(target))
        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    async def serve() -> asyncio.Server:
        return await asyncio.start_server(relay, "127.0.0.1", port)

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(serve())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)


def test_a_worker_waits_for_an_unreachable_broker_in_a_few_lines_and_starts_when_it_answers(
    deployment: Deployment,
) -> None:
    port = _free_port()  # nothing listens there: the broker is down
    log = deployment.workdir / "funds-worker.log"
    env = deployment.env | {"TOTHON_KAFKA_BOOTSTRAP": f"127.0.0.1:{port}"}
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "tothon_funds", "worker"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        time.sleep(20)  # four attempts at least
        assert worker.poll() is None, log.read_text()  # waiting, not exited
        down = log.read_text(errors="replace").splitlines()
        assert [line for line in down if "worker.broker_unreachable" in line][:1], down
        assert len(down) <= 6, "\n".join(down)  # it said so once; the client's line once too
        assert "Traceback" not in log.read_text()
        with _forwarding(port, deployment.settings.kafka_bootstrap):
            wait_for(lambda: "worker.started" in log.read_text(errors="replace"), 60, "the worker starting")
        assert "worker.broker_unreachable.recovered" in log.read_text(errors="replace")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
