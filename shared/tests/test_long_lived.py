"""Full collections of a serving process walk only what is new, and now and then everything."""

from __future__ import annotations

import gc
import weakref

from tothon_shared.runtime.long_lived import LongLivedObjects


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def _cycle() -> tuple[_Node, weakref.ref[_Node]]:
    first, second = _Node(), _Node()
    first.other, second.other = second, first
    return first, weakref.ref(second)


def test_survivors_of_a_full_collection_are_frozen_and_old_cyclic_garbage_is_freed_at_the_thaw() -> None:
    now = [0.0]
    keeper = LongLivedObjects(thaw_seconds=600, clock=lambda: now[0])
    keeper.install()
    try:
        kept, watched = _cycle()
        gc.collect()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        del kept  # garbage now, but frozen: full collections before the thaw leave it be
        gc.collect()
        assert watched() is not None
        now[0] = 601  # due: this full collection thaws, the next walks everything
        gc.collect()
        gc.collect()
        assert watched() is None
        assert gc.get_freeze_count() > 0  # frozen again after that walk
    finally:
        keeper.uninstall()
        gc.unfreeze()


def test_collections_of_the_young_generations_freeze_nothing() -> None:
    keeper = LongLivedObjects()
    keeper.install()
    try:
        gc.unfreeze()
        gc.collect(0)
        gc.collect(1)
        assert gc.get_freeze_count() == 0
    finally:
        keeper.uninstall()
        gc.unfreeze()


def test_installing_freezes_what_start_up_made_after_collecting_its_garbage() -> None:
    before = gc.get_freeze_count()
    keeper = LongLivedObjects()
    try:
        keeper.install()
        assert gc.get_freeze_count() > before
        assert gc.get_count()[2] == 0  # just collected: garbage from start-up was not frozen
    finally:
        keeper.uninstall()
        gc.unfreeze()
