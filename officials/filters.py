import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from core.search import folded_match
from officials.models import Mandate, Municipality, Official


class FoldedSearchFilter(django_filters.CharFilter):
    """A name as people type it (core.search: accents, case, spaces, hyphens and apostrophes
    ignored), looked up in a pre-folded column."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(folded_match([self.field_name], value))


class MunicipalityFilter(django_filters.FilterSet):
    department = django_filters.CharFilter(field_name="department_id", label=_("code du département"))
    insee_code = django_filters.BaseInFilter(field_name="insee_code", label=_("codes INSEE (séparés par des virgules)"))
    search = FoldedSearchFilter(
        field_name="search_name",
        label=_("nom (sans tenir compte des accents, de la casse, des espaces, traits d’union ni apostrophes)"),
    )

    class Meta:
        model = Municipality
        fields = ["department", "insee_code", "kind", "search"]


class OfficialFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(method="filter_mandates", label=_("code INSEE de la commune"))
    role = django_filters.ChoiceFilter(choices=Mandate.Role.choices, method="filter_mandates", label=_("fonction"))
    current = django_filters.BooleanFilter(
        method="filter_mandates", label=_("avec un mandat en cours (true) ou seulement passés (false)")
    )
    department = django_filters.CharFilter(method="filter_mandates", label=_("code du département"))
    search = FoldedSearchFilter(
        field_name="search_name",
        label=_("nom (sans tenir compte des accents, de la casse, des espaces, traits d’union ni apostrophes)"),
    )

    class Meta:
        model = Official
        fields = ["municipality", "role", "current", "department", "search"]

    def filter_mandates(self, qs, name, value):
        # All mandate criteria apply to the same mandate: "maire de 13103, en cours".
        return qs  # applied once in filter_queryset below

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        conditions = {}
        if data.get("municipality"):
            conditions["municipality_id"] = data["municipality"]
        if data.get("department"):
            conditions["municipality__department_id"] = data["department"]
        if data.get("role"):
            conditions["role"] = data["role"]
        current = data.get("current")
        if current is None and not conditions:
            return queryset
        mandates = Mandate.objects.filter(official=OuterRef("pk"), **conditions)
        if current is True:
            mandates = mandates.filter(end_date__isnull=True)
        if current is False:
            # Only past mandates of that kind: some past, none current.
            current_ones = mandates.filter(end_date__isnull=True)
            return queryset.filter(Exists(mandates.filter(end_date__isnull=False))).exclude(Exists(current_ones))
        return queryset.filter(Exists(mandates))


class MandateFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(field_name="municipality_id")
    current = django_filters.BooleanFilter(field_name="end_date", lookup_expr="isnull")

    class Meta:
        model = Mandate
        fields = ["official", "municipality", "role", "current", "source"]
