from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _

from campaigns.pacts.loader import PactFileInvalid, load_pact, read_pact_file
from officials.importers import ImportFileError


class Command(BaseCommand):
    help = _("Charge ou met à jour une édition de pacte (mesures, thématiques, niveaux) depuis un fichier CSV ou JSON.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("fichier CSV ou JSON des principes et mesures"))
        parser.add_argument("--themes", help=_("fichier CSV des thématiques (code,title)"))
        parser.add_argument(
            "--name", default="", help=_("nom de l'édition, par exemple « Pacte pour la Transition 2020 »")
        )
        parser.add_argument("--year", type=int, help=_("année de l'édition"))
        parser.add_argument("--min-measures", type=int, help=_("nombre minimal de mesures à signer"))
        parser.add_argument(
            "--principles-optional", action="store_true", help=_("les principes transversaux ne sont pas obligatoires")
        )

    def handle(self, *args, **options):
        try:
            data = read_pact_file(options["file"], options["themes"])
            extra = {"min_measures": options["min_measures"]}
            if options["principles_optional"]:
                extra["principles_required"] = False
            report = load_pact(data, name=options["name"], year=options["year"], **extra)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        except PactFileInvalid as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
