from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from campaigns.advocacy import services
from campaigns.advocacy.models import Action, Campaign
from campaigns.collectives.admin import CollectiveScopedAdmin
from core.admin import ServiceWrittenAdmin
from core.widgets import UrlListField


@admin.register(Campaign)
class CampaignAdmin(ServiceWrittenAdmin, CollectiveScopedAdmin):
    list_display = ["title", "collective", "status", "start_date", "end_date", "is_public"]
    list_filter = ["status", "is_public", "collective"]
    search_fields = ["title", "objective"]
    list_select_related = ["collective"]
    autocomplete_fields = ["measures", "municipalities", "officials"]
    model_argument = "campaign"
    create = staticmethod(services.campaign_create)
    update = staticmethod(services.campaign_update)


@admin.register(Action)
class ActionAdmin(ServiceWrittenAdmin, CollectiveScopedAdmin):
    model_argument = "action"
    create = staticmethod(services.action_create)
    update = staticmethod(services.action_update)
    list_display = ["date", "title", "kind", "municipality", "collective", "outcome", "is_public"]
    list_filter = ["kind", "outcome", "is_public", "collective", ("date", admin.DateFieldListFilter)]
    search_fields = ["title", "description", "outcome_note"]
    list_select_related = ["collective", "municipality"]
    autocomplete_fields = ["officials", "measures", "municipality"]
    date_hierarchy = "date"
    fieldsets = [
        (None, {"fields": ["collective", "campaign", "kind", "date", "title", "description", "is_public"]}),
        (_("Cibles"), {"fields": ["municipality", "officials", "measures"]}),
        (_("Résultat"), {"fields": ["outcome", "outcome_note", "links"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "links":  # a list of addresses, not raw JSON
            return UrlListField(label=db_field.verbose_name, help_text=_("Une adresse web par ligne."))
        return super().formfield_for_dbfield(db_field, request, **kwargs)
