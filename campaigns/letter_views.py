"""API of letter templates, interpellations and letters."""

import io
import zipfile

import django_filters
from django.db.models import Count, F, FloatField, ProtectedError, Q
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, parsers, permissions, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from backend.renderers import PDFRenderer, ZIPRenderer
from campaigns.access import is_coordinator, is_member, roles_of
from campaigns.letter_serializers import (
    InterpellationCreatedSerializer,
    InterpellationSerializer,
    LetterReplySerializer,
    LetterSerializer,
    LetterTemplateSerializer,
    ReplyRateSerializer,
    TemplatePreviewResultSerializer,
    TemplatePreviewSerializer,
)
from campaigns.models import Collective, Interpellation, Letter, LetterTemplate
from campaigns.services import letters as letter_services
from officials.models import Mandate
from tasks.pdf import merge_pdfs


class MemberContentPermission(permissions.IsAuthenticated):
    """Signed-in users; rows are filtered to their collectives; coordinators delete."""

    def has_object_permission(self, request, view, obj):
        collective_id = getattr(obj, "collective_id", None)
        if request.method == "DELETE":
            return is_coordinator(request.user, collective_id)
        # Previewing writes nothing: members preview the shared templates too.
        if request.method not in permissions.SAFE_METHODS and collective_id is None and view.action != "preview":
            return request.user.is_staff  # shared templates: staff only
        return collective_id is None or is_member(request.user, collective_id)


def _mine(user):
    return Q() if user.is_staff else Q(collective_id__in=list(roles_of(user)))


class LetterTemplateViewSet(viewsets.ModelViewSet):
    """Letter templates: the shared ones and those of your collectives. Merge fields:
    official, municipality, collective, pledge, campaign, today (see the project's docs)."""

    serializer_class = LetterTemplateSerializer
    permission_classes = [MemberContentPermission]
    filterset_fields = ["kind"]

    def get_queryset(self):
        user = self.request.user
        templates = LetterTemplate.objects.order_by("collective_id", "name")
        if user.is_staff:
            return templates
        return templates.filter(Q(collective_id__in=list(roles_of(user))) | Q(collective__isnull=True))

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except ProtectedError as exc:
            raise exceptions.ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY: [
                        _("Ce modèle a servi à des interpellations : il ne peut pas être supprimé.")
                    ]
                }
            ) from exc

    @extend_schema(request=TemplatePreviewSerializer, responses=TemplatePreviewResultSerializer)
    @action(detail=True, methods=["post"])
    def preview(self, request, pk=None):
        """Render the template for one official: the subject and the letter's HTML."""
        template = self.get_object()
        serializer = TemplatePreviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        official = serializer.validated_data["official"]
        collective = serializer.validated_data.get("collective") or template.collective
        if collective is None:
            memberships = list(roles_of(request.user))
            collective = Collective.objects.filter(pk__in=memberships).first() if memberships else None
        if collective is None or not is_member(request.user, collective.pk):
            raise exceptions.ValidationError({"collective": [_("Indiquez un de vos collectifs.")]})
        mandate = Mandate.objects.current().filter(official=official).in_protocol_order().first()
        letter = Letter(
            interpellation=Interpellation(
                collective=collective, template=template, campaign=serializer.validated_data.get("campaign")
            ),
            official=official,
            municipality=mandate.municipality if mandate else None,
            role=mandate.role if mandate else "",
        )
        context = letter_services.preview_context(letter)
        try:
            subject, html = letter_services.letter_html(template, context)
        except letter_services.lettering.TemplateInvalid as exc:
            raise exceptions.ValidationError({exc.field: [str(exc)]}) from exc
        return Response(TemplatePreviewResultSerializer({"subject": subject, "html": html}).data)


