"""``tothon dev``: run the embedded suite with demo data and the web frontend."""

from __future__ import annotations

import argparse
import sys

import uvicorn

from tothon.embedded import IncompatibleDataError, build_embedded
from tothon.seed import DEMO_ACCOUNTS, DEMO_PASSWORD
from tothon_shared.runtime.settings import Settings


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and run the embedded suite."""
    parser = argparse.ArgumentParser(prog="tothon", description="Tothon, tổ và thôn điện tử")
    commands = parser.add_subparsers(dest="command", required=True)
    dev = commands.add_parser("dev", help="all services in one process with demo data")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=int, default=8000)
    dev.add_argument("--no-seed", action="store_true", help="start without the pilot demo data")
    args = parser.parse_args(argv)

    settings = Settings()
    try:
        embedded = build_embedded(settings, seed=not args.no_seed)
    except IncompatibleDataError as error:
        sys.exit(str(error))
    base = f"http://{args.host}:{args.port}"
    print(
        f"Tothon đang chạy / is running: {base}/web/\n"
        f"  API: {base}/registry/docs  {base}/communication/docs  "
        f"{base}/feedback/docs  {base}/funds/docs\n"
        f"  Dữ liệu / data: {settings.data_dir.resolve()}\n"
        f"  Tài khoản mẫu / demo accounts (mật khẩu / password: {DEMO_PASSWORD}):\n"
        + "\n".join(f"    {u:<22} {role.value:<15} {unit}" for u, _n, role, unit in DEMO_ACCOUNTS),
        file=sys.stderr,
    )
    # Forwarded headers are the app's to trust (TOTHON_TRUSTED_PROXIES), not uvicorn's.
    uvicorn.run(embedded.app, host=args.host, port=args.port, log_level="warning", proxy_headers=False)
