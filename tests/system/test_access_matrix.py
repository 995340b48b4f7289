"""The access matrix, generated: every role × every endpoint × a unit inside and outside its scope.

Expectations come from the permission table (the registry's and the general permissions, by role) and the
unit tree, never from a list of answers, so a new endpoint or role is checked the same way and
any leak fails. A refused write is refused before any effect: the registry stores no event for it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from httpx import Response
from matrix_communication_announcements import (
    ANNOUNCEMENTS,
    EMERGENCIES,
    POLLS,
    AnnouncementSubjects,
    ContactSubjects,
    EmergencySubjects,
    PollSubjects,
)
from matrix_communication_conversations import CONVERSATIONS, ConversationSubjects, member, moderator
from matrix_funds import FundsSubjects
from matrix_subjects import Subjects
from photos import png
from polling import wait_for
from starlette.routing import Mount

from tothon.embedded import build_embedded
from tothon.seed import DEMO_ACCOUNTS, DEMO_PASSWORD
from tothon_communication.domain.conversation import ConversationKind
from tothon_communication.permissions import CommunicationPermission
from tothon_feedback.permissions import FeedbackPermission
from tothon_funds.permissions import FundsPermission
from tothon_registry.application import RegistryApplication
from tothon_registry.permissions import PERMISSIONS as REGISTRY_PERMISSIONS
from tothon_registry.permissions import RegistryPermission
from tothon_shared.auth.roles import APPOINTS, GeneralPermission, Role, permission_table
from tothon_shared.auth.roles import Permission as AnyPermission
from tothon_shared.runtime.settings import Settings

# What each role carries: the registry's, the general, funds' and feedback's declarations, by role.
PERMISSIONS = permission_table(
    (*REGISTRY_PERMISSIONS, *FundsPermission, *FeedbackPermission, *CommunicationPermission)
)

TARGETS = ("Tổ dân phố 17", "Tổ dân phố 51")  # in Phường Hải Châu and in Phường Thanh Khê
API = "/registry/api/v1"


@dataclass(frozen=True)
class World:
    """The embedded demo the matrix runs in: a client, the demo accounts' sessions, the targets' data."""

    client: TestClient
    registry: RegistryApplication
    subjects: Subjects
    tokens: dict[str, dict[str, Any]]
    grants: dict[str, tuple[Role, str]]  # each demo account's role and unit
    own_household: dict[str, str | None]  # each demo account's household (residents)
    units: dict[str, str]
    parents: dict[str, str]
    lineage: dict[str, list[str]]  # each target and the units above it
    ward_codes: dict[str, str]
    households: dict[str, str]  # a household of each target
    heads: dict[str, str]  # its head
    imports: dict[str, str]  # an import into each target
    funds: FundsSubjects
    conversations: ConversationSubjects
    announcements: AnnouncementSubjects
    emergencies: EmergencySubjects
    contacts: ContactSubjects
    polls: PollSubjects

    def stored(self) -> int:
        """The registry's last stored event: a refused write adds none."""
        return self.registry.recorder.max_notification_id() or 0


@dataclass(frozen=True)
class At:
    """What one call is about: a target unit of the demo, and what was made for this call."""

    world: World
    target: str
    made: Any = None

    @property
    def unit(self) -> str:
        return self.world.units[self.target]

    @property
    def ward(self) -> str:
        return self.world.parents[self.target]

    @property
    def household(self) -> str:
        return self.world.households[self.target]

    @property
    def head(self) -> str:
        return self.world.heads[self.target]

    @property
    def subjects(self) -> Subjects:
        return self.world.subjects


Call = Callable[[TestClient, At], Response]


@dataclass(frozen=True)
class Endpoint:
    """One endpoint: the route it calls, what it requires, and how to call it about a target unit."""

    name: str
    route: tuple[str, str]  # (method, path) as the app declares it
    permission: AnyPermission
    scoped: bool  # the permission must be held at the target (or above it)
    call: Call
    success: int = 200
    # Makes, before each call, the subject the call acts on (in ``At.made``).
    makes: Callable[[At], Any] | None = None
    # Also allowed to the residents of the target household (their own household's data).
    members_too: bool = False
    # Allowed to the residents of the target household only, whatever the roles.
    own_household_only: bool = False
    # Acts in the target's ward (a new group, or groups made beside the target): scoped there.
    in_ward: bool = False
    # Account administration about an account serving the target: the caller must be able to
    # appoint each of these roles at the target (those the account holds there, and any appointed).
    administers: tuple[Role, ...] = ()
    # The account is (or becomes) bound to a household of the target: the caller must be able to
    # register households there.
    binds: bool = False
    # For a write whose effect could bypass the event store: a read of what a refused call keeps.
    kept: Callable[[At], object] | None = None
    # Only these roles, among those carrying the permission at the target: a feedback case's
    # steps belong to the role that handles the level the case is at.
    roles: frozenset[Role] = frozenset()
    # Decided by membership rather than a permission at a unit (a conversation's members): whether
    # the account (by username) may, about the target.
    member: Callable[[World, str, str], bool] | None = None

    @property
    def writes(self) -> bool:
        return self.route[0] != "GET"


_codes = itertools.count()


def _listing(name: str, path: str, permission: AnyPermission, **params: str) -> Endpoint:
    """A list about the target unit: ``path`` with its ``unit_id`` (and ``params``) in the query."""
    return Endpoint(
        name,
        ("GET", path),
        permission,
        True,
        lambda c, at: c.get(path, params={"unit_id": at.unit, **params}),
    )


def _units(service: str) -> Endpoint:
    """The list of units a service's directory serves to whoever reads the directory."""
    path = f"/{service}/api/v1/directory/units"
    return Endpoint(
        f"{service} units", ("GET", path), GeneralPermission.DIRECTORY_READ, False, lambda c, at: c.get(path)
    )


def _unit_households(service: str) -> Endpoint:
    """The households of a unit in a service's directory."""
    path = f"/{service}/api/v1/directory/units"
    return Endpoint(
        f"{service} unit households",
        ("GET", f"{path}/{{unit_id}}/households"),
        GeneralPermission.DIRECTORY_READ,
        True,
        lambda c, at: c.get(f"{path}/{at.unit}/households"),
    )


def _new_account() -> dict[str, str]:
    return {"username": f"moi-{next(_codes)}", "display_name": "Người mới", "password": "mật-khẩu-mới-2026"}


def _import_sheet(c: TestClient, at: At) -> Response:
    response: Response = c.post(
        f"{API}/imports",
        params={"unit_id": at.unit, "filename": "so-ho.csv"},
        content="Mã hộ,Họ và tên,Quan hệ với chủ hộ\nNK-1,Đỗ Văn Sơn,Chủ hộ\n".encode(),
    )
    if response.status_code == 202:  # let it finish: no later case runs beside an import's writes
        job = f"{API}/imports/{response.json()['import_id']}"
        wait_for(lambda: c.get(job).json()["status"] != "running", what="the import")
    return response


def _person(at: At) -> object:
    """The details of the person made for the call (gone once erased)."""
    return at.world.registry.get_person(UUID(at.made)).details


_RESET = {"password": "mật-khẩu-đặt-lại-2026"}


R = RegistryPermission  # short, for the table below
F = FeedbackPermission
FEEDBACK = "/feedback/api/v1/feedback"


def _case_step(step: str, body: dict[str, Any], role: Role, **made: Any) -> Endpoint:
    """A workflow step on a case made for the call, taken by the role handling its level."""
    return Endpoint(
        f"feedback {step} a case",
        ("POST", f"{FEEDBACK}/cases/{{case_id}}/{step}"),
        F.CASES_HANDLE,
        True,
        lambda c, at: c.post(f"{FEEDBACK}/cases/{at.made}/{step}", json=body),
        makes=lambda at: at.subjects.feedback_case(at.target, at.household, **made),
        roles=frozenset({role}),
    )


def _merge(c: TestClient, at: At) -> Response:
    into = at.subjects.feedback_case(at.target, at.household)
    response: Response = c.post(f"{FEEDBACK}/cases/{at.made}/merge", json={"into": into, "reason": "Trùng"})
    return response


def _own_case_step(step: str, body: dict[str, Any]) -> Endpoint:
    """The resident's answer to a resolution of a case filed for their household."""
    return Endpoint(
        f"feedback {step} own case",
        ("POST", f"{FEEDBACK}/cases/{{case_id}}/{step}"),
        F.CASES_HANDLE,
        True,
        lambda c, at: c.post(f"{FEEDBACK}/cases/{at.made}/{step}", json=body),
        makes=lambda at: at.subjects.feedback_case(at.target, at.household, steps=("accept", "resolve")),
        own_household_only=True,
    )


def _case_read(name: str, suffix: str) -> Endpoint:
    """A case of the target's household: its officials and its residents read it."""
    return Endpoint(
        name,
        ("GET", f"{FEEDBACK}/cases/{{case_id}}{suffix}"),
        F.CASES_READ,
        True,
        lambda c, at: c.get(f"{FEEDBACK}/cases/{at.made}{suffix}"),
        makes=lambda at: at.subjects.feedback_case(at.target, at.household),
        members_too=True,
    )


def _case_file(name: str, suffix: str) -> Endpoint:
    """A photo a case of the target's household cites: whoever may see the case sees it."""
    return Endpoint(
        name,
        ("GET", f"{FEEDBACK}/attachments/{{sha}}{suffix}"),
        F.CASES_READ,
        True,
        lambda c, at: c.get(f"{FEEDBACK}/attachments/{at.made}{suffix}"),
        makes=lambda at: at.subjects.feedback_case_with_its_photo(at.target, at.household),
        members_too=True,
    )


_GROUP, _WARD = Role.GROUP_LEADER, Role.WARD_OFFICIAL
_CATEGORY = {
    "name_vi": "Thử",
    "name_en": "Trial",
    "level": "ward",
    "deadlines": {
        "ward": {"accept_hours": 8, "resolve_days": 5},
        "city": {"accept_hours": 8, "resolve_days": 5},
    },
    "reason": "Thử",
}
_days = itertools.count()


