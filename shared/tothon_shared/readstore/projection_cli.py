"""``tothon-<service> projection-failures list | replay <id> | skip <id> --reason "…"``: the
operator's view of the events the service's projections set aside, and the two ways out."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import Any, TextIO

from tothon_shared.readstore.projection import NotParkedError, Projector
from tothon_shared.readstore.projection_failures import error_text
from tothon_shared.runtime.service import ServiceRuntime

COMMAND = "projection-failures"


def add_command(commands: Any) -> None:
    """Add ``projection-failures`` and its actions to a service's command line."""
    failures = commands.add_parser(COMMAND, help="events a projection set aside: list, replay or skip")
    actions = failures.add_subparsers(dest="action", required=True)
    listed = actions.add_parser("list", help="the events failing, parked or held (JSON lines)")
    listed.add_argument("--all", action="store_true", help="resolved ones too, with who and why")
    replay = actions.add_parser("replay", help="apply a parked event again, once its cause is fixed")
    replay.add_argument("failure_id", type=int)
    replay.add_argument("--reason", type=_reason, default=None)
    skip = actions.add_parser("skip", help="leave a parked event out of the read model for good")
    skip.add_argument("failure_id", type=int)
    skip.add_argument("--reason", type=_reason, required=True, help="why: kept with the decision")
    for action in (replay, skip):
        action.add_argument("--by", default=_operator(), help="who decides (default: this OS user)")


def run(runtime: ServiceRuntime, args: argparse.Namespace) -> int:
    """Carry out the action; the process's exit status."""
    if args.action == "list":
        for projector in runtime.projectors:
            for failure in projector.listed(everything=args.all):
                _say(json.dumps(failure.as_json(), ensure_ascii=False))
        return 0
    owner = _owner(runtime.projectors, args.failure_id)
    if owner is None:
        _say(f"no failure {args.failure_id}", sys.stderr)
        return 2
    try:
        if args.action == "replay":
            applied = owner.replay(args.failure_id, args.by, args.reason)
        else:
            applied = owner.skip(args.failure_id, args.by, args.reason)
    except NotParkedError:
        _say(f"failure {args.failure_id} is not parked (resolved already?)", sys.stderr)
        return 2
    except Exception as error:
        _say(f"failure {args.failure_id} still fails: {error_text(error)}", sys.stderr)
        return 1
    done = {"replay": "replayed", "skip": "skipped"}[args.action]
    _say(json.dumps({"failure_id": args.failure_id, "status": done, "events_applied": applied}))
    return 0


def _owner(projectors: list[Projector], failure_id: int) -> Projector | None:
    return next((p for p in projectors if p.failure(failure_id) is not None), None)


def _say(line: str, to: TextIO | None = None) -> None:
    (to or sys.stdout).write(line + "\n")


def _reason(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("say why")
    return value.strip()


def _operator() -> str:
    try:
        return getpass.getuser()
    except Exception:  # a container's user may have no name
        return f"uid {os.getuid()}"
