"""Demo funds for the embedded suite: the three kinds of fund of Tổ dân phố 17 with a year's
levies, payments in cash and by bank, a correction, expenses approved by the ward and one waiting,
so the leader's pages, the household's dues and QR codes and the public report with its charts are
not empty on a first start.

The funds service learns the households from the registry's events: the seed waits for the pilot
group's household accounts, then records the year as the group leader would have (in the past)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from uuid import UUID

import structlog

from tothon_funds.application import FundsApplication
from tothon_funds.domain.books import Means
from tothon_funds.domain.fund import BankAccount
from tothon_funds.domain.levies import Basis, FundKind
from tothon_funds.places import unfunded_group
from tothon_shared.eventstore.context import acting_as
from tothon_shared.kernel.clock import VIETNAM
from tothon_shared.runtime.service import ServiceRuntime

log = structlog.get_logger(__name__)
GROUP = "Tổ dân phố 17"
LEADER, WARD = "seed-to-truong", "seed-phuong"
WAIT_SECONDS = 120.0
# Vietcombank's BIN: the demo's VietQR codes scan as real ones would (the account is made up).
BANK = BankAccount("970436", "0071000017017", "TO DAN PHO 17 HAI CHAU")


def seed_funds(runtime: ServiceRuntime, stop: threading.Event) -> bool:
    """Record the demo year once (False when the group has funds or its households did not arrive)."""
    app = runtime.app
    assert isinstance(app, FundsApplication)
    found = None
    for _ in range(int(WAIT_SECONDS / 0.5)):
        found = unfunded_group(runtime.store, GROUP)
        if found is not None or stop.wait(0.5):
            break
    if found is None:
        log.info("funds_seed.skipped", group=GROUP)
        return False
    group, households = found
    with acting_as(LEADER, reason="Dữ liệu mẫu quỹ"):
        _year(app, group, households)
    return True


def _year(app: FundsApplication, group: UUID, households: list[UUID]) -> None:
    now = datetime.now(UTC)
    year = now.astimezone(VIETNAM).year
    start, end = datetime(year, 1, 1, tzinfo=VIETNAM).date(), datetime(year, 12, 31, tzinfo=VIETNAM).date()
    # Spread over the year so far, never in the future.
    elapsed = max(1.0, (now - datetime(year, 1, 5, 9, tzinfo=VIETNAM)).total_seconds() / 86400)

    def day(share: float) -> datetime:
        return now - timedelta(days=elapsed * (1 - share))

    disaster = app.open_fund(group, "Quỹ phòng, chống thiên tai", FundKind.MANDATORY, LEADER, bank=BANK)
    levy = app.announce_levy(disaster, Basis.WORKING_AGE_MEMBER, 15_000, start, end, LEADER)
    app.impose(disaster, levy, households)

    cleaning = app.open_fund(
        group,
        "Quỹ vệ sinh môi trường",
        FundKind.COMMUNITY,
        LEADER,
        bank=BANK,
        resolution=f"Biên bản họp tổ dân phố 17 ngày 05/01/{year}: 120.000 đồng/hộ/năm",
        two_approvals_above=2_000_000,
    )
    fee = app.announce_levy(cleaning, Basis.HOUSEHOLD, 120_000, start, end, LEADER)
    app.impose(cleaning, fee, households)
    # The pilot group is small (three households): the expenses below fit what two of them paid,
    # one in cash and one by bank (an expense is paid only from what the fund holds).
    paying = households[: max(1, len(households) * 2 // 3)]
    for n, household in enumerate(paying):
        means = Means.BANK if n % 3 == 0 else Means.CASH
        app.record_payment(
            cleaning, household, 120_000, means, day((n + 1) / (len(paying) + 2)), LEADER, "", fee
        )
    mistake = app.record_payment(cleaning, paying[0], 120_000, Means.CASH, day(0.5), LEADER, "", fee)
    app.reverse_entry(cleaning, mistake.entry_id, LEADER, "Thu trùng: hộ đã chuyển khoản", day(0.52))
    brooms = app.propose_expense(
        cleaning, 100_000, "Mua chổi, xẻng, bao tải dọn vệ sinh", ["Hoá đơn số 0012"], LEADER, day(0.6)
    )
    app.approve_expense(brooms, WARD, day(0.62))
    app.pay_expense(brooms, LEADER, Means.CASH, day(0.63))
    drain = app.propose_expense(
        cleaning, 80_000, "Thuê nạo vét mương cuối kiệt 9", ["Biên nhận số 7"], LEADER, day(0.9)
    )
    app.approve_expense(drain, WARD, day(0.92))
    app.pay_expense(drain, LEADER, Means.BANK, day(0.93))
    app.propose_expense(
        cleaning, 2_500_000, "Sửa nắp cống trước nhà văn hoá", ["Dự toán số 3"], LEADER, day(0.98)
    )

    study = app.open_fund(group, "Quỹ khuyến học", FundKind.VOLUNTARY, LEADER, bank=BANK, names_public=True)
    suggestion = app.announce_levy(study, Basis.HOUSEHOLD, 50_000, start, end, LEADER)
    app.impose(study, suggestion, households)
    # The demo resident's household (the first) has not given yet: its page shows the VietQR.
    for n, household in enumerate(households[1:]):
        app.record_payment(
            study,
            household,
            50_000 + 50_000 * (n % 2),
            Means.CASH,
            day(0.7 + n / 100),
            LEADER,
            "",
            suggestion,
            payer=None,
        )