def _a_day() -> str:
    """A day off of its own for each call, in a year no case of the matrix is filed in."""
    return (date(2090, 1, 1) + timedelta(days=next(_days))).isoformat()


FP = FundsPermission
FUNDS = "/funds/api/v1/funds"
_YEAR = {"from": "2026-01-01", "to": "2026-12-31"}


def _fund(**made: Any) -> Callable[[At], Any]:
    """Makes a fund of the target (``matrix_funds.FundsSubjects.fund``) before the call."""
    return lambda at: at.world.funds.fund(at.target, at.household, **made)


# A fund call's path parameters, as the route declares them and as made for one call.
_ROUTE_PARTS = {
    "levy": "{levy_id}",
    "entry": "{entry_id}",
    "household": "{household_id}",
    "exemption": "{exemption_id}",
    "statement": "{statement_id}",
    "bank": "{bank}",
}


def _parts(made: Any) -> dict[str, str]:
    return {
        "levy": made.levy,
        "entry": made.entry,
        "household": made.household,
        "exemption": made.exemption,
        "statement": made.statement,
        "bank": "quy-tin-dung",
    }


def _fund_call(
    name: str,
    method: str,
    suffix: str,
    permission: AnyPermission,
    body: Any = None,
    success: int = 200,
    **made: Any,
) -> Endpoint:
    """A call on a fund made for it: ``suffix`` formatted with what was made."""
    return Endpoint(
        f"funds {name}",
        (
            method,
            f"{FUNDS}/{{fund_id}}{suffix.format(**_ROUTE_PARTS)}",
        ),
        permission,
        True,
        lambda c, at: c.request(
            method,
            f"{FUNDS}/{at.made.fund}{suffix.format(**_parts(at.made))}",
            json=body(at) if callable(body) else body,
        ),
        success=success,
        makes=_fund(**made),
    )


def _expense_call(step: str, permission: AnyPermission, body: Any, state: str) -> Endpoint:
    return Endpoint(
        f"funds expense {step}",
        ("POST", f"{FUNDS}/expenses/{{expense_id}}/{step}"),
        permission,
        True,
        lambda c, at: c.post(f"{FUNDS}/expenses/{at.made.expense}/{step}", json=body),
        makes=_fund(expense=state),
    )


# A Vietcombank statement of one transfer carrying no reference: imported, left to match by hand.
_STATEMENT = (
    "Ngày giao dịch;Số tham chiếu;Số tiền ghi nợ;Số tiền ghi có;Số dư;Mô tả\r\n"
    "01/03/2026;FT1;;50.000;50.000;ung ho quy\r\n"
).encode()

FUNDS_ENDPOINTS = [
    _listing("funds of the unit", FUNDS, FP.FUNDS_READ),
    Endpoint(
        "funds open a fund",
        ("POST", FUNDS),
        FP.FUNDS_MANAGE,
        True,
        lambda c, at: c.post(
            FUNDS, json={"unit_id": at.unit, "name": f"Quỹ {next(_codes)}", "kind": "voluntary"}
        ),
        success=201,
    ),
    _fund_call("fund view", "GET", "", FP.FUNDS_READ),
    _fund_call(
        "announce a levy",
        "POST",
        "/levies",
        FP.FUNDS_MANAGE,
        {"basis": "household", "amount": 50_000, "period_from": "2026-01-01", "period_to": "2026-12-31"},
        201,
    ),
    _fund_call("levy collection", "GET", "/levies/{levy}/collection", FP.FUNDS_READ, levy=True),
    _fund_call(
        "record a payment",
        "POST",
        "/payments",
        FP.FUNDS_MANAGE,
        lambda at: {"household_id": at.household, "amount": 20_000},
        201,
    ),
    _fund_call(
        "record a collection round",
        "POST",
        "/payments/round",
        FP.FUNDS_MANAGE,
        lambda at: {"payments": [{"household_id": at.household, "amount": 20_000}]},
        201,
    ),
    _fund_call(
        "reverse an entry",
        "POST",
        "/entries/{entry}/reversal",
        FP.FUNDS_MANAGE,
        {"reason": "Nhầm"},
        201,
        paid=True,
    ),
    _fund_call("receipts", "GET", "/receipts", FP.FUNDS_READ),
    _fund_call(
        "exempt a household",
        "POST",
        "/exemptions",
        FP.FUNDS_MANAGE,
        lambda at: {
            "household_id": at.household,
            "ground": "student",
            "evidence": "Giấy xác nhận",
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-31",
            "members": 1,
        },
        201,
    ),
    _fund_call(
        "lift an exemption",
        "POST",
        "/exemptions/{household}/{exemption}/lifting",
        FP.FUNDS_MANAGE,
        {"reason": "Hết hạn"},
        204,
        exempt=True,
    ),
    _fund_call(
        "close a period",
        "POST",
        "/closing",
        FP.FUNDS_MANAGE,
        {"until": "2025-12-31", "reason": "Quyết toán"},
        204,
    ),
    _fund_call(
        "publication",
        "POST",
        "/publication",
        FP.FUNDS_MANAGE,
        {"names_public": True, "reason": "Họp tổ"},
        204,
    ),
    _fund_call(
        "propose an expense",
        "POST",
        "/expenses",
        FP.FUNDS_MANAGE,
        {"amount": 10_000, "purpose": "Mua chổi", "evidence": ["Hoá đơn"]},
        201,
    ),
    _fund_call("expenses", "GET", "/expenses", FP.FUNDS_READ),
    _expense_call("approval", FP.EXPENSES_APPROVE, None, "proposed"),
    _expense_call("rejection", FP.EXPENSES_APPROVE, {"reason": "Chưa cần"}, "proposed"),
    _expense_call("payment", FP.FUNDS_MANAGE, {"means": "cash"}, "approved"),
    Endpoint(
        "funds a receipt as PDF",
        ("GET", f"{FUNDS}/receipts/{{entry_id}}.pdf"),
        FP.FUNDS_READ,
        True,
        lambda c, at: c.get(f"{FUNDS}/receipts/{at.made.entry}.pdf"),
        makes=_fund(paid=True),
        members_too=True,
    ),
    Endpoint(
        "funds a household's dues and receipts",
        ("GET", f"{FUNDS}/households/{{household_id}}"),
        FP.FUNDS_READ,
        True,
        lambda c, at: c.get(f"{FUNDS}/households/{at.household}"),
        members_too=True,
    ),
    _listing("funds summary", f"{FUNDS}/summary", FP.FUNDS_READ, **_YEAR),
    Endpoint(
        "funds statement banks",
        ("GET", f"{FUNDS}/statement-banks"),
        FP.FUNDS_MANAGE,
        False,  # the banks whose exports are known: nothing of a unit
        lambda c, at: c.get(f"{FUNDS}/statement-banks"),
    ),
    Endpoint(
        "funds import a statement",
        ("POST", f"{FUNDS}/{{fund_id}}/statements"),
        FP.FUNDS_MANAGE,
        True,
        lambda c, at: c.post(
            f"{FUNDS}/{at.made.fund}/statements",
            params={"bank": "vietcombank", "filename": "sao-ke.csv"},
            content=_STATEMENT,
            headers={"Content-Type": "application/octet-stream"},
        ),
        success=201,
        makes=_fund(),
    ),
    _fund_call("statement lines", "GET", "/statement-lines", FP.FUNDS_READ),
    _fund_call(
        "match a statement line",
        "POST",
        "/statements/{statement}/matches",
        FP.FUNDS_MANAGE,
        lambda at: {"key": at.made.line, "household_id": at.household},
        201,
        statement=True,
    ),
    _fund_call(
        "map a bank's statement",
        "PUT",
        "/statement-formats/{bank}",
        FP.FUNDS_MANAGE,
        {"columns": {"booked_on": "Ngày", "credit": "Tiền vào", "description": "Diễn giải"}},
        204,
    ),
]


