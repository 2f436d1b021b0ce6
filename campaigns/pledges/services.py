"""Pledges with their measures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.collectives.access import content_check, content_update_check, is_staff
from campaigns.collectives.models import Collective
from campaigns.pacts.models import Measure, MeasureLevel, Pact
from campaigns.pledges.models import Pledge, PledgedMeasure
from core.cache import MAP, new_generation
from officials.models import Municipality, Official


@dataclass(frozen=True)
class PledgedMeasureInput:
    measure: Measure
    level: MeasureLevel | None = None
    local_wording: str = ""


def pledged_measures_check(*, pact: Pact, items: list[PledgedMeasureInput]) -> None:
    """Raise a ValidationError (French, keyed ``measures``) if ``items`` break the pact's rules.

    Each message about one item names its position in the list (1-based) and its code.
    """
    problems = []
    seen: dict[int, int] = {}
    for position, item in enumerate(items, start=1):
        where = {"position": position, "code": item.measure.code}
        if item.measure.pact_id != pact.pk:
            problems.append(_("Mesure n°%(position)s (%(code)s) : elle appartient à un autre pacte.") % where)
        elif item.measure.pk in seen:
            problems.append(
                _("Mesure n°%(position)s (%(code)s) : elle figure déjà en position %(other)s.")
                % {**where, "other": seen[item.measure.pk]}
            )
        else:
            seen[item.measure.pk] = position
        if item.level is not None and item.level.measure_id != item.measure.pk:
            problems.append(
                _("Mesure n°%(position)s (%(code)s) : le niveau %(rank)s est un niveau d'une autre mesure.")
                % {**where, "rank": item.level.rank}
            )
    if problems:
        raise ValidationError({"measures": problems})

    measures = sum(1 for item in items if item.measure.kind == Measure.Kind.MEASURE)
    if measures < pact.min_measures:
        problems.append(
            _("Au moins %(min)s mesures doivent être choisies ; %(count)s le sont.")
            % {"min": pact.min_measures, "count": measures}
        )
    if pact.principles_required:
        principles = pact.measures.filter(kind=Measure.Kind.PRINCIPLE).values_list("pk", "code")
        missing = [code for pk, code in principles if pk not in seen]
        if missing:
            problems.append(
                _("Les principes transversaux sont obligatoires ; il manque : %(codes)s.")
                % {"codes": ", ".join(missing)}
            )
    if problems:
        raise ValidationError({"measures": problems})


def _write_measures(pledge: Pledge, items: Iterable[PledgedMeasureInput]) -> None:
    # Replace the selection as a whole: what the list signed is one document.
    existing = {pm.measure_id: pm for pm in pledge.measures.all()}
    keep = set()
    to_create, to_update = [], []
    for item in items:
        keep.add(item.measure.pk)
        current = existing.get(item.measure.pk)
        if current is None:
            to_create.append(
                PledgedMeasure(pledge=pledge, measure=item.measure, level=item.level, local_wording=item.local_wording)
            )
        elif (current.level_id, current.local_wording) != (item.level.pk if item.level else None, item.local_wording):
            current.level, current.local_wording = item.level, item.local_wording
            to_update.append(current)
    pledge.measures.exclude(measure_id__in=keep).delete()
    PledgedMeasure.objects.bulk_create(to_create)
    PledgedMeasure.objects.bulk_update(to_update, ["level", "local_wording"])


def _owner_check(*, by, collective: Collective | None) -> None:
    # Staff record pledges no collective obtained; members say which of theirs did.
    if collective is None and by is not None and not is_staff(by):
        raise ValidationError({"collective": [_("Indiquez le collectif qui a obtenu ce pacte.")]})


@transaction.atomic
def pledge_create(
    *,
    pact: Pact,
    municipality: Municipality,
    list_name: str,
    measures: list[PledgedMeasureInput],
    by,
    collective: Collective | None = None,
    head_of_list: Official | None = None,
    head_of_list_name: str = "",
    signed_on: dt.date | None = None,
    election_outcome: str = Pledge.Outcome.UNKNOWN,
    notes: str = "",
    pledge: Pledge | None = None,
) -> Pledge:
    """A new pledge and its measures, by ``by`` (None: the system). ``pledge`` is an unsaved
    one to fill in (the admin's form gives one, and goes on with it)."""
    content_check(by=by, collective=collective, municipalities=[municipality])
    _owner_check(by=by, collective=collective)
    pledged_measures_check(pact=pact, items=measures)
    pledge = pledge or Pledge()
    values = {
        "pact": pact,
        "municipality": municipality,
        "list_name": list_name,
        "collective": collective,
        "head_of_list": head_of_list,
        "head_of_list_name": head_of_list_name,
        "signed_on": signed_on,
        "election_outcome": election_outcome,
        "notes": notes,
        "created_by": by if by is not None and by.is_authenticated else None,
    }
    for name, value in values.items():
        setattr(pledge, name, value)
    pledge.full_clean()
    pledge.save()
    _write_measures(pledge, measures)
    new_generation(MAP)
    return pledge


@transaction.atomic
def pledge_update(*, pledge: Pledge, by, measures: list[PledgedMeasureInput] | None = None, **fields) -> Pledge:
    """Change ``pledge`` (as stored) by ``by`` (None: the system); ``measures``, when given,
    replace its selection. A new pact re-checks the measures kept."""
    content_update_check(by=by, row=pledge, fields=fields)
    _owner_check(by=by, collective=fields.get("collective", pledge.collective))
    pact_changes = "pact" in fields and fields["pact"].pk != pledge.pact_id
    for name, value in fields.items():
        setattr(pledge, name, value)
    if measures is None and pact_changes:
        # The measures kept must be the new pact's: checked as if sent again.
        measures = [
            PledgedMeasureInput(measure=item.measure, level=item.level, local_wording=item.local_wording)
            for item in pledge.measures.select_related("measure", "level").order_by("pk")
        ]
    if measures is not None:
        pledged_measures_check(pact=pledge.pact, items=measures)
    pledge.full_clean()
    pledge.save()
    if measures is not None:
        _write_measures(pledge, measures)
    new_generation(MAP)
    return pledge


@transaction.atomic
def pledge_delete(*, pledge: Pledge) -> None:
    pledge.delete()
    new_generation(MAP)
