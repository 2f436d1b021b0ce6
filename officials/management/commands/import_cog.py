from django.utils.translation import gettext_lazy as _

from officials.importers import import_cog
from officials.importers.cog import DEFAULT_DEPARTMENTS, DEFAULT_REGIONS
from officials.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = _("Importe les communes du Code officiel géographique de l'INSEE (v_commune_AAAA.csv).")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--departments",
            default=DEFAULT_DEPARTMENTS,
            help=_("fichier v_departement_AAAA.csv (par défaut : celui du projet)"),
        )
        parser.add_argument(
            "--regions", default=DEFAULT_REGIONS, help=_("fichier v_region_AAAA.csv (par défaut : celui du projet)")
        )

    def handle(self, *args, **options):
        self.run_import(
            import_cog,
            options["file"],
            departments=options["departments"],
            regions=options["regions"],
            dry_run=options["dry_run"],
            skip_invalid=options["skip_invalid"],
        )
