"""API of the feedback survey: organisers set it and send the links; participants answer by
their link, without an account; anyone who reads the event reads its figures."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, renderers, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from campaigns.gatherings.models import FeedbackLink, FeedbackSurvey
from campaigns.gatherings.permissions import EventOrganiserPermission
from campaigns.gatherings.selectors import feedback_summary
from campaigns.gatherings.serializers.feedback import (
    FeedbackAnswerSerializer,
    FeedbackFormSerializer,
    FeedbackLinkSerializer,
    FeedbackLinksRequestSerializer,
    FeedbackLinksSentSerializer,
    FeedbackSummarySerializer,
    LinkUsedSerializer,
    SurveySerializer,
)
from campaigns.gatherings.services.feedback import (
    LinkAlreadyUsed,
    feedback_answer,
    feedback_links_send,
    link_of_token,
    survey_set,
)
from campaigns.gatherings.views.parts import EventScopedViewSet
from core.csv_export import csv_bytes
from core.renderers import CSVRenderer

ANSWERS_HEADER = ["Note", "Recommande", "Mots", "Commentaire"]


def survey_of(event) -> FeedbackSurvey:
    survey = FeedbackSurvey.objects.filter(event=event).first()
    if survey is None:
        raise NotFound(_("Cette rencontre n'a pas de questionnaire de satisfaction."))
    return survey


class FeedbackActions:
    """The survey's actions of an event (mixed into the events' viewset)."""

    @extend_schema(methods=["GET"], responses=SurveySerializer)
    @extend_schema(methods=["PUT"], request=SurveySerializer, responses=SurveySerializer)
    @action(detail=True, methods=["get", "put"], pagination_class=None, filter_backends=[])
    def survey(self, request, pk=None):
        """The event's feedback survey; its organisers create it or change its questions (PUT)."""
        event = self.get_object()
        if request.method == "GET":
            return Response(SurveySerializer(survey_of(event)).data)
        serializer = SurveySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(SurveySerializer(survey_set(event=event, by=request.user, **serializer.validated_data)).data)

    @extend_schema(responses=FeedbackSummarySerializer)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def feedback(self, request, pk=None):
        """The survey's figures: the share who recommend, the average score, the words most used."""
        survey = survey_of(self.get_object())
        return Response(FeedbackSummarySerializer(feedback_summary(survey=survey)).data)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY})
    @action(
        detail=True,
        methods=["get"],
        url_path="feedback/answers",
        permission_classes=[EventOrganiserPermission],
        renderer_classes=[renderers.JSONRenderer, CSVRenderer],
        pagination_class=None,
        filter_backends=[],
    )
    def feedback_answers(self, request, pk=None):
        """The answers, one a line (anonymous: no address), as CSV; for the organisers."""
        event = self.get_object()
        survey = survey_of(event)
        answers = survey.answers.prefetch_related("words").order_by("id")
        body = csv_bytes(
            ANSWERS_HEADER,
            (
                [
                    answer.score,
                    "oui" if answer.score >= survey.recommend_from else "non",
                    ", ".join(word.word for word in answer.words.all()),
                    answer.comment,
                ]
                for answer in answers
            ),
        )
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="avis-rencontre-{event.pk}.csv"'
        return response


class FeedbackLinkViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, EventScopedViewSet):
    """The links sent for the event's survey (who got one, whether it was used); POST sends
    a link to each new address through the outbox. For the organisers."""

    serializer_class = FeedbackLinkSerializer
    permission_classes = [EventOrganiserPermission]
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS  # as many as participants

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return FeedbackLink.objects.none()
        self.check_object_permissions(self.request, self.event)
        return FeedbackLink.objects.filter(survey__event=self.event).select_related("outbound_email")

    @extend_schema(request=FeedbackLinksRequestSerializer, responses={201: FeedbackLinksSentSerializer})
    def create(self, request, *args, **kwargs):
        self.check_object_permissions(request, self.event)
        serializer = FeedbackLinksRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created, skipped = feedback_links_send(
            event=self.event, emails=serializer.validated_data["emails"], by=request.user
        )
        body = FeedbackLinksSentSerializer({"created": created, "skipped": skipped}).data
        return Response(body, status=status.HTTP_201_CREATED)


class LinkUsed(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class FeedbackAnswerView(APIView):
    """A participant's link: GET shows the survey, POST answers it (once, no account needed)."""

    authentication_classes = []  # the token in the address is the only credential
    permission_classes = [permissions.AllowAny]

    def link(self, token: str) -> FeedbackLink:
        link = link_of_token(token)
        if link is None:
            raise NotFound(_("Ce lien de réponse n'existe pas."))
        return link

    @extend_schema(responses=FeedbackFormSerializer)
    def get(self, request, token: str):
        return Response(FeedbackFormSerializer(self.link(token)).data)

    @extend_schema(request=FeedbackAnswerSerializer, responses={201: FeedbackAnswerSerializer, 409: LinkUsedSerializer})
    def post(self, request, token: str):
        link = self.link(token)
        serializer = FeedbackAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            feedback_answer(link=link, **serializer.validated_data)
        except LinkAlreadyUsed as exc:
            raise LinkUsed(str(exc)) from exc
        return Response(serializer.data, status=status.HTTP_201_CREATED)