FEEDBACK_ENDPOINTS = [
    _listing("feedback queue", f"{FEEDBACK}/queue", F.CASES_READ),
    Endpoint(
        "feedback file a walk-in",
        ("POST", f"{FEEDBACK}/cases"),
        F.CASES_FILE,
        True,
        lambda c, at: c.post(
            f"{FEEDBACK}/cases",
            json={
                "category": "sanitation",
                "text": f"Đèn đường hỏng số {next(_codes)}",
                "channel": "walk_in",
                "household_id": at.household,
                "not_a_repeat": True,
            },
        ),
        success=201,
    ),
    _case_read("feedback case", ""),
    _case_read("feedback case timeline", "/timeline"),
    _case_step("accept", {}, _GROUP),
    _case_step("start", {}, _GROUP, steps=("accept",)),
    Endpoint(
        "feedback resolve a case",
        ("POST", f"{FEEDBACK}/cases/{{case_id}}/resolve"),
        F.CASES_HANDLE,
        True,
        lambda c, at: c.post(
            f"{FEEDBACK}/cases/{at.made}/resolve",
            json={"answer": "Đã xong", "evidence": [at.subjects.feedback_photo(at.made)]},
        ),
        makes=lambda at: at.subjects.feedback_case(at.target, at.household, steps=("accept",)),
        roles=frozenset({_GROUP}),
    ),
    _case_file("feedback a case's photo", ""),
    _case_file("feedback a case's photo thumbnail", "/thumbnail"),
    _case_step("reject", {"reason": "Không thuộc phạm vi"}, _GROUP),
    _case_step("escalate", {"reason": "Vượt thẩm quyền của tổ"}, _GROUP),
    _case_step("assign", {"official": "tổ phó"}, _GROUP),
    _case_step("notes", {"text": "Ghi chú nội bộ"}, _GROUP),
    _case_step("replies", {"text": "Tổ sẽ đến kiểm tra"}, _GROUP),
    Endpoint(
        "feedback return a case",
        ("POST", f"{FEEDBACK}/cases/{{case_id}}/return"),
        F.CASES_HANDLE,
        True,
        lambda c, at: c.post(
            f"{FEEDBACK}/cases/{at.made}/return", json={"unit_id": at.unit, "reason": "Của tổ"}
        ),
        makes=lambda at: at.subjects.feedback_case(at.target, at.household, category="infrastructure"),
        roles=frozenset({_WARD}),
    ),
    Endpoint(
        "feedback merge a case",
        ("POST", f"{FEEDBACK}/cases/{{case_id}}/merge"),
        F.CASES_HANDLE,
        True,
        _merge,
        makes=lambda at: at.subjects.feedback_case(at.target, at.household),
        roles=frozenset({_GROUP}),
    ),
    _own_case_step("close", {"rating": 4}),
    _own_case_step("reopen", {"reason": "Chưa xong"}),
    # The city's configuration: city-wide, so not scoped to the target.
    Endpoint(
        "feedback catalogue",
        ("GET", f"{FEEDBACK}/catalogue"),
        F.CATALOGUE_EDIT,
        False,
        lambda c, at: c.get(f"{FEEDBACK}/catalogue"),
    ),
    Endpoint(
        "feedback put a category",
        ("PUT", f"{FEEDBACK}/catalogue/categories/{{code}}"),
        F.CATALOGUE_EDIT,
        False,
        lambda c, at: c.put(f"{FEEDBACK}/catalogue/categories/matrix_{next(_codes)}", json=_CATEGORY),
    ),
    Endpoint(
        "feedback retire a category",
        ("POST", f"{FEEDBACK}/catalogue/categories/{{code}}/retire"),
        F.CATALOGUE_EDIT,
        False,
        lambda c, at: c.post(f"{FEEDBACK}/catalogue/categories/{at.made}/retire", json={"reason": "Thử"}),
        makes=lambda at: at.subjects.feedback_category(),
    ),
    Endpoint(
        "feedback add a day off",
        ("POST", f"{FEEDBACK}/catalogue/days-off"),
        F.CATALOGUE_EDIT,
        False,
        lambda c, at: c.post(f"{FEEDBACK}/catalogue/days-off", json={"day": _a_day(), "reason": "Thử"}),
    ),
    Endpoint(
        "feedback remove a day off",
        ("POST", f"{FEEDBACK}/catalogue/days-off/{{day}}/remove"),
        F.CATALOGUE_EDIT,
        False,
        lambda c, at: c.post(f"{FEEDBACK}/catalogue/days-off/{at.made}/remove", json={"reason": "Thử"}),
        makes=lambda at: at.subjects.feedback_day_off(_a_day()),
    ),
    Endpoint(
        "feedback issue an Open311 key",
        ("POST", f"{FEEDBACK}/open311-keys"),
        F.OPEN311_KEYS,
        False,
        lambda c, at: c.post(f"{FEEDBACK}/open311-keys", json={"system": "Tổng đài", "reason": "Thử"}),
        success=201,
    ),
    Endpoint(
        "feedback Open311 keys",
        ("GET", f"{FEEDBACK}/open311-keys"),
        F.OPEN311_KEYS,
        False,
        lambda c, at: c.get(f"{FEEDBACK}/open311-keys"),
    ),
    Endpoint(
        "feedback revoke an Open311 key",
        ("POST", f"{FEEDBACK}/open311-keys/{{key_id}}/revoke"),
        F.OPEN311_KEYS,
        False,
        lambda c, at: c.post(f"{FEEDBACK}/open311-keys/{at.made}/revoke", json={"reason": "Thử"}),
        makes=lambda at: at.subjects.open311_key(),
        success=204,
    ),
    Endpoint(
        "feedback office hours",
        ("PUT", f"{FEEDBACK}/catalogue/office-hours"),
        F.CATALOGUE_EDIT,
        False,
        lambda c, at: c.put(
            f"{FEEDBACK}/catalogue/office-hours",
            json={"periods": [["07:30", "11:30"], ["13:30", "17:00"]], "reason": "Giờ hành chính"},
        ),
    ),
]

# --- conversations ---
K = ConversationKind


def _member_of(kind: ConversationKind) -> Callable[[World, str, str], bool]:
    """Whether the account takes part in a ``kind`` conversation about the target."""

    def decide(world: World, username: str, target: str) -> bool:
        role, unit = world.grants[username]
        own = world.own_household[username] == world.households[target]
        chain = world.conversations.chain(unit)
        return member(PERMISSIONS[role], role, unit, own, kind, world.lineage[target], chain)

    return decide


def _moderates(world: World, username: str, target: str) -> bool:
    role, unit = world.grants[username]
    return moderator(PERMISSIONS[role], unit, world.lineage[target])


def _takes_part_beside(world: World, username: str, target: str) -> bool:
    """A member of a new group's channel beside the target: an official over its ward (the group
    has no leader, no resident yet)."""
    role, unit = world.grants[username]
    return (
        CommunicationPermission.CONVERSATIONS_TAKE_PART in PERMISSIONS[role]
        and unit in world.lineage[target][1:]
    )


def _conversation(kind: ConversationKind, **made: bool) -> Callable[[At], Any]:
    return lambda at: at.world.conversations.conversation(at.target, kind, **made)


def _communication_events(at: At) -> object:
    return at.world.conversations.stored()


# --- announcements ---
CP = CommunicationPermission


def _notice(at: At) -> str:
    return at.world.announcements.notice(at.target)


def _notice_with_file(at: At) -> tuple[str, str]:
    return at.world.announcements.notice_with_file(at.target)


ANNOUNCEMENT_ENDPOINTS = [
    Endpoint(
        "announcements upload a file for a notice",
        ("POST", f"{ANNOUNCEMENTS}/attachments"),
        CP.ANNOUNCEMENTS_PUBLISH,
        False,
        lambda c, at: c.post(
            f"{ANNOUNCEMENTS}/attachments", files={"file": ("so-do.png", png(), "image/png")}
        ),
        201,
    ),
    Endpoint(
        "announcements a file a notice carries",
        ("GET", f"{ANNOUNCEMENTS}/{{announcement_id}}/attachments/{{attachment_id}}"),
        CP.ANNOUNCEMENTS_READ,
        True,
        lambda c, at: c.get(f"{ANNOUNCEMENTS}/{at.made[0]}/attachments/{at.made[1]}"),
        makes=_notice_with_file,
        members_too=True,
    ),
    Endpoint(
        "announcements preview an audience",
        ("GET", f"{ANNOUNCEMENTS}/preview"),
        CP.ANNOUNCEMENTS_PUBLISH,
        True,
        lambda c, at: c.get(f"{ANNOUNCEMENTS}/preview", params={"unit_id": at.unit}),
    ),
    Endpoint(
        "announcements write a notice",
        ("POST", ANNOUNCEMENTS),
        CP.ANNOUNCEMENTS_PUBLISH,
        True,
        lambda c, at: c.post(
            ANNOUNCEMENTS, json={"unit_id": at.unit, "title": "Họp tổ", "body": "Tối thứ Sáu."}
        ),
        201,
        kept=_communication_events,
    ),
    Endpoint(
        "announcements of a unit",
        ("GET", ANNOUNCEMENTS),
        CP.ANNOUNCEMENTS_READ,
        True,
        lambda c, at: c.get(ANNOUNCEMENTS, params={"unit_id": at.unit}),
    ),
    Endpoint(
        "announcements one notice",
        ("GET", f"{ANNOUNCEMENTS}/{{announcement_id}}"),
        CP.ANNOUNCEMENTS_READ,
        True,
        lambda c, at: c.get(f"{ANNOUNCEMENTS}/{at.made}"),
        makes=_notice,
        members_too=True,
    ),
    Endpoint(
        "announcements edit a notice",
        ("PUT", f"{ANNOUNCEMENTS}/{{announcement_id}}"),
        CP.ANNOUNCEMENTS_PUBLISH,
        True,
        lambda c, at: c.put(
            f"{ANNOUNCEMENTS}/{at.made}", json={"title": "Họp tổ (sửa)", "body": "Tối thứ Bảy."}
        ),
        makes=_notice,
        kept=_communication_events,
    ),
    Endpoint(
        "announcements retract a notice",
        ("POST", f"{ANNOUNCEMENTS}/{{announcement_id}}/retraction"),
        CP.ANNOUNCEMENTS_PUBLISH,
        True,
        lambda c, at: c.post(f"{ANNOUNCEMENTS}/{at.made}/retraction", json={"reason": "Hoãn họp"}),
        204,
        makes=_notice,
        kept=_communication_events,
    ),
    Endpoint(
        "announcements a household's feed",
        ("GET", "/communication/api/v1/households/{household_id}/feed"),
        CP.ANNOUNCEMENTS_READ,
        True,
        lambda c, at: c.get(f"/communication/api/v1/households/{at.household}/feed"),
        members_too=True,
    ),
    Endpoint(
        "announcements acknowledged on the household's page",
        ("POST", f"{ANNOUNCEMENTS}/{{announcement_id}}/acknowledgements"),
        CP.ANNOUNCEMENTS_READ,
        True,
        lambda c, at: c.post(
            f"{ANNOUNCEMENTS}/{at.made}/acknowledgements", json={"household_id": at.household}
        ),
        makes=_notice,
        own_household_only=True,
        kept=_communication_events,
    ),
    Endpoint(
        "announcements a round told by loudspeaker",
        ("POST", f"{ANNOUNCEMENTS}/{{announcement_id}}/acknowledgements/batch"),
        CP.DELIVERIES_RECORD,
        True,
        lambda c, at: c.post(
            f"{ANNOUNCEMENTS}/{at.made}/acknowledgements/batch",
            json={"household_ids": [at.household], "means": "loudspeaker"},
        ),
        makes=_notice,
        kept=_communication_events,
    ),
    Endpoint(
        "announcements told in person by the leader",
        ("POST", f"{ANNOUNCEMENTS}/{{announcement_id}}/acknowledgements"),
        CP.DELIVERIES_RECORD,
        True,
        lambda c, at: c.post(
            f"{ANNOUNCEMENTS}/{at.made}/acknowledgements",
            json={"household_id": at.household, "means": "in_person"},
        ),
        makes=_notice,
        kept=_communication_events,
    ),
    Endpoint(
        "announcements read on the household's page",
        ("POST", f"{ANNOUNCEMENTS}/{{announcement_id}}/reads"),
        CP.ANNOUNCEMENTS_READ,
        True,
        lambda c, at: c.post(f"{ANNOUNCEMENTS}/{at.made}/reads", json={"household_id": at.household}),
        makes=_notice,
        own_household_only=True,
        kept=_communication_events,
    ),
    Endpoint(
        "announcements households not yet told",
        ("GET", f"{ANNOUNCEMENTS}/{{announcement_id}}/pending"),
        CP.ANNOUNCEMENTS_READ,
        True,
        lambda c, at: c.get(f"{ANNOUNCEMENTS}/{at.made}/pending", params={"unit_id": at.unit}),
        makes=_notice,
    ),
    Endpoint(
        "announcements read aloud for the loudspeaker",
        ("GET", f"{ANNOUNCEMENTS}/{{announcement_id}}/audio.mp3"),
        CP.ANNOUNCEMENTS_READ,
        True,
        lambda c, at: c.get(f"{ANNOUNCEMENTS}/{at.made}/audio.mp3"),
        makes=_notice,
        members_too=True,
    ),
    Endpoint(
        "announcements delivery statistics",
        ("GET", f"{ANNOUNCEMENTS}/{{announcement_id}}/statistics"),
        CP.ANNOUNCEMENTS_READ,
        True,
        lambda c, at: c.get(f"{ANNOUNCEMENTS}/{at.made}/statistics"),
        makes=_notice,
    ),
]


