"""The journeys of issue 17 through the funds API (SQLite stores, registry events delivered as
the worker delivers them): a leader opens a fund and announces a levy, the households owe by the
rule, cash is recorded with a printable receipt, a household sees its dues with a VietQR that
decodes to what it owes, a mistake is reversed, an expense is approved by someone else and paid,
and the group's public report shows it all; an official of another unit is refused everywhere."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from service_harness import ServiceHarness, registry_event

from tothon_funds.domain.references import anonymous_code
from tothon_funds.domain.vietqr import decode
from tothon_shared.auth.principal import Principal
from tothon_shared.auth.roles import Role
from tothon_shared.contracts.registry import HouseholdAgeBandsChanged, HouseholdMembershipChanged

FUNDS = "/api/v1/funds"
BANK = {"bank_bin": "970436", "account": "0071000123456", "holder": "TO DAN PHO 17"}


class Place:
    def __init__(self, funds: ServiceHarness) -> None:
        city = funds.unit("province", "Thành phố Đà Nẵng", None)
        self.ward = funds.unit("ward", "Phường Hải Châu", city)
        self.group = funds.unit("residential_group", "Tổ dân phố 17", self.ward)
        self.other = funds.unit("residential_group", "Tổ dân phố 18", self.ward)
        self.households = [funds.household(self.group, f"HO-00{n}", members=n + 1) for n in range(1, 4)]
        self.outsider = funds.household(self.other, "HO-901", members=2)


@pytest.fixture
def place(funds: ServiceHarness) -> Place:
    return Place(funds)


def _stored(funds: ServiceHarness) -> bytes:
    """Every event in the funds service's store, as stored."""
    return b"".join(n.state for n in funds.runtime.app.recorder.select_notifications(1, 100_000))


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return (
        response.json()
        if response.content and "json" in response.headers.get("content-type", "")
        else response
    )


def _open(funds: ServiceHarness, place: Place, **extra: object) -> str:
    body: dict[str, object] = {
        "unit_id": str(place.group),
        "name": "Quỹ vệ sinh môi trường",
        "kind": "community",
    }
    body |= {"resolution": "Biên bản họp tổ ngày 05/01/2026", "bank": BANK} | extra
    return str(_ok(funds.client.post(FUNDS, json=body), 201)["fund_id"])


def _levy(
    funds: ServiceHarness, fund: str, amount: int = 120_000, basis: str = "household"
) -> dict[str, Any]:
    body = {"basis": basis, "amount": amount, "period_from": "2026-01-01", "period_to": "2026-12-31"}
    made: dict[str, Any] = _ok(funds.client.post(f"{FUNDS}/{fund}/levies", json=body), 201)
    funds.project()
    return made


def test_a_levy_sets_what_each_household_owes_and_cash_gets_a_receipt(
    funds: ServiceHarness, place: Place
) -> None:
    leader = funds.as_(Role.GROUP_LEADER, place.group)
    fund = _open(funds, place)
    levy = _levy(funds, fund)
    assert levy["households"] == 3  # the group's households, not the other group's
    listed = _ok(funds.client.get(f"{FUNDS}/{fund}/levies/{levy['levy_id']}/collection"))
    assert [(r["household_code"], r["owed"], r["paid"]) for r in listed] == [
        ("HO-001", 120_000, 0),
        ("HO-002", 120_000, 0),
        ("HO-003", 120_000, 0),
    ]
    first = place.households[0]
    body = {
        "household_id": str(first),
        "amount": 120_000,
        "levy_id": levy["levy_id"],
        "payer": "Nguyễn Văn An",
    }
    receipt = _ok(funds.client.post(f"{FUNDS}/{fund}/payments", json=body), 201)
    assert receipt["number"].endswith("-000001")
    funds.project()
    # The payer's name is sealed in the event store with the household's key.
    assert "Nguyễn Văn An".encode() not in _stored(funds)
    listed = _ok(funds.client.get(f"{FUNDS}/{fund}/levies/{levy['levy_id']}/collection"))
    assert listed[0]["paid"] == 120_000
    pdf = funds.client.get(f"{FUNDS}/receipts/{receipt['entry_id']}.pdf")
    assert pdf.status_code == 200, pdf.text
    assert pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    # The household itself prints its receipt; another household does not.
    funds.as_(Role.RESIDENT, place.group, household=first)
    assert funds.client.get(f"{FUNDS}/receipts/{receipt['entry_id']}.pdf").status_code == 200
    funds.as_(Role.RESIDENT, place.group, household=place.households[1])
    assert funds.client.get(f"{FUNDS}/receipts/{receipt['entry_id']}.pdf").status_code == 403
    funds.as_principal(leader)
    fund_view = _ok(funds.client.get(f"{FUNDS}/{fund}"))
    assert fund_view["balance"] == 120_000


