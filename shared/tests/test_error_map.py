"""A service's map from domain errors to problem details: a mapped error becomes its problem in
both languages (by class, by class and code, by its nearest mapped base), a route overrides the
map only where it says so, and an error the map does not know is answered as before."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from tothon_shared.http.error_map import ErrorMap, Refusal, install_error_map, overriding
from tothon_shared.http.messages import text
from tothon_shared.http.problems import install_problem_handlers


class RuleError(Exception):
    """A domain error naming the rule broken by a code."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class StricterRuleError(RuleError):
    """A subclass the map does not name: its base's entry applies."""


class MissingError(Exception):
    """A domain error that says something looked for is not there."""


class UnlistedError(Exception):
    """An error the map does not know."""


ERRORS = ErrorMap(
    {
        RuleError: Refusal(422, "{code}.detail"),
        (RuleError, "conflict"): Refusal(409, "conflict.detail", "conflict.title"),
        MissingError: Refusal(404, "not_found.title", fields=lambda error: {"what": str(error.args[0])}),
    }
)


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    install_error_map(app, ERRORS)
    router = APIRouter()

    @router.get("/rule/{code}")
    async def broken_rule(code: str) -> None:
        raise RuleError(code)

    @router.get("/stricter")
    async def stricter_rule() -> None:
        raise StricterRuleError("validation")

    @router.get("/missing")
    async def missing() -> None:
        raise MissingError("household")

    @router.get("/overridden")
    async def overridden() -> None:
        # Here a missing thing is the request's fault, not the path's.
        with overriding({MissingError: Refusal(422, "validation.detail")}):
            raise MissingError("household")

    @router.get("/overridden-elsewhere")
    async def overridden_elsewhere() -> None:
        # The override names another error: this one goes on to the map.
        with overriding({MissingError: Refusal(422, "validation.detail")}):
            raise RuleError("conflict")

    @router.get("/unlisted")
    async def unlisted() -> None:
        raise UnlistedError("boom")

    app.include_router(router)
    return app


@pytest.fixture
def client() -> TestClient:
    return TestClient(_app(), raise_server_exceptions=False)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_mapped_error_becomes_its_problem_in_the_clients_language_with_the_other_beside_it(
    client: TestClient, lang: str
) -> None:
    response = client.get("/rule/validation", headers={"Accept-Language": lang})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "validation.detail"
    assert body["detail"] == text("validation.detail", lang)  # type: ignore[arg-type]
    assert (body["detail_vi"], body["detail_en"]) == (
        text("validation.detail", "vi"),
        text("validation.detail", "en"),
    )
    assert body["type"] == "https://tothon.vn/problems/validation"


def test_an_entry_for_the_class_and_code_wins_over_the_class_alone(client: TestClient) -> None:
    body = client.get("/rule/conflict").json()
    assert (body["status"], body["code"], body["type"]) == (
        409,
        "conflict.detail",
        "https://tothon.vn/problems/conflict",
    )


def test_an_error_takes_the_entry_of_its_nearest_mapped_class(client: TestClient) -> None:
    assert client.get("/stricter").json()["code"] == "validation.detail"
    missing = client.get("/missing")
    assert missing.status_code == 404
    assert missing.json()["what"] == "household"  # a field the entry takes from the error


def test_a_route_overrides_the_map_only_for_the_errors_it_names(client: TestClient) -> None:
    overridden = client.get("/overridden")
    assert (overridden.status_code, overridden.json()["code"]) == (422, "validation.detail")
    elsewhere = client.get("/overridden-elsewhere")
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (409, "conflict.detail")


def test_an_error_the_map_does_not_know_is_answered_as_any_unforeseen_error(client: TestClient) -> None:
    response = client.get("/unlisted")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "server_error.detail"
    assert "boom" not in response.text


def test_a_code_of_a_mapped_class_without_a_catalogue_key_is_not_a_crash(client: TestClient) -> None:
    # ``RuleError`` maps ``{code}.detail``: a code with no such key is the service's mistake, a
    # logged 500 problem, never a half-written answer.
    response = client.get("/rule/no_such_rule")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error.detail"
