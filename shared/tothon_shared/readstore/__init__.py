"""Read models: the read store, projections and their failures, the unit directory."""
