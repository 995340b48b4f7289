"""The event store: the application base, its environment, the notification log, command context."""
