"""The funds service's HTTP API."""
