"""Every service's OpenAPI document, fuzzed with schemathesis in the embedded mode: no request,
valid or not, signed in or not, gets a server error, and every answer is one the document
describes (its status, its content type, its body's schema, its headers).

The cases are derived from a fixed seed (``derandomize``) and bounded per operation, so a run
is repeatable and takes a minute or two."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from polling import wait_for
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tothon.embedded import build_embedded
from tothon.seed import DEMO_PASSWORD
from tothon_shared.runtime.settings import Settings

# Schemathesis' own strategies draw from ``random``; Hypothesis warns about it, not about us.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")

SERVICES = ("registry", "communication", "feedback", "funds")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
EXAMPLES = 6  # per operation, per generation mode, per caller
# These end the session they are called with: each case gets a session of its own.
ENDS_SESSION = {"POST /api/v1/auth/sign-out", "PUT /api/v1/auth/password"}


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The embedded demo, answering as a deployment would (a server error is a response)."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request otherwise
    embedded = build_embedded(
        Settings(
            data_dir=Path(tmp_path_factory.mktemp("data")),
            poll_interval_seconds=0.02,
            # The fuzzer signs in (with made-up names, and anew for sign-out) many times a minute.
            sign_in_rate_per_minute=1000,
        )
    )
    with TestClient(embedded.app, raise_server_exceptions=False) as client:
        wait_for(lambda: _sign_in(client) is not None, what="the demo accounts")
        yield client


def _sign_in(client: TestClient, username: str = "thanhpho") -> str | None:
    """A fresh access token of a demo account (the city official by default: the widest reads)."""
    response = client.post(
        "/registry/api/v1/auth/sign-in", json={"username": username, "password": DEMO_PASSWORD}
    )
    return str(response.json()["access_token"]) if response.status_code == 200 else None


def _send(client: TestClient, case: Any, service: str, token: str | None) -> Any:
    """The case as schemathesis would send it, through the test client (its requests-style
    arguments, in httpx's words)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    kwargs = case.as_transport_kwargs(base_url=f"http://testserver/{service}", headers=headers)
    if not token:
        kwargs["headers"].pop("Authorization", None)
    for unused in ("verify", "allow_redirects", "timeout", "cookies"):
        kwargs.pop(unused, None)
    if "data" in kwargs:
        kwargs["content"] = kwargs.pop("data")
    if kwargs.get("files"):  # a multipart form's parts
        kwargs["files"] = [(name, _part(value)) for name, value in kwargs["files"]]
    return client.request(**kwargs)


def _part(value: tuple[Any, ...]) -> tuple[Any, ...]:
    """A part of a multipart form as httpx takes it: a number sent as its text, as requests does
    (httpx refuses it while sending, which the app would see as a broken request body)."""
    filename, content, *rest = value
    return (filename, content if isinstance(content, str | bytes) else str(content), *rest)


@pytest.mark.parametrize("signed_in", [True, False], ids=["city-official", "anonymous"])
@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_answers_as_documented_and_never_with_a_server_error(
    suite: TestClient, service: str, signed_in: bool
) -> None:
    document = suite.get(f"/{service}/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    token = _sign_in(suite) if signed_in else None
    failures: list[str] = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result  # every operation of the document can be fuzzed
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _fuzz(suite, service, token, result.ok(), mode, failures)
    assert not failures, f"{len(failures)} nonconforming answers:\n\n" + "\n\n".join(failures[:40])


def _fuzz(
    client: TestClient,
    service: str,
    token: str | None,
    operation: Any,
    mode: GenerationMode,
    failures: list[str],
) -> None:
    """Send ``EXAMPLES`` cases of one operation, valid (positive) or not (negative), and note
    each answer the document does not describe."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case: Any) -> None:
        own = _sign_in(client) if token and operation.label in ENDS_SESSION else token
        response = _send(client, case, service, own)
        try:
            case.validate_response(response, checks=CHECKS)
        except BaseException as failure:  # a group of schemathesis failures
            # The check's verdict and what was answered, without the curl line and the body twice.
            verdict = " ".join(str(failure).split("[")[0].split())
            failures.append(f"{operation.label} ({mode.value}): {verdict} {response.text[:200]}")

    try:
        fuzz()
    except Unsatisfiable:
        # Nothing to make invalid: an operation without parameters or body has no negative case.
        assert mode is GenerationMode.NEGATIVE, operation.label


@pytest.mark.parametrize(
    "path",
    [
        "/registry/api/v1/households?offset=99999999999999999999",
        "/registry/api/v1/households?limit=99999999999999999999",
        "/registry/api/v1/access-log?before=99999999999999999999",
        "/registry/api/v1/quality?stale_after_months=99999999999999999999",
        "/funds/api/v1/directory/units/{unit}/households?offset=99999999999999999999",
        "/communication/api/v1/directory/units/{unit}/households?offset=9223372036854775808",
    ],
)
def test_a_number_past_its_bounds_is_invalid_input_not_a_server_error(suite: TestClient, path: str) -> None:
    token = _sign_in(suite)
    unit = suite.get("/registry/api/v1/units", headers={"Authorization": f"Bearer {token}"}).json()[0][
        "unit_id"
    ]
    sep = "&" if "?" in path else "?"
    answered = suite.get(
        path.format(unit=unit) + f"{sep}unit_id={unit}", headers={"Authorization": f"Bearer {token}"}
    )
    assert answered.status_code == 422, answered.text
    assert answered.headers["content-type"] == "application/problem+json"


def test_a_path_no_service_owns_is_a_problem(suite: TestClient) -> None:
    answered = suite.get("/nonexistent")
    assert (answered.status_code, answered.headers["content-type"]) == (404, "application/problem+json")
    assert answered.json()["title_en"] == "Not found"


def test_a_method_a_path_does_not_take_is_a_problem_naming_the_methods_it_does(suite: TestClient) -> None:
    answered = suite.delete("/registry/healthz")
    assert (answered.status_code, answered.headers["content-type"]) == (405, "application/problem+json")
    assert answered.headers["allow"] == "GET"
    assert answered.json()["title_en"] == "Method not allowed"
    # Every method of the path, though each has a route of its own.
    assert suite.put("/registry/api/v1/households").headers["allow"] == "GET, POST"


def test_the_documents_declare_the_bearer_scheme_and_the_problems_of_each_route(suite: TestClient) -> None:
    document = suite.get("/registry/openapi.json").json()
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": document["components"]["securitySchemes"]["bearer"]["description"],
    }
    decide = document["paths"]["/api/v1/corrections/{correction_id}/decision"]["post"]
    assert decide["security"] == [{"bearer": []}]
    assert set(decide["responses"]) == {"204", "400", "401", "403", "404", "409", "413", "422", "503"}
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    assert all(r["content"] == problem for s, r in decide["responses"].items() if s != "204")
    sign_in = document["paths"]["/api/v1/auth/sign-in"]["post"]
    assert "security" not in sign_in
    assert {"401", "423", "429"} <= set(sign_in["responses"])
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_a_unit_named_twice_in_a_merge_is_refused_as_the_document_says(suite: TestClient) -> None:
    document = suite.get("/registry/openapi.json").json()
    assert document["components"]["schemas"]["MergeIn"]["properties"]["unit_ids"]["uniqueItems"] is True
    admin = {"Authorization": f"Bearer {_sign_in(suite, 'admin')}"}
    unit = suite.get("/registry/api/v1/units", headers=admin).json()[-1]["unit_id"]
    answered = suite.post(
        "/registry/api/v1/units/merge",
        json={
            "unit_ids": [unit, unit],
            "into": {"kind": "ward", "name": "Phường mới"},
            "effective_from": "2026-11-01",
        },
        headers=admin,
    )
    assert answered.status_code == 422, answered.text
    assert answered.json()["errors"][0]["field"] == "unit_ids"
