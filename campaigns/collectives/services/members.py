"""Members of a collective: invitations (accepted by the invitee), roles, departures."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.collectives.models import Collective, Invitation, Membership
from tasks.outbox import services as outbox


def _coordinators_left(collective: Collective, without: Membership) -> bool:
    return collective.memberships.filter(role=Membership.Role.COORDINATOR).exclude(pk=without.pk).exists()


@transaction.atomic
def membership_invite(
    *,
    collective: Collective,
    email: str,
    role: str = Membership.Role.MEMBER,
    first_name: str = "",
    last_name: str = "",
    title: str = "",
    signs_letters: bool = False,
    by=None,
    notify,
) -> Invitation:
    """Invite a person by e-mail; they become a member when they accept.

    An address without account gets an account without password (named as the inviter
    typed it); an existing account is left as it is. Either way the inviter gets the same
    answer: nothing tells them whether the account existed, nor whose it is.
    ``notify(invitation, new_account)`` queues the e-mail in this same transaction, so that
    it never leaves for an invitation that was rolled back.
    """
    User = get_user_model()
    email = User.objects.normalize_email(email).strip()
    _check_invitable(email)
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    new_account = user is None
    if new_account:
        user = User(username=_free_username(email), email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save()
    # The inviter already sees the members, and their own invitations: these say nothing new.
    if Membership.objects.filter(user=user, collective=collective).exists():
        raise ValidationError({"email": [_("%(email)s est déjà membre de ce collectif.") % {"email": email}]})
    if Invitation.objects.filter(user=user, collective=collective, state=Invitation.State.PENDING).exists():
        raise ValidationError({"email": [_("Une invitation attend déjà la réponse de %(email)s.") % {"email": email}]})
    invitation = Invitation.objects.create(
        collective=collective,
        user=user,
        email=email,
        role=role,
        title=title,
        signs_letters=signs_letters,
        invited_by=by if by is not None and by.is_authenticated else None,
    )
    try:
        notify(invitation, new_account)
    except outbox.RecipientRefused as exc:
        raise ValidationError({"email": [str(exc)]}) from exc
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, by) -> Invitation:
    """The invitee joins the collective with the role and title they were invited with."""
    invitation = _pending_of(invitation, by)
    Membership.objects.get_or_create(
        user=invitation.user,
        collective=invitation.collective,
        defaults={"role": invitation.role, "title": invitation.title, "signs_letters": invitation.signs_letters},
    )
    return _decide(invitation, Invitation.State.ACCEPTED)


@transaction.atomic
def invitation_decline(*, invitation: Invitation, by) -> Invitation:
    return _decide(_pending_of(invitation, by), Invitation.State.DECLINED)


def _pending_of(invitation: Invitation, by) -> Invitation:
    # Locked: accepting twice at once makes one membership and one decision.
    invitation = Invitation.objects.select_for_update().select_related("collective").get(pk=invitation.pk)
    if invitation.user_id != getattr(by, "pk", None):
        raise PermissionDenied(_("Seule la personne invitée répond à une invitation."))
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError(
            _("Cette invitation a déjà reçu une réponse (%(state)s).") % {"state": invitation.get_state_display()}
        )
    return invitation


def _decide(invitation: Invitation, state: str) -> Invitation:
    invitation.state, invitation.decided_at = state, timezone.now()
    invitation.save(update_fields=["state", "decided_at"])
    return invitation


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