# --- emergencies ---
def _emergency(at: At) -> str:
    return at.world.emergencies.emergency(at.target)


EMERGENCY_ENDPOINTS = [
    Endpoint(
        "emergencies declare a typhoon",
        ("POST", EMERGENCIES),
        CP.EMERGENCIES_MANAGE,
        True,
        lambda c, at: c.post(
            EMERGENCIES,
            json={"unit_id": at.unit, "hazard": "typhoon", "title": "Bão số 13", "body": "Báo tình hình."},
        ),
        201,
        kept=_communication_events,
    ),
    Endpoint(
        "emergencies of a unit",
        ("GET", EMERGENCIES),
        CP.EMERGENCIES_MANAGE,
        True,
        lambda c, at: c.get(EMERGENCIES, params={"unit_id": at.unit}),
    ),
    Endpoint(
        "emergencies one emergency",
        ("GET", f"{EMERGENCIES}/{{emergency_id}}"),
        CP.EMERGENCIES_MANAGE,
        True,
        lambda c, at: c.get(f"{EMERGENCIES}/{at.made}"),
        makes=_emergency,
        members_too=True,
    ),
    Endpoint(
        "emergencies close one",
        ("POST", f"{EMERGENCIES}/{{emergency_id}}/closure"),
        CP.EMERGENCIES_MANAGE,
        True,
        lambda c, at: c.post(f"{EMERGENCIES}/{at.made}/closure"),
        204,
        makes=_emergency,
        kept=_communication_events,
    ),
    Endpoint(
        "emergencies a household checks in",
        ("POST", f"{EMERGENCIES}/{{emergency_id}}/check-ins"),
        CP.EMERGENCIES_MANAGE,
        True,
        lambda c, at: c.post(
            f"{EMERGENCIES}/{at.made}/check-ins", json={"household_id": at.household, "status": "safe"}
        ),
        makes=_emergency,
        members_too=True,
        kept=_communication_events,
    ),
    Endpoint(
        "emergencies the leader's board",
        ("GET", f"{EMERGENCIES}/{{emergency_id}}/board"),
        CP.EMERGENCIES_MANAGE,
        True,
        lambda c, at: c.get(f"{EMERGENCIES}/{at.made}/board", params={"unit_id": at.unit}),
        makes=_emergency,
    ),
    Endpoint(
        "emergencies a household is asked to answer",
        ("GET", "/communication/api/v1/households/{household_id}/emergencies"),
        CP.EMERGENCIES_MANAGE,
        True,
        lambda c, at: c.get(f"/communication/api/v1/households/{at.household}/emergencies"),
        members_too=True,
    ),
]

# --- outbound ---
COMMUNICATION = "/communication/api/v1"
OUTBOUND_ENDPOINTS = [
    Endpoint(
        "outbound a household's contacts",
        ("GET", f"{COMMUNICATION}/households/{{household_id}}/contacts"),
        CP.ANNOUNCEMENTS_READ,
        True,
        lambda c, at: c.get(f"{COMMUNICATION}/households/{at.household}/contacts"),
        own_household_only=True,
    ),
    Endpoint(
        "outbound a household's personal notices",
        ("GET", f"{COMMUNICATION}/households/{{household_id}}/notifications"),
        CP.ANNOUNCEMENTS_READ,
        True,
        lambda c, at: c.get(f"{COMMUNICATION}/households/{at.household}/notifications"),
        own_household_only=True,
    ),
    Endpoint(
        "outbound a household's consents",
        ("GET", f"{COMMUNICATION}/households/{{household_id}}/consents"),
        CP.ANNOUNCEMENTS_READ,
        True,
        lambda c, at: c.get(f"{COMMUNICATION}/households/{at.household}/consents"),
        own_household_only=True,
    ),
    Endpoint(
        "outbound give a contact",
        ("PUT", f"{COMMUNICATION}/households/{{household_id}}/contacts"),
        CP.ANNOUNCEMENTS_READ,
        True,
        # The registry records this person's consent (given before each call): 204.
        lambda c, at: c.put(
            f"{COMMUNICATION}/households/{at.household}/contacts",
            json={"person_id": at.made, "means": "email", "address": "ho@example.vn"},
        ),
        204,
        makes=lambda at: at.world.contacts.consented(at.target),
        own_household_only=True,
        kept=_communication_events,
    ),
    Endpoint(
        "outbound remove a contact",
        ("DELETE", f"{COMMUNICATION}/households/{{household_id}}/contacts/{{person_id}}/{{means}}"),
        CP.ANNOUNCEMENTS_READ,
        True,
        lambda c, at: c.delete(f"{COMMUNICATION}/households/{at.household}/contacts/{at.made}/zalo"),
        204,
        makes=lambda at: at.world.contacts.contact(at.target),
        own_household_only=True,
        kept=_communication_events,
    ),
    Endpoint(
        "outbound configure a gateway",
        ("PUT", f"{COMMUNICATION}/gateways/{{means}}"),
        CP.CHANNELS_MANAGE,
        False,
        lambda c, at: c.put(
            f"{COMMUNICATION}/gateways/sms",
            json={"url": "https://sms.example.vn/hook", "secret": "bí-mật-đủ-dài-cho-cổng-sms-2026"},
        ),
        204,
        kept=_communication_events,
    ),
    Endpoint(
        "outbound gateways",
        ("GET", f"{COMMUNICATION}/gateways"),
        CP.CHANNELS_MANAGE,
        False,
        lambda c, at: c.get(f"{COMMUNICATION}/gateways"),
    ),
    Endpoint(
        "outbound the city's delivery log",
        ("GET", f"{COMMUNICATION}/deliveries"),
        CP.CHANNELS_MANAGE,
        False,
        lambda c, at: c.get(f"{COMMUNICATION}/deliveries"),
    ),
    Endpoint(
        "outbound a unit's delivery log",
        ("GET", f"{COMMUNICATION}/units/{{unit_id}}/deliveries"),
        CP.ANNOUNCEMENTS_READ,
        True,
        lambda c, at: c.get(f"{COMMUNICATION}/units/{at.unit}/deliveries"),
    ),
]


# --- civic ---
def _poll(at: At) -> str:
    return at.world.polls.poll(at.target)


POLL_ENDPOINTS = [
    Endpoint(
        "polls announce a meeting",
        ("POST", f"{COMMUNICATION}/meetings"),
        CP.POLLS_MANAGE,
        True,
        lambda c, at: c.post(
            f"{COMMUNICATION}/meetings",
            json={
                "unit_id": at.unit,
                "title": "Họp tổ",
                "body": "Bàn việc làm đường.",
                "meets_at": (datetime.now(UTC) + timedelta(days=10)).isoformat(),
                "place": "Nhà văn hoá",
            },
        ),
        201,
        kept=_communication_events,
    ),
    Endpoint(
        "polls open a poll",
        ("POST", POLLS),
        CP.POLLS_MANAGE,
        True,
        lambda c, at: c.post(
            POLLS,
            json={
                "unit_id": at.unit,
                "question": "Làm đường?",
                "options": ["Đồng ý", "Không"],
                "closes_at": (datetime.now(UTC) + timedelta(days=7)).isoformat(),
            },
        ),
        201,
        kept=_communication_events,
    ),
    Endpoint(
        "polls of a unit",
        ("GET", POLLS),
        CP.ANNOUNCEMENTS_READ,
        True,
        lambda c, at: c.get(POLLS, params={"unit_id": at.unit}),
    ),
    Endpoint(
        "polls one poll",
        ("GET", f"{POLLS}/{{poll_id}}"),
        CP.ANNOUNCEMENTS_READ,
        True,
        lambda c, at: c.get(f"{POLLS}/{at.made}"),
        makes=_poll,
        members_too=True,
    ),
    Endpoint(
        "polls a household votes",
        ("POST", f"{POLLS}/{{poll_id}}/votes"),
        CP.ANNOUNCEMENTS_READ,
        True,
        lambda c, at: c.post(f"{POLLS}/{at.made}/votes", json={"household_id": at.household, "option": 0}),
        204,
        makes=_poll,
        own_household_only=True,
        kept=_communication_events,
    ),
    Endpoint(
        "polls close one early",
        ("POST", f"{POLLS}/{{poll_id}}/closure"),
        CP.POLLS_MANAGE,
        True,
        lambda c, at: c.post(f"{POLLS}/{at.made}/closure"),
        204,
        makes=_poll,
        kept=_communication_events,
    ),
    Endpoint(
        "polls a household's polls",
        ("GET", f"{COMMUNICATION}/households/{{household_id}}/polls"),
        CP.ANNOUNCEMENTS_READ,
        True,
        lambda c, at: c.get(f"{COMMUNICATION}/households/{at.household}/polls"),
        own_household_only=True,
    ),
]

