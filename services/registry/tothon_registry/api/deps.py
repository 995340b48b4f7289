"""Dependencies of the registry's routes."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request

from tothon_registry.application import RegistryApplication
from tothon_shared.readstore import ReadStore
from tothon_shared.runtime import ServiceRuntime


def _runtime(request: Request) -> ServiceRuntime:
    return cast(ServiceRuntime, request.app.state.runtime)


def _app(request: Request) -> RegistryApplication:
    return cast(RegistryApplication, _runtime(request).app)


def _store(request: Request) -> ReadStore:
    return _runtime(request).store


Registry = Annotated[RegistryApplication, Depends(_app)]
Store = Annotated[ReadStore, Depends(_store)]
