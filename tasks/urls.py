from rest_framework.routers import DefaultRouter

from tasks.jobs.views import JobViewSet
from tasks.outbox.views import OutboundEmailViewSet

router = DefaultRouter()
router.register("emails", OutboundEmailViewSet, basename="email")
router.register("jobs", JobViewSet, basename="job")
