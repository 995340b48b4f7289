"""Keeping an API process's long-lived objects out of its full garbage collections.

A full collection walks every object the collector tracks, and stops every thread of the process
meanwhile. Importing FastAPI, SQLAlchemy and the services leaves hundreds of thousands of objects
(one full collection of them took 30–110 ms here), and a serving process keeps building more
long-lived ones: compiled statements, cached units and names, pools. Under a city's read load each
API process ran a full collection every 7–9 s, of 25–85 ms each: a pause of every request in
flight, enough to put a p99 over its target on its own.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any


class LongLivedObjects:
    """After each full collection, what survived it is frozen: the next full collections walk
    only what was made since. Every ``thaw_seconds`` one full collection walks everything again,
    so that cyclic garbage among old objects (a replaced cache entry, say) is still freed, late."""

    def __init__(self, thaw_seconds: float = 600.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._thaw_seconds = thaw_seconds
        self._clock = clock
        self._thawed_at = clock()

    def install(self) -> None:
        """Start freezing after full collections, and run one now: what start-up made is frozen
        at once, its garbage collected first (idempotent)."""
        if self._after_collection not in gc.callbacks:
            gc.callbacks.append(self._after_collection)
        gc.collect()

    def uninstall(self) -> None:
        """Stop; what is frozen stays frozen until ``gc.unfreeze()``."""
        if self._after_collection in gc.callbacks:
            gc.callbacks.remove(self._after_collection)

    def _after_collection(self, phase: str, info: dict[str, Any]) -> None:
        if phase != "stop" or info["generation"] != 2:
            return
        now = self._clock()
        if now - self._thawed_at >= self._thaw_seconds:
            gc.unfreeze()  # the next full collection walks everything, then freezes again
            self._thawed_at = now
        else:
            gc.freeze()
