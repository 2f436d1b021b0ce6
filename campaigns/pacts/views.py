from django.db.models import Prefetch
from rest_framework import viewsets

from campaigns.pacts.filters import MeasureFilter
from campaigns.pacts.models import Measure, MeasureLevel, Pact
from campaigns.pacts.serializers import MeasureSerializer, PactDetailSerializer, PactSerializer
from core.permissions import IsStaffOrReadOnly


class PactViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsStaffOrReadOnly]

    def get_queryset(self):
        queryset = Pact.objects.all()
        if self.action == "retrieve":
            levels = Prefetch("levels", queryset=MeasureLevel.objects.order_by("rank"))
            measures = Measure.objects.select_related("theme").prefetch_related(levels)
            queryset = queryset.prefetch_related("themes", Prefetch("measures", queryset=measures))
        return queryset

    def get_serializer_class(self):
        return PactDetailSerializer if self.action == "retrieve" else PactSerializer


class MeasureViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter
    queryset = Measure.objects.select_related("theme").prefetch_related("levels")
