"""``tothon-registry api|worker|rebuild|asyncapi|bootstrap``: run the registry as its own processes."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from uuid import UUID

from tothon_registry.admin_units.importer import import_admin_units
from tothon_registry.application import RegistryApplication
from tothon_registry.bootstrap import DEFINITION
from tothon_registry.domain.unit import UnitKind
from tothon_shared.auth.principal import Grant, Principal
from tothon_shared.auth.roles import Role
from tothon_shared.eventstore.context import acting_as
from tothon_shared.eventstore.environment import event_store_env
from tothon_shared.runtime.cli import service_main
from tothon_shared.runtime.pgsetup import ensure_database
from tothon_shared.runtime.settings import Mode, Settings


def bootstrap(argv: list[str]) -> None:
    """Create the first province and its IT administrator in an empty registry.

    The password is read from standard input, never from the command line (which other users
    of the machine can see)."""
    parser = argparse.ArgumentParser(prog="tothon-registry bootstrap")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--province-name", required=True)
    parser.add_argument("--province-code", required=True)
    parser.add_argument("--effective-from", type=date.fromisoformat, default=date(2025, 7, 1))
    args = parser.parse_args(argv)
    password = sys.stdin.readline().rstrip("\n")
    settings = Settings()
    if settings.mode is Mode.DISTRIBUTED:
        ensure_database(settings, settings.database_name("registry"))
    app = RegistryApplication(env=event_store_env(settings, "registry"))
    with acting_as("bootstrap", reason="first province and administrator"):
        province = app.establish_unit(
            UnitKind.PROVINCE, args.province_name, args.province_code, "vn-2025", None, args.effective_from
        )
        account = app.open_account(args.username, "Quản trị hệ thống", password, None, "bootstrap")
        installer = Principal(UUID(int=0), "bootstrap", "bootstrap", (Grant(Role.CITY_IT_ADMIN, province),))
        app.assign_role(installer, account, Role.CITY_IT_ADMIN, province, "first administrator")
    app.close()
    print(f"province {province}\naccount {account}")  # noqa: T201 - the command's output


def import_units(argv: list[str]) -> None:
    """Record the official list of administrative units (idempotent: run again after a new
    release of the list, or after an interruption)."""
    parser = argparse.ArgumentParser(prog="tothon-registry import-units")
    parser.add_argument(
        "--province", action="append", help="a province code since the reform (repeat); all 34 if not given"
    )
    parser.add_argument("--no-legacy", action="store_true", help="skip the units of before the 2025 reform")
    args = parser.parse_args(argv)
    settings = Settings()
    if settings.mode is Mode.DISTRIBUTED:
        ensure_database(settings, settings.database_name("registry"))
    app = RegistryApplication(env=event_store_env(settings, "registry"))
    with acting_as("import-units", reason="danh mục đơn vị hành chính (vietnamadminunits 1.0.4)"):
        result = import_admin_units(app, args.province, legacy=not args.no_legacy)
    app.close()
    print(f"recorded {result.recorded}, already present {result.present}")  # noqa: T201 - the command's output


def main() -> None:
    """Entry point of the registry's processes."""
    if sys.argv[1:2] == ["bootstrap"]:
        bootstrap(sys.argv[2:])
    elif sys.argv[1:2] == ["import-units"]:
        import_units(sys.argv[2:])
    else:
        service_main(DEFINITION)


if __name__ == "__main__":
    main()
