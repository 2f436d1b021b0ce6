from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.advocacy.models import Action, Campaign
from campaigns.advocacy.services import campaign_of_collective_check
from campaigns.collectives.admin import CollectiveScopedAdmin


@admin.register(Campaign)
class CampaignAdmin(CollectiveScopedAdmin):
    list_display = ["title", "collective", "status", "start_date", "end_date", "is_public"]
    list_filter = ["status", "is_public", "collective"]
    search_fields = ["title", "objective"]
    list_select_related = ["collective"]
    autocomplete_fields = ["measures", "municipalities", "officials"]
    territory_fields = ("municipalities",)


class ActionForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        collective = cleaned.get("collective")
        if collective is not None:
            try:
                campaign_of_collective_check(campaign=cleaned.get("campaign"), collective=collective)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field, errors)
        return cleaned


@admin.register(Action)
class ActionAdmin(CollectiveScopedAdmin):
    form = ActionForm
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
