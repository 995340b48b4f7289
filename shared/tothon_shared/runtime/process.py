"""Building a service's runtime and running its API or worker process."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI

from tothon_shared.http.web import create_service_api
from tothon_shared.messaging.kafka_bus import KafkaTransport
from tothon_shared.messaging.local_bus import LocalLogBus
from tothon_shared.messaging.transport import Transport
from tothon_shared.runtime.definition import ServiceDefinition
from tothon_shared.runtime.heartbeat import beat
from tothon_shared.runtime.long_lived import LongLivedObjects
from tothon_shared.runtime.outage import OutageLog
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Mode, Settings
from tothon_shared.runtime.telemetry import setup_logging, setup_tracing

log = structlog.get_logger(__name__)
# How often a worker whose broker is unreachable at start tries again.
BROKER_RETRY_SECONDS = 5.0


def make_transport(settings: Settings, client_id: str) -> Transport:
    """Kafka when distributed; the SQLite log bus in the data folder when embedded."""
    if settings.mode is Mode.DISTRIBUTED:
        return KafkaTransport(settings.kafka_bootstrap, client_id)
    return LocalLogBus(settings.data_dir / "bus.sqlite", settings.poll_interval_seconds)


def build_runtime(definition: ServiceDefinition, settings: Settings) -> ServiceRuntime:
    """Observability first, then the service's parts."""
    setup_logging(settings.log_level, settings.log_json)
    setup_tracing(definition.name, settings.otlp_endpoint)
    return ServiceRuntime(definition, settings, make_transport(settings, definition.name))


def api_app(runtime: ServiceRuntime) -> FastAPI:
    """The API process: commands and queries; relaying and consuming happen in the worker."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        long_lived = LongLivedObjects()
        long_lived.install()
        try:
            yield
        finally:
            long_lived.uninstall()
            await app.state.authenticator.close()
            runtime.close()

    return create_service_api(runtime, lifespan)


def api_from_environment() -> FastAPI:
    """The API app of the service named by ``TOTHON_SERVICE``: the factory that uvicorn's worker
    processes import when ``api --workers N`` runs several of them on one port."""
    settings = Settings()
    if not settings.service:
        raise RuntimeError("TOTHON_SERVICE names the service whose API to build")
    module = importlib.import_module(f"tothon_{settings.service}.bootstrap")
    definition: ServiceDefinition = module.DEFINITION
    return api_app(build_runtime(definition, settings))


async def run_worker(runtime: ServiceRuntime) -> None:
    """The worker process: relay, projections and consumers until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    runtime.subscribe()
    if not await _started_when_reachable(runtime, stop):
        runtime.close()
        return
    log.info("worker.started", service=runtime.name, topics=runtime.inbound_topics())
    try:
        await runtime.run_worker(stop)
    finally:
        await runtime.transport.stop()
        runtime.close()
        log.info("worker.stopped", service=runtime.name)


async def _started_when_reachable(runtime: ServiceRuntime, stop: asyncio.Event) -> bool:
    """Start the transport, waiting for its broker if it is unreachable (said once, then every
    30 s at most, and when it answers) instead of exiting; False if stopped meanwhile."""
    outage = OutageLog(log, "worker.broker_unreachable", service=runtime.name)
    while not stop.is_set():
        if runtime.settings.heartbeat_file is not None:
            beat(runtime.settings.heartbeat_file)  # alive, waiting: a restart would not help
        try:
            await runtime.transport.start()
        except Exception as error:
            outage.failed(error)
            await runtime.transport.stop()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=BROKER_RETRY_SECONDS)
            continue
        outage.succeeded()
        return True
    return False


async def rebuild_read_models(runtime: ServiceRuntime) -> dict[str, int]:
    """Drop and rebuild every read model: projections from the event store, inbound tables from
    the topics' whole history. Run it while the service's worker is stopped, with the transport
    started (dead letters are published through it)."""
    counts: dict[str, int] = {}
    for projector in runtime.projectors:
        counts[projector.name] = await asyncio.to_thread(projector.rebuild)
        # Events that still fail are parked again, not retried for ever: say how many.
        if waiting := len(await asyncio.to_thread(projector.listed)):
            counts[f"{projector.name} set aside"] = waiting
    if runtime.inbound_channels():
        # Use cases are not undone: their messages are tracked, so the replay skips them.
        await asyncio.to_thread(_clear_inbound, runtime)
        for topic in runtime.inbound_topics():
            counts[topic] = await runtime.transport.replay(topic, runtime.inbox.handle_batch)
    return counts


async def rebuild_offline(runtime: ServiceRuntime) -> dict[str, int]:
    """``rebuild_read_models`` from the command line, starting and stopping the transport."""
    await runtime.transport.start()
    try:
        return await rebuild_read_models(runtime)
    finally:
        await runtime.transport.stop()


def _clear_inbound(runtime: ServiceRuntime) -> None:
    store = runtime.store
    with store.transaction() as session:
        for table in reversed(runtime.definition.inbound_tables):
            session.execute(table.delete())
        session.execute(store.processed.delete().where(store.processed.c.consumer == runtime.name))
