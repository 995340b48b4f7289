"""The command line of every service: ``api``, ``worker``, ``rebuild`` and ``asyncapi``."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys

import uvicorn

from tothon_shared.auth.http import token_issuer_for, verifier_for
from tothon_shared.auth.keys import SigningKeyError
from tothon_shared.messaging.asyncapi import asyncapi_document
from tothon_shared.readstore import projection_cli
from tothon_shared.runtime.definition import ServiceDefinition
from tothon_shared.runtime.process import api_app, build_runtime, rebuild_offline, run_worker
from tothon_shared.runtime.settings import Settings


def service_main(definition: ServiceDefinition, argv: list[str] | None = None) -> None:
    """Parse the command line and run one process of ``definition``."""
    parser = argparse.ArgumentParser(prog=f"tothon-{definition.name}")
    commands = parser.add_subparsers(dest="command", required=True)
    api = commands.add_parser("api", help="serve the HTTP API")
    api.add_argument("--host", default="127.0.0.1")
    api.add_argument("--port", type=int, default=8000)
    api.add_argument("--workers", type=int, default=1, help="API processes sharing the port")
    commands.add_parser("worker", help="run the outbox relay, projections and consumers")
    commands.add_parser("rebuild", help="drop and rebuild the read models (worker stopped)")
    commands.add_parser("asyncapi", help="print the AsyncAPI document")
    projection_cli.add_command(commands)
    args = parser.parse_args(argv)

    settings = Settings()
    if args.command == "api":
        _check_token_keys(definition, settings)
    if args.command == "api" and args.workers > 1:
        # Each process builds its own runtime from the environment.
        os.environ["TOTHON_SERVICE"] = definition.name
        uvicorn.run(
            "tothon_shared.runtime.process:api_from_environment",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level="warning",
            proxy_headers=False,  # the app's own middleware, from TOTHON_TRUSTED_PROXIES
        )
        return
    if args.command == "asyncapi":
        doc = asyncapi_document(definition, settings.topic_prefix, settings.kafka_bootstrap)
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    if args.command == "rebuild":
        # Emptying and refilling a city's tables is not a request: its statements may take longer.
        settings = settings.model_copy(
            update={"pg_statement_timeout_seconds": settings.pg_maintenance_timeout_seconds}
        )
    runtime = build_runtime(definition, settings)
    if args.command == "api":
        uvicorn.run(
            api_app(runtime), host=args.host, port=args.port, log_level="warning", proxy_headers=False
        )
    elif args.command == "worker":
        asyncio.run(run_worker(runtime))
    elif args.command == projection_cli.COMMAND:
        status = projection_cli.run(runtime, args)
        runtime.close()
        sys.exit(status)
    else:
        counts = asyncio.run(rebuild_offline(runtime))
        runtime.close()
        print(json.dumps(counts))


def _check_token_keys(definition: ServiceDefinition, settings: Settings) -> None:
    """Stop at once, with the reason, when the API could not sign or verify tokens."""
    try:
        if definition.issues_tokens:
            token_issuer_for(settings)
        else:
            verifier_for(settings)
    except SigningKeyError as error:
        sys.exit(f"tothon-{definition.name}: {error}")
