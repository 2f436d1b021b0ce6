from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import PublicDataAdmin
from core.text import fold
from officials.models import Department, Mandate, Municipality, Official


@admin.register(Department)
class DepartmentAdmin(PublicDataAdmin):
    list_display = ["code", "name", "region_name"]
    list_filter = ["region_name"]
    search_fields = ["code", "name"]


class CurrentMandateFilter(admin.SimpleListFilter):
    title = _("en cours")
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", _("en cours")), ("no", _("terminé"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(end_date__isnull=True)
        if self.value() == "no":
            return queryset.filter(end_date__isnull=False)
        return queryset


class MandateInline(admin.TabularInline):
    model = Mandate
    extra = 0
    fields = ["official", "municipality", "role", "function_label", "start_date", "end_date", "source"]
    autocomplete_fields = ["official", "municipality"]


@admin.register(Municipality)
class MunicipalityAdmin(PublicDataAdmin):
    list_display = ["name", "insee_code", "department", "kind", "population"]
    list_filter = ["kind", "department__region_name", "department"]
    search_fields = ["search_name", "insee_code"]
    list_select_related = ["department"]
    autocomplete_fields = ["parent"]
    inlines = [MandateInline]

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(Official)
class OfficialAdmin(PublicDataAdmin):
    list_display = ["last_name", "first_name", "sex", "email", "do_not_email"]
    list_filter = ["sex", "do_not_email", "mandates__role"]
    search_fields = ["search_name", "email"]
    inlines = [MandateInline]

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = ["official", "role", "municipality", "function_label", "start_date", "end_date", "source"]
    list_filter = [CurrentMandateFilter, "role", "source"]
    search_fields = ["official__search_name", "municipality__search_name", "municipality__insee_code"]
    list_select_related = ["official", "municipality"]
    autocomplete_fields = ["official", "municipality"]
    date_hierarchy = "start_date"
