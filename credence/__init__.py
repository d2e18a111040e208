"""Composition root: configuration, database, command line."""
