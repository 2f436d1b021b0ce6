"""Letter templates, written by these services from the API and the admin: shared ones by
staff only, a collective's by its members; checked before they are saved (they compile,
render a sample letter, and fit the page limit)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.collectives.access import content_check, is_staff
from campaigns.letters import lettering
from campaigns.letters.models import LetterTemplate
from campaigns.letters.sandbox import RenderTimeout, with_deadline
from campaigns.letters.services.merge_fields import sample_context
from campaigns.letters.services.rendering import LETTER_CSS, letter_html, max_pages
from tasks.pdf import count_pages, preload

# The fields of a template written in the template language (the API and the admin check these).
TEMPLATE_FIELDS = ("subject", "body", "closing")


def _owner_check(*, by, template: LetterTemplate, fields: dict) -> None:
    collective = fields.get("collective", template.collective)
    shared = collective is None or (template.pk is not None and template.collective_id is None)
    if shared and by is not None and not is_staff(by):
        message = _("Seule l'équipe nationale publie des modèles partagés ; indiquez votre collectif.")
        raise ValidationError({"collective": [message]})
    before = (template.collective, []) if template.pk is not None else None
    content_check(by=by, collective=collective, before=before)


def _save(template: LetterTemplate, *, by, fields: dict) -> LetterTemplate:
    _owner_check(by=by, template=template, fields=fields)
    template_check({name: fields[name] for name in TEMPLATE_FIELDS if name in fields}, current=template)
    for name, value in fields.items():
        setattr(template, name, value)
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def template_create(*, by, template: LetterTemplate | None = None, **fields) -> LetterTemplate:
    """A new template by ``by`` (None: the system); ``template`` is an unsaved one to fill in
    (the admin's form gives one, and goes on with it)."""
    return _save(template or LetterTemplate(), by=by, fields=fields)


@transaction.atomic
def template_update(*, template: LetterTemplate, by, **fields) -> LetterTemplate:
    """Change ``template`` (as stored) by ``by`` (None: the system)."""
    return _save(template, by=by, fields=fields)


def template_check(fields: dict[str, str], *, current: LetterTemplate | None = None) -> None:
    """Refuse, field by field, a template that does not compile or fails on a sample letter,
    then one whose sample letter is longer than the page limit. ``current``: the template
    being edited, for the fields an edit leaves as they are."""
    errors = {}
    for field, source in fields.items():
        try:
            lettering.validate({field: source}, sample_context())
        except lettering.TemplateInvalid as exc:
            errors[field] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    if "body" in fields or "closing" in fields:
        whole = {name: fields.get(name, getattr(current, name, "") or "") for name in TEMPLATE_FIELDS}
        template_pages_check(**whole)


def template_pages_check(*, subject: str, body: str, closing: str) -> None:
    """Lay the sample letter out as the PDF would be, with a deadline, and refuse a template
    whose letter would be longer than LETTER_MAX_PAGES."""
    _subject, section = letter_html(LetterTemplate(subject=subject, body=body, closing=closing), sample_context())
    preload()  # the first import of WeasyPrint is not the template's time
    seconds = getattr(settings, "LETTER_CHECK_SECONDS", 5)
    try:
        pages = with_deadline(lambda: count_pages([section], head=LETTER_CSS), seconds)
    except RenderTimeout as exc:
        message = _("Le courrier d'exemple met plus de %(seconds)s s à mettre en page : raccourcissez le modèle.")
        raise ValidationError({"body": [message % {"seconds": seconds}]}) from exc
    if pages > max_pages():
        message = _("Le courrier d'exemple fait %(pages)s pages ; un courrier en compte au plus %(max)s.")
        raise ValidationError({"body": [message % {"pages": pages, "max": max_pages()}]})
