"""The admin site: who may enter it, its login form and its throttled sign-in, its index
grouped by what volunteers do, and what every model admin shows in French."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from backend.auth import LOGIN_THROTTLES
from core.admin import FrenchAdminMixin
from core.throttling import throttle_form_view

# Sections of the index, in this order: the concept a model's module belongs to
# (campaigns.<concept>.models) or its app. Technical sections come last, for staff only.
SECTIONS = [
    ("campaigns.collectives", _("Collectifs")),
    ("campaigns.reviews", _("Bilans")),
    ("campaigns.letters", _("Courriers et interpellations")),
    ("campaigns.advocacy", _("Plaidoyer : campagnes et actions")),
    ("campaigns.pledges", _("Pactes signés")),
    ("campaigns.gatherings", _("Rencontres et retours d'expérience")),
    ("campaigns.initiatives", _("Carte des initiatives")),
    ("campaigns.pacts", _("Éditions du pacte et mesures")),
    ("officials", _("Communes et élu·es")),
]
TECHNICAL_SECTIONS = [
    ("accounts", _("Comptes (technique)")),
    ("auth", _("Comptes (technique)")),
    ("authtoken", _("Jetons d'accès à l'API (technique)")),
    ("tasks", _("Tâches de fond et courriels sortants (technique)")),
    ("django_celery_beat", _("Tâches planifiées (technique)")),
]
# Apps whose admin is for staff only, whatever permissions an account was given.
STAFF_ONLY_APPS = {"authtoken", "tasks", "django_celery_beat"}


def _section_key(model) -> str:
    parts = model.__module__.split(".")
    return ".".join(parts[:2]) if parts[0] == "campaigns" else model._meta.app_label


class StaffOnlyMixin:
    """Technical admins (tokens, jobs, outbox, periodic tasks): staff only."""

    def has_module_permission(self, request):
        return request.user.is_staff and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return request.user.is_staff and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_staff and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_staff and super().has_delete_permission(request, obj)


def may_enter_admin(user) -> bool:
    """Staff, and members of a collective, who see only their collective's data."""
    return user.is_active and (user.is_staff or user.memberships.exists())


class PacteAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form, which lets members of a collective in as well as staff."""

    def confirm_login_allowed(self, user):
        # Skip AdminAuthenticationForm's staff-only check, keep the inactive-account one.
        super(AdminAuthenticationForm, self).confirm_login_allowed(user)
        if not may_enter_admin(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class PacteAdminSite(admin.AdminSite):
    site_header = "Pacte tracker"
    site_title = "Pacte tracker"
    index_title = "Administration"
    login_form = PacteAdminAuthenticationForm

    def has_permission(self, request) -> bool:
        return may_enter_admin(request.user)

    def login(self, request, extra_context=None):
        return throttle_form_view(super().login, LOGIN_THROTTLES)(request, extra_context)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model admin, the project's and the libraries', with the French titles and
        search of FrenchAdminMixin; technical ones for staff only."""
        admin_class = admin_class or admin.ModelAdmin
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        mixins = (FrenchAdminMixin,)
        if any(model._meta.app_label in STAFF_ONLY_APPS for model in models):
            mixins = (StaffOnlyMixin, *mixins)
        attributes = {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__}
        super().register(model_or_iterable, type(admin_class.__name__, (*mixins, admin_class), attributes), **options)

    def get_app_list(self, request, app_label=None):
        """The index: first what a volunteer needs this week (their collective, the review
        under way, letters to post), then a section per concept; technical sections, last,
        for staff only. An app's own page keeps Django's list."""
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        titles = dict(SECTIONS + ([] if not request.user.is_staff else TECHNICAL_SECTIONS))
        order = [key for key, _title in SECTIONS + TECHNICAL_SECTIONS]
        sections: dict[str, dict] = {}
        for app in apps:
            for model in app["models"]:
                key = _section_key(model["model"])
                if key not in titles and key in dict(TECHNICAL_SECTIONS):
                    continue  # a technical section, hidden from volunteers
                title = titles.get(key, app["name"])
                section = sections.setdefault(
                    str(title), {**app, "name": title, "models": [], "order": order.index(key) if key in order else 99}
                )
                section["models"].append(model)
        grouped = sorted(sections.values(), key=lambda section: section["order"])
        week = self._week(request)
        return ([week] if week["models"] else []) + grouped

    def _week(self, request) -> dict:
        """Links to what a volunteer opens first."""
        from campaigns.collectives.access import roles_of
        from campaigns.models import Assessment, Collective, Letter, ReviewCycle

        links = []

        def link(model, name, url):
            links.append({"model": model, "name": name, "object_name": model.__name__, "admin_url": url,
                          "add_url": None, "view_only": True, "perms": {"view": True}})  # fmt: skip

        collectives = self._registry.get(Collective)
        if collectives is not None and not request.user.is_staff:
            for collective in Collective.objects.filter(pk__in=list(roles_of(request.user))).order_by("name"):
                if collectives.has_view_permission(request, collective):
                    url = reverse("admin:campaigns_collective_change", args=[collective.pk], current_app=self.name)
                    link(Collective, _t("Mon collectif : %(name)s") % {"name": collective.name}, url)
        assessments = self._registry.get(Assessment)
        if assessments is not None and assessments.has_view_permission(request):
            for cycle in ReviewCycle.objects.filter(status=ReviewCycle.Status.OPEN).order_by("-pk"):
                url = reverse("admin:campaigns_assessment_changelist", current_app=self.name)
                link(
                    Assessment,
                    _t("Bilan en cours : %(name)s") % {"name": cycle.name},
                    f"{url}?cycle__id__exact={cycle.pk}",
                )
        letters = self._registry.get(Letter)
        if letters is not None and letters.has_view_permission(request):
            count = letters.get_queryset(request).filter(status=Letter.Status.TO_POST).count()
            url = reverse("admin:campaigns_letter_changelist", current_app=self.name)
            link(Letter, _t("Courriers à poster (%(count)s)") % {"count": count}, f"{url}?status__exact=to_post")
        index = reverse("admin:index", current_app=self.name)
        return {"name": _("Cette semaine"), "app_label": "week", "app_url": index, "has_module_perms": True,
                "models": links}  # fmt: skip
