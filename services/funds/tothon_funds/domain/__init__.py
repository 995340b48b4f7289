"""The funds service's domain model: no framework, no database."""
