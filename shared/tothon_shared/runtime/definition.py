"""What a service declares about itself; the runtime turns it into processes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from uuid import UUID

from eventsourcing.application import Application
from fastapi import APIRouter
from sqlalchemy import MetaData, Table

from tothon_shared.auth.http import SessionCheck
from tothon_shared.auth.roles import Permission
from tothon_shared.http.error_map import ErrorMap
from tothon_shared.http.messages import Messages
from tothon_shared.messaging.inbox import EventHandler
from tothon_shared.messaging.relay import OutboundMapping
from tothon_shared.messaging.use_cases import UseCase
from tothon_shared.readstore.projection import Apply
from tothon_shared.readstore.store import ReadStore
from tothon_shared.runtime.settings import Settings


class Runtime(Protocol):
    """What a service's wiring (its routers, its session check) may use of the running service
    (``runtime.service.ServiceRuntime``). A protocol, so that the definition does not import the
    runtime that is built from it."""

    @property
    def name(self) -> str: ...

    @property
    def app(self) -> Application[UUID]: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def store(self) -> ReadStore: ...


@dataclass(frozen=True)
class ProjectionSpec:
    """A projection of the service's own events into some of its tables."""

    name: str
    apply: Apply
    tables: tuple[Table, ...]
    # The event classes ``apply`` uses, when a few among many: the others are never read from
    # the store nor decoded (the accounts projection used to unseal every person's details).
    # Empty: every event.
    events: tuple[type, ...] = ()


@dataclass(frozen=True)
class Schedule:
    """Work the worker does by itself, every ``every_seconds`` (and at its first round): ``run``
    is given the runtime and the instant by the runtime's clock (which tests set), and returns
    how much it did. It runs in a thread (it may block on the stores) and must be safe to run in
    several workers at once: the event store's optimistic concurrency refuses a second writer."""

    name: str
    every_seconds: float
    run: Callable[[Runtime, datetime], int]


@dataclass(frozen=True)
class ServiceDefinition:
    """A service: its application, read models, events in and out, and HTTP routers."""

    name: str
    title: str
    application: Callable[[Mapping[str, str]], Application[UUID]]
    metadata: MetaData
    routers: Callable[[Runtime], Sequence[APIRouter]]
    # Channel names (see contracts.catalog) this service publishes and the mapping that fills them.
    publishes: tuple[str, ...] = ()
    outbound: OutboundMapping | None = None
    projections: tuple[ProjectionSpec, ...] = ()
    # Channel name -> event type -> handler; the consumer group is the service's name.
    inbound: Mapping[str, Mapping[str, EventHandler]] = field(default_factory=dict)
    # Tables rebuilt from inbound events when the read model is rebuilt.
    inbound_tables: tuple[Table, ...] = ()
    # The registry checks on every request that the token's session is still open.
    session_check: Callable[[Runtime], SessionCheck] | None = None
    # The registry signs the access tokens (with its private key); the others only verify them.
    issues_tokens: bool = False
    # The service's domain errors and the problems they become (``http.error_map``).
    errors: ErrorMap | None = None
    # --- inbound use cases ---
    # Channel name -> event type -> use case of the service's application (which must then be a
    # ``TrackingApplication``), run once per message (messaging.use_cases). A type may also have
    # a read-model handler in ``inbound``; both run.
    use_cases: Mapping[str, Mapping[str, UseCase]] = field(default_factory=dict)
    # --- service vocabulary ---
    # What the service's endpoints may require, each permission saying which roles carry it (the
    # general ones, ``auth.roles.GeneralPermission``, are every service's). A route requiring a
    # permission not declared here stops the service at start.
    permissions: tuple[type[Permission], ...] = ()
    # The service's user-facing messages (Vietnamese and English), beside the general ones: the
    # keys its problems and texts use.
    messages: Messages = field(default_factory=dict)
    # Routes (path templates, e.g. "/api/v1/imports") whose request body may be larger (or must be
    # smaller) than ``http.web.MAX_BODY_BYTES``, in bytes.
    body_limits: Mapping[str, int] = field(default_factory=dict)
    # Work the worker does by itself on a clock (feedback escalates cases past their deadline).
    schedules: tuple[Schedule, ...] = ()
