"""The worker's liveness file: fresh while the loop runs, stale or missing when it does not."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tothon_shared.runtime.heartbeat import beat, is_fresh


def test_a_recent_beat_is_fresh_and_an_old_one_is_not(tmp_path: Path) -> None:
    path = tmp_path / "beat"
    assert not is_fresh(path, 60)
    beat(path)
    assert is_fresh(path, 60)
    old = time.time() - 120
    os.utime(path, (old, old))
    assert not is_fresh(path, 60)
