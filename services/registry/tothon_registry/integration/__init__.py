"""The registry's public side: domain events mapped to integration-event contracts."""
