"""Starting an interpellation from the admin, and following it: a form that checks the
recipients and the readiness of the letters, previews one real letter for any recipient,
then starts it through ``interpellation_create`` and follows its job to the letters.

Entry points: the "Lancer une interpellation" button of the interpellations, and actions
on campaigns, municipalities and officials that open the form with them filled in."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.advocacy.models import Campaign
from campaigns.collectives.access import roles_of
from campaigns.collectives.models import Collective
from campaigns.letters.models import Interpellation, Letter, LetterTemplate
from campaigns.letters.services.downloads import interpellation_bundle_request
from campaigns.letters.services.interpellations import interpellation_create, interpellation_readiness_check
from campaigns.letters.services.previews import interpellation_preview
from campaigns.letters.services.readiness import InterpellationNotReady, is_ready
from campaigns.letters.services.recipients import RULE_ROLES, recipients_of
from officials.models import Mandate, Municipality, Official
from tasks.jobs.models import Job

# Who, in the chosen municipalities, gets a letter: the recipient rules' roles.
MUNICIPALITY_ROLES = [
    (Interpellation.RecipientRule.MAYORS, gettext_lazy("le ou la maire")),
    (Interpellation.RecipientRule.MAYORS_AND_DEPUTIES, gettext_lazy("le ou la maire et les adjoint·es")),
    (Interpellation.RecipientRule.COUNCIL, gettext_lazy("tout le conseil municipal")),
]
START_FIELDSETS = [
    (gettext_lazy("Qui écrit, et quoi"), {"fields": ["collective", "campaign", "template", "subject"]}),
    (
        gettext_lazy("À qui"),
        {"fields": ["recipient_rule", "municipalities", "municipality_roles", "officials"]},
    ),
    (gettext_lazy("Envoi"), {"fields": ["delivery", "town_hall_email"]}),
    (
        gettext_lazy("Relances"),
        {"fields": ["remind_after_days", "max_reminders", "reminder_template"], "classes": ["collapse"]},
    ),
]
# Seconds between two refreshes of the progress page (a meta refresh: no script).
REFRESH_SECONDS = 3
# What the querystring of an entry point may name at most.
MAX_PREFILLED = 500


def _mine(user) -> list[int]:
    return list(roles_of(user))


class InterpellationStartForm(forms.Form):
    """What ``interpellation_create`` takes, in the admin: shapes only; the service checks
    membership, territory, templates and campaign."""

    collective = forms.ModelChoiceField(Collective.objects.none(), label=gettext_lazy("collectif"))
    campaign = forms.ModelChoiceField(Campaign.objects.none(), required=False, label=gettext_lazy("campagne"))
    template = forms.ModelChoiceField(LetterTemplate.objects.none(), label=gettext_lazy("modèle de courrier"))
    subject = forms.CharField(
        required=False,
        max_length=300,
        label=gettext_lazy("objet"),
        help_text=gettext_lazy("Vide : l'objet du modèle."),
    )
    recipient_rule = forms.ChoiceField(
        choices=Interpellation.RecipientRule.choices, required=False, label=gettext_lazy("règle de destinataires")
    )
    municipalities = forms.ModelMultipleChoiceField(
        Municipality.objects.all(),
        required=False,
        label=gettext_lazy("communes"),
        help_text=gettext_lazy("Leurs élu·es en fonction, selon le choix ci-dessous."),
    )
    municipality_roles = forms.ChoiceField(
        choices=MUNICIPALITY_ROLES,
        initial=Interpellation.RecipientRule.MAYORS,
        label=gettext_lazy("dans ces communes, écrire à"),
    )
    officials = forms.ModelMultipleChoiceField(
        Official.objects.all(), required=False, label=gettext_lazy("élu·es choisi·es")
    )
    delivery = forms.ChoiceField(
        choices=Interpellation.Delivery.choices,
        initial=Interpellation.Delivery.PDF,
        widget=forms.RadioSelect,
        label=gettext_lazy("envoi"),
    )
    town_hall_email = forms.BooleanField(
        required=False,
        label=gettext_lazy("écrire à la mairie à défaut"),
        help_text=Interpellation._meta.get_field("town_hall_email").help_text,
    )
    remind_after_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=365,
        label=gettext_lazy("relancer après (jours)"),
        help_text=gettext_lazy("Vide : pas de relance."),
    )
    max_reminders = forms.IntegerField(
        required=False, min_value=0, max_value=10, initial=0, label=gettext_lazy("nombre maximal de relances")
    )
    reminder_template = forms.ModelChoiceField(
        LetterTemplate.objects.none(), required=False, label=gettext_lazy("modèle de relance")
    )
    preview_official = forms.IntegerField(required=False, label=gettext_lazy("aperçu du courrier de"))
    confirm = forms.BooleanField(
        required=False,
        label=gettext_lazy("confirmer malgré tout"),
        help_text=gettext_lazy("Lancer l'interpellation malgré les points bloquants du contrôle avant envoi."),
    )

    def __init__(self, *args, user, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["town_hall_email"].initial = settings.LETTERS_TOWN_HALL_EMAIL
        collectives = Collective.objects.order_by("name")
        campaigns = Campaign.objects.select_related("collective").order_by("collective__name", "title")
        templates = LetterTemplate.objects.select_related("collective").order_by("collective_id", "name")
        if not user.is_staff:
            mine = _mine(user)
            collectives = collectives.filter(pk__in=mine)
            campaigns = campaigns.filter(collective__in=mine)
            templates = templates.filter(Q(collective__in=mine) | Q(collective__isnull=True))
        self.fields["collective"].queryset = collectives
        self.fields["campaign"].queryset = campaigns
        self.fields["template"].queryset = templates
        self.fields["reminder_template"].queryset = templates
        for field in ("template", "reminder_template"):
            self.fields[field].label_from_instance = _template_label
        # The admin's own search (its autocomplete view) picks among thousands of rows.
        for name, source in (("municipalities", "municipality"), ("officials", "official")):
            field = self.fields[name]
            field.widget = AutocompleteSelectMultiple(Letter._meta.get_field(source), admin_site)
            field.widget.choices = field.choices

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("officials") or cleaned.get("municipalities") or cleaned.get("recipient_rule")):
            raise ValidationError(_("Choisissez des élu·es, des communes ou une règle de destinataires."))
        return cleaned

    def chosen_officials(self) -> list[Official]:
        """The officials chosen by name, then those of the chosen municipalities."""
        data = self.cleaned_data
        officials = list(data.get("officials") or [])
        municipalities = list(data.get("municipalities") or [])
        if municipalities:
            roles = RULE_ROLES[data["municipality_roles"]]
            seen = {official.pk for official in officials}
            for mandate in (
                Mandate.objects.current()
                .filter(municipality__in=municipalities, role__in=roles)
                .select_related("official")
                .in_protocol_order()
            ):
                if mandate.official_id not in seen:
                    seen.add(mandate.official_id)
                    officials.append(mandate.official)
        return officials

    def interpellation_fields(self) -> dict:
        """The keyword arguments of the readiness check (and of the creation)."""
        data = self.cleaned_data
        return {
            "collective": data["collective"],
            "template": data["template"],
            "campaign": data.get("campaign"),
            "subject": data.get("subject", ""),
            "officials": self.chosen_officials(),
            "recipient_rule": data.get("recipient_rule", ""),
            "delivery": data["delivery"],
            "town_hall_email": data.get("town_hall_email", False),
        }

    def reminder_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "remind_after_days": data.get("remind_after_days"),
            "max_reminders": data.get("max_reminders") or 0,
            "reminder_template": data.get("reminder_template"),
        }

    def add_refusal(self, error: ValidationError) -> None:
        """A service's refusal, each message on its field (or above the form)."""
        by_field = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
        for field, messages_ in by_field.items():
            self.add_error(field if field in self.fields else None, messages_)


