"""Writes of initiatives: the API, the admin and the imports save them through these."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.advocacy.selectors import campaigns_visible_to
from campaigns.collectives.access import content_check, is_coordinator, is_staff
from campaigns.gatherings.selectors import events_visible_to
from campaigns.initiatives.models import Initiative
from core.cache import MAP, new_generation

RELATIONS = ("themes", "campaigns", "events")


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


def _links_check(*, by, fields: dict, before: Initiative | None = None) -> None:
    """The campaigns and events an initiative is linked to are those ``by`` may read (None,
    the system: any). Only the links it adds are checked: a campaign made private since
    keeps its link."""
    if by is None:
        return
    for name, visible, label in (
        ("campaigns", campaigns_visible_to, _("La campagne « %(title)s » ne vous est pas visible.")),
        ("events", events_visible_to, _("La rencontre « %(title)s » ne vous est pas visible.")),
    ):
        if name not in fields:
            continue
        kept = set(getattr(before, name).values_list("pk", flat=True)) if before is not None else set()
        added = {row.pk: row for row in fields[name] if row.pk not in kept}
        allowed = set(visible(by).filter(pk__in=list(added)).values_list("pk", flat=True))
        hidden = [row for pk, row in sorted(added.items()) if pk not in allowed]
        if hidden:
            raise ValidationError({name: [label % {"title": hidden[0].title}]})


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
    _links_check(by=by, fields=fields)
    fields.pop("status", None)
    initiative = initiative or Initiative()
    initiative.status = Initiative.Status.PROPOSED
    initiative.created_by = by if by is not None and by.is_authenticated else None
    return _save(initiative, fields)


@transaction.atomic
def initiative_update(*, initiative: Initiative, by, **fields) -> Initiative:
    """Change ``initiative`` (as stored). A change by someone who may not validate sends a
    validated initiative back to the coordinators. ``campaigns`` and ``events``, when given,
    replace its links."""
    collective = fields.get("collective", initiative.collective)
    _writer_check(
        by=by,
        collective=collective,
        municipality=fields.get("municipality", initiative.municipality),
        before=initiative,
    )
    _links_check(by=by, fields=fields, before=initiative)
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
