"""Every instant in every JSON answer carries its offset (``Z`` or ``+07:00``), walked over the
main routes of the embedded default (SQLite read models, which hand back naive values)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tothon.embedded import build_embedded
from tothon.seed import DEMO_PASSWORD
from tothon_shared.runtime.settings import Settings

API = "/registry/api/v1"
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
OFFSET = re.compile(r"(Z|[+-]\d{2}:\d{2})$")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    embedded = build_embedded(Settings(data_dir=tmp_path / "data", poll_interval_seconds=0.02), seed=True)
    with TestClient(embedded.app) as client:
        yield client


def _as(client: TestClient, username: str) -> dict[str, str]:
    response = client.post(f"{API}/auth/sign-in", json={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _instants(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every (path, string) in a JSON document that reads as a date with a time."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _instants(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from _instants(item, f"{path}[]")
    elif isinstance(value, str) and INSTANT.match(value):
        yield path, value


def test_every_instant_in_the_main_answers_carries_its_offset(
    client: TestClient, eventually: Callable[..., Any]
) -> None:
    ward, leader, resident, admin = (
        _as(client, u) for u in ("phuong.haichau", "totruong.to17", "cudan.to17", "admin")
    )
    group = eventually(
        lambda: [u for u in client.get(f"{API}/units", headers=ward).json() if u["name"] == "Tổ dân phố 17"],
        what="the pilot group",
    )[0]["unit_id"]
    household = client.get(f"{API}/households", params={"unit_id": group}, headers=ward).json()[0]
    members = client.get(f"{API}/households/{household['household_id']}", headers=ward).json()["members"]
    person = members[1]["person_id"]
    # Things that stamp an instant: a flag, a correction, a consent, an import, the reads above.
    flag = {"household_id": household["household_id"], "person_id": person, "kind": "registered_not_living"}
    flag |= {"observed_on": "2026-10-01", "note": "Đi làm xa"}
    assert client.post(f"{API}/presence-flags", json=flag, headers=leader).status_code == 201
    proposal = {"changes": {"occupation": "Thợ may"}, "reason": "Đã đổi nghề"}
    assert (
        client.post(f"{API}/persons/{person}/corrections", json=proposal, headers=leader).status_code == 201
    )
    consent = {"purpose": "notifications_phone", "phone": "0905123456"}
    assert client.post(f"{API}/persons/{person}/consents", json=consent, headers=resident).status_code == 204
    sheet = "Mã hộ,Họ và tên,Quan hệ với chủ hộ\nHO-900,Lê Văn Tám,Chủ hộ\n".encode("utf-8-sig")
    job = client.post(
        f"{API}/imports",
        params={"unit_id": group, "filename": "ho.csv"},
        content=sheet,
        headers=leader | {"Content-Type": "application/octet-stream"},
    ).json()["import_id"]
    ward_id = client.get(f"{API}/units/{group}", headers=ward).json()["parent_id"]
    city_id = client.get(f"{API}/units/{ward_id}", headers=ward).json()["parent_id"]

    def answers() -> dict[str, Any]:
        reads = {
            "me": (f"{API}/auth/me", {}, ward),
            "flags": (f"{API}/presence-flags", {"unit_id": group}, leader),
            "corrections": (f"{API}/corrections", {"unit_id": ward_id}, ward),
            "person corrections": (f"{API}/persons/{person}/corrections", {}, ward),
            "person": (f"{API}/persons/{person}", {"purpose": "contact"}, ward),
            "history": (f"{API}/persons/{person}/history", {"purpose": "data_quality"}, ward),
            "import": (f"{API}/imports/{job}", {}, leader),
            "access log": (f"{API}/access-log", {"unit_id": ward_id}, ward),
            "my reads": (f"{API}/me/data-reads", {}, resident),
            "accounts": (f"{API}/accounts", {"unit_id": city_id}, admin),
            "units": (f"{API}/units/{group}", {}, ward),
            "directory": ("/funds/api/v1/directory/units", {}, ward),
        }
        return {
            name: client.get(url, params=params, headers=who).json()
            for name, (url, params, who) in reads.items()
        }

    def stamped(found: dict[str, Any]) -> set[str]:
        return {path.rsplit(".", 1)[-1] for answer in found.values() for path, _ in _instants(answer)}

    expected = {"raised_at", "proposed_at", "given_at", "started_at", "read_at", "granted_at", "at"}

    def complete() -> dict[str, Any] | None:
        found = answers()
        return found if expected <= stamped(found) else None

    found = eventually(complete, what="every kind of instant")
    naive = [
        (name, path, value)
        for name, answer in found.items()
        for path, value in _instants(answer)
        if not OFFSET.search(value)
    ]
    assert naive == []
