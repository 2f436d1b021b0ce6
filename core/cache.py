"""Generations of cached reads: a cached answer's key holds the generation of what it was
built from, and a write starts a new generation after commit, so that no process ever
serves an answer older than the data (the old entries expire by themselves)."""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction

# The public map (campaigns/map.py): pledges, assessments, cycle publications, initiatives,
# contour imports, and changes of events linked to initiatives start a new generation of it.
MAP = "map"

GENERATION_TIMEOUT = None  # kept until replaced: losing it only costs a rebuild


def _key(name: str) -> str:
    return f"generation:{name}"


def generation(name: str) -> str:
    """The current generation of ``name``. A random token, not a counter: a generation lost
    by the cache (eviction, restart) can never come back and revive an old entry."""
    return cache.get_or_set(_key(name), lambda: uuid.uuid4().hex, timeout=GENERATION_TIMEOUT)


def new_generation(name: str) -> None:
    """Start a new generation of ``name`` once the current transaction commits (at once
    outside a transaction): readers of the old data keep their entries until then."""
    transaction.on_commit(lambda: cache.set(_key(name), uuid.uuid4().hex, timeout=GENERATION_TIMEOUT))
