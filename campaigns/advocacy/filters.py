import django_filters
from django.utils.translation import gettext_lazy as _

from campaigns.advocacy.models import Action, Campaign
from campaigns.pacts.models import Measure


class CampaignFilter(django_filters.FilterSet):
    collective = django_filters.CharFilter(field_name="collective__slug", label=_("identifiant du collectif"))
    municipality = django_filters.CharFilter(field_name="municipalities", distinct=True, label=_("code INSEE"))
    measure = django_filters.ModelChoiceFilter(
        field_name="measures", queryset=Measure.objects.all(), distinct=True, label=_("mesure")
    )
    date = django_filters.DateFromToRangeFilter(
        method="filter_dates", label=_("période (date_after, date_before) qui recoupe la campagne")
    )

    class Meta:
        model = Campaign
        fields = ["collective", "status", "municipality", "measure", "is_public"]

    def filter_dates(self, queryset, name, value):
        if value.start:
            queryset = queryset.exclude(end_date__lt=value.start)
        if value.stop:
            queryset = queryset.exclude(start_date__gt=value.stop)
        return queryset


class ActionFilter(django_filters.FilterSet):
    collective = django_filters.CharFilter(field_name="collective__slug", label=_("identifiant du collectif"))
    municipality = django_filters.CharFilter(field_name="municipality_id", label=_("code INSEE"))
    measure = django_filters.ModelChoiceFilter(
        field_name="measures", queryset=Measure.objects.all(), distinct=True, label=_("mesure")
    )
    date = django_filters.DateFromToRangeFilter(label=_("période (date_after, date_before)"))

    class Meta:
        model = Action
        fields = ["collective", "campaign", "kind", "municipality", "measure", "outcome", "date", "is_public"]
