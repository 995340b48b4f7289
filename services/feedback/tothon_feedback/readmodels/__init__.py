"""The feedback service's read models."""
