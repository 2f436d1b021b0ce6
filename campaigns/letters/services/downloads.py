"""The merged PDF and the ZIP of an interpellation's letters, built once by a worker."""

from __future__ import annotations

import tempfile
import zipfile

from django.core.files.base import ContentFile
from django.db import transaction

from campaigns.letters.models import Interpellation
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
