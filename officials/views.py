from django.db.models import Prefetch
from rest_framework import viewsets

from core.permissions import IsStaffOrReadOnly
from officials.filters import MandateFilter, MunicipalityFilter, OfficialFilter
from officials.models import Department, Mandate, Municipality, Official
from officials.serializers import (
    DepartmentSerializer,
    MandateSerializer,
    MunicipalityDetailSerializer,
    MunicipalitySerializer,
    OfficialSerializer,
)


class DepartmentViewSet(viewsets.ModelViewSet):
    queryset = Department.objects.all()
    serializer_class = DepartmentSerializer
    permission_classes = [IsStaffOrReadOnly]
    filterset_fields = ["region_code"]
    ordering_fields = ["code", "name"]


class MunicipalityViewSet(viewsets.ModelViewSet):
    serializer_class = MunicipalitySerializer
    permission_classes = [IsStaffOrReadOnly]
    lookup_field = "insee_code"
    # Any stored code must reverse to its URL: a row that slipped past validation would
    # otherwise break the link of every list that shows it (a 500 for everyone).
    lookup_value_regex = "[^/.]+"
    filterset_class = MunicipalityFilter
    ordering_fields = ["name", "insee_code", "population"]

    def get_queryset(self):
        queryset = Municipality.objects.select_related("department")
        if self.action == "retrieve":
            current = Mandate.objects.current().select_related("official").in_protocol_order()
            queryset = queryset.prefetch_related(Prefetch("mandates", queryset=current, to_attr="current_mandates"))
        return queryset

    def get_serializer_class(self):
        return MunicipalityDetailSerializer if self.action == "retrieve" else MunicipalitySerializer


class OfficialViewSet(viewsets.ModelViewSet):
    serializer_class = OfficialSerializer
    permission_classes = [IsStaffOrReadOnly]
    filterset_class = OfficialFilter
    ordering_fields = ["last_name", "first_name"]

    def get_queryset(self):
        mandates = Mandate.objects.select_related("municipality").order_by("-end_date", "start_date")
        return Official.objects.prefetch_related(Prefetch("mandates", queryset=mandates))


class MandateViewSet(viewsets.ModelViewSet):
    serializer_class = MandateSerializer
    permission_classes = [IsStaffOrReadOnly]
    filterset_class = MandateFilter
    ordering_fields = ["start_date", "end_date"]

    def get_queryset(self):
        return Mandate.objects.select_related("municipality")
