"""A worker's liveness: its loop touches a file each round; the probe checks that the file is fresh.

Probe: ``python -m tothon_shared.runtime.heartbeat /tmp/tothon-heartbeat 60`` exits 1 when the file is
older than 60 seconds (the loop is stuck) or missing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def beat(path: Path) -> None:
    """Record that the loop is alive."""
    path.touch()


def is_fresh(path: Path, max_age_seconds: float) -> bool:
    """Whether the loop beat within ``max_age_seconds``."""
    try:
        return time.time() - path.stat().st_mtime <= max_age_seconds
    except FileNotFoundError:
        return False


if __name__ == "__main__":
    sys.exit(0 if is_fresh(Path(sys.argv[1]), float(sys.argv[2])) else 1)
