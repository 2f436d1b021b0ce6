from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import filters, generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.collectives.access import roles_of
from campaigns.collectives.models import Collective, Invitation, Membership, TerritoryRequest
from campaigns.collectives.permissions import CollectivePermission, MembersPermission
from campaigns.collectives.serializers import (
    CollectiveSerializer,
    InvitationSerializer,
    MembershipSerializer,
    MembershipUpdateSerializer,
    MeSerializer,
    MyInvitationSerializer,
    TerritoryRequestSerializer,
)
from campaigns.collectives.services.invitations import send_invitation
from campaigns.collectives.services.members import (
    invitation_accept,
    invitation_decline,
    membership_invite,
    membership_remove,
    membership_update,
)
from campaigns.collectives.services.territory import territory_request_create, territory_request_decide


class CollectiveViewSet(viewsets.ModelViewSet):
    serializer_class = CollectiveSerializer
    permission_classes = [CollectivePermission]
    lookup_field = "slug"
    filter_backends = [filters.SearchFilter, filters.OrderingFilter]
    search_fields = ["name"]
    ordering_fields = ["name"]
    queryset = Collective.objects.prefetch_related("territory")


class CollectiveMembersMixin:
    permission_classes = [MembersPermission]

    @property
    def collective(self) -> Collective:
        if not hasattr(self, "_collective"):
            self._collective = get_object_or_404(Collective, slug=self.kwargs["slug"])
        return self._collective

    def get_queryset(self):
        return self.collective.memberships.select_related("user").order_by("role", "user__last_name", "pk")


class CollectiveMembersView(CollectiveMembersMixin, generics.ListCreateAPIView):
    """Members of a collective: its members read the list; coordinators invite people by
    e-mail. The person becomes a member once they accept (``/api/invitations/``); an address
    without account gets one, with a set-password link. The answer is the invitation, the
    same whether the address had an account or not."""

    serializer_class = MembershipSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(request=MembershipSerializer, responses={201: InvitationSerializer})
    def post(self, request, *args, **kwargs):
        return self.create(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        invitation = membership_invite(
            collective=self.collective,
            email=data["user"]["email"],
            first_name=data["user"].get("first_name", ""),
            last_name=data["user"].get("last_name", ""),
            role=data.get("role", Membership.Role.MEMBER),
            title=data.get("title", ""),
            signs_letters=data.get("signs_letters", False),
            by=request.user,
            notify=send_invitation,
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


class CollectiveInvitationsView(CollectiveMembersMixin, generics.ListAPIView):
    """Invitations a collective sent, and their state (what the inviters typed, nothing more)."""

    serializer_class = InvitationSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return self.collective.invitations.order_by("-created_at", "-id")


class InvitationViewSet(viewsets.ReadOnlyModelViewSet):
    """Invitations addressed to you: accept one to join the collective, or decline it."""

    serializer_class = MyInvitationSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["state"]

    def get_queryset(self):
        # By id: the schema generator asks with an anonymous user, who has none.
        return Invitation.objects.filter(user_id=self.request.user.pk).select_related("collective")

    @extend_schema(request=None, responses=MyInvitationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        invitation = invitation_accept(invitation=self.get_object(), by=request.user)
        return Response(self.get_serializer(invitation).data)

    @extend_schema(request=None, responses=MyInvitationSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        invitation = invitation_decline(invitation=self.get_object(), by=request.user)
        return Response(self.get_serializer(invitation).data)


class CollectiveMemberView(CollectiveMembersMixin, generics.RetrieveUpdateDestroyAPIView):
    """One membership: coordinators change the role or remove it (never the last coordinator)."""

    def get_serializer_class(self):
        return MembershipSerializer if self.request.method == "GET" else MembershipUpdateSerializer

    def perform_update(self, serializer):
        serializer.instance = membership_update(membership=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        membership_remove(membership=instance)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = (
            type(request.user)
            .objects.prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("collective")))
            .get(pk=request.user.pk)
        )
        return Response(MeSerializer(user).data)


class TerritoryRequestViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Requests to add a municipality to a collective's territory: its coordinators ask,
    its members read them, staff approve or refuse (``approve/``, ``refuse/``)."""

    serializer_class = TerritoryRequestSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["state"]

    def get_queryset(self):
        requests = TerritoryRequest.objects.select_related("collective", "municipality")
        if self.request.user.is_staff:
            return requests
        return requests.filter(collective_id__in=list(roles_of(self.request.user)))

    def perform_create(self, serializer):
        serializer.instance = territory_request_create(by=self.request.user, **serializer.validated_data)

    def _decide(self, approve: bool):
        if not self.request.user.is_staff:
            raise PermissionDenied(_("Seule l'équipe nationale décide des demandes de territoire."))
        request = territory_request_decide(request=self.get_object(), approve=approve, by=self.request.user)
        return Response(self.get_serializer(request).data)

    @extend_schema(request=None, responses=TerritoryRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(True)

    @extend_schema(request=None, responses=TerritoryRequestSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._decide(False)
