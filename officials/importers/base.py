"""Reading open-data CSV files: encoding and separator detection, header checks,
line-numbered rows and date parsing; writing many rows at once."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.utils.translation import gettext as _

from core.tabular import RowError


@dataclass
class ImportReport:
    """What an import read and changed. ``created``/``updated``/``unchanged`` count the
    file's main records: municipalities for the COG, mandates for the RNE."""

    kind: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ended: int = 0
    skipped: int = 0
    officials_created: int = 0
    officials_updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def rejected(self) -> int:
        return len(self.errors)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.ended or self.officials_created or self.officials_updated)

    def summary(self) -> str:
        values = {
            name: getattr(self, name)
            for name in (
                "rows",
                "created",
                "updated",
                "unchanged",
                "ended",
                "skipped",
                "rejected",
                "officials_created",
                "officials_updated",
            )
        }
        if self.kind == "contours":
            text = (
                _(
                    "%(rows)s entités lues. Contours : %(created)s créés, %(updated)s mis à jour, "
                    "%(unchanged)s inchangés ; %(rejected)s entités ignorées."
                )
                % values
            )
        elif self.kind == "initiatives":
            text = (
                _(
                    "%(rows)s lignes lues. Initiatives : %(created)s créées, %(updated)s mises à jour ; "
                    "%(rejected)s lignes rejetées."
                )
                % values
            )
        elif self.kind == "cog":
            text = (
                _(
                    "%(rows)s lignes lues. Communes : %(created)s créées, %(updated)s mises à jour, "
                    "%(unchanged)s inchangées ; %(skipped)s lignes ignorées, %(rejected)s rejetées."
                )
                % values
            )
        elif self.kind == "townhalls":
            text = (
                _(
                    "%(rows)s mairies lues. Communes : %(updated)s mises à jour, %(unchanged)s inchangées ; "
                    "%(skipped)s mairies annexes ou en double écartées, %(rejected)s rejetées."
                )
                % values
            )
        else:
            text = (
                _(
                    "%(rows)s lignes lues. Élu·es : %(officials_created)s créé·es, "
                    "%(officials_updated)s mis·es à jour. "
                    "Mandats : %(created)s créés, %(updated)s mis à jour, %(unchanged)s inchangés, "
                    "%(ended)s terminés ; %(rejected)s lignes rejetées."
                )
                % values
            )
        if self.dry_run:
            text += " " + _("Simulation : rien n'a été écrit.")
        return text


class ImportRowsInvalid(Exception):
    """Some rows are invalid and the import was asked to be all or nothing."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(_("%(count)s ligne(s) invalide(s) : rien n'a été importé.") % {"count": report.rejected})


def normalize_insee_code(value: str) -> str:
    """Spreadsheets drop leading zeros ("1001" for "01001"): put them back."""
    value = value.strip().upper()
    if value.isdigit() and len(value) < 5:
        value = value.zfill(5)
    return value


def chunked(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while an import runs.

    A plan of half a million rows is millions of objects that live until the end and
    hold no cycles; the collector would walk all of them again and again as they are
    created, for several seconds and nothing to free.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def sqlite_page_cache(size_kib: int, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """On SQLite, give the connection a page cache of ``size_kib`` during an import.

    SQLite's default cache is 2 MB: filling indexes on random keys (identity digests,
    folded names) larger than that re-reads pages from the file for every few rows.
    Other databases manage their own buffers; nothing is done for them.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(size_kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def refresh_statistics(*models: type[Model], using: str = DEFAULT_DB_ALIAS) -> None:
    """After a bulk load, tell PostgreSQL's planner how large the tables have become.

    Until autovacuum comes by, the planner keeps the estimates of the tables before the
    load and can pick a plan that reads a whole table for every query (a re-import just
    after a first import took twice as long). SQLite plans without statistics.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(quote(model._meta.db_table) for model in models)}")


# Field types whose values the database driver may not take as Python objects
# (SQLite stores dates as text): they go through the field's own conversion.
_CONVERTED_TYPES = {"DateField", "DateTimeField", "TimeField", "DecimalField", "UUIDField"}


def _converter(model_field, connection) -> Callable[[Any], Any] | None:
    """The field's conversion to a database value, once per distinct value: dates repeat."""
    if model_field.get_internal_type() not in _CONVERTED_TYPES:
        return None
    converted: dict = {}

    def convert(value):
        try:
            return converted[value]
        except KeyError:
            result = converted[value] = model_field.get_db_prep_save(value, connection)
            return result

    return convert


def insert_rows(
    model: type[Model],
    fields: Sequence[str],
    rows: Iterable[Sequence],
    *,
    using: str = DEFAULT_DB_ALIAS,
    batch_size: int = 5000,
) -> int:
    """Insert plain tuples of values of ``fields`` into the table of ``model``; return how many.

    ``bulk_create`` builds a model instance per row and prepares every value through its
    field: at the size of the RNE (half a million rows) that alone takes over a minute on
    a small server. This writes the same rows from tuples: PostgreSQL loads them with
    COPY, other databases with one INSERT executed for many rows.

    No ``save()``, no signals, no ``auto_now``: the caller gives every value. Dates,
    times, decimals and UUIDs go through their field's conversion; other values go to
    the driver as they are (text, numbers, booleans, None, primary keys). Fields left
    out take their default; the primary key comes from the database and is not
    returned. Call it inside a transaction.
    """
    connection = connections[using]
    meta = model._meta
    given = [meta.get_field(name) for name in fields]
    rest = [f for f in meta.concrete_fields if f not in given and f is not meta.auto_field]
    for model_field in rest:
        if model_field.has_default() and callable(model_field.default):
            # Evaluated once here, it would give every row the same value.
            raise ValueError(f"insert_rows: give {model_field.name}, its default is computed per row.")
    converters = [(i, convert) for i, f in enumerate(given) if (convert := _converter(f, connection))]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)

    def prepared() -> Iterator[list]:
        for row in rows:
            values = [*row, *defaults]
            for i, convert in converters:
                values[i] = convert(values[i])
            yield values

    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(f.column) for f in [*given, *rest])
    count = 0
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if connection.vendor == "postgresql" and hasattr(cursor.cursor, "copy"):  # psycopg 3
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for values in prepared():
                    copy.write_row(values)
                    count += 1
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * (len(given) + len(rest)))})"
            pending = prepared()
            while batch := list(islice(pending, batch_size)):
                cursor.executemany(sql, batch)
                count += len(batch)
    return count
