"""The funds service's side of the integration events: what it takes in and what it publishes."""
