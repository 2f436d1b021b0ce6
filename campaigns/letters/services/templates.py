"""Letter templates checked before they are saved: they compile, render a sample letter, and
fit the page limit."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaigns.letters import lettering
from campaigns.letters.models import LetterTemplate
from campaigns.letters.sandbox import RenderTimeout, with_deadline
from campaigns.letters.services.merge_fields import sample_context
from campaigns.letters.services.rendering import LETTER_CSS, letter_html, max_pages
from tasks.pdf import count_pages, preload

# The fields of a template written in the template language (the API and the admin check these).
TEMPLATE_FIELDS = ("subject", "body", "closing")


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
