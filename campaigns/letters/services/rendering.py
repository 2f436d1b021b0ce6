"""Rendering letters: one letter's HTML from its template and merge fields, and a chunk of
draft letters rendered to PDFs in one WeasyPrint document, then delivered."""

from __future__ import annotations

import logging
from collections import defaultdict
from html import unescape

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from campaigns.collectives.access import is_staff
from campaigns.letters import lettering
from campaigns.letters.models import Letter, LetterTemplate, rendered_subject
from campaigns.letters.services.addressing import recipient_lines
from campaigns.letters.services.delivery import letters_deliver
from campaigns.letters.services.downloads import interpellation_bundle
from campaigns.letters.services.merge_fields import batch_load, letter_context
from campaigns.letters.services.recipients import territory_codes
from tasks.jobs import services as jobs
from tasks.pdf import html_sections_to_pdfs

logger = logging.getLogger(__name__)


LETTER_CSS = '<link rel="stylesheet" href="static:campaigns/letter.css">'


def max_pages() -> int:
    return max(1, int(getattr(settings, "LETTER_MAX_PAGES", 10)))


def letter_html(
    template: LetterTemplate, context: dict, *, subject: str = "", reminder_number: int | None = None
) -> tuple[str, str]:
    """(subject, HTML section) of one letter from its template and merge fields."""
    subject = lettering.render("subject", subject or template.subject, context)
    body = lettering.body_html(lettering.render("body", template.body, context))
    closing = lettering.render("closing", template.closing, context) if template.closing else ""
    collective, municipality = context["collective"], context["municipality"]
    address = collective["address"].strip().splitlines()
    recipient = recipient_lines(context["official"], municipality)
    section = render_to_string(
        "campaigns/letter_section.html",
        {
            **context,
            # Escaped by the sandbox already (autoescape): Django must not escape twice.
            "subject": mark_safe(subject),
            "body": mark_safe(body),
            "closing": mark_safe(closing),
            "sender_lines": _lines([*address, collective["email"], collective["website"]]),
            "recipient_lines": _lines(recipient),
            "place": address[-1].split(" ", 1)[-1] if address else (municipality or {}).get("name", ""),
            "reminder_number": reminder_number,
        },
    )
    return subject, section


def _lines(lines: list[str]) -> str:
    """The non-blank ``lines``, escaped, one per line of a "white-space: pre-line" block."""
    return format_html_join("\n", "{}", ((line.strip(),) for line in lines if line and line.strip()))


def letters_render(*, letter_ids: list[int], job_id: int | None = None) -> int:
    """Render the draft letters among ``letter_ids`` (HTML → one PDF per letter, stored)
    and deliver them. Letters already rendered are left alone, so a chunk run twice —
    after a worker died — does no work twice. Returns the number rendered."""
    batch = batch_load(letter_ids, status=Letter.Status.DRAFT)
    territories = territory_codes({letter.interpellation.collective_id for letter in batch.letters})
    ok, sections = [], []
    for letter in batch.letters:
        interpellation = letter.interpellation
        # The territory may have shrunk since the interpellation was accepted.
        if (
            # Staff write to any official; collectives to those of their territory.
            not is_staff(interpellation.created_by)
            and letter.municipality_id not in territories[interpellation.collective_id]
        ):
            error = _("%(place)s ne fait plus partie du territoire du collectif : courrier non envoyé.") % {
                "place": letter.municipality.name if letter.municipality else letter.official
            }
            Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.FAILED, error=error)
            continue
        try:
            subject, section = letter_html(
                interpellation.template, letter_context(letter, batch), subject=interpellation.subject
            )
        except lettering.TemplateInvalid as exc:
            Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.FAILED, error=str(exc))
            continue
        letter.html, letter.subject = section, rendered_subject(unescape(subject))
        ok.append(letter)
        sections.append(section)
    pdfs, pages = html_sections_to_pdfs(sections, head=LETTER_CSS)
    with transaction.atomic():
        # Claimed under lock: a letter another worker rendered meanwhile stays its own.
        drafts = set(
            Letter.objects.select_for_update()
            .filter(pk__in=[letter.pk for letter in ok], status=Letter.Status.DRAFT)
            .values_list("pk", flat=True)
        )
        rendered = []
        for letter, pdf, count in zip(ok, pdfs, pages, strict=True):
            if letter.pk in drafts and count > max_pages():
                # Too long for a letter (merge fields differ from the sample's): it fails alone.
                reason = _("le courrier fait %(pages)s pages, au-delà de la limite de %(max)s.")
                error = reason % {"pages": count, "max": max_pages()}
                Letter.objects.filter(pk=letter.pk).update(status=Letter.Status.FAILED, error=error)
            elif letter.pk in drafts:
                letter.pdf.save(f"courrier-{letter.pk}.pdf", ContentFile(pdf), save=False)
                letter.pages = count
                rendered.append((letter, pdf))
        letters_deliver(rendered)
    if job_id is not None:
        jobs.job_advance(job_id, len(batch.letters))
        _finish_job_if_done(job_id)
    return len(ok)


def _finish_job_if_done(job_id: int) -> None:
    from tasks.jobs.models import Job

    job = Job.objects.get(pk=job_id)
    interpellation_id = job.params.get("interpellation")
    remaining = Letter.objects.filter(interpellation_id=interpellation_id, status=Letter.Status.DRAFT).count()
    if remaining:
        return
    counts = defaultdict(int)
    for status, channel in Letter.objects.filter(interpellation_id=interpellation_id).values_list("status", "channel"):
        counts[status] += 1
        counts[f"channel_{channel}"] += 1
    result = {
        "interpellation": interpellation_id,
        "letters": sum(counts[status] for status in Letter.Status.values),
        "sent": counts[Letter.Status.SENT],
        "failed": counts[Letter.Status.FAILED],
        "by_email": counts["channel_email"],
        "on_paper": counts["channel_paper"],
    }
    # The downloads are ready when the job says it is done. The letters are sent whatever
    # happens here: a failed build leaves the job succeeded, and the next download asks again.
    try:
        interpellation_bundle(interpellation_id=interpellation_id)
    except Exception:
        logger.exception("Downloads of interpellation %s not built", interpellation_id)
    jobs.job_set_done(job_id, result["letters"])
    jobs.job_succeed(job_id, result)
