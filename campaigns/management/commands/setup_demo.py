"""Load reference and demo data and create a demo admin account; safe to run again."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.demo import load_demo
from officials.importers import (
    ImportFileError,
    ImportRowsInvalid,
    import_cog,
    import_contours,
    import_rne,
    import_townhalls,
)
from officials.importers.contours import DEMO_CONTOURS, DEMO_DEPARTMENT_CONTOURS

DEMO_DIR = Path(settings.BASE_DIR) / "officials" / "data" / "demo"
DEMO_ADMIN = "admin"
DEMO_ADMIN_NAME = ("Camille", "Martin")


class Command(BaseCommand):
    help = gettext_lazy("Charge les données de référence et la démonstration (Bouches-du-Rhône).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-admin",
            action="store_true",
            help=gettext_lazy("ne pas créer le compte d'administration de démonstration"),
        )

    def handle(self, *args, **options):
        try:
            self.step(_("Communes"), import_cog(DEMO_DIR / "v_commune_13.csv"))
            self.step(_("Conseillers municipaux"), import_rne(DEMO_DIR / "elus-conseillers-municipaux-cm-13.csv"))
            self.step(_("Maires"), import_rne(DEMO_DIR / "elus-maires-mai-13.csv"))
            # The sample holds a town hall of a commune the demo does not know: it is reported, not loaded.
            townhalls = import_townhalls(DEMO_DIR / "annuaire-mairies-13.json", skip_invalid=True)
            self.step(_("Mairies"), townhalls)
            self.step(_("Contours des communes"), import_contours(DEMO_CONTOURS))
            self.step(_("Contour du département"), import_contours(DEMO_DEPARTMENT_CONTOURS))
        except ImportRowsInvalid as exc:
            raise CommandError("\n".join(str(error) for error in exc.report.errors)) from exc
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        admin = None if options["no_admin"] else self.demo_admin()
        collective = load_demo(by=admin)
        self.stdout.write(
            _("Pacte 2020 et démonstration chargés : collectif « %(name)s », %(pledges)s pactes signés.")
            % {"name": collective.name, "pledges": collective.pledges.count()}
        )
        if admin is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Compte d'administration de démonstration : "
                        "identifiant « %(user)s », mot de passe « %(password)s »"
                    )
                    % {"user": DEMO_ADMIN, "password": self.password}
                )
            )

    def step(self, title: str, report) -> None:
        self.stdout.write(f"{title} : {report.summary()}")

    def demo_admin(self):
        if not settings.DEBUG:
            self.stdout.write(_("DEBUG=0 : pas de compte de démonstration (utilisez createsuperuser)."))
            return None
        password_file = Path(settings.VAR_DIR) / "demo-admin-password.txt"
        User = get_user_model()
        user = User.objects.filter(username=DEMO_ADMIN).first()
        if user is None or not password_file.exists():
            password = secrets.token_urlsafe(12)
            if user is None:
                user = User.objects.create_superuser(
                    DEMO_ADMIN,
                    "admin@example.org",
                    password,
                    first_name=DEMO_ADMIN_NAME[0],
                    last_name=DEMO_ADMIN_NAME[1],
                )
            else:
                user.set_password(password)
                user.save(update_fields=["password"])
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n", encoding="utf-8")
            password_file.chmod(0o600)
        if not user.first_name:
            # The admin greets and the history names people by their name.
            user.first_name, user.last_name = DEMO_ADMIN_NAME
            user.save(update_fields=["first_name", "last_name"])
        self.password = password_file.read_text(encoding="utf-8").strip()
        return user
