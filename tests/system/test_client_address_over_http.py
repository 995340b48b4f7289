"""Served for real (uvicorn, as ``tothon dev`` runs it), a client on the same machine cannot dodge
the sign-in limit with a made-up X-Forwarded-For: uvicorn's own proxy handling, which trusted any
local peer, is off, and the app trusts only the proxies it is told of (none here)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

LIMIT = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = os.environ | {"TOTHON_DATA_DIR": str(tmp_path), "TOTHON_SIGN_IN_RATE_PER_MINUTE": str(LIMIT)}
    command = [str(Path(sys.executable).with_name("tothon")), "dev", "--no-seed", "--port", str(port)]
    log = (tmp_path / "tothon.log").open("wb")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            pytest.fail((tmp_path / "tothon.log").read_text(errors="replace")[-3000:])
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_a_made_up_forwarded_for_from_a_local_client_does_not_reset_the_sign_in_limit(served: str) -> None:
    statuses = [
        httpx.post(
            f"{served}/registry/api/v1/auth/sign-in",
            json={"username": "nobody", "password": "x"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
            timeout=10,
        ).status_code
        for n in range(LIMIT + 2)
    ]
    assert statuses == [401] * LIMIT + [429, 429]
