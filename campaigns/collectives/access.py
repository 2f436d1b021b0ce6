"""Who may do what in a collective: the rules shared by the API, the admin and services."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from campaigns.collectives.models import Collective, Membership
from officials.models import Municipality
from tasks.outbox.services import refused_recipients

logger = logging.getLogger(__name__)


def collective_recipients(collective: Collective, *, purpose: str) -> list[str]:
    """Where the collective's own e-mails go (digests, notices): its contact address and its
    coordinators', less those the outbox refuses (an address that is also a do-not-e-mail
    official's): the others still get the e-mail. ``purpose`` names it in the logs."""
    coordinators = collective.memberships.filter(role=Membership.Role.COORDINATOR).exclude(user__email="")
    addresses = sorted(
        {a for a in [collective.contact_email, *coordinators.values_list("user__email", flat=True)] if a}
    )
    refused = refused_recipients(addresses)
    for address, reason in refused.items():
        logger.info("%s of %s: %s left out (%s)", purpose, collective.slug, address, reason)
    return [address for address in addresses if address not in refused]


def roles_of(user) -> dict[int, str]:
    """{collective id: role} for ``user``, computed once per user object (i.e. per request)."""
    if not user or not user.is_authenticated:
        return {}
    cached = getattr(user, "_collective_roles", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("collective_id", "role"))
        user._collective_roles = cached
    return cached


def is_staff(user) -> bool:
    """National staff: signed in and flagged staff (None, an anonymous user or a worker's
    missing user are not)."""
    return bool(user is not None and user.is_authenticated and user.is_staff)


def is_member(user, collective_id: int | None) -> bool:
    return bool(user and user.is_authenticated and (user.is_staff or collective_id in roles_of(user)))


def require_member(user, collective: Collective, *, field: str = "collective") -> None:
    """Refuse (400, under ``field``) a write for a collective ``user`` is not a member of."""
    if not is_member(user, collective.pk):
        message = _("Vous n'êtes pas membre du collectif « %(name)s ».") % {"name": collective.name}
        raise ValidationError({field: [message]})


def is_coordinator(user, collective_id: int | None) -> bool:
    if not user or not user.is_authenticated:
        return False
    return user.is_staff or roles_of(user).get(collective_id) == Membership.Role.COORDINATOR


def territory_problems(collective: Collective, municipality_ids, user) -> list[str]:
    """Messages for municipalities outside the collective's territory (staff may go beyond;
    ``user=None``, the system, may not)."""
    if is_staff(user):
        return []
    wanted = {pk for pk in municipality_ids if pk}
    inside = set(collective.territory.filter(pk__in=wanted).values_list("pk", flat=True))
    return [
        _("La commune %(code)s ne fait pas partie du territoire du collectif « %(collective)s ».")
        % {"code": code, "collective": collective.name}
        for code in sorted(wanted - inside)
    ]


def content_check(
    *,
    by,
    collective: Collective | None,
    municipalities: Iterable[Municipality | None] = (),
    field: str = "municipality",
    before: tuple[Collective | None, Iterable[Municipality | None]] | None = None,
) -> None:
    """The rules of content a collective writes (pledges, campaigns, actions…), for its
    services: ``by`` is a member of the collective (and, on update, of the one the row had;
    ``by=None``, the system or a command, is not asked), and the ``municipalities`` named
    under ``field`` are within its territory.

    ``before`` is (collective, municipalities) of the row as stored, for an update: only the
    municipalities it did not name are checked, so that a row stays valid when the
    territory shrinks; a row moved to another collective is checked whole.
    """
    if by is not None:
        previous = before[0] if before is not None else None
        for owner in dict.fromkeys(c for c in (previous, collective) if c is not None):
            require_member(by, owner)
    if collective is None:
        return
    codes = {municipality.pk for municipality in municipalities if municipality is not None}
    if before is not None and before[0] == collective:
        codes -= {municipality.pk for municipality in before[1] if municipality is not None}
    problems = territory_problems(collective, codes, by)
    if problems:
        raise ValidationError({field: problems})


def content_update_check(*, by, row, fields: dict, field: str = "municipality") -> None:
    """``content_check`` for an update of ``row`` (as stored) with ``fields``: ``field``
    names its municipalities (a foreign key or a many-to-many field)."""
    many = row._meta.get_field(field).many_to_many

    def listed(value) -> list:
        return list(value.all() if hasattr(value, "all") else value) if many else [value]

    stored = listed(getattr(row, field))
    named = listed(fields[field]) if field in fields else stored
    content_check(
        by=by,
        collective=fields.get("collective", row.collective),
        municipalities=named,
        field=field,
        before=(row.collective, stored),
    )


def territory_ids(user) -> set[str]:
    """INSEE codes of the municipalities the user's collectives follow."""
    if not user or not user.is_authenticated:
        return set()
    cached = getattr(user, "_territory_ids", None)
    if cached is None:
        cached = set(Municipality.objects.filter(collectives__in=list(roles_of(user))).values_list("pk", flat=True))
        user._territory_ids = cached
    return cached


def can_assess(user, municipality_id: str) -> bool:
    """Members assess the pledged measures of the municipalities their collective follows."""
    return bool(user and user.is_authenticated and (user.is_staff or municipality_id in territory_ids(user)))


def job_scopes(user) -> set[str]:
    """Scopes of background jobs a user may follow: those of their collectives."""
    return {collective_scope(collective_id) for collective_id in roles_of(user)}


def collective_scope(collective_id: int) -> str:
    return f"collective:{collective_id}"
