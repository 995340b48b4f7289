"""On PostgreSQL every request's session check asks the database from the event loop: in the
registry, a sign-out stored by one API process is refused by another at its next request; in the
other services, as soon as the sign-out's event has arrived over Kafka."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any, cast

import httpx
import pytest
from deployments import ADMIN_PASSWORD, Deployment, ServiceProcess
from run_apart import run_apart

from tothon_funds.bootstrap import DEFINITION as FUNDS
from tothon_funds.readmodels.tables import REVOCATIONS
from tothon_registry.application import RegistryApplication
from tothon_registry.session_check import SessionCheckOnLoop, session_check
from tothon_shared.auth.http import Authenticator, verifier_for
from tothon_shared.auth.principal import Principal
from tothon_shared.auth.revocations import RevokedOnLoop
from tothon_shared.eventstore.environment import event_store_env
from tothon_shared.runtime.process import make_transport
from tothon_shared.runtime.service import ServiceRuntime
from tothon_shared.throughput.loop_query import SESSION_CHECK

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]


def _me(api: ServiceProcess, headers: dict[str, str]) -> httpx.Response:
    return httpx.get(f"{api.url}/api/v1/auth/me", headers=headers, timeout=10)


def _sign_in(api: ServiceProcess) -> dict[str, str]:
    signed_in = api.post("/api/v1/auth/sign-in", json={"username": "admin", "password": ADMIN_PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    return {"Authorization": f"Bearer {signed_in.json()['access_token']}"}


def test_a_sign_out_in_one_api_process_is_refused_at_once_by_another(deployment: Deployment) -> None:
    deployment.bootstrap()
    first = deployment.start("registry", "api")
    second = deployment.start("registry", "api")
    headers = _sign_in(first)
    for api in (first, second, first, second):  # each loads the account once, then asks for news
        assert _me(api, headers).status_code == 200
    other_headers = _sign_in(first)
    assert _me(second, headers).status_code == 200  # another session began: still open
    signed_out = httpx.post(f"{second.url}/api/v1/auth/sign-out", headers=headers, timeout=10)
    assert signed_out.status_code == 204
    refused = _me(first, headers)
    assert refused.status_code == 401
    assert _me(first, other_headers).status_code == 200  # the other session lives on
    assert _me(second, headers).status_code == 401
    for api in (first, second):
        api.stop()  # SIGTERM: the session check's connections close with the app
        assert "Traceback" not in api.output()
        assert "still open" not in api.output()


def test_a_check_asks_for_news_on_the_event_loop_and_loads_the_account_only_when_it_changed(
    deployment: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    deployment.bootstrap()
    key = deployment.env["TOTHON_PERSONAL_DATA_KEY"]  # the key the deployment's processes use
    settings = deployment.settings.model_copy(update={"personal_data_key": key})
    app = RegistryApplication(env=event_store_env(settings, "registry"))
    try:
        principal = app.sign_in("admin", ADMIN_PASSWORD).principal
        check = session_check(cast(ServiceRuntime, SimpleNamespace(app=app, settings=settings)))
        assert isinstance(check, SessionCheckOnLoop)
        loaded = app.session_active

        def must_not_load(*args: object) -> bool:
            raise AssertionError("the account was loaded though it had not changed")

        async def checks() -> None:
            assert await check(principal)  # first: the account is loaded
            monkeypatch.setattr(app, "session_active", must_not_load)
            assert await check(principal)  # unchanged: answered from the loop
            monkeypatch.setattr(app, "session_active", loaded)
            app.sign_out(principal.account_id, principal.session_id)
            assert not await check(principal)  # changed: loaded again, the session has ended
            await check.close()

        run_apart(checks())
    finally:
        app.close()


def test_a_sign_out_in_the_registry_is_refused_by_funds_once_its_event_arrives(
    deployment: Deployment, eventually: Callable[..., Any]
) -> None:
    province = deployment.bootstrap()
    registry = deployment.start("registry", "api")
    deployment.start("registry", "worker")
    deployment.start("funds", "worker")
    funds = deployment.start("funds", "api")
    headers, other_headers = _sign_in(registry), _sign_in(registry)
    # The city's IT administrator may not read the directory: 403 while the session is open, 401
    # once it has ended.
    directory = f"{funds.url}/api/v1/directory/units/{province}/households"

    def answer(session: dict[str, str]) -> httpx.Response:
        return httpx.get(directory, headers=session, timeout=10)

    assert answer(headers).status_code == 403
    signed_out = httpx.post(f"{registry.url}/api/v1/auth/sign-out", headers=headers, timeout=10)
    assert signed_out.status_code == 204
    refused = eventually(
        lambda: (r := answer(headers)).status_code == 401 and r, what="the sign-out in funds"
    )
    assert refused.json()["code"] == "auth.revoked"
    assert answer(other_headers).status_code == 403  # the other session lives on
    funds.stop()  # SIGTERM: the check's connections close with the app
    assert "Traceback" not in funds.output()
    assert "still open" not in funds.output()


def test_the_revocation_check_answers_on_the_event_loop_and_closes_its_connections(
    deployment: Deployment, eventually: Callable[..., Any]
) -> None:
    runtime = ServiceRuntime(FUNDS, deployment.settings, make_transport(deployment.settings, "funds"))
    try:
        check = REVOCATIONS.session_check(runtime)
        assert isinstance(check, RevokedOnLoop)
        keys_at = {"token_jwks_url": deployment.env["TOTHON_TOKEN_JWKS_URL"]}
        authenticator = Authenticator(verifier_for(deployment.settings.model_copy(update=keys_at)), check)
        assert authenticator.session_open is check  # awaited as it is: no worker thread
        ended, open_ = (
            Principal(uuid.uuid4(), session_id=session, name="Cán bộ") for session in ("ended", "open")
        )
        with runtime.store.engine.begin() as connection:
            connection.execute(
                REVOCATIONS.table.insert().values(
                    session_id="ended", account_id=ended.account_id, ended_at=datetime.now(UTC)
                )
            )
        with deployment.database("funds") as database:
            database.autocommit = True

            def backends() -> int:
                counted = database.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s"
                    " AND datname = current_database()",
                    (SESSION_CHECK,),
                ).fetchone()
                return int(counted[0]) if counted else 0

            async def checks() -> tuple[bool, bool, int]:
                answers = (await check(ended), await check(open_))
                during = backends()
                await authenticator.close()
                return *answers, during

            refused, accepted, during = run_apart(checks())
            assert during >= 1
            eventually(lambda: backends() == 0, what="the check's connections closed")
        assert (refused, accepted) == (False, True)
    finally:
        runtime.close()


def test_a_session_found_open_is_asked_about_again_after_a_second_at_most(deployment: Deployment) -> None:
    """A keeper's requests one after another ask once within ``open_seconds``; a revocation
    stored meanwhile is refused once that time has passed, and a revoked session is never taken
    as open."""
    runtime = ServiceRuntime(FUNDS, deployment.settings, make_transport(deployment.settings, "funds"))
    try:
        check = REVOCATIONS.session_check(runtime)
        assert isinstance(check, RevokedOnLoop)
        short = RevokedOnLoop(check._revoked, open_seconds=0.5)
        keeper, ended = (
            Principal(uuid.uuid4(), session_id=session, name="Cán bộ") for session in ("keeper", "gone")
        )

        def revoke(principal: Principal) -> None:
            with runtime.store.engine.begin() as connection:
                connection.execute(
                    REVOCATIONS.table.insert().values(
                        session_id=principal.session_id,
                        account_id=principal.account_id,
                        ended_at=datetime.now(UTC),
                    )
                )

        revoke(ended)

        async def checks() -> list[bool]:
            answers = [await short(keeper), await short(ended)]
            revoke(keeper)
            answers.append(await short(keeper))  # found open a moment ago: not asked again
            await asyncio.sleep(0.6)
            answers += [await short(keeper), await short(ended)]
            await short._revoked.close()
            return answers

        assert run_apart(checks()) == [True, False, True, False, False]
    finally:
        runtime.close()
