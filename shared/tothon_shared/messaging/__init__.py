"""Messaging: CloudEvents on Kafka (distributed) or on the in-process log bus (embedded)."""
