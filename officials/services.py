"""Writes of municipalities made by people (admin, API): the town hall fields they set are
recorded, so that the directory import never overwrites them."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from officials.models import TOWN_HALL_FIELDS, Municipality


@transaction.atomic
def municipality_save(
    *, municipality: Municipality, changed: Iterable[str], edited: Iterable[str] | None = None
) -> Municipality:
    """Save a municipality a person changed. The town hall fields among ``changed`` join
    those set by hand (``edited`` when the person chose the list, as the admin lets them:
    a field left out goes back to the import)."""
    kept = set(municipality.town_hall_edited if edited is None else edited)
    kept |= set(changed)
    municipality.town_hall_edited = [name for name in TOWN_HALL_FIELDS if name in kept]
    municipality.save()
    return municipality
