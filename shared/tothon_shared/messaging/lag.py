"""Consumer lag with kafka-python's admin API: how far a consumer group is behind each partition.

Operators watch it; tests wait on it to know that a consumer has seen everything published.
"""

from __future__ import annotations

from collections.abc import Iterable

from kafka import KafkaAdminClient, TopicPartition
from kafka.admin import OffsetSpec


def end_offsets(admin: KafkaAdminClient, topics: Iterable[str]) -> dict[TopicPartition, int]:
    """The next offset to be written on every partition of ``topics``."""
    metadata = admin.describe_topics(list(topics))
    partitions = [TopicPartition(t["name"], p["partition_index"]) for t in metadata for p in t["partitions"]]
    offsets = admin.list_partition_offsets(dict.fromkeys(partitions, OffsetSpec.LATEST))
    return {tp: int(o.offset) for tp, o in offsets.items()}


def topic_end_offsets(bootstrap: str, topics: Iterable[str]) -> dict[tuple[str, int], int]:
    """End offsets keyed by (topic, partition), for clients other than kafka-python."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="tothon-offsets")
    try:
        return {(tp.topic, tp.partition): end for tp, end in end_offsets(admin, topics).items()}
    finally:
        admin.close()


def consumer_lag(bootstrap: str, group: str, topics: Iterable[str]) -> dict[TopicPartition, int]:
    """Messages not yet committed by ``group``, per partition (a partition never committed counts
    from its start)."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="tothon-lag")
    try:
        ends = end_offsets(admin, topics)
        committed = admin.list_group_offsets({group: list(ends)}).get(group, {})
        lag = {}
        for tp, end in ends.items():
            meta = committed.get(tp)
            done = meta.offset if meta is not None and meta.offset >= 0 else 0
            lag[tp] = end - done
        return lag
    finally:
        admin.close()
