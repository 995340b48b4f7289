"""Accounts: sign-in, lockout, refresh rotation, sign-out, passwords and who may appoint whom."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from tothon_registry.accounts import NotAllowedError, SignInRefusedError, WeakPasswordError
from tothon_registry.application import RegistryApplication
from tothon_registry.bootstrap import DEFINITION
from tothon_registry.domain.account import AccountLockedError, SessionEndedError
from tothon_registry.domain.unit import UnitKind
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Role
from tothon_shared.privacy.keys import new_master_key
from tothon_shared.process import make_transport
from tothon_shared.runtime import ServiceRuntime
from tothon_shared.settings import Settings

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
    leader = registry.open_account("leader", "Trần Văn Bình", PASSWORD, None, "setup")
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
    [assigned] = [e for e in registry.repository.get(leader).collect_events()] or [
        e for e in registry.events.get(leader) if type(e).__name__ == "RoleAssigned"
    ]
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
