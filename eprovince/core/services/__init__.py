"""Writes of the core app. Each service is keyword-only, runs in a transaction and records its audit event."""
