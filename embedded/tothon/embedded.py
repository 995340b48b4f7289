"""The embedded composition: one process, one port, each service under its own path prefix, each
with its own SQLite event store and read database, and the SQLite log bus between them."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from tothon.communication_seed import seed_communication
from tothon.feedback_seed import seed_feedback
from tothon.funds_seed import seed_funds
from tothon.seed import seed_pilot_units
from tothon.services import DEFINITIONS
from tothon_registry.application import RegistryApplication
from tothon_shared.http.problems import install_problem_handlers
from tothon_shared.http.web import create_service_api
from tothon_shared.messaging.local_bus import LocalLogBus
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Mode, Settings
from tothon_shared.runtime.telemetry import setup_logging, setup_tracing

FRONTEND_DIR = Path(__file__).resolve().parents[2] / "frontends" / "web"


@dataclass
class Embedded:
    """The running suite: the root app, each service's runtime, and the bus."""

    app: FastAPI
    runtimes: dict[str, ServiceRuntime]
    bus: LocalLogBus
    seed: bool = True
    stop: asyncio.Event = field(default_factory=asyncio.Event)


# The layout of the embedded data directory. 2: persons of their own, with sealed details.
# 3: units with histories and successors (new read-model columns; the official list imported).
DATA_FORMAT = 3


class IncompatibleDataError(RuntimeError):
    """The data directory was written by an older, incompatible Tothon."""


def _check_data_format(data_dir: Path) -> None:
    marker = data_dir / "FORMAT"
    has_events = (data_dir / "registry-events.sqlite").exists()
    found = int(marker.read_text().strip() or 0) if marker.exists() else (1 if has_events else DATA_FORMAT)
    if found != DATA_FORMAT:
        raise IncompatibleDataError(
            f"{data_dir} holds data of an older Tothon (format {found}, now {DATA_FORMAT}); move it "
            f"away or delete it to start with fresh demo data. / Thư mục dữ liệu của phiên bản cũ: "
            f"hãy chuyển đi hoặc xoá để bắt đầu với dữ liệu mẫu mới."
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text(f"{DATA_FORMAT}\n")


def build_embedded(settings: Settings, seed: bool = True) -> Embedded:
    """Compose the four services over one bus; nothing runs until the app's lifespan starts."""
    if settings.mode is not Mode.EMBEDDED:
        raise ValueError("the embedded composition runs in embedded mode only")
    _check_data_format(settings.data_dir)
    setup_logging(settings.log_level, settings.log_json)
    setup_tracing("tothon", settings.otlp_endpoint)
    bus = LocalLogBus(settings.data_dir / "bus.sqlite", settings.poll_interval_seconds)
    runtimes = {d.name: ServiceRuntime(d, settings, bus) for d in DEFINITIONS}
    for runtime in runtimes.values():
        runtime.subscribe()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        embedded.stop = asyncio.Event()
        await bus.start()
        workers = [asyncio.create_task(r.run_worker(embedded.stop)) for r in runtimes.values()]
        stopped = threading.Event()  # the feedback seed's wait, ended at shutdown
        seeding: list[asyncio.Task[bool]] = []
        if embedded.seed:
            registry = cast(RegistryApplication, runtimes["registry"].app)
            await asyncio.to_thread(seed_pilot_units, registry)
            # Its cases wait for the registry's events to reach the feedback service.
            seeding.append(
                asyncio.create_task(asyncio.to_thread(seed_feedback, runtimes["feedback"], stopped))
            )
            seeding.append(asyncio.create_task(asyncio.to_thread(seed_funds, runtimes["funds"], stopped)))
            seeding.append(
                asyncio.create_task(asyncio.to_thread(seed_communication, runtimes["communication"], stopped))
            )
        try:
            yield
        finally:
            stopped.set()
            embedded.stop.set()
            await asyncio.gather(*workers, *seeding, return_exceptions=True)
            await bus.stop()
            for runtime in runtimes.values():
                runtime.close()
            bus.close()

    root = FastAPI(title="Tothon", lifespan=lifespan, docs_url=None, redoc_url=None)
    # A path no service owns is answered as the services answer theirs: a problem.
    install_problem_handlers(root)
    for name, runtime in runtimes.items():
        root.mount(f"/{name}", create_service_api(runtime))

    @root.get("/healthz", include_in_schema=False)
    async def get_health() -> dict[str, str]:
        """Liveness of the embedded process."""
        return {"status": "ok"}

    @root.get("/", include_in_schema=False)
    async def get_root() -> RedirectResponse:
        """The web frontend."""
        return RedirectResponse("/web/")

    root.mount("/web", StaticFiles(directory=FRONTEND_DIR, html=True), name="web")
    embedded = Embedded(root, runtimes, bus, seed)
    return embedded
