"""Shared pytest fixtures: named example users built through the real services."""
