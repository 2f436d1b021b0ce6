import datetime as dt

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from officials.importers import import_rne
from officials.management.commands._importing import ImportCommand


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("--as-of : date « %(value)s » invalide (AAAA-MM-JJ).") % {"value": value}) from None


class Command(ImportCommand):
    help = gettext_lazy(
        "Importe un fichier du Répertoire national des élus (maires ou conseillers municipaux, reconnu à son en-tête)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--as-of",
            type=_date,
            default=None,
            help=gettext_lazy("date de fin des mandats disparus (par défaut : aujourd'hui)"),
        )

    def handle(self, *args, **options):
        self.run_import(
            import_rne,
            options["file"],
            dry_run=options["dry_run"],
            skip_invalid=options["skip_invalid"],
            as_of=options["as_of"],
            progress=True,
        )
