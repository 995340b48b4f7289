"""Typed settings: the only place that reads the environment (prefix ``TOTHON_``)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field, IPvAnyNetwork, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Mode(StrEnum):
    """How the suite runs: one process on SQLite, or separate processes on PostgreSQL and Kafka."""

    EMBEDDED = "embedded"
    DISTRIBUTED = "distributed"


# The embedded demo's personal-data master key (URL-safe base64 of 32 bytes). Refused elsewhere.
DEMO_PERSONAL_DATA_KEY = "dG90aG9uLWVtYmVkZGVkLWRlbW8tbWFzdGVyLWtleSE"


# Database passwords that appear in this repository's history or examples.
PUBLISHED_PG_PASSWORDS = frozenset({"", "tothon", "tothon-local-only", "postgres"})


class DefaultSecretError(ValueError):
    """A deployment tried to start with a secret that is published in the source code."""


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
    # No default: the local scripts make a random one (scripts/postgres.sh password).
    pg_password: str = ""
    # Each service gets its own database: "<pg_database_prefix>_<service>".
    pg_database_prefix: str = "tothon"
    pg_pool_size: int = 5
    # How long anything waits for PostgreSQL, on every path to it (the read store's and the key
    # store's engines, the event store's pool, the session checks, the setup connections): a new
    # connection, a connection from a full or reconnecting pool, one statement. A database that
    # does not answer in time is answered 503 with Retry-After, not after 30 s, not with a 500.
    pg_connect_timeout_seconds: int = Field(default=5, ge=1, le=120)
    pg_pool_timeout_seconds: float = Field(default=5.0, gt=0, le=120)
    pg_statement_timeout_seconds: float = Field(default=5.0, gt=0, le=3600)
    # The longer bound of work that is not a request: a rebuild's statements (emptying a city's
    # tables) and a starting process's wait for its turn at creating the tables.
    pg_maintenance_timeout_seconds: float = Field(default=600.0, gt=0, le=24 * 3600)

    kafka_bootstrap: str = "127.0.0.1:9092"
    # Prefix of every topic name, so that several deployments (or test runs) can share a broker.
    topic_prefix: str = "tothon"
    topic_partitions: int = 3

    # Outbound e-mail (communication's notifications): the SMTP server that relays it, and the
    # sender's address. None: no e-mail is sent (each e-mail delivery waits, retried, for one).
    smtp_host: str | None = None
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_sender: str = "thongbao@tothon.local"
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, le=120)

    relay_batch_size: int = Field(default=500, ge=1, le=10_000)
    poll_interval_seconds: float = Field(default=0.05, gt=0, le=10)
    consumer_max_attempts: int = Field(default=3, ge=1, le=20)

    # The registry's private key for its access tokens (Ed25519, a JWK or PEM), given as a value
    # or a file; make one with ``python -m tothon_shared.auth.keys``. Only the registry's API
    # needs it, and outside the embedded demo (which keeps one in its data folder) it refuses to
    # start without it.
    token_signing_key: SecretStr | None = None
    token_signing_key_file: Path | None = None
    # Public keys published beside the signing key during a rotation (the next one before it
    # signs, the previous one until its tokens expire): a JWK Set in JSON.
    token_other_keys: str = ""
    # Where the other services fetch the registry's public keys (its JWKS), e.g.
    # http://registry/api/v1/auth/jwks.json. The embedded suite passes them in-process.
    token_jwks_url: str | None = None
    access_token_ttl_seconds: int = Field(default=900, ge=60, le=3600)
    sign_in_max_failures: int = Field(default=5, ge=3, le=20)
    sign_in_lock_minutes: int = Field(default=15, ge=1, le=24 * 60)
    # Sign-in attempts a client address may make per minute before it is told to slow down.
    sign_in_rate_per_minute: int = Field(default=20, ge=1, le=1000)
    # Reverse proxies (the ingress) whose X-Forwarded-For names the client: addresses or networks,
    # as JSON, e.g. ["10.244.0.0/16"]. Empty: nobody's, the connecting address is the client.
    trusted_proxies: list[IPvAnyNetwork] = Field(default_factory=list)
    # Wraps every person's data key (see tothon_shared.privacy). Generate one with
    # ``python -m tothon_shared.privacy.keys``; only the registry needs it.
    personal_data_key: str = DEMO_PERSONAL_DATA_KEY
    # Where the per-person keys live; by default the service's own database (embedded: a file of
    # its own). A deployment should keep them apart from the event store's backups.
    subject_keys_url: str | None = None
    # An external OpenID Connect provider whose tokens are accepted instead (keys by JWKS).
    oidc_jwks_url: str | None = None
    oidc_issuer: str | None = None
    oidc_audience: str | None = None

    # Web origins allowed to call the APIs from a browser (CORS). Empty: same origin only, which
    # is how the frontend is served.
    cors_origins: list[str] = Field(default_factory=list)

    # The worker touches this file every round, for a liveness probe (see heartbeat.py).
    heartbeat_file: Path | None = None

    otlp_endpoint: str | None = None
    log_level: str = "INFO"
    log_json: bool = False

    # Fault injection for the crash tests: the relay process exits abruptly after it has published
    # this many messages and before it records its position. Never set in a deployment.
    fault_relay_exit_after: int | None = None
    # The consumer is killed after this many inbound use cases committed, before it commits the
    # transport's offset. Never set in a deployment.
    fault_inbound_exit_after: int | None = None

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> Settings:
        # The demo secrets are in the source code; only the embedded demo may use them.
        if self.mode is not Mode.DISTRIBUTED:
            return self
        if self.pg_password in PUBLISHED_PG_PASSWORDS:
            raise DefaultSecretError(
                "set TOTHON_PG_PASSWORD (locally: scripts/postgres.sh password): "
                "an empty or published database password is refused outside the embedded mode"
            )
        return self

    def database_name(self, service: str) -> str:
        """The PostgreSQL database owned by one service."""
        return f"{self.pg_database_prefix}_{service}"