class InterpellationViewSet(viewsets.ModelViewSet):
    """An interpellation writes to many officials at once. Creating one answers 202 with
    the job that renders (and, if asked, e-mails) the letters: follow it at /api/jobs/{id}/."""

    serializer_class = InterpellationSerializer
    permission_classes = [MemberContentPermission]
    filterset_fields = ["collective", "campaign", "delivery"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return (
            Interpellation.objects.filter(_mine(self.request.user))
            .select_related("collective", "template")
            .annotate(
                letters_count=Count("letters"),
                answered_count=Count("letters", filter=Q(letters__status=Letter.Status.ANSWERED)),
            )
            # Meta.ordering does not apply to a grouped query: pages would be in no stable order.
            .order_by("-created_at", "-id")
        )

    @extend_schema(responses={202: InterpellationCreatedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        interpellation, job = letter_services.interpellation_create(
            by=request.user, officials=data.pop("officials", []), **data
        )
        body = InterpellationCreatedSerializer(
            {"interpellation": self.get_queryset().get(pk=interpellation.pk), "job": job},
            context=self.get_serializer_context(),
        )
        return Response(body.data, status=status.HTTP_202_ACCEPTED, headers={"Location": f"/api/jobs/{job.pk}/"})

    def _files(self, interpellation):
        letters = (
            interpellation.letters.exclude(pdf="")
            .select_related("official", "municipality")
            .order_by("municipality__name", "official__last_name", "pk")
        )
        if not letters:
            raise exceptions.NotFound(_("Aucun courrier n'est encore prêt."))
        return letters

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, PDFRenderer])
    def pdf(self, request, pk=None):
        """All the letters in one PDF, for printing."""
        interpellation = self.get_object()
        contents = []
        for letter in self._files(interpellation):
            with letter.pdf.open("rb") as handle:
                contents.append(handle.read())
        response = HttpResponse(merge_pdfs(contents), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="interpellation-{interpellation.pk}.pdf"'
        return response

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, ZIPRenderer])
    def zip(self, request, pk=None):
        """Every letter as its own PDF, in a ZIP file."""
        interpellation = self.get_object()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for letter in self._files(interpellation):
                place = letter.municipality.name if letter.municipality else "sans-commune"
                name = f"{place}-{letter.official.last_name}-{letter.pk}.pdf"
                with letter.pdf.open("rb") as handle:
                    archive.writestr(name.replace("/", "-"), handle.read())
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="interpellation-{interpellation.pk}.zip"'
        return response


class LetterFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(field_name="municipality_id")

    class Meta:
        model = Letter
        fields = ["interpellation", "official", "municipality", "status", "channel"]


REPLY_GROUPS = {
    "campaign": ("interpellation__campaign_id", "interpellation__campaign__title"),
    "municipality": ("municipality_id", "municipality__name"),
    "official": ("official_id", "official__last_name"),
}


class LetterViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LetterSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = LetterFilter
    ordering_fields = ["sent_at", "status"]

    def get_queryset(self):
        queryset = Letter.objects.select_related("official", "municipality")
        if self.request.user.is_staff:
            return queryset
        return queryset.filter(interpellation__collective_id__in=list(roles_of(self.request.user)))

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, PDFRenderer])
    def pdf(self, request, pk=None):
        letter = self.get_object()
        if not letter.pdf:
            raise exceptions.NotFound(_("Ce courrier n'est pas encore prêt."))
        with letter.pdf.open("rb") as handle:
            response = HttpResponse(handle.read(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="courrier-{letter.pk}.pdf"'
        return response

    @extend_schema(request=LetterReplySerializer, responses=LetterSerializer)
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser],
    )
    def reply(self, request, pk=None):
        """Record the official's reply: it stops the reminders."""
        letter = self.get_object()
        serializer = LetterReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        letter = letter_services.letter_reply(
            letter=letter,
            date=data["date"],
            summary=data["summary"],
            outcome=data.get("outcome", ""),
            file=data.get("file"),
        )
        return Response(LetterSerializer(letter, context={"request": request}).data)

    @extend_schema(
        parameters=[OpenApiParameter("by", enum=list(REPLY_GROUPS), default="official")],
        responses=ReplyRateSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="reply-rates", pagination_class=None)
    def reply_rates(self, request):
        """Who answers and who never does: letters sent, answered, and the rate, per group."""
        by = request.query_params.get("by", "official")
        if by not in REPLY_GROUPS:
            raise exceptions.ValidationError({"by": [_("Choisissez parmi : %(c)s.") % {"c": ", ".join(REPLY_GROUPS)}]})
        key, label = REPLY_GROUPS[by]
        sent = self.filter_queryset(self.get_queryset()).filter(status__in=[Letter.Status.SENT, Letter.Status.ANSWERED])
        rows = (
            sent.values(key=F(key), label=F(label))
            .annotate(
                sent=Count("pk"),
                answered=Count("pk", filter=Q(status=Letter.Status.ANSWERED)),
            )
            .annotate(rate=Cast("answered", FloatField()) / Cast("sent", FloatField()))
            .order_by("rate", "label")
        )
        return Response(ReplyRateSerializer([{**row, "rate": round(row["rate"], 3)} for row in rows], many=True).data)
