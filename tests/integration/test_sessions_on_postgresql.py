"""On PostgreSQL every request's session check asks the event store from the event loop; a
sign-out stored by one API process is refused by another at its next request."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import cast

import httpx
import pytest
from deployments import ADMIN_PASSWORD, Deployment, ServiceProcess

from tothon_registry.application import RegistryApplication
from tothon_registry.session_check import SessionCheckOnLoop, session_check
from tothon_shared.eventstore import event_store_env
from tothon_shared.runtime import ServiceRuntime

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

        # A thread of its own: the browser tests' session keeps an event loop running in this one.
        with ThreadPoolExecutor(1) as thread:
            thread.submit(asyncio.run, checks()).result()
    finally:
        app.close()
