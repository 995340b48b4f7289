"""The funds service: community funds, levies, contributions and expenses."""
