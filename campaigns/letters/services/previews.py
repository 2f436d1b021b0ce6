"""Previews: the letter one official would get from a template (saved or being edited) or
from a would-be interpellation, rendered for one of your collectives. Nothing is written."""

from __future__ import annotations

from dataclasses import dataclass
from html import unescape

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaigns.advocacy.models import Campaign
from campaigns.collectives.access import content_check, is_member, roles_of
from campaigns.collectives.models import Collective
from campaigns.letters import lettering
from campaigns.letters.models import Interpellation, Letter, LetterTemplate
from campaigns.letters.sandbox import RenderTimeout, with_deadline
from campaigns.letters.services.interpellations import interpellation_parts_check
from campaigns.letters.services.merge_fields import preview_context, sample_context
from campaigns.letters.services.readiness import ReadinessItem, interpellation_readiness
from campaigns.letters.services.recipients import recipients_of
from campaigns.letters.services.rendering import LETTER_CSS, letter_html
from officials.models import Mandate, Official
from tasks.pdf import html_sections_to_pdfs, preload


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


@dataclass(frozen=True)
class RenderedPreview:
    """A letter as it would be printed: its subject, its HTML section and its page count."""

    subject: str
    html: str
    pdf: bytes
    pages: int


def preview_pdf(html: str) -> tuple[bytes, int]:
    """(PDF, page count) of one letter's section, refused past LETTER_CHECK_SECONDS: a
    preview runs inside a web request."""
    preload()  # the first import of WeasyPrint is not the letter's time
    seconds = getattr(settings, "LETTER_CHECK_SECONDS", 5)
    try:
        (pdf,), (pages,) = with_deadline(lambda: html_sections_to_pdfs([html], head=LETTER_CSS), seconds)
    except RenderTimeout as exc:
        message = _("Le courrier met plus de %(seconds)s s à mettre en page : raccourcissez le modèle.")
        raise ValidationError({"body": [message % {"seconds": seconds}]}) from exc
    return pdf, pages


def template_draft_preview(
    *,
    subject: str,
    body: str,
    closing: str,
    by,
    collective: Collective | None = None,
    official: Official | None = None,
) -> RenderedPreview:
    """The letter an unsaved template text gives: to ``official`` through
    ``template_preview``, else the sample letter templates are checked on. A template
    that does not render is refused by field, with its line."""
    draft = LetterTemplate(collective=collective, subject=subject, body=body, closing=closing)
    if official is not None:
        rendered_subject, html, _items = template_preview(
            template=draft, official=official, by=by, collective=collective
        )
    else:
        try:
            rendered_subject, html = letter_html(draft, sample_context())
        except lettering.TemplateInvalid as exc:
            raise ValidationError({exc.field: [str(exc)]}) from exc
    pdf, pages = preview_pdf(html)
    return RenderedPreview(unescape(rendered_subject), html, pdf, pages)


def interpellation_preview(
    *,
    collective: Collective,
    template: LetterTemplate,
    by,
    official: Official,
    campaign: Campaign | None = None,
    subject: str = "",
) -> RenderedPreview:
    """The letter ``official`` would get from this would-be interpellation: addressed under
    the mandate the interpellation would use (within the collective's territory), with its
    real merge fields. Nothing is written."""
    content_check(by=by, collective=collective)
    interpellation_parts_check(collective=collective, template=template, campaign=campaign)
    [mandate] = recipients_of(collective=collective, campaign=campaign, rule="", officials=[official], by=by)
    letter = Letter(
        interpellation=Interpellation(collective=collective, template=template, campaign=campaign, subject=subject),
        official=official,
        municipality=mandate.municipality,
        role=mandate.role,
    )
    try:
        rendered_subject, html = letter_html(template, preview_context(letter), subject=subject)
    except lettering.TemplateInvalid as exc:
        raise ValidationError({exc.field: [str(exc)]}) from exc
    pdf, pages = preview_pdf(html)
    return RenderedPreview(unescape(rendered_subject), html, pdf, pages)
