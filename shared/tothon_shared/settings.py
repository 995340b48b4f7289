"""Typed settings: the only place that reads the environment (prefix ``TOTHON_``)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Mode(StrEnum):
    """How the suite runs: one process on SQLite, or separate processes on PostgreSQL and Kafka."""

    EMBEDDED = "embedded"
    DISTRIBUTED = "distributed"


class Settings(BaseSettings):
    """Settings of one service process (the embedded runner builds one per service)."""

    model_config = SettingsConfigDict(env_prefix="TOTHON_", extra="ignore")

    mode: Mode = Mode.EMBEDDED
    # Set by ``tothon-<service> api --workers N`` for the worker processes it starts.
    service: str | None = None
    data_dir: Path = Path("data")

    pg_host: str = "127.0.0.1"
    pg_port: int = 5432
    pg_user: str = "tothon"
    pg_password: str = "tothon"  # noqa: S105 - the local scripts' role; deployments set a secret
    # Each service gets its own database: "<pg_database_prefix>_<service>".
    pg_database_prefix: str = "tothon"
    pg_pool_size: int = 5

    kafka_bootstrap: str = "127.0.0.1:9092"
    # Prefix of every topic name, so that several deployments (or test runs) can share a broker.
    topic_prefix: str = "tothon"
    topic_partitions: int = 3

    relay_batch_size: int = Field(default=500, ge=1, le=10_000)
    poll_interval_seconds: float = Field(default=0.05, gt=0, le=10)
    consumer_max_attempts: int = Field(default=3, ge=1, le=20)

    # The worker touches this file every round, for a liveness probe (see heartbeat.py).
    heartbeat_file: Path | None = None

    otlp_endpoint: str | None = None
    log_level: str = "INFO"
    log_json: bool = False

    # Fault injection for the crash tests: the relay process exits abruptly after it has published
    # this many messages and before it records its position. Never set in a deployment.
    fault_relay_exit_after: int | None = None

    def database_name(self, service: str) -> str:
        """The PostgreSQL database owned by one service."""
        return f"{self.pg_database_prefix}_{service}"
