"""The access matrix, generated: every role × every endpoint × a unit inside and outside its scope.

Expectations come from the permission table (the registry's and the general permissions, by role) and the
unit tree, never from a list of answers, so a new endpoint or role is checked the same way and
any leak fails.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from matrix_subjects import Subjects
from polling import wait_for
from starlette.routing import Mount

from tothon.embedded import Embedded, build_embedded
from tothon.seed import DEMO_ACCOUNTS, DEMO_PASSWORD
from tothon_funds.permissions import FundsPermission
from tothon_registry.application import NewMember, RegistryApplication
from tothon_registry.domain.person import PersonDetails
from tothon_registry.permissions import PERMISSIONS as REGISTRY_PERMISSIONS
from tothon_registry.permissions import RegistryPermission
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import APPOINTS, GeneralPermission, Role, permission_table
from tothon_shared.auth.roles import Permission as AnyPermission
from tothon_shared.eventstore.context import acting_as
from tothon_shared.runtime.settings import Settings

# What each role carries: the registry's, the general and funds' declarations, read by role.
PERMISSIONS = permission_table((*REGISTRY_PERMISSIONS, *FundsPermission))

TARGETS = ("Tổ dân phố 17", "Tổ dân phố 51")  # in Phường Hải Châu and in Phường Thanh Khê


@dataclass(frozen=True)
class Endpoint:
    """One endpoint, how to call it about a target unit, and what it requires."""

    name: str
    permission: AnyPermission
    scoped: bool
    call: Callable[[TestClient, dict[str, Any], str], Any]
    success: int = 200
    # Allowed to the residents of the target household only, whatever the roles.
    own_household_only: bool = False
    # Account administration about an account serving the target: the caller must be able to
    # appoint each of these roles at the target (those the account holds there, and any appointed).
    administers: tuple[Role, ...] = ()
    # The account is (or becomes) bound to a household of the target: the caller must be able to
    # register households there.
    binds: bool = False


def _merge_of(groups: list[str]) -> dict[str, Any]:
    return {"unit_ids": groups, "into_id": groups[0], "effective_from": "2026-11-02"}


def _on_new_household(world: dict[str, Any], target: str, call: Callable[[dict[str, str]], Any]) -> Any:
    return call(world["subjects"].household(target))


def _given_then_withdrawn(client: TestClient, person_id: str) -> Any:
    client.post(
        f"/registry/api/v1/persons/{person_id}/consents",
        json={"purpose": "notifications_phone", "phone": "0905000017"},
    )
    return client.delete(f"/registry/api/v1/persons/{person_id}/consents/notifications_phone")


def _unit_households(service: str) -> Callable[[TestClient, dict[str, Any], str], Any]:
    return lambda client, world, unit: client.get(
        f"/{service}/api/v1/directory/units/{world['units'][unit]}/households"
    )


_codes = itertools.count()

ENDPOINTS = [
    Endpoint(
        "registry list units",
        RegistryPermission.UNITS_READ,
        False,
        lambda c, w, u: c.get("/registry/api/v1/units"),
    ),
    Endpoint(
        "registry list households",
        RegistryPermission.HOUSEHOLDS_READ,
        True,
        lambda c, w, u: c.get("/registry/api/v1/households", params={"unit_id": w["units"][u]}),
    ),
    Endpoint(
        "registry household view",
        RegistryPermission.HOUSEHOLDS_READ,
        True,
        lambda c, w, u: c.get(f"/registry/api/v1/households/{w['households'][u]}"),
    ),
    Endpoint(
        "registry register household",
        RegistryPermission.HOUSEHOLDS_REGISTER,
        True,
        lambda c, w, u: c.post(
            "/registry/api/v1/households",
            json={
                "unit_id": w["units"][u],
                "code": f"MX-{next(_codes)}",
                "registered_on": "2026-11-01",
                "members": [{"full_name": "Đỗ Văn Sơn", "relationship": "head"}],
            },
        ),
        201,
    ),
    Endpoint(
        "registry member joins",
        RegistryPermission.HOUSEHOLDS_REGISTER,
        True,
        lambda c, w, u: c.post(
            f"/registry/api/v1/households/{w['households'][u]}/members",
            json={
                "member": {"full_name": "Đỗ Minh Khang", "relationship": "grandchild"},
                "reason": "birth",
                "on": "2026-11-01",
            },
        ),
        201,
    ),
    Endpoint(
        "registry import spreadsheet",
        RegistryPermission.HOUSEHOLDS_REGISTER,
        True,
        lambda c, w, u: c.post(
            "/registry/api/v1/imports",
            params={"unit_id": w["units"][u], "filename": "so-ho.csv"},
            content="Mã hộ,Họ và tên,Quan hệ với chủ hộ\nNK-1,Đỗ Văn Sơn,Chủ hộ\n".encode(),
        ),
        202,
    ),
    Endpoint(
        "registry import template",
        RegistryPermission.HOUSEHOLDS_REGISTER,
        False,
        lambda c, w, u: c.get("/registry/api/v1/imports/template"),
    ),
    Endpoint(
        "registry import columns",
        RegistryPermission.HOUSEHOLDS_REGISTER,
        False,
        lambda c, w, u: c.get("/registry/api/v1/imports/columns"),
    ),
    Endpoint(
        "registry establish group",
        RegistryPermission.UNITS_MANAGE,
        True,
        lambda c, w, u: c.post(
            "/registry/api/v1/units",
            json={
                "kind": "residential_group",
                "name": f"Tổ mới {next(_codes)}",
                "parent_id": w["parents"][u],
                "effective_from": "2026-11-01",
            },
        ),
        201,
    ),
    Endpoint(
        "registry list accounts",
        RegistryPermission.ROLES_READ,
        True,
        lambda c, w, u: c.get("/registry/api/v1/accounts", params={"unit_id": w["units"][u]}),
    ),
    Endpoint(
        "registry person view",
        RegistryPermission.HOUSEHOLDS_READ,
        True,
        lambda c, w, u: c.get(f"/registry/api/v1/persons/{w['heads'][u]}", params={"purpose": "contact"}),
    ),
    Endpoint(
        "registry person search",
        RegistryPermission.HOUSEHOLDS_READ,
        True,
        lambda c, w, u: c.get(
            "/registry/api/v1/persons", params={"unit_id": w["units"][u], "purpose": "contact", "q": "nguyen"}
        ),
    ),
    Endpoint(
        "registry raise presence flag",
        RegistryPermission.PRESENCE_FLAG,
        True,
        lambda c, w, u: c.post(
            "/registry/api/v1/presence-flags",
            json={
                "household_id": w["households"][u],
                "kind": "living_not_registered",
                "observed_on": "2026-11-01",
                "note": "Có người ở cùng chưa đăng ký",
            },
        ),
        201,
    ),
    Endpoint(
        "registry list presence flags",
        RegistryPermission.HOUSEHOLDS_READ,
        True,
        lambda c, w, u: c.get("/registry/api/v1/presence-flags", params={"unit_id": w["units"][u]}),
    ),
    Endpoint(
        "registry change residence",
        RegistryPermission.RESIDENCE_MANAGE,
        True,
        lambda c, w, u: c.put(
            f"/registry/api/v1/persons/{w['heads'][u]}/residence", json={"status": "permanent"}
        ),
        204,
    ),
    Endpoint(
        "registry quality worklist",
        RegistryPermission.HOUSEHOLDS_READ,
        True,
        lambda c, w, u: c.get("/registry/api/v1/quality", params={"unit_id": w["units"][u]}),
    ),
    Endpoint(
        "registry propose correction",
        RegistryPermission.CORRECTIONS_PROPOSE,
        True,
        lambda c, w, u: c.post(
            f"/registry/api/v1/persons/{w['heads'][u]}/corrections",
            json={"changes": {"occupation": "Buôn bán"}, "reason": "Đổi nghề"},
        ),
        201,
    ),
    Endpoint(
        "registry list corrections",
        RegistryPermission.HOUSEHOLDS_READ,
        True,
        lambda c, w, u: c.get("/registry/api/v1/corrections", params={"unit_id": w["units"][u]}),
    ),
    Endpoint(
        "registry person history",
        RegistryPermission.HOUSEHOLDS_READ,
        True,
        lambda c, w, u: c.get(f"/registry/api/v1/persons/{w['heads'][u]}/history"),
    ),
    Endpoint(
        "registry erase person",
        RegistryPermission.PERSONS_ERASE,
        True,
        # Each call erases a person of its own, so no case depends on another's outcome.
        lambda c, w, u: c.post(
            f"/registry/api/v1/persons/{w['erasable'][u].pop()}/erasure", json={"reason": "subject_request"}
        ),
        204,
    ),
    Endpoint(
        "registry give consent",
        RegistryPermission.HOUSEHOLDS_READ,
        True,
        lambda c, w, u: c.post(
            f"/registry/api/v1/persons/{w['heads'][u]}/consents",
            json={"purpose": "notifications_phone", "phone": "0905000017"},
        ),
        204,
        own_household_only=True,
    ),
    Endpoint(
        "registry export households",
        RegistryPermission.HOUSEHOLDS_READ,
        True,
        lambda c, w, u: c.get(
            "/registry/api/v1/exports/households",
            params={"unit_id": w["units"][u], "purpose": "contact", "format": "csv"},
        ),
    ),
    Endpoint(
        "registry verify household",
        RegistryPermission.HOUSEHOLDS_REGISTER,
        True,
        lambda c, w, u: c.post(
            f"/registry/api/v1/households/{w['households'][u]}/verification", json={"on": "2026-11-01"}
        ),
        204,
    ),
    Endpoint(
        "registry rename group",
        RegistryPermission.UNITS_MANAGE,
        True,
        lambda c, w, u: c.post(
            f"/registry/api/v1/units/{w['units'][u]}/rename",
            json={"name": f"Tổ đổi tên {next(_codes)}", "effective_from": "2026-11-01"},
        ),
        204,
    ),
    Endpoint(
        "registry access log",
        RegistryPermission.ACCESS_LOG_READ,
        True,
        lambda c, w, u: c.get("/registry/api/v1/access-log", params={"unit_id": w["units"][u]}),
    ),
    Endpoint(
        "registry open account",
        RegistryPermission.ACCOUNTS_MANAGE,
        False,
        lambda c, w, u: c.post("/registry/api/v1/accounts", json=_new_account()),
        201,
    ),
    Endpoint(
        "registry open account bound to a household",
        RegistryPermission.ACCOUNTS_MANAGE,
        True,
        lambda c, w, u: c.post(
            "/registry/api/v1/accounts", json=_new_account() | {"household_id": w["households"][u]}
        ),
        201,
        binds=True,
    ),
    Endpoint(
        "registry appoint role on an account serving the unit",
        RegistryPermission.ACCOUNTS_MANAGE,
        True,
        lambda c, w, u: c.post(
            f"/registry/api/v1/accounts/{w['serving'](u, Role.GROUP_LEADER, False)}/roles",
            json={"role": "resident", "unit_id": w["units"][u], "reason": "Cư dân của tổ"},
        ),
        201,
        administers=(Role.GROUP_LEADER, Role.RESIDENT),
    ),
    Endpoint(
        "registry revoke role of an account serving the unit",
        RegistryPermission.ACCOUNTS_MANAGE,
        True,
        lambda c, w, u: c.delete(
            f"/registry/api/v1/accounts/{w['serving'](u, Role.GROUP_LEADER, False)}/roles/group_leader/"
            f"{w['units'][u]}"
        ),
        204,
        administers=(Role.GROUP_LEADER,),
    ),
    Endpoint(
        "registry reset password of an account serving the unit",
        RegistryPermission.ACCOUNTS_MANAGE,
        True,
        lambda c, w, u: c.put(
            f"/registry/api/v1/accounts/{w['serving'](u, Role.GROUP_LEADER, False)}/password",
            json={"password": "mật-khẩu-đặt-lại-2026"},
        ),
        204,
        administers=(Role.GROUP_LEADER,),
    ),
    Endpoint(
        "registry reset password of a resident of the unit",
        RegistryPermission.ACCOUNTS_MANAGE,
        True,
        lambda c, w, u: c.put(
            f"/registry/api/v1/accounts/{w['serving'](u, Role.RESIDENT, True)}/password",
            json={"password": "mật-khẩu-đặt-lại-2026"},
        ),
        204,
        administers=(Role.RESIDENT,),
        binds=True,
    ),
    Endpoint(
        "registry bind account to a household of the unit",
        RegistryPermission.ACCOUNTS_MANAGE,
        True,
        lambda c, w, u: c.put(
            f"/registry/api/v1/accounts/{w['serving'](u, Role.RESIDENT, False)}/household",
            json={"household_id": w["households"][u]},
        ),
        204,
        administers=(Role.RESIDENT,),
        binds=True,
    ),
    Endpoint(
        "registry unit view",
        RegistryPermission.UNITS_READ,
        False,
        lambda c, w, u: c.get(f"/registry/api/v1/units/{w['units'][u]}"),
    ),
    Endpoint(
        "registry units by code",
        RegistryPermission.UNITS_READ,
        False,  # the official list of units: public facts for whoever may read units
        lambda c, w, u: c.get("/registry/api/v1/units/by-code", params={"code": w["ward_codes"][u]}),
    ),
    # The unit changes act on new groups beside the target (in its ward), made for each call.
    Endpoint(
        "registry move group",
        RegistryPermission.UNITS_MANAGE,
        True,
        # To where it is: the authorised reach the domain, which refuses the move as no change.
        lambda c, w, u: c.post(
            f"/registry/api/v1/units/{w['subjects'].groups(u, 1)[0]}/move",
            json={"parent_id": w["parents"][u], "effective_from": "2026-11-02"},
        ),
        422,
    ),
    Endpoint(
        "registry merge groups",
        RegistryPermission.UNITS_MANAGE,
        True,
        lambda c, w, u: c.post(
            "/registry/api/v1/units/merge",
            json=_merge_of(w["subjects"].groups(u, 2)),
        ),
        201,
    ),
    Endpoint(
        "registry split group",
        RegistryPermission.UNITS_MANAGE,
        True,
        lambda c, w, u: c.post(
            f"/registry/api/v1/units/{w['subjects'].groups(u, 1)[0]}/split",
            json={
                "parts": [
                    {"kind": "residential_group", "name": f"Tổ tách {next(_codes)}"},
                    {"kind": "residential_group", "name": f"Tổ tách {next(_codes)}"},
                ],
                "effective_from": "2026-11-02",
            },
        ),
        201,
    ),
    # The household changes act on a household of their own in the target, made for each call.
    Endpoint(
        "registry member leaves",
        RegistryPermission.HOUSEHOLDS_REGISTER,
        True,
        lambda c, w, u: _on_new_household(
            w,
            u,
            lambda h: c.post(
                f"/registry/api/v1/households/{h['household']}/members/{h['child']}/departure",
                json={"reason": "moved_out", "on": "2026-11-02"},
            ),
        ),
        204,
    ),
    Endpoint(
        "registry change head",
        RegistryPermission.HOUSEHOLDS_REGISTER,
        True,
        lambda c, w, u: _on_new_household(
            w,
            u,
            lambda h: c.put(
                f"/registry/api/v1/households/{h['household']}/head",
                json={"person_id": h["child"], "relationships": {h["head"]: "parent"}, "on": "2026-11-02"},
            ),
        ),
        204,
    ),
    Endpoint(
        "registry split household",
        RegistryPermission.HOUSEHOLDS_REGISTER,
        True,
        lambda c, w, u: _on_new_household(
            w,
            u,
            lambda h: c.post(
                f"/registry/api/v1/households/{h['household']}/split",
                json={"code": f"TH-{next(_codes)}", "head_person_id": h["child"], "on": "2026-11-02"},
            ),
        ),
        201,
    ),
    Endpoint(
        "registry withdraw consent",
        RegistryPermission.HOUSEHOLDS_READ,
        True,
        # Given first (by whoever may), so a withdrawal has something to withdraw.
        lambda c, w, u: _given_then_withdrawn(c, w["heads"][u]),
        204,
        own_household_only=True,
    ),
    Endpoint(
        "registry review presence flag",
        RegistryPermission.PRESENCE_REVIEW,
        True,
        lambda c, w, u: c.post(
            f"/registry/api/v1/presence-flags/{w['subjects'].flag(u)}/review",
            json={"decision": "confirmed", "note": "Đã xác minh tại nhà"},
        ),
        204,
    ),
    Endpoint(
        "registry person corrections",
        RegistryPermission.HOUSEHOLDS_READ,
        True,
        lambda c, w, u: c.get(f"/registry/api/v1/persons/{w['heads'][u]}/corrections"),
    ),
    Endpoint(
        "registry decide correction",
        RegistryPermission.CORRECTIONS_DECIDE,
        True,
        lambda c, w, u: c.post(
            f"/registry/api/v1/corrections/{w['subjects'].correction(u)}/decision",
            json={"approve": False, "reason": "Chưa có giấy tờ"},
        ),
        204,
    ),
    Endpoint(
        "registry import status",
        RegistryPermission.HOUSEHOLDS_REGISTER,
        True,
        lambda c, w, u: c.get(f"/registry/api/v1/imports/{w['imports'][u]}"),
    ),
    Endpoint("funds unit households", GeneralPermission.DIRECTORY_READ, True, _unit_households("funds")),
    Endpoint(
        "funds household accounts of the unit",
        FundsPermission.HOUSEHOLD_ACCOUNTS_READ,
        True,
        lambda c, w, u: c.get("/funds/api/v1/household-accounts", params={"unit_id": w["units"][u]}),
    ),
    Endpoint(
        "funds household account",
        FundsPermission.HOUSEHOLD_ACCOUNTS_READ,
        True,
        lambda c, w, u: c.get(f"/funds/api/v1/household-accounts/{w['households'][u]}"),
    ),
    Endpoint(
        "funds units",
        GeneralPermission.DIRECTORY_READ,
        False,
        lambda c, w, u: c.get("/funds/api/v1/directory/units"),
    ),
    Endpoint(
        "communication unit households",
        GeneralPermission.DIRECTORY_READ,
        True,
        _unit_households("communication"),
    ),
    Endpoint(
        "communication units",
        GeneralPermission.DIRECTORY_READ,
        False,
        lambda c, w, u: c.get("/communication/api/v1/directory/units"),
    ),
    Endpoint(
        "feedback units",
        GeneralPermission.DIRECTORY_READ,
        False,
        lambda c, w, u: c.get("/feedback/api/v1/directory/units"),
    ),
]


# The route each endpoint calls (method, path as the app declares it): the matrix covers a route
# when one of its endpoints calls it.
API = "/registry/api/v1"
ROUTES: dict[str, tuple[str, str]] = {
    "registry list units": ("GET", f"{API}/units"),
    "registry list households": ("GET", f"{API}/households"),
    "registry household view": ("GET", f"{API}/households/{{household_id}}"),
    "registry register household": ("POST", f"{API}/households"),
    "registry member joins": ("POST", f"{API}/households/{{household_id}}/members"),
    "registry import spreadsheet": ("POST", f"{API}/imports"),
    "registry import template": ("GET", f"{API}/imports/template"),
    "registry import columns": ("GET", f"{API}/imports/columns"),
    "registry establish group": ("POST", f"{API}/units"),
    "registry list accounts": ("GET", f"{API}/accounts"),
    "registry person view": ("GET", f"{API}/persons/{{person_id}}"),
    "registry person search": ("GET", f"{API}/persons"),
    "registry raise presence flag": ("POST", f"{API}/presence-flags"),
    "registry list presence flags": ("GET", f"{API}/presence-flags"),
    "registry change residence": ("PUT", f"{API}/persons/{{person_id}}/residence"),
    "registry quality worklist": ("GET", f"{API}/quality"),
    "registry propose correction": ("POST", f"{API}/persons/{{person_id}}/corrections"),
    "registry list corrections": ("GET", f"{API}/corrections"),
    "registry person history": ("GET", f"{API}/persons/{{person_id}}/history"),
    "registry erase person": ("POST", f"{API}/persons/{{person_id}}/erasure"),
    "registry give consent": ("POST", f"{API}/persons/{{person_id}}/consents"),
    "registry export households": ("GET", f"{API}/exports/households"),
    "registry verify household": ("POST", f"{API}/households/{{household_id}}/verification"),
    "registry rename group": ("POST", f"{API}/units/{{unit_id}}/rename"),
    "registry access log": ("GET", f"{API}/access-log"),
    "registry open account": ("POST", f"{API}/accounts"),
    "registry open account bound to a household": ("POST", f"{API}/accounts"),
    "registry appoint role on an account serving the unit": ("POST", f"{API}/accounts/{{account_id}}/roles"),
    "registry revoke role of an account serving the unit": (
        "DELETE",
        f"{API}/accounts/{{account_id}}/roles/{{role}}/{{unit_id}}",
    ),
    "registry reset password of an account serving the unit": (
        "PUT",
        f"{API}/accounts/{{account_id}}/password",
    ),
    "registry reset password of a resident of the unit": ("PUT", f"{API}/accounts/{{account_id}}/password"),
    "registry bind account to a household of the unit": ("PUT", f"{API}/accounts/{{account_id}}/household"),
    "registry unit view": ("GET", f"{API}/units/{{unit_id}}"),
    "registry units by code": ("GET", f"{API}/units/by-code"),
    "registry move group": ("POST", f"{API}/units/{{unit_id}}/move"),
    "registry merge groups": ("POST", f"{API}/units/merge"),
    "registry split group": ("POST", f"{API}/units/{{unit_id}}/split"),
    "registry member leaves": ("POST", f"{API}/households/{{household_id}}/members/{{person_id}}/departure"),
    "registry change head": ("PUT", f"{API}/households/{{household_id}}/head"),
    "registry split household": ("POST", f"{API}/households/{{household_id}}/split"),
    "registry withdraw consent": ("DELETE", f"{API}/persons/{{person_id}}/consents/{{purpose}}"),
    "registry review presence flag": ("POST", f"{API}/presence-flags/{{flag_id}}/review"),
    "registry person corrections": ("GET", f"{API}/persons/{{person_id}}/corrections"),
    "registry decide correction": ("POST", f"{API}/corrections/{{correction_id}}/decision"),
    "registry import status": ("GET", f"{API}/imports/{{import_id}}"),
    "funds unit households": ("GET", "/funds/api/v1/directory/units/{unit_id}/households"),
    "funds household accounts of the unit": ("GET", "/funds/api/v1/household-accounts"),
    "funds household account": ("GET", "/funds/api/v1/household-accounts/{household_id}"),
    "funds units": ("GET", "/funds/api/v1/directory/units"),
    "communication unit households": ("GET", "/communication/api/v1/directory/units/{unit_id}/households"),
    "communication units": ("GET", "/communication/api/v1/directory/units"),
    "feedback units": ("GET", "/feedback/api/v1/directory/units"),
}

# Routes outside the matrix on purpose, each with the reason. Every service's app serves the first
# six; the rest are open before signing in, or act on the caller's own account only.
_EVERY_SERVICE = {
    "/openapi.json": "the public API description",
    "/docs": "the API documentation page (static, data comes from openapi.json)",
    "/docs/oauth2-redirect": "the documentation page's sign-in redirect (static)",
    "/redoc": "the API documentation page (static, data comes from openapi.json)",
    "/healthz": "liveness for the orchestrator, no data",
    "/readyz": "readiness for the orchestrator, no data",
    "/asyncapi.json": "the public description of the events the service publishes",
}
EXEMPT: dict[tuple[str, str], str] = {
    ("GET", f"/{service}{path}"): reason
    for service in ("registry", "communication", "feedback", "funds")
    for path, reason in _EVERY_SERVICE.items()
} | {
    ("GET", f"{API}/auth/jwks.json"): "public keys to verify tokens: public by design",
    ("POST", f"{API}/auth/sign-in"): "signing in happens before there is a principal",
    ("POST", f"{API}/auth/exchange"): "an external identity provider's code for a session, before signing in",
    ("POST", f"{API}/auth/refresh"): "holds a refresh token, not an access token",
    ("POST", f"{API}/auth/sign-out"): "ends the caller's own session only",
    ("GET", f"{API}/auth/me"): "the caller's own account only",
    ("PUT", f"{API}/auth/password"): "the caller's own password only (needs the current one)",
    ("GET", f"{API}/me/data-reads"): "who read the caller's own household's data",
    ("PUT", f"{API}/accounts/{{account_id}}/external-identity"): (
        "needs the city's identity provider, which the embedded demo lacks; its scope is tested in "
        "services/registry/tests/test_external_sign_in.py"
    ),
}


def served_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the suite's services serve, as each service's app declares it."""
    routes = set()
    for mount in app.routes:
        if isinstance(mount, Mount) and isinstance(mount.app, FastAPI):
            for route in iter_route_contexts(mount.app.routes):
                for method in (route.methods or set()) - {"HEAD"}:
                    routes.add((method, f"{mount.path}{route.path}"))
    return routes


