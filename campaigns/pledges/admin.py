from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from campaigns.collectives.admin import CollectiveScopedAdmin
from campaigns.pledges.models import Pledge, PledgedMeasure
from campaigns.pledges.services import PledgedMeasureInput, pledge_update, pledged_measures_check


class PledgedMeasureFormSet(BaseInlineFormSet):
    """The measures of a pledge, checked as one selection by the pledge service."""

    def clean(self):
        super().clean()
        self.items = [
            PledgedMeasureInput(
                measure=form.cleaned_data["measure"],
                level=form.cleaned_data.get("level"),
                local_wording=form.cleaned_data.get("local_wording") or "",
            )
            for form in self.forms
            if form.cleaned_data.get("measure") and not form.cleaned_data.get("DELETE")
        ]
        if any(self.errors) or not self.instance.pact_id:
            return
        try:
            pledged_measures_check(pact=self.instance.pact, items=self.items)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


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
class PledgeAdmin(CollectiveScopedAdmin):
    list_display = ["list_name", "municipality", "pact", "collective", "signed_on", "election_outcome"]
    list_filter = ["pact", "election_outcome", "municipality__department", "collective"]
    search_fields = ["list_name", "municipality__search_name", "municipality__insee_code"]
    list_select_related = ["municipality", "pact", "collective"]
    autocomplete_fields = ["municipality", "head_of_list"]
    territory_fields = ("municipality",)
    date_hierarchy = "signed_on"
    inlines = [PledgedMeasureInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # The measures are written by the pledge service, which checks them against the pact.
        form.save_m2m()
        for formset in formsets:
            if isinstance(formset, PledgedMeasureFormSet):
                pledge_update(pledge=form.instance, measures=formset.items)
                # What the admin's history message reads of a saved formset.
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            else:
                self.save_formset(request, form, formset, change)
