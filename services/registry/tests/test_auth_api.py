"""Signing in and out over HTTP, and what the API answers to bad, expired and revoked tokens."""

from __future__ import annotations

import time
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from tothon_registry.application import RegistryApplication
from tothon_registry.domain.unit import UnitKind
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Role
from tothon_shared.auth.tokens import AccessTokenVerifier, TokenIssuer
from tothon_shared.runtime.service import ServiceRuntime

PASSWORD = "mật-khẩu-đủ-dài-2026"


@pytest.fixture
def units(runtime: ServiceRuntime) -> dict[str, UUID]:
    app = runtime.app
    assert isinstance(app, RegistryApplication)
    reform = date(2025, 7, 1)
    city = app.establish_unit(UnitKind.PROVINCE, "Thành phố Đà Nẵng", "48", "vn-2025", None, reform)
    hai_chau = app.establish_unit(UnitKind.WARD, "Phường Hải Châu", "20242", "vn-2025", city, reform)
    thanh_khe = app.establish_unit(UnitKind.WARD, "Phường Thanh Khê", "20209", "vn-2025", city, reform)
    admin = app.open_account("admin", "Quản trị", PASSWORD, None, "setup")
    root = Principal(UUID(int=0), "setup", "setup", (Grant(Role.CITY_IT_ADMIN, city),))
    app.assign_role(root, admin, Role.CITY_IT_ADMIN, city, "khởi tạo")
    return {"city": city, "Hải Châu": hai_chau, "Thanh Khê": thanh_khe}