def uncovered(routes: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The routes neither in the matrix nor exempt (nor listed as not yet in it)."""
    return routes - set(ROUTES.values()) - EXEMPT.keys()


def _new_account() -> dict[str, str]:
    return {"username": f"moi-{next(_codes)}", "display_name": "Người mới", "password": "mật-khẩu-mới-2026"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The embedded demo with one signed-in client per demo account, and the units' ids."""
    embedded = build_embedded(
        Settings(data_dir=Path(tmp_path_factory.mktemp("data")), poll_interval_seconds=0.02)
    )
    with TestClient(embedded.app) as anonymous:
        tokens = {}
        for username, _name, _role, _unit in DEMO_ACCOUNTS:
            session = anonymous.post(
                "/registry/api/v1/auth/sign-in", json={"username": username, "password": DEMO_PASSWORD}
            ).json()
            tokens[username] = session
        admin = {"Authorization": f"Bearer {tokens['admin']['access_token']}"}

        def seeded_units() -> dict[str, dict[str, Any]] | None:
            listed = anonymous.get("/registry/api/v1/units", headers=admin).json()
            by_name = {u["name"]: u for u in listed}
            # The official list (Đà Nẵng's 94 wards and communes) and the four pilot units.
            return by_name if len(listed) == 1 + 94 + 4 else None

        units = wait_for(seeded_units, what="the seeded units")
        units_by_id = {u["unit_id"]: u for u in units.values()}
        own = {
            u: anonymous.get(
                "/registry/api/v1/auth/me", headers={"Authorization": f"Bearer {t['access_token']}"}
            ).json()["household_id"]
            for u, t in tokens.items()
        }
        official = {"Authorization": f"Bearer {tokens['thanhpho']['access_token']}"}
        households = {
            name: wait_for(
                _json_of(
                    anonymous, "/registry/api/v1/households", official, {"unit_id": units[name]["unit_id"]}
                ),
                what=f"households of {name}",
            )[0]["household_id"]
            for name in TARGETS
        }
        heads = {
            name: anonymous.get(f"/registry/api/v1/households/{households[name]}", headers=official).json()[
                "members"
            ][0]["person_id"]
            for name in TARGETS
        }
        erasable = {name: _erasable_persons(embedded, units[name]["unit_id"]) for name in TARGETS}
        for name in TARGETS:
            wait_for(
                _all_found(
                    anonymous,
                    [f"/registry/api/v1/persons/{p}" for p in erasable[name]],
                    official,
                    {"purpose": "contact"},
                ),
                what=f"the erasable persons of {name}",
            )
        for service in ("funds", "communication"):
            for name in TARGETS:
                wait_for(
                    _all_found(
                        anonymous,
                        [f"/{service}/api/v1/directory/units/{units[name]['unit_id']}/households"],
                        official,
                    ),
                    what=f"{name} in {service}",
                )
        for name in TARGETS:
            wait_for(
                _all_found(anonymous, [f"/funds/api/v1/household-accounts/{households[name]}"], official),
                what=f"the account of a household of {name} in funds",
            )
        subjects = Subjects(embedded, anonymous, official, {name: units[name]["unit_id"] for name in TARGETS})
        imports = {name: subjects.import_job(name) for name in TARGETS}
        yield {
            "client": anonymous,
            "subjects": subjects,
            "imports": imports,
            "ward_codes": {name: units_by_id[units[name]["parent_id"]]["code"] for name in TARGETS},
            "tokens": tokens,
            "units": {name: units[name]["unit_id"] for name in TARGETS},
            "parents": {name: units[name]["parent_id"] for name in TARGETS},
            "lineage": {name: _lineage(units, name) for name in TARGETS},
            "grants": {u: (role, units[unit]["unit_id"]) for u, _n, role, unit in DEMO_ACCOUNTS},
            "households": households,
            "heads": heads,
            "erasable": erasable,
            "own_household": own,
            "serving": _serving_accounts(embedded, units, households),
        }


def _json_of(
    client: TestClient, path: str, headers: dict[str, str], params: dict[str, str] | None = None
) -> Callable[[], Any]:
    """A probe for ``wait_for``: the answer's body."""
    return lambda: client.get(path, headers=headers, params=params).json()


def _all_found(
    client: TestClient, paths: list[str], headers: dict[str, str], params: dict[str, str] | None = None
) -> Callable[[], bool]:
    """A probe for ``wait_for``: whether every path answers 200."""
    return lambda: all(client.get(p, headers=headers, params=params).status_code == 200 for p in paths)


def _erasable_persons(embedded: Embedded, unit_id: str) -> list[str]:
    """One single-person household per demo account in the unit, for the erasure cases."""
    registry = embedded.runtimes["registry"].app
    assert isinstance(registry, RegistryApplication)
    persons = []
    with acting_as("test"):
        for number in range(len(DEMO_ACCOUNTS) + 1):  # and one for the anonymous case
            household_id = registry.register_household(
                UUID(unit_id),
                f"ER-{number}",
                [NewMember("head", PersonDetails(full_name=f"Người thử {number}"))],
                date(2026, 11, 1),
            )
            persons.append(str(registry.get_household(household_id).head.person_id))
    return persons


def _serving_accounts(
    embedded: Embedded, units: dict[str, dict[str, Any]], households: dict[str, str]
) -> Callable[[str, Role, bool], str]:
    """Opens, for each call, an account holding ``role`` at a target unit (and bound to its
    household if asked), as the installation would: the subject of an administration case."""
    registry = embedded.runtimes["registry"].app
    assert isinstance(registry, RegistryApplication)
    city = UUID(units["Thành phố Đà Nẵng"]["unit_id"])
    installer = Principal(
        UUID(int=0), "matrix", "matrix", (Grant(Role.CITY_IT_ADMIN, city), Grant(Role.WARD_OFFICIAL, city))
    )

    def serving(target: str, role: Role, bound: bool) -> str:
        with acting_as("test"):
            household = UUID(households[target]) if bound else None
            account = registry.open_account(
                f"phuc-vu-{next(_codes)}", "Người phục vụ", "mật-khẩu-2026", household, "matrix"
            )
            registry.assign_role(installer, account, role, UUID(units[target]["unit_id"]), "kiểm thử")
        return str(account)

    return serving


def _bearer(session: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {session['access_token']}"}


def _lineage(units: dict[str, dict[str, Any]], name: str) -> list[str]:
    by_id = {u["unit_id"]: u for u in units.values()}
    chain, current = [], units[name]["unit_id"]
    while current:
        chain.append(current)
        current = by_id[current]["parent_id"]
    return chain


# The unit changes act on groups made for each call beside the target, in its ward.
_BESIDE_THE_TARGET = ("registry move group", "registry merge groups", "registry split group")


def _expected(world: dict[str, Any], username: str, endpoint: Endpoint, target: str) -> bool:
    role, unit = world["grants"][username]
    own = world["own_household"][username]
    if endpoint.own_household_only:
        return bool(own == world["households"][target])
    if (
        endpoint.name
        in (
            "registry household view",
            "registry person view",
            "registry propose correction",
            "registry person history",
            "registry person corrections",
            "funds household account",
        )
        and own == world["households"][target]
    ):
        return True  # residents see their own household
    if endpoint.permission not in PERMISSIONS[role]:
        return False
    if not endpoint.scoped:
        return True
    lineage = world["lineage"][target]
    if endpoint.name in ("registry establish group", *_BESIDE_THE_TARGET):
        lineage = lineage[1:]  # a new group, and the groups made beside the target, are in its ward
    if not all(appointed in APPOINTS[role] for appointed in endpoint.administers):
        return False
    if endpoint.binds and RegistryPermission.HOUSEHOLDS_REGISTER not in PERMISSIONS[role]:
        return False
    return unit in lineage


CASES = [(u, e, t) for u, *_ in DEMO_ACCOUNTS for e in ENDPOINTS for t in TARGETS]


@pytest.mark.parametrize(
    ("username", "endpoint", "target"), CASES, ids=[f"{u}-{e.name}-{t}" for u, e, t in CASES]
)
def test_each_role_reaches_exactly_what_its_permissions_and_scope_allow(
    world: dict[str, Any], username: str, endpoint: Endpoint, target: str
) -> None:
    client: TestClient = world["client"]
    client.headers["Authorization"] = f"Bearer {world['tokens'][username]['access_token']}"
    try:
        response = endpoint.call(client, world, target)
    finally:
        client.headers.pop("Authorization")
    expected = endpoint.success if _expected(world, username, endpoint, target) else 403
    assert response.status_code == expected, response.text


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_nothing_is_served_without_signing_in(world: dict[str, Any], endpoint: Endpoint) -> None:
    response = endpoint.call(world["client"], world, TARGETS[0])
    assert response.status_code == 401


def test_an_official_reaches_no_other_wards_household_through_account_administration(
    world: dict[str, Any],
) -> None:
    client: TestClient = world["client"]
    hai_chau, thanh_khe = (world["households"][name] for name in TARGETS)
    official, admin = _bearer(world["tokens"]["phuong.haichau"]), _bearer(world["tokens"]["admin"])
    accounts = "/registry/api/v1/accounts"
    # A household of another ward, or any household for the city's IT administrator: refused.
    for caller, household in ((official, thanh_khe), (admin, hai_chau)):
        opened = client.post(accounts, headers=caller, json=_new_account() | {"household_id": household})
        assert opened.status_code == 403, opened.text
    # An account serving Thanh Khê is not made a resident of Hải Châu by the Hải Châu official.
    serving_there = world["serving"](TARGETS[1], Role.GROUP_LEADER, False)
    appointed = client.post(
        f"{accounts}/{serving_there}/roles",
        headers=official,
        json={"role": "resident", "unit_id": world["units"][TARGETS[0]], "reason": "x"},
    )
    assert appointed.status_code == 403, appointed.text
    # In their own ward they bind a resident, who then reads the household as a member; the
    # household sees who gave that account access.
    new = _new_account()
    opened = client.post(accounts, headers=official, json=new | {"household_id": hai_chau})
    assert opened.status_code == 201, opened.text
    session = client.post(
        "/registry/api/v1/auth/sign-in", json={"username": new["username"], "password": new["password"]}
    ).json()
    assert client.get(f"/registry/api/v1/households/{hai_chau}", headers=_bearer(session)).status_code == 200
    assert client.get(f"/registry/api/v1/households/{thanh_khe}", headers=_bearer(session)).status_code == 403
    reads = client.get(
        "/registry/api/v1/me/data-reads", headers=_bearer(world["tokens"]["cudan.to17"])
    ).json()
    assert ("Cán bộ phường Hải Châu", "account_binding") in [(r["reader_name"], r["purpose"]) for r in reads]


@pytest.fixture
def suite_app(tmp_path: Path) -> FastAPI:
    """The embedded suite's app, every service mounted, not started: only its routes are read
    (a fresh one per test, as one test adds a route)."""
    return build_embedded(Settings(data_dir=tmp_path), seed=False).app


def test_every_route_is_in_the_matrix_or_exempt(suite_app: FastAPI) -> None:
    served = served_routes(suite_app)
    assert uncovered(served) == set()
    listed = set(ROUTES.values()) | EXEMPT.keys()
    assert listed - served == set(), "listed routes that no service serves"
    assert {e.name for e in ENDPOINTS} == ROUTES.keys(), "each endpoint names the route it calls"
    assert not EXEMPT.keys() & set(ROUTES.values())


def test_a_route_added_without_a_matrix_entry_fails_the_check(suite_app: FastAPI) -> None:
    router = APIRouter(prefix="/api/v1/funds-extra")

    @router.get("/balances")
    async def balances() -> list[str]:
        return []

    funds = next(m.app for m in suite_app.routes if isinstance(m, Mount) and m.path == "/funds")
    assert isinstance(funds, FastAPI)
    funds.include_router(router)

    assert uncovered(served_routes(suite_app)) == {("GET", "/funds/api/v1/funds-extra/balances")}
