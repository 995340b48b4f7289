"""The funds service's read models."""
