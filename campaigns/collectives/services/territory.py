"""A collective's territory: coordinators ask for municipalities, staff decide.

The territory lets members assess, read reviews in progress, record pledges and write to
officials there, so widening it is staff's decision; narrowing it takes nothing from anyone
else and stays with the coordinators."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.collectives.access import is_coordinator, is_staff
from campaigns.collectives.models import Collective, TerritoryRequest
from officials.models import Municipality


@transaction.atomic
def territory_set(*, collective: Collective, municipalities: list[Municipality], by) -> None:
    """Set the territory: staff freely; others may only remove municipalities."""
    wanted = {municipality.pk for municipality in municipalities}
    added = wanted - set(collective.territory.values_list("pk", flat=True))
    if added and not is_staff(by):
        raise ValidationError(
            {
                "territory": [
                    _(
                        "L'ajout de %(codes)s au territoire se demande à l'équipe nationale : "
                        "POST /api/territory-requests/ (collectif et commune)."
                    )
                    % {"codes": ", ".join(sorted(added))}
                ]
            }
        )
    collective.territory.set(municipalities)


@transaction.atomic
def territory_request_create(*, collective: Collective, municipality: Municipality, by) -> TerritoryRequest:
    """Ask for a municipality (coordinators; ``by=None``, the system, too); staff's own
    request is approved at once."""
    if by is not None and not is_coordinator(by, collective.pk):
        raise PermissionDenied(_("Seul·es les coordinateur·rices du collectif demandent l'ajout d'une commune."))
    if collective.territory.filter(pk=municipality.pk).exists():
        raise ValidationError(
            {"municipality": [_("%(code)s fait déjà partie du territoire du collectif.") % {"code": municipality.pk}]}
        )
    pending = TerritoryRequest.objects.filter(
        collective=collective, municipality=municipality, state=TerritoryRequest.State.PENDING
    )
    if pending.exists():
        raise ValidationError(
            {
                "municipality": [
                    _("Une demande pour %(code)s attend déjà la décision de l'équipe nationale.")
                    % {"code": municipality.pk}
                ]
            }
        )
    request = TerritoryRequest.objects.create(
        collective=collective, municipality=municipality, requested_by=by if by and by.is_authenticated else None
    )
    if is_staff(by):
        request = territory_request_decide(request=request, approve=True, by=by)
    return request


@transaction.atomic
def territory_request_decide(*, request: TerritoryRequest, approve: bool, by) -> TerritoryRequest:
    """Staff approve (the municipality joins the territory) or refuse a pending request."""
    if not is_staff(by):
        raise PermissionDenied(_("Seule l'équipe nationale décide des demandes de territoire."))
    # Locked: two decisions at once make one.
    request = TerritoryRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != TerritoryRequest.State.PENDING:
        raise ValidationError(
            _("Cette demande a déjà été traitée (%(state)s).") % {"state": request.get_state_display()}
        )
    if approve:
        request.collective.territory.add(request.municipality_id)
    request.state = TerritoryRequest.State.APPROVED if approve else TerritoryRequest.State.REFUSED
    request.decided_by, request.decided_at = by, timezone.now()
    request.save(update_fields=["state", "decided_by", "decided_at"])
    return request
