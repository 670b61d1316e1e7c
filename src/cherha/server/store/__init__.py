"""Persistence: SQLAlchemy models, the database handle and the queue operations on it."""
