"""Personal data at rest: per-person keys, sealed event fields, and crypto-shredding."""
