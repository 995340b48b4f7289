"""The levels a case is handled at, lowest first: the escalation path since 2025."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """Group or village → ward or commune People's Committee → city department (or the city
    People's Committee). A case within the group's competence is closed at the group."""

    GROUP = "group"  # tổ dân phố / thôn
    WARD = "ward"  # phường / xã / đặc khu
    CITY = "city"  # sở, ngành / UBND thành phố

    @property
    def rank(self) -> int:
        """0 for the group, rising by one a level."""
        return _ORDER.index(self)

    @property
    def above(self) -> Level | None:
        """The next level up, or ``None`` at the city."""
        rank = self.rank
        return _ORDER[rank + 1] if rank + 1 < len(_ORDER) else None

    def and_above(self) -> tuple[Level, ...]:
        """This level and every level a case here may be escalated to."""
        return _ORDER[self.rank :]


_ORDER: tuple[Level, ...] = (Level.GROUP, Level.WARD, Level.CITY)
