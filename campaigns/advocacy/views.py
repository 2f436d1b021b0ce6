from rest_framework import filters, viewsets

from campaigns.advocacy.filters import ActionFilter, CampaignFilter
from campaigns.advocacy.selectors import actions_visible_to, campaigns_visible_to
from campaigns.advocacy.serializers import ActionSerializer, CampaignSerializer
from campaigns.collectives.permissions import CollectiveContentPermission
from core.csv_export import CSVExportMixin


def _codes(related) -> list[str]:
    return [measure.code for measure in related.all()]


class CampaignViewSet(CSVExportMixin, viewsets.ModelViewSet):
    serializer_class = CampaignSerializer
    permission_classes = [CollectiveContentPermission]
    filterset_class = CampaignFilter
    filter_backends = [*viewsets.ModelViewSet.filter_backends, filters.SearchFilter]
    search_fields = ["title", "objective"]
    ordering_fields = ["start_date", "end_date", "title", "status"]
    csv_filename = "campagnes"
    csv_columns = [
        ("Titre", lambda campaign: campaign.title),
        ("Collectif", lambda campaign: campaign.collective.name),
        ("Statut", lambda campaign: campaign.get_status_display()),
        ("Début", lambda campaign: campaign.start_date),
        ("Fin", lambda campaign: campaign.end_date),
        ("Objectif", lambda campaign: campaign.objective),
        ("Mesures", lambda campaign: _codes(campaign.measures)),
        ("Communes", lambda campaign: [m.name for m in campaign.municipalities.all()]),
        ("Publique", lambda campaign: campaign.is_public),
    ]

    def get_queryset(self):
        return (
            campaigns_visible_to(self.request.user)
            .select_related("collective")
            .prefetch_related("measures", "municipalities", "officials")
        )


class ActionViewSet(CSVExportMixin, viewsets.ModelViewSet):
    serializer_class = ActionSerializer
    permission_classes = [CollectiveContentPermission]
    filterset_class = ActionFilter
    filter_backends = [*viewsets.ModelViewSet.filter_backends, filters.SearchFilter]
    search_fields = ["title", "description", "outcome_note"]
    ordering_fields = ["date", "title", "outcome", "kind"]
    csv_filename = "actions"
    csv_columns = [
        ("Date", lambda action: action.date),
        ("Type", lambda action: action.get_kind_display()),
        ("Titre", lambda action: action.title),
        ("Collectif", lambda action: action.collective.name),
        ("Campagne", lambda action: action.campaign.title if action.campaign else ""),
        ("Commune", lambda action: action.municipality.name if action.municipality else ""),
        ("Élu·es visé·es", lambda action: [str(official) for official in action.officials.all()]),
        ("Mesures", lambda action: _codes(action.measures)),
        ("Résultat", lambda action: action.get_outcome_display()),
        ("Commentaire", lambda action: action.outcome_note),
        ("Description", lambda action: action.description),
        ("Liens", lambda action: action.links),
        ("Publique", lambda action: action.is_public),
    ]

    def get_queryset(self):
        return (
            actions_visible_to(self.request.user)
            .select_related("collective", "campaign", "municipality")
            .prefetch_related("measures", "officials")
        )
