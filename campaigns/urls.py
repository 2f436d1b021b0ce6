from django.urls import path
from rest_framework.routers import DefaultRouter

from campaigns.advocacy.views import ActionViewSet, CampaignViewSet
from campaigns.collectives.views import (
    CollectiveInvitationsView,
    CollectiveMembersView,
    CollectiveMemberView,
    CollectiveViewSet,
    InvitationViewSet,
    MeView,
    TerritoryRequestViewSet,
)
from campaigns.letters import views as letter_views
from campaigns.pacts.views import MeasureViewSet, PactViewSet
from campaigns.pledges.views import PledgeViewSet
from campaigns.reviews import views as review_views
from campaigns.timeline import MunicipalityTimelineView

router = DefaultRouter()
router.register("pacts", PactViewSet, basename="pact")
router.register("measures", MeasureViewSet, basename="measure")
router.register("collectives", CollectiveViewSet, basename="collective")
router.register("pledges", PledgeViewSet, basename="pledge")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("actions", ActionViewSet, basename="action")
router.register("review-cycles", review_views.ReviewCycleViewSet, basename="review-cycle")
router.register("assessments", review_views.AssessmentViewSet, basename="assessment")
router.register("letter-templates", letter_views.LetterTemplateViewSet, basename="letter-template")
router.register("interpellations", letter_views.InterpellationViewSet, basename="interpellation")
router.register("letters", letter_views.LetterViewSet, basename="letter")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("territory-requests", TerritoryRequestViewSet, basename="territory-request")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("collectives/<slug:slug>/members/", CollectiveMembersView.as_view(), name="collective-members"),
    path("collectives/<slug:slug>/members/<int:pk>/", CollectiveMemberView.as_view(), name="collective-member"),
    path(
        "collectives/<slug:slug>/invitations/",
        CollectiveInvitationsView.as_view(),
        name="collective-invitations",
    ),
    path(
        "municipalities/<str:insee_code>/timeline/",
        MunicipalityTimelineView.as_view(),
        name="municipality-timeline",
    ),
    path(
        "municipalities/<str:insee_code>/scorecard/",
        review_views.MunicipalityScorecardView.as_view(),
        name="municipality-scorecard",
    ),
]
