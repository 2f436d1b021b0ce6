"""Helpers of the services that write a row from a dict of fields (the API's validated data,
the admin's cleaned data)."""

from __future__ import annotations

from collections.abc import Iterable


def save_with_relations(instance, fields: dict, relations: Iterable[str] = ()) -> None:
    """Set ``fields`` on ``instance``, save it, then set the many-to-many ``relations``
    among them (which need the row's key first)."""
    related = {name: fields.pop(name) for name in relations if name in fields}
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save()
    for name, values in related.items():
        getattr(instance, name).set(values)


def author(by):
    """Who to record as the author: a signed-in user, or nobody (a command, a worker)."""
    return by if by is not None and by.is_authenticated else None
