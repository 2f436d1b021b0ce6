import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from campaigns.gatherings.models import ActionIdea, Event, Lesson, Proposal
from campaigns.pacts.models import Theme


class EventFilter(django_filters.FilterSet):
    collective = django_filters.CharFilter(
        method="filter_collective", label=_("identifiant d'un collectif organisateur ou co-organisateur")
    )
    attending = django_filters.CharFilter(
        field_name="attending_collectives__slug", distinct=True, label=_("identifiant d'un collectif présent")
    )
    municipality = django_filters.CharFilter(field_name="municipality_id", label=_("code INSEE"))
    date = django_filters.DateFromToRangeFilter(
        field_name="start_date", label=_("période (date_after, date_before) du début")
    )

    class Meta:
        model = Event
        fields = ["collective", "attending", "kind", "municipality", "date", "is_public", "follows"]

    def filter_collective(self, queryset, name, value):
        return queryset.filter(Q(collective__slug=value) | Q(co_organisers__slug=value)).distinct()


class SharedExperienceFilter(django_filters.FilterSet):
    collective = django_filters.CharFilter(field_name="collective__slug", label=_("identifiant du collectif"))
    theme = django_filters.ModelChoiceFilter(
        field_name="themes", queryset=Theme.objects.all(), distinct=True, label=_("thématique")
    )


class LessonFilter(SharedExperienceFilter):
    class Meta:
        model = Lesson
        fields = ["kind", "theme", "event", "collective"]


class ProposalFilter(SharedExperienceFilter):
    class Meta:
        model = Proposal
        fields = ["kind", "theme", "event", "collective"]


class ActionIdeaFilter(SharedExperienceFilter):
    interested = django_filters.CharFilter(
        field_name="interested_collectives__slug", distinct=True, label=_("identifiant d'un collectif intéressé")
    )

    class Meta:
        model = ActionIdea
        fields = ["theme", "event", "collective", "interested"]
