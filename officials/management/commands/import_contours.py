from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from officials.importers import import_contours
from officials.importers.contours import DEFAULT_TOLERANCE
from officials.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = gettext_lazy(
        "Importe les contours des communes et des départements (GeoJSON de france-geojson : "
        "propriétés « code » et « nom ») et calcule le centroïde de chaque commune."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("fichier GeoJSON à importer"))
        parser.add_argument("--dry-run", action="store_true", help=gettext_lazy("compter sans rien écrire"))
        parser.add_argument(
            "--tolerance",
            type=float,
            default=DEFAULT_TOLERANCE,
            help=gettext_lazy("tolérance de simplification en degrés (par défaut : %(default)s, environ 50 m)"),
        )

    def handle(self, *args, **options):
        if not 0 <= options["tolerance"] < 1:
            raise CommandError(_("La tolérance est en degrés, entre 0 et 1."))
        self.run_import(import_contours, options["file"], tolerance=options["tolerance"], dry_run=options["dry_run"])
