"""The registry's domain model: framework-free aggregates and their invariants."""
