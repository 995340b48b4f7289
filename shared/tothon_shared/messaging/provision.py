"""Topic provisioning with kafka-python (the broker's auto-create is off).

Integration topics keep their whole history (unlimited retention) so any read model can be
rebuilt and a new subscriber can start from the first event. Run: ``python -m
tothon_shared.messaging.provision``.
"""

from __future__ import annotations

import contextlib

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from tothon_shared.contracts.catalog import CHANNELS
from tothon_shared.messaging.transport import dead_letter_topic
from tothon_shared.runtime.settings import Settings

FOREVER = {"retention.ms": "-1", "retention.bytes": "-1", "cleanup.policy": "delete"}


def wanted_topics(settings: Settings) -> list[str]:
    """Every integration topic and its dead-letter topic."""
    topics = [channel.topic(settings.topic_prefix) for channel in CHANNELS.values()]
    return topics + [dead_letter_topic(t) for t in topics]


def provision(settings: Settings) -> list[str]:
    """Create the missing topics; returns those created."""
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, client_id="tothon-provision")
    try:
        existing = set(admin.list_topics())
        missing = [t for t in wanted_topics(settings) if t not in existing]
        if missing:
            # Another provisioner may create some of them meanwhile.
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics(
                    [
                        NewTopic(
                            name=t,
                            num_partitions=settings.topic_partitions,
                            replication_factor=1,
                            topic_configs=FOREVER,
                        )
                        for t in missing
                    ]
                )
        return missing
    finally:
        admin.close()


if __name__ == "__main__":
    for topic in provision(Settings()):
        print(f"created {topic}")
