"""The municipality's page in the admin, with its timeline (campaigns.timeline): letters
with their state, replies, reminders, actions, assessments, gatherings and pledges, as the
user may see them. The officials admin knows nothing of campaigns: this one, above both,
takes its place."""

from __future__ import annotations

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from campaigns.timeline import municipality_timeline
from officials import admin as officials_admin
from officials.models import Municipality

# Entries shown at most: the most recent ones.
TIMELINE_ROWS = 300

KINDS = {
    "pledge": (_("pacte signé"), "campaigns_pledge_change"),
    "action": (_("action"), "campaigns_action_change"),
    "event": (_("rencontre"), "campaigns_event_change"),
    "assessment": (_("évaluation"), "campaigns_assessment_change"),
    "letter": (_("courrier"), "campaigns_letter_change"),
    "reminder": (_("relance"), "campaigns_letterreminder_change"),
    "reply": (_("réponse"), "campaigns_letter_change"),
}


def _url(kind: str, object_id: int) -> str:
    try:
        return reverse(f"admin:{KINDS[kind][1]}", args=[object_id])
    except (KeyError, NoReverseMatch):
        return ""


def timeline_rows(municipality: Municipality, user) -> tuple[list[dict], int]:
    """The most recent TIMELINE_ROWS entries, oldest first, with their kind in French and
    the admin page of each; and how many older ones are left out."""
    events = municipality_timeline(municipality=municipality, user=user)
    left_out = max(0, len(events) - TIMELINE_ROWS)
    rows = [
        {
            **event,
            "kind_label": KINDS.get(event["kind"], (event["kind"], ""))[0],
            "url": _url(event["kind"], event["object_id"]),
        }
        for event in events[left_out:]
    ]
    return rows, left_out


class MunicipalityTimelineAdmin(officials_admin.MunicipalityAdmin):
    change_form_template = "admin/campaigns/municipality_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        municipality = self.get_object(request, object_id)
        if municipality is not None:
            rows, left_out = timeline_rows(municipality, request.user)
            extra_context = {**(extra_context or {}), "timeline": rows, "timeline_left_out": left_out}
        return super().change_view(request, object_id, form_url, extra_context)


admin.site.unregister(Municipality)
admin.site.register(Municipality, MunicipalityTimelineAdmin)
