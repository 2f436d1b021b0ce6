from rest_framework import permissions, viewsets

from tasks.jobs.serializers import JobSerializer
from tasks.jobs.services import jobs_visible_to


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """Background jobs: their creator, the members of their collective and staff follow them."""

    serializer_class = JobSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["kind", "status"]

    def get_queryset(self):
        return jobs_visible_to(self.request.user)
