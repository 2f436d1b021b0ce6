from django.urls import path
from rest_framework.routers import DefaultRouter

from campaigns import letter_views, review_views, views

router = DefaultRouter()
router.register("pacts", views.PactViewSet, basename="pact")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("collectives", views.CollectiveViewSet, basename="collective")
router.register("pledges", views.PledgeViewSet, basename="pledge")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("actions", views.ActionViewSet, basename="action")
router.register("review-cycles", review_views.ReviewCycleViewSet, basename="review-cycle")
router.register("assessments", review_views.AssessmentViewSet, basename="assessment")
router.register("letter-templates", letter_views.LetterTemplateViewSet, basename="letter-template")
router.register("interpellations", letter_views.InterpellationViewSet, basename="interpellation")
router.register("letters", letter_views.LetterViewSet, basename="letter")
router.register("invitations", views.InvitationViewSet, basename="invitation")
router.register("territory-requests", views.TerritoryRequestViewSet, basename="territory-request")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("collectives/<slug:slug>/members/", views.CollectiveMembersView.as_view(), name="collective-members"),
    path("collectives/<slug:slug>/members/<int:pk>/", views.CollectiveMemberView.as_view(), name="collective-member"),
    path(
        "collectives/<slug:slug>/invitations/",
        views.CollectiveInvitationsView.as_view(),
        name="collective-invitations",
    ),
    path(
        "municipalities/<str:insee_code>/timeline/",
        views.MunicipalityTimelineView.as_view(),
        name="municipality-timeline",
    ),
    path(
        "municipalities/<str:insee_code>/scorecard/",
        review_views.MunicipalityScorecardView.as_view(),
        name="municipality-scorecard",
    ),
]