def test_a_household_sees_its_dues_with_a_vietqr_that_decodes_to_what_is_left(
    funds: ServiceHarness, place: Place
) -> None:
    funds.as_(Role.GROUP_LEADER, place.group)
    fund = _open(funds, place)
    levy = _levy(funds, fund)
    household = place.households[1]
    part = {"household_id": str(household), "amount": 20_000, "levy_id": levy["levy_id"]}
    _ok(funds.client.post(f"{FUNDS}/{fund}/payments", json=part), 201)
    funds.project()
    funds.as_(Role.RESIDENT, place.group, household=household)
    mine = _ok(funds.client.get(f"{FUNDS}/households/{household}"))
    [due] = mine["dues"]
    assert (due["owed"], due["paid"], due["fund_kind"]) == (120_000, 20_000, "community")
    transfer = decode(due["qr"]["payload"])
    assert (transfer.bank_bin, transfer.account, transfer.amount) == ("970436", "0071000123456", 100_000)
    assert transfer.note == due["reference"]
    assert due["qr"]["svg"].startswith("<svg")
    assert due["anonymous_code"] == anonymous_code(uuid.UUID(fund), household)
    assert [r["amount"] for r in mine["receipts"]] == [20_000]
    # Another household's page is not this resident's.
    assert funds.client.get(f"{FUNDS}/households/{place.households[0]}").status_code == 403


def test_obligations_follow_the_registrys_counts_and_exemptions(funds: ServiceHarness, place: Place) -> None:
    funds.as_(Role.GROUP_LEADER, place.group)
    fund = _open(funds, place, name="Quỹ phòng, chống thiên tai", kind="mandatory", resolution="")
    household = place.households[0]
    levy = _levy(funds, fund, amount=15_000, basis="household")
    changed = registry_event(
        HouseholdMembershipChanged,
        household,
        None,
        change="joined",
        reason="birth",
        member_count=3,
        on=date(2026, 6, 1),
    )
    funds.receive("registry.households", changed)
    exemption = {
        "household_id": str(household),
        "ground": "poor_household",
        "evidence": "Quyết định công nhận hộ nghèo số 15/QĐ-UBND",
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
    }
    made = _ok(funds.client.post(f"{FUNDS}/{fund}/exemptions", json=exemption), 201)
    funds.project()
    # Why the household is exempted is sealed in the event store with its account's key.
    stored = _stored(funds)
    assert b"poor_household" not in stored
    assert "hộ nghèo số 15".encode() not in stored
    listed = _ok(funds.client.get(f"{FUNDS}/{fund}/levies/{levy['levy_id']}/collection"))
    assert [r["owed"] for r in listed] == [0, 15_000, 15_000]
    lifted = funds.client.post(
        f"{FUNDS}/{fund}/exemptions/{household}/{made['id']}/lifting", json={"reason": "Nhập nhầm hộ"}
    )
    assert lifted.status_code == 204, lifted.text
    funds.project()
    listed = _ok(funds.client.get(f"{FUNDS}/{fund}/levies/{levy['levy_id']}/collection"))
    assert [r["owed"] for r in listed] == [15_000, 15_000, 15_000]


def test_a_levy_per_working_age_member_follows_the_registrys_age_bands(
    funds: ServiceHarness, place: Place
) -> None:
    funds.as_(Role.GROUP_LEADER, place.group)
    fund = _open(funds, place, name="Quỹ phòng, chống thiên tai", kind="mandatory", resolution="")
    levy = _levy(funds, fund, amount=15_000, basis="working_age_member")
    first = place.households[0]

    def bands(working_age: int, seconds: int) -> Any:
        made = registry_event(
            HouseholdAgeBandsChanged,
            first,
            place.group,
            children=0,
            working_age=working_age,
            retired=0,
            unknown=0,
            on=date(2026, 3, 1),
        )
        return made.model_copy(update={"occurred_at": made.occurred_at + timedelta(seconds=seconds)})

    later, earlier = bands(3, 60), bands(1, 0)
    funds.receive("registry.households", later)
    funds.receive("registry.households", earlier, later)  # an older count late, and a redelivery
    listed = _ok(funds.client.get(f"{FUNDS}/{fund}/levies/{levy['levy_id']}/collection"))
    assert [r["owed"] for r in listed] == [45_000, 0, 0]


