from django.db.models import Prefetch
from rest_framework import viewsets

from campaigns.collectives.permissions import CollectiveContentPermission
from campaigns.pledges.filters import PledgeFilter
from campaigns.pledges.models import Pledge, PledgedMeasure
from campaigns.pledges.serializers import PledgeSerializer
from campaigns.pledges.services import pledge_delete
from core.csv_export import CSVExportMixin
from core.search import SearchFilter


class PledgeViewSet(CSVExportMixin, viewsets.ModelViewSet):
    serializer_class = PledgeSerializer
    permission_classes = [CollectiveContentPermission]
    filterset_class = PledgeFilter
    filter_backends = [*viewsets.ModelViewSet.filter_backends, SearchFilter]
    search_fields = ["list_name", "municipality__search_name", "head_of_list_name"]
    ordering_fields = ["signed_on", "list_name", "municipality__name"]
    csv_filename = "pactes-signes"
    csv_columns = [
        ("Commune", lambda pledge: pledge.municipality.name),
        ("Code INSEE", lambda pledge: pledge.municipality_id),
        ("Liste", lambda pledge: pledge.list_name),
        ("Pacte", lambda pledge: pledge.pact.name),
        ("Collectif", lambda pledge: pledge.collective.name if pledge.collective else ""),
        ("Date de signature", lambda pledge: pledge.signed_on),
        ("Résultat de l'élection", lambda pledge: pledge.get_election_outcome_display()),
        ("Mesures", lambda pledge: [item.measure.code for item in pledge.measures.all()]),
    ]

    def get_queryset(self):
        items = PledgedMeasure.objects.select_related("measure", "level").order_by("measure__position", "measure__code")
        return Pledge.objects.select_related("municipality", "pact", "collective").prefetch_related(
            Prefetch("measures", queryset=items)
        )

    def perform_destroy(self, instance):
        pledge_delete(pledge=instance)
