from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from campaigns.collectives.admin import CollectiveScopedAdmin
from campaigns.pledges import services
from campaigns.pledges.models import Pledge, PledgedMeasure
from core.admin import ServiceWrittenAdmin


class PledgedMeasureFormSet(BaseInlineFormSet):
    """The measures of a pledge, as the pledge services take them (one selection, checked
    against the pact by the service)."""

    def clean(self):
        super().clean()
        self.items = [
            services.PledgedMeasureInput(
                measure=form.cleaned_data["measure"],
                level=form.cleaned_data.get("level"),
                local_wording=form.cleaned_data.get("local_wording") or "",
            )
            for form in self.forms
            if form.cleaned_data.get("measure") and not form.cleaned_data.get("DELETE")
        ]


class PledgedMeasureInline(admin.TabularInline):
    model = PledgedMeasure
    formset = PledgedMeasureFormSet
    extra = 0
    autocomplete_fields = ["measure"]

    # Whoever may change the pledge edits its measures: they are one document.
    def has_view_permission(self, request, obj=None):
        return self.admin_site._registry[Pledge].has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.admin_site._registry[Pledge].has_change_permission(request, obj)

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(Pledge)
class PledgeAdmin(ServiceWrittenAdmin, CollectiveScopedAdmin):
    """Pledges are written by the pledge services with their measures, in one transaction:
    the pact's rules and the collective's apply as through the API."""

    list_display = ["list_name", "municipality", "pact", "collective", "signed_on", "election_outcome"]
    list_filter = ["pact", "election_outcome", "municipality__department", "collective"]
    search_fields = ["list_name", "municipality__search_name", "municipality__insee_code"]
    list_select_related = ["municipality", "pact", "collective"]
    autocomplete_fields = ["municipality", "head_of_list"]
    date_hierarchy = "signed_on"
    inlines = [PledgedMeasureInline]
    model_argument = "pledge"
    create = staticmethod(services.pledge_create)
    update = staticmethod(services.pledge_update)

    def delete_model(self, request, obj):
        services.pledge_delete(pledge=obj)

    def delete_queryset(self, request, queryset):
        for pledge in queryset:
            services.pledge_delete(pledge=pledge)

    def service_inline(self, formset):
        if not isinstance(formset, PledgedMeasureFormSet):
            return None
        # Sent again whole when unchanged too: a new pact re-checks them all the same.
        return {"measures": formset.items}
