from rest_framework import permissions


class IsStaffOrReadOnly(permissions.BasePermission):
    """Public data: anyone reads, staff write."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_staff)
