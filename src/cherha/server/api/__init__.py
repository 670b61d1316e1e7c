"""The HTTP API under /api/v1: routes parse, call the store and the core, serialise."""
