"""What the import commands share: options, error display and the closing summary."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from officials.importers import ImportFileError, ImportReport, ImportRowsInvalid

MAX_ERRORS_SHOWN = 50


class ImportCommand(BaseCommand):
    file_help = gettext_lazy("fichier CSV à importer")

    def add_arguments(self, parser):
        parser.add_argument("file", help=self.file_help)
        parser.add_argument("--dry-run", action="store_true", help=_("afficher ce qui changerait sans rien écrire"))
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help=_("importer les lignes valides et lister les lignes rejetées"),
        )

    def run_import(self, function, *args, **kwargs) -> ImportReport:
        try:
            report = function(*args, **kwargs)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        except ImportRowsInvalid as exc:
            self.print_errors(exc.report)
            raise CommandError(
                _("%(count)s ligne(s) invalide(s) : rien n'a été importé (--skip-invalid pour importer le reste).")
                % {"count": exc.report.rejected}
            ) from exc
        self.print_errors(report)
        self.stdout.write(self.style.SUCCESS(report.summary()))
        return report

    def print_errors(self, report: ImportReport) -> None:
        for error in report.errors[:MAX_ERRORS_SHOWN]:
            self.stderr.write(str(error))
        if report.rejected > MAX_ERRORS_SHOWN:
            self.stderr.write(
                _("… et %(count)s autres lignes rejetées.") % {"count": report.rejected - MAX_ERRORS_SHOWN}
            )
