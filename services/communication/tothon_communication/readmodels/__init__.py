"""The communication service's read models."""
