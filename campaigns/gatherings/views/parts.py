"""API of an event's parts, under /api/events/{event_pk}/: its programme and its resources."""

from pathlib import Path

from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action

from campaigns.gatherings.models import EventResource, ProgrammeItem
from campaigns.gatherings.permissions import EventPartPermission
from campaigns.gatherings.selectors import events_visible_to, resources_visible_to
from campaigns.gatherings.serializers.events import EventResourceSerializer, ProgrammeItemSerializer
from campaigns.gatherings.services.events import programme_item_delete, resource_delete
from core.files import file_response


class EventScopedViewSet(viewsets.GenericViewSet):
    """Rows of the event named in the URL (not found when the caller may not read it)."""

    pagination_class = None  # a programme or a list of resources is read whole
    filter_backends = []

    @cached_property
    def event(self):
        return get_object_or_404(events_visible_to(self.request.user), pk=self.kwargs["event_pk"])

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "event_pk" in self.kwargs:
            context["event"] = self.event
        return context


class EventPartViewSet(viewsets.ModelViewSet, EventScopedViewSet):
    permission_classes = [EventPartPermission]


class ProgrammeItemViewSet(EventPartViewSet):
    """The event's programme, in time order, with its speakers."""

    serializer_class = ProgrammeItemSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProgrammeItem.objects.none()
        return self.event.programme.prefetch_related("speakers__official")

    def perform_destroy(self, instance):
        programme_item_delete(item=instance, by=self.request.user)


class EventResourceViewSet(EventPartViewSet):
    """Links and files shared after the event; those not public are for the network's members.
    A file is sent as multipart (``file``), a link as ``url``."""

    serializer_class = EventResourceSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return EventResource.objects.none()
        return resources_visible_to(self.request.user, event=self.event)

    def perform_destroy(self, instance):
        resource_delete(resource=instance, by=self.request.user)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request, event_pk=None, pk=None):
        """The resource's file, as it was uploaded."""
        resource = self.get_object()
        if not resource.file:
            raise exceptions.NotFound(_("Cette ressource est un lien, sans fichier."))
        # Uploaded by a member: a download, never a page displayed under the site's origin.
        return file_response(resource.file, filename=Path(resource.file.name).name, inline=False)
