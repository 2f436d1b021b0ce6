"""One PostgreSQL test database per test run, so that two runs against one server (two
checkouts, two `make test` at once) never share or drop each other's.

A run names its database ``<test name>_run_<token>`` and holds a session advisory lock on
that name, on a connection of its own, from before the database is created until after it is
dropped. A database of that pattern whose lock nobody holds was left by a run that died: the
next run drops it. The lock goes with the connection, so a killed run releases it at once,
and a live run's database is never taken for a stale one, on this machine or another.
"""

from __future__ import annotations

import secrets

import psycopg
from psycopg import sql

MAX_NAME = 63  # PostgreSQL cuts longer identifiers
LOCK_NAMESPACE = 0x7061_6374  # the first key of the lock pair; the second is the name's hash
MAINTENANCE_DATABASE = "postgres"


def run_database_name(base: str) -> str:
    """``base`` (the configured test name) with the suffix of this run."""
    suffix = f"_run_{secrets.token_hex(4)}"
    return base[: MAX_NAME - len(suffix)] + suffix


def stale_pattern(base: str) -> str:
    """The LIKE pattern of the databases of runs of ``base`` (``_`` escaped)."""
    prefix = base[: MAX_NAME - len("_run_") - 8]
    return prefix.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "\\_run\\_%"


def connect_maintenance(params: dict) -> psycopg.Connection:
    return psycopg.connect(**{**params, "dbname": MAINTENANCE_DATABASE}, autocommit=True)


def _try_lock(connection: psycopg.Connection, name: str) -> bool:
    query = "SELECT pg_try_advisory_lock(%s, hashtext(%s))"
    return connection.execute(query, (LOCK_NAMESPACE, name)).fetchone()[0]


def _unlock(connection: psycopg.Connection, name: str) -> None:
    connection.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", (LOCK_NAMESPACE, name))


def claim(params: dict, name: str) -> psycopg.Connection:
    """Hold ``name`` for this run: the returned connection keeps the lock until it is closed."""
    connection = connect_maintenance(params)
    if not _try_lock(connection, name):
        connection.close()
        raise RuntimeError(f"the test database name {name} is held by another run")
    return connection


def drop_stale(params: dict, base: str) -> list[str]:
    """Drop the databases of dead runs of ``base``; those of live runs stay. Returns the names."""
    dropped = []
    with connect_maintenance(params) as connection:
        query = "SELECT datname FROM pg_database WHERE datname LIKE %s"
        for (name,) in connection.execute(query, (stale_pattern(base),)).fetchall():
            if not _try_lock(connection, name):
                continue  # a live run's
            try:
                # FORCE: what a dead run left connected (a worker process it started) goes too.
                connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
                dropped.append(name)
            finally:
                _unlock(connection, name)
    return dropped
