from rest_framework.routers import DefaultRouter

from tasks import views

router = DefaultRouter()
router.register("emails", views.OutboundEmailViewSet, basename="email")
router.register("jobs", views.JobViewSet, basename="job")
