"""A PostgreSQL cluster of a test's own (initdb in a temporary folder, on a free port), for tests
that stop and start the server: the shared server on port 5432 serves every other test.

PostgreSQL refuses to run as root: as root (tests and CI run so), the cluster's programs run as
the ``postgres`` user through ``runuser``."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

USER = "tothon"


def _bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb is None:
        pytest.fail("PostgreSQL's initdb is not installed (Debian: apt-get install postgresql)")
    return Path(initdb).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PrivateCluster:
    """A running cluster: its port and the password of its superuser ``tothon``."""

    folder: Path
    port: int
    password: str
    bindir: Path

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def _run(self, program: str, *args: str, timeout: float = 60) -> None:
        command = [str(self.bindir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        if done.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            pytest.fail(f"{program} {' '.join(args)} failed:\n{done.stdout}{done.stderr}\n{tail}")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.folder / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop_abruptly(self) -> None:
        """Stop as a crash or a pulled cable would: no goodbye to the clients (``-m immediate``)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


@contextmanager
def private_cluster() -> Iterator[PrivateCluster]:
    """A fresh cluster, started; stopped and removed afterwards."""
    # Not under pytest's tmp_path: root's folders there are closed to the postgres user.
    folder = Path(tempfile.mkdtemp(prefix="tothon-pg-"))
    cluster = PrivateCluster(folder, _free_port(), secrets.token_urlsafe(16), _bindir())
    password_file = folder / "password"
    password_file.write_text(cluster.password + "\n")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(password_file, "postgres", "postgres")
    try:
        cluster._run(
            "initdb",
            "-D",
            str(cluster.data),
            "-U",
            USER,
            f"--pwfile={password_file}",
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
            timeout=120,
        )
        cluster.start()
        yield cluster
    finally:
        if cluster.running():
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
