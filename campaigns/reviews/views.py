"""API of review cycles: cycles, assessments, the grid of a municipality, CSV round trip,
progress analytics and scorecards."""

import django_filters
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, parsers, permissions, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.reviews import analytics, scorecard_pdfs, spreadsheet
from campaigns.reviews.models import Assessment, AssessmentStatus
from campaigns.reviews.scorecards import scorecard
from campaigns.reviews.selectors import assessments_visible_to, cycles_visible_to
from campaigns.reviews.serializers import (
    AssessmentSerializer,
    GridMeasureSerializer,
    GridRowSerializer,
    GridSerializer,
    PendingFileSerializer,
    ProgressSerializer,
    ReviewCycleSerializer,
    ReviewImportErrorsSerializer,
    ReviewImportReportSerializer,
    ScorecardSerializer,
)
from campaigns.reviews.services import (
    cycle_close,
    cycle_create,
    cycle_open,
    cycle_publish,
    grid_pledged,
    grid_save,
)
from core.exceptions import RequestTooLarge
from core.parsers import MultiPartParser
from core.renderers import CSVRenderer, PDFRenderer
from officials.importers import ImportFileError
from officials.models import Municipality


class IsStaffForCycleChanges(permissions.BasePermission):
    """Anyone reads visible cycles; staff create, open, close and publish them. The grid
    and the CSV import are checked per municipality (members of its collectives)."""

    reads_are_public = True  # documented in the schema: no 403 on a read

    member_actions = {"grid", "import_csv"}

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS or view.action in self.member_actions:
            return True
        return bool(request.user and request.user.is_staff)


class ReviewCycleViewSet(viewsets.ModelViewSet):
    serializer_class = ReviewCycleSerializer
    permission_classes = [IsStaffForCycleChanges]
    filterset_fields = ["pact", "status", "is_published"]
    ordering_fields = ["opens_on", "name"]
    http_method_names = ["get", "post", "patch", "delete", "put", "head", "options"]

    def get_queryset(self):
        return cycles_visible_to(self.request.user).select_related("scale")

    def perform_create(self, serializer):
        serializer.instance = cycle_create(**serializer.validated_data)

    def _state_change(self, change, **kwargs):
        cycle = self.get_object()
        change(cycle=cycle, **kwargs)
        return Response(self.get_serializer(cycle).data)

    @extend_schema(request=None, responses=ReviewCycleSerializer)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        """(Re)open the cycle; pledged measures recorded since are added as "non évaluée"."""
        return self._state_change(cycle_open)

    @extend_schema(request=None, responses=ReviewCycleSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._state_change(cycle_close)

    @extend_schema(request=None, responses=ReviewCycleSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._state_change(cycle_publish, published=True)

    @extend_schema(request=None, responses=ReviewCycleSerializer)
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        return self._state_change(cycle_publish, published=False)

    # The grid of one municipality

    def _grid_scope(self, cycle, insee):
        municipality = get_object_or_404(Municipality, insee_code=insee)
        return municipality, grid_pledged(cycle=cycle, municipality=municipality)

    @extend_schema(
        methods=["GET"], responses=GridMeasureSerializer(many=True), summary="Grille d'évaluation d'une commune"
    )
    @extend_schema(methods=["PUT"], request=GridSerializer, responses=GridMeasureSerializer(many=True))
    @action(
        detail=True,
        methods=["get", "put"],
        url_path=r"municipalities/(?P<insee>[0-9AB]{5})/grid",
        # One municipality's rows, all of them: neither the cycles' filters nor pages apply.
        filter_backends=[],
        pagination_class=None,
    )
    def grid(self, request, pk=None, insee=None):
        """GET every pledged measure of the municipality with its assessment; PUT many rows
        at once (all saved or none)."""
        cycle = self.get_object()
        municipality, pledged = self._grid_scope(cycle, insee)
        visible = assessments_visible_to(request.user).filter(cycle=cycle)
        if request.method == "PUT":
            serializer = GridSerializer(
                data=request.data, context={"request": request, "pledged_measure_ids": {pm.pk for pm in pledged}}
            )
            serializer.is_valid(raise_exception=True)
            row_serializer = GridRowSerializer()
            items = [row_serializer.to_input(row) for row in serializer.validated_data["rows"]]
            grid_save(cycle=cycle, municipality=municipality, pledged=pledged, items=items, by=request.user)
        # Assessments of unpublished cycles stay hidden outside the territory's collectives.
        assessments = {a.pledged_measure_id: a for a in visible.filter(pledged_measure__in=[pm.pk for pm in pledged])}
        return Response(GridMeasureSerializer(pledged, many=True, context={"assessments": assessments}).data)

    # CSV round trip

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, CSVRenderer])
    def export(self, request, pk=None):
        """The cycle's assessments as CSV (";" separated, UTF-8 with BOM): the import's format."""
        cycle = self.get_object()
        body = spreadsheet.export_csv(assessments_visible_to(request.user).filter(cycle=cycle))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="bilan-{cycle.pk}-{stamp}.csv"'
        return response

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "dry_run": {"type": "boolean", "description": "aperçu : rien n'est enregistré"},
                },
                "required": ["file"],
            }
        },
        parameters=[
            OpenApiParameter(
                "dry_run", bool, description="true : le rapport de ce que l'import ferait, sans rien enregistrer"
            )
        ],
        responses={
            200: ReviewImportReportSerializer,
            400: ReviewImportErrorsSerializer,
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, parsers.FileUploadParser],
    )
    def import_csv(self, request, pk=None):
        """Create or update assessments from a CSV in the export's format; nothing is written
        if a line is wrong, and the errors say which line and why. The answer reports the rows
        created and updated (before and after), the unchanged ones and the errors; with
        ``dry_run=true`` it is a preview and nothing is written."""
        cycle = self.get_object()
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        try:
            # The declared length first: a file far too large is refused before it is received.
            spreadsheet.check_size(_content_length(request) - MULTIPART_OVERHEAD)
            upload = request.FILES.get("file")
            if upload is not None:
                spreadsheet.check_size(upload.size)
        except spreadsheet.ReviewImportTooLarge as exc:
            raise RequestTooLarge(exc.limit) from exc
        if upload is None:
            raise exceptions.ValidationError({"file": [_("Joignez le fichier CSV dans le champ « file ».")]})
        dry_run = _is_true(request.query_params.get("dry_run")) or _is_true(request.data.get("dry_run"))
        try:
            if dry_run:
                report = spreadsheet.import_preview(cycle=cycle, source=upload, by=request.user)
            else:
                report = spreadsheet.import_apply(cycle=cycle, source=upload, by=request.user)
        except ImportFileError as exc:
            raise exceptions.ValidationError({"file": [str(exc)]}) from exc
        except spreadsheet.ReviewImportInvalid as exc:
            return Response(_import_errors(exc.messages), status=status.HTTP_400_BAD_REQUEST)
        body = ReviewImportReportSerializer(report, context={"dry_run": dry_run}).data
        return Response(body, status=status.HTTP_200_OK)

    # Analytics

    @extend_schema(
        parameters=[
            OpenApiParameter("by", enum=list(analytics.GROUPINGS), default="municipality"),
            OpenApiParameter("compare_to", int, description="identifiant d'un autre cycle"),
        ],
        responses=ProgressSerializer,
    )
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        """Per group: counts per status, average progress, score out of 10, number of
        municipalities; with ``compare_to``, the change since that cycle; and the national summary."""
        body = analytics.progress_report(
            cycle=self.get_object(),
            by=request.query_params.get("by", "municipality"),
            user=request.user,
            compare_to=request.query_params.get("compare_to"),
        )
        return Response(ProgressSerializer(body).data)


class AssessmentFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(field_name="pledged_measure__pledge__municipality_id")
    measure = django_filters.NumberFilter(field_name="pledged_measure__measure_id")
    theme = django_filters.NumberFilter(field_name="pledged_measure__measure__theme_id")
    collective = django_filters.CharFilter(field_name="pledged_measure__pledge__collective__slug")
    status = django_filters.MultipleChoiceFilter(choices=AssessmentStatus.choices)

    class Meta:
        model = Assessment
        fields = ["cycle", "municipality", "measure", "theme", "status", "collective"]


class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Assessments (read); they are written through a municipality's grid or a CSV import."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    ordering_fields = ["assessed_at", "progress"]

    def get_queryset(self):
        return assessments_visible_to(self.request.user).select_related(
            "pledged_measure__pledge__municipality", "pledged_measure__measure"
        )


class MunicipalityScorecardView(APIView):
    """Scorecard of a municipality for a cycle (``?cycle=``): JSON, or a PDF report with
    ``format=pdf`` or ``Accept: application/pdf``. A PDF not yet made answers 202 with the
    job that makes it (``/api/jobs/{id}/``): ask the same URL again once it is done."""

    renderer_classes = [*APIView.renderer_classes, PDFRenderer]

    @extend_schema(
        parameters=[OpenApiParameter("cycle", int, required=True)],
        responses={
            200: ScorecardSerializer,
            (200, "application/pdf"): OpenApiTypes.BINARY,
            202: PendingFileSerializer,
        },
    )
    def get(self, request, insee_code: str, format=None):
        municipality = get_object_or_404(Municipality, insee_code=insee_code)
        cycle_id = request.query_params.get("cycle")
        if not cycle_id or not cycle_id.isdecimal():
            raise exceptions.ValidationError({"cycle": [_("Indiquez le cycle de bilan : ?cycle=<identifiant>.")]})
        cycle = get_object_or_404(cycles_visible_to(request.user), pk=cycle_id)
        card = scorecard(cycle=cycle, municipality=municipality, assessments=assessments_visible_to(request.user))
        if request.accepted_renderer.format != "pdf":
            return Response(ScorecardSerializer(card).data)
        # The PDF is laid out by a worker, once per card: the request only finds it.
        name = scorecard_pdfs.scorecard_pdf_name(card)
        pdf = scorecard_pdfs.scorecard_pdf_read(name)
        if pdf is not None:
            filename = f"bilan-{municipality.insee_code}-{cycle.pk}.pdf"
            return Response(pdf, headers={"Content-Disposition": f'inline; filename="{filename}"'})
        job = scorecard_pdfs.scorecard_pdf_request(cycle=cycle, municipality=municipality, name=name, by=request.user)
        detail = _("Le bilan en PDF est en préparation : redemandez cette adresse dans quelques secondes.")
        body = PendingFileSerializer({"detail": detail, "job": job}).data
        headers = {"Retry-After": "3", "Location": f"/api/jobs/{job.pk}/"}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers=headers)


# Room for the multipart boundaries and headers around the file in the declared length.
MULTIPART_OVERHEAD = 16 * 1024


def _content_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _is_true(value) -> bool:
    return str(value).strip().lower() in {"1", "true", "oui", "on"} if value is not None else False


def _import_errors(messages: list[str]) -> dict:
    """The first errors of a file (``IMPORT_MAX_ERRORS_SHOWN``) and how many there are in all."""
    shown = settings.IMPORT_MAX_ERRORS_SHOWN
    listed = messages[:shown]
    if len(messages) > shown:
        listed.append(
            _("… et %(more)s autres erreurs (%(total)s en tout) : corrigez celles-ci et réimportez.")
            % {"more": len(messages) - shown, "total": len(messages)}
        )
    return {"file": listed, "error_count": len(messages)}
