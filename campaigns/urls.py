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
from campaigns.gatherings.views.events import EventViewSet
from campaigns.gatherings.views.experience import ActionIdeaViewSet, LessonViewSet, ProposalViewSet
from campaigns.gatherings.views.feedback import FeedbackAnswerView, FeedbackLinkViewSet
from campaigns.gatherings.views.parts import EventResourceViewSet, ProgrammeItemViewSet
from campaigns.initiatives.views import InitiativeViewSet
from campaigns.letters.views import InterpellationViewSet, LetterTemplateViewSet, LetterViewSet
from campaigns.map import MapView
from campaigns.pacts.views import MeasureViewSet, PactViewSet
from campaigns.pledges.views import PledgeViewSet
from campaigns.reviews.views import AssessmentViewSet, MunicipalityScorecardView, ReviewCycleViewSet
from campaigns.timeline import MunicipalityTimelineView

router = DefaultRouter()
router.register("pacts", PactViewSet, basename="pact")
router.register("measures", MeasureViewSet, basename="measure")
router.register("collectives", CollectiveViewSet, basename="collective")
router.register("pledges", PledgeViewSet, basename="pledge")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("actions", ActionViewSet, basename="action")
router.register("review-cycles", ReviewCycleViewSet, basename="review-cycle")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("letter-templates", LetterTemplateViewSet, basename="letter-template")
router.register("interpellations", InterpellationViewSet, basename="interpellation")
router.register("letters", LetterViewSet, basename="letter")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("territory-requests", TerritoryRequestViewSet, basename="territory-request")
router.register("events", EventViewSet, basename="event")
router.register(r"events/(?P<event_pk>[0-9]+)/programme", ProgrammeItemViewSet, basename="event-programme")
router.register(r"events/(?P<event_pk>[0-9]+)/resources", EventResourceViewSet, basename="event-resource")
router.register(r"events/(?P<event_pk>[0-9]+)/feedback-links", FeedbackLinkViewSet, basename="event-feedback-link")
router.register("lessons", LessonViewSet, basename="lesson")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("action-ideas", ActionIdeaViewSet, basename="action-idea")
router.register("initiatives", InitiativeViewSet, basename="initiative")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("map/", MapView.as_view(), name="map"),
    path("collectives/<slug:slug>/members/", CollectiveMembersView.as_view(), name="collective-members"),
    path("collectives/<slug:slug>/members/<int:pk>/", CollectiveMemberView.as_view(), name="collective-member"),
    path(
        "collectives/<slug:slug>/invitations/",
        CollectiveInvitationsView.as_view(),
        name="collective-invitations",
    ),
    # A participant's feedback link: the token is the credential (see gatherings.services.feedback).
    path("feedback/<str:token>/", FeedbackAnswerView.as_view(), name="feedback-answer"),
    path(
        "municipalities/<str:insee_code>/timeline/",
        MunicipalityTimelineView.as_view(),
        name="municipality-timeline",
    ),
    path(
        "municipalities/<str:insee_code>/scorecard/",
        MunicipalityScorecardView.as_view(),
        name="municipality-scorecard",
    ),
]
