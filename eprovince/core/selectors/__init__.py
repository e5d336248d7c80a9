"""Reads of the core app, scoped to what the caller may see."""
