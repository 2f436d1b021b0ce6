"""The admin site: who may enter it, its login form and its throttled sign-in."""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from backend.auth import LOGIN_THROTTLES
from core.throttling import throttle_form_view


def may_enter_admin(user) -> bool:
    """Staff, and members of a collective, who see only their collective's data."""
    return user.is_active and (user.is_staff or user.memberships.exists())


class PacteAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form, which lets members of a collective in as well as staff."""

    def confirm_login_allowed(self, user):
        # Skip AdminAuthenticationForm's staff-only check, keep the inactive-account one.
        super(AdminAuthenticationForm, self).confirm_login_allowed(user)
        if not may_enter_admin(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class PacteAdminSite(admin.AdminSite):
    site_header = "Pacte tracker"
    site_title = "Pacte tracker"
    index_title = "Administration"
    login_form = PacteAdminAuthenticationForm

    def has_permission(self, request) -> bool:
        return may_enter_admin(request.user)

    def login(self, request, extra_context=None):
        return throttle_form_view(super().login, LOGIN_THROTTLES)(request, extra_context)
