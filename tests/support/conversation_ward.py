"""A ward of two groups and a second ward on the communication service (``ServiceHarness``),
with households and who serves where: what the conversations' API tests stand on, on SQLite and on
PostgreSQL."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from service_harness import ServiceHarness, registry_event
from sqlalchemy import select

from tothon_shared.auth.principal import Principal
from tothon_shared.auth.roles import Role
from tothon_shared.contracts.registry import RoleAssigned

API = "/api/v1/conversations"


@dataclass
class Ward:
    """Phường Hải Châu with Tổ 17 and Tổ 18, and Phường Thanh Khê with Tổ 51; a household in
    each group (two in Tổ 17), and who serves where."""

    svc: ServiceHarness
    ward: uuid.UUID
    group: uuid.UUID
    group_18: uuid.UUID
    other_ward: uuid.UUID
    group_51: uuid.UUID
    household: uuid.UUID
    neighbour: uuid.UUID
    household_18: uuid.UUID
    household_51: uuid.UUID
    leader: Principal
    police: Principal
    ward_official: Principal
    other_leader: Principal
    resident: Principal
    neighbour_resident: Principal
    resident_51: Principal

    def as_(self, principal: Principal) -> None:
        self.svc.as_principal(principal)

    def post(self, path: str, body: Any = None, status: int | None = None) -> Any:
        response = self.svc.client.post(path, json=body)
        if status is not None:
            assert response.status_code == status, response.text
        self.svc.project()
        return response

    def get(self, path: str, **params: Any) -> Any:
        return self.svc.client.get(path, params=params)


def _assign(svc: ServiceHarness, principal: Principal) -> None:
    """The registry's ``RoleAssigned`` for each of the principal's grants."""
    events = [
        registry_event(
            RoleAssigned, principal.account_id, g.unit_id, role=g.role.value, granted_by="a", reason="r"
        )
        for g in principal.grants
    ]
    svc.receive("registry.accounts", *events)


def ward_of(svc: ServiceHarness) -> Ward:
    """The two wards, their households and who serves where, delivered to the service."""
    city = svc.unit("province", "Thành phố Đà Nẵng", None)
    ward = svc.unit("ward", "Phường Hải Châu", city)
    group, group_18 = (
        svc.unit("residential_group", "Tổ 17", ward),
        svc.unit("residential_group", "Tổ 18", ward),
    )
    other_ward = svc.unit("ward", "Phường Thanh Khê", city)
    group_51 = svc.unit("residential_group", "Tổ 51", other_ward)
    household, neighbour = svc.household(group, "HO-001"), svc.household(group, "HO-002")
    household_18, household_51 = svc.household(group_18, "HO-181"), svc.household(group_51, "HO-511")
    leader, police = svc.principal(Role.GROUP_LEADER, group), svc.principal(Role.AREA_POLICE, ward)
    other_leader = svc.principal(Role.GROUP_LEADER, group_51)
    for official in (leader, police, other_leader):
        _assign(svc, official)
    return Ward(
        svc,
        ward,
        group,
        group_18,
        other_ward,
        group_51,
        household,
        neighbour,
        household_18,
        household_51,
        leader,
        police,
        svc.principal(Role.WARD_OFFICIAL, ward),
        other_leader,
        svc.principal(Role.RESIDENT, group, household),
        svc.principal(Role.RESIDENT, group, neighbour),
        svc.principal(Role.RESIDENT, group_51, household_51),
    )


def open_conversation(w: Ward, kind: str, status: int = 201, **body: Any) -> Any:
    response = w.post(API, {"kind": kind, **{k: str(v) for k, v in body.items()}}, status)
    return response.json()


def dump(svc: ServiceHarness) -> dict[str, list[tuple[Any, ...]]]:
    store = svc.runtime.store
    names = ("conversations", "conversation_messages", "conversation_reads", "conversation_role_holders")
    with store.engine.connect() as connection:
        return {
            name: [
                tuple(r)
                for r in connection.execute(
                    select(store.metadata.tables[name]).order_by(*store.metadata.tables[name].primary_key)
                )
            ]
            for name in names
        }
