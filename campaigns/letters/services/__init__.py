"""Writes of the letters, one module per concern."""
