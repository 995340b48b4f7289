"""The envelope every integration event carries (see the contracts' JSON Schemas)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

# Event ids are derived from the domain event they come from, so a re-published event keeps its id
# and consumers can recognise it.
EVENT_ID_NAMESPACE = uuid.UUID("6f1d3c1e-5b7a-4a52-9a40-7d1f0e0c2b11")


class IntegrationEvent(BaseModel):
    """Base of all public events: the envelope fields of DESIGN.md plus a subject and its unit."""

    # Additive changes must not break older consumers, so unknown fields are ignored.
    model_config = ConfigDict(frozen=True, extra="ignore")

    channel: ClassVar[str]
    version: ClassVar[int] = 1

    event_id: uuid.UUID
    event_type: str
    occurred_at: AwareDatetime
    schema_version: int = Field(ge=1)
    producer: str
    correlation_id: str
    subject_id: uuid.UUID = Field(description="The aggregate the event is about; the Kafka key.")
    unit_id: uuid.UUID | None = Field(description="The administrative unit the subject belongs to.")

    @classmethod
    def type_name(cls) -> str:
        """The event type: the class name."""
        return cls.__name__

    @classmethod
    def derive_id(cls, originator_id: uuid.UUID, originator_version: int) -> uuid.UUID:
        """A stable event id for the integration event made from one domain event."""
        return uuid.uuid5(EVENT_ID_NAMESPACE, f"{cls.type_name()}:{originator_id}:{originator_version}")

    @classmethod
    def from_domain_event(
        cls,
        domain_event: Any,
        *,
        producer: str,
        correlation_id: str,
        unit_id: uuid.UUID | None,
        **fields: object,
    ) -> Self:
        """The integration event made from one domain event, envelope filled from it."""
        return cls.model_validate(
            {
                **cls.envelope(
                    originator_id=domain_event.originator_id,
                    originator_version=domain_event.originator_version,
                    occurred_at=domain_event.timestamp,
                    producer=producer,
                    correlation_id=correlation_id,
                    unit_id=unit_id,
                ),
                **fields,
            }
        )

    @classmethod
    def envelope(
        cls,
        *,
        originator_id: uuid.UUID,
        originator_version: int,
        occurred_at: datetime,
        producer: str,
        correlation_id: str,
        unit_id: uuid.UUID | None,
    ) -> dict[str, object]:
        """The envelope fields for an event made from one domain event."""
        return {
            "event_id": cls.derive_id(originator_id, originator_version),
            "event_type": cls.type_name(),
            "occurred_at": occurred_at,
            "schema_version": cls.version,
            "producer": producer,
            "correlation_id": correlation_id,
            "subject_id": originator_id,
            "unit_id": unit_id,
        }
