from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy

from campaigns.initiatives.interop import import_initiatives, read_mapping
from core.tabular import ImportFileError
from officials.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = gettext_lazy(
        "Importe des initiatives d'un fichier CSV ou de l'export JSON d'une carte GoGoCarto ; "
        "un nouvel import de la même source met à jour les initiatives déjà importées."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--format", choices=["csv", "gogocarto"], default="csv", help=gettext_lazy("format"))
        parser.add_argument(
            "--source",
            help=gettext_lazy("nom stable de la source (par défaut : le format), clé des réimports"),
        )
        parser.add_argument(
            "--mapping", help=gettext_lazy("correspondance des champs et des catégories (JSON, voir docs/guide.md)")
        )
        parser.add_argument(
            "--validate", action="store_true", help=gettext_lazy("valider les initiatives importées (carte publique)")
        )

    def handle(self, *args, **options):
        try:
            mapping = read_mapping(options["mapping"])
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        self.run_import(
            import_initiatives,
            options["file"],
            file_format=options["format"],
            source_name=options["source"] or options["format"],
            mapping=mapping,
            validate=options["validate"],
            dry_run=options["dry_run"],
            skip_invalid=options["skip_invalid"],
        )
