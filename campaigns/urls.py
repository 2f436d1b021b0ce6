from django.urls import path
from rest_framework.routers import DefaultRouter

from campaigns import views

router = DefaultRouter()
router.register("pacts", views.PactViewSet, basename="pact")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("collectives", views.CollectiveViewSet, basename="collective")
router.register("pledges", views.PledgeViewSet, basename="pledge")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("actions", views.ActionViewSet, basename="action")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("collectives/<slug:slug>/members/", views.CollectiveMembersView.as_view(), name="collective-members"),
    path("collectives/<slug:slug>/members/<int:pk>/", views.CollectiveMemberView.as_view(), name="collective-member"),
    path(
        "municipalities/<str:insee_code>/timeline/",
        views.MunicipalityTimelineView.as_view(),
        name="municipality-timeline",
    ),
]