CONVERSATION_ENDPOINTS = [
    Endpoint(
        "conversations open a new group's channel",
        ("POST", CONVERSATIONS),
        CommunicationPermission.CONVERSATIONS_TAKE_PART,
        True,
        lambda c, at: c.post(CONVERSATIONS, json={"kind": "group-channel", "unit_id": at.made}),
        201,
        makes=lambda at: at.world.conversations.seen(at.subjects.groups(at.target, 1)[0]),
        member=_takes_part_beside,
        kept=_communication_events,
    ),
    Endpoint(
        "conversations of the caller",
        ("GET", CONVERSATIONS),
        CommunicationPermission.CONVERSATIONS_TAKE_PART,
        False,
        lambda c, at: c.get(CONVERSATIONS),
        member=lambda world, username, target: True,  # each sees only their own
    ),
    Endpoint(
        "conversations a household's with its leader",
        ("GET", f"{CONVERSATIONS}/{{conversation_id}}"),
        CommunicationPermission.CONVERSATIONS_TAKE_PART,
        True,
        lambda c, at: c.get(f"{CONVERSATIONS}/{at.made.conversation}"),
        makes=_conversation(K.RESIDENT_LEADER),
        member=_member_of(K.RESIDENT_LEADER),
    ),
    Endpoint(
        "conversations messages of a household's with the police",
        ("GET", f"{CONVERSATIONS}/{{conversation_id}}/messages"),
        CommunicationPermission.CONVERSATIONS_TAKE_PART,
        True,
        lambda c, at: c.get(f"{CONVERSATIONS}/{at.made.conversation}/messages", params={"after": 0}),
        makes=_conversation(K.RESIDENT_POLICE, message=True),
        member=_member_of(K.RESIDENT_POLICE),
    ),
    Endpoint(
        "conversations post to the group's channel",
        ("POST", f"{CONVERSATIONS}/{{conversation_id}}/messages"),
        CommunicationPermission.CONVERSATIONS_TAKE_PART,
        True,
        lambda c, at: c.post(f"{CONVERSATIONS}/{at.made.conversation}/messages", json={"text": "Xin chào"}),
        201,
        makes=_conversation(K.GROUP_CHANNEL),
        member=_member_of(K.GROUP_CHANNEL),
        kept=_communication_events,
    ),
    Endpoint(
        "conversations hide a channel's message",
        ("POST", f"{CONVERSATIONS}/{{conversation_id}}/messages/{{message_id}}/hide"),
        CommunicationPermission.CONVERSATIONS_MODERATE,
        True,
        lambda c, at: c.post(
            f"{CONVERSATIONS}/{at.made.conversation}/messages/{at.made.message}/hide",
            json={"reason": "Quảng cáo"},
        ),
        204,
        makes=_conversation(K.GROUP_CHANNEL, message=True),
        member=_moderates,
        kept=_communication_events,
    ),
    Endpoint(
        "conversations mark the ward's officials' room read",
        ("POST", f"{CONVERSATIONS}/{{conversation_id}}/read"),
        CommunicationPermission.CONVERSATIONS_TAKE_PART,
        True,
        lambda c, at: c.post(f"{CONVERSATIONS}/{at.made.conversation}/read", json={"up_to": 1}),
        makes=_conversation(K.OFFICIALS, message=True),
        member=_member_of(K.OFFICIALS),
        kept=_communication_events,
    ),
    Endpoint(
        "conversations upload a file",
        ("POST", f"{CONVERSATIONS}/attachments"),
        CommunicationPermission.CONVERSATIONS_TAKE_PART,
        False,
        lambda c, at: c.post(f"{CONVERSATIONS}/attachments", files={"file": ("anh.png", png(), "image/png")}),
        201,
        # Anyone signed in keeps a file of their own; only a member's message shows it to others.
        member=lambda world, username, target: True,
    ),
    Endpoint(
        "conversations a file of the group's channel",
        ("GET", f"{CONVERSATIONS}/{{conversation_id}}/attachments/{{attachment_id}}"),
        CommunicationPermission.CONVERSATIONS_TAKE_PART,
        True,
        lambda c, at: c.get(f"{CONVERSATIONS}/{at.made.conversation}/attachments/{at.made.attachment}"),
        makes=_conversation(K.GROUP_CHANNEL, photo=True),
        member=_member_of(K.GROUP_CHANNEL),
    ),
]


