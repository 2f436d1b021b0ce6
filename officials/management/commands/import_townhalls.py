from django.utils.translation import gettext_lazy as _

from officials.importers import import_townhalls
from officials.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = _(
        "Importe les mairies (adresse postale, courriel, téléphone, site) de l'annuaire de l'administration "
        "(export JSON de Service-public.fr) ; les champs saisis à la main sont conservés."
    )
    file_help = _("export JSON (document ou une ligne par service) de l'annuaire de l'administration")

    def handle(self, *args, **options):
        self.run_import(
            import_townhalls, options["file"], dry_run=options["dry_run"], skip_invalid=options["skip_invalid"]
        )
