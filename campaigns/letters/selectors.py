"""Reads of letters that aggregate."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, F, FloatField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from campaigns.letters.models import Letter
from campaigns.letters.services.replies import ANSWERABLE

REPLY_GROUPS = {
    "campaign": ("interpellation__campaign_id", "interpellation__campaign__title"),
    "municipality": ("municipality_id", "municipality__name"),
    "official": ("official_id", "official__last_name"),
}


def reply_rates(*, letters: QuerySet[Letter], by: str = "official") -> list[dict]:
    """Who answers and who never does: letters sent, answered, and the rate, per group
    (lowest rate first), in one query."""
    if by not in REPLY_GROUPS:
        raise ValidationError({"by": [_("Choisissez parmi : %(c)s.") % {"c": ", ".join(REPLY_GROUPS)}]})
    key, label = REPLY_GROUPS[by]
    rows = (
        letters.filter(status__in=ANSWERABLE)
        .values(key=F(key), label=F(label))
        .annotate(sent=Count("pk"), answered=Count("pk", filter=Q(status=Letter.Status.ANSWERED)))
        .annotate(rate=Cast("answered", FloatField()) / Cast("sent", FloatField()))
        .order_by("rate", "label")
    )
    return [{**row, "rate": round(row["rate"], 3)} for row in rows]


def public_letters() -> QuerySet[Letter]:
    """Letters that may be counted in public (the public scorecard's sent, answered and reply
    rate; never their content): those of a public campaign or of none. A private campaign's
    letters are its collective's business."""
    return Letter.objects.filter(Q(interpellation__campaign__isnull=True) | Q(interpellation__campaign__is_public=True))
