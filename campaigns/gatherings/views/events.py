"""API of events: the events themselves, their calendar feed, the participants' export and
the proposal grid (the feedback's actions come from ``FeedbackActions``)."""

from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import filters, permissions, renderers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from campaigns.collectives.models import Collective
from campaigns.collectives.permissions import CollectiveContentPermission
from campaigns.gatherings.calendar import calendar_feed
from campaigns.gatherings.filters import EventFilter
from campaigns.gatherings.selectors import (
    events_visible_to,
    linked_initiatives,
    participant_rows,
    proposal_grid,
    proposals_visible_to,
    public_events,
)
from campaigns.gatherings.serializers.events import EventSerializer
from campaigns.gatherings.serializers.experience import ProposalGridRowSerializer
from campaigns.gatherings.services.events import event_delete
from campaigns.gatherings.views.feedback import FeedbackActions
from core.csv_export import cell_text, csv_bytes
from core.renderers import CSVRenderer, ICSRenderer

PARTICIPANTS_HEADER = ["Date", "Rencontre", "Type", "Commune", "Collectif organisateur", "Catégorie", "Nombre"]


class EventViewSet(FeedbackActions, viewsets.ModelViewSet):
    """Gatherings: public ones for everyone, members-only ones for the network's members.
    Members of the organising collective write them; its coordinators delete them."""

    serializer_class = EventSerializer
    permission_classes = [CollectiveContentPermission]
    filterset_class = EventFilter
    filter_backends = [*viewsets.ModelViewSet.filter_backends, filters.SearchFilter]
    search_fields = ["title", "description", "venue"]
    ordering_fields = ["start_date", "title", "kind"]

    def get_queryset(self):
        return (
            events_visible_to(self.request.user)
            .select_related("collective", "municipality")
            .prefetch_related("co_organisers", "attending_collectives", "participant_counts", linked_initiatives())
        )

    def perform_destroy(self, instance):
        event_delete(event=instance, by=self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("collective", str, description=_("identifiant d'un collectif (vide : tout le réseau)"))
        ],
        responses={(200, "text/calendar"): OpenApiTypes.BINARY},
    )
    @action(
        detail=False,
        methods=["get"],
        permission_classes=[permissions.AllowAny],
        renderer_classes=[ICSRenderer, renderers.JSONRenderer],
        filter_backends=[],
        pagination_class=None,
    )
    def calendar(self, request):
        """The public events as an iCalendar feed to subscribe to: the whole network's, or
        those a collective organises or co-organises (``?collective=``)."""
        events, name = public_events(), _("Rencontres du réseau")
        slug = request.query_params.get("collective")
        if slug:
            collective = Collective.objects.filter(slug=slug).first()
            if collective is None:
                raise NotFound(_("Aucun collectif n'a l'identifiant « %(slug)s ».") % {"slug": slug})
            events = events.filter(Q(collective=collective) | Q(co_organisers=collective)).distinct()
            name = _("Rencontres — %(name)s") % {"name": collective.name}
        response = HttpResponse(calendar_feed(events=events, name=name), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="rencontres.ics"'
        return response

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY})
    @action(
        detail=False, methods=["get"], renderer_classes=[renderers.JSONRenderer, CSVRenderer], pagination_class=None
    )
    def participants(self, request):
        """The participants' counts by category of the listed events (same filters), as CSV."""
        rows = participant_rows(events=self.filter_queryset(self.get_queryset()))
        body = csv_bytes(
            PARTICIPANTS_HEADER,
            (
                [
                    cell_text(row.event.start_date),
                    row.event.title,
                    row.event.get_kind_display(),
                    row.event.municipality.name if row.event.municipality_id else "",
                    row.event.collective.name,
                    row.category,
                    row.count,
                ]
                for row in rows.select_related("event__collective")
            ),
        )
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="participants-{timezone.localdate().isoformat()}.csv"'
        return response

    @extend_schema(responses=ProposalGridRowSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="proposal-grid", pagination_class=None, filter_backends=[])
    def proposal_grid(self, request, pk=None):
        """The "we could / they could / we need" grid of the event: a row per question, its
        three columns of proposals."""
        event = self.get_object()
        proposals = proposals_visible_to(request.user).filter(event=event).select_related("collective")
        rows = proposal_grid(proposals=proposals.prefetch_related("themes"))
        return Response(ProposalGridRowSerializer(rows, many=True).data)
