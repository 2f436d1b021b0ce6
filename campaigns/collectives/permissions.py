from rest_framework import permissions

from campaigns.collectives.access import is_coordinator, is_member


class CollectiveContentPermission(permissions.BasePermission):
    """Anyone reads what the queryset shows; members of the owning collective edit;
    its coordinators (and staff) delete. Creation is checked by the serializer, which
    knows the target collective."""

    reads_are_public = True  # documented in the schema: no 403 on a read

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if request.method == "DELETE":
            return is_coordinator(request.user, obj.collective_id)
        return is_member(request.user, obj.collective_id)


class CollectivePermission(permissions.BasePermission):
    """Public profiles; coordinators edit their collective; staff create and delete."""

    reads_are_public = True  # documented in the schema: no 403 on a read

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if view.action == "create":
            return bool(request.user and request.user.is_staff)
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if request.method == "DELETE":
            return request.user.is_staff
        return is_coordinator(request.user, obj.pk)


class MembersPermission(permissions.BasePermission):
    """A collective's members see the member list; coordinators and staff change it."""

    def has_permission(self, request, view) -> bool:
        collective = view.collective
        if request.method in permissions.SAFE_METHODS:
            return is_member(request.user, collective.pk)
        return is_coordinator(request.user, collective.pk)
