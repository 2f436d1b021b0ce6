from rest_framework import permissions


class IsStaffOrReadOnly(permissions.BasePermission):
    """Public data: anyone reads, staff write."""

    reads_are_public = True  # documented in the schema: no 403 on a read

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_staff)
