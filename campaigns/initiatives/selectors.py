"""Who reads which initiative, and initiatives as GeoJSON."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from campaigns.collectives.access import is_staff, roles_of
from campaigns.gatherings.selectors import public_events
from campaigns.initiatives.models import Initiative


def initiatives_visible_to(user) -> QuerySet[Initiative]:
    """Validated initiatives for everyone; proposed ones for the members of the collective
    that follows them, and staff."""
    if is_staff(user):
        return Initiative.objects.all()
    return Initiative.objects.filter(Q(status=Initiative.Status.VALIDATED) | Q(collective_id__in=list(roles_of(user))))


def with_feature_rows(queryset: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """What ``initiative_feature`` reads, in a constant number of queries: the municipality,
    the themes and the public events linked (a members-only one is never on the map)."""
    events = public_events().only("id", "title", "start_date").order_by("start_date", "pk")
    return queryset.select_related("municipality").prefetch_related(
        "themes", Prefetch("events", queryset=events, to_attr="public_events")
    )


def initiative_point(initiative: Initiative) -> tuple[float, float] | None:
    """Its own point, else its municipality's centroid (select the municipality)."""
    if initiative.longitude is not None:
        return initiative.longitude, initiative.latitude
    municipality = initiative.municipality
    if municipality.centroid_longitude is None:
        return None
    return municipality.centroid_longitude, municipality.centroid_latitude


def initiative_feature(initiative: Initiative) -> dict:
    """A GeoJSON Feature (a Point, or no geometry when neither it nor its municipality has
    one); read from ``with_feature_rows``."""
    point = initiative_point(initiative)
    return {
        "type": "Feature",
        "id": f"initiative-{initiative.pk}",
        "geometry": {"type": "Point", "coordinates": list(point)} if point else None,
        "properties": {
            "layer": "initiative",
            "id": initiative.pk,
            "name": initiative.name,
            "kind": initiative.kind,
            "kind_display": initiative.get_kind_display(),
            "status": initiative.status,
            "description": initiative.description,
            "municipality": initiative.municipality_id,
            "municipality_name": initiative.municipality.name,
            "themes": [theme.code for theme in initiative.themes.all()],
            "contact": initiative.contact,
            "email": initiative.email,
            "links": initiative.links,
            "events": [
                {"id": event.pk, "title": event.title, "start_date": event.start_date.isoformat()}
                for event in initiative.public_events
            ],
        },
    }


def initiatives_geojson(queryset: QuerySet[Initiative]) -> dict:
    rows = with_feature_rows(queryset)
    return {"type": "FeatureCollection", "features": [initiative_feature(row) for row in rows]}
