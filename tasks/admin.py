"""Loaded by the admin: each concept registers its own models."""

from tasks.jobs import admin as jobs_admin
from tasks.outbox import admin as outbox_admin

__all__ = ["jobs_admin", "outbox_admin"]
