"""The merged PDF and the ZIP of an interpellation's letters, built once by a worker."""

from __future__ import annotations

import tempfile
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.letters.models import Interpellation, Letter, LetterReminder
from tasks.dispatch import enqueue
from tasks.pdf import merge_pdfs

BUNDLE_TASK = "tasks.letters.bundle_letters"


def bundled_letters(interpellation: Interpellation):
    """The letters with a PDF, in the order of a printed batch."""
    return (
        interpellation.letters.exclude(pdf="")
        .select_related("official", "municipality")
        .order_by("municipality__name", "official__last_name", "pk")
    )


def interpellation_bundle(*, interpellation_id: int) -> bool:
    """Build, once, the merged PDF and the ZIP of the rendered letters and store them: the
    API then serves files, never a merge made inside a request. Safe to run twice (the
    second run finds the files, or loses the race and removes its own). True if built."""
    interpellation = Interpellation.objects.get(pk=interpellation_id)
    if interpellation.letters_pdf and interpellation.letters_zip:
        return False
    letters = list(bundled_letters(interpellation))
    if not letters:
        return False
    contents = []
    with tempfile.TemporaryFile() as archive_file:
        with zipfile.ZipFile(archive_file, "w", zipfile.ZIP_DEFLATED) as archive:
            for letter in letters:
                with letter.pdf.open("rb") as handle:
                    content = handle.read()
                contents.append(content)
                place = letter.municipality.name if letter.municipality else "sans-commune"
                archive.writestr(f"{place}-{letter.official.last_name}-{letter.pk}.pdf".replace("/", "-"), content)
        archive_file.seek(0)
        name = f"interpellation-{interpellation.pk}"
        interpellation.letters_zip.save(f"{name}.zip", ContentFile(archive_file.read()), save=False)
    interpellation.letters_pdf.save(f"{name}.pdf", ContentFile(merge_pdfs(contents)), save=False)
    claimed = Interpellation.objects.filter(pk=interpellation.pk, letters_pdf="").update(
        letters_pdf=interpellation.letters_pdf.name, letters_zip=interpellation.letters_zip.name
    )
    if not claimed:  # another worker stored its own copy first
        interpellation.letters_pdf.delete(save=False)
        interpellation.letters_zip.delete(save=False)
    return bool(claimed)


def interpellation_bundle_request(*, interpellation: Interpellation) -> None:
    """Ask a worker to build the downloads of letters rendered before they were built
    with the job (or whose build failed)."""
    transaction.on_commit(lambda: enqueue(BUNDLE_TASK, [interpellation.pk]))


def interpellation_bundle_forget(*, interpellation_ids: set[int]) -> None:
    """Letters were rendered after the downloads were built: drop the files, so that the
    next finish of the job (or the next download) builds them again with every letter."""
    for interpellation in Interpellation.objects.filter(pk__in=interpellation_ids).exclude(letters_pdf=""):
        Interpellation.objects.filter(pk=interpellation.pk).update(letters_pdf="", letters_zip="")
        pdf, archive = interpellation.letters_pdf, interpellation.letters_zip
        transaction.on_commit(lambda pdf=pdf, archive=archive: (pdf.delete(save=False), archive.delete(save=False)))


def interpellation_reminders_bundle(*, interpellation_id: int) -> bool:
    """The print PDF of an interpellation's paper reminders (to post or posted), in the
    order of a printed batch, built by the worker that made them and stored; built again
    each time new ones are made. True if there was one to build."""
    reminders = list(
        LetterReminder.objects.filter(
            letter__interpellation_id=interpellation_id,
            channel=Letter.Channel.PAPER,
            status__in=[Letter.Status.TO_POST, Letter.Status.POSTED],
        )
        .exclude(pdf="")
        .order_by("letter__municipality__name", "letter__official__last_name", "letter_id", "number")
    )
    if not reminders:
        return False
    contents = []
    for reminder in reminders:
        with reminder.pdf.open("rb") as handle:
            contents.append(handle.read())
    interpellation = Interpellation.objects.get(pk=interpellation_id)
    previous = interpellation.reminders_pdf.name
    interpellation.reminders_pdf.save(
        f"relances-{interpellation.pk}.pdf", ContentFile(merge_pdfs(contents)), save=False
    )
    Interpellation.objects.filter(pk=interpellation.pk).update(reminders_pdf=interpellation.reminders_pdf.name)
    if previous and previous != interpellation.reminders_pdf.name:
        interpellation.reminders_pdf.storage.delete(previous)
    return True


# A batch printed from the admin is merged inside the request: bounded, so that it stays quick.
PRINT_BATCH_MAX = 200


def paper_batch_pdf(*, letters, reminders) -> bytes:
    """One PDF to print of the given letters and reminders (their stored PDFs, none
    rendered again), in the order of a printed batch: by municipality and official, each
    letter before its reminders. Refused over PRINT_BATCH_MAX documents, or with none."""
    documents = [
        ((item.municipality.name if item.municipality else "", item.official.last_name, item.pk, 0), item)
        for item in letters
        if item.pdf
    ] + [
        (
            (
                item.letter.municipality.name if item.letter.municipality else "",
                item.letter.official.last_name,
                item.letter_id,
                item.number,
            ),
            item,
        )
        for item in reminders
        if item.pdf
    ]
    if not documents:
        raise ValidationError({"items": [_("Aucun des éléments choisis n'a de PDF à imprimer.")]})
    if len(documents) > PRINT_BATCH_MAX:
        raise ValidationError(
            {
                "items": [
                    _("Choisissez au plus %(max)s documents à imprimer à la fois (%(count)s choisis).")
                    % {"max": PRINT_BATCH_MAX, "count": len(documents)}
                ]
            }
        )
    contents = []
    for _key, item in sorted(documents, key=lambda document: document[0]):
        with item.pdf.open("rb") as handle:
            contents.append(handle.read())
    return merge_pdfs(contents)
