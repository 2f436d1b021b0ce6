import django_filters
from django.utils.translation import gettext_lazy as _

from campaigns.pacts.models import Measure
from campaigns.pledges.models import Pledge


class PledgeFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(field_name="municipality_id", label=_("code INSEE de la commune"))
    department = django_filters.CharFilter(field_name="municipality__department_id", label=_("code du département"))
    collective = django_filters.CharFilter(field_name="collective__slug", label=_("identifiant du collectif"))
    elected = django_filters.BooleanFilter(method="filter_elected", label=_("liste élue"))
    measure = django_filters.ModelChoiceFilter(
        field_name="measures__measure", queryset=Measure.objects.all(), distinct=True, label=_("mesure signée")
    )

    class Meta:
        model = Pledge
        fields = ["pact", "municipality", "department", "collective", "elected", "measure", "election_outcome"]

    def filter_elected(self, queryset, name, value):
        if value:
            return queryset.filter(election_outcome=Pledge.Outcome.ELECTED)
        return queryset.exclude(election_outcome=Pledge.Outcome.ELECTED)
