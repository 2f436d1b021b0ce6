from django import forms
from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from core.admin import PublicDataAdmin
from core.text import fold
from officials.models import TOWN_HALL_FIELDS, Department, Mandate, Municipality, MunicipalityContour, Official
from officials.services import municipality_save


@admin.register(Department)
class DepartmentAdmin(PublicDataAdmin):
    list_display = ["code", "name", "region_name", "has_contour"]
    list_filter = ["region_name"]
    search_fields = ["code", "name"]
    readonly_fields = ["has_contour"]

    @admin.display(description=_("contour importé"), boolean=True)
    def has_contour(self, obj) -> bool:
        return hasattr(obj, "contour")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("contour").defer("contour__geometry")


class HasContourFilter(admin.SimpleListFilter):
    title = _("contour")
    parameter_name = "contour"

    def lookups(self, request, model_admin):
        return [("yes", _("importé")), ("no", _("manquant"))]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(contour__isnull=self.value() == "no")
        return queryset


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


class MunicipalityForm(forms.ModelForm):
    """The admin's municipality form (its model and fields come from the admin), with the
    list of town hall fields a person set."""

    hand_edited = forms.MultipleChoiceField(
        label=_("Champs de la mairie saisis à la main"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "L'import de l'annuaire ne modifie pas ces champs ; un champ que vous modifiez s'y ajoute. "
            "Décochez-en un pour le rendre à l'import."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {name: Municipality._meta.get_field(name).verbose_name for name in TOWN_HALL_FIELDS}
        self.fields["hand_edited"].choices = list(labels.items())
        self.fields["hand_edited"].initial = list(self.instance.town_hall_edited or [])


@admin.register(Municipality)
class MunicipalityAdmin(PublicDataAdmin):
    form = MunicipalityForm
    list_display = ["name", "insee_code", "department", "kind", "population", "town_hall_postal_code", "has_contour"]
    list_filter = ["kind", HasContourFilter, "department__region_name", "department"]
    search_fields = ["search_name", "insee_code"]
    list_select_related = ["department"]
    autocomplete_fields = ["parent"]
    # Written by import_contours only: shown, never typed in.
    readonly_fields = ["centroid_longitude", "centroid_latitude", "has_contour"]
    inlines = [MandateInline]

    @admin.display(description=_("contour importé"), boolean=True)
    def has_contour(self, obj) -> bool:
        return obj.has_contour

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(has_contour=Exists(MunicipalityContour.objects.filter(pk=OuterRef("pk"))))
        )

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))

    def save_model(self, request, obj, form, change):
        changed = [name for name in form.changed_data if name in TOWN_HALL_FIELDS]
        municipality_save(municipality=obj, changed=changed, edited=form.cleaned_data["hand_edited"])


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
