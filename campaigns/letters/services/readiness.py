"""Before an interpellation is created: what would make its letters look wrong.

Each item has a code, a French message, whether it blocks the sending (the API refuses an
interpellation with a blocking item unless the caller confirms) and what it concerns. The
letters are rendered as they would be, one per municipality (officials of one town hall
differ only by name), so that what is checked is what would be printed."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from markupsafe import escape

from campaigns.advocacy.models import Campaign
from campaigns.collectives.models import Collective, Membership
from campaigns.letters import lettering
from campaigns.letters.models import Interpellation, Letter, LetterTemplate
from campaigns.letters.services.addressing import has_postal_address, letter_addressing, refused_addresses
from campaigns.letters.services.merge_fields import batch_of, letter_context
from campaigns.letters.services.recipients import recipients_of
from campaigns.letters.services.rendering import LETTER_CSS, letter_html, max_pages
from officials.models import Municipality, Official
from tasks.pdf import html_sections_to_pdfs


@dataclass(frozen=True)
class ReadinessItem:
    code: str
    message: str
    blocking: bool
    # What it concerns: "measure", "official", "signatory", "collective" or "template", its id and name.
    concerns: str
    object_id: str
    label: str

    def as_dict(self) -> dict:
        return asdict(self)


class InterpellationNotReady(Exception):
    """Blocking items remain and the caller did not confirm."""

    def __init__(self, items: list[ReadinessItem]):
        self.items = items
        super().__init__(
            _("Des courriers auraient l'air faux : corrigez les points bloquants, ou confirmez l'envoi (confirm).")
        )


def is_ready(items: list[ReadinessItem]) -> bool:
    return not any(item.blocking for item in items)


def interpellation_readiness(
    *,
    collective: Collective,
    template: LetterTemplate,
    by,
    campaign: Campaign | None = None,
    subject: str = "",
    officials: list[Official] = (),
    recipient_rule: str = "",
    delivery: str = Interpellation.Delivery.PDF,
    town_hall_email: bool | None = None,
) -> list[ReadinessItem]:
    """What would make the letters of this would-be interpellation look wrong."""
    if town_hall_email is None:
        town_hall_email = settings.LETTERS_TOWN_HALL_EMAIL
    mandates = recipients_of(
        collective=collective, campaign=campaign, rule=recipient_rule, officials=list(officials), by=by
    )
    interpellation = Interpellation(
        collective=collective,
        campaign=campaign,
        template=template,
        subject=subject,
        delivery=delivery,
        town_hall_email=town_hall_email,
    )
    towns = Municipality.objects.select_related("department").in_bulk(
        {mandate.municipality_id for mandate in mandates if mandate.municipality_id}
    )
    letters = [
        Letter(
            interpellation=interpellation,
            official=mandate.official,
            municipality=towns.get(mandate.municipality_id),
            role=mandate.role,
        )
        for mandate in mandates
    ]
    return [
        *_collective_items(collective),
        *_address_items(letters),
        *_rendering_items(letters, template=template, subject=subject),
    ]


def _collective_items(collective: Collective) -> list[ReadinessItem]:
    items = []
    if not collective.postal_address.strip():
        items.append(
            ReadinessItem(
                "collective_without_address",
                _("Le collectif « %(name)s » n'a pas d'adresse postale : l'en-tête des courriers serait vide.")
                % {"name": collective.name},
                True,
                "collective",
                str(collective.pk),
                collective.name,
            )
        )
    signatories = list(
        Membership.objects.filter(collective=collective, signs_letters=True).select_related("user").order_by("pk")
    )
    for membership in signatories:
        user = membership.user
        if not (user.first_name.strip() and user.last_name.strip()):
            items.append(
                ReadinessItem(
                    "signatory_without_name",
                    _(
                        "%(user)s signe les courriers mais n'a pas de prénom et de nom : un courrier se signe "
                        "du nom complet, jamais de l'identifiant. Complétez son profil."
                    )
                    % {"user": user.get_username()},
                    True,
                    "signatory",
                    str(user.pk),
                    user.get_username(),
                )
            )
    if not signatories:
        items.append(
            ReadinessItem(
                "no_signatory",
                _("Aucun·e membre ne signe les courriers : ils seront signés du seul nom du collectif."),
                False,
                "collective",
                str(collective.pk),
                collective.name,
            )
        )
    return items


def _address_items(letters: list[Letter]) -> list[ReadinessItem]:
    refused = refused_addresses(letters)
    items = []
    for letter in letters:
        if letter_addressing(letter, refused=refused).by_email or has_postal_address(letter.municipality):
            continue
        place = letter.municipality.name if letter.municipality else _("aucune commune")
        items.append(
            ReadinessItem(
                "official_without_address",
                _(
                    "%(name)s (%(place)s) n'a ni adresse électronique utilisable ni adresse postale de mairie : "
                    "le courrier ne pourrait être ni envoyé ni posté. Importez les mairies ou complétez la commune."
                )
                % {"name": letter.official, "place": place},
                True,
                "official",
                str(letter.official.pk),
                str(letter.official),
            )
        )
    return items


def _rendering_items(letters: list[Letter], *, template: LetterTemplate, subject: str) -> list[ReadinessItem]:
    batch = batch_of(letters)
    first_of_town: dict[str | None, Letter] = {}
    for letter in letters:
        first_of_town.setdefault(letter.municipality_id, letter)
    items, placeholders, longest = [], {}, ""
    for letter in first_of_town.values():
        try:
            rendered_subject, section = letter_html(template, letter_context(letter, batch), subject=subject)
        except lettering.TemplateInvalid as exc:
            return [
                ReadinessItem(
                    "template_invalid",
                    _("Le modèle ne produit pas ce courrier (%(place)s) : %(error)s")
                    % {"place": letter.municipality or letter.official, "error": exc},
                    True,
                    "template",
                    str(template.pk),
                    template.name,
                )
            ]
        pledge = batch.pledges.get(letter.municipality_id)
        for item in pledge.items if pledge else ():
            measure = item.measure
            if measure.title_is_placeholder and str(escape(measure.title)) in rendered_subject + section:
                placeholders.setdefault(measure.pk, measure)
        longest = max(longest, section, key=len)
    for measure in placeholders.values():
        items.append(
            ReadinessItem(
                "placeholder_title",
                _(
                    "La mesure %(code)s porte encore un intitulé provisoire (« %(title)s ») que les courriers "
                    "imprimeraient : complétez-le (administration, Mesures) avant d'envoyer."
                )
                % {"code": measure.code, "title": measure.title},
                True,
                "measure",
                str(measure.pk),
                str(measure),
            )
        )
    if longest:
        _pdfs, (pages,) = html_sections_to_pdfs([longest], head=LETTER_CSS)
        if pages > max_pages():
            items.append(
                ReadinessItem(
                    "over_page_limit",
                    _("Le courrier le plus long ferait %(pages)s pages, au-delà de la limite de %(max)s.")
                    % {"pages": pages, "max": max_pages()},
                    True,
                    "template",
                    str(template.pk),
                    template.name,
                )
            )
    return items
