import django_filters
from django.utils.translation import gettext_lazy as _

from campaigns.initiatives.models import Initiative


class InitiativeFilter(django_filters.FilterSet):
    theme = django_filters.CharFilter(field_name="themes__code", distinct=True, label=_("code de la thématique"))
    municipality = django_filters.CharFilter(field_name="municipality_id", label=_("code INSEE"))
    department = django_filters.CharFilter(field_name="municipality__department_id", label=_("code du département"))
    collective = django_filters.CharFilter(field_name="collective__slug", label=_("identifiant du collectif"))

    class Meta:
        model = Initiative
        fields = ["theme", "kind", "municipality", "department", "status", "collective", "source"]
