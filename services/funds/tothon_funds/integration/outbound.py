"""What the funds service publishes: nothing yet.

When funds publishes (a levy announced, a contribution paid), its contracts go in
``tothon_shared/contracts/funds.py`` and their channel in the catalogue, and this module maps its
domain events to them as the registry's ``integration/outbound.py`` does; ``bootstrap`` then sets
``publishes`` and ``outbound`` from here.
"""

from __future__ import annotations

from tothon_shared.messaging.relay import OutboundMapping

OUTBOUND: OutboundMapping | None = None
