from rest_framework import permissions

from campaigns.collectives.access import is_coordinator, is_member


class EventPartPermission(permissions.BasePermission):
    """Parts of an event (programme, resources) under ``view.event``: whoever reads the event
    reads them; members of its organising collective write them, its coordinators delete."""

    reads_are_public = True  # documented in the schema: no 403 on a read

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if not (request.user and request.user.is_authenticated):
            return False
        collective_id = view.event.collective_id
        if request.method == "DELETE":
            return is_coordinator(request.user, collective_id)
        return is_member(request.user, collective_id)


class EventOrganiserPermission(permissions.BasePermission):
    """What only the organisers see (who got a feedback link, the answers' comments): members
    of the event's organising collective, and staff."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj) -> bool:
        return is_member(request.user, obj.collective_id)
