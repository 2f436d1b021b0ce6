from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from campaigns.collectives.admin import CollectiveScopedAdmin
from campaigns.initiatives import services
from campaigns.initiatives.models import MAX_LINKS, Initiative
from core.admin import ServiceWrittenAdmin
from core.widgets import UrlListField


@admin.register(Initiative)
class InitiativeAdmin(ServiceWrittenAdmin, CollectiveScopedAdmin):
    model_argument = "initiative"
    create = staticmethod(services.initiative_create)
    update = staticmethod(services.initiative_update)
    list_display = ["name", "kind", "municipality", "collective", "status", "source"]
    list_filter = ["status", "kind", "themes", "source", "municipality__department"]
    search_fields = ["name", "description", "municipality__search_name", "source_id"]
    list_select_related = ["municipality", "collective"]
    autocomplete_fields = ["municipality", "campaigns", "events"]
    filter_horizontal = ["themes"]
    readonly_fields = ["status", "validated_by", "validated_at", "source", "source_id"]
    actions = ["validate"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "description", "collective", "themes", "campaigns", "events"]}),
        (_("Lieu"), {"fields": ["municipality", "longitude", "latitude"]}),
        (_("Contact"), {"fields": ["contact", "email", "links"]}),
        (_("Validation et origine"), {"fields": ["status", "validated_by", "validated_at", "source", "source_id"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "links":  # a list of addresses, not raw JSON
            return UrlListField(
                label=db_field.verbose_name, max_urls=MAX_LINKS, help_text=_("Une adresse web par ligne.")
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def delete_model(self, request, obj):
        services.initiative_delete(initiative=obj)

    def delete_queryset(self, request, queryset):
        for initiative in queryset:
            services.initiative_delete(initiative=initiative)

    @admin.action(description=_("Valider les initiatives choisies (carte publique)"))
    def validate(self, request, queryset):
        done, refused = 0, 0
        for initiative in queryset:
            try:
                services.initiative_validate(initiative=initiative, by=request.user)
                done += 1
            except ValidationError:
                refused += 1
        if done:
            self.message_user(request, ngettext("%d initiative validée.", "%d initiatives validées.", done) % done)
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%d initiative non validée : seul·es les coordinateur·rices du collectif qui la suit valident.",
                    "%d initiatives non validées : seul·es les coordinateur·rices du collectif qui les suit valident.",
                    refused,
                )
                % refused,
                messages.WARNING,
            )