ENDPOINTS = [
    # Lists about a unit: scoped to the unit they name.
    _listing("registry list households", f"{API}/households", R.HOUSEHOLDS_READ),
    _listing("registry list accounts", f"{API}/accounts", R.ROLES_READ),
    _listing("registry person search", f"{API}/persons", R.HOUSEHOLDS_READ, purpose="contact", q="nguyen"),
    _listing("registry list presence flags", f"{API}/presence-flags", R.HOUSEHOLDS_READ),
    Endpoint(
        "registry vulnerable people of a unit",
        ("GET", f"{API}/units/{{unit_id}}/vulnerable-people"),
        R.HOUSEHOLDS_READ,
        True,
        lambda c, at: c.get(f"{API}/units/{at.unit}/vulnerable-people"),
    ),
    _listing("registry quality worklist", f"{API}/quality", R.HOUSEHOLDS_READ),
    _listing("registry list corrections", f"{API}/corrections", R.HOUSEHOLDS_READ),
    _listing("registry access log", f"{API}/access-log", R.ACCESS_LOG_READ),
    _listing(
        "registry export households",
        f"{API}/exports/households",
        R.HOUSEHOLDS_READ,
        purpose="contact",
        format="csv",
    ),
    _listing(
        "funds household accounts of the unit",
        "/funds/api/v1/household-accounts",
        FundsPermission.HOUSEHOLD_ACCOUNTS_READ,
    ),
    # The unit tree and the import sheet's description: not about one unit.
    Endpoint(
        "registry list units",
        ("GET", f"{API}/units"),
        R.UNITS_READ,
        False,
        lambda c, at: c.get(f"{API}/units"),
    ),
    Endpoint(
        "registry unit view",
        ("GET", f"{API}/units/{{unit_id}}"),
        R.UNITS_READ,
        False,
        lambda c, at: c.get(f"{API}/units/{at.unit}"),
    ),
    Endpoint(
        "registry units by code",
        ("GET", f"{API}/units/by-code"),
        R.UNITS_READ,
        False,  # the official list of units: public facts for whoever may read units
        lambda c, at: c.get(f"{API}/units/by-code", params={"code": at.world.ward_codes[at.target]}),
    ),
    Endpoint(
        "registry import template",
        ("GET", f"{API}/imports/template"),
        R.HOUSEHOLDS_REGISTER,
        False,
        lambda c, at: c.get(f"{API}/imports/template"),
    ),
    Endpoint(
        "registry import columns",
        ("GET", f"{API}/imports/columns"),
        R.HOUSEHOLDS_REGISTER,
        False,
        lambda c, at: c.get(f"{API}/imports/columns"),
    ),
    _units("funds"),
    _units("communication"),
    _units("feedback"),
    _unit_households("funds"),
    _unit_households("feedback"),
    _unit_households("communication"),
    # A household and its people: scoped to the household's unit; its residents read it too.
    Endpoint(
        "registry household view",
        ("GET", f"{API}/households/{{household_id}}"),
        R.HOUSEHOLDS_READ,
        True,
        lambda c, at: c.get(f"{API}/households/{at.household}"),
        members_too=True,
    ),
    Endpoint(
        "registry person view",
        ("GET", f"{API}/persons/{{person_id}}"),
        R.HOUSEHOLDS_READ,
        True,
        lambda c, at: c.get(f"{API}/persons/{at.head}", params={"purpose": "contact"}),
        members_too=True,
    ),
    Endpoint(
        "registry person history",
        ("GET", f"{API}/persons/{{person_id}}/history"),
        R.HOUSEHOLDS_READ,
        True,
        lambda c, at: c.get(f"{API}/persons/{at.head}/history"),
        members_too=True,
    ),
    Endpoint(
        "registry person corrections",
        ("GET", f"{API}/persons/{{person_id}}/corrections"),
        R.HOUSEHOLDS_READ,
        True,
        lambda c, at: c.get(f"{API}/persons/{at.head}/corrections"),
        members_too=True,
    ),
    Endpoint(
        "funds household account",
        ("GET", "/funds/api/v1/household-accounts/{household_id}"),
        FundsPermission.HOUSEHOLD_ACCOUNTS_READ,
        True,
        lambda c, at: c.get(f"/funds/api/v1/household-accounts/{at.household}"),
        members_too=True,
    ),
    # The evidence of an expense: uploaded by whoever keeps or oversees funds, in any unit.
    Endpoint(
        "funds upload evidence",
        ("POST", "/funds/api/v1/funds/evidence"),
        FundsPermission.HOUSEHOLD_ACCOUNTS_READ,
        False,
        lambda c, at: c.post(
            "/funds/api/v1/funds/evidence", files={"file": ("hoa-don.png", png(), "image/png")}
        ),
        201,
        kept=lambda at: at.subjects.rows_of("funds", "funds_attachments_uploads"),
    ),
    Endpoint(
        "registry propose correction",
        ("POST", f"{API}/persons/{{person_id}}/corrections"),
        R.CORRECTIONS_PROPOSE,
        True,
        lambda c, at: c.post(
            f"{API}/persons/{at.head}/corrections",
            json={"changes": {"occupation": "Buôn bán"}, "reason": "Đổi nghề"},
        ),
        201,
        members_too=True,
    ),
    Endpoint(
        "registry import status",
        ("GET", f"{API}/imports/{{import_id}}"),
        R.HOUSEHOLDS_REGISTER,
        True,
        lambda c, at: c.get(f"{API}/imports/{at.world.imports[at.target]}"),
    ),
    # Registering and changing households.
    Endpoint(
        "registry register household",
        ("POST", f"{API}/households"),
        R.HOUSEHOLDS_REGISTER,
        True,
        lambda c, at: c.post(
            f"{API}/households",
            json={
                "unit_id": at.unit,
                "code": f"MX-{next(_codes)}",
                "registered_on": "2026-11-01",
                "members": [{"full_name": "Đỗ Văn Sơn", "relationship": "head"}],
            },
        ),
        201,
    ),
    Endpoint(
        "registry import spreadsheet",
        ("POST", f"{API}/imports"),
        R.HOUSEHOLDS_REGISTER,
        True,
        _import_sheet,
        202,
    ),
    Endpoint(
        "registry member joins",
        ("POST", f"{API}/households/{{household_id}}/members"),
        R.HOUSEHOLDS_REGISTER,
        True,
        lambda c, at: c.post(
            f"{API}/households/{at.household}/members",
            json={
                "member": {"full_name": "Đỗ Minh Khang", "relationship": "grandchild"},
                "reason": "birth",
                "on": "2026-11-01",
            },
        ),
        201,
    ),
    Endpoint(
        "registry verify household",
        ("POST", f"{API}/households/{{household_id}}/verification"),
        R.HOUSEHOLDS_REGISTER,
        True,
        lambda c, at: c.post(f"{API}/households/{at.household}/verification", json={"on": "2026-11-01"}),
        204,
    ),
    # These act on a household of their own in the target (a head and a child), made for each call.
    Endpoint(
        "registry member leaves",
        ("POST", f"{API}/households/{{household_id}}/members/{{person_id}}/departure"),
        R.HOUSEHOLDS_REGISTER,
        True,
        lambda c, at: c.post(
            f"{API}/households/{at.made['household']}/members/{at.made['child']}/departure",
            json={"reason": "moved_out", "on": "2026-11-02"},
        ),
        204,
        makes=lambda at: at.subjects.household(at.target),
    ),
    Endpoint(
        "registry change head",
        ("PUT", f"{API}/households/{{household_id}}/head"),
        R.HOUSEHOLDS_REGISTER,
        True,
        lambda c, at: c.put(
            f"{API}/households/{at.made['household']}/head",
            json={
                "person_id": at.made["child"],
                "relationships": {at.made["head"]: "parent"},
                "on": "2026-11-02",
            },
        ),
        204,
        makes=lambda at: at.subjects.household(at.target),
    ),
    Endpoint(
        "registry split household",
        ("POST", f"{API}/households/{{household_id}}/split"),
        R.HOUSEHOLDS_REGISTER,
        True,
        lambda c, at: c.post(
            f"{API}/households/{at.made['household']}/split",
            json={"code": f"TH-{next(_codes)}", "head_person_id": at.made["child"], "on": "2026-11-02"},
        ),
        201,
        makes=lambda at: at.subjects.household(at.target),
    ),
    # A person's records.
    Endpoint(
        "registry change residence",
        ("PUT", f"{API}/persons/{{person_id}}/residence"),
        R.RESIDENCE_MANAGE,
        True,
        lambda c, at: c.put(f"{API}/persons/{at.head}/residence", json={"status": "permanent"}),
        204,
    ),
    Endpoint(
        "registry erase person",
        ("POST", f"{API}/persons/{{person_id}}/erasure"),
        R.PERSONS_ERASE,
        True,
        lambda c, at: c.post(f"{API}/persons/{at.made}/erasure", json={"reason": "subject_request"}),
        204,
        makes=lambda at: at.subjects.lone_person(at.target),
        kept=_person,  # an erasure destroys the person's key (outside the event store) first
    ),
    Endpoint(
        "registry give consent",
        ("POST", f"{API}/persons/{{person_id}}/consents"),
        R.HOUSEHOLDS_READ,
        True,
        lambda c, at: c.post(
            f"{API}/persons/{at.head}/consents",
            json={"purpose": "notifications_phone", "phone": "0905000017"},
        ),
        204,
        own_household_only=True,
    ),
    Endpoint(
        "registry withdraw consent",
        ("DELETE", f"{API}/persons/{{person_id}}/consents/{{purpose}}"),
        R.HOUSEHOLDS_READ,
        True,
        lambda c, at: c.delete(f"{API}/persons/{at.head}/consents/notifications_phone"),
        204,
        makes=lambda at: at.subjects.consent(at.head),  # so that there is one to withdraw
        own_household_only=True,
    ),
    # Presence flags and corrections.
    Endpoint(
        "registry raise presence flag",
        ("POST", f"{API}/presence-flags"),
        R.PRESENCE_FLAG,
        True,
        lambda c, at: c.post(
            f"{API}/presence-flags",
            json={
                "household_id": at.household,
                "kind": "living_not_registered",
                "observed_on": "2026-11-01",
                "note": "Có người ở cùng chưa đăng ký",
            },
        ),
        201,
    ),
    Endpoint(
        "registry review presence flag",
        ("POST", f"{API}/presence-flags/{{flag_id}}/review"),
        R.PRESENCE_REVIEW,
        True,
        lambda c, at: c.post(
            f"{API}/presence-flags/{at.made}/review",
            json={"decision": "confirmed", "note": "Đã xác minh tại nhà"},
        ),
        204,
        makes=lambda at: at.subjects.flag(at.target),
    ),
    Endpoint(
        "registry decide correction",
        ("POST", f"{API}/corrections/{{correction_id}}/decision"),
        R.CORRECTIONS_DECIDE,
        True,
        lambda c, at: c.post(
            f"{API}/corrections/{at.made}/decision", json={"approve": False, "reason": "Chưa có giấy tờ"}
        ),
        204,
        makes=lambda at: at.subjects.correction(at.target),
    ),
    # The unit tree: a new group, and the groups the changes act on (made beside the target for
    # each call), are in the target's ward.
    Endpoint(
        "registry establish group",
        ("POST", f"{API}/units"),
        R.UNITS_MANAGE,
        True,
        lambda c, at: c.post(
            f"{API}/units",
            json={
                "kind": "residential_group",
                "name": f"Tổ mới {next(_codes)}",
                "parent_id": at.ward,
                "effective_from": "2026-11-01",
            },
        ),
        201,
        in_ward=True,
    ),
    Endpoint(
        "registry rename group",
        ("POST", f"{API}/units/{{unit_id}}/rename"),
        R.UNITS_MANAGE,
        True,
        lambda c, at: c.post(
            f"{API}/units/{at.unit}/rename",
            json={"name": f"Tổ đổi tên {next(_codes)}", "effective_from": "2026-11-01"},
        ),
        204,
    ),
    Endpoint(
        "registry move group",
        ("POST", f"{API}/units/{{unit_id}}/move"),
        R.UNITS_MANAGE,
        True,
        # To where it is: the authorised reach the domain, which refuses the move as no change.
        lambda c, at: c.post(
            f"{API}/units/{at.made[0]}/move", json={"parent_id": at.ward, "effective_from": "2026-11-02"}
        ),
        422,
        makes=lambda at: at.subjects.groups(at.target, 1),
        in_ward=True,
    ),
    Endpoint(
        "registry merge groups",
        ("POST", f"{API}/units/merge"),
        R.UNITS_MANAGE,
        True,
        lambda c, at: c.post(
            f"{API}/units/merge",
            json={"unit_ids": at.made, "into_id": at.made[0], "effective_from": "2026-11-02"},
        ),
        201,
        makes=lambda at: at.subjects.groups(at.target, 2),
        in_ward=True,
    ),
    Endpoint(
        "registry split group",
        ("POST", f"{API}/units/{{unit_id}}/split"),
        R.UNITS_MANAGE,
        True,
        lambda c, at: c.post(
            f"{API}/units/{at.made[0]}/split",
            json={
                "parts": [
                    {"kind": "residential_group", "name": f"Tổ tách {next(_codes)}"},
                    {"kind": "residential_group", "name": f"Tổ tách {next(_codes)}"},
                ],
                "effective_from": "2026-11-02",
            },
        ),
        201,
        makes=lambda at: at.subjects.groups(at.target, 1),
        in_ward=True,
    ),
    # Accounts: opening one, and administering one that serves the target (made for each call).
    Endpoint(
        "registry open account",
        ("POST", f"{API}/accounts"),
        R.ACCOUNTS_MANAGE,
        False,
        lambda c, at: c.post(f"{API}/accounts", json=_new_account()),
        201,
    ),
    Endpoint(
        "registry open account bound to a household",
        ("POST", f"{API}/accounts"),
        R.ACCOUNTS_MANAGE,
        True,
        lambda c, at: c.post(f"{API}/accounts", json=_new_account() | {"household_id": at.household}),
        201,
        binds=True,
    ),
    Endpoint(
        "registry appoint role on an account serving the unit",
        ("POST", f"{API}/accounts/{{account_id}}/roles"),
        R.ACCOUNTS_MANAGE,
        True,
        lambda c, at: c.post(
            f"{API}/accounts/{at.made}/roles",
            json={"role": "resident", "unit_id": at.unit, "reason": "Cư dân của tổ"},
        ),
        201,
        makes=lambda at: at.subjects.account(at.target, Role.GROUP_LEADER),
        administers=(Role.GROUP_LEADER, Role.RESIDENT),
    ),
    Endpoint(
        "registry revoke role of an account serving the unit",
        ("DELETE", f"{API}/accounts/{{account_id}}/roles/{{role}}/{{unit_id}}"),
        R.ACCOUNTS_MANAGE,
        True,
        lambda c, at: c.delete(f"{API}/accounts/{at.made}/roles/group_leader/{at.unit}"),
        204,
        makes=lambda at: at.subjects.account(at.target, Role.GROUP_LEADER),
        administers=(Role.GROUP_LEADER,),
    ),
    Endpoint(
        "registry reset password of an account serving the unit",
        ("PUT", f"{API}/accounts/{{account_id}}/password"),
        R.ACCOUNTS_MANAGE,
        True,
        lambda c, at: c.put(f"{API}/accounts/{at.made}/password", json=_RESET),
        204,
        makes=lambda at: at.subjects.account(at.target, Role.GROUP_LEADER),
        administers=(Role.GROUP_LEADER,),
    ),
    Endpoint(
        "registry reset password of a resident of the unit",
        ("PUT", f"{API}/accounts/{{account_id}}/password"),
        R.ACCOUNTS_MANAGE,
        True,
        lambda c, at: c.put(f"{API}/accounts/{at.made}/password", json=_RESET),
        204,
        makes=lambda at: at.subjects.account(at.target, Role.RESIDENT, at.household),
        administers=(Role.RESIDENT,),
        binds=True,
    ),
    Endpoint(
        "registry bind account to a household of the unit",
        ("PUT", f"{API}/accounts/{{account_id}}/household"),
        R.ACCOUNTS_MANAGE,
        True,
        lambda c, at: c.put(f"{API}/accounts/{at.made}/household", json={"household_id": at.household}),
        204,
        makes=lambda at: at.subjects.account(at.target, Role.RESIDENT),
        administers=(Role.RESIDENT,),
        binds=True,
    ),
    Endpoint(
        "registry link external identity of an account serving the unit",
        ("PUT", f"{API}/accounts/{{account_id}}/external-identity"),
        R.ACCOUNTS_MANAGE,
        True,
        lambda c, at: c.put(
            f"{API}/accounts/{at.made}/external-identity", json={"subject": f"sub-{next(_codes)}"}
        ),
        204,
        makes=lambda at: at.subjects.account(at.target, Role.GROUP_LEADER),
        administers=(Role.GROUP_LEADER,),
    ),
    *FEEDBACK_ENDPOINTS,
    *FUNDS_ENDPOINTS,
    *CONVERSATION_ENDPOINTS,
    *ANNOUNCEMENT_ENDPOINTS,
    *EMERGENCY_ENDPOINTS,
    *OUTBOUND_ENDPOINTS,
    *POLL_ENDPOINTS,
]

