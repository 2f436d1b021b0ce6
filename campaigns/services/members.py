"""Members of a collective: invitations, roles, departures."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import Collective, Membership
from tasks import outbox


def _coordinators_left(collective: Collective, without: Membership) -> bool:
    return collective.memberships.filter(role=Membership.Role.COORDINATOR).exclude(pk=without.pk).exists()


@transaction.atomic
def membership_add(
    *,
    collective: Collective,
    email: str,
    role: str = Membership.Role.MEMBER,
    first_name: str = "",
    last_name: str = "",
    title: str = "",
    signs_letters: bool = False,
    invite,
) -> tuple[Membership, bool]:
    """Add a person by e-mail, creating an account without password if needed.

    ``invite(user, collective)`` queues the invitation of a new account in this same
    transaction, so that it never leaves for a membership that was rolled back. Returns
    (membership, account_created).
    """
    User = get_user_model()
    email = User.objects.normalize_email(email).strip()
    _check_invitable(email)
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    created = user is None
    if created:
        user = User(username=_free_username(email), email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save()
    if Membership.objects.filter(user=user, collective=collective).exists():
        raise ValidationError({"email": [_("%(email)s est déjà membre de ce collectif.") % {"email": email}]})
    membership = Membership.objects.create(
        user=user, collective=collective, role=role, title=title, signs_letters=signs_letters
    )
    if created:
        invite(user, collective)
    return membership, created


def _check_invitable(email: str) -> None:
    """An invitation is an e-mail: refuse, before writing anything, an address the outbox
    would refuse (an official's who asked not to be e-mailed…)."""
    refused = outbox.refused_recipients([email])
    if refused:
        raise ValidationError({"email": [str(outbox.RecipientRefused(email, refused[email]))]})


def _free_username(email: str) -> str:
    User = get_user_model()
    base = email.split("@")[0][:100] or "membre"
    candidate, suffix = base, 1
    while User.objects.filter(username=candidate).exists():
        suffix += 1
        candidate = f"{base}{suffix}"
    return candidate


@transaction.atomic
def membership_update(*, membership: Membership, **fields) -> Membership:
    role = fields.get("role", membership.role)
    if (
        membership.role == Membership.Role.COORDINATOR
        and role != Membership.Role.COORDINATOR
        and not _coordinators_left(membership.collective, membership)
    ):
        raise ValidationError({"role": [_("Le collectif doit garder au moins un·e coordinateur·rice.")]})
    for name, value in fields.items():
        setattr(membership, name, value)
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    if membership.role == Membership.Role.COORDINATOR and not _coordinators_left(membership.collective, membership):
        raise ValidationError(_("Le collectif doit garder au moins un·e coordinateur·rice."))
    membership.delete()
