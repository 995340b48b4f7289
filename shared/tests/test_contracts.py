"""The public contracts: committed schemas, the CloudEvents encoding, and what may not travel."""

from __future__ import annotations

import json
import uuid

import pytest
from events import make_household_registered

from tothon_shared.contracts.catalog import all_contracts
from tothon_shared.contracts.envelope import IntegrationEvent
from tothon_shared.contracts.registry import HouseholdRegistered
from tothon_shared.contracts.schemas import render, schema_file
from tothon_shared.messaging.message import MalformedMessageError, Message, decode, encode

SENSITIVE = {
    "citizen_id",
    "cccd",
    "phone",
    "birth_date",
    "date_of_birth",
    "ethnicity",
    "religion",
    "health",
    "full_name",
    "name_of_head",
    "head_name",
}


def _household(**changes: object) -> HouseholdRegistered:
    event = make_household_registered()
    return HouseholdRegistered.model_validate(event.model_dump() | changes)


@pytest.mark.parametrize("contract", all_contracts(), ids=lambda c: c.type_name())
def test_committed_schema_matches_the_contract(contract: type) -> None:
    assert schema_file(contract).read_text(encoding="utf-8") == render(contract), (
        "regenerate with: python -m tothon_shared.contracts.schemas"
    )


@pytest.mark.parametrize("contract", all_contracts(), ids=lambda c: c.type_name())
def test_contracts_carry_no_sensitive_personal_data(contract: type[IntegrationEvent]) -> None:
    assert not SENSITIVE & set(contract.model_fields)


def test_event_survives_the_cloudevents_round_trip() -> None:
    event = _household()
    message = encode(
        event, "t.registry.households.v1", {"traceparent": "00-" + "a" * 32 + "-" + "b" * 16 + "-01"}
    )
    assert message.headers["ce_type"] == "vn.tothon.registry.HouseholdRegistered.v1"
    assert message.headers["ce_id"] == str(event.event_id)
    assert message.key == str(event.subject_id).encode()
    assert "traceparent" in message.headers
    assert decode(message) == event


def test_the_same_domain_event_always_gets_the_same_event_id() -> None:
    subject = uuid.uuid4()
    assert HouseholdRegistered.derive_id(subject, 1) == HouseholdRegistered.derive_id(subject, 1)
    assert HouseholdRegistered.derive_id(subject, 1) != HouseholdRegistered.derive_id(subject, 2)


@pytest.mark.parametrize(
    ("headers", "value", "complaint"),
    [
        ({}, b"{}", "ce_type"),
        ({"ce_type": "vn.tothon.registry.Nonsense.v1"}, b"{}", "unknown event type"),
        ({"ce_type": "vn.tothon.registry.HouseholdRegistered.v1"}, b"not json", "invalid"),
        ({"ce_type": "vn.tothon.registry.HouseholdRegistered.v1"}, b'{"member_count": 0}', "invalid"),
    ],
)
def test_malformed_messages_are_refused_with_a_reason(
    headers: dict[str, str], value: bytes, complaint: str
) -> None:
    with pytest.raises(MalformedMessageError, match=complaint):
        decode(Message("t", None, value, headers))


def test_a_body_whose_id_differs_from_its_header_is_refused() -> None:
    message = encode(_household(), "t", {})
    forged = Message(
        message.topic, message.key, message.value, {**message.headers, "ce_id": str(uuid.uuid4())}
    )
    with pytest.raises(MalformedMessageError, match="differ"):
        decode(forged)


def test_unknown_fields_from_a_newer_producer_are_ignored() -> None:
    message = encode(_household(), "t", {})
    body = json.loads(message.value) | {"added_later": 1}
    assert decode(Message(message.topic, message.key, json.dumps(body).encode(), message.headers))
