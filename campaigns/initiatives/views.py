from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import filters, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from campaigns.collectives.permissions import CollectiveContentPermission
from campaigns.initiatives.filters import InitiativeFilter
from campaigns.initiatives.selectors import initiatives_geojson, initiatives_visible_to
from campaigns.initiatives.serializers import InitiativeSerializer
from campaigns.initiatives.services import can_validate, initiative_delete, initiative_validate
from core.csv_export import CSVExportMixin

GEOJSON_SCHEMA = {
    "type": "object",
    "description": "GeoJSON FeatureCollection (RFC 7946) des initiatives visibles, filtres appliqués.",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["type", "features"],
}


class InitiativeViewSet(CSVExportMixin, viewsets.ModelViewSet):
    serializer_class = InitiativeSerializer
    filterset_class = InitiativeFilter
    permission_classes = [CollectiveContentPermission]
    filter_backends = [*viewsets.ModelViewSet.filter_backends, filters.SearchFilter]
    search_fields = ["name", "description"]
    ordering_fields = ["name", "kind", "status", "created_at"]
    csv_filename = "initiatives"
    csv_columns = [
        ("Nom", lambda row: row.name),
        ("Type", lambda row: row.get_kind_display()),
        ("Commune", lambda row: row.municipality.name),
        ("Code INSEE", lambda row: row.municipality_id),
        ("Thématiques", lambda row: [theme.name for theme in row.themes.all()]),
        ("Statut", lambda row: row.get_status_display()),
        ("Contact", lambda row: row.contact),
        ("Courriel", lambda row: row.email),
        ("Liens", lambda row: row.links),
        ("Source", lambda row: row.source),
        ("Identifiant dans la source", lambda row: row.source_id),
    ]

    def get_queryset(self):
        return (
            initiatives_visible_to(self.request.user)
            .select_related("municipality", "collective")
            .prefetch_related("themes", "campaigns", "events")
        )

    def perform_destroy(self, instance):
        initiative_delete(initiative=instance)

    @extend_schema(request=None, responses={200: InitiativeSerializer})
    @action(detail=True, methods=["post"])
    def validate(self, request, pk=None):
        """Valider une initiative proposée : elle paraît sur la carte publique."""
        initiative = self.get_object()
        if not can_validate(request.user, initiative):
            raise PermissionDenied(
                _("Seul·es les coordinateur·rices du collectif qui la suit valident une initiative.")
            )
        initiative_validate(initiative=initiative, by=request.user)
        return Response(self.get_serializer(initiative).data)

    @extend_schema(responses={200: OpenApiResponse(response=GEOJSON_SCHEMA, description="FeatureCollection")})
    @action(detail=False, methods=["get"], url_path="geojson", pagination_class=None)
    def geojson(self, request):
        """Les initiatives visibles (filtres de la liste) en GeoJSON, pour d'autres cartes."""
        return Response(initiatives_geojson(self.filter_queryset(self.get_queryset())))
