"""Rules on contacting officials that other parts of the product must follow."""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.translation import gettext as _

from officials.models import Official


def do_not_email(addresses: list[str]) -> dict[str, str]:
    """{address: reason} for the addresses of officials flagged do-not-e-mail.

    Compared case-insensitively: "Maire@Ville.fr" and "maire@ville.fr" are one mailbox.
    """
    if not addresses:
        return {}
    matches = reduce(or_, (Q(email__iexact=address) for address in addresses))
    flagged = {
        email.lower() for email in Official.objects.filter(matches, do_not_email=True).values_list("email", flat=True)
    }
    reason = _("l'élu·e ne souhaite pas être contacté·e par courriel")
    return {address: reason for address in addresses if address.lower() in flagged}