def _sign_in(api: TestClient, username: str = "admin", password: str = PASSWORD) -> dict[str, Any]:
    response = api.post("/api/v1/auth/sign-in", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return dict(response.json())


def _bearer(session: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {session['access_token']}"}


def test_signing_in_returns_tokens_and_me_shows_the_roles(api: TestClient, units: dict[str, UUID]) -> None:
    session = _sign_in(api)
    assert session["token_type"] == "bearer"
    me = api.get("/api/v1/auth/me", headers=_bearer(session)).json()
    assert me["roles"] == [{"role": "city_it_admin", "unit_id": str(units["city"])}]


@pytest.mark.parametrize("header", [None, "Bearer", "Basic YWRtaW46eA==", "Bearer not.a.token"])
def test_missing_or_malformed_tokens_get_401_with_a_challenge(api: TestClient, header: str | None) -> None:
    response = api.get("/api/v1/auth/me", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["title"] == "Chưa đăng nhập"


def test_an_expired_token_of_an_open_session_is_refused(
    api: TestClient, runtime: ServiceRuntime, units: dict[str, UUID]
) -> None:
    session = _sign_in(api)
    state: Any = api.app.state  # type: ignore[attr-defined]
    issuer: TokenIssuer = state.token_issuer
    verifier: AccessTokenVerifier = state.authenticator.verifier
    live = verifier.verify(session["access_token"])
    stale = issuer.issue(live, now=time.time() - 3600)  # same account and session, expired
    response = api.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {stale}"})
    assert response.status_code == 401
    assert response.json()["code"] == "auth.invalid"
    assert api.get("/api/v1/auth/me", headers=_bearer(session)).status_code == 200


def test_signing_out_revokes_the_access_token_at_once(api: TestClient, units: dict[str, UUID]) -> None:
    session = _sign_in(api)
    assert api.post("/api/v1/auth/sign-out", headers=_bearer(session)).status_code == 204
    response = api.get("/api/v1/auth/me", headers=_bearer(session))
    assert response.status_code == 401
    assert response.json()["code"] == "auth.revoked"
    refreshed = api.post("/api/v1/auth/refresh", json={"refresh_token": session["refresh_token"]})
    assert refreshed.status_code == 401


def test_refreshing_gives_new_tokens_and_the_old_refresh_token_no_longer_works(
    api: TestClient, units: dict[str, UUID]
) -> None:
    session = _sign_in(api)
    renewed = api.post("/api/v1/auth/refresh", json={"refresh_token": session["refresh_token"]})
    assert renewed.status_code == 200
    assert api.get("/api/v1/auth/me", headers=_bearer(renewed.json())).status_code == 200
    replay = api.post("/api/v1/auth/refresh", json={"refresh_token": session["refresh_token"]})
    assert replay.status_code == 401


def test_brute_force_is_locked_out(api: TestClient, units: dict[str, UUID]) -> None:
    statuses = [
        api.post("/api/v1/auth/sign-in", json={"username": "admin", "password": f"đoán-sai-{n}"}).status_code
        for n in range(6)
    ]
    assert statuses == [401, 401, 401, 401, 401, 423]
    locked = api.post("/api/v1/auth/sign-in", json={"username": "admin", "password": PASSWORD})
    assert locked.status_code == 423
    assert locked.json()["title_en"] == "Account locked"


def test_many_attempts_from_one_address_are_slowed_down(api: TestClient, units: dict[str, UUID]) -> None:
    statuses = [
        api.post("/api/v1/auth/sign-in", json={"username": f"user{n}", "password": "x"}).status_code
        for n in range(25)
    ]
    assert statuses[:20] == [401] * 20
    assert statuses[20:] == [429] * 5


def test_an_official_appoints_only_within_their_unit(api: TestClient, units: dict[str, UUID]) -> None:
    admin = _bearer(_sign_in(api))
    created = api.post(
        "/api/v1/accounts",
        headers=admin,
        json={"username": "official.haichau", "display_name": "Nguyễn Văn An", "password": PASSWORD},
    )
    assert created.status_code == 201, created.text
    official = created.json()["id"]
    assigned = api.post(
        f"/api/v1/accounts/{official}/roles",
        headers=admin,
        json={"role": "ward_official", "unit_id": str(units["Hải Châu"]), "reason": "Quyết định số 12"},
    )
    assert assigned.status_code == 201, assigned.text

    as_official = _bearer(_sign_in(api, "official.haichau"))
    leader = api.post(
        "/api/v1/accounts",
        headers=as_official,
        json={"username": "leader", "display_name": "Trần Thị Bé", "password": PASSWORD},
    ).json()["id"]
    outside = api.post(
        f"/api/v1/accounts/{leader}/roles",
        headers=as_official,
        json={"role": "group_leader", "unit_id": str(units["Thanh Khê"]), "reason": "x"},
    )
    assert outside.status_code == 403
    upward = api.post(
        f"/api/v1/accounts/{leader}/roles",
        headers=as_official,
        json={"role": "city_official", "unit_id": str(units["Hải Châu"]), "reason": "x"},
    )
    assert upward.status_code == 403
    inside = api.post(
        f"/api/v1/accounts/{leader}/roles",
        headers=as_official,
        json={"role": "group_leader", "unit_id": str(units["Hải Châu"]), "reason": "Bầu tổ trưởng"},
    )
    assert inside.status_code == 201


def test_residents_cannot_administer_accounts(
    api: TestClient, runtime: ServiceRuntime, units: dict[str, UUID]
) -> None:
    app = runtime.app
    assert isinstance(app, RegistryApplication)
    app.open_account("resident", "Phan Thị Bê", PASSWORD, None, "setup")
    as_resident = _bearer(_sign_in(api, "resident"))
    response = api.post(
        "/api/v1/accounts",
        headers=as_resident,
        json={"username": "x-x-x", "display_name": "X", "password": PASSWORD},
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Tài khoản của bạn không có quyền làm việc này ở đơn vị này."


def test_administrators_list_the_accounts_serving_their_units(
    api: TestClient, runtime: ServiceRuntime, units: dict[str, UUID]
) -> None:
    admin = _bearer(_sign_in(api))
    official = api.post(
        "/api/v1/accounts",
        headers=admin,
        json={"username": "official.haichau", "display_name": "Nguyễn Văn An", "password": PASSWORD},
    ).json()["id"]
    api.post(
        f"/api/v1/accounts/{official}/roles",
        headers=admin,
        json={"role": "ward_official", "unit_id": str(units["Hải Châu"]), "reason": "Quyết định số 12"},
    )
    for _ in range(5):  # lock the official's account
        api.post("/api/v1/auth/sign-in", json={"username": "official.haichau", "password": "đoán-sai-mãi"})
    for projector in runtime.projectors:
        projector.catch_up()

    listed = api.get("/api/v1/accounts", headers=admin, params={"unit_id": str(units["city"])}).json()
    by_name = {a["username"]: a for a in listed}
    assert by_name["official.haichau"]["roles"][0]["reason"] == "Quyết định số 12"
    assert by_name["official.haichau"]["locked_until"] is not None
    assert "password_hash" not in by_name["official.haichau"]
    in_thanh_khe = api.get("/api/v1/accounts", headers=admin, params={"unit_id": str(units["Thanh Khê"])})
    assert in_thanh_khe.json() == []


def test_me_lists_what_the_roles_carry_with_the_general_permissions(
    runtime: ServiceRuntime, api: TestClient, units: dict[str, UUID]
) -> None:
    app = runtime.app
    assert isinstance(app, RegistryApplication)
    official = app.open_account("phuong", "Cán bộ phường", PASSWORD, None, "setup")
    root = Principal(UUID(int=0), "setup", "setup", (Grant(Role.CITY_IT_ADMIN, units["city"]),))
    app.assign_role(root, official, Role.WARD_OFFICIAL, units["Hải Châu"], "bổ nhiệm")
    ward = api.get("/api/v1/auth/me", headers=_bearer(_sign_in(api, "phuong"))).json()["permissions"]
    assert {"directory:read", "households:register", "persons:erase"} <= set(ward)
    assert ward == sorted(ward)
    admin = api.get("/api/v1/auth/me", headers=_bearer(_sign_in(api))).json()["permissions"]
    assert admin == ["accounts:manage", "roles:read", "units:manage", "units:read"]
