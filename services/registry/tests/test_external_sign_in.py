"""Signing in through the city's own OpenID Connect provider: its token is exchanged for a registry
session of the linked account, whose roles are the registry's assignments and nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from oidc_provider import Provider, oidc_provider

from tothon_registry.application import RegistryApplication
from tothon_registry.bootstrap import DEFINITION
from tothon_registry.domain.unit import UnitKind
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Role
from tothon_shared.http.web import create_service_api
from tothon_shared.runtime.process import make_transport
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Settings

PASSWORD = "mật-khẩu-kiểm-thử-2026"


class City:
    """The registry with a provider configured, an administrator, and a ward official's account."""

    def __init__(self, api: TestClient, app: RegistryApplication, provider: Provider) -> None:
        self.api, self.app, self.provider = api, app, provider
        city = app.establish_unit(
            UnitKind.PROVINCE, "Thành phố Đà Nẵng", "48", "vn-2025", None, date(2025, 7, 1)
        )
        self.ward = app.establish_unit(
            UnitKind.WARD, "Phường Hải Châu", "20242", "vn-2025", city, date(2025, 7, 1)
        )
        root = Principal(UUID(int=0), "setup", "setup", (Grant(Role.CITY_IT_ADMIN, city),))
        admin = app.open_account("admin", "Quản trị", PASSWORD, None, "setup")
        app.assign_role(root, admin, Role.CITY_IT_ADMIN, city, "kiểm thử")
        self.hoa = app.open_account("hoa", "Lê Thị Hoa", PASSWORD, None, "setup")
        app.assign_role(root, self.hoa, Role.WARD_OFFICIAL, self.ward, "kiểm thử")
        session = api.post("/api/v1/auth/sign-in", json={"username": "admin", "password": PASSWORD}).json()
        self.admin = {"Authorization": f"Bearer {session['access_token']}"}

    def link(self, account: UUID, subject: str) -> int:
        response = self.api.put(
            f"/api/v1/accounts/{account}/external-identity", json={"subject": subject}, headers=self.admin
        )
        return int(response.status_code)

    def exchange(self, token: str) -> tuple[int, dict[str, object]]:
        response = self.api.post("/api/v1/auth/exchange", json={"token": token})
        return response.status_code, response.json()


@pytest.fixture
def city(tmp_path: Path) -> Iterator[City]:
    with oidc_provider() as provider:
        settings = Settings(data_dir=tmp_path, oidc_jwks_url=provider.jwks_url, oidc_issuer=provider.issuer)
        runtime = ServiceRuntime(DEFINITION, settings, make_transport(settings, "registry"))
        app = runtime.app
        assert isinstance(app, RegistryApplication)
        yield City(TestClient(create_service_api(runtime), raise_server_exceptions=False), app, provider)
        runtime.close()


def test_a_linked_identity_signs_in_with_the_registrys_roles_only(city: City) -> None:
    assert city.link(city.hoa, "cccd-048188000123") == 204
    # The provider claims an administrator's role; the registry ignores it.
    status, session = city.exchange(city.provider.token("cccd-048188000123", roles=[["city_it_admin", "x"]]))
    assert status == 200, session
    me = city.api.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {session['access_token']}"}
    ).json()
    assert me["name"] == "Lê Thị Hoa"
    assert me["roles"] == [{"role": "ward_official", "unit_id": str(city.ward)}]
    # A registry session like any other: signing out ends it at once.
    bearer = {"Authorization": f"Bearer {session['access_token']}"}
    assert city.api.post("/api/v1/auth/sign-out", headers=bearer).status_code == 204
    assert city.api.get("/api/v1/auth/me", headers=bearer).status_code == 401


def test_unknown_expired_and_foreign_tokens_are_refused(city: City) -> None:
    assert city.exchange(city.provider.token("nobody"))[0] == 401
    assert city.link(city.hoa, "cccd-048188000123") == 204
    assert city.exchange(city.provider.token("cccd-048188000123", lifetime=-30))[0] == 401
    assert city.exchange(city.provider.token("cccd-048188000123", iss="https://evil.example"))[0] == 401
    # The registry's own tokens are not provider tokens.
    own = city.admin["Authorization"].removeprefix("Bearer ")
    assert city.exchange(own)[0] == 401


def test_an_identity_links_to_one_account_and_relinking_moves_the_account(city: City) -> None:
    other = city.app.open_account("lan", "Đặng Thị Lan", PASSWORD, None, "setup")
    assert city.link(city.hoa, "sub-1") == 204
    assert city.link(other, "sub-1") == 409
    assert city.link(city.hoa, "sub-2") == 204  # Hoa now signs in as sub-2 only
    assert city.exchange(city.provider.token("sub-1"))[0] == 401
    assert city.exchange(city.provider.token("sub-2"))[0] == 200


def test_only_an_administrator_of_the_accounts_units_links_an_identity_to_it(city: City) -> None:
    # The scope of account administration, with a provider that really signs in (the access
    # matrix checks the route for every role but cannot sign in by it): the ward official of
    # Hải Châu links identities to accounts serving Hải Châu, not to one serving another ward,
    # nor to the city's administrator.
    city_id = city.app.get_unit(city.ward).parent_id
    assert city_id is not None
    root = Principal(UUID(int=0), "setup", "setup", (Grant(Role.CITY_IT_ADMIN, city_id),))
    other_ward = city.app.establish_unit(
        UnitKind.WARD, "Phường Thanh Khê", "20200", "vn-2025", city_id, date(2025, 7, 1)
    )
    mine = city.app.open_account("to-truong", "Tổ trưởng", PASSWORD, None, "setup")
    city.app.assign_role(root, mine, Role.AREA_POLICE, city.ward, "kiểm thử")
    elsewhere = city.app.open_account("o-noi-khac", "Cán bộ nơi khác", PASSWORD, None, "setup")
    city.app.assign_role(root, elsewhere, Role.AREA_POLICE, other_ward, "kiểm thử")
    session = city.api.post("/api/v1/auth/sign-in", json={"username": "hoa", "password": PASSWORD}).json()
    hoa = {"Authorization": f"Bearer {session['access_token']}"}

    def link(account: UUID, subject: str) -> int:
        response = city.api.put(
            f"/api/v1/accounts/{account}/external-identity", json={"subject": subject}, headers=hoa
        )
        return int(response.status_code)

    assert link(elsewhere, "sub-elsewhere") == 403
    assert city.exchange(city.provider.token("sub-elsewhere"))[0] == 401  # nothing was linked
    assert link(mine, "sub-mine") == 204
    assert city.exchange(city.provider.token("sub-mine"))[0] == 200


def test_without_a_provider_the_exchange_is_not_offered(api: TestClient) -> None:
    response = api.post("/api/v1/auth/exchange", json={"token": "x" * 40})
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Hệ thống chưa được cấu hình")
