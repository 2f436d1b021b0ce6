"""Who an interpellation writes to: a recipient rule or chosen officials, within the
collective's territory."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaigns.advocacy.models import Campaign
from campaigns.collectives.access import is_staff
from campaigns.collectives.models import Collective
from campaigns.letters.models import Interpellation
from campaigns.pledges.models import Pledge, counted_pledges
from officials.models import Mandate, Official

RULE_ROLES = {
    Interpellation.RecipientRule.MAYORS: [Mandate.Role.MAYOR],
    Interpellation.RecipientRule.MAYORS_AND_DEPUTIES: [Mandate.Role.MAYOR, Mandate.Role.DEPUTY_MAYOR],
    Interpellation.RecipientRule.COUNCIL: list(Mandate.MUNICIPAL_ROLES),
}


def rule_municipalities(*, collective: Collective, campaign: Campaign | None) -> list[str]:
    """Municipalities where pledges were signed: the campaign's (or the collective's)."""
    pledges = Pledge.objects.filter(counted_pledges())
    if campaign is not None and campaign.municipalities.exists():
        pledges = pledges.filter(municipality__in=campaign.municipalities.all())
    else:
        pledges = pledges.filter(collective=collective)
    return sorted(set(pledges.values_list("municipality_id", flat=True)))


def recipients_resolve(
    *,
    collective: Collective,
    campaign: Campaign | None,
    rule: str,
    officials: list[Official],
    territory: set[str] | None = None,
) -> list[Mandate]:
    """The current mandate each letter is addressed under (its title and town hall).

    With a ``territory`` (INSEE codes), letters go to officials of those municipalities
    only: a rule keeps to them, and a chosen official elsewhere is refused by name."""
    current = Mandate.objects.current().select_related("official", "municipality").in_protocol_order()
    chosen: dict[int, Mandate] = {}
    if rule:
        municipalities = rule_municipalities(collective=collective, campaign=campaign)
        if territory is not None:
            municipalities = [code for code in municipalities if code in territory]
        for mandate in current.filter(municipality__in=municipalities, role__in=RULE_ROLES[rule]):
            chosen.setdefault(mandate.official_id, mandate)
    if officials:
        by_official, elsewhere = {}, set()
        for mandate in current.filter(official__in=officials):
            if territory is not None and mandate.municipality_id not in territory:
                elsewhere.add(mandate.official_id)
                continue
            by_official.setdefault(mandate.official_id, mandate)
        outside = []
        for official in officials:
            mandate = by_official.get(official.pk)
            if mandate is None and official.pk in elsewhere:
                outside.append(
                    _("%(name)s n'est élu·e dans aucune commune du territoire du collectif « %(collective)s ».")
                    % {"name": official, "collective": collective.name}
                )
                continue
            if mandate is None:
                raise ValidationError({"officials": [_("%(name)s n'a pas de mandat en cours.") % {"name": official}]})
            chosen.setdefault(official.pk, mandate)
        if outside:
            raise ValidationError({"officials": list(dict.fromkeys(outside))})
    return list(chosen.values())


def recipients_of(
    *, collective: Collective, campaign: Campaign | None, rule: str, officials: list[Official], by
) -> list[Mandate]:
    """The mandates an interpellation by ``by`` writes to; refused when there is none.
    Staff write to any official; collectives to those of their territory."""
    territory = None if is_staff(by) else territory_codes([collective.pk])[collective.pk]
    mandates = recipients_resolve(
        collective=collective, campaign=campaign, rule=rule, officials=list(officials), territory=territory
    )
    if not mandates:
        raise ValidationError({"officials": [_("Aucun·e destinataire : choisissez des élu·es ou une règle.")]})
    return mandates


def territory_codes(collective_ids) -> dict[int, set[str]]:
    """{collective id: INSEE codes of its territory}, in one query."""
    codes = {collective_id: set() for collective_id in collective_ids}
    for collective_id, code in Collective.territory.through.objects.filter(collective_id__in=list(codes)).values_list(
        "collective_id", "municipality_id"
    ):
        codes[collective_id].add(code)
    return codes
