"""The registry's read models: tables fed by projections of its own events."""