def _template_label(template: LetterTemplate) -> str:
    owner = template.collective.name if template.collective_id else _("modèle partagé")
    return f"{template.name} ({owner})"


def _ids(value: str, *, digits: bool = True) -> list[str]:
    parts = [part.strip() for part in value.split(",") if part.strip()][:MAX_PREFILLED]
    return [part for part in parts if part.isdigit()] if digits else parts


class InterpellationWorkbenchAdmin(admin.ModelAdmin):
    """The interpellation admin's pages: start one (check, preview, confirm) and follow it."""

    change_list_template = "admin/letters/interpellation_change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("lancer/", view(self.start_view), name="campaigns_interpellation_start"),
            path("lancer/apercu.pdf", view(self.preview_pdf_view), name="campaigns_interpellation_start_pdf"),
            path("<path:object_id>/suivi/", view(self.progress_view), name="campaigns_interpellation_progress"),
            *super().get_urls(),
        ]

    def has_start_permission(self, request) -> bool:
        return request.user.is_staff or bool(roles_of(request.user))

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "progress_link"]

    @admin.display(description=gettext_lazy("suivi des courriers"))
    def progress_link(self, interpellation):
        if interpellation.pk is None:
            return "-"
        url = reverse("admin:campaigns_interpellation_progress", args=[interpellation.pk])
        return format_html('<a href="{}">{}</a>', url, _("Avancement, courriers et fichiers à imprimer"))

    def changelist_view(self, request, extra_context=None):
        extra = {"can_start": self.has_start_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra)

    # -- start -------------------------------------------------------------------------

    def _form(self, request, data=None):
        return InterpellationStartForm(
            data, user=request.user, admin_site=self.admin_site, initial=self._initial(request)
        )

    def _initial(self, request) -> dict:
        """The form filled in from an entry point: ?campaign=, ?officials=, ?municipalities=."""
        query, initial = request.GET, {}
        mine = None if request.user.is_staff else _mine(request.user)
        if mine is not None and len(mine) == 1:
            initial["collective"] = mine[0]
        if query.get("campaign", "").isdigit():
            campaigns = Campaign.objects.filter(pk=query["campaign"])
            if mine is not None:
                campaigns = campaigns.filter(collective__in=mine)
            campaign = campaigns.first()
            if campaign is not None:
                initial.update(collective=campaign.collective_id, campaign=campaign.pk)
                officials = list(campaign.officials.values_list("pk", flat=True)[:MAX_PREFILLED])
                if officials:
                    initial["officials"] = officials
                else:
                    initial["recipient_rule"] = Interpellation.RecipientRule.MAYORS
        if query.get("officials"):
            initial["officials"] = _ids(query["officials"])
        if query.get("municipalities"):
            initial["municipalities"] = _ids(query["municipalities"], digits=False)
        return initial

    def start_view(self, request):
        if not self.has_start_permission(request):
            raise PermissionDenied
        context = {}
        if request.method == "POST":
            form = self._form(request, request.POST)
            if form.is_valid():
                fields = form.interpellation_fields()
                try:
                    if "_start" in request.POST:
                        interpellation, _job = interpellation_create(
                            by=request.user, confirmed=form.cleaned_data["confirm"], **fields, **form.reminder_fields()
                        )
                        self.log_addition(request, interpellation, [{"added": {}}])
                        self.message_user(
                            request,
                            _("Interpellation « %(name)s » lancée : ses courriers sont en préparation.")
                            % {"name": interpellation},
                            messages.SUCCESS,
                        )
                        return HttpResponseRedirect(
                            reverse("admin:campaigns_interpellation_progress", args=[interpellation.pk])
                        )
                    context.update(self._checked(request, form, fields))
                except InterpellationNotReady as exc:
                    context.update(self._checked(request, form, fields, items=exc.items))
                    form.add_error(
                        "confirm",
                        _("Des points bloquants restent : corrigez-les, ou cochez « confirmer malgré tout »."),
                    )
                except ValidationError as exc:
                    form.add_refusal(exc)
        else:
            form = self._form(request)
        return TemplateResponse(
            request,
            "admin/letters/interpellation_start.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Lancer une interpellation"),
                "form": form,
                "adminform": helpers.AdminForm(form, START_FIELDSETS, {}),
                "media": self.media + form.media,
                **context,
            },
        )

    def _checked(self, request, form, fields, items=None) -> dict:
        """The readiness check, the recipients and one letter's preview. A refusal of the
        recipients (territory, no mandate) is raised for the form to show."""
        if items is None:
            items = interpellation_readiness_check(by=request.user, **fields)
        mandates = recipients_of(
            collective=fields["collective"],
            campaign=fields["campaign"],
            rule=fields["recipient_rule"],
            officials=fields["officials"],
            by=request.user,
        )
        query = request.POST.copy()
        for name in ("csrfmiddlewaretoken", "_check", "_start", "preview_official", "confirm"):
            query.pop(name, None)
        recipients = []
        for mandate in mandates:
            link = QueryDict(mutable=True)
            link.update(query)
            link["preview_official"] = str(mandate.official_id)
            recipients.append(
                {
                    "mandate": mandate,
                    "pdf_url": reverse("admin:campaigns_interpellation_start_pdf") + "?" + link.urlencode(),
                }
            )
        chosen = form.cleaned_data.get("preview_official")
        shown = next((m for m in mandates if m.official_id == chosen), mandates[0])
        form.fields["preview_official"].widget = forms.Select(
            choices=[(m.official_id, f"{m.official} ({m.municipality or '-'})") for m in mandates]
        )
        preview, preview_error = None, None
        try:
            preview = interpellation_preview(
                collective=fields["collective"],
                template=fields["template"],
                by=request.user,
                official=shown.official,
                campaign=fields["campaign"],
                subject=fields["subject"],
            )
        except ValidationError as exc:
            preview_error = " ".join(exc.messages)
        return {
            "checked": True,
            "items": items,
            "blocking": not is_ready(items),
            "recipients": recipients,
            "shown": shown,
            "shown_pdf_url": next(r["pdf_url"] for r in recipients if r["mandate"] is shown),
            "preview": preview,
            "preview_error": preview_error,
        }

    def preview_pdf_view(self, request):
        """The PDF of one letter of the would-be interpellation (the form's fields in the
        querystring, the recipient in ``preview_official``)."""
        if not self.has_start_permission(request):
            raise PermissionDenied
        form = InterpellationStartForm(request.GET, user=request.user, admin_site=self.admin_site)
        if not form.is_valid() or not form.cleaned_data.get("preview_official"):
            raise Http404(_("Aperçu impossible : le formulaire n'est pas complet."))
        official = Official.objects.filter(pk=form.cleaned_data["preview_official"]).first()
        if official is None:
            raise Http404(_("Aucun·e élu·e n'a cet identifiant."))
        data = form.cleaned_data
        try:
            preview = interpellation_preview(
                collective=data["collective"],
                template=data["template"],
                by=request.user,
                official=official,
                campaign=data.get("campaign"),
                subject=data.get("subject", ""),
            )
        except ValidationError as exc:
            return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
        response = HttpResponse(preview.pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="apercu-{official.pk}.pdf"'
        return response

    # -- progress ----------------------------------------------------------------------

    def progress_view(self, request, object_id):
        interpellation = self.get_object(request, unquote(object_id))
        if interpellation is None:
            raise Http404(_("Aucune interpellation de vos collectifs n'a cet identifiant."))
        if not self.has_view_permission(request, interpellation):
            raise PermissionDenied
        job = Job.objects.filter(pk=interpellation.job_id).first()
        letters = list(
            interpellation.letters.select_related("official", "municipality").order_by(
                "municipality__name", "official__last_name", "pk"
            )
        )
        drafts = sum(letter.status == Letter.Status.DRAFT for letter in letters)
        rendered = sum(bool(letter.pdf) for letter in letters)
        files_pending = not drafts and rendered and not (interpellation.letters_pdf and interpellation.letters_zip)
        if files_pending:
            # Letters rendered before the downloads were built with the job: a worker builds them.
            interpellation_bundle_request(interpellation=interpellation)
        total = job.total if job is not None and job.total else len(letters)
        done = len(letters) - drafts
        return TemplateResponse(
            request,
            "admin/letters/interpellation_progress.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": interpellation,
                "title": _("Suivi de l'interpellation « %(name)s »") % {"name": interpellation},
                "interpellation": interpellation,
                "job": job,
                "letters": letters,
                "done": done,
                "total": total,
                "finished": not drafts,
                "refresh": REFRESH_SECONDS if (drafts or files_pending) else None,
                "files_pending": files_pending,
                "failed": sum(letter.status == Letter.Status.FAILED for letter in letters),
                "to_post": sum(letter.status == Letter.Status.TO_POST for letter in letters),
            },
        )


