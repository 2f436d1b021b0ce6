from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from backend.admin import URL_FIELDS_ASSUME_HTTPS, PublicDataAdmin
from campaigns.access import is_coordinator, is_member, roles_of
from campaigns.models import (
    Action,
    Campaign,
    Collective,
    Measure,
    MeasureLevel,
    Membership,
    Pact,
    Pledge,
    PledgedMeasure,
    Theme,
)
from officials.models import Municipality


class CollectiveScopedAdmin(admin.ModelAdmin):
    """The API's rules in the admin: staff see everything; a member sees and edits their
    collective's rows, a coordinator also deletes them."""

    collective_path = "collective"
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def _collective_id(self, obj):
        return getattr(obj, f"{self.collective_path}_id")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_staff:
            return queryset
        return queryset.filter(**{f"{self.collective_path}__in": list(roles_of(request.user))})

    def has_module_permission(self, request):
        return request.user.is_staff or bool(roles_of(request.user))

    def has_view_permission(self, request, obj=None):
        if request.user.is_staff:
            return True
        return is_member(request.user, self._collective_id(obj)) if obj else bool(roles_of(request.user))

    has_change_permission = has_view_permission
    has_add_permission = has_module_permission

    def has_delete_permission(self, request, obj=None):
        if request.user.is_staff:
            return True
        return obj is not None and is_coordinator(request.user, self._collective_id(obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_staff:
            collectives = list(roles_of(request.user))
            if db_field.name == "collective":
                kwargs["queryset"] = Collective.objects.filter(pk__in=collectives)
            elif db_field.name == "municipality":
                kwargs["queryset"] = Municipality.objects.filter(collectives__in=collectives).distinct()
            elif db_field.name == "campaign":
                kwargs["queryset"] = Campaign.objects.filter(collective__in=collectives)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


class MeasureLevelInline(admin.TabularInline):
    model = MeasureLevel
    extra = 0


@admin.register(Pact)
class PactAdmin(PublicDataAdmin):
    list_display = ["name", "year", "min_measures", "principles_required"]
    inlines = [ThemeInline]


@admin.register(Measure)
class MeasureAdmin(PublicDataAdmin):
    list_display = ["code", "title", "kind", "theme", "pact"]
    list_filter = ["pact", "kind", "theme"]
    search_fields = ["code", "title"]
    inlines = [MeasureLevelInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Collective)
class CollectiveAdmin(CollectiveScopedAdmin):
    list_display = ["name", "slug", "contact_email"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["territory"]
    inlines = [MembershipInline]

    def _collective_id(self, obj):
        return obj.pk

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        return queryset if request.user.is_staff else queryset.filter(pk__in=list(roles_of(request.user)))

    def has_add_permission(self, request):
        return request.user.is_staff

    def has_change_permission(self, request, obj=None):
        if request.user.is_staff:
            return True
        return is_coordinator(request.user, obj.pk) if obj else False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_staff


class PledgedMeasureInline(admin.TabularInline):
    model = PledgedMeasure
    extra = 0
    autocomplete_fields = ["measure"]


@admin.register(Pledge)
class PledgeAdmin(CollectiveScopedAdmin):
    list_display = ["list_name", "municipality", "pact", "collective", "signed_on", "election_outcome"]
    list_filter = ["pact", "election_outcome", "municipality__department", "collective"]
    search_fields = ["list_name", "municipality__search_name", "municipality__insee_code"]
    list_select_related = ["municipality", "pact", "collective"]
    autocomplete_fields = ["municipality", "head_of_list"]
    date_hierarchy = "signed_on"
    inlines = [PledgedMeasureInline]


@admin.register(Campaign)
class CampaignAdmin(CollectiveScopedAdmin):
    list_display = ["title", "collective", "status", "start_date", "end_date", "is_public"]
    list_filter = ["status", "is_public", "collective"]
    search_fields = ["title", "objective"]
    list_select_related = ["collective"]
    autocomplete_fields = ["measures", "municipalities", "officials"]


@admin.register(Action)
class ActionAdmin(CollectiveScopedAdmin):
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


# Register the models of the other sub-domains, which build on the classes above.
from campaigns import admin_letters, admin_reviews  # noqa: E402, F401
