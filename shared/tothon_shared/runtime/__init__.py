"""The service runtime: a service's definition, its processes (API, worker), settings, telemetry."""
