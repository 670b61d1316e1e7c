"""The pure domain core of the queue: numbering, ordering, ticket states, estimates, hours.

Nothing here does I/O or imports FastAPI, SQLAlchemy or Qt; the store and the HTTP API call in.
"""