def test_bad_input_gets_a_clear_problem_and_stores_nothing(funds: ServiceHarness, place: Place) -> None:
    funds.as_(Role.GROUP_LEADER, place.group)
    fund = _open(funds, place)
    first = str(place.households[0])
    for amount in (-5, 0, 12.5, "1.000"):
        refused = funds.client.post(
            f"{FUNDS}/{fund}/payments", json={"household_id": first, "amount": amount}
        )
        assert refused.status_code == 422, (amount, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
    outsider = {"household_id": str(place.outsider), "amount": 10_000}
    assert funds.client.post(f"{FUNDS}/{fund}/payments", json=outsider).status_code == 422
    paid = _ok(
        funds.client.post(f"{FUNDS}/{fund}/payments", json={"household_id": first, "amount": 10_000}), 201
    )
    closed = funds.client.post(f"{FUNDS}/{fund}/closing", json={"until": "2099-12-31", "reason": "x"})
    assert closed.status_code == 204
    late = funds.client.post(f"{FUNDS}/{fund}/payments", json={"household_id": first, "amount": 10_000})
    assert late.status_code == 409, late.text
    assert "khoá" in late.json()["detail"] or late.json()["title"]
    # A reversal of a reversal: refused (on a fund still open).
    other = _open(funds, place, name="Quỹ khuyến học", kind="voluntary", resolution="")
    again = _ok(
        funds.client.post(f"{FUNDS}/{other}/payments", json={"household_id": first, "amount": 50_000}), 201
    )
    reversal = _ok(
        funds.client.post(
            f"{FUNDS}/{other}/entries/{again['entry_id']}/reversal", json={"reason": "Ghi nhầm"}
        ),
        201,
    )
    twice = funds.client.post(
        f"{FUNDS}/{other}/entries/{reversal['reversal_id']}/reversal", json={"reason": "x"}
    )
    assert twice.status_code == 409, twice.text
    assert paid["amount"] == 10_000
    assert funds.client.get(f"{FUNDS}/public/receipts/ZZZZZZZZZZ").status_code == 404


def test_an_expense_is_approved_by_someone_else_then_paid_and_the_report_shows_it(
    funds: ServiceHarness, place: Place
) -> None:
    leader = funds.as_(Role.GROUP_LEADER, place.group)
    fund = _open(funds, place, two_approvals_above=1_000_000, names_public=False)
    levy = _levy(funds, fund)
    for household in place.households:
        body = {"household_id": str(household), "amount": 120_000, "levy_id": levy["levy_id"]}
        _ok(funds.client.post(f"{FUNDS}/{fund}/payments", json=body), 201)
    proposal = {"amount": 300_000, "purpose": "Mua chổi, xẻng dọn vệ sinh", "evidence": ["Hoá đơn số 0012"]}
    expense = _ok(funds.client.post(f"{FUNDS}/{fund}/expenses", json=proposal), 201)
    assert expense["approvals_needed"] == 1
    own = funds.client.post(f"{FUNDS}/expenses/{expense['expense_id']}/approval")
    assert own.status_code == 403, own.text  # never one's own
    assert funds.client.post(f"{FUNDS}/expenses/{expense['expense_id']}/payment", json={}).status_code == 409
    funds.as_(Role.WARD_OFFICIAL, place.ward)
    approved = _ok(funds.client.post(f"{FUNDS}/expenses/{expense['expense_id']}/approval"))
    assert approved["status"] == "approved"
    funds.as_principal(leader)
    paid = _ok(funds.client.post(f"{FUNDS}/expenses/{expense['expense_id']}/payment", json={"means": "cash"}))
    assert paid["status"] == "paid"
    big = {"amount": 5_000_000, "purpose": "Sửa mương", "evidence": ["Dự toán 01"]}
    too_much = _ok(funds.client.post(f"{FUNDS}/{fund}/expenses", json=big), 201)
    assert too_much["approvals_needed"] == 2
    funds.project()
    funds.client.headers.pop("Authorization")  # the public report: anyone
    period = {"from": "2026-01-01", "to": "2026-12-31"}
    report = _ok(funds.client.get(f"{FUNDS}/public/reports/{place.group}", params=period))
    [shown] = report["funds"]
    assert (shown["income"], shown["spending"], shown["balance"]) == (360_000, 300_000, 60_000)
    assert [e["purpose"] for e in shown["expenses"]] == ["Mua chổi, xẻng dọn vệ sinh"]
    assert shown["expenses"][0]["evidence"] == ["Hoá đơn số 0012"]
    assert sorted(p["who"] for p in shown["payers"]) == sorted(
        anonymous_code(uuid.UUID(fund), h) for h in place.households
    )
    assert shown["levies"][0]["settled"] == 3
    table = funds.client.get(f"{FUNDS}/public/reports/{place.group}.csv", params=period)
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert [
        "Tồn quỹ",
        "Quỹ vệ sinh môi trường",
        "Quỹ do cộng đồng quyết định",
        "Cuối kỳ",
        "60000",
        "",
    ] in rows
    printed = funds.client.get(f"{FUNDS}/public/reports/{place.group}.pdf", params=period)
    assert printed.status_code == 200
    assert printed.content.startswith(b"%PDF")
    assert (
        funds.client.get(
            f"{FUNDS}/public/reports/{place.group}", params={"from": "2026-02-01", "to": "2026-01-01"}
        ).status_code
        == 422
    )


def test_an_official_of_another_unit_is_refused_on_every_path(funds: ServiceHarness, place: Place) -> None:
    funds.as_(Role.GROUP_LEADER, place.group)
    fund = _open(funds, place)
    levy = _levy(funds, fund)
    first = str(place.households[0])
    paid = _ok(
        funds.client.post(f"{FUNDS}/{fund}/payments", json={"household_id": first, "amount": 5_000}), 201
    )
    expense = _ok(
        funds.client.post(
            f"{FUNDS}/{fund}/expenses", json={"amount": 1_000, "purpose": "x", "evidence": ["y"]}
        ),
        201,
    )
    funds.project()
    stranger: Principal = funds.as_(Role.GROUP_LEADER, place.other)
    assert stranger.grants[0].unit_id == place.other
    calls = [
        ("get", f"{FUNDS}?unit_id={place.group}", None),
        ("post", FUNDS, {"unit_id": str(place.group), "name": "x", "kind": "voluntary"}),
        ("get", f"{FUNDS}/{fund}", None),
        (
            "post",
            f"{FUNDS}/{fund}/levies",
            {"basis": "household", "amount": 1, "period_from": "2026-01-01", "period_to": "2026-02-01"},
        ),
        ("get", f"{FUNDS}/{fund}/levies/{levy['levy_id']}/collection", None),
        ("post", f"{FUNDS}/{fund}/payments", {"household_id": first, "amount": 1_000}),
        ("post", f"{FUNDS}/{fund}/entries/{paid['entry_id']}/reversal", {"reason": "x"}),
        ("get", f"{FUNDS}/{fund}/receipts", None),
        ("get", f"{FUNDS}/receipts/{paid['entry_id']}.pdf", None),
        (
            "post",
            f"{FUNDS}/{fund}/exemptions",
            {
                "household_id": first,
                "ground": "student",
                "evidence": "x",
                "valid_from": "2026-01-01",
                "valid_to": "2026-02-01",
            },
        ),
        ("post", f"{FUNDS}/{fund}/closing", {"until": "2026-01-01", "reason": "x"}),
        ("post", f"{FUNDS}/{fund}/publication", {"names_public": True, "reason": "x"}),
        ("post", f"{FUNDS}/{fund}/expenses", {"amount": 1, "purpose": "x", "evidence": ["y"]}),
        ("get", f"{FUNDS}/{fund}/expenses", None),
        ("post", f"{FUNDS}/expenses/{expense['expense_id']}/approval", None),
        ("post", f"{FUNDS}/expenses/{expense['expense_id']}/rejection", {"reason": "x"}),
        ("post", f"{FUNDS}/expenses/{expense['expense_id']}/payment", {}),
        ("get", f"{FUNDS}/households/{first}", None),
        ("get", f"{FUNDS}/summary?unit_id={place.group}&from=2026-01-01&to=2026-12-31", None),
    ]
    for method, path, body in calls:
        response = funds.client.request(method.upper(), path, json=body)
        assert response.status_code == 403, (method, path, response.status_code, response.text)


def test_a_contribution_finds_the_household_in_the_read_model_or_else_in_its_account(
    funds: ServiceHarness, place: Place
) -> None:
    """The household's unit is read from the accounts' read model; one opened a moment ago and
    not projected yet is found in its account, and one of another group is refused either way."""
    funds.as_(Role.GROUP_LEADER, place.group)
    fund = _open(funds, place)
    funds.project()
    outsider = {"household_id": str(place.outsider), "amount": 10_000}
    refused = funds.client.post(f"{FUNDS}/{fund}/payments", json=outsider)
    assert refused.status_code == 422, refused.text  # its unit from the read model
    newcomer = funds.household(place.group, "HO-010")  # its account opened, not projected
    paid = funds.client.post(
        f"{FUNDS}/{fund}/payments", json={"household_id": str(newcomer), "amount": 10_000}
    )
    assert paid.status_code == 201, paid.text
    late = funds.household(place.other, "HO-911")  # not projected either, in another group
    refused = funds.client.post(
        f"{FUNDS}/{fund}/payments", json={"household_id": str(late), "amount": 10_000}
    )
    assert refused.status_code == 422, refused.text
    unknown = funds.client.post(
        f"{FUNDS}/{fund}/payments", json={"household_id": str(uuid.uuid4()), "amount": 1}
    )
    assert unknown.status_code == 404, unknown.text


def test_a_collection_round_is_recorded_whole_or_refused_naming_the_payment(
    funds: ServiceHarness, place: Place
) -> None:
    """A round's contributions get consecutive receipts in one write; a round with a household of
    another group, a levy the fund does not have or a day to come records nothing and names the
    payment."""
    funds.as_(Role.GROUP_LEADER, place.group)
    fund = _open(funds, place)
    levy = _levy(funds, fund)
    first, second, third = (str(h) for h in place.households)
    round_ = f"{FUNDS}/{fund}/payments/round"
    refusals = [
        (
            [{"household_id": first, "amount": 10_000}, {"household_id": str(place.outsider), "amount": 1}],
            422,
            1,
        ),
        (
            [
                {"household_id": first, "amount": 1},
                {"household_id": second, "amount": 1, "levy_id": str(uuid.uuid4())},
            ],
            404,
            1,
        ),
        ([{"household_id": first, "amount": 1, "paid_at": "2099-01-01T00:00:00+07:00"}], 422, 0),
        ([{"household_id": str(uuid.uuid4()), "amount": 1}], 404, 0),
    ]
    for payments, status, item in refusals:
        refused = funds.client.post(round_, json={"payments": payments})
        assert refused.status_code == status, refused.text
        assert refused.json()["item"] == item, refused.json()
    assert funds.client.post(round_, json={"payments": []}).status_code == 422
    too_many = [{"household_id": first, "amount": 1}] * 501
    assert funds.client.post(round_, json={"payments": too_many}).status_code == 422
    funds.project()
    assert _ok(funds.client.get(f"{FUNDS}/{fund}/receipts")) == []  # nothing partial
    payments = [
        {"household_id": h, "amount": 120_000, "levy_id": levy["levy_id"], "payer": "Chủ hộ"}
        for h in (first, second, third)
    ]
    receipts = _ok(funds.client.post(round_, json={"payments": payments}), 201)
    assert [r["number"][-6:] for r in receipts] == ["000001", "000002", "000003"]
    assert [r["household_id"] for r in receipts] == [first, second, third]
    funds.project()
    listed = _ok(funds.client.get(f"{FUNDS}/{fund}/levies/{levy['levy_id']}/collection"))
    assert [r["paid"] for r in listed] == [120_000] * 3
    # Another group's leader may not record a round in this fund.
    funds.as_(Role.GROUP_LEADER, place.other)
    assert funds.client.post(round_, json={"payments": payments}).status_code == 403
