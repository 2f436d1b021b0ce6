"""Rendering letters: one letter's HTML from its template and merge fields, and a chunk of
draft letters rendered to PDFs in one WeasyPrint document, then delivered."""

from __future__ import annotations

import logging
from collections import Counter
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
from campaigns.letters.services.downloads import interpellation_bundle, interpellation_bundle_forget
from campaigns.letters.services.merge_fields import batch_load, letter_context
from campaigns.letters.services.recipients import territory_codes
from tasks.jobs import services as jobs
from tasks.jobs.models import Job
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
    and hand them over for delivery. Letters already rendered are left alone, so a chunk
    run twice — after a worker died, or resumed — does no work twice. A letter that cannot
    render fails alone, with its reason. Returns the number rendered."""
    batch = batch_load(letter_ids, status=Letter.Status.DRAFT)
    territories = territory_codes({letter.interpellation.collective_id for letter in batch.letters})
    ok, failures = [], {}
    for letter in batch.letters:
        interpellation = letter.interpellation
        # The territory may have shrunk since the interpellation was accepted.
        if (
            # Staff write to any official; collectives to those of their territory.
            not is_staff(interpellation.created_by)
            and letter.municipality_id not in territories[interpellation.collective_id]
        ):
            failures[letter.pk] = _(
                "%(place)s ne fait plus partie du territoire du collectif : courrier non envoyé."
            ) % {"place": letter.municipality.name if letter.municipality else letter.official}
            continue
        try:
            subject, section = letter_html(
                interpellation.template, letter_context(letter, batch), subject=interpellation.subject
            )
        except lettering.TemplateInvalid as exc:
            failures[letter.pk] = str(exc)
            continue
        letter.html, letter.subject = section, rendered_subject(unescape(subject))
        ok.append(letter)
    ok, pdfs, pages = _pdfs(ok, failures)
    with transaction.atomic():
        # Claimed under lock: a letter another worker rendered meanwhile stays its own.
        drafts = set(
            Letter.objects.select_for_update()
            .filter(pk__in=[letter.pk for letter in ok] + list(failures), status=Letter.Status.DRAFT)
            .values_list("pk", flat=True)
        )
        for pk, error in failures.items():
            if pk in drafts:
                Letter.objects.filter(pk=pk).update(status=Letter.Status.FAILED, error=error)
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
        if rendered:
            # Downloads built before (a job resumed after its first finish) miss these letters.
            interpellation_bundle_forget(interpellation_ids={letter.interpellation_id for letter, _pdf in rendered})
    if job_id is not None:
        jobs.job_advance(job_id, len(batch.letters))
        _finish_job_if_done(job_id)
    return len(rendered)


def _pdfs(letters: list[Letter], failures: dict[int, str]) -> tuple[list[Letter], list[bytes], list[int]]:
    """The letters' PDFs, from one WeasyPrint document; when it fails, each letter alone,
    so that the one that cannot render fails (its reason in ``failures``) and not the chunk."""
    if not letters:
        return [], [], []
    try:
        pdfs, pages = html_sections_to_pdfs([letter.html for letter in letters], head=LETTER_CSS)
        return letters, pdfs, pages
    except Exception:
        logger.warning("A chunk of %s letters did not render: each is rendered alone", len(letters), exc_info=True)
    ok, pdfs, pages = [], [], []
    for letter in letters:
        try:
            (pdf,), (count,) = html_sections_to_pdfs([letter.html], head=LETTER_CSS)
        except Exception as exc:
            logger.exception("Letter %s did not render", letter.pk)
            failures[letter.pk] = _("Le PDF n'a pas pu être produit : %(error)s") % {
                "error": f"{type(exc).__name__}: {exc}"[:500]
            }
            continue
        ok.append(letter)
        pdfs.append(pdf)
        pages.append(count)
    return ok, pdfs, pages


def _finish_job_if_done(job_id: int) -> None:
    """Once no letter of the job's interpellation is a draft: its downloads, and the job
    succeeds with the count of each outcome (the failed ones among them)."""
    job = Job.objects.get(pk=job_id)
    interpellation_id = job.params.get("interpellation")
    remaining = Letter.objects.filter(interpellation_id=interpellation_id, status=Letter.Status.DRAFT).count()
    if remaining:
        return
    statuses, channels = Counter(), Counter()
    for status, channel in Letter.objects.filter(interpellation_id=interpellation_id).values_list("status", "channel"):
        statuses[status] += 1
        if status != Letter.Status.FAILED:
            channels[channel] += 1
    result = {
        "interpellation": interpellation_id,
        "letters": sum(statuses.values()),
        "failed": statuses[Letter.Status.FAILED],
        "by_email": channels[Letter.Channel.EMAIL],
        "on_paper": channels[Letter.Channel.PAPER],
        "to_post": statuses[Letter.Status.TO_POST],
    }
    # The downloads are ready when the job says it is done. The letters are sent whatever
    # happens here: a failed build leaves the job succeeded, and the next download asks again.
    try:
        interpellation_bundle(interpellation_id=interpellation_id)
    except Exception:
        logger.exception("Downloads of interpellation %s not built", interpellation_id)
    jobs.job_set_done(job_id, result["letters"])
    jobs.job_succeed(job_id, result)
