import django_filters

from campaigns.pacts.models import Measure


class MeasureFilter(django_filters.FilterSet):
    class Meta:
        model = Measure
        fields = ["pact", "theme", "kind"]
