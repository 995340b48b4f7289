"""The date in Vietnam. A server's clock runs in UTC: between 17:00 and 24:00 UTC ``date.today()``
would still say yesterday to a ward office in Đà Nẵng."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

# Indochina Time, UTC+7 all year (Vietnam keeps no daylight saving time).
VIETNAM = timezone(timedelta(hours=7), "ICT")


def today() -> date:
    """Today's date in Vietnam."""
    return datetime.now(VIETNAM).date()
