"""The HTTP edge: the ASGI app and its guard, problem details, messages, paging, OpenAPI."""
