"""The registry's one map from its domain errors to problem details: every named refusal of the
domain has an entry; a rule broken becomes its problem in Vietnamese and English by the error's
code; a route answers differently only where it says so (a unit in the path is not found, one
named in the body refuses the command)."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from raise_sites import RaiseSite, raise_sites

import tothon_registry
import tothon_registry.accounts
import tothon_registry.application
import tothon_registry.domain.account
import tothon_registry.domain.correction
import tothon_registry.domain.household
import tothon_registry.domain.names
import tothon_registry.domain.person
import tothon_registry.domain.presence
import tothon_registry.domain.unit
import tothon_registry.readmodels.refusals
from tothon_registry.api.errors import REGISTRY_ERRORS
from tothon_registry.domain.errors import HeadOfHouseholdError, RegistryError
from tothon_registry.domain.household import Household
from tothon_registry.domain.person import ConsentError
from tothon_registry.domain.unit import UnitError
from tothon_registry.messages import text
from tothon_shared.kernel.errors import CodedError

# The registry's named refusals: its domain errors, the application's "not found" and the read
# side's refusals.
MODULES = (
    tothon_registry.accounts,
    tothon_registry.application,
    tothon_registry.domain.account,
    tothon_registry.domain.correction,
    tothon_registry.domain.household,
    tothon_registry.domain.names,
    tothon_registry.domain.person,
    tothon_registry.domain.presence,
    tothon_registry.domain.unit,
    tothon_registry.readmodels.refusals,
)


def _named_refusals() -> list[type[Exception]]:
    return sorted(
        (
            value
            for module in MODULES
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, Exception)
            and value.__module__ == module.__name__
            and value is not RegistryError
            and (
                issubclass(value, RegistryError) or value.__name__.endswith(("NotFoundError", "RefusedError"))
            )
        ),
        key=lambda cls: cls.__name__,
    )


@pytest.mark.parametrize("error", _named_refusals(), ids=lambda cls: cls.__name__)
def test_every_named_refusal_of_the_registry_has_an_entry_in_its_map(error: type[Exception]) -> None:
    assert error in REGISTRY_ERRORS.classes


def test_a_rule_broken_in_the_domain_is_named_by_a_code_not_by_its_message() -> None:
    with pytest.raises(RegistryError) as raised:
        Household.register(uuid4(), "HO-1", [], None)  # type: ignore[arg-type]
    assert raised.value.code == "head_count"
    assert "head" in str(raised.value)  # the message is for logs, and need not be a key
    problem = REGISTRY_ERRORS.problem(raised.value)
    assert problem is not None
    assert (problem.status, problem.key) == (422, "household.head_count")
    superseded = REGISTRY_ERRORS.problem(UnitError(code="superseded"))
    assert superseded is not None
    assert superseded.key == "unit.superseded"


def _group(api: TestClient) -> str:
    city = api.get("/api/v1/units").json()[0]["unit_id"]
    ward = _establish(api, kind="ward", name="Phường Thanh Khê", parent_id=city)
    return _establish(api, kind="residential_group", name="Tổ dân phố 51", parent_id=ward)


def _establish(api: TestClient, **body: Any) -> str:
    response = api.post("/api/v1/units", json={"effective_from": "2025-07-01", **body})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_domain_error_becomes_its_problem_in_both_languages(official_api: TestClient, lang: str) -> None:
    two_heads = [
        {"full_name": "Võ Thành Nam", "relationship": "head"},
        {"full_name": "Đặng Thị Lan", "relationship": "head"},
    ]
    household = {"unit_id": _group(official_api), "code": "HO-1", "registered_on": "2025-08-01"}
    response = official_api.post(
        "/api/v1/households", json=household | {"members": two_heads}, headers={"Accept-Language": lang}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "household.head_count"
    assert body["detail"] == text("household.head_count", lang)  # type: ignore[arg-type]
    assert (body["detail_vi"], body["detail_en"]) == (
        text("household.head_count", "vi"),
        text("household.head_count", "en"),
    )
    assert body["type"] == "https://tothon.vn/problems/validation"


def test_a_unit_missing_from_the_path_is_not_found_where_one_named_in_the_body_is_refused(
    official_api: TestClient,
) -> None:
    missing = str(uuid4())
    # The route's override: the unit the path names does not exist.
    renamed = official_api.post(
        f"/api/v1/units/{missing}/rename", json={"name": "Tổ dân phố 9", "effective_from": "2026-01-01"}
    )
    assert (renamed.status_code, renamed.json()["code"]) == (404, "unit.not_found")
    assert renamed.json()["type"] == "https://tothon.vn/problems/not-found"
    # The map's entry: a command naming a unit that does not exist is refused.
    under_missing = official_api.post(
        "/api/v1/units",
        json={
            "kind": "residential_group",
            "name": "Tổ dân phố 9",
            "parent_id": missing,
            "effective_from": "2026-01-01",
        },
    )
    assert (under_missing.status_code, under_missing.json()["code"]) == (422, "unit.not_found")


def test_a_code_the_map_gives_its_own_status_wins_over_its_class() -> None:
    # Withdrawing a consent never given conflicts with the person's consents (409); giving one
    # without what it needs refuses the request (422): one class, two codes.
    not_given = REGISTRY_ERRORS.problem(ConsentError(code="not_given"))
    needs_phone = REGISTRY_ERRORS.problem(ConsentError(code="phone_needs_consent"))
    assert not_given is not None
    assert needs_phone is not None
    assert (not_given.status, not_given.key) == (409, "consent.not_given")
    assert (needs_phone.status, needs_phone.key) == (422, "person.phone_needs_consent")


def _raise_sites() -> list[RaiseSite]:
    """Every ``raise`` of a registry error in the registry's code: where, which class, its code."""
    return raise_sites(tothon_registry, RegistryError)


@pytest.mark.parametrize(
    ("where", "line", "error", "code"), _raise_sites(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_refusal_the_registry_raises_becomes_a_problem_with_a_message(
    where: str, line: int, error: type[CodedError], code: str | None
) -> None:
    # An error the map cannot place (a class it does not list, or one whose only entries are
    # for other codes) would be a 500; a key without Vietnamese and English text, a raw key.
    raised = error.__new__(error)
    raised.code = code
    refusal = REGISTRY_ERRORS.refusal(raised)
    assert refusal is not None, f"{where}:{line}: {error.__name__}(code={code!r}) has no entry"
    key = refusal.key.format(code=code) if "{code}" in refusal.key else refusal.key
    assert text(key, "vi"), f"{where}:{line}: no message {key}"  # KeyError if none
    assert text(key, "en"), f"{where}:{line}: no message {key}"


def test_the_raise_sites_are_found() -> None:
    # The test above would pass on nothing: it must see the registry's raises.
    sites = _raise_sites()
    assert len(sites) > 30
    assert ("domain/household.py", HeadOfHouseholdError) in {(w, e) for w, _, e, _ in sites}
