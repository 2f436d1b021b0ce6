from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in: volunteer, coordinator or national staff.

    Custom from the first migration so that fields can be added without pain.
    """

    class Meta(AbstractUser.Meta):
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rices")
        swappable = "AUTH_USER_MODEL"
