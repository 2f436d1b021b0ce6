"""Pact editions: themes, measures and their levels of ambition; the loader of an edition."""
