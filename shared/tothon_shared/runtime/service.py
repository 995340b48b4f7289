"""Turns a service definition into its running parts: event store, read store, relay, projectors,
inbox and the worker loop. Embedded and distributed modes differ only in the settings and transport."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar
from uuid import UUID

import structlog
from eventsourcing.application import Application
from sqlalchemy import text

from tothon_shared.contracts.catalog import CHANNELS
from tothon_shared.eventstore.application import TrackingApplication
from tothon_shared.eventstore.environment import event_store_env, read_store_url
from tothon_shared.eventstore.notification_log import NotificationLog
from tothon_shared.messaging.inbox import Inbox
from tothon_shared.messaging.relay import OutboxRelay
from tothon_shared.messaging.transport import Transport
from tothon_shared.messaging.use_cases import UseCaseRunner
from tothon_shared.readstore import projection_alarm
from tothon_shared.readstore.projection import Projector
from tothon_shared.readstore.store import ReadStore
from tothon_shared.runtime.definition import ServiceDefinition
from tothon_shared.runtime.heartbeat import beat
from tothon_shared.runtime.outage import OutageLog
from tothon_shared.runtime.pgsetup import ensure_database, schema_turn
from tothon_shared.runtime.settings import Mode, Settings

log = structlog.get_logger(__name__)
T = TypeVar("T")


class ServiceRuntime:
    """One service's parts, wired from settings."""

    def __init__(self, definition: ServiceDefinition, settings: Settings, transport: Transport) -> None:
        self.definition = definition
        self.settings = settings
        self.transport = transport
        name = definition.name
        turn: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
        if settings.mode is Mode.DISTRIBUTED:
            ensure_database(settings, settings.database_name(name))
            turn = schema_turn(settings, settings.database_name(name))
        with turn:  # the event store's, the keys' and the read models' tables
            self.app: Application[UUID] = _with_retries(
                lambda: definition.application(event_store_env(settings, name))
            )
            self.store = ReadStore(
                read_store_url(settings, name),
                definition.metadata,
                settings.pg_pool_size,
                settings.pg_pool_timeout_seconds,
            )
            _with_retries(self.store.create_all)
        self.log = NotificationLog(self.app)
        self.relay = (
            OutboxRelay(
                self.log,
                definition.outbound,
                transport,
                self.store,
                settings.topic_prefix,
                settings.relay_batch_size,
                settings.fault_relay_exit_after,
            )
            if definition.outbound
            else None
        )
        self.projectors = [
            Projector(
                p.name,
                self.log,
                self.store,
                p.apply,
                p.tables,
                events=p.events,
                service=name,
                max_attempts=settings.consumer_max_attempts,
            )
            for p in definition.projections
        ]
        handlers = {t: h for by_type in definition.inbound.values() for t, h in by_type.items()}
        self.inbox = Inbox(
            name, self.store, handlers, transport, settings.consumer_max_attempts, self._use_cases()
        )
        # The instant scheduled work is done at: the wall clock, unless a test sets another.
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._next_run = dict.fromkeys((s.name for s in definition.schedules), 0.0)

    @property
    def name(self) -> str:
        return self.definition.name

    def _use_cases(self) -> UseCaseRunner | None:
        use_cases = {t: u for by_type in self.definition.use_cases.values() for t, u in by_type.items()}
        if not use_cases:
            return None
        if not isinstance(self.app, TrackingApplication):
            raise TypeError(f"{self.name}: inbound use cases need a TrackingApplication")
        return UseCaseRunner(self.app, use_cases, self.settings.fault_inbound_exit_after)

    def inbound_channels(self) -> list[str]:
        """The channels this service consumes: for its read models or its use cases."""
        return list(dict.fromkeys([*self.definition.inbound, *self.definition.use_cases]))

    def inbound_topics(self) -> list[str]:
        """The topics this service consumes."""
        return [CHANNELS[c].topic(self.settings.topic_prefix) for c in self.inbound_channels()]

    def subscribe(self) -> None:
        """Register the inbox on every inbound topic, in the consumer group named after the service."""
        for topic in self.inbound_topics():
            self.transport.subscribe(self.name, topic, self.inbox.handle_batch)

    async def work_once(self) -> int:
        """One round of the worker: relay a batch and advance every projection."""
        done = 0
        if self.relay is not None:
            done += await self.relay.run_once()
        for projector in self.projectors:
            done += await projector.run_once_async()
        await self.run_schedules()  # not counted as busy: it has its own pace
        return done

    async def run_schedules(self, force: bool = False) -> int:
        """Run the scheduled work that is due (all of it, with ``force``); how much it did."""
        done = 0
        for schedule in self.definition.schedules:
            started = time.monotonic()
            if not force and started < self._next_run[schedule.name]:
                continue
            self._next_run[schedule.name] = started + schedule.every_seconds
            done += await asyncio.to_thread(schedule.run, self, self.clock())
        return done

    async def run_worker(self, stop: asyncio.Event) -> None:
        """Relay and project until ``stop`` is set; poll when idle (SQLite has no push)."""
        projection_alarm.watch(self.name, self.store)
        try:
            await self._work_until(stop)
        finally:
            projection_alarm.unwatch(self.name)

    async def _work_until(self, stop: asyncio.Event) -> None:
        # A database or broker outage fails every round: its cause is logged once, then at most
        # every 30 s with the count, and its end once (not a traceback a second).
        outage = OutageLog(log, "worker.round_failed", service=self.name)
        broker = BrokerProbe(self.transport, self.name)
        while not stop.is_set():
            if self.settings.heartbeat_file is not None:
                beat(self.settings.heartbeat_file)
            await broker.probe()
            try:
                busy = await self.work_once()
            except Exception as error:
                outage.failed(error)
                busy = 0
                await asyncio.sleep(1.0)
            else:
                outage.succeeded()
            if not busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self.settings.poll_interval_seconds)

    def ready(self) -> bool:
        """Whether the read store and event store answer."""
        with self.store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        self.app.recorder.max_notification_id()
        return True

    def alarms(self) -> list[dict[str, object]]:
        """What an operator must look at: projections with events failing, parked or held."""
        return projection_alarm.alarms(self.store)

    def close(self) -> None:
        """Release connections."""
        self.store.dispose()
        self.app.close()


BROKER_PROBE_SECONDS = 10.0


class BrokerProbe:
    """Asks the broker every ``BROKER_PROBE_SECONDS`` whether it answers, so that a broker outage
    is said once (then every 30 s at most) with its end, whatever the Kafka client's own
    lines; those are kept to one per kind every 30 s (``telemetry.RepeatsLeftOut``)."""

    def __init__(self, transport: Transport, service: str) -> None:
        self._transport = transport
        self._outage = OutageLog(log, "worker.broker_unreachable", service=service)
        self._next = 0.0

    async def probe(self) -> None:
        now = time.monotonic()
        if now < self._next:
            return
        self._next = now + BROKER_PROBE_SECONDS
        if await self._transport.reachable():
            self._outage.succeeded()
        else:
            self._outage.failed(ConnectionError("the broker does not answer"))


def _with_retries(make: Callable[[], T], attempts: int = 5) -> T:
    # Processes of one service take turns creating their tables (``schema_turn``), so they no
    # longer collide; what is tried again is a passing failure at start (a connection lost).
    for attempt in range(1, attempts + 1):
        try:
            return make()
        except Exception as error:
            if attempt == attempts:
                raise
            log.warning("runtime.setup_retry", attempt=attempt, error=str(error))
            time.sleep(0.5 * attempt)
    raise AssertionError("unreachable")
