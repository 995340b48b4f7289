"""The communication service's use cases, by capability."""
