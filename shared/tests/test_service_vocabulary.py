"""A new service brings its own vocabulary — permissions and the roles that carry them, messages,
body limits — in its definition, and it works without a shared module knowing about it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated
from uuid import UUID

import pytest
from eventsourcing.application import Application
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import MetaData

from tothon_shared.auth.http import Authenticator, require
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Permission, Role
from tothon_shared.auth.tokens import InvalidTokenError
from tothon_shared.http.messages import Messages
from tothon_shared.http.problems import ProblemError
from tothon_shared.http.web import MAX_BODY_BYTES, create_service_api
from tothon_shared.runtime.definition import Runtime, ServiceDefinition
from tothon_shared.runtime.process import make_transport
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Settings

UNIT = UUID(int=7)
UPLOAD_LIMIT = 3 * MAX_BODY_BYTES


class PantryPermission(Permission):
    """The fake service's one permission, carried by ward officials only."""

    STOCK_COUNT = "stock:count"

    def carriers(self) -> frozenset[Role]:
        return frozenset({Role.WARD_OFFICIAL})


PANTRY_MESSAGES: Messages = {
    "stock.empty": {"vi": "Kho đã hết hàng.", "en": "The pantry is empty."},
}

router = APIRouter(prefix="/api/v1/stock")


Counter = Annotated[Principal, Depends(require(PantryPermission.STOCK_COUNT))]


@router.post("/counts")
async def post_count(_caller: Counter) -> None:
    """Count the stock: always refused, with the service's own message."""
    raise ProblemError(409, "stock.empty")


@router.post("/uploads")
async def post_upload(request: Request) -> dict[str, int]:
    """Take a large file."""
    return {"size": len(await request.body())}


def _routers(_runtime: Runtime) -> Sequence[APIRouter]:
    return [router]


def _application(env: Mapping[str, str]) -> Application[UUID]:
    return Application(env=env)


PANTRY = ServiceDefinition(
    name="pantry",
    title="Pantry",
    application=_application,
    metadata=MetaData(),
    routers=_routers,
    permissions=(PantryPermission,),
    messages=PANTRY_MESSAGES,
    body_limits={"/api/v1/stock/uploads": UPLOAD_LIMIT},
)


class _KnownTokens:
    """A verifier that knows a few tokens by heart (the token machinery has tests of its own)."""

    def __init__(self, principals: Mapping[str, Principal]) -> None:
        self.principals = principals

    async def authenticate(self, token: str) -> Principal:
        if token not in self.principals:
            raise InvalidTokenError(token)
        return self.principals[token]


def _principal(role: Role) -> Principal:
    return Principal(UUID(int=1), "session", role, (Grant(role, UNIT),))


def _app(tmp_path: Path, definition: ServiceDefinition = PANTRY) -> FastAPI:
    settings = Settings(data_dir=tmp_path)
    runtime = ServiceRuntime(definition, settings, make_transport(settings, definition.name))
    app = create_service_api(runtime)
    app.state.authenticator = Authenticator(_KnownTokens({role: _principal(role) for role in Role}))
    return app


def _client(tmp_path: Path, definition: ServiceDefinition = PANTRY) -> TestClient:
    return TestClient(_app(tmp_path, definition))


def _as(role: Role, lang: str = "vi") -> dict[str, str]:
    return {"Authorization": f"Bearer {role}", "Accept-Language": lang}


def test_a_new_services_permission_is_granted_to_the_roles_it_names_and_refused_to_the_others(
    tmp_path: Path,
) -> None:
    client = _client(tmp_path)
    assert client.post("/api/v1/stock/counts", headers=_as(Role.WARD_OFFICIAL)).status_code == 409
    for role in set(Role) - {Role.WARD_OFFICIAL}:
        refused = client.post("/api/v1/stock/counts", headers=_as(role))
        assert refused.status_code == 403, role
        assert refused.json()["code"] == "auth.forbidden"


def test_a_new_services_problem_is_answered_in_both_languages_from_its_own_messages(tmp_path: Path) -> None:
    client = _client(tmp_path)
    english = client.post("/api/v1/stock/counts", headers=_as(Role.WARD_OFFICIAL, "en")).json()
    assert english["code"] == "stock.empty"
    assert english["detail"] == "The pantry is empty."
    assert english["detail_vi"] == "Kho đã hết hàng."
    vietnamese = client.post("/api/v1/stock/counts", headers=_as(Role.WARD_OFFICIAL)).json()
    assert vietnamese["detail"] == "Kho đã hết hàng."
    assert vietnamese["title"] == "Xung đột dữ liệu"  # the general title of a 409


def test_a_new_services_larger_body_limit_holds_on_its_route_only(tmp_path: Path) -> None:
    client = _client(tmp_path)
    body = b"x" * (2 * MAX_BODY_BYTES)
    assert client.post("/api/v1/stock/uploads", content=body).json() == {"size": len(body)}
    assert client.post("/api/v1/stock/uploads/", content=body).status_code != 413
    assert client.post("/api/v1/stock/uploads", content=b"x" * (UPLOAD_LIMIT + 1)).status_code == 413
    too_large = client.post("/api/v1/stock/counts", content=body, headers=_as(Role.WARD_OFFICIAL))
    assert too_large.status_code == 413
    # refused before any route runs, yet the same problem as any other: both languages and a code
    assert too_large.headers["content-type"] == "application/problem+json"
    assert too_large.json() == {
        "type": "https://tothon.vn/problems/too-large",
        "title": "Yêu cầu quá lớn",
        "status": 413,
        "title_vi": "Yêu cầu quá lớn",
        "title_en": "Request too large",
        "detail": "Nội dung gửi lên vượt quá giới hạn cho phép.",
        "detail_vi": "Nội dung gửi lên vượt quá giới hạn cho phép.",
        "detail_en": "The request body is larger than allowed.",
        "code": "too_large.detail",
    }
    english = client.post("/api/v1/stock/counts", content=body, headers={"Accept-Language": "en"})
    assert (english.json()["title"], english.json()["detail"]) == (
        "Request too large",
        "The request body is larger than allowed.",
    )


def test_the_body_limit_holds_on_its_route_when_the_service_is_mounted_under_a_prefix(tmp_path: Path) -> None:
    # As in the embedded mode, where each service answers under ``/<name>``.
    root = FastAPI()
    root.mount("/pantry", _app(tmp_path))
    client = TestClient(root)
    body = b"x" * (2 * MAX_BODY_BYTES)
    assert client.post("/pantry/api/v1/stock/uploads", content=body).json() == {"size": len(body)}
    assert client.post("/pantry/api/v1/stock/counts", content=body).status_code == 413


def test_a_service_whose_route_requires_a_permission_it_did_not_declare_does_not_start(
    tmp_path: Path,
) -> None:
    undeclared = ServiceDefinition(
        name="pantry", title="Pantry", application=_application, metadata=MetaData(), routers=_routers
    )
    with pytest.raises(ValueError, match="stock:count"):
        _client(tmp_path, undeclared)


def test_a_message_key_the_service_does_not_have_is_a_server_error_not_a_blank_text(tmp_path: Path) -> None:
    silent = ServiceDefinition(
        name="pantry",
        title="Pantry",
        application=_application,
        metadata=MetaData(),
        routers=_routers,
        permissions=(PantryPermission,),
    )
    answer = _client(tmp_path, silent).post("/api/v1/stock/counts", headers=_as(Role.WARD_OFFICIAL))
    assert answer.status_code == 500
    assert answer.json()["code"] == "server_error.detail"
