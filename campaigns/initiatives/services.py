"""Writes of initiatives: the API, the admin and the imports save them through these."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.collectives.access import content_check, is_coordinator, is_staff
from campaigns.initiatives.models import Initiative
from core.cache import MAP, new_generation

RELATIONS = ("themes", "campaigns")


def can_validate(user, initiative: Initiative) -> bool:
    """The coordinators of the collective that follows it, and staff."""
    return is_staff(user) or (initiative.collective_id is not None and is_coordinator(user, initiative.collective_id))


def _writer_check(*, by, collective, municipality, before: Initiative | None = None) -> None:
    """Members write their collective's initiatives on its territory; rows of no collective
    (imports) are staff's."""
    if by is not None and not is_staff(by) and (collective is None or (before and before.collective_id is None)):
        raise ValidationError({"collective": [_("Choisissez le collectif qui suit cette initiative.")]})
    before_pair = (before.collective, [before.municipality]) if before is not None else None
    content_check(by=by, collective=collective, municipalities=[municipality], before=before_pair)


def _campaigns_check(collective, campaigns) -> None:
    others = [campaign for campaign in campaigns if collective is None or campaign.collective_id != collective.pk]
    if others:
        raise ValidationError(
            {"campaigns": [_("La campagne « %(title)s » n'est pas celle du collectif.") % {"title": others[0].title}]}
        )


def _save(initiative: Initiative, fields: dict) -> Initiative:
    relations = {name: fields.pop(name) for name in RELATIONS if name in fields}
    for name, value in fields.items():
        setattr(initiative, name, value)
    initiative.full_clean(exclude=["collective", "municipality", *RELATIONS], validate_unique=False)
    initiative.save()
    for name, values in relations.items():
        getattr(initiative, name).set(values)
    new_generation(MAP)
    return initiative


@transaction.atomic
def initiative_create(*, by, initiative: Initiative | None = None, **fields) -> Initiative:
    """A new initiative, proposed by ``by`` (None: the system) until a coordinator validates it."""
    _writer_check(by=by, collective=fields.get("collective"), municipality=fields.get("municipality"))
    _campaigns_check(fields.get("collective"), fields.get("campaigns", ()))
    fields.pop("status", None)
    initiative = initiative or Initiative()
    initiative.status = Initiative.Status.PROPOSED
    initiative.created_by = by if by is not None and by.is_authenticated else None
    return _save(initiative, fields)


@transaction.atomic
def initiative_update(*, initiative: Initiative, by, **fields) -> Initiative:
    """Change ``initiative`` (as stored). A change by someone who may not validate sends a
    validated initiative back to the coordinators."""
    collective = fields.get("collective", initiative.collective)
    _writer_check(
        by=by,
        collective=collective,
        municipality=fields.get("municipality", initiative.municipality),
        before=initiative,
    )
    if "campaigns" in fields or "collective" in fields:
        _campaigns_check(collective, fields.get("campaigns", initiative.campaigns.all()))
    fields.pop("status", None)
    if by is not None and not can_validate(by, initiative) and initiative.status == Initiative.Status.VALIDATED:
        fields.update(status=Initiative.Status.PROPOSED, validated_by=None, validated_at=None)
    return _save(initiative, fields)


@transaction.atomic
def initiative_validate(*, initiative: Initiative, by) -> Initiative:
    """A coordinator of its collective (or staff; None: the system) puts it on the public map."""
    if by is not None and not can_validate(by, initiative):
        raise ValidationError(
            {"status": [_("Seul·es les coordinateur·rices du collectif qui la suit valident une initiative.")]}
        )
    if initiative.status != Initiative.Status.VALIDATED:
        _save(
            initiative,
            {
                "status": Initiative.Status.VALIDATED,
                "validated_by": by if by is not None and by.is_authenticated else None,
                "validated_at": timezone.now(),
            },
        )
    return initiative


@transaction.atomic
def initiative_delete(*, initiative: Initiative) -> None:
    initiative.delete()
    new_generation(MAP)
