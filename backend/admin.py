from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class PacteAdminSite(admin.AdminSite):
    site_header = "Pacte tracker"
    site_title = "Pacte tracker"
    index_title = "Administration"

    def has_permission(self, request) -> bool:
        """Staff, and members of a collective, who see only their collective's data."""
        user = request.user
        return user.is_active and (user.is_staff or user.memberships.exists())


class PacteAdminConfig(AdminConfig):
    default_site = "backend.admin.PacteAdminSite"


class PublicDataAdmin(admin.ModelAdmin):
    """Public reference data (municipalities, officials, pacts): anyone let into the admin
    may read it, and pick it in forms; staff change it."""

    def has_module_permission(self, request):
        return True

    def has_view_permission(self, request, obj=None):
        return True
