"""The distributed deployment for integration tests: real PostgreSQL, a real Kafka broker, and each
service as its own processes. Infrastructure that is not running fails the tests; it never skips them."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from kafka import KafkaAdminClient, KafkaConsumer
from pydantic import ValidationError

from tothon_shared.auth.keys import new_signing_key
from tothon_shared.messaging.lag import consumer_lag
from tothon_shared.messaging.provision import provision, wanted_topics
from tothon_shared.privacy.keys import new_master_key
from tothon_shared.runtime.pgsetup import drop_database
from tothon_shared.runtime.settings import Mode, Settings

SERVICES = ("registry", "communication", "feedback", "funds")
HINT = "start it with: scripts/infra.sh up"
TOKEN_KEYS = "/api/v1/auth/jwks.json"  # the registry's published key set
ADMIN_PASSWORD = "mật-khẩu-quản-trị-kiểm-thử"


def check_infrastructure() -> Settings:
    """The running PostgreSQL server and Kafka broker, checked once."""
    try:
        settings = Settings(mode=Mode.DISTRIBUTED)
    except ValidationError as error:
        pytest.fail(f"{error}; scripts/test.sh exports TOTHON_PG_PASSWORD from scripts/postgres.sh password")
    try:
        psycopg.connect(
            host=settings.pg_host,
            port=settings.pg_port,
            user=settings.pg_user,
            password=settings.pg_password,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable ({error}); {HINT}")
    try:
        KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=5000).close()
    except Exception as error:
        pytest.fail(f"Kafka is not reachable at {settings.kafka_bootstrap} ({error!r}); {HINT}")
    # The services that seal personal data refuse the demo master key outside the embedded mode.
    return settings.model_copy(update={"personal_data_key": new_master_key()})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ServiceProcess:
    """One running process of a service, with its log file."""

    service: str
    role: str
    process: subprocess.Popen[bytes]
    log: Path
    port: int | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.get(self.url + path, timeout=10, headers=self.headers, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.post(self.url + path, timeout=10, headers=self.headers, **kwargs)

    def stop(self) -> int:
        """SIGTERM, as an orchestrator would; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return int(self.process.wait())

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@dataclass
class Deployment:
    """A distributed deployment with its own topic and database prefix."""

    settings: Settings
    env: dict[str, str]
    workdir: Path
    processes: list[ServiceProcess] = field(default_factory=list)
    # The other services fetch the registry's keys from its first API, on this port (known before
    # it starts, as a Kubernetes Service's address is).
    registry_port: int = field(default_factory=lambda: _free_port())

    def start(self, service: str, role: str, wait: bool = True, **env: str) -> ServiceProcess:
        """Start ``tothon-<service> <role>`` and (unless told not to) wait until it is up."""
        port = self._port_for(service) if role == "api" else None
        log = self.workdir / f"{service}-{role}-{len(self.processes)}.log"
        args = [sys.executable, "-m", f"tothon_{service}", role]
        if port:
            args += ["--port", str(port)]
        with log.open("wb") as out:
            process = subprocess.Popen(
                args, env=self.env | env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        started = ServiceProcess(service, role, process, log, port)
        self.processes.append(started)
        if wait and role in ("api", "worker"):
            self._wait_up(started)
        return started

    def _port_for(self, service: str) -> int:
        running = {p.port for p in self.processes if p.process.poll() is None}
        if service == "registry" and self.registry_port not in running:
            return self.registry_port
        return _free_port()

    def run(self, service: str, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a one-off command of a service (e.g. ``rebuild``) to completion."""
        return subprocess.run(
            [sys.executable, "-m", f"tothon_{service}", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )

    def bootstrap(self, password: str = ADMIN_PASSWORD) -> str:
        """Create the province and its administrator (``admin``); returns the province's id."""
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "tothon_registry",
                "bootstrap",
                "--province-name",
                "Thành phố Đà Nẵng",
                "--province-code",
                "48",
            ],
            env=self.env,
            input=password + "\n",
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout.split()[1]

    def topic(self, channel: str) -> str:
        return f"{self.settings.topic_prefix}.{channel}.v1"

    def lag(self, group: str, *channels: str) -> int:
        """How many messages of ``channels`` the consumer group has not committed yet."""
        topics = [self.topic(c) for c in channels]
        return sum(consumer_lag(self.settings.kafka_bootstrap, group, topics).values())

    def read_topic(self, topic: str) -> list[Any]:
        """Every record of ``topic`` from its start (what a new consumer would read)."""
        consumer = KafkaConsumer(
            topic,
            bootstrap_servers=self.settings.kafka_bootstrap,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            consumer_timeout_ms=3000,
        )
        try:
            return list(consumer)
        finally:
            consumer.close()

    def database(self, service: str) -> psycopg.Connection[Any]:
        s = self.settings
        return psycopg.connect(
            host=s.pg_host,
            port=s.pg_port,
            user=s.pg_user,
            password=s.pg_password,
            dbname=s.database_name(service),
        )

    def _wait_up(self, started: ServiceProcess, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # A worker that started and then exited on purpose (fault injection) counts as up.
            if started.role == "worker" and "worker.started" in started.output():
                return
            if started.process.poll() is not None:
                pytest.fail(f"{started.service} {started.role} exited:\n{started.output()[-3000:]}")
            if started.role == "api":
                try:
                    if started.get("/readyz").status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
            time.sleep(0.2)
        pytest.fail(f"{started.service} {started.role} did not come up:\n{started.output()[-3000:]}")


@contextmanager
def fresh_deployment(infrastructure: Settings, tmp_path: Path) -> Iterator[Deployment]:
    """A fresh deployment: its own topics and one database per service, removed afterwards."""
    prefix = f"t{uuid.uuid4().hex[:10]}"
    settings = infrastructure.model_copy(update={"topic_prefix": prefix, "pg_database_prefix": prefix})
    env = {
        **os.environ,
        "TOTHON_MODE": "distributed",
        "TOTHON_TOPIC_PREFIX": prefix,
        "TOTHON_PG_DATABASE_PREFIX": prefix,
        "TOTHON_TOKEN_SIGNING_KEY": json.dumps(new_signing_key().as_dict(private=True)),
        "TOTHON_PERSONAL_DATA_KEY": new_master_key(),
        "TOTHON_POLL_INTERVAL_SECONDS": "0.05",
        "TOTHON_DATA_DIR": str(tmp_path / "data"),
    }
    provision(settings)
    deployed = Deployment(settings, env, tmp_path)
    env["TOTHON_TOKEN_JWKS_URL"] = f"http://127.0.0.1:{deployed.registry_port}{TOKEN_KEYS}"
    try:
        yield deployed
    finally:
        _tear_down(deployed)


def _tear_down(deployed: Deployment) -> None:
    settings = deployed.settings
    for process in deployed.processes:
        process.stop()
    for service in SERVICES:
        drop_database(settings, settings.database_name(service))
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    try:
        admin.delete_topics(wanted_topics(settings), raise_errors=False)
    finally:
        admin.close()
