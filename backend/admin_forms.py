from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

from backend.admin import may_enter_admin


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
