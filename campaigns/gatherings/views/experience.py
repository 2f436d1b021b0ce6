"""API of the shared experience: lessons, proposals and action ideas across the network."""

from drf_spectacular.utils import extend_schema
from rest_framework import filters, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from campaigns.advocacy.serializers import CampaignSerializer
from campaigns.collectives.permissions import CollectiveContentPermission
from campaigns.gatherings.filters import ActionIdeaFilter, LessonFilter, ProposalFilter
from campaigns.gatherings.selectors import action_ideas_visible_to, lessons_visible_to, proposals_visible_to
from campaigns.gatherings.serializers.experience import (
    ActionIdeaLaunchSerializer,
    ActionIdeaSerializer,
    LessonSerializer,
    ProposalSerializer,
)
from campaigns.gatherings.services.experience import action_idea_launch


class SharedExperienceViewSet(viewsets.ModelViewSet):
    """Members write their collective's rows; its coordinators delete them."""

    permission_classes = [CollectiveContentPermission]
    filter_backends = [*viewsets.ModelViewSet.filter_backends, filters.SearchFilter]
    ordering_fields = ["created_at"]


class LessonViewSet(SharedExperienceViewSet):
    """Practices to keep, to stop and to start, across the network (``?kind=keep``: what do
    others keep?)."""

    serializer_class = LessonSerializer
    filterset_class = LessonFilter
    search_fields = ["text"]
    ordering_fields = ["created_at", "kind"]

    def get_queryset(self):
        return lessons_visible_to(self.request.user).select_related("collective").prefetch_related("themes")


class ProposalViewSet(SharedExperienceViewSet):
    """Cells of the "we could / they could / we need" grids (an event's grid:
    /api/events/{id}/proposal-grid/)."""

    serializer_class = ProposalSerializer
    filterset_class = ProposalFilter
    search_fields = ["text", "question"]

    def get_queryset(self):
        return proposals_visible_to(self.request.user).select_related("collective").prefetch_related("themes")


class ActionIdeaViewSet(SharedExperienceViewSet):
    """Ideas to build together, and the campaigns they became."""

    serializer_class = ActionIdeaSerializer
    filterset_class = ActionIdeaFilter
    search_fields = ["title", "question", "description"]
    ordering_fields = ["created_at", "title"]

    def get_queryset(self):
        return (
            action_ideas_visible_to(self.request.user)
            .select_related("collective")
            .prefetch_related("themes", "interested_collectives", "campaigns")
        )

    @extend_schema(request=ActionIdeaLaunchSerializer, responses={201: CampaignSerializer(many=True)})
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated],
        pagination_class=None,
        filter_backends=[],
    )
    def campaigns(self, request, pk=None):
        """Turn the idea into a campaign of each collective given (you must be a member of
        each; none given: the idea's collective). A collective that took the idea up already
        keeps its campaign."""
        idea = self.get_object()
        serializer = ActionIdeaLaunchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        campaigns = action_idea_launch(
            idea=idea,
            collectives=data.get("collectives") or [idea.collective],
            by=request.user,
            title=data.get("title", ""),
            objective=data.get("objective", ""),
        )
        body = CampaignSerializer(campaigns, many=True, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)