# Routes outside the matrix on purpose, each with the reason. Every service's app serves the first
# seven; the rest are open before signing in, or act on the caller's own account only.
_EVERY_SERVICE = {
    "/openapi.json": "the public API description",
    "/docs": "the API documentation page (static, data comes from openapi.json)",
    "/docs/oauth2-redirect": "the documentation page's sign-in redirect (static)",
    "/redoc": "the API documentation page (static, data comes from openapi.json)",
    "/healthz": "liveness for the orchestrator, no data",
    "/readyz": "readiness for the orchestrator, no data",
    "/asyncapi.json": "the public description of the events the service publishes",
}
EXEMPT: dict[tuple[str, str], str] = (
    {
        ("GET", f"/{service}{path}"): reason
        for service in ("registry", "communication", "feedback", "funds")
        for path, reason in _EVERY_SERVICE.items()
    }
    | {
        ("GET", f"{API}/auth/jwks.json"): "public keys to verify tokens: public by design",
        (
            "GET",
            "/communication/api/v1/households/{household_id}/feed/events",
        ): "an endless stream: the household's feed's own check (for_household), tested in test_live_feed",
        ("POST", f"{API}/auth/sign-in"): "signing in happens before there is a principal",
        (
            "POST",
            f"{API}/auth/exchange",
        ): "an external identity provider's code for a session, before signing in",
        ("POST", f"{API}/auth/refresh"): "holds a refresh token, not an access token",
        ("POST", f"{API}/auth/sign-out"): "ends the caller's own session only",
        ("GET", f"{API}/auth/me"): "the caller's own account only",
        ("PUT", f"{API}/auth/password"): "the caller's own password only (needs the current one)",
        ("GET", f"{API}/me/data-reads"): "who read the caller's own household's data",
        ("GET", f"{FEEDBACK}/cases/mine"): "the caller's own cases (and their household's) only",
        ("GET", f"{FEEDBACK}/public/categories"): "public by design: the categories, no personal data",
        ("GET", f"{FEEDBACK}/public/outcomes"): "public by design: resolved cases without personal data",
        ("GET", f"{FEEDBACK}/public/statistics"): "public by design: counts per unit and month",
        ("GET", f"{FEEDBACK}/public/units"): "public by design: the units in force (names and kinds)",
        (
            "GET",
            "/funds/api/v1/funds/public/receipts/{code}",
        ): "a receipt checked by its unguessable code, no payer shown",
        (
            "GET",
            f"{FUNDS}/public/reports/{{unit_id}}",
        ): "public by design: a group's accounts (payers by choice)",
        ("GET", f"{FUNDS}/public/reports/{{unit_id}}.csv"): "public by design: the same report as CSV",
        ("GET", f"{FUNDS}/public/reports/{{unit_id}}.pdf"): "public by design: the same report as PDF",
        (
            "GET",
            f"{FEEDBACK}/public/evidence/{{sha}}",
        ): "public by design: the evidence of resolved cases only",
        (
            "GET",
            "/funds/api/v1/funds/evidence/{attachment_id}",
        ): "public by design: the evidence of expenses (photos of invoices, no personal data) "
        "is shown in the group's public report",
        ("GET", f"{FEEDBACK}/public/evidence/{{sha}}/thumbnail"): "public by design, as the evidence itself",
        (
            "POST",
            f"{FEEDBACK}/attachments",
        ): "any signed-in account stores its own uploads (cited only by it)",
    }
    | {
        (method, f"/feedback/open311/v2/{path}.{{fmt}}"): reason
        for method, path, reason in [
            ("GET", "discovery", "Open311 discovery: public by design"),
            ("GET", "services", "Open311 service list: public by design"),
            ("GET", "services/{code}", "Open311 service definitions: public by design"),
            (
                "GET",
                "requests",
                "Open311 requests: public without personal data (a key adds the caller's words)",
            ),
            (
                "POST",
                "requests",
                "Open311 filing: authorised by an API key, not a principal (test_open311_georeport)",
            ),
            ("GET", "requests/{request_id}", "Open311 request: public without personal data"),
            ("GET", "tokens/{token}", "a request's id from its token: public, as the request"),
            ("GET", "servicerequestupdates", "FixMyStreet updates: the public steps, without personal data"),
        ]
    }
)
MATRIX = {endpoint.route for endpoint in ENDPOINTS}


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
    """The routes neither in the matrix nor exempt."""
    return routes - MATRIX - EXEMPT.keys()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The embedded demo with a session per demo account, and the target units' data."""
    settings = Settings(
        data_dir=Path(tmp_path_factory.mktemp("data")),
        poll_interval_seconds=0.02,
        # A city identity provider, so that linking an identity to an account is offered (the demo
        # has none). Linking only names its issuer: its keys are never fetched here.
        oidc_issuer="https://dinhdanh.danang.example",
        oidc_jwks_url="https://dinhdanh.danang.example/jwks.json",
    )
    embedded = build_embedded(settings)
    registry = embedded.runtimes["registry"].app
    assert isinstance(registry, RegistryApplication)
    with TestClient(embedded.app) as client:
        tokens = {
            username: client.post(
                f"{API}/auth/sign-in", json={"username": username, "password": DEMO_PASSWORD}
            ).json()
            for username, _name, _role, _unit in DEMO_ACCOUNTS
        }
        admin = _bearer(tokens["admin"])

        def seeded_units() -> dict[str, dict[str, Any]] | None:
            listed = client.get(f"{API}/units", headers=admin).json()
            by_name = {u["name"]: u for u in listed}
            # The official list (Đà Nẵng's 94 wards and communes) and the four pilot units.
            return by_name if len(listed) == 1 + 94 + 4 else None

        units = wait_for(seeded_units, what="the seeded units")
        units_by_id = {u["unit_id"]: u for u in units.values()}
        official = _bearer(tokens["thanhpho"])
        households = {
            name: wait_for(
                _json_of(client, f"{API}/households", official, {"unit_id": units[name]["unit_id"]}),
                what=f"households of {name}",
            )[0]["household_id"]
            for name in TARGETS
        }
        heads = {
            name: client.get(f"{API}/households/{households[name]}", headers=official).json()["members"][0][
                "person_id"
            ]
            for name in TARGETS
        }
        for service in ("funds", "communication", "feedback"):
            for name in TARGETS:
                wait_for(
                    _all_found(
                        client,
                        [f"/{service}/api/v1/directory/units/{units[name]['unit_id']}/households"],
                        official,
                    ),
                    what=f"{name} in {service}",
                )
        for name in TARGETS:
            wait_for(
                _all_found(client, [f"/funds/api/v1/household-accounts/{households[name]}"], official),
                what=f"the account of a household of {name} in funds",
            )
        subjects = Subjects(embedded, client, official, {name: units[name]["unit_id"] for name in TARGETS})
        yield World(
            client=client,
            registry=registry,
            subjects=subjects,
            tokens=tokens,
            grants={u: (role, units[unit]["unit_id"]) for u, _n, role, unit in DEMO_ACCOUNTS},
            own_household={
                u: client.get(f"{API}/auth/me", headers=_bearer(t)).json()["household_id"]
                for u, t in tokens.items()
            },
            units={name: units[name]["unit_id"] for name in TARGETS},
            parents={name: units[name]["parent_id"] for name in TARGETS},
            lineage={name: _lineage(units, name) for name in TARGETS},
            ward_codes={name: units_by_id[units[name]["parent_id"]]["code"] for name in TARGETS},
            households=households,
            heads=heads,
            imports={name: subjects.import_job(name) for name in TARGETS},
            funds=FundsSubjects(
                embedded, client, official, {name: units[name]["unit_id"] for name in TARGETS}
            ),
            conversations=ConversationSubjects(
                embedded, {name: units[name]["unit_id"] for name in TARGETS}, households
            ),
            announcements=AnnouncementSubjects(embedded, {name: units[name]["unit_id"] for name in TARGETS}),
            emergencies=EmergencySubjects(embedded, {name: units[name]["unit_id"] for name in TARGETS}),
            contacts=ContactSubjects(embedded, households, heads),
            polls=PollSubjects(embedded, {name: units[name]["unit_id"] for name in TARGETS}),
        )


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


