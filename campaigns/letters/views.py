"""API of letter templates, interpellations and letters."""

from pathlib import Path

import django_filters
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, parsers, permissions, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from campaigns.collectives.access import is_coordinator, is_member, roles_of
from campaigns.letters import selectors
from campaigns.letters.models import Interpellation, Letter, LetterTemplate
from campaigns.letters.serializers import (
    INTERPELLATION_REFUSED_SCHEMA,
    DownloadPendingSerializer,
    InterpellationCreatedSerializer,
    InterpellationPostedSerializer,
    InterpellationSerializer,
    LetterReminderSerializer,
    LetterReplySerializer,
    LetterSerializer,
    LetterTemplateSerializer,
    PostedResultSerializer,
    PostedSerializer,
    ReadinessItemSerializer,
    ReadinessSerializer,
    ReplyRateSerializer,
    ResumedSerializer,
    TemplatePreviewResultSerializer,
    TemplatePreviewSerializer,
)
from campaigns.letters.services.departures import interpellation_post, letter_post, reminder_post
from campaigns.letters.services.downloads import interpellation_bundle_request
from campaigns.letters.services.interpellations import (
    interpellation_create,
    interpellation_readiness_check,
    interpellation_resume,
)
from campaigns.letters.services.previews import template_preview
from campaigns.letters.services.readiness import InterpellationNotReady, is_ready
from campaigns.letters.services.replies import letter_reply
from core.files import file_response
from core.renderers import PDFRenderer, ZIPRenderer


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
        templates = LetterTemplate.objects.select_related("collective").order_by("collective_id", "name")
        if user.is_staff:
            return templates
        return templates.filter(Q(collective_id__in=list(roles_of(user))) | Q(collective__isnull=True))

    @extend_schema(request=TemplatePreviewSerializer, responses=TemplatePreviewResultSerializer)
    @action(detail=True, methods=["post"])
    def preview(self, request, pk=None):
        """Render the template for one official: the subject and the letter's HTML."""
        template = self.get_object()
        serializer = TemplatePreviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subject, html, items = template_preview(template=template, by=request.user, **serializer.validated_data)
        body = {"subject": subject, "html": html, "readiness": _items(items)}
        return Response(TemplatePreviewResultSerializer(body).data)


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

    @extend_schema(responses={202: InterpellationCreatedSerializer, 400: INTERPELLATION_REFUSED_SCHEMA})
    def create(self, request, *args, **kwargs):
        """Start an interpellation. Refused (400 with ``readiness``) while the readiness check
        finds a blocking item, unless ``confirm`` is true."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        confirmed = data.pop("confirm", False)
        try:
            interpellation, job = interpellation_create(
                by=request.user, officials=data.pop("officials", []), confirmed=confirmed, **data
            )
        except InterpellationNotReady as exc:
            body = {"detail": str(exc), "readiness": ReadinessItemSerializer(_items(exc.items), many=True).data}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        body = InterpellationCreatedSerializer(
            {"interpellation": self.get_queryset().get(pk=interpellation.pk), "job": job},
            context=self.get_serializer_context(),
        )
        return Response(body.data, status=status.HTTP_202_ACCEPTED, headers={"Location": f"/api/jobs/{job.pk}/"})

    @extend_schema(request=InterpellationSerializer, responses=ReadinessSerializer)
    @action(detail=False, methods=["post"])
    def readiness(self, request):
        """The readiness check of a would-be interpellation (the body of a creation): what
        would make its letters look wrong, and which points block the sending."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("confirm", None)
        for name in ("remind_after_days", "max_reminders", "reminder_template"):
            data.pop(name, None)
        items = interpellation_readiness_check(by=request.user, **data)
        return Response(ReadinessSerializer({"ready": is_ready(items), "items": _items(items)}).data)

    def _download(self, interpellation, field: str, content_type: str):
        """The stored file, or why it is not there yet (409, with the job to follow)."""
        stored = getattr(interpellation, field)
        if stored:
            extension = "pdf" if field == "letters_pdf" else "zip"
            return file_response(
                stored,
                filename=f"interpellation-{interpellation.pk}.{extension}",
                inline=False,
                content_type=content_type,
            )
        if interpellation.letters.filter(status=Letter.Status.DRAFT).exists():
            detail = _("Les courriers sont en cours de préparation : le fichier sera prêt quand la tâche sera finie.")
        elif not interpellation.letters.exclude(pdf="").exists():
            raise exceptions.NotFound(_("Aucun courrier n'est encore prêt."))
        else:  # letters rendered before the downloads were built with the job
            interpellation_bundle_request(interpellation=interpellation)
            detail = _("Le fichier est en préparation : réessayez dans un instant.")
        body = DownloadPendingSerializer({"detail": detail, "job": interpellation.job}).data
        return Response(body, status=status.HTTP_409_CONFLICT, headers={"Retry-After": "5"})

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, 409: DownloadPendingSerializer})
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, PDFRenderer])
    def pdf(self, request, pk=None):
        """All the letters in one PDF, for printing: built by the worker once every letter
        is rendered (409 until then, with the job to follow)."""
        return self._download(self.get_object(), "letters_pdf", "application/pdf")

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY, 409: DownloadPendingSerializer})
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, ZIPRenderer])
    def zip(self, request, pk=None):
        """Every letter as its own PDF, in a ZIP file (409 until the worker built it)."""
        return self._download(self.get_object(), "letters_zip", "application/zip")

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(
        detail=True, methods=["get"], url_path="reminders-pdf", renderer_classes=[renderers.JSONRenderer, PDFRenderer]
    )
    def reminders_pdf(self, request, pk=None):
        """The paper reminders of the interpellation in one PDF, for printing: built by the
        worker each time reminders are made."""
        interpellation = self.get_object()
        if not interpellation.reminders_pdf:
            raise exceptions.NotFound(_("Aucune relance papier n'est prête pour cette interpellation."))
        return file_response(
            interpellation.reminders_pdf,
            filename=f"relances-{interpellation.pk}.pdf",
            inline=False,
            content_type="application/pdf",
        )

    @extend_schema(request=InterpellationPostedSerializer, responses=PostedResultSerializer)
    @action(detail=True, methods=["post"])
    def posted(self, request, pk=None):
        """Mark paper letters of the interpellation posted on one date: those listed in
        ``letters``, or all those still to post. All or none."""
        interpellation = self.get_object()
        serializer = InterpellationPostedSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        letters = interpellation_post(
            interpellation=interpellation, date=data["date"], letter_ids=data.get("letters"), by=request.user
        )
        body = {"posted": len(letters), "letters": [letter.pk for letter in letters]}
        return Response(PostedResultSerializer(body).data)

    @extend_schema(request=None, responses=ResumedSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """Staff: take up letters left unfinished (their draft letters are enqueued again;
        none is rendered or e-mailed twice). Beat does it by itself after a while."""
        interpellation = self.get_object()
        if not request.user.is_staff:
            raise exceptions.PermissionDenied(_("Seule l'équipe nationale reprend la préparation des courriers."))
        count = interpellation_resume(interpellation=interpellation)
        interpellation.job.refresh_from_db()
        return Response(ResumedSerializer({"letters": count, "job": interpellation.job}).data)


def _items(items) -> list[dict]:
    return [item.as_dict() for item in items]


class LetterFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(field_name="municipality_id")

    class Meta:
        model = Letter
        fields = ["interpellation", "official", "municipality", "status", "channel"]


class LetterViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LetterSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = LetterFilter
    ordering_fields = ["sent_at", "status"]

    def get_queryset(self):
        queryset = Letter.objects.select_related("official", "municipality").prefetch_related("reminders")
        if self.request.user.is_staff:
            return queryset
        return queryset.filter(interpellation__collective_id__in=list(roles_of(self.request.user)))

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], renderer_classes=[renderers.JSONRenderer, PDFRenderer])
    def pdf(self, request, pk=None):
        letter = self.get_object()
        if not letter.pdf:
            raise exceptions.NotFound(_("Ce courrier n'est pas encore prêt."))
        return file_response(letter.pdf, filename=f"courrier-{letter.pk}.pdf", content_type="application/pdf")

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="reply-file")
    def reply_file(self, request, pk=None):
        """The reply the official sent, as it was uploaded."""
        letter = self.get_object()
        if not letter.reply_file:
            raise exceptions.NotFound(_("Aucun fichier de réponse n'est enregistré pour ce courrier."))
        # Uploaded by a member: a download, never a page displayed under the site's origin.
        return file_response(letter.reply_file, filename=Path(letter.reply_file.name).name, inline=False)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"reminders/(?P<number>[0-9]{1,4})/pdf")
    def reminder_pdf(self, request, pk=None, number=None):
        """The PDF of the letter's reminder number ``number`` (1 for the first)."""
        letter = self.get_object()
        reminder = letter.reminders.filter(number=int(number)).exclude(pdf="").first()
        if reminder is None:
            raise exceptions.NotFound(
                _("Aucune relance n° %(number)s avec un PDF pour ce courrier.") % {"number": number}
            )
        return file_response(
            reminder.pdf, filename=f"relance-{letter.pk}-{reminder.number}.pdf", content_type="application/pdf"
        )

    @extend_schema(request=PostedSerializer, responses=LetterSerializer)
    @action(detail=True, methods=["post"])
    def posted(self, request, pk=None):
        """Mark a paper letter posted on the given date: reminders count from that day."""
        letter = self.get_object()
        serializer = PostedSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        letter = letter_post(letter=letter, date=serializer.validated_data["date"], by=request.user)
        return Response(LetterSerializer(self.get_queryset().get(pk=letter.pk), context={"request": request}).data)

    @extend_schema(request=PostedSerializer, responses=LetterReminderSerializer)
    @action(detail=True, methods=["post"], url_path=r"reminders/(?P<number>[0-9]{1,4})/posted")
    def reminder_posted(self, request, pk=None, number=None):
        """Mark the paper reminder number ``number`` posted on the given date."""
        letter = self.get_object()
        reminder = letter.reminders.filter(number=int(number)).first()
        if reminder is None:
            raise exceptions.NotFound(_("Aucune relance n° %(number)s pour ce courrier.") % {"number": number})
        serializer = PostedSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reminder = reminder_post(reminder=reminder, date=serializer.validated_data["date"], by=request.user)
        return Response(LetterReminderSerializer(reminder, context={"request": request}).data)

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
        letter = letter_reply(
            letter=letter,
            date=data["date"],
            summary=data["summary"],
            outcome=data.get("outcome", ""),
            file=data.get("file"),
            by=request.user,
        )
        return Response(LetterSerializer(letter, context={"request": request}).data)

    @extend_schema(
        parameters=[OpenApiParameter("by", enum=list(selectors.REPLY_GROUPS), default="official")],
        responses=ReplyRateSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="reply-rates", pagination_class=None)
    def reply_rates(self, request):
        """Who answers and who never does: letters sent, answered, and the rate, per group."""
        letters = self.filter_queryset(self.get_queryset())
        rows = selectors.reply_rates(letters=letters, by=request.query_params.get("by", "official"))
        return Response(ReplyRateSerializer(rows, many=True).data)
