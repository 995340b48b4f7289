"""What start-up made is left out of later garbage collections of an API process."""

from __future__ import annotations

import gc

from tothon_shared.process import settle_startup_objects


def test_start_up_objects_are_frozen_out_of_full_collections() -> None:
    before = gc.get_freeze_count()
    try:
        settle_startup_objects()
        assert gc.get_freeze_count() > before
        assert gc.get_count()[2] == 0  # just collected: garbage from start-up was not frozen
    finally:
        gc.unfreeze()