# -- entry points on other admins ------------------------------------------------------


def _start_url(**query) -> str:
    params = QueryDict(mutable=True)
    params.update(query)
    return reverse("admin:campaigns_interpellation_start") + "?" + params.urlencode()


@admin.action(description=gettext_lazy("Lancer une interpellation à ces élu·es"))
def start_for_officials(modeladmin, request, queryset):
    ids = [str(pk) for pk in queryset.values_list("pk", flat=True)[:MAX_PREFILLED]]
    return HttpResponseRedirect(_start_url(officials=",".join(ids)))


@admin.action(description=gettext_lazy("Lancer une interpellation aux élu·es de ces communes"))
def start_for_municipalities(modeladmin, request, queryset):
    codes = list(queryset.values_list("pk", flat=True)[:MAX_PREFILLED])
    return HttpResponseRedirect(_start_url(municipalities=",".join(codes)))


@admin.action(description=gettext_lazy("Lancer une interpellation pour cette campagne"))
def start_for_campaign(modeladmin, request, queryset):
    campaigns = list(queryset[:2])
    if len(campaigns) != 1:
        modeladmin.message_user(request, _("Choisissez une seule campagne."), messages.ERROR)
        return None
    return HttpResponseRedirect(_start_url(campaign=str(campaigns[0].pk)))


def add_entry_actions(site) -> None:
    """Add the "start an interpellation" actions to the admins of campaigns, municipalities
    and officials, which sit below letters and cannot name them."""
    for model, action in (
        (Official, start_for_officials),
        (Municipality, start_for_municipalities),
        (Campaign, start_for_campaign),
    ):
        model_admin = site._registry.get(model)
        if model_admin is not None and action not in (model_admin.actions or []):
            model_admin.actions = [*(model_admin.actions or []), action]
