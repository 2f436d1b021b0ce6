from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import filters, generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns import selectors, services
from campaigns.access import roles_of
from campaigns.filters import ActionFilter, CampaignFilter, MeasureFilter, PledgeFilter
from campaigns.invitations import send_invitation
from campaigns.models import (
    Collective,
    Invitation,
    Measure,
    MeasureLevel,
    Membership,
    Pact,
    Pledge,
    PledgedMeasure,
    TerritoryRequest,
)
from campaigns.permissions import CollectiveContentPermission, CollectivePermission, MembersPermission
from campaigns.serializers import (
    ActionSerializer,
    CampaignSerializer,
    CollectiveSerializer,
    InvitationSerializer,
    MeasureSerializer,
    MembershipSerializer,
    MembershipUpdateSerializer,
    MeSerializer,
    MyInvitationSerializer,
    PactDetailSerializer,
    PactSerializer,
    PledgeSerializer,
    TerritoryRequestSerializer,
)
from core.csv_export import CSVExportMixin
from core.permissions import IsStaffOrReadOnly
from officials.models import Municipality


def _codes(related) -> list[str]:
    return [measure.code for measure in related.all()]


class PactViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsStaffOrReadOnly]

    def get_queryset(self):
        queryset = Pact.objects.all()
        if self.action == "retrieve":
            levels = Prefetch("levels", queryset=MeasureLevel.objects.order_by("rank"))
            measures = Measure.objects.select_related("theme").prefetch_related(levels)
            queryset = queryset.prefetch_related("themes", Prefetch("measures", queryset=measures))
        return queryset

    def get_serializer_class(self):
        return PactDetailSerializer if self.action == "retrieve" else PactSerializer


class MeasureViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter
    queryset = Measure.objects.select_related("theme").prefetch_related("levels")


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
        invitation = services.membership_invite(
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
        invitation = services.invitation_accept(invitation=self.get_object(), by=request.user)
        return Response(self.get_serializer(invitation).data)

    @extend_schema(request=None, responses=MyInvitationSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        invitation = services.invitation_decline(invitation=self.get_object(), by=request.user)
        return Response(self.get_serializer(invitation).data)


class CollectiveMemberView(CollectiveMembersMixin, generics.RetrieveUpdateDestroyAPIView):
    """One membership: coordinators change the role or remove it (never the last coordinator)."""

    def get_serializer_class(self):
        return MembershipSerializer if self.request.method == "GET" else MembershipUpdateSerializer

    def perform_update(self, serializer):
        serializer.instance = services.membership_update(membership=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.membership_remove(membership=instance)


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


class PledgeViewSet(CSVExportMixin, viewsets.ModelViewSet):
    serializer_class = PledgeSerializer
    permission_classes = [CollectiveContentPermission]
    filterset_class = PledgeFilter
    filter_backends = [*viewsets.ModelViewSet.filter_backends, filters.SearchFilter]
    search_fields = ["list_name", "municipality__search_name", "head_of_list_name"]
    ordering_fields = ["signed_on", "list_name", "municipality__name"]
    csv_filename = "pactes-signes"
    csv_columns = [
        ("Commune", lambda pledge: pledge.municipality.name),
        ("Code INSEE", lambda pledge: pledge.municipality_id),
        ("Liste", lambda pledge: pledge.list_name),
        ("Pacte", lambda pledge: pledge.pact.name),
        ("Collectif", lambda pledge: pledge.collective.name if pledge.collective else ""),
        ("Date de signature", lambda pledge: pledge.signed_on),
        ("Résultat de l'élection", lambda pledge: pledge.get_election_outcome_display()),
        ("Mesures", lambda pledge: [item.measure.code for item in pledge.measures.all()]),
    ]

    def get_queryset(self):
        items = PledgedMeasure.objects.select_related("measure", "level").order_by("measure__position", "measure__code")
        return Pledge.objects.select_related("municipality", "pact", "collective").prefetch_related(
            Prefetch("measures", queryset=items)
        )


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
            selectors.campaigns_visible_to(self.request.user)
            .select_related("collective")
            .prefetch_related("measures", "municipalities", "officials")
        )

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)


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
            selectors.actions_visible_to(self.request.user)
            .select_related("collective", "campaign", "municipality")
            .prefetch_related("measures", "officials")
        )

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)


class MunicipalityTimelineView(APIView):
    """Everything that happened in a municipality, oldest first."""

    @extend_schema(
        responses=inline_serializer(
            "TimelineEvent",
            {
                "date": serializers.DateField(),
                "kind": serializers.CharField(),
                "title": serializers.CharField(),
                "summary": serializers.CharField(),
                "collective": serializers.CharField(allow_null=True),
                "object_id": serializers.IntegerField(),
            },
            many=True,
        )
    )
    def get(self, request, insee_code: str):
        municipality = get_object_or_404(Municipality, insee_code=insee_code)
        return Response(selectors.municipality_timeline(municipality=municipality, user=request.user))


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
        serializer.instance = services.territory_request_create(by=self.request.user, **serializer.validated_data)

    def _decide(self, approve: bool):
        if not self.request.user.is_staff:
            raise PermissionDenied(_("Seule l'équipe nationale décide des demandes de territoire."))
        request = services.territory_request_decide(request=self.get_object(), approve=approve, by=self.request.user)
        return Response(self.get_serializer(request).data)

    @extend_schema(request=None, responses=TerritoryRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(True)

    @extend_schema(request=None, responses=TerritoryRequestSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._decide(False)
