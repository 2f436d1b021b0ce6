from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.advocacy import services
from campaigns.advocacy.models import Action, Campaign
from campaigns.collectives.admin import CollectiveScopedAdmin


class ServiceWrittenAdmin(CollectiveScopedAdmin):
    """Saves through the concept's services, as the API does: the form checks shape, the
    service writes the row and its relations."""

    model_argument: str  # the services' keyword for the row: "campaign", "action"
    create: staticmethod  # the concept's create and update services
    update: staticmethod

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}
        if change:
            self.update(**{self.model_argument: obj}, **fields)
        else:
            self.create(**{self.model_argument: obj}, by=request.user, **fields)

    def save_related(self, request, form, formsets, change):
        # The service has set the form's relations already: only the inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Campaign)
class CampaignAdmin(ServiceWrittenAdmin):
    list_display = ["title", "collective", "status", "start_date", "end_date", "is_public"]
    list_filter = ["status", "is_public", "collective"]
    search_fields = ["title", "objective"]
    list_select_related = ["collective"]
    autocomplete_fields = ["measures", "municipalities", "officials"]
    territory_fields = ("municipalities",)
    model_argument = "campaign"
    create = staticmethod(services.campaign_create)
    update = staticmethod(services.campaign_update)


class ActionForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        collective = cleaned.get("collective")
        if collective is not None:
            try:
                services.campaign_of_collective_check(campaign=cleaned.get("campaign"), collective=collective)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field, errors)
        return cleaned


@admin.register(Action)
class ActionAdmin(ServiceWrittenAdmin):
    form = ActionForm
    model_argument = "action"
    create = staticmethod(services.action_create)
    update = staticmethod(services.action_update)
    list_display = ["date", "title", "kind", "municipality", "collective", "outcome", "is_public"]
    list_filter = ["kind", "outcome", "is_public", "collective", ("date", admin.DateFieldListFilter)]
    search_fields = ["title", "description", "outcome_note"]
    list_select_related = ["collective", "municipality"]
    autocomplete_fields = ["officials", "measures", "municipality"]
    territory_fields = ("municipality",)
    date_hierarchy = "date"
    fieldsets = [
        (None, {"fields": ["collective", "campaign", "kind", "date", "title", "description", "is_public"]}),
        (_("Cibles"), {"fields": ["municipality", "officials", "measures"]}),
        (_("Résultat"), {"fields": ["outcome", "outcome_note", "links"]}),
    ]