def _bearer(session: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {session['access_token']}"}


def _lineage(units: dict[str, dict[str, Any]], name: str) -> list[str]:
    by_id = {u["unit_id"]: u for u in units.values()}
    chain, current = [], units[name]["unit_id"]
    while current:
        chain.append(current)
        current = by_id[current]["parent_id"]
    return chain


def _expected(world: World, username: str, endpoint: Endpoint, target: str) -> bool:
    if endpoint.member is not None:
        return endpoint.member(world, username, target)
    role, unit = world.grants[username]
    in_the_household = world.own_household[username] == world.households[target]
    if endpoint.own_household_only:
        return in_the_household
    if endpoint.members_too and in_the_household:
        return True
    if endpoint.permission not in PERMISSIONS[role]:
        return False
    if endpoint.roles and role not in endpoint.roles:
        return False
    if not endpoint.scoped:
        return True
    if not all(appointed in APPOINTS[role] for appointed in endpoint.administers):
        return False
    if endpoint.binds and RegistryPermission.HOUSEHOLDS_REGISTER not in PERMISSIONS[role]:
        return False
    lineage = world.lineage[target][1:] if endpoint.in_ward else world.lineage[target]
    return unit in lineage


def _called(
    world: World, endpoint: Endpoint, target: str, session: dict[str, Any] | None
) -> tuple[Response, At]:
    """Calls the endpoint about ``target`` (signed in with ``session``, or not signed in), and checks
    that a refused write had no effect: the registry stored nothing, and what ``kept`` reads is kept."""
    at = At(world, target)
    at = At(world, target, endpoint.makes(at)) if endpoint.makes else at
    client = world.client
    kept, stored = endpoint.kept(at) if endpoint.kept else None, world.stored()
    if session:
        client.headers["Authorization"] = f"Bearer {session['access_token']}"
    try:
        response = endpoint.call(client, at)
    finally:
        client.headers.pop("Authorization", None)
    if endpoint.writes and response.status_code in (401, 403):
        assert world.stored() == stored, "a refused write stored events"
        assert (endpoint.kept(at) if endpoint.kept else None) == kept, "a refused write changed data"
    return response, at


CASES = [(u, e, t) for u, *_ in DEMO_ACCOUNTS for e in ENDPOINTS for t in TARGETS]


@pytest.mark.parametrize(
    ("username", "endpoint", "target"), CASES, ids=[f"{u}-{e.name}-{t}" for u, e, t in CASES]
)
def test_each_role_reaches_exactly_what_its_permissions_and_scope_allow(
    world: World, username: str, endpoint: Endpoint, target: str
) -> None:
    response, _ = _called(world, endpoint, target, world.tokens[username])
    expected = endpoint.success if _expected(world, username, endpoint, target) else 403
    assert response.status_code == expected, response.text


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_nothing_is_served_without_signing_in(world: World, endpoint: Endpoint) -> None:
    response, _ = _called(world, endpoint, TARGETS[0], None)
    assert response.status_code == 401


def test_an_official_reaches_no_other_wards_household_through_account_administration(world: World) -> None:
    client = world.client
    hai_chau, thanh_khe = (world.households[name] for name in TARGETS)
    official, admin = _bearer(world.tokens["phuong.haichau"]), _bearer(world.tokens["admin"])
    accounts = f"{API}/accounts"
    # A household of another ward, or any household for the city's IT administrator: refused.
    for caller, household in ((official, thanh_khe), (admin, hai_chau)):
        opened = client.post(accounts, headers=caller, json=_new_account() | {"household_id": household})
        assert opened.status_code == 403, opened.text
    # An account serving Thanh Khê is not made a resident of Hải Châu by the Hải Châu official.
    serving_there = world.subjects.account(TARGETS[1], Role.GROUP_LEADER)
    appointed = client.post(
        f"{accounts}/{serving_there}/roles",
        headers=official,
        json={"role": "resident", "unit_id": world.units[TARGETS[0]], "reason": "x"},
    )
    assert appointed.status_code == 403, appointed.text
    # In their own ward they bind a resident, who then reads the household as a member; the
    # household sees who gave that account access.
    new = _new_account()
    opened = client.post(accounts, headers=official, json=new | {"household_id": hai_chau})
    assert opened.status_code == 201, opened.text
    session = client.post(
        f"{API}/auth/sign-in", json={"username": new["username"], "password": new["password"]}
    ).json()
    assert client.get(f"{API}/households/{hai_chau}", headers=_bearer(session)).status_code == 200
    assert client.get(f"{API}/households/{thanh_khe}", headers=_bearer(session)).status_code == 403
    reads = client.get(f"{API}/me/data-reads", headers=_bearer(world.tokens["cudan.to17"])).json()
    assert ("Cán bộ phường Hải Châu", "account_binding") in [(r["reader_name"], r["purpose"]) for r in reads]


@pytest.fixture
def suite_app(tmp_path: Path) -> FastAPI:
    """The embedded suite's app, every service mounted, not started: only its routes are read
    (a fresh one per test, as one test adds a route)."""
    return build_embedded(Settings(data_dir=tmp_path), seed=False).app


def test_every_route_is_in_the_matrix_or_exempt(suite_app: FastAPI) -> None:
    served = served_routes(suite_app)
    assert uncovered(served) == set()
    assert (MATRIX | EXEMPT.keys()) - served == set(), "listed routes that no service serves"
    assert not EXEMPT.keys() & MATRIX


def test_a_route_added_without_a_matrix_entry_fails_the_check(suite_app: FastAPI) -> None:
    router = APIRouter(prefix="/api/v1/funds-extra")

    @router.get("/balances")
    async def balances() -> list[str]:
        return []

    funds = next(m.app for m in suite_app.routes if isinstance(m, Mount) and m.path == "/funds")
    assert isinstance(funds, FastAPI)
    funds.include_router(router)

    assert uncovered(served_routes(suite_app)) == {("GET", "/funds/api/v1/funds-extra/balances")}


@dataclass(frozen=True)
class Across:
    """Made for each case: two groups and a household in the Hải Châu official's ward, and a group
    and a household in another ward (Thanh Khê)."""

    groups: list[str]
    their_group: str
    household: dict[str, str]
    theirs: dict[str, str]  # a household of the other ward
    their_ward: str


# Changes that name data of two wards: the official may act on their own side only, so each is
# refused (403, or 404/422 where the domain finds no such member in the household).
_ACROSS_WARDS: dict[str, Callable[[TestClient, Across], Response]] = {
    "move a group of the ward into another ward": lambda c, a: c.post(
        f"{API}/units/{a.groups[0]}/move", json={"parent_id": a.their_ward, "effective_from": "2026-11-02"}
    ),
    "merge a group of another ward into one of the ward": lambda c, a: c.post(
        f"{API}/units/merge",
        json={
            "unit_ids": [a.groups[0], a.their_group],
            "into_id": a.groups[0],
            "effective_from": "2026-11-02",
        },
    ),
    "merge groups of the ward into a new group of another ward": lambda c, a: c.post(
        f"{API}/units/merge",
        json={
            "unit_ids": a.groups,
            "into": {"kind": "residential_group", "name": "Tổ gộp", "parent_id": a.their_ward},
            "effective_from": "2026-11-02",
        },
    ),
    "split a group of the ward with a part in another ward": lambda c, a: c.post(
        f"{API}/units/{a.groups[0]}/split",
        json={
            "parts": [
                {"kind": "residential_group", "name": "Tổ A", "parent_id": a.their_ward},
                {"kind": "residential_group", "name": "Tổ B"},
            ],
            "effective_from": "2026-11-02",
        },
    ),
    "a person of another ward leaves a household of the ward": lambda c, a: c.post(
        f"{API}/households/{a.household['household']}/members/{a.theirs['child']}/departure",
        json={"reason": "moved_out", "on": "2026-11-02"},
    ),
    "a person of another ward heads a household of the ward": lambda c, a: c.put(
        f"{API}/households/{a.household['household']}/head",
        json={
            "person_id": a.theirs["child"],
            "relationships": {a.household["head"]: "parent"},
            "on": "2026-11-02",
        },
    ),
    "a person of another ward heads a household split from one of the ward": lambda c, a: c.post(
        f"{API}/households/{a.household['household']}/split",
        json={"code": "TH-NGOAI", "head_person_id": a.theirs["child"], "on": "2026-11-02"},
    ),
}


@pytest.mark.parametrize("what", _ACROSS_WARDS)
def test_a_change_reaching_into_another_ward_is_refused_before_any_effect(world: World, what: str) -> None:
    mine, theirs = TARGETS
    made = Across(
        world.subjects.groups(mine, 2),
        world.subjects.groups(theirs, 1)[0],
        world.subjects.household(mine),
        world.subjects.household(theirs),
        world.parents[theirs],
    )
    stored = world.stored()
    world.client.headers.update(_bearer(world.tokens["phuong.haichau"]))
    try:
        response = _ACROSS_WARDS[what](world.client, made)
    finally:
        world.client.headers.pop("Authorization")
    assert response.status_code in (403, 404, 422), response.text
    assert world.stored() == stored, "a refused change stored events"
