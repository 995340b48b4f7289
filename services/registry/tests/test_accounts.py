"""Accounts: sign-in, lockout, refresh rotation, sign-out, passwords and who may appoint whom."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from tothon_registry.accounts import (
    AccountNotFoundError,
    NotAllowedError,
    SignInRefusedError,
    WeakPasswordError,
)
from tothon_registry.application import HouseholdNotFoundError, NewMember, RegistryApplication
from tothon_registry.bootstrap import DEFINITION
from tothon_registry.domain.account import Account, AccountLockedError, SessionEndedError
from tothon_registry.domain.person import PersonDetails
from tothon_registry.domain.unit import UnitKind
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Role
from tothon_shared.eventstore.context import acting_as
from tothon_shared.privacy.keys import new_master_key
from tothon_shared.runtime.process import make_transport
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.runtime.settings import Settings

PASSWORD = "mật-khẩu-đủ-dài-2026"
NOW = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


@pytest.fixture
def wards(registry: RegistryApplication) -> dict[str, UUID]:
    city = registry.establish_unit(
        UnitKind.PROVINCE, "Thành phố Đà Nẵng", "48", "vn-2025", None, date(2025, 7, 1)
    )
    units = {"city": city}
    for name in ("Hải Châu", "Thanh Khê"):
        ward = registry.establish_unit(UnitKind.WARD, f"Phường {name}", None, None, city, date(2025, 7, 1))
        units[name] = ward
        units[f"group {name}"] = registry.establish_unit(
            UnitKind.RESIDENTIAL_GROUP, "Tổ dân phố 1", None, None, ward, date(2025, 7, 1)
        )
    return units


def _admin(wards: dict[str, UUID]) -> Principal:
    return Principal(UUID(int=1), "setup", "Quản trị", (Grant(Role.CITY_IT_ADMIN, wards["city"]),))


def test_the_right_password_starts_a_session_with_the_accounts_roles(
    registry: RegistryApplication, wards: dict[str, UUID]
) -> None:
    account = registry.open_account("Hoa.Le", "Lê Thị Hoa", PASSWORD, None, "setup")
    registry.assign_role(_admin(wards), account, Role.WARD_OFFICIAL, wards["Hải Châu"], "bổ nhiệm")
    signed_in = registry.sign_in("hoa.le", PASSWORD, NOW)
    assert signed_in.principal.account_id == account
    assert signed_in.principal.grants == (Grant(Role.WARD_OFFICIAL, wards["Hải Châu"]),)
    assert registry.session_active(account, signed_in.principal.session_id, NOW)


def test_unknown_users_and_wrong_passwords_are_refused_alike(registry: RegistryApplication) -> None:
    registry.open_account("hoa", "Lê Thị Hoa", PASSWORD, None, "setup")
    with pytest.raises(SignInRefusedError):
        registry.sign_in("hoa", "wrong-password!", NOW)
    with pytest.raises(SignInRefusedError):
        registry.sign_in("nobody", PASSWORD, NOW)


def test_repeated_failures_lock_the_account_for_a_while(registry: RegistryApplication) -> None:
    registry.open_account("hoa", "Lê Thị Hoa", PASSWORD, None, "setup")
    for _ in range(5):
        with pytest.raises(SignInRefusedError):
            registry.sign_in("hoa", "wrong-password!", NOW)
    with pytest.raises(AccountLockedError):
        registry.sign_in("hoa", PASSWORD, NOW + timedelta(minutes=1))  # even the right password
    assert registry.sign_in("hoa", PASSWORD, NOW + timedelta(minutes=16))


def test_a_refresh_token_works_once_and_its_reuse_ends_the_session(registry: RegistryApplication) -> None:
    account = registry.open_account("hoa", "Lê Thị Hoa", PASSWORD, None, "setup")
    first = registry.sign_in("hoa", PASSWORD, NOW)
    second = registry.refresh(first.refresh_token, NOW)
    assert second.refresh_token != first.refresh_token
    with pytest.raises(SessionEndedError):
        registry.refresh(first.refresh_token, NOW)  # replayed: stolen?
    assert not registry.session_active(account, first.principal.session_id, NOW)
    with pytest.raises(SessionEndedError):
        registry.refresh(second.refresh_token, NOW)


def test_signing_out_ends_the_session_at_once(registry: RegistryApplication) -> None:
    account = registry.open_account("hoa", "Lê Thị Hoa", PASSWORD, None, "setup")
    signed_in = registry.sign_in("hoa", PASSWORD, NOW)
    registry.sign_out(account, signed_in.principal.session_id)
    assert not registry.session_active(account, signed_in.principal.session_id, NOW)
    with pytest.raises(SessionEndedError):
        registry.refresh(signed_in.refresh_token, NOW)


def test_an_administrator_reset_ends_every_session(
    registry: RegistryApplication, wards: dict[str, UUID]
) -> None:
    account = registry.open_account("hoa", "Lê Thị Hoa", PASSWORD, None, "setup")
    sessions = [registry.sign_in("hoa", PASSWORD, NOW).principal.session_id for _ in range(2)]
    registry.reset_password(_admin(wards), account, "mật-khẩu-mới-2026")
    assert not any(registry.session_active(account, s, NOW) for s in sessions)
    with pytest.raises(SignInRefusedError):
        registry.sign_in("hoa", PASSWORD, NOW)
    assert registry.sign_in("hoa", "mật-khẩu-mới-2026", NOW)


def test_short_passwords_are_refused(registry: RegistryApplication) -> None:
    with pytest.raises(WeakPasswordError):
        registry.open_account("hoa", "Lê Thị Hoa", "ngắn", None, "setup")


def test_a_ward_official_appoints_group_leaders_in_their_ward_only(
    registry: RegistryApplication, wards: dict[str, UUID]
) -> None:
    official = Principal(UUID(int=2), "s", "Cán bộ", (Grant(Role.WARD_OFFICIAL, wards["Hải Châu"]),))
    leader = registry.open_account_as(official, "leader", "Trần Văn Bình", PASSWORD, None)
    registry.assign_role(official, leader, Role.GROUP_LEADER, wards["group Hải Châu"], "bầu tổ trưởng")
    with pytest.raises(NotAllowedError):
        registry.assign_role(official, leader, Role.GROUP_LEADER, wards["group Thanh Khê"], "x")
    with pytest.raises(NotAllowedError):
        registry.assign_role(official, leader, Role.WARD_OFFICIAL, wards["Hải Châu"], "x")
    assert registry.get_account(leader).grants == [("group_leader", wards["group Hải Châu"])]


def test_revoking_a_role_ends_the_accounts_sessions(
    registry: RegistryApplication, wards: dict[str, UUID]
) -> None:
    leader = registry.open_account("leader", "Trần Văn Bình", PASSWORD, None, "setup")
    registry.assign_role(_admin(wards), leader, Role.GROUP_LEADER, wards["group Hải Châu"], "bầu")
    session = registry.sign_in("leader", PASSWORD, NOW).principal.session_id
    registry.revoke_role(_admin(wards), leader, Role.GROUP_LEADER, wards["group Hải Châu"], "hết nhiệm kỳ")
    assert not registry.session_active(leader, session, NOW)
    assert registry.get_account(leader).grants == []


def test_every_assignment_records_who_granted_it_and_why(
    registry: RegistryApplication, wards: dict[str, UUID]
) -> None:
    leader = registry.open_account("leader", "Trần Văn Bình", PASSWORD, None, "setup")
    registry.assign_role(_admin(wards), leader, Role.GROUP_LEADER, wards["group Hải Châu"], "bầu tổ trưởng")
    events: list[Any] = list(registry.repository.get(leader).collect_events()) or [
        e for e in registry.events.get(leader) if type(e).__name__ == "RoleAssigned"
    ]
    [assigned] = events
    assert assigned.granted_by == str(UUID(int=1))
    assert assigned.reason == "bầu tổ trưởng"


def test_busy_accounts_are_read_from_snapshots_that_keep_every_rule(
    registry: RegistryApplication, wards: dict[str, UUID]
) -> None:
    account = registry.open_account("hoa", "Lê Thị Hoa", PASSWORD, None, "setup")
    registry.assign_role(_admin(wards), account, Role.WARD_OFFICIAL, wards["Hải Châu"], "bổ nhiệm")
    registry.link_external_identity(_admin(wards), account, "https://sso.danang.gov.vn", "sub-1")
    sessions = [registry.sign_in("hoa", PASSWORD, NOW + timedelta(days=day)) for day in range(45)]
    assert registry.snapshots is not None
    [stored] = registry.snapshots.recorder.select_events(account, desc=True, limit=1)
    assert stored.topic == "registry:Account.Snapshot:v1"
    restored = registry.get_account(account)
    assert restored.version > stored.originator_version  # a snapshot plus the events after it
    # Sessions expired by the time of a later sign-in are forgotten; recent ones still work.
    later = NOW + timedelta(days=44)
    assert registry.session_active(account, sessions[-1].principal.session_id, later)
    assert not registry.session_active(account, sessions[0].principal.session_id, later)
    assert len(restored.sessions) < 45
    # Assignments and the external identity survive the snapshot's JSON.
    assert restored.external_identity == ("https://sso.danang.gov.vn", "sub-1")
    registry.revoke_role(_admin(wards), account, Role.WARD_OFFICIAL, wards["Hải Châu"], "chuyển công tác")
    assert registry.get_account(account).grants == []


def test_a_sign_out_on_another_replica_ends_the_session_at_once(tmp_path: Path) -> None:
    # Each process keeps the accounts it checks in memory; a check still reads what was stored
    # since, so a sign-out handled by another replica counts at the next request.
    settings = Settings(data_dir=tmp_path, personal_data_key=new_master_key())
    one, two = (ServiceRuntime(DEFINITION, settings, make_transport(settings, "registry")) for _ in range(2))
    try:
        first, second = one.app, two.app
        assert isinstance(first, RegistryApplication)
        assert isinstance(second, RegistryApplication)
        account = first.open_account("hoa", "Lê Thị Hoa", PASSWORD, None, "setup")
        signed_in = first.sign_in("hoa", PASSWORD, NOW)
        session = signed_in.principal.session_id
        assert first.session_active(account, session, NOW)  # now kept by the first replica
        assert second.session_active(account, session, NOW)
        second.sign_out(account, session)
        assert not first.session_active(account, session, NOW)
        again = second.sign_in("hoa", PASSWORD, NOW)
        assert first.session_active(account, again.principal.session_id, NOW)
    finally:
        one.close()
        two.close()


def test_a_session_check_waiting_on_the_event_store_holds_up_no_other_check(
    registry: RegistryApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every request checks its session: a check waiting for the database must not make the
    # process's other requests wait behind it.
    slow = registry.open_account("hoa", "Lê Thị Hoa", PASSWORD, None, "setup")
    other = registry.open_account("lan", "Trần Thị Lan", PASSWORD, None, "setup")
    slow_session = registry.sign_in("hoa", PASSWORD, NOW).principal.session_id
    other_session = registry.sign_in("lan", PASSWORD, NOW).principal.session_id
    assert registry.session_active(slow, slow_session, NOW)  # both kept by this process
    assert registry.session_active(other, other_session, NOW)
    store = registry.repository.event_store
    read = store.get
    waiting, release = threading.Event(), threading.Event()

    def get(originator_id: UUID, **kwargs: Any) -> Any:
        if originator_id == slow:
            waiting.set()
            release.wait(10)
        return read(originator_id, **kwargs)

    monkeypatch.setattr(store, "get", get)
    results: dict[str, bool] = {}
    first = threading.Thread(
        target=lambda: results.update(slow=registry.session_active(slow, slow_session, NOW))
    )
    first.start()
    try:
        assert waiting.wait(5)
        second = threading.Thread(
            target=lambda: results.update(other=registry.session_active(other, other_session, NOW))
        )
        second.start()
        second.join(5)
        assert results.get("other") is True, "the other account's check waited for the slow one"
    finally:
        release.set()
        first.join(10)
    assert results["slow"] is True


# --- Scope holds through account administration (issue 14) ---


def _official(wards: dict[str, UUID], ward: str, number: int) -> Principal:
    return Principal(UUID(int=number), "s", f"Cán bộ {ward}", (Grant(Role.WARD_OFFICIAL, wards[ward]),))


def _household(registry: RegistryApplication, group: UUID, code: str) -> UUID:
    with acting_as("kiểm thử"):
        return registry.register_household(
            group, code, [NewMember("head", PersonDetails(full_name="Võ Thành Nam"))], date(2025, 8, 1)
        )


def test_binding_an_account_to_a_household_needs_the_right_to_register_households_there(
    registry: RegistryApplication, wards: dict[str, UUID]
) -> None:
    in_hai_chau = _household(registry, wards["group Hải Châu"], "HC-1")
    with pytest.raises(NotAllowedError):  # a Thanh Khê official, a Hải Châu household
        registry.open_account_as(_official(wards, "Thanh Khê", 3), "cudan", "Nam", PASSWORD, in_hai_chau)
    with pytest.raises(NotAllowedError):  # the city's IT administrator sees no personal data
        registry.open_account_as(_admin(wards), "cudan", "Nam", PASSWORD, in_hai_chau)
    hai_chau = _official(wards, "Hải Châu", 2)
    account = registry.open_account_as(hai_chau, "cudan", "Nam", PASSWORD, in_hai_chau)
    assert registry.get_account(account).household_id == in_hai_chau
    [bound] = [e for e in registry.events.get(account) if isinstance(e, Account.HouseholdBound)]
    assert (bound.household_id, bound.bound_by) == (in_hai_chau, str(hai_chau.account_id))


def test_an_account_is_never_bound_to_a_household_that_does_not_exist(
    registry: RegistryApplication, wards: dict[str, UUID]
) -> None:
    official = _official(wards, "Hải Châu", 2)
    for missing in (UUID(int=99), wards["group Hải Châu"]):  # no aggregate; not a household
        with pytest.raises(HouseholdNotFoundError):
            registry.open_account_as(official, "cudan", "Nam", PASSWORD, missing)
    with pytest.raises(AccountNotFoundError):
        registry.get_account(Account.create_id("cudan"))


def test_roles_are_appointed_only_on_accounts_within_the_appointers_scope(
    registry: RegistryApplication, wards: dict[str, UUID]
) -> None:
    # An account serving Hải Châu: a Thanh Khê official may not touch it, even to appoint a role
    # in Thanh Khê (its sessions would then reach both wards, and its password would be theirs).
    leader = registry.open_account("leader", "Trần Văn Bình", PASSWORD, None, "setup")
    registry.assign_role(_admin(wards), leader, Role.GROUP_LEADER, wards["group Hải Châu"], "bầu")
    thanh_khe = _official(wards, "Thanh Khê", 3)
    with pytest.raises(NotAllowedError):
        registry.assign_role(thanh_khe, leader, Role.RESIDENT, wards["group Thanh Khê"], "x")
    with pytest.raises(NotAllowedError):
        registry.reset_password(thanh_khe, leader, "mật-khẩu-của-kẻ-khác")
    with pytest.raises(NotAllowedError):
        registry.link_external_identity(thanh_khe, leader, "https://sso.danang.gov.vn", "sub-x")
    with pytest.raises(NotAllowedError):
        registry.bind_household(thanh_khe, leader, _household(registry, wards["group Thanh Khê"], "TK-1"))
    assert registry.get_account(leader).grants == [("group_leader", wards["group Hải Châu"])]
    registry.assign_role(
        _official(wards, "Hải Châu", 2), leader, Role.RESIDENT, wards["group Hải Châu"], "ở tổ"
    )


def test_an_account_bound_to_a_household_is_administered_only_by_who_may_bind_it_there(
    registry: RegistryApplication, wards: dict[str, UUID]
) -> None:
    hai_chau = _official(wards, "Hải Châu", 2)
    resident = registry.open_account_as(
        hai_chau, "cudan", "Nam", PASSWORD, _household(registry, wards["group Hải Châu"], "HC-1")
    )
    for outsider in (_official(wards, "Thanh Khê", 3), _admin(wards)):
        with pytest.raises(NotAllowedError):
            registry.assign_role(outsider, resident, Role.RESIDENT, wards["group Thanh Khê"], "x")
        with pytest.raises(NotAllowedError):
            registry.reset_password(outsider, resident, "mật-khẩu-của-kẻ-khác")
    registry.assign_role(hai_chau, resident, Role.RESIDENT, wards["group Hải Châu"], "cư dân")
    registry.reset_password(hai_chau, resident, "mật-khẩu-mới-2026")


def test_an_account_with_no_role_nor_household_is_administered_by_who_opened_it(
    registry: RegistryApplication, wards: dict[str, UUID]
) -> None:
    # Otherwise another ward could reset its password between its opening and its first role,
    # and inherit whatever role the opener then appoints.
    hai_chau = _official(wards, "Hải Châu", 2)
    blank = registry.open_account_as(hai_chau, "moi", "Người mới", PASSWORD, None)
    thanh_khe = _official(wards, "Thanh Khê", 3)
    with pytest.raises(NotAllowedError):
        registry.reset_password(thanh_khe, blank, "mật-khẩu-của-kẻ-khác")
    with pytest.raises(NotAllowedError):
        registry.assign_role(thanh_khe, blank, Role.GROUP_LEADER, wards["group Thanh Khê"], "x")
    registry.reset_password(_admin(wards), blank, "mật-khẩu-mới-2026")  # the city, over everything
    registry.assign_role(hai_chau, blank, Role.GROUP_LEADER, wards["group Hải Châu"], "bầu")


def test_a_residents_access_follows_the_current_binding_at_every_check(
    registry: RegistryApplication, wards: dict[str, UUID]
) -> None:
    official = _official(wards, "Hải Châu", 2)
    first, second = (_household(registry, wards["group Hải Châu"], code) for code in ("HC-1", "HC-2"))
    account = registry.open_account_as(official, "cudan", "Nam", PASSWORD, first)
    signed_in = registry.sign_in("cudan", PASSWORD, NOW).principal
    assert signed_in.household_id == first
    assert registry.principal_current(signed_in, NOW)
    # A token naming a household the account is not bound to is refused, whatever its session.
    assert not registry.principal_current(replace(signed_in, household_id=second), NOW)
    registry.bind_household(official, account, second)
    assert not registry.principal_current(signed_in, NOW)  # at once, like a revocation
    again = registry.sign_in("cudan", PASSWORD, NOW).principal
    assert again.household_id == second
    registry.bind_household(official, account, None)
    assert not registry.principal_current(again, NOW)
    assert registry.sign_in("cudan", PASSWORD, NOW).principal.household_id is None
    kinds = [type(e).__name__ for e in registry.events.get(account)]
    assert kinds.count("HouseholdBound") == 2
    assert kinds.count("HouseholdUnbound") == 2


def test_a_snapshot_from_before_openers_were_kept_leaves_a_bare_account_to_the_city(
    registry: RegistryApplication, wards: dict[str, UUID]
) -> None:
    opener = _official(wards, "Hải Châu", 2)
    account = registry.open_account_as(opener, "hoa", "Lê Thị Hoa", PASSWORD, None)
    snapshot = Account.Snapshot.take(registry.get_account(account))
    del snapshot.state["opened_by"]  # as written before the opener was kept
    assert registry.snapshots is not None
    registry.snapshots.put([snapshot])
    assert registry.get_account(account).opened_by == ""
    with pytest.raises(NotAllowedError):  # the opener is no longer known
        registry.reset_password(opener, account, "mật-khẩu-mới-2026")
    registry.reset_password(_admin(wards), account, "mật-khẩu-mới-2026")
