"""A template's preview: the letter one official would get, rendered for one of your collectives."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaigns.advocacy.models import Campaign
from campaigns.collectives.access import is_member, roles_of
from campaigns.collectives.models import Collective
from campaigns.letters import lettering
from campaigns.letters.models import Interpellation, Letter, LetterTemplate
from campaigns.letters.services.interpellations import interpellation_parts_check
from campaigns.letters.services.merge_fields import preview_context
from campaigns.letters.services.readiness import ReadinessItem, interpellation_readiness
from campaigns.letters.services.rendering import letter_html
from officials.models import Mandate, Official


def template_preview(
    *,
    template: LetterTemplate,
    official: Official,
    by,
    collective: Collective | None = None,
    campaign: Campaign | None = None,
) -> tuple[str, str, list[ReadinessItem]]:
    """(subject, HTML, readiness items) of the letter ``official`` would get, as
    ``collective`` (by default the template's, else the first of ``by``'s collectives)
    would send it."""
    collective = collective or template.collective
    if collective is None:
        memberships = list(roles_of(by))
        collective = Collective.objects.filter(pk__in=memberships).first() if memberships else None
    if collective is None or not is_member(by, collective.pk):
        raise ValidationError({"collective": [_("Indiquez un de vos collectifs.")]})
    interpellation_parts_check(collective=collective, template=template, campaign=campaign)
    mandate = Mandate.objects.current().filter(official=official).in_protocol_order().first()
    letter = Letter(
        interpellation=Interpellation(collective=collective, template=template, campaign=campaign),
        official=official,
        municipality=mandate.municipality if mandate else None,
        role=mandate.role if mandate else "",
    )
    try:
        subject, html = letter_html(template, preview_context(letter))
    except lettering.TemplateInvalid as exc:
        raise ValidationError({exc.field: [str(exc)]}) from exc
    items = _readiness(template=template, official=official, by=by, collective=collective, campaign=campaign)
    return subject, html, items


def _readiness(*, template, official, by, collective, campaign) -> list[ReadinessItem]:
    """The readiness check of an interpellation of this template to ``official`` by e-mail
    (a letter that could go by e-mail needs no postal address)."""
    try:
        return interpellation_readiness(
            collective=collective,
            template=template,
            by=by,
            campaign=campaign,
            officials=[official],
            delivery=Interpellation.Delivery.EMAIL,
        )
    except ValidationError as exc:
        # Outside the collective's territory, or without a current mandate.
        message = " ".join(exc.messages)
        return [ReadinessItem("recipient_refused", message, True, "official", str(official.pk), str(official))]
