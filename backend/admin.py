from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.db import models

# Django 6 will assume https for scheme-less URLs typed in forms; do so now.
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


def may_enter_admin(user) -> bool:
    """Staff, and members of a collective, who see only their collective's data."""
    return user.is_active and (user.is_staff or user.memberships.exists())


class PacteAdminSite(admin.AdminSite):
    site_header = "Pacte tracker"
    site_title = "Pacte tracker"
    index_title = "Administration"

    @property
    def login_form(self):
        # Imported late: this module is loaded with the app registry, before auth's forms can be.
        from backend.admin_forms import PacteAdminAuthenticationForm

        return PacteAdminAuthenticationForm

    def has_permission(self, request) -> bool:
        return may_enter_admin(request.user)

    def login(self, request, extra_context=None):
        # Imported late, as the login form: this module loads before the app registry is ready.
        from backend.auth import LOGIN_THROTTLES
        from core.throttling import throttle_form_view

        return throttle_form_view(super().login, LOGIN_THROTTLES)(request, extra_context)


class PacteAdminConfig(AdminConfig):
    default_site = "backend.admin.PacteAdminSite"


class PublicDataAdmin(admin.ModelAdmin):
    """Public reference data (municipalities, officials, pacts): anyone let into the admin
    may read it, and pick it in forms; staff change it."""

    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def has_module_permission(self, request):
        return True

    def has_view_permission(self, request, obj=None):
        return True
